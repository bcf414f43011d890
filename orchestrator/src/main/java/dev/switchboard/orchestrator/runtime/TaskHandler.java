/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

/**
 * Does one task for a {@link TaskAgent}. Called on the agent's worker thread, one task at a time; it may block for
 * as long as the work takes (the agent keeps its lease alive meanwhile) and should return promptly when
 * interrupted (the agent is closing).
 */
@FunctionalInterface
public interface TaskHandler
{
    /**
     * @param taskId     the task.
     * @param capability what it needs.
     * @return how it went; an exception thrown is reported as a failure of kind {@code HANDLER_ERROR}.
     * @throws InterruptedException when the agent is closing.
     */
    TaskOutcome handle(String taskId, String capability) throws InterruptedException;
}
