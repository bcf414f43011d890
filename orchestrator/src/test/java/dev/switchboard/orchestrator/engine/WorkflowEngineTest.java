/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import static dev.switchboard.orchestrator.engine.ScriptedHost.GOOD;
import static dev.switchboard.orchestrator.engine.ScriptedHost.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.engine.EngineCommand.AssignTask;
import dev.switchboard.orchestrator.engine.EngineCommand.EscalateToDirector;
import dev.switchboard.orchestrator.engine.EngineCommand.EvaluateGates;
import dev.switchboard.orchestrator.engine.EngineCommand.ScheduleRetry;
import dev.switchboard.orchestrator.engine.WorkflowEvent.DirectorDecided;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RetryTimerFired;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskCompleted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskFailed;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskStarted;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.recovery.ContextUnits;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.recovery.TaskDecomposer;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import org.junit.jupiter.api.Test;

class WorkflowEngineTest
{
    private static final RetryOptions ONE_ATTEMPT = RetryOptions.newBuilder().setMaximumAttempts(1).build();
    /** The runtime's timeout: another agent, then decomposition. */
    private static final String TIMEOUT = WorkflowRuntime.TASK_TIMEOUT;
    /** Splits a task by the two files its context names. */
    private static final TaskDecomposer TWO_FILES = TaskDecomposer.byContext(task -> List.of(
        new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/core/Parser.java", "src/core/Parser.java"),
        new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/core/Printer.java", "src/core/Printer.java")),
        TaskDecomposer.DEFAULT_PARTS);

    private final InMemoryJournal journal = new InMemoryJournal();

    private WorkflowEngine.Builder feature(final List<Candidate> candidates, final RetryOptions retry)
    {
        return WorkflowEngine.builder(WorkflowTemplates.feature()).workflowId("wf-1").candidates(candidates)
            .qualityGates(QualityGates.defaults()).retryOptions(retry).journal(journal);
    }

    private WorkflowEngine startedFeature(final RetryOptions retry)
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), retry).build();
        assertEquals(List.of(new AssignTask("design", "ada", "design", 1)), engine.start(0));
        return engine;
    }

    private static List<EngineCommand> complete(final WorkflowEngine engine, final long atMs, final String taskId)
    {
        return engine.onEvent(new TaskCompleted(atMs, taskId, GOOD));
    }

    /** The one {@code MeasurePhase} among the commands. */
    static EngineCommand.MeasurePhase measureCommand(final List<EngineCommand> commands)
    {
        final List<EngineCommand.MeasurePhase> measures = commands.stream()
            .filter(EngineCommand.MeasurePhase.class::isInstance).map(EngineCommand.MeasurePhase.class::cast).toList();
        assertEquals(1, measures.size(), commands::toString);
        return measures.getFirst();
    }

    /**
     * The host's answer to a {@code MeasurePhase}: every metric the phase's gates read, at its GOOD value unless
     * {@code values} has it (a null value: not measured).
     */
    private static List<EngineCommand> measured(final WorkflowEngine engine, final long atMs,
        final EngineCommand.MeasurePhase command, final Map<Metric, Double> values)
    {
        return engine.onEvent(new PhaseMeasured(atMs, command.phaseId(), Map.of(),
            ScriptedHost.measure(command.phaseId(), command.metrics(), command.round(), (phase, round, metric) ->
                values.containsKey(metric) ? values.get(metric) : GOOD.get(metric))));
    }

    /** Completes a task that ends its phase and measures the phase as GOOD; returns the measurement's commands. */
    private static List<EngineCommand> completeAndMeasure(final WorkflowEngine engine, final long atMs,
        final String taskId)
    {
        return measured(engine, atMs, measureCommand(complete(engine, atMs, taskId)), Map.of());
    }

    @Test
    void featureTemplateRunsToCompletionWhenEveryAgentSucceeds()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), RetryOptions.defaults()).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of());
        host.start(0);
        host.run(100);

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertEquals(new EngineCommand.CompleteWorkflow(), host.allCommands.getLast());
        assertTrue(engine.snapshot().tasks().stream().allMatch(t -> t.state() == TaskState.COMPLETED));
        assertEquals(7, host.allCommands.stream().filter(c -> c instanceof AssignTask).count());
        assertEquals(5, host.allCommands.stream().filter(c -> c instanceof EvaluateGates).count());
        final List<String> measuredPhases = host.allCommands.stream()
            .filter(c -> c instanceof EngineCommand.MeasurePhase m && m.round() == 1)
            .map(c -> ((EngineCommand.MeasurePhase)c).phaseId()).toList();
        assertEquals(5, measuredPhases.size(), "each phase measured once: " + measuredPhases);
        assertEquals(Set.copyOf(engine.definition().phaseIds()), Set.copyOf(measuredPhases));
        assertEquals(5, host.allCommands.stream().filter(c -> c instanceof EngineCommand.MeasurePhase).count());
        assertEquals(100.0, engine.progress().percentComplete(), 1e-9);
    }

    @Test
    void dependentsWaitForTheirDependenciesAndThePhaseGates()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        final List<EngineCommand> done = complete(engine, 60 * MINUTE, "design");

        // the design phase names the review gate, which the default profile lacks: merged, nothing to measure
        assertEquals(List.of(new EngineCommand.MeasurePhase("design", 1, QualityGates.of(List.of()), Set.of())), done);
        assertEquals(GateState.MEASURING, engine.gateState("design"));
        assertEquals(TaskState.PENDING, engine.snapshot().task("implement-core").state(),
            "dependents wait for the phase's measurement");

        final List<EngineCommand> commands = measured(engine, 60 * MINUTE, measureCommand(done), Map.of());
        assertEquals(new EvaluateGates("design"), commands.getFirst());
        assertEquals(GateState.PASSED, engine.gateState("design"));
        assertTrue(engine.gateSummary("design").startsWith("merged; no quality gate configured for [review]"),
            engine.gateSummary("design"));
        assertEquals(Set.of("implement-core", "implement-api"), Set.copyOf(commands.stream()
            .filter(c -> c instanceof AssignTask).map(c -> ((AssignTask)c).taskId()).toList()));
    }

    @Test
    void failedTaskIsRetriedOnTheSameAgentAtTheExactBackoff()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2.0).setMaximumAttempts(3).build());

        assertEquals(List.of(new ScheduleRetry("design", 11_000)),
            engine.onEvent(new TaskFailed(10_000, "design", "TIMEOUT", "agent timed out")));
        assertEquals(TaskState.WAITING_RETRY, engine.snapshot().task("design").state());
        assertEquals(List.of(new AssignTask("design", "ada", "design", 2)),
            engine.onEvent(new RetryTimerFired(11_000, "design")));
        assertEquals(List.of(new ScheduleRetry("design", 15_000)),
            engine.onEvent(new TaskFailed(13_000, "design", "TIMEOUT", "agent timed out")));
    }

    @Test
    void retryTimerFiringBeforeItIsDueIsRejected()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        engine.onEvent(new TaskFailed(10_000, "design", "TIMEOUT", "agent timed out"));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> engine.onEvent(new RetryTimerFired(10_500, "design")));
        assertTrue(ex.getMessage().contains("due at 11000 ms"), ex.getMessage());
    }

    @Test
    void taskMovesToAnAlternativeAgentAfterItsMaximumAttempts()
    {
        final WorkflowEngine engine = startedFeature(ONE_ATTEMPT);
        final List<EngineCommand> assigned = completeAndMeasure(engine, MINUTE, "design");
        final AssignTask core = assigned.stream().filter(c -> c instanceof AssignTask a &&
            a.taskId().equals("implement-core")).map(c -> (AssignTask)c).findFirst().orElseThrow();

        final List<EngineCommand> commands =
            engine.onEvent(new TaskFailed(2 * MINUTE, "implement-core", "CRASH", "agent crashed"));

        assertEquals(1, commands.size());
        final AssignTask retry = (AssignTask)commands.getFirst();
        assertEquals("implement-core", retry.taskId());
        assertNotEquals(core.agentName(), retry.agentName());
        assertEquals(1, retry.attempt());
        assertEquals(List.of(core.agentName()), engine.snapshot().task("implement-core").agentsTried());
    }

    @Test
    void optionalTaskWithNoCapableAgentIsSkippedAndTheWorkflowCompletes()
    {
        final List<Candidate> noOptimizer = List.of(
            new Candidate("ada", 1, Set.of("design", "implementation", "documentation"), 0, 2, 0, 0),
            new Candidate("bob", 2, Set.of("implementation", "testing"), 0, 2, 0, 0));
        final WorkflowEngine engine = feature(noOptimizer, RetryOptions.defaults()).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of());
        host.start(0);
        host.run(100);

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertEquals(TaskState.SKIPPED, engine.snapshot().task("optimize").state());
        assertTrue(engine.snapshot().task("optimize").note().contains("no agent has capability 'optimization'"));
    }

    @Test
    void optionalTaskThatExhaustsRecoveryIsSkipped()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), ONE_ATTEMPT).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of("optimize#1", "CRASH"));
        host.start(0);
        host.run(100);

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertEquals(TaskState.SKIPPED, engine.snapshot().task("optimize").state());
        assertTrue(engine.snapshot().task("optimize").note().contains("skipping optional task"));
    }

    @Test
    void departedAgentLosesItsTaskAndGetsNoMoreWork()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        final List<EngineCommand> commands = engine.onEvent(
            new WorkflowEvent.AgentDeparted(MINUTE, "ada", "expired"));

        // ada was the only designer: a retry on her is never scheduled, the Director is asked
        final EscalateToDirector escalation = (EscalateToDirector)commands.getFirst();
        assertEquals(WorkflowEvent.AgentDeparted.AGENT_LOST, escalation.request().failure().errorKind());
        assertTrue(escalation.request().reason().contains("ada departed"), escalation.request().reason());
        assertFalse(engine.currentCandidates().stream().anyMatch(c -> c.name().equals("ada")));
        final List<EngineCommand> after = engine.onEvent(new DirectorDecided(2 * MINUTE, "design",
            DirectorDecision.retry("try again")));
        assertTrue(after.stream().noneMatch(c -> c instanceof AssignTask a && a.agentName().equals("ada")), after.toString());
    }

    @Test
    void decomposableTaskThatEveryAgentFailedIsSplitIntoSubtasksThatFinishIt()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), ONE_ATTEMPT).decomposer(TWO_FILES).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of(
            "implement-core#1", TIMEOUT, "implement-core#2", TIMEOUT, "implement-core#3", TIMEOUT));
        host.start(0);
        host.run(200);

        assertEquals(WorkflowStatus.COMPLETED, engine.status(), engine.progress().toString());
        final List<WorkflowEvent.TaskDecomposed> splits = journal.events().stream()
            .filter(WorkflowEvent.TaskDecomposed.class::isInstance).map(WorkflowEvent.TaskDecomposed.class::cast)
            .toList();
        assertEquals(1, splits.size());
        assertEquals("implement-core", splits.getFirst().taskId());
        assertEquals(List.of("implement-core.part-1", "implement-core.part-2"),
            splits.getFirst().subtasks().stream().map(t -> t.id()).toList());
        assertTrue(splits.getFirst().reason().contains("decomposing implement-core"), splits.getFirst().reason());
        assertEquals(splits.getFirst(), EventCodec.fromJson(EventCodec.toJson(splits.getFirst())),
            "the split survives the Chronicle journal's JSON");
        for (final String part : List.of("implement-core.part-1", "implement-core.part-2"))
        {
            assertTrue(host.allCommands.stream().anyMatch(c -> c instanceof AssignTask a && a.taskId().equals(part)),
                part + " was never assigned");
            assertEquals(TaskState.COMPLETED, engine.snapshot().task(part).state());
        }
        assertEquals(TaskState.COMPLETED, engine.snapshot().task("implement-core").state());
        assertEquals("completed in 2 subtasks", engine.snapshot().task("implement-core").note());
        assertEquals(WorkflowTemplates.feature().tasks().size(), engine.progress().tasksTotal(),
            "a finished decomposed task counts once");

        final WorkflowEngine replayed =
            WorkflowEngine.recover(journal, feature(ScriptedHost.threeAgents(), ONE_ATTEMPT).decomposer(TWO_FILES));
        assertEquals(engine.snapshot(), replayed.snapshot());
    }

    @Test
    void subtaskIsNeverSplitAgainAndProgressCountsSubtasksMeanwhile()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), ONE_ATTEMPT).decomposer(TWO_FILES).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of(
            "implement-core#1", TIMEOUT, "implement-core#2", TIMEOUT, "implement-core#3", TIMEOUT,
            "implement-core.part-2#1", TIMEOUT, "implement-core.part-2#2", TIMEOUT, "implement-core.part-2#3", TIMEOUT));
        host.start(0);
        host.run(200);

        assertEquals(1, journal.events().stream().filter(WorkflowEvent.TaskDecomposed.class::isInstance).count());
        assertTrue(journal.events().stream().anyMatch(e -> e instanceof WorkflowEvent.Escalated esc &&
            esc.taskId().equals("implement-core.part-2") && esc.reason().contains("not decomposable")),
            "the failed subtask goes to the Director, not into another split");
        assertEquals(WorkflowStatus.COMPLETED, engine.status(), "the Director's retry finished it");
    }

    @Test
    void requiredTaskIsEscalatedAndTheDirectorsRetryIsApplied()
    {
        final WorkflowEngine engine = startedFeature(ONE_ATTEMPT);
        final List<EngineCommand> commands = engine.onEvent(new TaskFailed(MINUTE, "design", "CRASH", "agent crashed"));

        final EscalateToDirector escalation = (EscalateToDirector)commands.getFirst();
        assertEquals("design", escalation.request().failure().taskId());
        assertEquals(Set.of("ada"), escalation.request().agentsTried());
        assertEquals(TaskState.ESCALATED, engine.snapshot().task("design").state());

        assertEquals(List.of(new AssignTask("design", "ada", "design", 1)),
            engine.onEvent(new DirectorDecided(2 * MINUTE, "design", DirectorDecision.retry("ada was restarted"))));
    }

    @Test
    void directorSkipLetsDependentsGoOn()
    {
        final WorkflowEngine engine = startedFeature(ONE_ATTEMPT);
        engine.onEvent(new TaskFailed(MINUTE, "design", "CRASH", "agent crashed"));

        final List<EngineCommand> commands =
            engine.onEvent(new DirectorDecided(2 * MINUTE, "design", DirectorDecision.skip("design exists")));

        assertEquals(TaskState.SKIPPED, engine.snapshot().task("design").state());
        assertEquals(2, commands.stream().filter(c -> c instanceof AssignTask).count());
    }

    @Test
    void directorAbortFailsTheWorkflow()
    {
        final WorkflowEngine engine = startedFeature(ONE_ATTEMPT);
        engine.onEvent(new TaskFailed(MINUTE, "design", "CRASH", "agent crashed"));

        final List<EngineCommand> commands =
            engine.onEvent(new DirectorDecided(2 * MINUTE, "design", DirectorDecision.abort("out of budget")));

        assertEquals(WorkflowStatus.FAILED, engine.status());
        assertTrue(((EngineCommand.FailWorkflow)commands.getLast()).reason().contains("out of budget"));
        assertThrows(IllegalStateException.class, () -> engine.onEvent(new TaskStarted(3 * MINUTE, "design")));
    }

    @Test
    void failedBlockingGateWithoutRemediationEscalatesThePhasesLastTaskWithTheGateSummary()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(), RetryOptions.defaults())
            .remediationRounds(0).build();
        engine.start(0);
        completeAndMeasure(engine, MINUTE, "design");
        complete(engine, 2 * MINUTE, "implement-core");
        final EngineCommand.MeasurePhase measure = measureCommand(complete(engine, 3 * MINUTE, "implement-api"));
        assertEquals(new EngineCommand.MeasurePhase("implementation", 1,
            QualityGates.defaults().only("code-quality,security"), Set.of(Metric.TEST_COVERAGE_PERCENT,
            Metric.CYCLOMATIC_COMPLEXITY_MAX, Metric.DUPLICATION_PERCENT, Metric.CRITICAL_VULNERABILITIES,
            Metric.HIGH_VULNERABILITIES)), measure);

        final List<EngineCommand> commands =
            measured(engine, 3 * MINUTE, measure, Map.of(Metric.TEST_COVERAGE_PERCENT, 50.0));

        assertEquals(new EvaluateGates("implementation"), commands.getFirst());
        final EscalateToDirector escalation = (EscalateToDirector)commands.getLast();
        assertEquals("implement-api", escalation.request().failure().taskId(), "the phase's last completed task");
        assertEquals(GateReport.ERROR_KIND, escalation.request().failure().errorKind());
        assertTrue(escalation.request().reason().startsWith("GATE_FAILURE (gate failure): "),
            escalation.request().reason());
        assertTrue(escalation.request().reason().contains("TEST_COVERAGE_PERCENT"), escalation.request().reason());
        assertEquals(GateState.FAILED, engine.snapshot().gates().get("implementation"));
        final WorkflowEvent.GateEvaluated evaluated = journal.events().stream()
            .filter(e -> e instanceof WorkflowEvent.GateEvaluated g && !g.passed())
            .map(e -> (WorkflowEvent.GateEvaluated)e).findFirst().orElseThrow();
        assertFalse(evaluated.remediating());
        assertTrue(evaluated.summary().contains("TEST_COVERAGE_PERCENT: measured 50 %"), evaluated.summary());
        assertTrue(evaluated.summary().endsWith("; no remediation round left (0 ran)"), evaluated.summary());
        assertEquals(List.of(), engine.remediationTasks("implementation"));
        assertTrue(ProgressReport.of(engine.progress()).issues().stream()
            .anyMatch(i -> i.contains("implementation failed its quality gates")));

        engine.onEvent(new DirectorDecided(3 * MINUTE + 1000, "implement-api", DirectorDecision.retry("tests added")));
        final EngineCommand.MeasurePhase again = measureCommand(complete(engine, 4 * MINUTE, "implement-api"));
        assertEquals(2, again.round());
        final List<EngineCommand> afterFix = measured(engine, 4 * MINUTE, again, Map.of());
        assertEquals(new EvaluateGates("implementation"), afterFix.getFirst());
        assertEquals(GateState.PASSED, engine.snapshot().gates().get("implementation"));
        assertEquals(2, afterFix.stream().filter(c -> c instanceof AssignTask).count());
    }

    @Test
    void gateFailureErrorKindCanBeMadeNonRetryableToMoveToAnotherAgent()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents(),
            RetryOptions.newBuilder().setNonRetryableErrorKinds(GateReport.ERROR_KIND).build())
            .remediationRounds(0).build();
        engine.start(0);
        completeAndMeasure(engine, MINUTE, "design");
        complete(engine, 2 * MINUTE, "implement-core");
        final String firstAgent = engine.snapshot().task("implement-api").agentName();
        final EngineCommand.MeasurePhase measure = measureCommand(complete(engine, 3 * MINUTE, "implement-api"));

        final List<EngineCommand> commands =
            measured(engine, 3 * MINUTE, measure, Map.of(Metric.CRITICAL_VULNERABILITIES, 2.0));

        final AssignTask moved = (AssignTask)commands.getLast();
        assertEquals("implement-api", moved.taskId());
        assertNotEquals(firstAgent, moved.agentName());
    }

    @Test
    void progressIsWeightedByEstimatedMinutesWithVelocityOverTheLogicalClock()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        completeAndMeasure(engine, 60 * MINUTE, "design");

        final Progress progress = engine.progress();
        // feature template: 60 + 240 + 120 + 90 + 90 + 120 + 60 = 780 estimated minutes, design is 60.
        assertEquals(100.0 * 60 / 780, progress.percentComplete(), 1e-9);
        assertEquals(1.0 / 60, progress.velocityTasksPerMinute(), 1e-12);
        // 6 tasks left at one task per hour, from minute 60.
        assertEquals(60 * MINUTE + 6 * 60 * MINUTE, progress.estimatedCompletionMs().getAsLong());
        assertEquals("implementation", progress.currentPhase());
        assertEquals(List.of("ada", "bob"), progress.agentsActive());
        assertEquals(1, progress.tasksDone());

        engine.onEvent(new WorkflowEvent.TaskProgress(90 * MINUTE, "implement-core", 50));
        assertEquals(100.0 * (60 + 120) / 780, engine.progress().percentComplete(), 1e-9);
    }

    @Test
    void blockedTasksSayWhy()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        engine.onEvent(new TaskFailed(MINUTE, "design", "TIMEOUT", "agent timed out"));

        final Progress.BlockedTask blocked = engine.progress().blocked().getFirst();
        assertEquals(Progress.Cause.WAITING_RETRY, blocked.cause());
        assertTrue(blocked.detail().contains("due at " + (MINUTE + 1000) + " ms"), blocked.detail());
        assertTrue(engine.progress().estimatedCompletionMs().isEmpty());
    }

    @Test
    void progressReportJsonHasEveryField() throws Exception
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        completeAndMeasure(engine, 60 * MINUTE, "design");

        final JsonNode json = new ObjectMapper().readTree(ProgressReport.of(engine.progress()).toJson());

        assertEquals(List.of("phase", "status", "progress", "agents_active", "quality_gates", "estimated_completion",
            "issues", "recommendations", "success_metrics", "target"), iterable(json.fieldNames()));
        assertTrue(json.get("success_metrics").isNull(), "the engine alone computes no success metric");
        assertTrue(json.get("target").isNull());
        assertEquals("implementation", json.get("phase").asText());
        assertEquals("RUNNING", json.get("status").asText());
        assertEquals(7.7, json.get("progress").asDouble(), 1e-9);
        assertEquals("PASSED", json.get("quality_gates").get("design").asText());
        assertEquals("1970-01-01T07:00:00Z", json.get("estimated_completion").asText());
        assertEquals(2, json.get("agents_active").size());
    }

    @Test
    void inputsThatDoNotFitTheStateAreRejectedWithoutBeingRecorded()
    {
        final WorkflowEngine engine = startedFeature(RetryOptions.defaults());
        final int recorded = journal.events().size();

        assertThrows(IllegalArgumentException.class,
            () -> engine.onEvent(new TaskCompleted(MINUTE, "document", GOOD)));
        assertThrows(IllegalArgumentException.class,
            () -> engine.onEvent(new TaskStarted(MINUTE, "no-such-task")));
        assertThrows(IllegalArgumentException.class,
            () -> engine.onEvent(new WorkflowEvent.TaskAssigned(MINUTE, "design", "bob", 1)));
        engine.onEvent(new TaskStarted(MINUTE, "design"));
        assertThrows(IllegalArgumentException.class, () -> engine.onEvent(new TaskStarted(MINUTE - 1, "design")));
        assertEquals(recorded + 1, journal.events().size());
    }

    private static List<String> iterable(final java.util.Iterator<String> names)
    {
        final List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
