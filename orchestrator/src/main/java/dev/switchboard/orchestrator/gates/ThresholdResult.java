/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One threshold checked against one measurement.
 *
 * <p>Immutable and thread-safe.
 *
 * @param threshold what was required.
 * @param measured  the value seen, or empty when the metric was not measured.
 * @param outcome   met, missed, or not measured.
 * @param reason    why the metric was not measured, for example {@code mvn exited with 1: ...}; empty when it was
 *                  measured, and when nobody said why.
 */
public record ThresholdResult(Threshold threshold, OptionalDouble measured, Outcome outcome, String reason)
{
    /** How a threshold fared. */
    public enum Outcome
    {
        /** The measured value satisfies the threshold. */
        MET,
        /** The measured value does not satisfy the threshold. */
        MISSED,
        /** There was no measurement for the threshold's metric. */
        NOT_MEASURED
    }

    /**
     * Validates that the outcome agrees with the measurement.
     *
     * @throws IllegalArgumentException when {@code outcome} contradicts {@code measured}.
     */
    public ThresholdResult
    {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        final boolean expectedMeasured = outcome != Outcome.NOT_MEASURED;
        if (measured.isPresent() != expectedMeasured ||
            (measured.isPresent() && threshold.isMetBy(measured.getAsDouble()) != (outcome == Outcome.MET)))
        {
            throw new IllegalArgumentException(
                "outcome " + outcome + " contradicts measurement " + measured + " for " + threshold);
        }
    }

    /**
     * Checks {@code threshold} against a measurement.
     *
     * @param threshold the requirement.
     * @param measured  the value seen, or null when not measured.
     * @param reason    why it was not measured ({@code ""} when unknown); ignored when measured.
     * @return the result.
     */
    static ThresholdResult check(final Threshold threshold, final Double measured, final String reason)
    {
        if (measured == null)
        {
            return new ThresholdResult(threshold, OptionalDouble.empty(), Outcome.NOT_MEASURED, reason);
        }
        return new ThresholdResult(threshold, OptionalDouble.of(measured),
            threshold.isMetBy(measured) ? Outcome.MET : Outcome.MISSED, "");
    }

    /**
     * What happened, in words: {@code TEST_COVERAGE_PERCENT: measured 79.9 %, required >= 80 % (missed)}, or
     * {@code TEST_COVERAGE_PERCENT: not measured (mvn exited with 1: ...), required >= 80 %}.
     *
     * @return the message.
     */
    public String message()
    {
        final Metric metric = threshold.metric();
        final String required = "required " + threshold.comparison().symbol() + " " + metric.format(threshold.value());
        return switch (outcome)
        {
            case MET -> metric + ": measured " + metric.format(measured.getAsDouble()) + ", " + required + " (met)";
            case MISSED -> metric + ": measured " + metric.format(measured.getAsDouble()) + ", " + required +
                " (missed)";
            case NOT_MEASURED -> metric + ": not measured" + (reason.isEmpty() ? "" : " (" + reason + ")") + ", " +
                required;
        };
    }
}
