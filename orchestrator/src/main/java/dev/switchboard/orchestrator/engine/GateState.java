/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

/** Where a phase's quality gates stand in the {@link WorkflowEngine}. */
public enum GateState
{
    /** Some task of the phase is not done yet. */
    PENDING,
    /** Every task is done; the host is merging and measuring the phase ({@code MeasurePhase}). */
    MEASURING,
    /** Evaluated and no blocking gate failed; the phase's tasks count as done for their dependents. */
    PASSED,
    /** Evaluated and a blocking gate failed; its remediation tasks run, or its last task is being recovered. */
    FAILED
}
