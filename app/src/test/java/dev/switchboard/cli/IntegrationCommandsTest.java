/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The specification's {@code integration_commands}, run verbatim ({@code ./switchboard} for {@code orchestrator}) in
 * a JVM of their own whose working directory is a git repository holding an {@code agents.yaml} of {@code sh}
 * agents. Each agent appends "TASK by AGENT" to a log outside the repository and copies its prompt there, so the
 * test sees who ran what on which prompt. No Maven: the repositories have no pom, so a metric only Maven measures is
 * not measured, and a blocking gate on it fails the run with that reason, which the tests assert.
 */
@Tag("slow")
class IntegrationCommandsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An agent: logs "TASK by NAME", keeps its prompt, then runs {@code more} in its worktree. */
    private String agent(final String name, final String capabilities, final String more)
    {
        final Path log = dir.resolve("ran.log");
        final Path prompts = dir.resolve("prompts");
        return "  - name: " + name + "\n" +
            "    capabilities: [" + capabilities + "]\n" +
            "    command: |\n" +
            "      echo \"$SWITCHBOARD_TASK_ID by " + name + "\" >> " + log + "\n" +
            "      mkdir -p " + prompts + " && cp \"$SWITCHBOARD_PROMPT_FILE\" " + prompts +
            "/\"$SWITCHBOARD_TASK_ID\"-" + name + ".md\n" +
            (more.isEmpty() ? "" : "      " + more + "\n");
    }

    /** The reviewer approves, in the result file the orchestrator reads. */
    private static String approve()
    {
        return "echo '{\"verdict\": \"approve\", \"summary\": \"approved\"}' > \"$SWITCHBOARD_RESULT_FILE\"";
    }

    private Path repository(final String agents, final String... files) throws IOException, InterruptedException
    {
        final Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("agents.yaml"), "agents:\n" + agents);
        for (int i = 0; i < files.length; i += 2)
        {
            Files.createDirectories(repo.resolve(files[i]).getParent());
            Files.writeString(repo.resolve(files[i]), files[i + 1]);
        }
        git(repo, "init", "--quiet");
        git(repo, "add", "--all");
        git(repo, "commit", "--quiet", "-m", "start");
        return repo;
    }

    private static void git(final Path repo, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
            "user.email=test@example.invalid"));
        command.addAll(List.of(args));
        final Process git = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        final String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** The result of {@code ./switchboard ARGS} run in {@code workDir}. */
    private record Run(int status, String out, String err)
    {
        JsonNode report() throws IOException
        {
            final String last = out.lines().filter(l -> l.startsWith("{\"phase\"")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no JSON report in:\n" + out + "\n" + err));
            return JSON.readTree(last);
        }
    }

    /** Runs Main in a JVM of its own in {@code workDir}, with its home in the test directory. */
    private Run switchboard(final Path workDir, final Map<String, String> env, final String... args)
        throws IOException, InterruptedException
    {
        final ChildJvm.Builder builder = ChildJvm.builder(Main.class).jvmOptions(JvmFlags.router())
            .jvmOptions("-Duser.home=" + dir.resolve("home")).args(args).directory(workDir).output(dir, "run")
            .withoutEnvironment("SWITCHBOARD_PERF_COMMAND")
            .withoutEnvironment("SWITCHBOARD_METRICS_FILE"); // the build's; this run keeps its own home
        env.forEach(builder::environment);
        try (ChildJvm run = builder.start())
        {
            final int exit = run.awaitExit(Duration.ofSeconds(240));
            return new Run(exit, run.stdoutText(), run.stderrText());
        }
    }

    private String ran() throws IOException
    {
        return Files.exists(dir.resolve("ran.log")) ? Files.readString(dir.resolve("ran.log")) : "";
    }

    @Test
    void featureRunsOnlyTheNamedAgentsOfTheRepositoriesAgentsFile() throws Exception
    {
        final Path repo = repository(
            agent("Architect", "design, architecture, review", approve()) +
            agent("Constructor", "implementation, linting", "") +
            agent("Patcher", "implementation, debugging", "") +
            agent("Testbed", "testing", "") +
            agent("Scribe", "documentation, testing, implementation, design", ""),
            "README.md", "# Auth\n");

        final Run run = switchboard(repo, Map.of(), "coordinate", "--workflow", "feature",
            "--scope", "authentication system",
            "--agents", "Architect,Constructor,Patcher,Testbed",
            "--parallel-tracks", "2");

        assertTrue(run.err().contains("agents file: " + repo.resolve("agents.yaml").toRealPath()), run.err());
        assertTrue(run.err().contains("agents of ./agents.yaml: Architect, Constructor, Patcher, Testbed\n"),
            run.err());
        assertTrue(ran().contains("design by Architect"), ran());
        assertTrue(ran().matches("(?s).*implement-core by (Constructor|Patcher).*"), ran());
        assertTrue(ran().matches("(?s).*implement-api by (Constructor|Patcher).*"), ran());
        assertFalse(ran().contains("Scribe"), "an agent --agents leaves out never runs: " + ran());
        assertTrue(Files.readString(dir.resolve("prompts/design-Architect.md")).contains("authentication system"));
        // no pom: coverage is not measured, and the standard profile's code-quality gate blocks on it
        assertEquals(ExitCodes.FAILED, run.status(), run.err());
        assertTrue(run.err().contains("TEST_COVERAGE_PERCENT: not measured"), run.err());
        final JsonNode report = run.report();
        assertEquals("FAILED", report.get("status").asText());
        assertEquals("PASSED", report.get("quality_gates").get("design").asText());
        assertEquals(0, report.get("success_metrics").get("execution_success").get("of").asInt());
        assertTrue(Files.readString(dir.resolve("home/.switchboard/metrics.jsonl")).contains("\"feature\""));
    }

    @Test
    void bugfixPutsTheIssuesTextFromTheIssuesFileAndGitLogInThePromptsAndStrictGatesFailHonestly() throws Exception
    {
        final Path repo = repository(
            agent("Architect", "review, design", approve()) +
            agent("Sleuth", "diagnosis, debugging", "") +
            agent("Patcher", "implementation", ""),
            "README.md", "# Login\n",
            "ISSUES.md", "# Issues\n\n## BUG-123: login fails with a plus sign in the e-mail\n\n" +
                "Users whose address has a + cannot log in.\n");
        Files.writeString(repo.resolve("token.txt"), "ttl=60\n");
        git(repo, "add", "token.txt");
        git(repo, "commit", "--quiet", "-m", "Shorten the token lifetime", "-m",
            "BUG-124: sessions expire after one minute instead of one hour");

        final Run run = switchboard(repo, Map.of(), "coordinate", "--workflow", "bugfix",
            "--issues", "BUG-123,BUG-124",
            "--priority", "HIGH",
            "--quality-gates", "strict");

        assertTrue(run.err().contains("issues BUG-123, BUG-124 looked up in "), run.err());
        assertTrue(run.err().contains("all resolved"), run.err());
        final String diagnose = Files.readString(dir.resolve("prompts/diagnose-Sleuth.md"));
        assertTrue(diagnose.contains("login fails with a plus sign"), diagnose);
        assertTrue(diagnose.contains("sessions expire after one minute"), diagnose);
        assertTrue(diagnose.contains("(from ISSUES.md)") && diagnose.contains("(from git log --grep=BUG-124)"),
            diagnose);
        // strict: the fix phase's code-quality and security gates block on what no tool measured without a pom
        assertEquals(ExitCodes.FAILED, run.status(), run.err());
        assertTrue(ran().contains("fix by Patcher"), ran());
        assertTrue(run.err().contains("security (BLOCKING) FAILED"), run.err());
        assertTrue(run.err().contains("not measured"), run.err());
        final String fix = Files.readString(dir.resolve("prompts/fix-Patcher.md"));
        assertTrue(fix.contains("login fails with a plus sign"), fix);
    }

    @Test
    void optimizationMeasuresTheTargetBeforeAndAfterAndHoldsTheRunToItsGoal() throws Exception
    {
        final Path repo = repository(
            agent("Profiler", "profiling, performance, testing", "") +
            agent("Tuner", "optimization", "echo 0.01 > delay && git add delay"),
            "README.md", "# API\n",
            "api.sh", "sleep \"$(cat delay)\"\n",
            "delay", "0.2\n");

        final Run run = switchboard(repo, Map.of("SWITCHBOARD_PERF_COMMAND", "sh api.sh"), "coordinate",
            "--workflow", "optimization",
            "--target", "API response time",
            "--baseline", "current",
            "--goal", "50% improvement");

        assertTrue(run.err().contains("API response time: p95 of 'sh api.sh', goal 50 % lower before the workflow"),
            run.err());
        assertTrue(ran().contains("optimize by Tuner"), ran());
        final JsonNode target = run.report().get("target");
        assertEquals("API response time", target.get("target").asText());
        final double before = target.get("baseline_p95_ms").asDouble();
        assertTrue(before >= 190, "the baseline sleeps 0.2 s: " + target);
        assertEquals(50.0, target.get("goal_percent").asDouble());
        // the optimization phase's code-quality gate blocks on unmeasured coverage (no pom): the phase is rolled
        // back, so what is measured after is the tree as it was, and the goal is not met
        assertEquals(ExitCodes.FAILED, run.status(), run.err());
        assertTrue(run.err().contains("after the failed workflow, on what it merged"), run.err());
        assertTrue(target.get("after_p95_ms").asDouble() >= 190, target.toString());
        assertFalse(target.get("goal_met").asBoolean(), target.toString());
    }

    @Test
    void optimizationWithLenientGatesCompletesWhenTheMeasuredImprovementReachesTheGoal() throws Exception
    {
        final Path repo = repository(
            agent("Profiler", "profiling, performance, testing", "") +
            agent("Tuner", "optimization", "echo 0.01 > delay"),
            "README.md", "# API\n",
            "api.sh", "sleep \"$(cat delay)\"\n",
            "delay", "0.2\n");

        final Run run = switchboard(repo, Map.of("SWITCHBOARD_PERF_COMMAND", "sh api.sh"), "coordinate",
            "--workflow", "optimization", "--target", "API response time", "--baseline", "current",
            "--goal", "50% improvement", "--quality-gates", "lenient");

        assertEquals(ExitCodes.OK, run.status(), run.err());
        final JsonNode target = run.report().get("target");
        assertTrue(target.get("baseline_p95_ms").asDouble() >= 190, target.toString());
        assertTrue(target.get("after_p95_ms").asDouble() < 100, target.toString());
        assertTrue(target.get("improvement_percent").asDouble() >= 50, target.toString());
        assertTrue(target.get("goal_met").asBoolean(), target.toString());
        assertTrue(run.err().contains(": met"), run.err());
    }

    @Test
    void optimizationWithoutACommandToMeasureIsAUsageErrorSayingHowToGiveOne() throws Exception
    {
        final Path repo = repository(agent("Tuner", "optimization", ""), "README.md", "# API\n");

        final Run run = switchboard(repo, Map.of(), "coordinate", "--workflow", "optimization",
            "--target", "API response time", "--baseline", "current", "--goal", "50% improvement");

        assertEquals(ExitCodes.USAGE, run.status(), run.err());
        assertTrue(run.err().contains("--perf-command CMD"), run.err());
        assertEquals("", ran());
    }

    @Test
    void validateRemediatesAMeasuredShortfallWithTheAgentsAndValidatesAgain() throws Exception
    {
        final StringBuilder branches = new StringBuilder();
        for (int i = 10; i > 0; i--)
        {
            branches.append("        if (n > ").append(i * 9).append(") { return \"").append((char) ('A' + i))
                .append("\"; }\n");
        }
        final Path repo = repository(
            agent("Constructor", "implementation",
                "printf 'package w;\\n\\n/** Grades. */\\npublic final class Grade\\n{\\n    /** @param n a score. " +
                "@return its grade. */\\n    public static String of(final int n)\\n    {\\n        return n > 50 ? " +
                "\"pass\" : \"fail\";\\n    }\\n}\\n' > src/main/java/w/Grade.java"),
            "src/main/java/w/Grade.java", "package w;\n\n/** Grades. */\npublic final class Grade\n{\n" +
                "    /** @param n a score. @return its grade. */\n    public static String of(final int n)\n    {\n" +
                branches + "        return \"Z\";\n    }\n}\n");

        final Run run = switchboard(repo, Map.of(), "validate", "--gates", "code,security,performance",
            "--enforcement", "strict",
            "--remediate-on-failure");

        assertTrue(run.out().contains("CYCLOMATIC_COMPLEXITY_MAX: 11"), run.out());
        assertTrue(run.out().contains("remediating with the agents of ./agents.yaml: validate.fix-1-complexity " +
            "(implementation)"), run.out());
        assertTrue(ran().contains("validate.fix-1-complexity by Constructor"), ran());
        final String after = run.out().substring(run.out().indexOf("after remediation, measured:"));
        assertTrue(after.contains("CYCLOMATIC_COMPLEXITY_MAX: 2"), after);
        assertTrue(after.contains("before: quality gates FAILED") && after.contains("after: quality gates FAILED"),
            after);
        assertFalse(after.substring(after.indexOf("after: ")).contains("CYCLOMATIC_COMPLEXITY_MAX: measured"),
            "complexity passes after the remediation: " + after);
        // coverage, lint and vulnerabilities are not measured without a pom: strict still fails, and says why
        assertEquals(ExitCodes.FAILED, run.status(), run.err());
        assertTrue(after.contains("TEST_COVERAGE_PERCENT: not measured"), after);
    }

    @Test
    void directorHandoffExecutesThePhaseOfTheStrategicPlanTheDirectorSent() throws Exception
    {
        final Path repo = repository(
            agent("Architect", "design, architecture, review", approve()) +
            agent("Constructor", "implementation", ""),
            "README.md", "# Auth\n");
        assertEquals(0, switchboard(repo, Map.of(), "plan", ".", "--workflow", "feature").status());
        Files.move(repo.resolve("AGENT_PLAN.md"), repo.resolve("STRATEGIC_PLAN.md"));

        final Run run = switchboard(repo, Map.of(), "receive", "--from", "Director",
            "--plan", "STRATEGIC_PLAN.md",
            "--execute-phase", "1",
            "--report-frequency", "on-completion");

        assertEquals(ExitCodes.OK, run.status(), run.err());
        assertTrue(run.err().contains("Strategic plan from Director (STRATEGIC_PLAN.md): workflow 'feature'"),
            run.err());
        assertTrue(ran().contains("design by Architect"), ran());
        assertFalse(ran().contains("implement"), "only phase 1 runs: " + ran());
        assertEquals("COMPLETED", run.report().get("status").asText());
    }

    @Test
    void anAgentNameTheAgentsFileDoesNotHaveIsAUsageErrorListingItsAgents() throws Exception
    {
        final Path repo = repository(agent("Architect", "design", "") + agent("Testbed", "testing", ""));
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int status = Main.run(new String[] {"coordinate", "--workflow", "feature", "--repo", repo.toString(),
            "--agents", "Architect,Nobody", "--metrics-file", dir.resolve("m.jsonl").toString()},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--agents names 'Nobody', which is not an agent of " +
            repo.resolve("agents.yaml") + "; its agents are Architect, Testbed"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", ran());
    }
}
