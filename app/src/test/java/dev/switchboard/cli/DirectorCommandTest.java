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
import java.util.concurrent.TimeUnit;

import dev.switchboard.orchestrator.journal.ChronicleJournal;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code coordinate --director Director --router-dir DIR} with a scripted Director in a JVM of its own
 * ({@code director --answers FILE}): its answer to a task that fails for good decides the run, and while it is
 * silent the run keeps serving the other tasks until the timeout gives the default.
 */
@Tag("slow")
class DirectorCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Process director;

    @AfterEach
    void stopDirector() throws InterruptedException
    {
        if (director != null)
        {
            director.destroy(); // SIGTERM: the director deregisters and exits 0
            assertTrue(director.waitFor(20, TimeUnit.SECONDS), "the director did not stop on SIGTERM");
            assertEquals(0, director.exitValue(), "director exit status");
        }
    }

    private Path file(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * Two independent tasks: 'broken' fails on every attempt (its only agent exits 1), 'steady' completes once broken
     * has failed its three attempts.
     */
    private int coordinate(final String answers, final String... more) throws Exception
    {
        // a git repository: each task works in a worktree of its own, so broken's retries never wait for steady
        final Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("README.md"), "# two\n");
        git(repo, "init", "--quiet");
        git(repo, "add", "--all");
        git(repo, "commit", "--quiet", "-m", "start");
        final Path workflow = file("two.yaml", """
            name: two
            phases:
              - id: work
                gates: []
                tasks:
                  - {id: broken, capability: testing, description: "Fails for good"}
                  - {id: steady, capability: implementation, description: "Takes its time"}
            """);
        // steady finishes 2 s after broken's third and last attempt failed, that is, after it was escalated
        final Path attempts = dir.resolve("attempts.log");
        final Path agents = file("agents.yaml", """
            agents:
              - name: Breaker
                capabilities: [testing]
                command: 'sleep 1; echo failed >> %1$s; exit 1'
              - name: Worker
                capabilities: [implementation]
                command: 'while [ "$(cat %1$s 2>/dev/null | wc -l)" -lt 3 ]; do sleep 0.2; done; sleep 2; echo done > steady.txt'
            """.formatted(attempts));
        final Path routerDir = dir.resolve("router");
        director = ChildJvm.builder(Main.class).jvmOptions(JvmFlags.router()).output(dir, "director")
            .args("director", "--router-dir", routerDir.toString(), "--answers", file("answers.txt", answers).toString())
            .start().process();
        final List<String> args = new ArrayList<>(List.of("coordinate", "--workflow", workflow.toString(), "--repo",
            repo.toString(), "--agents-file", agents.toString(), "--run-dir", dir.resolve("run").toString(),
            "--router-dir", routerDir.toString(), "--director", "Director", "--journal",
            dir.resolve("journal").toString(), "--timeout", "120"));
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
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

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String directorOutput() throws IOException
    {
        return Files.readString(dir.resolve("director.out")) + Files.readString(dir.resolve("director.err"));
    }

    /** The director prints what it receives as it comes, so what was sent last may be printed after the run. */
    private String directorOutputWith(final String expected) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!directorOutput().contains(expected) && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        return directorOutput();
    }

    private List<WorkflowEvent> journal()
    {
        final List<WorkflowEvent> events = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal")))
        {
            journal.replay(events::add);
        }
        return events;
    }

    private DirectorDecision decision()
    {
        return journal().stream().filter(WorkflowEvent.DirectorDecided.class::isInstance)
            .map(e -> ((WorkflowEvent.DirectorDecided)e).decision()).findFirst().orElseThrow();
    }

    @Test
    void aDirectorThatAnswersSkipLetsTheWorkflowCompleteWithoutTheTask() throws Exception
    {
        assertEquals(ExitCodes.OK, coordinate("skip it is not needed for this release\n"), err());

        assertEquals(DirectorDecision.skip("it is not needed for this release"), decision());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"status\":\"COMPLETED\""), out.toString());
        assertTrue(directorOutput().contains("escalation {\"type\":\"escalation\""), directorOutput());
        assertTrue(directorOutput().contains("\"taskId\":\"broken\""), directorOutput());
        final String printed = directorOutputWith("report {");
        assertTrue(printed.contains("report {\"type\":\"report\",\"workflowId\":\"two\",\"status\":\"COMPLETED\""),
            "a report at the phase's end: " + printed);
    }

    @Test
    void aDirectorThatAnswersAbortFailsTheWorkflow() throws Exception
    {
        assertEquals(ExitCodes.FAILED, coordinate("abort the test rig is gone\n"), err());

        assertEquals(DirectorDecision.abort("the test rig is gone"), decision());
        assertTrue(err().contains("the Director aborted the workflow at task 'broken': the test rig is gone"), err());
        final String printed = directorOutputWith("EMERGENCY");
        assertTrue(printed.contains("request {\"type\":\"request\",\"kind\":\"EMERGENCY\""),
            "an EMERGENCY request when the workflow fails: " + printed);
    }

    @Test
    void aSilentDirectorGetsTheDefaultAfterTheTimeoutWhileTheOtherTaskCompletes() throws Exception
    {
        assertEquals(ExitCodes.OK, coordinate("", "--director-timeout", "10", "--director-default", "skip"), err());

        final DirectorDecision decision = decision();
        assertEquals(DirectorDecision.Verdict.SKIP, decision.verdict());
        assertTrue(decision.note().startsWith("the default decision (SKIP): the Director 'Director' did not answer " +
            "within 10 s"), decision.note());
        assertTrue(directorOutput().contains("no answer left for broken"), directorOutput());
        final List<WorkflowEvent> events = journal();
        final int escalated = indexOf(events, WorkflowEvent.Escalated.class, "broken");
        final int steadyDone = indexOf(events, WorkflowEvent.TaskCompleted.class, "steady");
        final int decided = indexOf(events, WorkflowEvent.DirectorDecided.class, "broken");
        assertTrue(escalated < steadyDone && steadyDone < decided, "steady completed while the escalation " +
            "waited: escalated at " + escalated + ", steady done at " + steadyDone + ", decided at " + decided);
    }

    private static int indexOf(final List<WorkflowEvent> events, final Class<? extends WorkflowEvent> type,
        final String taskId)
    {
        for (int i = 0; i < events.size(); i++)
        {
            if (type.isInstance(events.get(i)) && events.get(i).toString().contains("taskId=" + taskId + ","))
            {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " of " + taskId + " in " + events);
    }

    @Test
    void directorHelpStartsNothing()
    {
        final ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(ExitCodes.OK, Main.run(new String[] {"director", "--help"},
            new PrintStream(help, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        final String text = help.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--router-dir") && text.contains("--answers") && text.contains("--plan"), text);
    }
}
