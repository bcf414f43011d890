/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

/** Where a task stands in the {@link WorkflowEngine}. */
public enum TaskState
{
    /** Not yet given to an agent: waiting for its dependencies or for a free capable agent. */
    PENDING,
    /** Given to an agent that has not reported starting. */
    ASSIGNED,
    /** The agent reported starting. */
    RUNNING,
    /** Succeeded. */
    COMPLETED,
    /** Failed; recovery decides next (transient inside one event), or the Director aborted the workflow. */
    FAILED,
    /** The workflow goes on without it. */
    SKIPPED,
    /** Failed, and will run again on the same agent when its retry timer fires; keeps its agent slot. */
    WAITING_RETRY,
    /** Recovery gave up; waiting for the Director's decision. */
    ESCALATED,
    /** Split into subtasks by recovery; completes (or is skipped) when every subtask is done. */
    DECOMPOSED;

    /** @return true when the task's agent slot is taken by it. */
    public boolean holdsAgent()
    {
        return this == ASSIGNED || this == RUNNING || this == WAITING_RETRY;
    }

    /** @return true when the task no longer needs work: {@link #COMPLETED} or {@link #SKIPPED}. */
    public boolean isDone()
    {
        return this == COMPLETED || this == SKIPPED;
    }
}
