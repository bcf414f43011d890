/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.orchestrator.journal.ChronicleJournal;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coordinate --journal DIR} in this JVM: what it does with a journal that already holds a workflow. */
class CoordinateJournalTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int coordinate(final String workflow)
    {
        err.reset();
        return Main.run(new String[] {"coordinate", "--workflow", workflow, "--repo", dir.toString(),
            "--agents", "2", "--quality-gates", "lenient", "--journal", dir.resolve("journal").toString()},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr()
    {
        return err.toString(StandardCharsets.UTF_8);
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

    @Test
    void rerunOnTheJournalOfACompletedWorkflowReportsItCompleteWithoutRunningAnyTask()
    {
        assertEquals(ExitCodes.OK, coordinate("feature"), stderr());
        final int eventsAfterFirstRun = journal().size();

        assertEquals(ExitCodes.OK, coordinate("feature"), stderr());

        assertTrue(stderr().contains("resuming workflow feature from " + dir.resolve("journal") +
            ": 7 of 7 tasks already complete"), stderr());
        assertEquals(eventsAfterFirstRun, journal().size(), "nothing was decided again");
    }

    @Test
    void journalOfAnotherWorkflowDefinitionIsRefusedWithWhatItHolds()
    {
        assertEquals(ExitCodes.OK, coordinate("feature"), stderr());

        assertEquals(ExitCodes.USAGE, coordinate("bugfix"), stderr());

        assertTrue(stderr().contains("holds workflow 'feature' of definition 'feature', not 'bugfix'"), stderr());
    }
}
