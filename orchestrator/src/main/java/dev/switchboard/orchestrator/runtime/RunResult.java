/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Objects;

import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowStatus;

/**
 * How a {@link WorkflowRuntime#run} ended.
 *
 * @param progress      the final progress; its status is COMPLETED, FAILED, or RUNNING when the run timed out or
 *                      was stopped.
 * @param timedOut      the run's time limit passed before the workflow ended.
 * @param stopped       the run was asked to stop ({@code WorkflowRuntime.Builder.stopWhen}) before the workflow ended.
 * @param failureReason why the workflow failed (or that it timed out or was stopped); empty when it completed.
 */
public record RunResult(Progress progress, boolean timedOut, boolean stopped, String failureReason)
{
    /** Validates. */
    public RunResult
    {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(failureReason, "failureReason");
    }

    /**
     * A run that was not stopped.
     *
     * @param progress      the final progress.
     * @param timedOut      the run's time limit passed before the workflow ended.
     * @param failureReason why the workflow failed (or that it timed out); empty when it completed.
     */
    public RunResult(final Progress progress, final boolean timedOut, final String failureReason)
    {
        this(progress, timedOut, false, failureReason);
    }

    /** @return the workflow's status at the end of the run. */
    public WorkflowStatus status()
    {
        return progress.status();
    }

    /** @return whether the workflow completed. */
    public boolean completed()
    {
        return progress.status() == WorkflowStatus.COMPLETED;
    }
}
