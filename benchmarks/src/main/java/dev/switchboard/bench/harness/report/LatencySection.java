/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.report.RunCases.LatencyRun;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The report's latency part: one table and one percentile plot per method and payload size, each case's
 * percentiles with their ratio to the floor measured the same way in the same run.
 */
final class LatencySection
{
    private final RunCases cases;
    private final CaseNotes notes;
    private final Path runDir;
    private final StringBuilder out = new StringBuilder();

    private LatencySection(final RunCases cases, final CaseNotes notes, final Path runDir)
    {
        this.cases = cases;
        this.notes = notes;
        this.runDir = runDir;
    }

    /**
     * @param cases  the run.
     * @param notes  the footnotes, shared with the other sections.
     * @param runDir where the hlogs are read from and {@code plots/} is written.
     * @return the section's Markdown.
     */
    static String render(final RunCases cases, final CaseNotes notes, final Path runDir)
    {
        final LatencySection section = new LatencySection(cases, notes, runDir);
        section.out.append("## Latency\n\n");
        if (cases.latencyRuns().isEmpty())
        {
            section.out.append("No latency was measured.\n\n");
        }
        for (final LatencyRun run : cases.latencyRuns())
        {
            section.table(run);
        }
        return section.out.toString();
    }

    static String title(final LatencyRun run)
    {
        return (Method.PING_PONG_RTT == run.method() ? "Ping-pong RTT, " : "One-way at a fixed rate, ") +
            run.payload() + " B";
    }

    private void table(final LatencyRun run)
    {
        final boolean pingPong = Method.PING_PONG_RTT == run.method();
        final List<CaseResult> shown = cases.ran().stream().filter(c -> RunCases.latency(c, run).isPresent()).toList();
        final Optional<CaseResult> floor = cases.floorFor(run);
        final Optional<LatencyResult> floorLatency = floor.flatMap(f -> RunCases.latency(f, run));

        out.append("### ").append(title(run));
        if (!pingPong)
        {
            final long rate = shown.stream().flatMap(c -> RunCases.latency(c, run).stream())
                .mapToLong(LatencyResult::ratePerSecond).findFirst().orElse(0L);
            out.append(rate > 0 ? " (" + ReportFormat.count(rate) + " msg/s)" : "");
        }
        out.append("\n\n");
        final String reference = floor.map(f -> "`" + f.id() + "`").orElse("the floor (not measured)");
        out.append(pingPong ?
            "One message and its echo, one at a time. The one-way columns are RTT/2. Ratios: RTT over " + reference +
                "'s RTT at the same percentile.\n\n" :
            "Receiver's clock minus the intended send time (coordinated omission corrected). Ratios: over " +
                reference + "'s one-way at the same percentile.\n\n");

        final MarkdownTable table = pingPong ?
            new MarkdownTable(2, "Case", "Placement", "Samples", "p50", "p90", "p99", "p99.9", "max",
                "one-way p50 (RTT/2)", "one-way p99 (RTT/2)", "p50 / floor", "p99 / floor", "p99.9 / floor") :
            new MarkdownTable(2, "Case", "Placement", "Samples", "p50", "p90", "p99", "p99.9", "max",
                "p50 / floor", "p99 / floor", "p99.9 / floor");
        for (final CaseResult c : shown)
        {
            final LatencyResult l = RunCases.latency(c, run).orElseThrow();
            final List<String> cells = new ArrayList<>(List.of(
                notes.name(c), null == c.placement() ? ReportFormat.MISSING : c.placement(),
                ReportFormat.count(l.samples()), ReportFormat.nanos(l.p50Ns()), ReportFormat.nanos(l.p90Ns()),
                ReportFormat.nanos(l.p99Ns()), ReportFormat.nanos(l.p999Ns()), ReportFormat.nanos(l.maxNs())));
            if (pingPong)
            {
                cells.add(ReportFormat.nanos(l.p50Ns() / 2.0));
                cells.add(ReportFormat.nanos(l.p99Ns() / 2.0));
            }
            cells.add(ratio(l, floorLatency, LatencyResult::p50Ns));
            cells.add(ratio(l, floorLatency, LatencyResult::p99Ns));
            cells.add(ratio(l, floorLatency, LatencyResult::p999Ns));
            table.row(cells.toArray(String[]::new));
        }
        out.append(table.render());
        final String footnotes = notes.footnotes(shown);
        if (!footnotes.isEmpty())
        {
            out.append('\n').append(footnotes);
        }
        out.append('\n');
        plot(run, shown);
    }

    private static String ratio(
        final LatencyResult l, final Optional<LatencyResult> floor, final ToLongFunction<LatencyResult> percentile)
    {
        if (floor.isEmpty() || percentile.applyAsLong(floor.get()) <= 0)
        {
            return ReportFormat.MISSING;
        }
        return ReportFormat.ratio((double)percentile.applyAsLong(l) / percentile.applyAsLong(floor.get()));
    }

    private void plot(final LatencyRun run, final List<CaseResult> shown)
    {
        final Map<String, Histogram> series = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final CaseResult c : shown)
        {
            final LatencyResult l = RunCases.latency(c, run).orElseThrow();
            try
            {
                HistogramLogs.sum(runDir, l.hlogFile()).ifPresentOrElse(
                    h -> series.put(c.id(), h), () -> problems.add("`" + c.id() + "` (no HdrHistogram log)"));
            }
            catch (final IOException ex)
            {
                problems.add("`" + c.id() + "` (" + ex.getMessage() + ")");
            }
        }
        if (!series.isEmpty())
        {
            final String file = ReportWriter.PLOTS_DIR + "/" + run.fileStem() + ".png";
            final String yTitle = Method.PING_PONG_RTT == run.method() ? "Round-trip time" : "One-way latency";
            try
            {
                ReportPlots.latency(runDir.resolve(file), title(run), yTitle, series);
                out.append("![").append(title(run)).append(" percentile distribution](").append(file).append(")\n\n");
            }
            catch (final IOException | RuntimeException | LinkageError ex)
            {
                problems.add("plot " + file + " not drawn: " + ex);
            }
        }
        if (!problems.isEmpty())
        {
            out.append("Not plotted: ").append(String.join(", ", problems)).append(".\n\n");
        }
    }
}
