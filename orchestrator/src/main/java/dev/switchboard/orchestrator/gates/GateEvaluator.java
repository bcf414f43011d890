/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Holds measurements against gates. A pure function: the same gates and measurements always give an equal
 * report, so a recorded evaluation replays exactly.
 *
 * <p>Thread-safe (stateless). Allocates the report.
 */
public final class GateEvaluator
{
    private GateEvaluator()
    {
    }

    /**
     * Evaluates every gate, in order, against {@code measured}. A metric absent from the map is
     * {@link ThresholdResult.Outcome#NOT_MEASURED}; see {@link GateStatus} for how that affects the gate.
     *
     * @param gates    the gates.
     * @param measured the values seen; metrics not present were not measured. Values must be finite.
     * @return the report.
     * @throws IllegalArgumentException when a measured value is NaN or infinite, which is a broken measurement
     *                                  rather than a result.
     */
    public static GateReport evaluate(final QualityGates gates, final Map<Metric, Double> measured)
    {
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(measured, "measured");
        for (final Map.Entry<Metric, Double> entry : measured.entrySet())
        {
            final Double value = entry.getValue();
            if (value == null || !Double.isFinite(value))
            {
                throw new IllegalArgumentException(
                    "measured value of " + entry.getKey() + " must be a finite number, was " + value);
            }
        }
        final List<GateResult> results = new ArrayList<>(gates.gates().size());
        for (final QualityGate gate : gates)
        {
            results.add(evaluate(gate, measured, metric -> ""));
        }
        return new GateReport(results);
    }

    /**
     * Evaluates every gate, in order, against what the orchestrator measured. A threshold on a metric without a
     * value is {@link ThresholdResult.Outcome#NOT_MEASURED} and carries the measurement's reason, so a blocking
     * gate that fails on it says why ({@code not measured (mvn exited with 1: ...)}).
     *
     * @param gates        the gates.
     * @param measurements what was measured, and why the rest was not.
     * @return the report.
     */
    public static GateReport evaluate(final QualityGates gates, final Measurements measurements)
    {
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(measurements, "measurements");
        final Map<Metric, Double> measured = measurements.values();
        final List<GateResult> results = new ArrayList<>(gates.gates().size());
        for (final QualityGate gate : gates)
        {
            results.add(evaluate(gate, measured, measurements::reasonNotMeasured));
        }
        return new GateReport(results);
    }

    private static GateResult evaluate(final QualityGate gate, final Map<Metric, Double> measured,
        final Function<Metric, String> reasons)
    {
        final List<ThresholdResult> results = new ArrayList<>(gate.thresholds().size());
        boolean missed = false;
        boolean unmeasured = false;
        for (final Threshold threshold : gate.thresholds())
        {
            final ThresholdResult result = ThresholdResult.check(threshold, measured.get(threshold.metric()),
                reasons.apply(threshold.metric()));
            missed |= result.outcome() == ThresholdResult.Outcome.MISSED;
            unmeasured |= result.outcome() == ThresholdResult.Outcome.NOT_MEASURED;
            results.add(result);
        }
        return new GateResult(gate, status(gate.enforcement(), missed, unmeasured), results);
    }

    private static GateStatus status(final Enforcement enforcement, final boolean missed, final boolean unmeasured)
    {
        if (!missed && !unmeasured)
        {
            return GateStatus.PASSED;
        }
        if (enforcement == Enforcement.BLOCKING)
        {
            return GateStatus.FAILED;
        }
        return missed ? GateStatus.WARNED : GateStatus.NOT_MEASURED;
    }
}
