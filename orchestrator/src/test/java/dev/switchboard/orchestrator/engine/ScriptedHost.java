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

import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.selection.Candidate;

/**
 * A host whose agents follow a script: each assignment starts at once and, after its task's estimated minutes of
 * logical time, completes with good metrics, unless the script says that attempt fails. Retries fire exactly when
 * due; the Director always answers RETRY.
 */
final class ScriptedHost
{
    static final long MINUTE = 60_000L;
    static final long SUBTASK_MINUTES = 30;

    static final Map<Metric, Double> GOOD = Map.of(
        Metric.TEST_COVERAGE_PERCENT, 90.0, Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0, Metric.DUPLICATION_PERCENT, 1.0,
        Metric.CRITICAL_VULNERABILITIES, 0.0, Metric.HIGH_VULNERABILITIES, 0.0, Metric.P95_RESPONSE_MS, 20.0,
        Metric.MEMORY_MB, 100.0, Metric.API_DOCS_PERCENT, 100.0);

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
    private final Map<String, Integer> assignments = new HashMap<>();
    private final Deque<WorkflowEvent> pending = new ArrayDeque<>();
    final List<Step> steps = new ArrayList<>();
    final List<EngineCommand> allCommands = new ArrayList<>();

    ScriptedHost(final WorkflowEngine engine, final Map<String, String> failures)
    {
        this.engine = engine;
        this.failures = failures;
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
                case EngineCommand.EscalateToDirector escalate -> pending.add(new WorkflowEvent.DirectorDecided(nowMs,
                    escalate.request().failure().taskId(), DirectorDecision.retry("try again")));
                default ->
                {
                }
            }
        }
    }
}
