/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Objects;

/**
 * What the runtime enqueues on {@code tasks.<agent>} for an {@code AssignTask}: one line of JSON,
 * {@code {"workflowId":..,"taskId":..,"capability":..,"attempt":..,"prompt":..,"workDirectory":..,
 * "runDirectory":..}}. The prompt is the task's complete, self-contained instructions (a few KB; at most
 * {@link #MAX_PROMPT_CHARS} characters), so an agent needs nothing but the item to do the work.
 *
 * @param workflowId    the workflow instance.
 * @param taskId        the task.
 * @param capability    what the task needs.
 * @param attempt       the attempt on this agent, from 1.
 * @param prompt        the task's prompt; empty when the runtime has none (scripted drills).
 * @param workDirectory where the work is done: the task's own git worktree, or the shared scope directory; empty
 *                      when the runtime manages none.
 * @param runDirectory  where the agent keeps its prompt file, result file and logs for this attempt; may be empty.
 */
public record WorkItem(String workflowId, String taskId, String capability, int attempt, String prompt,
    String workDirectory, String runDirectory)
{
    /** The longest prompt a work item carries, in characters. */
    public static final int MAX_PROMPT_CHARS = 1 << 20;

    /** The queue an agent consumes its work from: {@code tasks.<agentName>}. */
    public static final String QUEUE_PREFIX = "tasks.";

    /** Validates; absent texts read as empty. */
    public WorkItem
    {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(capability, "capability");
        prompt = prompt == null ? "" : prompt;
        workDirectory = workDirectory == null ? "" : workDirectory;
        runDirectory = runDirectory == null ? "" : runDirectory;
        if (prompt.length() > MAX_PROMPT_CHARS)
        {
            throw new IllegalArgumentException("the prompt of task " + taskId + " is " + prompt.length() +
                " characters, more than a work item carries (" + MAX_PROMPT_CHARS + ")");
        }
    }

    /**
     * An item without prompt or directories.
     *
     * @param workflowId the workflow instance.
     * @param taskId     the task.
     * @param capability what the task needs.
     * @param attempt    the attempt on this agent, from 1.
     */
    public WorkItem(final String workflowId, final String taskId, final String capability, final int attempt)
    {
        this(workflowId, taskId, capability, attempt, "", "", "");
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
