/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

/**
 * The outcome of one gate. A missing measurement never passes a gate:
 * <ul>
 *   <li>{@link #PASSED}: every threshold measured and met.</li>
 *   <li>{@link #FAILED}: a BLOCKING gate with a threshold missed <em>or not measured</em>; an unmeasured blocking
 *       gate fails because "we did not look" must not read as "it is fine".</li>
 *   <li>{@link #WARNED}: a WARNING gate with a threshold missed.</li>
 *   <li>{@link #NOT_MEASURED}: a WARNING gate with nothing missed but some threshold not measured.</li>
 * </ul>
 */
public enum GateStatus
{
    /** Every threshold measured and met. */
    PASSED,
    /** A BLOCKING gate missed or could not check a threshold; blocks the task. */
    FAILED,
    /** A WARNING gate missed a threshold; reported, does not block. */
    WARNED,
    /** A WARNING gate could not check a threshold and missed none; reported, does not block. */
    NOT_MEASURED
}
