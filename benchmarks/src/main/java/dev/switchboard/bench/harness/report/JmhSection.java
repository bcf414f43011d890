/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's JMH part: every benchmark and mode with its score, sample-mode percentiles, allocation per
 * operation ({@code -prof gc}) and auxiliary counters.
 */
final class JmhSection
{
    private JmhSection()
    {
    }

    /**
     * @param jmh     the results, or null.
     * @param file    the JMH file, relative to the run directory (for the reader), or null.
     * @param missing why there are no results, when {@code jmh} is null.
     * @return the section's Markdown.
     */
    static String render(final JmhResults jmh, final String file, final String missing)
    {
        final StringBuilder out = new StringBuilder("## JMH microbenchmarks\n\n");
        if (null == jmh)
        {
            return out.append("Not available: ").append(missing).append(".\n\n").toString();
        }
        out.append("From [").append(file).append("](").append(file).append("). Throughput is per benchmark ")
            .append("(all threads of a group together); counters (#) are per iteration.\n\n");
        final MarkdownTable table = new MarkdownTable(2, "Benchmark", "Mode", "Score", "ops/s", "p50", "p99",
            "p99.9", "alloc B/op", "Counters (#)");
        for (final JmhResults.Benchmark b : jmh.benchmarks())
        {
            final JmhResults.Metric primary = b.primary();
            final boolean sample = JmhResults.SAMPLE_MODE.equals(b.mode());
            table.row(b.shortName(), b.mode(), score(primary),
                JmhResults.THROUGHPUT_MODE.equals(b.mode()) ? ReportFormat.rate(primary.perSecond()) : "",
                sample ? percentile(primary, "50.0") : "", sample ? percentile(primary, "99.0") : "",
                sample ? percentile(primary, "99.9") : "",
                b.allocatedBytesPerOp().map(v -> ReportFormat.significant(v, 2)).orElse(ReportFormat.MISSING),
                counters(b.secondary()));
        }
        return out.append(table.render()).append('\n').toString();
    }

    private static String score(final JmhResults.Metric m)
    {
        final String error = Double.isNaN(m.error()) ? "" : " ± " + ReportFormat.significant(m.error(), 2);
        return ReportFormat.significant(m.score(), 3) + error + " " + m.unit();
    }

    private static String percentile(final JmhResults.Metric m, final String level)
    {
        final Double v = m.percentiles().get(level);
        if (null == v)
        {
            return ReportFormat.MISSING;
        }
        return "ns/op".equals(m.unit()) ? ReportFormat.nanos(v) : ReportFormat.significant(v, 3) + " " + m.unit();
    }

    private static String counters(final Map<String, JmhResults.Metric> secondary)
    {
        return secondary.entrySet().stream()
            .filter(e -> "#".equals(e.getValue().unit()))
            .map(e -> e.getKey() + " " + ReportFormat.count(Math.round(e.getValue().score())))
            .collect(Collectors.joining(", "));
    }
}
