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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code coordinate} with named agents that are real {@code sh} processes, on real repositories: merge conflicts,
 * remediation of a measured gate, path locks outside git, a timed-out agent's process tree, and the rollback of a
 * failed phase. No Maven: the gates used here are measured without it (README completeness, comments, API docs, a
 * reviewer's verdict).
 */
class CoordinateWorkspaceTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int coordinate(final Path repo, final Path workflow, final Path agents, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("coordinate", "--workflow", workflow.toString(), "--repo",
            repo.toString(), "--agents-file", agents.toString(), "--run-dir", dir.resolve("run").toString(),
            "--timeout", "120"));
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String git(final Path repo, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
            "user.email=test@example.invalid"));
        command.addAll(List.of(args));
        final Process git = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        final String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }

    private Path gitRepository(final String... files) throws IOException, InterruptedException
    {
        final Path repo = Files.createDirectories(dir.resolve("repo"));
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

    private Path file(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aConflictingTaskFailsWithMergeConflictAndIsRunAgainFromTheMergedHead() throws Exception
    {
        final Path repo = gitRepository("shared.txt", "base\n");
        final Path workflow = file("clash.yaml", """
            name: clash
            phases:
              - id: edit
                tasks:
                  - {id: left, capability: implementation, description: "Write your id into shared.txt"}
                  - {id: right, capability: implementation, description: "Write your id into shared.txt"}
            """);
        final Path agents = file("agents.yaml", """
            agents:
              - name: Ada
                capabilities: [implementation]
                command: 'printf "%s\\n" "$SWITCHBOARD_TASK_ID" > shared.txt'
              - name: Bob
                capabilities: [implementation]
                command: 'printf "%s\\n" "$SWITCHBOARD_TASK_ID" > shared.txt'
            """);

        assertEquals(ExitCodes.OK, coordinate(repo, workflow, agents), err());

        assertTrue(err().contains("merge conflicts"), err());
        assertTrue(err().contains("conflicts with work merged before it in [shared.txt]"), err());
        // left merged first (task-id order); right, run again from the merged head, replaced it
        assertEquals("right\n", Files.readString(repo.resolve("shared.txt")));
        final String log = git(repo, "log", "--oneline", "--first-parent");
        assertTrue(log.contains("Merge task left"), log);
        assertTrue(log.contains("Merge task right"), log);
        assertEquals("", git(repo, "status", "--porcelain", "--untracked-files=no"));
    }

    @Test
    void aGateFailsOnWhatIsMeasuredNotOnWhatTheAgentSaysAndItsRemediationTaskFixesIt() throws Exception
    {
        final Path repo = gitRepository(
            "README.md", "# Widget\n",
            "src/main/java/w/Widget.java", """
                package w;

                /**
                 * A widget: documented, so the API docs and comment ratio pass and only the README is short.
                 * It has no behaviour worth testing; it exists to be measured.
                 */
                public final class Widget
                {
                    /** @return its name. */
                    public String name()
                    {
                        return "widget";
                    }
                }
                """);
        final Path workflow = file("docs.yaml", """
            name: docs
            phases:
              - id: write
                gates: [documentation]
                tasks:
                  - {id: readme, capability: implementation, description: "Complete the README of ${repo}"}
            """);
        final Path agents = file("agents.yaml", """
            agents:
              - name: Boaster
                capabilities: [implementation]
                command: 'echo "{\\"summary\\": \\"The README is complete: 100 %.\\"}" > "$SWITCHBOARD_RESULT_FILE"'
              - name: Docgen
                capabilities: [documentation]
                command: 'grep -q "README_COMPLETE_PERCENT" "$SWITCHBOARD_PROMPT_FILE" && printf "# Widget\\n\\nA widget that has a name.\\n\\n## Build\\n\\nmvn package\\n\\n## Usage\\n\\nnew Widget().name()\\n\\n## Tests\\n\\nmvn test\\n" > README.md'
            """);

        assertEquals(ExitCodes.OK, coordinate(repo, workflow, agents, "--quality-gates", "strict"), err());

        assertTrue(err().contains("README_COMPLETE_PERCENT: 20 %"), "measured, whatever Boaster said: " + err());
        assertTrue(err().contains("remediation tasks: [write.fix-1-readme]"), err());
        assertTrue(err().contains("README_COMPLETE_PERCENT: 100 %"), err());
        assertTrue(Files.readString(repo.resolve("README.md")).contains("## Tests"));
        final Path prompt;
        try (var paths = Files.walk(dir.resolve("run").resolve("tasks").resolve("write.fix-1-readme")))
        {
            prompt = paths.filter(p -> p.getFileName().toString().equals("prompt.md")).findFirst().orElseThrow();
        }
        final String text = Files.readString(prompt);
        assertTrue(text.contains("README_COMPLETE_PERCENT: 20 % (README.md"), "the shortfall is the context: " + text);
        assertTrue(text.contains("missing: build/install"), text);
    }

    @Test
    void outsideGitTasksWhosePathsOverlapNeverRunAtOnce() throws Exception
    {
        final Path repo = Files.createDirectories(dir.resolve("plain"));
        final Path workflow = file("locks.yaml", """
            name: locks
            phases:
              - id: edit
                tasks:
                  - {id: one, capability: implementation, paths: ["docs/**"]}
                  - {id: two, capability: implementation, paths: [docs/guide.md]}
            """);
        final Path agents = file("agents.yaml", """
            agents:
              - name: Ada
                capabilities: [implementation]
                command: 'echo "start $SWITCHBOARD_TASK_ID $(date +%s%N)" >> ../log; sleep 1; echo "end $SWITCHBOARD_TASK_ID $(date +%s%N)" >> ../log'
              - name: Bob
                capabilities: [implementation]
                command: 'echo "start $SWITCHBOARD_TASK_ID $(date +%s%N)" >> ../log; sleep 1; echo "end $SWITCHBOARD_TASK_ID $(date +%s%N)" >> ../log'
            """);

        assertEquals(ExitCodes.OK, coordinate(repo, workflow, agents), err());

        final List<String> log = Files.readAllLines(dir.resolve("log"));
        assertEquals(4, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("start") && log.get(1).startsWith("end") &&
            log.get(0).split(" ")[1].equals(log.get(1).split(" ")[1]), "one ran, then the other: " + log);
        assertTrue(Long.parseLong(log.get(1).split(" ")[2]) <= Long.parseLong(log.get(2).split(" ")[2]), log.toString());
        assertTrue(err().contains("waits:"), err());
    }

    @Test
    @Tag("slow")
    void aTimedOutTaskHasItsAgentsProcessTreeStoppedAndRunsOnAnotherAgent() throws Exception
    {
        final Path repo = gitRepository("README.md", "# r\n");
        final Path workflow = file("slow.yaml", """
            name: slow
            phases:
              - id: work
                tasks:
                  - {id: job, capability: implementation}
            """);
        final String command = "'if [ ! -e \"$SWITCHBOARD_WORKFLOW_DIR/first\" ]; then touch \"$SWITCHBOARD_WORKFLOW_DIR/first\";" +
            " sleep 300 & echo $! > \"$SWITCHBOARD_WORKFLOW_DIR/grandchild.pid\"; wait; fi; echo done > done.txt'";
        final Path agents = file("agents.yaml", "agents:\n" +
            "  - name: Ada\n    capabilities: [implementation]\n    command: " + command + "\n" +
            "  - name: Bob\n    capabilities: [implementation]\n    command: " + command + "\n");

        assertEquals(ExitCodes.OK, coordinate(repo, workflow, agents, "--task-timeout", "3"), err());

        assertTrue(err().contains("TASK_TIMEOUT") || err().contains("CANCELLED"), err());
        assertEquals("done\n", Files.readString(repo.resolve("done.txt")));
        final long pid = Long.parseLong(Files.readString(dir.resolve("run").resolve("grandchild.pid")).strip());
        final Optional<ProcessHandle> grandchild = ProcessHandle.of(pid);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (grandchild.isPresent() && grandchild.get().isAlive() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertFalse(grandchild.isPresent() && grandchild.get().isAlive(), "the timed-out attempt's grandchild " +
            pid + " was stopped");
    }

    @Test
    void thePerformanceGateMeasuresTheCommandThePhaseNames() throws Exception
    {
        final Path repo = gitRepository("README.md", "# r\n");
        final Path workflow = file("perf.yaml", """
            name: perf
            phases:
              - id: tune
                gates: [performance]
                performance: sleep 0.02
                tasks:
                  - {id: tune, capability: optimization}
            """);
        final Path agents = file("agents.yaml", """
            agents:
              - name: Optimizer
                capabilities: [optimization]
                command: 'echo tuned > tuned.txt'
            """);

        assertEquals(ExitCodes.OK, coordinate(repo, workflow, agents, "--perf-runs", "5"), err());

        final String p95 = err().lines().filter(line -> line.strip().startsWith("P95_RESPONSE_MS: ")).findFirst()
            .orElseThrow(() -> new AssertionError("no P95 measured: " + err()));
        final double ms = Double.parseDouble(p95.strip().split(" ")[1]);
        assertTrue(ms >= 20 && ms < 5_000, "p95 of sleep 0.02 over 5 runs: " + p95);
        assertTrue(err().contains("MEMORY_MB: ") && !err().contains("MEMORY_MB: not measured"), err());
    }

    @Test
    void aFailedWorkflowRollsItsUnfinishedPhaseBackWithGitReset() throws Exception
    {
        final Path repo = gitRepository("README.md", "# r\n");
        final Path workflow = file("rollback.yaml", """
            name: rollback
            phases:
              - id: first
                tasks:
                  - {id: base, capability: implementation}
              - id: second
                gates: [review]
                tasks:
                  - {id: risky, capability: implementation, dependsOn: [base]}
            """);
        final Path agents = file("agents.yaml", """
            agents:
              - name: Ada
                capabilities: [implementation]
                command: 'echo "$SWITCHBOARD_TASK_ID" > "$SWITCHBOARD_TASK_ID.txt"'
              - name: Critic
                capabilities: [review]
                command: 'echo "{\\"verdict\\": \\"reject\\", \\"findings\\": [\\"risky.txt:1 not wanted\\"]}" > "$SWITCHBOARD_RESULT_FILE"'
            """);

        assertEquals(ExitCodes.FAILED, coordinate(repo, workflow, agents), err());

        assertTrue(err().contains("REVIEW_APPROVED: 0 (reviewer Critic: reject"), err());
        assertTrue(err().contains("rolled phase second back: git reset --hard"), err());
        assertTrue(Files.exists(repo.resolve("base.txt")), "the first phase passed and stays");
        assertFalse(Files.exists(repo.resolve("risky.txt")), "the failed phase is undone");
        assertEquals("", git(repo, "status", "--porcelain", "--untracked-files=no"));
    }
}
