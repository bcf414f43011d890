/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * Quality gates: named sets of {@link dev.switchboard.orchestrator.gates.Threshold thresholds} over measured
 * {@link dev.switchboard.orchestrator.gates.Metric metrics}, each gate
 * {@link dev.switchboard.orchestrator.gates.Enforcement#BLOCKING BLOCKING} or
 * {@link dev.switchboard.orchestrator.gates.Enforcement#WARNING WARNING}.
 * <ul>
 *   <li>{@link dev.switchboard.orchestrator.gates.QualityGates}: the profiles ({@code defaults()},
 *       {@code strict()}, {@code lenient()}) with the thresholds of the original specification, and overrides
 *       by gate name or spec string.</li>
 *   <li>{@link dev.switchboard.orchestrator.gates.GateEvaluator}: measured values in, a
 *       {@link dev.switchboard.orchestrator.gates.GateReport} out, stating for every threshold the value seen and
 *       the value required.</li>
 * </ul>
 * Owns nothing but values: every type here is immutable and thread-safe, and evaluation is a pure function
 * of the gates and the measurements. What happens after a blocking failure (remediation, retry) belongs to
 * {@code dev.switchboard.orchestrator.recovery}; {@link dev.switchboard.orchestrator.gates.GateReport#ERROR_KIND}
 * is the error kind a failed report is handed over with.
 */
package dev.switchboard.orchestrator.gates;
