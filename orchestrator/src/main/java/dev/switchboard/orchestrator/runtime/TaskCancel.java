/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Objects;

/**
 * What the runtime sends a {@link TaskAgent} to stop one attempt of a task it gave up waiting for (the task timed
 * out): one line of JSON, {@code {"cancel":true,"workflowId":..,"taskId":..,"attempt":..}}. The agent interrupts the
 * handler (an agent command's process tree is killed) or drops the item if it has not started it, so a retry never
 * waits behind the attempt it replaces.
 *
 * @param cancel     always true; tells a cancel apart from a {@link TaskReport} on the wire.
 * @param workflowId the workflow instance.
 * @param taskId     the task.
 * @param attempt    the attempt to stop.
 */
public record TaskCancel(boolean cancel, String workflowId, String taskId, int attempt)
{
    /** Validates. */
    public TaskCancel
    {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(taskId, "taskId");
    }

    /**
     * @param item a work item.
     * @return the cancel of that item's attempt.
     */
    public static TaskCancel of(final WorkItem item)
    {
        return new TaskCancel(true, item.workflowId(), item.taskId(), item.attempt());
    }

    String key()
    {
        return workflowId + '\u0000' + taskId + '\u0000' + attempt;
    }

    static String keyOf(final WorkItem item)
    {
        return of(item).key();
    }

    byte[] toBytes()
    {
        return Json.write(this);
    }

    static TaskCancel fromBytes(final byte[] bytes)
    {
        final TaskCancel cancel = Json.read(bytes, TaskCancel.class);
        return cancel == null || !cancel.cancel() || cancel.taskId() == null ? null : cancel;
    }
}
