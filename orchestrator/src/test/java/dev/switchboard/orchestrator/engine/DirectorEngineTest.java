/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.engine.EngineCommand.AssignTask;
import dev.switchboard.orchestrator.engine.EngineCommand.MeasurePhase;
import dev.switchboard.orchestrator.engine.WorkflowEvent.DirectorDecided;
import dev.switchboard.orchestrator.engine.WorkflowEvent.DirectorGuidance;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GateOverride;
import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskCompleted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskFailed;
import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.Threshold;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/**
 * The Director's decisions and guidance in the engine: REASSIGN and REPLAN, gate overrides, the limit on tasks at
 * once, ranks; each journaled so that replay rebuilds the same state.
 */
class DirectorEngineTest
{
    private static final long MINUTE = 60_000;
    private static final QualityGates SLOW_IS_BLOCKING = QualityGates.of(List.of(new QualityGate("performance",
        List.of(Threshold.atMost(Metric.P95_RESPONSE_MS, 100)), Enforcement.BLOCKING)));

    private final InMemoryJournal journal = new InMemoryJournal();

    private static WorkflowDefinition build(final String... taskIds)
    {
        final PhaseDefinition.Builder phase = PhaseDefinition.builder("build").gates("performance");
        for (final String id : taskIds)
        {
            phase.task(TaskDefinition.builder(id, "implementation").build());
        }
        return WorkflowDefinition.builder("director").phase(phase.build()).buildChecked();
    }

