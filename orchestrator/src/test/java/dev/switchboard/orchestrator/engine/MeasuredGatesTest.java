/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import static dev.switchboard.orchestrator.engine.ScriptedHost.GOOD;
import static dev.switchboard.orchestrator.engine.ScriptedHost.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.engine.EngineCommand.AssignTask;
import dev.switchboard.orchestrator.engine.EngineCommand.EscalateToDirector;
import dev.switchboard.orchestrator.engine.EngineCommand.EvaluateGates;
import dev.switchboard.orchestrator.engine.EngineCommand.MeasurePhase;
import dev.switchboard.orchestrator.engine.EngineCommand.ScheduleRetry;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GateEvaluated;
import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RemediationPlanned;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RetryScheduled;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RetryTimerFired;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskCompleted;
import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.Threshold;
import dev.switchboard.orchestrator.recovery.ContextUnits;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.recovery.TaskDecomposer;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import org.junit.jupiter.api.Test;

/**
 * Quality gates on what the host measured: an agent's report never passes a gate, a measured shortfall gets
 * remediation tasks for its specialist, an unmeasured metric fails with its reason, merge conflicts re-run tasks.
 * Drives the engine by hand, the host's side written out, on the feature template (implementation: code-quality and
 * security, both blocking in the default profile).
 */
class MeasuredGatesTest
{
    private static final String FIX_1 = "implementation.fix-1-coverage";
    private static final String FIX_2 = "implementation.fix-2-coverage";
    private static final List<String> UNCOVERED = List.of(
        "src/core/Parser.java: 12 of 80 lines covered; missed 14-40, 52-77",
        "src/core/Printer.java: 30 of 60 lines covered; missed 31-60");

    private final InMemoryJournal journal = new InMemoryJournal();

    private WorkflowEngine.Builder feature(final List<Candidate> candidates)
    {
        return WorkflowEngine.builder(WorkflowTemplates.feature()).workflowId("wf-gates").candidates(candidates)
            .qualityGates(QualityGates.defaults()).retryOptions(RetryOptions.defaults()).journal(journal);
    }

