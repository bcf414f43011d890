/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the orchestrator found for one metric: a value with the evidence it came from, or "not measured" with why.
 * A metric nobody measured has no value, never a default one: a blocking gate on it fails with {@link #note()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param metric the metric.
 * @param value  the value seen, finite; empty when not measured.
 * @param note   for a value, where it came from ({@code jacoco: 31 of 50 lines}); otherwise why it was not measured
 *               ({@code mvn exited with 1: ...}); never blank.
 */
public record Measurement(Metric metric, OptionalDouble value, String note)
{
    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the value is not finite or the note is blank.
     */
    public Measurement
    {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(note, "note");
        if (value.isPresent() && !Double.isFinite(value.getAsDouble()))
        {
            throw new IllegalArgumentException(metric + " must be a finite number, was " + value.getAsDouble());
        }
        if (note.isBlank())
        {
            throw new IllegalArgumentException(metric + " needs a note saying where the value came from or why " +
                "there is none");
        }
    }

    /**
     * @param metric   the metric.
     * @param value    the value seen.
     * @param evidence where it came from.
     * @return a measured value.
     */
    public static Measurement of(final Metric metric, final double value, final String evidence)
    {
        return new Measurement(metric, OptionalDouble.of(value), evidence);
    }

    /**
     * @param metric the metric.
     * @param why    why it could not be measured, in words the user can act on.
     * @return a metric without a value.
     */
    public static Measurement notMeasured(final Metric metric, final String why)
    {
        return new Measurement(metric, OptionalDouble.empty(), why);
    }

    /** @return true when there is a value. */
    public boolean measured()
    {
        return value.isPresent();
    }

    /** @return {@code METRIC: 80 % (evidence)} or {@code METRIC: not measured: why}. */
    @Override
    public String toString()
    {
        return value.isPresent() ? metric + ": " + metric.format(value.getAsDouble()) + " (" + note + ")" :
            metric + ": not measured: " + note;
    }
}
