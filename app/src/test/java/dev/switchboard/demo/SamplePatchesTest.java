/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's prepared patches ({@code samples/agents/patches}) keep applying to the sample repository
 * ({@code samples/inventory-service}) in the order the feature workflow meets them, with real git: parallel tasks
 * branch from the same commit and merge cleanly, and the remediation patches change what the analysis sees. The
 * tools (Maven, JaCoCo, PMD) are not run here; the numbers they measure at each step are in
 * {@code samples/agents/README.md}.
 */
class SamplePatchesTest
{
    private static final Path PROJECT_ROOT = Path.of("..").toAbsolutePath().normalize(); // surefire: module dir
    private static final Path AGENTS = PROJECT_ROOT.resolve("samples/agents");
    private static final Path PATCHES = AGENTS.resolve("patches");

    @TempDir
    private Path dir;
    private Path repo;

    @BeforeEach
    void copySampleIntoAGitRepository() throws Exception
    {
        repo = dir.resolve("inventory-service");
        final Path sample = PROJECT_ROOT.resolve(OrchestrationDemo.SAMPLE);
        try (Stream<Path> paths = Files.walk(sample))
        {
            for (final Path path : paths.toList())
            {
                final Path to = repo.resolve(sample.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(to);
                }
                else
                {
                    Files.copy(path, to);
                }
            }
        }
        git("init", "-q");
        commitAll("the sample");
    }

    @Test
    void everyPatchAppliesInTheDemosOrderAndTheFixesCloseTheGapsTheAnalysisSees() throws Exception
    {
        final RepositoryAnalysis before = RepositoryAnalyzer.analyze(repo);
        assertTrue(before.complexity().max() >= 10, "the sample starts with a method too complex: " +
            before.complexity());
        assertTrue(before.apiDocs().percent() < 100, "the sample starts with undocumented API");

        applyAndCommit("design");
        assertTrue(Files.isRegularFile(repo.resolve("docs/design/low-stock-alerts.md")));

        parallel("implement-core", "implement-api");
        final RepositoryAnalysis implemented = RepositoryAnalyzer.analyze(repo);
        assertTrue(implemented.complexity().max() >= 10, "the implementation gate must fail on complexity: " +
            implemented.complexity());

        parallel("fix-coverage", "fix-complexity");
        final RepositoryAnalysis fixed = RepositoryAnalyzer.analyze(repo);
        assertTrue(fixed.complexity().max() < 10, "fix-complexity splits the complex method: " + fixed.complexity());
        assertEquals(implemented.apiDocs().total(), fixed.apiDocs().total(), "the fixes add no public API");

        parallel("unit-tests", "integration-tests");
        final RepositoryAnalysis tested = RepositoryAnalyzer.analyze(repo);
        assertTrue(tested.apiDocs().percent() < 100, "documentation is left to the documentation phase");

        applyAndCommit("document");
        final RepositoryAnalysis documented = RepositoryAnalyzer.analyze(repo);
        assertEquals(100.0, documented.apiDocs().percent(), "undocumented: " + documented.apiDocs().undocumented());
        assertTrue(documented.complexity().max() < 10, documented.complexity().toString());
        assertEquals("", git("status", "--porcelain"), "every patch was committed, nothing else changed");
    }

    @Test
    void theAgentPicksTheFixPatchByItsSlugAndReportsWhatItChanged() throws Exception
    {
        applyAndCommit("design");
        parallel("implement-core", "implement-api");

        final JsonNode result = runAgent("implementation.fix-1-complexity", "Optimizer", List.of());

        assertEquals(0, result.path("exit").asInt(), result.toString());
        assertEquals("succeeded", result.path("status").asText(), result.toString());
        assertTrue(result.path("summary").asText().startsWith("applied fix-complexity.patch"), result.toString());
        assertEquals("src/main/java/com/example/inventory/ReorderPolicy.java", result.path("changedFiles").get(0)
            .asText(), result.toString());
        assertTrue(RepositoryAnalyzer.analyze(repo).complexity().max() < 10);
    }

