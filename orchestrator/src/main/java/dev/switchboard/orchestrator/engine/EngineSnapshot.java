/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.gates.Metric;

/**
 * The whole state of a {@link WorkflowEngine} as a value: two engines that saw the same history have equal
 * snapshots, which is how replay is checked.
 *
 * <p>Immutable and thread-safe.
 *
 * @param workflowId     the workflow instance; null before start.
 * @param status         where the workflow stands.
 * @param startedAtMs    logical time of start; -1 before start.
 * @param lastEventMs    logical time of the latest event; -1 before start.
 * @param tasks          every task, in declaration order.
 * @param gates          phase id to gate state, in phase order.
 * @param failureReason  why the workflow failed; empty unless {@link WorkflowStatus#FAILED}.
 */
public record EngineSnapshot(
    String workflowId,
    WorkflowStatus status,
    long startedAtMs,
    long lastEventMs,
    List<TaskSnapshot> tasks,
    Map<String, GateState> gates,
    String failureReason)
{
    /** Copies. */
    public EngineSnapshot
    {
        tasks = List.copyOf(tasks);
        gates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gates));
    }

    /**
     * @param taskId a task id.
     * @return that task's snapshot.
     * @throws IllegalArgumentException when there is no such task.
     */
    public TaskSnapshot task(final String taskId)
    {
        for (final TaskSnapshot task : tasks)
        {
            if (task.taskId().equals(taskId))
            {
                return task;
            }
        }
        throw new IllegalArgumentException("no task '" + taskId + "' in this workflow; tasks: " +
            tasks.stream().map(TaskSnapshot::taskId).toList());
    }

    /**
     * One task's state.
     *
     * @param taskId      the task.
     * @param phaseId     its phase.
     * @param state       where it stands.
     * @param agentName   the agent it is (or was last) on; null if never assigned.
     * @param attempt     the attempt on that agent, 0 if never assigned.
     * @param agentsTried earlier agents, sorted.
     * @param percent     the latest progress reported, 100 once completed.
     * @param metrics     the metrics reported on completion.
     * @param retryAtMs   when the pending retry is due; -1 if none.
     * @param note        why it was skipped or escalated; empty otherwise.
     */
    public record TaskSnapshot(
        String taskId,
        String phaseId,
        TaskState state,
        String agentName,
        int attempt,
        List<String> agentsTried,
        int percent,
        Map<Metric, Double> metrics,
        long retryAtMs,
        String note)
    {
        /** Copies. */
        public TaskSnapshot
        {
            agentsTried = List.copyOf(agentsTried);
            metrics = Map.copyOf(metrics);
        }
    }
}
