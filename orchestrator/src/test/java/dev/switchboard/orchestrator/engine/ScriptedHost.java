/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.selection.Candidate;

/**
 * A host whose agents follow a script: each assignment starts at once and, after its task's estimated minutes of
 * logical time, completes (reporting good metrics, which no gate reads), unless the script says that attempt fails.
 * Retries fire exactly when due; the Director always answers RETRY. A phase to measure is measured at once by the
 * host's {@link Tools}: {@link #GOOD_TOOLS} unless the test gives others; a phase and round listed in
 * {@link #conflict} report that merge conflict instead.
 */
final class ScriptedHost
{
    static final long MINUTE = 60_000L;
    static final long SUBTASK_MINUTES = 30;

    static final Map<Metric, Double> GOOD = Map.of(
        Metric.TEST_COVERAGE_PERCENT, 90.0, Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0, Metric.DUPLICATION_PERCENT, 1.0,
        Metric.CRITICAL_VULNERABILITIES, 0.0, Metric.HIGH_VULNERABILITIES, 0.0, Metric.P95_RESPONSE_MS, 20.0,
        Metric.MEMORY_MB, 100.0, Metric.API_DOCS_PERCENT, 100.0);

    /** What the host's tools measure on a phase's merged tree. */
    @FunctionalInterface
    interface Tools
    {
        /**
         * @param phaseId the phase.
         * @param round   the measurement round, from 1.
         * @param metric  a metric the phase's gates read.
         * @return the value, or null when the tools could not measure it.
         */
        Double value(String phaseId, int round, Metric metric);
    }

    /** Every metric at its {@link #GOOD} value; a metric without one is not measured. */
    static final Tools GOOD_TOOLS = (phaseId, round, metric) -> GOOD.get(metric);

    /**
     * @param phaseId  the phase whose measurements differ from {@link #GOOD}.
     * @param byRound  per round (index 0 for round 1), the values that replace the good ones; the last applies to
     *                 later rounds too.
     * @return tools measuring {@link #GOOD} everywhere else.
     */
    static Tools measuring(final String phaseId, final List<Map<Metric, Double>> byRound)
    {
        return (phase, round, metric) ->
        {
            if (!phase.equals(phaseId))
            {
                return GOOD.get(metric);
            }
            final Map<Metric, Double> values = byRound.get(Math.min(round, byRound.size()) - 1);
            return values.containsKey(metric) ? values.get(metric) : GOOD.get(metric);
        };
    }

    /**
     * @param phaseId a phase.
     * @param metrics what its gates read.
     * @param round   the round.
     * @param tools   the tools.
     * @return one measured metric per metric, as the host reports it.
     */
    static List<MeasuredMetric> measure(final String phaseId, final Set<Metric> metrics, final int round,
        final Tools tools)
    {
        final List<MeasuredMetric> measured = new ArrayList<>();
        for (final Metric metric : new TreeSet<>(metrics))
        {
            final Double value = tools.value(phaseId, round, metric);
            measured.add(value == null ?
                new MeasuredMetric(metric, null, "not measured: no tool for " + metric + " here", List.of()) :
                new MeasuredMetric(metric, value, "scripted tools", List.of()));
        }
        return measured;
    }

    /** ada designs, implements and documents; bob implements and tests; cyd tests, optimizes, documents. */
    static List<Candidate> threeAgents()
    {
        return List.of(
            new Candidate("ada", 1, Set.of("design", "implementation", "documentation"), 0, 2, 0, 0),
            new Candidate("bob", 2, Set.of("implementation", "testing"), 0, 2, 0, 0),
            new Candidate("cyd", 3, Set.of("testing", "optimization", "documentation", "implementation"), 0, 2, 0, 0));
    }

    /** One input given to the engine and the commands it answered with. */
    record Step(WorkflowEvent input, List<EngineCommand> commands)
    {
    }

    private final WorkflowEngine engine;
    /** "taskId#n" (n-th assignment of the task, from 1) to the error kind that assignment fails with. */
    private final Map<String, String> failures;
    private final Tools tools;
    /** "phaseId#round" to the conflicts that measurement reports. */
    private final Map<String, Map<String, String>> conflicts = new HashMap<>();
    private final Map<String, Integer> assignments = new HashMap<>();
    private final Deque<WorkflowEvent> pending = new ArrayDeque<>();
    final List<Step> steps = new ArrayList<>();
    final List<EngineCommand> allCommands = new ArrayList<>();

    ScriptedHost(final WorkflowEngine engine, final Map<String, String> failures)
    {
        this(engine, failures, GOOD_TOOLS);
    }

    ScriptedHost(final WorkflowEngine engine, final Map<String, String> failures, final Tools tools)
    {
        this.engine = engine;
        this.failures = failures;
        this.tools = tools;
    }

    /**
     * The merge of the phase's work in that round conflicts for these tasks.
     *
     * @param phaseId   the phase.
     * @param round     the measurement round.
     * @param conflicts task id to what conflicted.
     * @return this.
     */
    ScriptedHost conflict(final String phaseId, final int round, final Map<String, String> conflicts)
    {
        this.conflicts.put(phaseId + "#" + round, conflicts);
        return this;
    }

    void start(final long nowMs)
    {
        react(engine.start(nowMs), nowMs);
    }

    /** Feeds the scheduled inputs in logical-time order until none is left or {@code maxSteps} were given. */
    void run(final int maxSteps)
    {
        for (int i = 0; i < maxSteps && !pending.isEmpty(); i++)
        {
            final WorkflowEvent next = pending.stream().min((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()))
                .orElseThrow();
            pending.remove(next);
            final List<EngineCommand> commands = engine.onEvent(next);
            steps.add(new Step(next, commands));
            react(commands, next.timestampMs());
        }
    }

    private void react(final List<EngineCommand> commands, final long nowMs)
    {
        allCommands.addAll(commands);
        for (final EngineCommand command : commands)
        {
            switch (command)
            {
                case EngineCommand.AssignTask assign ->
                {
                    final int n = assignments.merge(assign.taskId(), 1, Integer::sum);
                    final long minutes = engine.definition().tasks().stream()
                        .filter(t -> t.id().equals(assign.taskId())).findFirst()
                        .map(t -> (long)t.estimatedMinutes()).orElse(SUBTASK_MINUTES); // subtasks are not defined
                    final long end = nowMs + minutes * MINUTE;
                    final String failure = failures.get(assign.taskId() + "#" + n);
                    pending.add(failure == null ?
                        new WorkflowEvent.TaskCompleted(end, assign.taskId(), GOOD) :
                        new WorkflowEvent.TaskFailed(end, assign.taskId(), failure, "scripted " + failure));
                }
                case EngineCommand.ScheduleRetry retry ->
                    pending.add(new WorkflowEvent.RetryTimerFired(retry.atMs(), retry.taskId()));
                case EngineCommand.MeasurePhase measure ->
                {
                    final Map<String, String> conflicted =
                        conflicts.getOrDefault(measure.phaseId() + "#" + measure.round(), Map.of());
                    pending.add(new PhaseMeasured(nowMs, measure.phaseId(), conflicted, conflicted.isEmpty() ?
                        measure(measure.phaseId(), measure.metrics(), measure.round(), tools) : List.of()));
                }
                case EngineCommand.EscalateToDirector escalate -> pending.add(new WorkflowEvent.DirectorDecided(nowMs,
                    escalate.request().failure().taskId(), DirectorDecision.retry("try again")));
                default ->
                {
                }
            }
        }
    }
}
