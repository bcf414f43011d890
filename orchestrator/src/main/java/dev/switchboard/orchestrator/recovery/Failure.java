/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.Objects;

/**
 * One failed attempt of a task, as recovery sees it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param taskId       the task.
 * @param errorKind    a stable name for what went wrong ({@code TASK_TIMEOUT}, {@code MERGE_CONFLICT}, ...),
 *                     which {@link RetryOptions#classOf} turns into a {@link FailureClass}; not blank.
 * @param message      what went wrong, for people.
 * @param attempt      which attempt on {@code agentName} failed, from 1; counting restarts on a new agent.
 * @param agentName    the agent that ran the attempt; not blank.
 * @param optional     whether the workflow may go on without this task.
 * @param decomposable whether the task can be split into subtasks.
 */
public record Failure(
    String taskId,
    String errorKind,
    String message,
    int attempt,
    String agentName,
    boolean optional,
    boolean decomposable)
{
    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException when a name is blank or {@code attempt < 1}.
     */
    public Failure
    {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(agentName, "agentName");
        if (taskId.isBlank() || errorKind.isBlank() || agentName.isBlank())
        {
            throw new IllegalArgumentException("taskId, errorKind and agentName must not be blank, were '" +
                taskId + "', '" + errorKind + "', '" + agentName + "'");
        }
        if (attempt < 1)
        {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt + " for task " + taskId);
        }
    }
}
