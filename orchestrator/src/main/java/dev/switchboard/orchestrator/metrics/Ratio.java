/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.metrics;

import java.util.Locale;
import java.util.OptionalDouble;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A count of successes out of a count of cases, kept as both counts so that runs add up exactly; a ratio of no
 * case has no value ("not measured"), never a default. Immutable.
 *
 * @param numerator   the successes; between 0 and the denominator.
 * @param denominator the cases; never negative.
 */
public record Ratio(@JsonProperty("of") long numerator, @JsonProperty("total") long denominator)
{
    /** A ratio of no case. */
    public static final Ratio NONE = new Ratio(0, 0);

    /** Validates. */
    public Ratio
    {
        if (denominator < 0 || numerator < 0 || numerator > denominator)
        {
            throw new IllegalArgumentException("a ratio needs 0 <= numerator <= denominator, was " + numerator + "/" +
                denominator);
        }
    }

    /**
     * @param other another ratio.
     * @return both counts summed.
     */
    public Ratio plus(final Ratio other)
    {
        return new Ratio(numerator + other.numerator, denominator + other.denominator);
    }

    /** @return numerator / denominator as a percentage, or empty when there is no case. */
    @JsonIgnore
    public OptionalDouble percent()
    {
        return denominator == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * numerator / denominator);
    }

    @Override
    public String toString()
    {
        return percent().isPresent() ? String.format(Locale.ROOT, "%.1f %% (%d/%d)", percent().getAsDouble(),
            numerator, denominator) : "not measured (no case)";
    }
}
