/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.director;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How often the orchestrator publishes a {@code report} to the Director.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind  when.
 * @param every for {@link Kind#PERIODIC}, the period; zero otherwise.
 */
public record ReportFrequency(Kind kind, Duration every)
{
    /** When reports go. */
    public enum Kind
    {
        /** Never. */
        NONE,
        /** Once, when the workflow ends. */
        ON_COMPLETION,
        /** When a phase passes its gates, and once more if the workflow fails. */
        PHASE,
        /** When a task completes or is skipped, and once more if the workflow fails. */
        TASK,
        /** Every {@link ReportFrequency#every()}, and once when the workflow ends. */
        PERIODIC
    }

    /** No reports. */
    public static final ReportFrequency NONE = new ReportFrequency(Kind.NONE, Duration.ZERO);

    /** Validates. */
    public ReportFrequency
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(every, "every");
        if (kind == Kind.PERIODIC && (every.isNegative() || every.isZero()))
        {
            throw new IllegalArgumentException("a periodic report needs a period above zero, was " + every);
        }
    }

    /**
     * @param text {@code on-completion}, {@code phase}, {@code task} or a number of seconds.
     * @return the frequency.
     * @throws IllegalArgumentException naming the accepted forms.
     */
    public static ReportFrequency parse(final String text)
    {
        final String value = Objects.requireNonNull(text, "text").strip().toLowerCase(Locale.ROOT);
        return switch (value)
        {
            case "on-completion" -> new ReportFrequency(Kind.ON_COMPLETION, Duration.ZERO);
            case "phase" -> new ReportFrequency(Kind.PHASE, Duration.ZERO);
            case "task" -> new ReportFrequency(Kind.TASK, Duration.ZERO);
            default ->
            {
                try
                {
                    final long seconds = Long.parseLong(value);
                    if (seconds < 1)
                    {
                        throw new IllegalArgumentException("a report period is at least 1 second, was " + seconds);
                    }
                    yield new ReportFrequency(Kind.PERIODIC, Duration.ofSeconds(seconds));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("'" + text + "' is none of on-completion, phase, task or a " +
                        "number of seconds", ex);
                }
            }
        };
    }
}
