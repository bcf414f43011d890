/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import dev.switchboard.orchestrator.journal.ChronicleJournal;
import static dev.switchboard.orchestrator.engine.ScriptedHost.GOOD;
import static dev.switchboard.orchestrator.engine.ScriptedHost.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.prompt.TaskOutput;
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
        assertEquals(5, host.steps.stream().filter(step -> step.input() instanceof WorkflowEvent.PhaseMeasured).count(),
            "every phase measured once");
    }

    /**
     * A run by hand through every event of measured gates: outputs, a workspace record, a measurement with details
     * that fails, remediation, a passing second round.
     */
    private static WorkflowEngine measuredRun(final EventJournal journal)
    {
        final WorkflowEngine engine = settings(journal).build();
        engine.start(0);
        engine.onEvent(new WorkflowEvent.WorkspaceRecorded(0, "PhaseStarted", "design", "", "c0ffee", "start"));
        engine.onEvent(new WorkflowEvent.TaskCompleted(MINUTE, "design", Map.of(),
            new TaskOutput("design", "the design", List.of("docs/design.md"), List.of())));
        engine.onEvent(new WorkflowEvent.PhaseMeasured(MINUTE, "design", Map.of(), List.of()));
        engine.onEvent(new WorkflowEvent.TaskCompleted(2 * MINUTE, "implement-core", GOOD,
            new TaskOutput("implement-core", "core", List.of("src/A.java"), List.of())));
        engine.onEvent(new WorkflowEvent.TaskCompleted(3 * MINUTE, "implement-api", GOOD,
            new TaskOutput("implement-api", "api", List.of("src/B.java"), List.of("target/api.html"))));
        engine.onEvent(new WorkflowEvent.WorkspaceRecorded(3 * MINUTE, "TaskMerged", "implementation",
            "implement-core", "beef", ""));
        engine.onEvent(new WorkflowEvent.PhaseMeasured(3 * MINUTE, "implementation", Map.of(), List.of(
            new WorkflowEvent.MeasuredMetric(Metric.TEST_COVERAGE_PERCENT, 40.0, "JaCoCo",
                List.of("src/A.java: missed 3-9", "src/B.java: missed 1-40")),
            new WorkflowEvent.MeasuredMetric(Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0, "analysis", List.of()),
            new WorkflowEvent.MeasuredMetric(Metric.DUPLICATION_PERCENT, 1.0, "analysis", List.of()),
            new WorkflowEvent.MeasuredMetric(Metric.CRITICAL_VULNERABILITIES, 0.0, "SpotBugs", List.of()),
            new WorkflowEvent.MeasuredMetric(Metric.HIGH_VULNERABILITIES, 0.0, "SpotBugs", List.of()))));
        engine.onEvent(new WorkflowEvent.TaskCompleted(4 * MINUTE, "implementation.fix-1-coverage", GOOD,
            new TaskOutput("implementation.fix-1-coverage", "tests", List.of("src/test/ATest.java"), List.of())));
        return engine;
    }

    @Test
    void journalOfMeasuredGatesReplaysToTheSameStateAndOutputs()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final WorkflowEngine original = measuredRun(journal);
        final List<Class<?>> kinds = journal.events().stream().<Class<?>>map(Object::getClass).distinct().toList();
        for (final Class<?> kind : List.of(WorkflowEvent.GatesRequested.class, WorkflowEvent.PhaseMeasured.class,
            WorkflowEvent.GateEvaluated.class, WorkflowEvent.RemediationPlanned.class,
            WorkflowEvent.WorkspaceRecorded.class, WorkflowEvent.TaskCompleted.class))
        {
            assertTrue(kinds.contains(kind), kind.getSimpleName() + " missing from " + journal.events());
        }
        assertTrue(journal.events().stream().anyMatch(e -> e instanceof WorkflowEvent.GateEvaluated g &&
            g.remediating()));

        final WorkflowEngine recovered = WorkflowEngine.recover(journal.copy(), settings(null));

        assertEquals(original.snapshot(), recovered.snapshot());
        assertEquals(original.outputs(), recovered.outputs());
        assertEquals(List.of("design", "implement-core", "implement-api", "implementation.fix-1-coverage"),
            List.copyOf(recovered.outputs().keySet()));
        assertEquals(List.of("target/api.html"), recovered.outputs().get("implement-api").artifacts());
        assertEquals(original.remediationTasks("implementation"), recovered.remediationTasks("implementation"));
        assertEquals(original.task("implementation.fix-1-coverage"),
            recovered.task("implementation.fix-1-coverage"));
        assertEquals(original.gateSummary("implementation"), recovered.gateSummary("implementation"));
        assertEquals(GateState.MEASURING, recovered.gateState("implementation"));

        // both go on alike: round 2 passes
        final WorkflowEvent passing = new WorkflowEvent.PhaseMeasured(5 * MINUTE, "implementation", Map.of(),
            ScriptedHost.measure("implementation", Set.of(Metric.TEST_COVERAGE_PERCENT,
                Metric.CYCLOMATIC_COMPLEXITY_MAX, Metric.DUPLICATION_PERCENT, Metric.CRITICAL_VULNERABILITIES,
                Metric.HIGH_VULNERABILITIES), 2, ScriptedHost.GOOD_TOOLS));
        assertEquals(original.onEvent(passing), recovered.onEvent(passing));
        assertEquals(GateState.PASSED, recovered.gateState("implementation"));
        assertEquals(original.snapshot(), recovered.snapshot());
    }

    @Test
    void workspaceRecordChangesNothing()
    {
        final WorkflowEngine engine = settings(new InMemoryJournal()).build();
        engine.start(0);
        final EngineSnapshot before = engine.snapshot();

        assertEquals(List.of(), engine.onEvent(
            new WorkflowEvent.WorkspaceRecorded(0, "RolledBack", "design", "", "c0ffee", "by hand")));

        assertEquals(before, engine.snapshot());
    }

    @Test
    void recoveredEngineAsksAgainForAMeasurementInFlight()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final WorkflowEngine engine = settings(journal).build();
        engine.start(0);
        final List<EngineCommand> measure = engine.onEvent(new WorkflowEvent.TaskCompleted(MINUTE, "design", GOOD));
        assertTrue(measure.getFirst() instanceof EngineCommand.MeasurePhase, measure::toString);

        // the host died while merging and measuring: the journal ends with GatesRequested
        final WorkflowEngine recovered = WorkflowEngine.recover(journal.copy(), settings(null));

        assertEquals(GateState.MEASURING, recovered.gateState("design"));
        assertEquals(measure, recovered.resume(), "without the MeasurePhase again nobody measures and the run stalls");
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
                c instanceof EngineCommand.ScheduleRetry || c instanceof EngineCommand.EscalateToDirector ||
                c instanceof EngineCommand.MeasurePhase), resumed::toString);
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
