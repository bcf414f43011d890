/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the orchestrator found for one metric: a value with the evidence it came from, or "not measured" with why.
 * A metric nobody measured has no value, never a default one: a blocking gate on it fails with {@link #note()}.
 *
 * <p>The details are the specifics someone needs to act on the value, one finding per line, worst first: the
 * least-covered files with their missed lines, the failing tests, the complex methods, the lint findings
 * ({@code path:line rule: message}). {@link #toString()} stays one line; {@link #describe()} renders the measurement
 * with its details as Markdown for a prompt.
 *
 * <p>Immutable and thread-safe.
 *
 * @param metric  the metric.
 * @param value   the value seen, finite; empty when not measured.
 * @param note    for a value, where it came from ({@code jacoco: 31 of 50 lines}); otherwise why it was not measured
 *                ({@code mvn exited with 1: ...}); never blank.
 * @param details the specifics behind the value, one line each, worst first, at most {@link #MAX_DETAILS}; empty
 *                when there are none (or none were gathered).
 */
public record Measurement(Metric metric, OptionalDouble value, String note, List<String> details)
{
    /** Detail lines kept at most, so a prompt or a console stays readable on a large tree. */
    public static final int MAX_DETAILS = 30;
    /** Characters of one detail kept at most (a test failure's message can be a page). */
    public static final int MAX_DETAIL_CHARS = 300;

    /**
     * Validates and copies; each detail is made one line (line breaks and runs of white space become one space,
     * longer than {@link #MAX_DETAIL_CHARS} is cut), blank ones are dropped and the first {@link #MAX_DETAILS} kept.
     *
     * @throws IllegalArgumentException when the value is not finite or the note is blank.
     */
    public Measurement
    {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(note, "note");
        details = oneLineEach(details);
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
     * A measurement without details.
     *
     * @param metric the metric.
     * @param value  the value seen, finite; empty when not measured.
     * @param note   where it came from, or why there is none.
     */
    public Measurement(final Metric metric, final OptionalDouble value, final String note)
    {
        this(metric, value, note, List.of());
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

    /**
     * @param lines the specifics behind the value, worst first; more than {@link #MAX_DETAILS} are cut.
     * @return this measurement with those details instead of its own.
     */
    public Measurement withDetails(final List<String> lines)
    {
        return new Measurement(metric, value, note, lines);
    }

    /** @return true when there is a value. */
    public boolean measured()
    {
        return value.isPresent();
    }

    /**
     * The measurement with every detail, as Markdown for a prompt: {@link #toString()} on the first line, then one
     * {@code - } bullet per detail.
     *
     * @return the text, without a trailing line break.
     */
    public String describe()
    {
        return describe(MAX_DETAILS);
    }

    /**
     * The measurement with its first details, as Markdown: {@link #toString()}, then one {@code - } bullet per
     * detail, and {@code - ... and N more} when some were left out.
     *
     * @param maxDetails how many detail lines to show at most, 0 for none.
     * @return the text, without a trailing line break.
     */
    public String describe(final int maxDetails)
    {
        final StringBuilder text = new StringBuilder(toString());
        final int shown = Math.min(Math.max(0, maxDetails), details.size());
        for (int i = 0; i < shown; i++)
        {
            text.append('\n').append("- ").append(details.get(i));
        }
        if (shown < details.size())
        {
            text.append('\n').append("- ... and ").append(details.size() - shown).append(" more");
        }
        return text.toString();
    }

    /** @return {@code METRIC: 80 % (evidence)} or {@code METRIC: not measured: why}, one line, without the details. */
    @Override
    public String toString()
    {
        return value.isPresent() ? metric + ": " + metric.format(value.getAsDouble()) + " (" + note + ")" :
            metric + ": not measured: " + note;
    }

    private static List<String> oneLineEach(final List<String> details)
    {
        final List<String> lines = new ArrayList<>();
        for (final String detail : details)
        {
            final String line = detail.strip().replaceAll("\\s+", " ");
            if (!line.isEmpty() && lines.size() < MAX_DETAILS)
            {
                lines.add(line.length() > MAX_DETAIL_CHARS ? line.substring(0, MAX_DETAIL_CHARS - 3) + "..." : line);
            }
        }
        return List.copyOf(lines);
    }
}
