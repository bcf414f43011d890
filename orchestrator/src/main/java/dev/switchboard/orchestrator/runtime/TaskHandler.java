/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Set;

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

    /**
     * Does the task and says how far along it is; the {@link TaskAgent} calls this one. By default it ignores the
     * reporter and calls {@link #handle(String, String)}.
     *
     * @param taskId     the task.
     * @param capability what it needs.
     * @param progress   where to report percentages as the work goes.
     * @return how it went.
     * @throws InterruptedException when the agent is closing.
     */
    default TaskOutcome handle(final String taskId, final String capability, final ProgressReporter progress)
        throws InterruptedException
    {
        return handle(taskId, capability);
    }

    /**
     * Does the task of a work item, which carries its prompt and the directory to work in. The {@link TaskAgent}
     * calls this one. By default it calls {@link #handle(String, String, ProgressReporter)} with the item's task and
     * capability, for handlers that need neither.
     *
     * @param item     the work item.
     * @param progress where to report percentages as the work goes.
     * @return how it went.
     * @throws InterruptedException when the agent is closing or the task is cancelled.
     */
    default TaskOutcome handle(final WorkItem item, final ProgressReporter progress) throws InterruptedException
    {
        return handle(item.taskId(), item.capability(), progress);
    }

    /**
     * @param capabilities the capabilities {@code those} handles, e.g. the ones given a command.
     * @param those        handles tasks of those capabilities.
     * @param others       handles every other task.
     * @return a handler that picks one by the task's capability, progress reporting passed through.
     */
    static TaskHandler byCapability(final Set<String> capabilities, final TaskHandler those,
        final TaskHandler others)
    {
        final Set<String> chosen = Set.copyOf(capabilities);
        return new TaskHandler()
        {
            @Override
            public TaskOutcome handle(final String taskId, final String capability) throws InterruptedException
            {
                return handle(taskId, capability, ProgressReporter.NONE);
            }

            @Override
            public TaskOutcome handle(final String taskId, final String capability, final ProgressReporter progress)
                throws InterruptedException
            {
                return chosen.contains(capability) ? those.handle(taskId, capability, progress) :
                    others.handle(taskId, capability, progress);
            }

            @Override
            public TaskOutcome handle(final WorkItem item, final ProgressReporter progress) throws InterruptedException
            {
                return chosen.contains(item.capability()) ? those.handle(item, progress) :
                    others.handle(item, progress);
            }
        };
    }
}
