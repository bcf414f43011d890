/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

/** Where a workflow stands in the {@link WorkflowEngine}. */
public enum WorkflowStatus
{
    /** {@link WorkflowEngine#start(long)} has not been called. */
    NOT_STARTED,
    /** Started and not finished. */
    RUNNING,
    /** Every task completed or was skipped and every phase's gates passed. */
    COMPLETED,
    /** Stopped without completing (the Director aborted it). */
    FAILED
}