    @Test
    void anAgentThatCrashesOnceLeavesHalfThePatchAndTheNextAttemptCompletesIt() throws Exception
    {
        applyAndCommit("design");
        parallel("implement-core", "implement-api");

        final JsonNode crashed = runAgent("implementation.fix-1-coverage", "Testbed", List.of("--crash-once"));
        assertEquals(137, crashed.path("exit").asInt(), "killed by SIGKILL: " + crashed);
        assertFalse(git("status", "--porcelain").isEmpty(), "half the work is in the worktree");
        assertTrue(Files.exists(dir.resolve("workflow/crashed-Testbed")), "the marker of the crash");

        final JsonNode retried = runAgent("implementation.fix-1-coverage", "Testbed", List.of("--crash-once"));
        assertEquals(0, retried.path("exit").asInt(), "crashes only once per run: " + retried);
        assertTrue(retried.path("summary").asText().contains("already there"), retried.toString());
        assertEquals(2, retried.path("changedFiles").size(), retried.toString());
        assertEquals("", git("apply", "--reverse", "--check", PATCHES.resolve("fix-coverage.patch").toString()),
            "the whole patch is applied");
    }

    @Test
    void theAgentFailsClearlyWhenNoPatchMatchesTheTask() throws Exception
    {
        final JsonNode result = runAgent("documentation.fix-1-readme", "Docgen", List.of());

        assertEquals(1, result.path("exit").asInt(), result.toString());
        assertEquals("failed", result.path("status").asText(), result.toString());
        assertTrue(result.path("error").asText().contains("patches/fix-readme.patch"), result.toString());
    }

    /** Both patches from the same commit, each on a branch of its own, then merged as the phase end does. */
    private void parallel(final String first, final String second) throws Exception
    {
        final String base = git("rev-parse", "HEAD").strip();
        git("checkout", "-q", "-b", second, base);
        applyAndCommit(second);
        git("checkout", "-q", "-b", first, base);
        applyAndCommit(first);
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "merge", "-q", "--no-edit", second);
    }

    private void applyAndCommit(final String task) throws Exception
    {
        final String patch = PATCHES.resolve(task + ".patch").toString();
        git("apply", "--check", patch);
        git("apply", patch);
        commitAll(task);
    }

    private void commitAll(final String message) throws Exception
    {
        git("add", "-A");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "commit",
            "-q", "-m", message);
    }

    /** Runs apply-patch.sh as the orchestrator would; its result.json plus "exit". */
    private JsonNode runAgent(final String taskId, final String agent, final List<String> args) throws Exception
    {
        final Path run = Files.createDirectories(dir.resolve("runs").resolve(taskId + "-" + System.nanoTime()));
        final Path prompt = Files.writeString(run.resolve("prompt.md"), "# Task " + taskId + "\n\nDo it.\n");
        final Path result = run.resolve("result.json");
        final List<String> command = new ArrayList<>(List.of("sh", AGENTS.resolve("apply-patch.sh").toString()));
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile())
            .redirectErrorStream(true).redirectOutput(run.resolve("agent.out").toFile());
        final Map<String, String> env = builder.environment();
        env.put("SWITCHBOARD_TASK_ID", taskId);
        env.put("SWITCHBOARD_AGENT", agent);
        env.put("SWITCHBOARD_PROMPT_FILE", prompt.toString());
        env.put("SWITCHBOARD_RESULT_FILE", result.toString());
        env.put("SWITCHBOARD_RUN_DIR", run.toString());
        env.put("SWITCHBOARD_WORKFLOW_DIR", dir.resolve("workflow").toString());
        final Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "apply-patch.sh did not finish");
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode node = Files.exists(result) ? (ObjectNode)json.readTree(result.toFile()) :
            json.createObjectNode();
        node.put("exit", process.exitValue());
        node.put("output", Files.readString(run.resolve("agent.out")));
        return node;
    }

    private String git(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
            .start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "git " + String.join(" ", args) + " did not finish");
        assertEquals(0, process.exitValue(), "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}
