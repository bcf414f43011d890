/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Objects;

import dev.switchboard.orchestrator.engine.Progress;

/**
 * What a {@link WorkflowRuntime} found when it started from a journal that already held its workflow: the workflow
 * id recorded in the journal's {@code WorkflowStarted}, and the progress rebuilt by replaying it, before any work in
 * flight is handed out again.
 *
 * @param workflowId the workflow instance, as the journal recorded it.
 * @param progress   the progress after replay.
 */
public record Resumption(String workflowId, Progress progress)
{
    /** Validates. */
    public Resumption
    {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(progress, "progress");
    }
}
