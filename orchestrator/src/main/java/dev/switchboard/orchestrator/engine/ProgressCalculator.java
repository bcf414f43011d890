/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

import dev.switchboard.orchestrator.selection.Assignment;
import dev.switchboard.orchestrator.selection.TaskDemand;

/** Computes {@link Progress} from an engine's state; the formulas are documented on {@link Progress}. */
final class ProgressCalculator
{
    private static final double MS_PER_MINUTE = 60_000.0;

    private ProgressCalculator()
    {
    }

    static Progress compute(final WorkflowEngine engine)
    {
        final Map<String, WorkflowEngine.TaskRecord> tasks = engine.tasks();
        final boolean byEstimate = tasks.values().stream().anyMatch(t -> t.definition.estimatedMinutes() > 0);
        double totalWeight = 0;
        double doneWeight = 0;
        int done = 0;
        int completed = 0;
        final TreeSet<String> active = new TreeSet<>();
        final List<Progress.BlockedTask> blocked = new ArrayList<>();
        final List<WorkflowEngine.TaskRecord> readyPending = new ArrayList<>();
        int counted = 0;
        for (final WorkflowEngine.TaskRecord task : tasks.values())
        {
            if (task.state == TaskState.DECOMPOSED || task.parentId != null && tasks.get(task.parentId).state.isDone())
            {
                continue; // a decomposed task counts through its subtasks; once it is done, as itself
            }
            counted++;
            final double weight = byEstimate ? task.definition.estimatedMinutes() : 1.0;
            totalWeight += weight;
            final String capability = task.definition.capability();
            switch (task.state)
            {
                case COMPLETED, SKIPPED ->
                {
                    doneWeight += weight;
                    done++;
                    completed += task.state == TaskState.COMPLETED ? 1 : 0;
                }
                case ASSIGNED, RUNNING ->
                {
                    doneWeight += weight * task.percent / 100.0;
                    active.add(task.agent);
                }
                case WAITING_RETRY -> blocked.add(new Progress.BlockedTask(task.id(), capability,
                    Progress.Cause.WAITING_RETRY, "attempt " + task.retryAttempt + " on " + task.agent + " is due at " +
                    task.retryAtMs + " ms after: " + task.lastFailure.message()));
                case ESCALATED -> blocked.add(new Progress.BlockedTask(task.id(), capability,
                    Progress.Cause.ESCALATED, "waiting for the Director: " + task.note));
                case PENDING ->
                {
                    if (engine.unmetDependencies(task).isEmpty())
                    {
                        readyPending.add(task);
                    }
                }
                case FAILED, DECOMPOSED ->
                {
                }
            }
        }
        if (!readyPending.isEmpty() && engine.status() == WorkflowStatus.RUNNING)
        {
            final List<TaskDemand> demands = readyPending.stream()
                .map(t -> new TaskDemand(t.id(), t.definition.capability())).toList();
            final Assignment assignment = engine.selector().assign(demands, engine.currentCandidates());
            for (final WorkflowEngine.TaskRecord task : readyPending)
            {
                final Assignment.Unassigned why = assignment.unassigned().get(task.id());
                if (why != null)
                {
                    blocked.add(new Progress.BlockedTask(task.id(), task.definition.capability(),
                        Progress.Cause.NO_AGENT, why.message()));
                }
            }
        }

        final double percent = totalWeight == 0 ? 100.0 : 100.0 * doneWeight / totalWeight;
        final long now = Math.max(engine.lastEventMs(), 0);
        final double elapsedMinutes = (now - engine.startedAtMs()) / MS_PER_MINUTE;
        final double velocity = engine.startedAtMs() < 0 || elapsedMinutes <= 0 ? 0.0 : completed / elapsedMinutes;
        final int remaining = counted - done;
        final OptionalLong eta;
        if (remaining == 0)
        {
            eta = OptionalLong.of(now);
        }
        else if (velocity > 0)
        {
            eta = OptionalLong.of(now + Math.round(remaining / velocity * MS_PER_MINUTE));
        }
        else
        {
            eta = OptionalLong.empty();
        }

        final Map<String, String> failedGates = new LinkedHashMap<>();
        String currentPhase = null;
        for (final Map.Entry<String, GateState> gate : engine.gates().entrySet())
        {
            if (gate.getValue() == GateState.FAILED)
            {
                failedGates.put(gate.getKey(), engine.gateSummaries().get(gate.getKey()));
            }
            if (currentPhase == null && gate.getValue() != GateState.PASSED)
            {
                currentPhase = gate.getKey();
            }
        }
        if (currentPhase == null)
        {
            final List<String> phaseIds = engine.definition().phaseIds();
            currentPhase = phaseIds.get(phaseIds.size() - 1);
        }
        return new Progress(engine.workflowId(), engine.status(), currentPhase, percent, done, counted, velocity,
            eta, blocked, List.copyOf(active), engine.gates(), failedGates);
    }
}
