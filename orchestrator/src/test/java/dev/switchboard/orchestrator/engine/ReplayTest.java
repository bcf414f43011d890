/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.orchestrator.recovery.ContextUnits;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.recovery.TaskDecomposer;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest
{
    /**
     * design retried; implement-core moves agent; unit-tests (decomposable) times out on both testers and is split;
     * integration-tests escalates.
     */
    private static final Map<String, String> FAILURES = Map.ofEntries(
        Map.entry("design#1", "TIMEOUT"),
        Map.entry("implement-core#1", "CRASH"),
        Map.entry("implement-core#2", "CRASH"),
        Map.entry("unit-tests#1", WorkflowRuntime.TASK_TIMEOUT),
        Map.entry("unit-tests#2", WorkflowRuntime.TASK_TIMEOUT),
        Map.entry("integration-tests#1", "CRASH"),
        Map.entry("integration-tests#2", "CRASH"),
        Map.entry("integration-tests#3", "CRASH"),
        Map.entry("integration-tests#4", "CRASH"));

    private static WorkflowEngine.Builder settings(final EventJournal journal)
    {
        final WorkflowEngine.Builder builder = WorkflowEngine.builder(WorkflowTemplates.feature())
            .workflowId("wf-replay")
            .candidates(ScriptedHost.threeAgents())
            .retryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).build())
            .decomposer(TaskDecomposer.byContext(task -> List.of(
                new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/A.java", "src/A.java"),
                new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/B.java", "src/B.java")),
                TaskDecomposer.DEFAULT_PARTS));
        return journal == null ? builder : builder.journal(journal);
    }

    @Test
    void scriptedRunWithFailuresCompletes()
    {
        final WorkflowEngine engine = settings(new InMemoryJournal()).build();
        final ScriptedHost host = new ScriptedHost(engine, FAILURES);
        host.start(0);
        host.run(200);

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertTrue(host.allCommands.stream().anyMatch(c -> c instanceof EngineCommand.ScheduleRetry));
        assertTrue(host.allCommands.stream().anyMatch(c -> c instanceof EngineCommand.EscalateToDirector));
        assertTrue(host.steps.stream().flatMap(step -> step.commands().stream())
            .anyMatch(c -> c instanceof EngineCommand.AssignTask a && a.taskId().equals("unit-tests.part-1")));
    }

    @Test
    void replayedJournalRebuildsTheSameStateAndContinuesWithTheSameCommands()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final WorkflowEngine original = settings(journal).build();
        final ScriptedHost host = new ScriptedHost(original, FAILURES);
        host.start(0);
        host.run(200);
        final List<ScriptedHost.Step> steps = host.steps;

        for (final int cut : List.of(3, steps.size() / 2, steps.size() - 2))
        {
            // Rebuild from the history as it stood after step `cut`, then feed the remaining inputs.
            final InMemoryJournal liveJournal = new InMemoryJournal();
            final WorkflowEngine live = settings(liveJournal).build();
            final ScriptedHost prefix = new ScriptedHost(live, FAILURES);
            prefix.start(0);
            prefix.run(cut);
            final InMemoryJournal copy = liveJournal.copy();

            final WorkflowEngine recovered = WorkflowEngine.recover(copy, settings(null));
            assertEquals(live.snapshot(), recovered.snapshot(), "state after step " + cut);

            final List<EngineCommand> resumed = recovered.resume();
            assertTrue(resumed.stream().allMatch(c -> c instanceof EngineCommand.AssignTask ||
                c instanceof EngineCommand.ScheduleRetry || c instanceof EngineCommand.EscalateToDirector), resumed::toString);
            for (int i = cut; i < steps.size(); i++)
            {
                assertEquals(steps.get(i).commands(), recovered.onEvent(steps.get(i).input()), "step " + i);
            }
            assertEquals(original.snapshot(), recovered.snapshot());
            assertEquals(journal.events(), copy.events());
        }
    }

    @Test
    void recoveredEngineReissuesAssignmentsInFlight()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final WorkflowEngine engine = settings(journal).build();
        engine.start(0);
        engine.onEvent(new WorkflowEvent.TaskStarted(1000, "design"));

        final WorkflowEngine recovered = WorkflowEngine.recover(journal.copy(), settings(null));

        assertEquals(List.of(new EngineCommand.AssignTask("design", "ada", "design", 1)), recovered.resume());
        assertEquals(TaskState.RUNNING, recovered.snapshot().task("design").state());
    }

    @Test
    void recoveryRejectsAJournalOfAnotherDefinition()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        settings(journal).build().start(0);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> WorkflowEngine.recover(
            journal, WorkflowEngine.builder(WorkflowTemplates.bugfix())));
        assertTrue(ex.getMessage().contains("'feature', not 'bugfix'"), ex.getMessage());
    }

    @Test
    void everyEventSurvivesItsJsonForm()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final ScriptedHost host = new ScriptedHost(settings(journal).build(), FAILURES);
        host.start(0);
        host.run(200);

        for (final WorkflowEvent event : journal.events())
        {
            final String json = EventCodec.toJson(event);
            assertTrue(json.startsWith("{\"type\":\"" + event.getClass().getSimpleName() + "\""), json);
            assertEquals(event, EventCodec.fromJson(json));
        }
    }

    @Test
    void chronicleJournalReplaysToTheSameStateAsTheInMemoryOne(@TempDir final Path dir)
    {
        assumeTrue(DurableQueues.available(), DurableQueues::unavailableReason);
        final InMemoryJournal memory = new InMemoryJournal();
        final WorkflowEngine inMemory = settings(memory).build();
        final ScriptedHost memoryHost = new ScriptedHost(inMemory, FAILURES);
        memoryHost.start(0);
        memoryHost.run(20);

        try (ChronicleJournal chronicle = ChronicleJournal.open(dir.resolve("wf-replay")))
        {
            final ScriptedHost chronicleHost = new ScriptedHost(settings(chronicle).build(), FAILURES);
            chronicleHost.start(0);
            chronicleHost.run(20);
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir.resolve("wf-replay")))
        {
            final List<WorkflowEvent> replayed = new ArrayList<>();
            reopened.replay(replayed::add);
            assertEquals(memory.events(), replayed);
            assertEquals(inMemory.snapshot(), WorkflowEngine.recover(reopened, settings(null)).snapshot());
            assertEquals(WorkflowEngine.recover(memory.copy(), settings(null)).snapshot(), inMemory.snapshot());
        }
    }
}
