/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import dev.switchboard.orchestrator.journal.ChronicleJournal;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable state, with real processes: {@code coordinate --journal DIR} is killed with SIGKILL mid-workflow, started
 * again on the same journal, and finishes the workflow without running the tasks it had already completed.
 */
@Tag("slow")
class CoordinateCrashRecoveryTest
{
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final java.util.regex.Pattern TASKS_DONE = java.util.regex.Pattern.compile("\\((\\d+)/(\\d+) tasks\\)");
    private static final int DONE_BEFORE_KILL = 2;

    @TempDir
    Path dir;

    @Test
    void coordinateKilledMidWorkflowResumesFromItsJournalWithoutRerunningCompletedTasks() throws Exception
    {
        final Path scope = Files.createDirectories(dir.resolve("scope"));
        final Path journalDir = dir.resolve("journal");

        final Process first = coordinate(scope, journalDir, "first");
        try
        {
            awaitTasksDone(first, dir.resolve("first.err"), DONE_BEFORE_KILL);
        }
        finally
        {
            first.destroyForcibly(); // SIGKILL: no shutdown hooks, no orderly close of the journal
            assertTrue(first.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "first child did not die");
        }

        final List<WorkflowEvent> beforeRestart = journal(journalDir);
        final Set<String> completedBeforeKill = completedTasks(beforeRestart);
        assertTrue(completedBeforeKill.size() >= DONE_BEFORE_KILL,
            "the first run completed " + completedBeforeKill + " before the kill; its stderr:\n" +
                read(dir.resolve("first.err")));
        assertTrue(beforeRestart.stream().noneMatch(WorkflowEvent.WorkflowCompleted.class::isInstance),
            "the first run was killed too late: the workflow had already completed");

        final Process second = coordinate(scope, journalDir, "second");
        final boolean exited = second.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited)
        {
            second.destroyForcibly();
            fail("second run did not finish within " + CHILD_TIMEOUT + "; stderr:\n" + read(dir.resolve("second.err")));
        }
        final String secondErr = read(dir.resolve("second.err"));
        final String secondOut = read(dir.resolve("second.out"));
        assertEquals(0, second.exitValue(), "second run's exit code; stderr:\n" + secondErr);
        assertTrue(secondOut.contains("\"status\":\"COMPLETED\"") || secondOut.contains("\"status\" : \"COMPLETED\""),
            "JSON report of the second run: " + secondOut);
        assertTrue(secondErr.contains("resuming workflow feature from " + journalDir + ": "),
            "second run says it resumes; stderr:\n" + secondErr);

        final List<WorkflowEvent> all = journal(journalDir);
        assertEquals(1, all.stream().filter(WorkflowEvent.WorkflowStarted.class::isInstance).count(),
            "the resumed run continues the recorded workflow instead of starting another");
        final Map<String, Integer> completions = new TreeMap<>();
        all.stream().filter(WorkflowEvent.TaskCompleted.class::isInstance).map(WorkflowEvent.TaskCompleted.class::cast)
            .forEach(done -> completions.merge(done.taskId(), 1, Integer::sum));
        final Set<String> allTasks = new TreeSet<>(
            WorkflowTemplates.feature().tasks().stream().map(TaskDefinition::id).toList());
        assertEquals(allTasks, completions.keySet(), "every task completed");
        completions.forEach((task, n) -> assertEquals(1, n, task + " completed " + n + " times"));

        // the events the second run appended (the journal as the kill left it is their prefix) never touch a task
        // that had completed before the kill: it is neither assigned, started nor completed again
        final List<WorkflowEvent> afterRestart = all.subList(beforeRestart.size(), all.size());
        assertEquals(beforeRestart, all.subList(0, beforeRestart.size()), "the journal before the restart is kept");
        for (final WorkflowEvent event : afterRestart)
        {
            final String task = switch (event)
            {
                case WorkflowEvent.TaskAssigned e -> e.taskId();
                case WorkflowEvent.TaskStarted e -> e.taskId();
                case WorkflowEvent.TaskCompleted e -> e.taskId();
                default -> null;
            };
            assertFalse(task != null && completedBeforeKill.contains(task),
                task + " completed before the kill but the resumed run recorded " + event);
        }
        assertTrue(afterRestart.stream().anyMatch(WorkflowEvent.WorkflowCompleted.class::isInstance));
    }

    private Process coordinate(final Path scope, final Path journalDir, final String name) throws IOException
    {
        return ChildJvm.builder(Main.class).jvmOptions(JvmFlags.router()).output(dir, name)
            .args("coordinate", "--workflow", "feature", "--repo", scope.toString(), "--agents", "2",
                "--parallel-tracks", "1", "--journal", journalDir.toString(), "--task-duration-ms", "400",
                "--quality-gates", "lenient")
            .start().process();
    }

    private static void awaitTasksDone(final Process child, final Path err, final int tasks)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline)
        {
            final Matcher matcher = TASKS_DONE.matcher(read(err));
            while (matcher.find())
            {
                if (Integer.parseInt(matcher.group(1)) >= tasks)
                {
                    return;
                }
            }
            if (!child.isAlive())
            {
                fail("coordinate exited with " + child.exitValue() + " before " + tasks + " tasks completed; " +
                    "stderr:\n" + read(err));
            }
            Thread.sleep(20);
        }
        fail("coordinate did not complete " + tasks + " tasks within " + CHILD_TIMEOUT + "; stderr:\n" + read(err));
    }

    private static List<WorkflowEvent> journal(final Path journalDir)
    {
        final List<WorkflowEvent> events = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(journalDir))
        {
            journal.replay(events::add);
        }
        return events;
    }

    private static Set<String> completedTasks(final List<WorkflowEvent> events)
    {
        final Set<String> done = new TreeSet<>();
        events.stream().filter(WorkflowEvent.TaskCompleted.class::isInstance)
            .forEach(e -> done.add(((WorkflowEvent.TaskCompleted)e).taskId()));
        return done;
    }

    private static String read(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
