/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Objects;

/**
 * What the runtime enqueues on {@code tasks.<agent>} for an {@code AssignTask}: one line of JSON,
 * {@code {"workflowId":..,"taskId":..,"capability":..,"attempt":..}}.
 *
 * @param workflowId the workflow instance.
 * @param taskId     the task.
 * @param capability what the task needs.
 * @param attempt    the attempt on this agent, from 1.
 */
public record WorkItem(String workflowId, String taskId, String capability, int attempt)
{
    /** The queue an agent consumes its work from: {@code tasks.<agentName>}. */
    public static final String QUEUE_PREFIX = "tasks.";

    /** Validates. */
    public WorkItem
    {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(capability, "capability");
    }

    /**
     * @param agentName an agent.
     * @return the name of its work queue.
     */
    public static String queueOf(final String agentName)
    {
        return QUEUE_PREFIX + agentName;
    }

    byte[] toBytes()
    {
        return Json.write(this);
    }

    static WorkItem fromBytes(final byte[] bytes)
    {
        final WorkItem item = Json.read(bytes, WorkItem.class);
        return item == null || item.taskId() == null ? null : item;
    }
}
