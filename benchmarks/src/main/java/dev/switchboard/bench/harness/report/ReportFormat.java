/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How the report writes numbers: latencies with a unit a reader does not have to convert ({@code 412 ns},
 * {@code 3.4 µs}, {@code 1.25 ms}), rates in millions ({@code 12.3 M/s}), ratios as {@code 1.08x}. Missing
 * values (NaN, negative) print as an em dash.
 */
final class ReportFormat
{
    static final String MISSING = "—";

    private static final String[] TIME_UNITS = { "ns", "µs", "ms", "s" };

    private ReportFormat()
    {
    }

    /**
     * @param ns a latency in nanoseconds.
     * @return it with three significant digits in the largest unit that keeps it at or above 1, below 1 000.
     */
    static String nanos(final double ns)
    {
        if (Double.isNaN(ns) || ns < 0)
        {
            return MISSING;
        }
        if (ns < 999.5)
        {
            return Math.round(ns) + " ns";
        }
        double value = ns;
        int unit = 0;
        while (unit < TIME_UNITS.length - 1 && value >= 999.5)
        {
            value /= 1_000.0;
            unit++;
        }
        return significant(value, 3) + " " + TIME_UNITS[unit];
    }

    /**
     * @param perSecond messages (or operations) per second.
     * @return {@code 12.3 M/s}, {@code 850 k/s} or {@code 42 /s}.
     */
    static String rate(final double perSecond)
    {
        if (Double.isNaN(perSecond) || perSecond < 0)
        {
            return MISSING;
        }
        if (perSecond >= 999_500.0)
        {
            return significant(perSecond / 1e6, 3) + " M/s";
        }
        if (perSecond >= 999.5)
        {
            return significant(perSecond / 1e3, 3) + " k/s";
        }
        return Math.round(perSecond) + " /s";
    }

    /**
     * @param ratio a ratio of two measurements.
     * @return it with two decimals and an {@code x}: {@code 1.08x}.
     */
    static String ratio(final double ratio)
    {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio < 0)
        {
            return MISSING;
        }
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /**
     * @param count a count.
     * @return it with thousands separators: {@code 1,000,000}.
     */
    static String count(final long count)
    {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /**
     * @param value any value.
     * @param digits significant digits kept.
     * @return the value rounded, without an exponent or trailing zeros: {@code 0.00019}, {@code 542}, {@code 3.4}.
     */
    static String significant(final double value, final int digits)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return MISSING;
        }
        if (0.0 == value)
        {
            return "0";
        }
        final BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    /**
     * @param seconds a wall-clock duration.
     * @return {@code 12 min 3 s}, {@code 45.2 s}.
     */
    static String duration(final double seconds)
    {
        if (Double.isNaN(seconds) || seconds < 0)
        {
            return MISSING;
        }
        if (seconds < 60)
        {
            return significant(seconds, 3) + " s";
        }
        final long whole = Math.round(seconds);
        final long hours = whole / 3600;
        final long minutes = (whole % 3600) / 60;
        final long rest = whole % 60;
        return (hours > 0 ? hours + " h " : "") + minutes + " min " + rest + " s";
    }
}
