/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One constraint of a gate: {@code metric comparison value}, for example coverage {@code >= 80}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param metric     what is constrained.
 * @param comparison how the measured value must relate to {@code value}.
 * @param value      the required value; finite.
 */
public record Threshold(Metric metric, Comparison comparison, double value)
{
    /**
     * Validates the components.
     *
     * @throws NullPointerException     when metric or comparison is null.
     * @throws IllegalArgumentException when value is NaN or infinite.
     */
    public Threshold
    {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("threshold value for " + metric + " must be finite, was " + value);
        }
    }

    /**
     * A minimum, inclusive.
     *
     * @param metric the metric.
     * @param value the minimum.
     * @return {@code metric >= value}.
     */
    public static Threshold atLeast(final Metric metric, final double value)
    {
        return new Threshold(metric, Comparison.AT_LEAST, value);
    }

    /**
     * A maximum, exclusive.
     *
     * @param metric the metric.
     * @param value the exclusive maximum.
     * @return {@code metric < value}.
     */
    public static Threshold below(final Metric metric, final double value)
    {
        return new Threshold(metric, Comparison.BELOW, value);
    }

    /**
     * A maximum, inclusive.
     *
     * @param metric the metric.
     * @param value the inclusive maximum.
     * @return {@code metric <= value}.
     */
    public static Threshold atMost(final Metric metric, final double value)
    {
        return new Threshold(metric, Comparison.AT_MOST, value);
    }

    /**
     * An exact value.
     *
     * @param metric the metric.
     * @param value the exact value.
     * @return {@code metric = value}.
     */
    public static Threshold equalTo(final Metric metric, final double value)
    {
        return new Threshold(metric, Comparison.EQUAL_TO, value);
    }

    /**
     * Whether a measured value meets this threshold.
     *
     * @param measured the value seen.
     * @return true when met.
     */
    public boolean isMetBy(final double measured)
    {
        return comparison.test(measured, value);
    }

    /**
     * Parses {@code METRIC<op>value}, for example {@code TEST_COVERAGE_PERCENT>=85} (metric name is
     * case-insensitive, spaces around the operator allowed).
     *
     * @param spec the text.
     * @return the threshold.
     * @throws IllegalArgumentException saying which part of {@code spec} is wrong.
     */
    public static Threshold parse(final String spec)
    {
        Objects.requireNonNull(spec, "spec");
        int opStart = -1;
        for (int i = 0; i < spec.length(); i++)
        {
            final char c = spec.charAt(i);
            if (c == '<' || c == '>' || c == '=')
            {
                opStart = i;
                break;
            }
        }
        if (opStart <= 0)
        {
            throw new IllegalArgumentException(
                "threshold '" + spec + "' must be METRIC<op>value, e.g. TEST_COVERAGE_PERCENT>=85");
        }
        int opEnd = opStart;
        while (opEnd < spec.length() && "<>=".indexOf(spec.charAt(opEnd)) >= 0)
        {
            opEnd++;
        }
        final String metricName = spec.substring(0, opStart).trim();
        final Metric metric;
        try
        {
            metric = Metric.valueOf(metricName.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("threshold '" + spec + "' names unknown metric '" + metricName +
                "': expected one of " + Arrays.toString(Metric.values()), ex);
        }
        final Comparison comparison = Comparison.fromSymbol(spec.substring(opStart, opEnd));
        final String valueText = spec.substring(opEnd).trim();
        final double value;
        try
        {
            value = Double.parseDouble(valueText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                "threshold '" + spec + "' has value '" + valueText + "', which is not a number", ex);
        }
        return new Threshold(metric, comparison, value);
    }

    /** @return for example {@code TEST_COVERAGE_PERCENT >= 80 %}. */
    @Override
    public String toString()
    {
        return metric + " " + comparison.symbol() + " " + metric.format(value);
    }
}
