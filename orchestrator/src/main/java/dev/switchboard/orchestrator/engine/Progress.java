/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far a workflow has got, at the logical time of its latest event ({@link WorkflowEngine#progress()}).
 *
 * <ul>
 *   <li><b>percentComplete</b> is weighted by the tasks' estimated minutes: a completed or skipped task counts
 *       its whole estimate, an assigned or running one its estimate times its latest reported percent, others
 *       nothing. When no task has an estimate every task weighs one.</li>
 *   <li><b>velocity</b> is completed tasks per minute of logical time since start (skipped tasks are not work
 *       done); 0 before a minute has any completion.</li>
 *   <li><b>estimatedCompletionMs</b> is the latest event's time plus the tasks not done divided by the velocity;
 *       empty while the velocity is 0; the latest event's time once every task is done.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param workflowId             the workflow instance.
 * @param status                 where the workflow stands.
 * @param currentPhase           the first phase whose gates have not passed; the last phase when all have.
 * @param percentComplete        0 to 100.
 * @param tasksDone              completed or skipped tasks.
 * @param tasksTotal             all tasks.
 * @param velocityTasksPerMinute completed tasks per logical minute.
 * @param estimatedCompletionMs  logical time at which the workflow should complete, if known.
 * @param blocked                tasks that cannot proceed by themselves, with why; in declaration order.
 * @param agentsActive           agents with an assigned or running task, sorted.
 * @param gates                  phase id to gate state, in phase order.
 * @param failedGates            phase id to the summary of its failed gates.
 */
public record Progress(
    String workflowId,
    WorkflowStatus status,
    String currentPhase,
    double percentComplete,
    int tasksDone,
    int tasksTotal,
    double velocityTasksPerMinute,
    OptionalLong estimatedCompletionMs,
    List<BlockedTask> blocked,
    List<String> agentsActive,
    Map<String, GateState> gates,
    Map<String, String> failedGates)
{
    /** Copies. */
    public Progress
    {
        Objects.requireNonNull(estimatedCompletionMs, "estimatedCompletionMs");
        blocked = List.copyOf(blocked);
        agentsActive = List.copyOf(agentsActive);
        gates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gates));
        failedGates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failedGates));
    }

    /** Why a task cannot proceed by itself. */
    public enum Cause
    {
        /** Ready, but no capable agent exists or every capable agent is busy. */
        NO_AGENT,
        /** Failed and waiting for its retry timer. */
        WAITING_RETRY,
        /** Waiting for the Director. */
        ESCALATED
    }

    /**
     * A task that cannot proceed by itself.
     *
     * @param taskId     the task.
     * @param capability the capability it needs.
     * @param cause      why, for programs.
     * @param detail     why, for people.
     */
    public record BlockedTask(String taskId, String capability, Cause cause, String detail)
    {
        /** Validates. */
        public BlockedTask
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(capability, "capability");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