    /** Runs design (measured, passed) and both implementation tasks; returns the implementation's MeasurePhase. */
    private static MeasurePhase implementationDone(final WorkflowEngine engine, final Map<Metric, Double> reported)
    {
        engine.start(0);
        final MeasurePhase design = single(MeasurePhase.class, engine.onEvent(new TaskCompleted(MINUTE, "design", GOOD)));
        engine.onEvent(new PhaseMeasured(MINUTE, "design", Map.of(), List.of()));
        assertTrue(engine.onEvent(new TaskCompleted(2 * MINUTE, "implement-core", GOOD)).isEmpty());
        final MeasurePhase measure = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(3 * MINUTE, "implement-api", reported)));
        assertEquals("design", design.phaseId());
        assertEquals("implementation", measure.phaseId());
        assertEquals(GateState.MEASURING, engine.gateState("implementation"));
        return measure;
    }

    /** Every metric of the command at its GOOD value, except those given (null: not measured, with the note). */
    private static List<MeasuredMetric> measurement(final MeasurePhase command, final Map<Metric, Double> values,
        final String note, final List<String> details)
    {
        final List<MeasuredMetric> measured = new ArrayList<>();
        for (final Metric metric : new TreeSet<>(command.metrics()))
        {
            if (values.containsKey(metric))
            {
                measured.add(new MeasuredMetric(metric, values.get(metric), note, details));
            }
            else
            {
                measured.add(new MeasuredMetric(metric, GOOD.get(metric), "scripted tools", List.of()));
            }
        }
        return measured;
    }

    private static List<EngineCommand> measured(final WorkflowEngine engine, final long atMs,
        final MeasurePhase command, final Map<Metric, Double> values)
    {
        return engine.onEvent(new PhaseMeasured(atMs, command.phaseId(), Map.of(),
            measurement(command, values, "JaCoCo report of the merged tree", UNCOVERED)));
    }

    private static <T extends EngineCommand> T single(final Class<T> type, final List<EngineCommand> commands)
    {
        final List<T> matching = commands.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), commands::toString);
        return matching.getFirst();
    }

    private <T extends WorkflowEvent> List<T> recorded(final Class<T> type)
    {
        return journal.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Map<Metric, Double> coverage(final double percent)
    {
        return Map.of(Metric.TEST_COVERAGE_PERCENT, percent);
    }

    @Test
    void agentsSelfReportedCoverageCannotPassAGateTheMeasurementFails()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        final Map<Metric, Double> boast = new HashMap<>(GOOD);
        boast.put(Metric.TEST_COVERAGE_PERCENT, 99.0);
        final MeasurePhase measure = implementationDone(engine, boast);

        final List<EngineCommand> commands = measured(engine, 3 * MINUTE, measure, coverage(40.0));

        assertEquals(new EvaluateGates("implementation"), commands.getFirst());
        final GateEvaluated evaluated = recorded(GateEvaluated.class).getLast();
        assertFalse(evaluated.passed());
        assertTrue(evaluated.remediating());
        assertTrue(evaluated.summary().contains("TEST_COVERAGE_PERCENT: measured 40 %, required >= 80 % (missed)"),
            evaluated.summary());
        assertEquals(GateState.FAILED, engine.gateState("implementation"));
        assertEquals(evaluated.summary(), engine.gateSummary("implementation"));

        final RemediationPlanned planned = recorded(RemediationPlanned.class).getFirst();
        assertEquals(1, planned.round());
        assertEquals(evaluated.summary(), planned.reason());
        assertEquals(List.of(FIX_1), planned.tasks().stream().map(TaskDefinition::id).toList());
        assertEquals(List.of(FIX_1), engine.remediationTasks("implementation"));

        final TaskDefinition fix = engine.task(FIX_1).definition();
        assertEquals("testing", fix.capability());
        assertEquals("implementation", engine.task(FIX_1).phase().id());
        assertTrue(fix.instructions().description().contains("TEST_COVERAGE_PERCENT: measured 40 %"),
            fix.instructions().description());
        final String context = fix.instructions().context();
        assertTrue(context.contains("TEST_COVERAGE_PERCENT: 40 % (JaCoCo report of the merged tree)"), context);
        for (final String line : UNCOVERED)
        {
            assertTrue(context.contains("- " + line), context);
        }
        assertFalse(context.contains("99"), "nothing the agent reported is evidence: " + context);

        final AssignTask assigned = single(AssignTask.class, commands);
        assertEquals(FIX_1, assigned.taskId());
        assertEquals("testing", assigned.capability());
        assertTrue(Set.of("bob", "cyd").contains(assigned.agentName()), assigned.toString());
        assertEquals(TaskState.PENDING, engine.snapshot().task("unit-tests").state(),
            "dependents wait while the phase is remediated");
        assertEquals(99.0, engine.snapshot().task("implement-api").metrics().get(Metric.TEST_COVERAGE_PERCENT),
            "the report is kept, as reported");
    }

    @Test
    void passingSecondRoundPassesThePhaseAndItsDependentsProceed()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        final MeasurePhase first = implementationDone(engine, GOOD);
        measured(engine, 3 * MINUTE, first, coverage(40.0));

        final MeasurePhase second = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(4 * MINUTE, FIX_1, GOOD)));
        assertEquals(new MeasurePhase("implementation", 2, first.gates(), first.metrics()), second);
        assertEquals(GateState.MEASURING, engine.gateState("implementation"));

        final List<EngineCommand> commands = measured(engine, 4 * MINUTE, second, coverage(85.0));

        assertEquals(new EvaluateGates("implementation"), commands.getFirst());
        assertEquals(GateState.PASSED, engine.gateState("implementation"));
        assertTrue(recorded(GateEvaluated.class).getLast().passed());
        assertEquals(Set.of("unit-tests", "integration-tests"), Set.copyOf(commands.stream()
            .filter(AssignTask.class::isInstance).map(c -> ((AssignTask)c).taskId()).toList()));
        assertEquals(1, recorded(RemediationPlanned.class).size());
    }

    @Test
    void failingEveryRemediationRoundFailsTheLastCompletedTaskAndEscalatesIt()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build(); // 2 rounds by default
        final MeasurePhase first = implementationDone(engine, GOOD);
        measured(engine, 3 * MINUTE, first, coverage(40.0));
        final MeasurePhase second = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(4 * MINUTE, FIX_1, GOOD)));
        final List<EngineCommand> round2 = measured(engine, 4 * MINUTE, second, coverage(60.0));
        assertEquals(FIX_2, single(AssignTask.class, round2).taskId());
        assertEquals(List.of(FIX_1, FIX_2), engine.remediationTasks("implementation"));
        assertTrue(engine.task(FIX_2).definition().instructions().context().contains("TEST_COVERAGE_PERCENT: 60 %"),
            "round 2 carries round 2's measurement");
        final MeasurePhase third = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(5 * MINUTE, FIX_2, GOOD)));
        assertEquals(3, third.round());

        final List<EngineCommand> commands = measured(engine, 5 * MINUTE, third, coverage(70.0));

        assertEquals(2, recorded(RemediationPlanned.class).size(), "no third round");
        final GateEvaluated evaluated = recorded(GateEvaluated.class).getLast();
        assertFalse(evaluated.passed());
        assertFalse(evaluated.remediating());
        assertTrue(evaluated.summary().endsWith("; no remediation round left (2 ran)"), evaluated.summary());
        final EscalateToDirector escalation = single(EscalateToDirector.class, commands);
        assertEquals(FIX_2, escalation.request().failure().taskId(), "the phase's last completed task");
        assertEquals(GateReport.ERROR_KIND, escalation.request().failure().errorKind());
        assertTrue(escalation.request().reason().startsWith("GATE_FAILURE (gate failure): "),
            escalation.request().reason());
        assertEquals(TaskState.ESCALATED, engine.snapshot().task(FIX_2).state());
        assertEquals(GateState.FAILED, engine.gateState("implementation"));
        assertTrue(engine.progress().failedGates().containsKey("implementation"));
    }

    @Test
    void blockingGateOnAMetricNobodyMeasuredFailsWithItsReasonAndNoRemediation()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        final MeasurePhase measure = implementationDone(engine, GOOD);
        final Map<Metric, Double> unmeasured = new HashMap<>();
        unmeasured.put(Metric.TEST_COVERAGE_PERCENT, null);

        final List<EngineCommand> commands = engine.onEvent(new PhaseMeasured(3 * MINUTE, "implementation", Map.of(),
            measurement(measure, unmeasured, "mvn exited with 1: the build does not compile", List.of())));

        assertTrue(recorded(RemediationPlanned.class).isEmpty());
        assertTrue(engine.remediationTasks("implementation").isEmpty());
        final GateEvaluated evaluated = recorded(GateEvaluated.class).getLast();
        assertFalse(evaluated.passed());
        assertFalse(evaluated.remediating());
        assertTrue(evaluated.summary().contains(
            "TEST_COVERAGE_PERCENT: not measured (mvn exited with 1: the build does not compile)"), evaluated.summary());
        assertTrue(evaluated.summary().endsWith("; no measured shortfall a task could fix"), evaluated.summary());
        final EscalateToDirector escalation = single(EscalateToDirector.class, commands);
        assertEquals("implement-api", escalation.request().failure().taskId());
        assertEquals(GateReport.ERROR_KIND, escalation.request().failure().errorKind());
        assertTrue(escalation.request().reason().contains("mvn exited with 1"), escalation.request().reason());
    }

    @Test
    void metricMissingFromTheMeasurementIsNotMeasured()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        implementationDone(engine, GOOD);

        engine.onEvent(new PhaseMeasured(3 * MINUTE, "implementation", Map.of(), List.of()));

        final GateEvaluated evaluated = recorded(GateEvaluated.class).getLast();
        assertFalse(evaluated.passed());
        assertFalse(evaluated.remediating());
        assertTrue(evaluated.summary().contains("TEST_COVERAGE_PERCENT: not measured (nothing measured it)"),
            evaluated.summary());
    }

    @Test
    void mergeConflictReRunsTheTaskOnItsAgentAtOnceAndThePhaseIsMeasuredAgain()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        implementationDone(engine, GOOD);
        final String agent = engine.snapshot().task("implement-core").agentName();
        final int gateEvaluations = recorded(GateEvaluated.class).size();

        final List<EngineCommand> commands = engine.onEvent(new PhaseMeasured(3 * MINUTE, "implementation",
            Map.of("implement-core", "CONFLICT (content): merge conflict in src/core/Parser.java"), List.of()));

        assertEquals(List.of(new ScheduleRetry("implement-core", 3 * MINUTE)), commands);
        final RetryScheduled retry = recorded(RetryScheduled.class).getLast();
        assertEquals(new RetryScheduled(3 * MINUTE, "implement-core", 2, 3 * MINUTE), retry, "zero delay");
        assertEquals(GateState.PENDING, engine.gateState("implementation"));
        assertEquals(gateEvaluations, recorded(GateEvaluated.class).size(), "a conflict evaluates no gate");
        assertEquals(TaskState.WAITING_RETRY, engine.snapshot().task("implement-core").state());
        assertTrue(engine.progress().blocked().getFirst().detail().contains("merge conflict in src/core/Parser.java"),
            engine.progress().blocked().toString());
        assertEquals(TaskState.COMPLETED, engine.snapshot().task("implement-api").state(), "it merged");

        assertEquals(List.of(new AssignTask("implement-core", agent, "implementation", 2)),
            engine.onEvent(new RetryTimerFired(3 * MINUTE, "implement-core")));
        final MeasurePhase again = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(4 * MINUTE, "implement-core", GOOD)));
        assertEquals(2, again.round());
        final List<EngineCommand> passed = measured(engine, 4 * MINUTE, again, Map.of());
        assertEquals(GateState.PASSED, engine.gateState("implementation"));
        assertEquals(2, passed.stream().filter(AssignTask.class::isInstance).count());
    }

    @Test
    void measurementsThatDoNotFitAreRejectedAndChangeNothing()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        final MeasurePhase measure = implementationDone(engine, GOOD);
        final EngineSnapshot before = engine.snapshot();
        final List<WorkflowEvent> events = List.copyOf(journal.events());
        final List<MeasuredMetric> good = measurement(measure, Map.of(), "scripted tools", List.of());

        final List<PhaseMeasured> misfits = List.of(
            new PhaseMeasured(3 * MINUTE, "design", Map.of(), List.of()), // passed, not measuring
            new PhaseMeasured(3 * MINUTE, "testing", Map.of(), List.of()), // pending
            new PhaseMeasured(3 * MINUTE, "no-such-phase", Map.of(), List.of()),
            new PhaseMeasured(3 * MINUTE, "implementation", Map.of("design", "conflict"), List.of()), // other phase
            new PhaseMeasured(3 * MINUTE, "implementation", Map.of("unit-tests", "conflict"), List.of()), // pending
            new PhaseMeasured(3 * MINUTE, "implementation", Map.of("no-such-task", "conflict"), List.of()),
            new PhaseMeasured(2 * MINUTE, "implementation", Map.of(), good)); // older than the latest event
        for (final PhaseMeasured misfit : misfits)
        {
            assertThrows(IllegalArgumentException.class, () -> engine.onEvent(misfit), misfit::toString);
            assertEquals(before, engine.snapshot(), misfit::toString);
            assertEquals(events, journal.events(), misfit::toString);
            assertEquals(GateState.MEASURING, engine.gateState("implementation"));
        }

        measured(engine, 3 * MINUTE, measure, Map.of());
        assertEquals(GateState.PASSED, engine.gateState("implementation"));
        final int size = journal.events().size();
        assertThrows(IllegalArgumentException.class, () -> engine.onEvent(
            new PhaseMeasured(3 * MINUTE, "implementation", Map.of(), good)), "measured once per request");
        assertEquals(size, journal.events().size());
    }

    @Test
    void nonFiniteMeasuredValueIsRejectedBeforeItIsRecorded()
    {
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents()).build();
        final MeasurePhase measure = implementationDone(engine, GOOD);
        final int size = journal.events().size();

        assertThrows(IllegalArgumentException.class, () -> measured(engine, 3 * MINUTE, measure,
            coverage(Double.NaN)));

        assertEquals(size, journal.events().size(), "a broken measurement must not reach the journal");
        measured(engine, 3 * MINUTE, measure, Map.of());
        assertEquals(GateState.PASSED, engine.gateState("implementation"), "the engine still takes the real one");
    }

    @Test
    void coverageRemediationGoesToImplementationWithoutATesterAndUnfixableMetricsGetNoTask()
    {
        // nobody tests or documents: coverage falls back to implementation, API docs have no specialist at all
        final List<Candidate> noTesterNoWriter = List.of(
            new Candidate("ada", 1, Set.of("design", "implementation"), 0, 2, 0, 0),
            new Candidate("bob", 2, Set.of("implementation"), 0, 2, 0, 0));
        final QualityGates gates = QualityGates.of(List.of(new QualityGate(QualityGates.CODE_QUALITY, List.of(
            Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 80), Threshold.equalTo(Metric.API_DOCS_PERCENT, 100)),
            Enforcement.BLOCKING)));
        final WorkflowEngine engine = feature(noTesterNoWriter).qualityGates(gates).build();
        final MeasurePhase measure = implementationDone(engine, GOOD);
        assertEquals(Set.of(Metric.TEST_COVERAGE_PERCENT, Metric.API_DOCS_PERCENT), measure.metrics());

        final List<EngineCommand> commands = measured(engine, 3 * MINUTE, measure,
            Map.of(Metric.TEST_COVERAGE_PERCENT, 40.0, Metric.API_DOCS_PERCENT, 50.0));

        assertEquals(List.of(FIX_1), engine.remediationTasks("implementation"), "no api-docs task");
        assertEquals("implementation", engine.task(FIX_1).definition().capability());
        assertEquals(FIX_1, single(AssignTask.class, commands).taskId());

        // round 2: only the API docs miss, and nobody can write them
        final MeasurePhase second = single(MeasurePhase.class,
            engine.onEvent(new TaskCompleted(4 * MINUTE, FIX_1, GOOD)));
        final List<EngineCommand> unfixable = measured(engine, 4 * MINUTE, second,
            Map.of(Metric.TEST_COVERAGE_PERCENT, 85.0, Metric.API_DOCS_PERCENT, 50.0));
        assertEquals(List.of(FIX_1), engine.remediationTasks("implementation"));
        final GateEvaluated evaluated = recorded(GateEvaluated.class).getLast();
        assertFalse(evaluated.remediating());
        assertTrue(evaluated.summary().endsWith("; no measured shortfall a task could fix"), evaluated.summary());
        assertEquals(FIX_1, single(EscalateToDirector.class, unfixable).request().failure().taskId());
    }

    @Test
    void phaseWhoseTasksWereAllSkippedPassesWithoutMeasurement()
    {
        final List<Candidate> noOptimizer = List.of(
            new Candidate("ada", 1, Set.of("design", "implementation", "documentation"), 0, 2, 0, 0),
            new Candidate("bob", 2, Set.of("implementation", "testing"), 0, 2, 0, 0));
        final WorkflowEngine engine = feature(noOptimizer).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of());
        host.start(0);
        host.run(100);

        assertEquals(WorkflowStatus.COMPLETED, engine.status());
        assertTrue(host.allCommands.stream().noneMatch(c -> c instanceof MeasurePhase m &&
            m.phaseId().equals("optimization")), "nothing to merge or measure");
        assertEquals(GateState.PASSED, engine.gateState("optimization"));
        assertEquals("every task skipped; no quality gate evaluated", engine.gateSummary("optimization"));
    }

    @Test
    void mergeConflictOfASubtaskKeepsItsDecomposedTaskOpenUntilTheSubtaskRanAgain()
    {
        final TaskDecomposer twoFiles = TaskDecomposer.byContext(task -> List.of(
            new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/A.java", "src/A.java"),
            new ContextUnits.Unit(ContextUnits.Kind.FILE, "src/B.java", "src/B.java")), TaskDecomposer.DEFAULT_PARTS);
        final WorkflowEngine engine = feature(ScriptedHost.threeAgents())
            .retryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).decomposer(twoFiles).build();
        final ScriptedHost host = new ScriptedHost(engine, Map.of(
            "implement-core#1", WorkflowRuntime.TASK_TIMEOUT, "implement-core#2", WorkflowRuntime.TASK_TIMEOUT,
            "implement-core#3", WorkflowRuntime.TASK_TIMEOUT))
            .conflict("implementation", 1, Map.of("implement-core.part-1", "CONFLICT (content): src/A.java"));
        host.start(0);
        host.run(200);

        assertEquals(WorkflowStatus.COMPLETED, engine.status(), engine.progress().toString());
        final List<WorkflowEvent> events = journal.events();
        final int conflict = indexOf(events, e -> e instanceof PhaseMeasured m && !m.conflicts().isEmpty());
        final int rerun = indexOf(events, e -> e instanceof TaskCompleted c && c.taskId().equals(
            "implement-core.part-1"), conflict);
        final int measuredAgain = indexOf(events, e -> e instanceof WorkflowEvent.GatesRequested g &&
            g.phaseId().equals("implementation") && g.round() == 2, conflict);
        assertTrue(rerun < measuredAgain, "the phase is measured again only after the conflicted subtask re-ran: " +
            "re-run at " + rerun + ", measured again at " + measuredAgain);
    }

    private static int indexOf(final List<WorkflowEvent> events, final java.util.function.Predicate<WorkflowEvent> test)
    {
        return indexOf(events, test, -1);
    }

    private static int indexOf(final List<WorkflowEvent> events, final java.util.function.Predicate<WorkflowEvent> test,
        final int after)
    {
        for (int i = after + 1; i < events.size(); i++)
        {
            if (test.test(events.get(i)))
            {
                return i;
            }
        }
        throw new AssertionError("no such event after " + after + " in " + events);
    }
}
