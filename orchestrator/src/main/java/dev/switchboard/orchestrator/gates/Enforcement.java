/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

/** What a failed {@link QualityGate} does to the task that was measured. */
public enum Enforcement
{
    /** A failure stops the task: {@link GateReport#passed()} is false and remediation and retry follow. */
    BLOCKING,
    /** A failure is reported as {@link GateStatus#WARNED} and the task goes on. */
    WARNING
}