    private WorkflowEngine.Builder settings(final WorkflowDefinition definition)
    {
        final List<Candidate> agents = new ArrayList<>();
        for (final String name : List.of("ada", "bob", "cy"))
        {
            agents.add(new Candidate(name, 0, Set.of("implementation"), 0, 1, 0, 0));
        }
        return WorkflowEngine.builder(definition).workflowId("wf").candidates(agents).qualityGates(SLOW_IS_BLOCKING)
            .retryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).remediationRounds(0)
            .journal(journal);
    }

    /** Fails task 'a' on every agent it is given until the engine escalates it. */
    private static void failUntilEscalated(final WorkflowEngine engine, final long atMs)
    {
        for (int i = 0; i < 5 && engine.snapshot().task("a").state() != TaskState.ESCALATED; i++)
        {
            engine.onEvent(new TaskFailed(atMs + i, "a", "AGENT_CRASHED", "crashed"));
        }
        assertEquals(TaskState.ESCALATED, engine.snapshot().task("a").state());
    }

    private void assertReplaysToTheSameState(final WorkflowEngine engine, final WorkflowDefinition definition)
    {
        final WorkflowEngine replayed = WorkflowEngine.recover(journal, settings(definition));
        assertEquals(engine.snapshot(), replayed.snapshot());
        assertEquals(engine.gateOverrides(), replayed.gateOverrides());
        assertEquals(engine.taskLimit(), replayed.taskLimit());
        assertEquals(engine.riskNotes(), replayed.riskNotes());
    }

    @Test
    void reassignPutsTheTaskOnTheNamedAgentAtAttemptOne()
    {
        final WorkflowDefinition definition = build("a");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0);
        failUntilEscalated(engine, MINUTE);

        final List<EngineCommand> commands = engine.onEvent(new DirectorDecided(2 * MINUTE, "a",
            DirectorDecision.reassign("ada", "ada has the fixture now")));

        assertEquals(List.of(new AssignTask("a", "ada", "implementation", 1)), commands);
        assertEquals("reassigned by the Director to ada", engine.snapshot().task("a").note());
        assertReplaysToTheSameState(engine, definition);
    }

    @Test
    void reassignToAnUnknownAgentGoesToTheBestOtherOneAndSaysWhy()
    {
        final WorkflowDefinition definition = build("a");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0);
        failUntilEscalated(engine, MINUTE);

        final List<EngineCommand> commands = engine.onEvent(new DirectorDecided(2 * MINUTE, "a",
            DirectorDecision.reassign("zed", "")));

        final AssignTask assigned = (AssignTask)commands.getFirst();
        assertTrue(Set.of("ada", "bob", "cy").contains(assigned.agentName()), assigned.toString());
        assertTrue(engine.snapshot().task("a").note().contains("no agent 'zed' in the workflow"),
            engine.snapshot().task("a").note());
        assertReplaysToTheSameState(engine, definition);
    }

    @Test
    void replanReturnsTheTaskWithEveryAgentAllowedAgain()
    {
        final WorkflowDefinition definition = build("a");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0);
        failUntilEscalated(engine, MINUTE);
        assertTrue(engine.snapshot().task("a").agentsTried().size() >= 2, engine.snapshot().task("a").toString());

        engine.onEvent(new DirectorDecided(2 * MINUTE, "a", DirectorDecision.replan("split the fixture first")));

        assertEquals(TaskState.ASSIGNED, engine.snapshot().task("a").state());
        assertEquals(List.of(), engine.snapshot().task("a").agentsTried());
        assertReplaysToTheSameState(engine, definition);
    }

    @Test
    void aGateOverrideToWarningLetsAPhasePassThatItsBlockingGateFailed()
    {
        final WorkflowDefinition definition = build("a");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0);
        engine.onEvent(new DirectorGuidance(MINUTE / 2, Map.of(), null, null, List.of(new GateOverride("performance",
            Enforcement.WARNING, "the load test rig is down this week")), List.of("latency unknown")));
        final List<EngineCommand> measure = engine.onEvent(new TaskCompleted(MINUTE, "a", Map.of(), null));
        assertTrue(measure.stream().anyMatch(MeasurePhase.class::isInstance), measure.toString());

        engine.onEvent(new PhaseMeasured(2 * MINUTE, "build", Map.of(), List.of(new MeasuredMetric(
            Metric.P95_RESPONSE_MS, 450.0, "k6", List.of()))));

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertEquals(Enforcement.WARNING, engine.gateOverrides().get("performance").enforcement());
        assertTrue(journal.events().stream().anyMatch(e -> e instanceof DirectorGuidance g &&
            g.gateOverrides().getFirst().reason().equals("the load test rig is down this week")));
        assertReplaysToTheSameState(engine, definition);
    }

    @Test
    void withoutTheOverrideTheSameMeasurementFailsTheBlockingGate()
    {
        final WorkflowDefinition definition = build("a");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0);
        engine.onEvent(new TaskCompleted(MINUTE, "a", Map.of(), null));

        engine.onEvent(new PhaseMeasured(2 * MINUTE, "build", Map.of(), List.of(new MeasuredMetric(
            Metric.P95_RESPONSE_MS, 450.0, "k6", List.of()))));

        assertEquals(GateState.FAILED, engine.gateState("build"));
        assertTrue(engine.status() != WorkflowStatus.COMPLETED);
    }

    @Test
    void noParallelExecutionKeepsOneTaskAssignedAtATimeInRankOrder()
    {
        final WorkflowDefinition definition = build("a", "b", "c", "d", "e");
        final WorkflowEngine engine = settings(definition).build();
        engine.start(0); // three free agents: a, b and c at once
        engine.onEvent(new DirectorGuidance(1, Map.of("e", 1), null, false, List.of(), List.of()));

        assertEquals(List.of(), engine.onEvent(new TaskCompleted(MINUTE, "a", Map.of(), null)));
        assertEquals(List.of(), engine.onEvent(new TaskCompleted(MINUTE, "b", Map.of(), null)));
        final List<EngineCommand> afterC = engine.onEvent(new TaskCompleted(MINUTE, "c", Map.of(), null));

        assertEquals(1, afterC.size(), afterC.toString());
        assertEquals("e", ((AssignTask)afterC.getFirst()).taskId(), "e ranks first");
        assertEquals(TaskState.PENDING, engine.snapshot().task("d").state());
        final List<EngineCommand> afterE = engine.onEvent(new TaskCompleted(2 * MINUTE, "e", Map.of(), null));
        assertEquals("d", ((AssignTask)afterE.getFirst()).taskId());
        assertEquals(1, engine.taskLimit());
        assertReplaysToTheSameState(engine, definition);
    }

    @Test
    void guidanceNamingAnUnknownGateOrTaskIsRefusedAndChangesNothing()
    {
        final WorkflowEngine engine = settings(build("a")).build();
        engine.start(0);

        assertThrows(IllegalArgumentException.class, () -> engine.onEvent(new DirectorGuidance(1, Map.of(), null,
            null, List.of(new GateOverride("speed", Enforcement.WARNING, "typo")), List.of())));
        assertThrows(IllegalArgumentException.class, () -> engine.onEvent(new DirectorGuidance(1, Map.of("zz", 1),
            null, null, List.of(), List.of())));
        assertEquals(Map.of(), engine.gateOverrides());
        assertTrue(journal.events().stream().noneMatch(DirectorGuidance.class::isInstance));
    }

    @Test
    void guidanceAndTheNewDecisionsRoundTripThroughTheCodec()
    {
        final DirectorGuidance guidance = new DirectorGuidance(5, Map.of("build", 1), 2, false,
            List.of(new GateOverride("performance", Enforcement.WARNING, "rig down")), List.of("latency unknown"));
        assertEquals(guidance, EventCodec.fromJson(EventCodec.toJson(guidance)));
        final DirectorDecided reassign = new DirectorDecided(6, "a", DirectorDecision.reassign("ada", "has it"));
        assertEquals(reassign, EventCodec.fromJson(EventCodec.toJson(reassign)));
        final DirectorDecided replan = new DirectorDecided(7, "a", DirectorDecision.replan("later"));
        assertEquals(replan, EventCodec.fromJson(EventCodec.toJson(replan)));
        // a decision journaled before REASSIGN existed has no agent field
        assertEquals(new DirectorDecided(8, "a", DirectorDecision.skip("old")), EventCodec.fromJson(
            "{\"type\":\"DirectorDecided\",\"timestampMs\":8,\"taskId\":\"a\",\"decision\":" +
                "{\"verdict\":\"SKIP\",\"note\":\"old\"}}"));
    }
}
