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
        return switch (run.method())
        {
            case PING_PONG_RTT -> "Ping-pong RTT, ";
            case ONE_WAY_FIXED_RATE -> "One-way at a fixed rate, ";
            case WAKE_UP -> "Wake-up of a parked receiver, ";
        } + run.payload() + " B";
    }

    private void table(final LatencyRun run)
    {
        final boolean pingPong = Method.PING_PONG_RTT == run.method();
        final List<CaseResult> shown = cases.ran().stream().filter(c -> RunCases.latency(c, run).isPresent()).toList();
        final Optional<CaseResult> floor = cases.floorFor(run);
        final Optional<LatencyResult> floorLatency = floor.flatMap(f -> RunCases.latency(f, run));

        out.append("### ").append(title(run));
        if (Method.ONE_WAY_FIXED_RATE == run.method())
        {
            final long rate = shown.stream().flatMap(c -> RunCases.latency(c, run).stream())
                .mapToLong(LatencyResult::ratePerSecond).findFirst().orElse(0L);
            out.append(rate > 0 ? " (" + ReportFormat.count(rate) + " msg/s)" : "");
        }
        out.append("\n\n");
        final String reference = floor.map(f -> "`" + f.id() + "`").orElse("the floor (not measured)");
        out.append(switch (run.method())
        {
            case PING_PONG_RTT -> "One message and its echo, one at a time. The one-way columns are RTT/2. Samples: " +
                "all rounds together (with the profile's target when the time cap stopped a case short). Ratios: RTT " +
                "over " + reference + "'s RTT at the same percentile, pooled (not paired: see Paired rounds).\n\n";
            case ONE_WAY_FIXED_RATE -> "Receiver's clock minus the intended send time (coordinated omission " +
                "corrected). Ratios: over " + reference + "'s one-way at the same percentile, pooled.\n\n";
            case WAKE_UP -> "One message every few milliseconds to a receiver that parked under its default idle " +
                "strategy in between: receiver's clock on arrival minus the sender's clock at the send. This is " +
                "what a wake-up costs, not the transport.\n\n";
        });

        final boolean floorRatios = Method.WAKE_UP != run.method();
        final MarkdownTable table = pingPong ?
            new MarkdownTable(2, "Case", "Placement", "Samples", "p50", "p90", "p99", "p99.9", "max",
                "one-way p50 (RTT/2)", "one-way p99 (RTT/2)", "p50 / floor", "p99 / floor", "p99.9 / floor") :
            floorRatios ?
            new MarkdownTable(2, "Case", "Placement", "Samples", "p50", "p90", "p99", "p99.9", "max",
                "p50 / floor", "p99 / floor", "p99.9 / floor") :
            new MarkdownTable(2, "Case", "Placement", "Samples", "p50", "p90", "p99", "p99.9", "max");
        for (final CaseResult c : shown)
        {
            final LatencyResult l = RunCases.latency(c, run).orElseThrow();
            final List<String> cells = new ArrayList<>(List.of(
                notes.name(c), null == c.placement() ? ReportFormat.MISSING : c.placement(),
                samples(l), ReportFormat.nanos(l.p50Ns()), ReportFormat.nanos(l.p90Ns()),
                ReportFormat.nanos(l.p99Ns()), ReportFormat.nanos(l.p999Ns()), ReportFormat.nanos(l.maxNs())));
            if (pingPong)
            {
                cells.add(ReportFormat.nanos(l.p50Ns() / 2.0));
                cells.add(ReportFormat.nanos(l.p99Ns() / 2.0));
            }
            if (floorRatios)
            {
                cells.add(ratio(l, floorLatency, LatencyResult::p50Ns));
                cells.add(ratio(l, floorLatency, LatencyResult::p99Ns));
                cells.add(ratio(l, floorLatency, LatencyResult::p999Ns));
            }
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

    private static String samples(final LatencyResult l)
    {
        return l.targetSamples() > l.samples() ?
            ReportFormat.count(l.samples()) + " of " + ReportFormat.count(l.targetSamples()) :
            ReportFormat.count(l.samples());
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
            final String yTitle = Method.PING_PONG_RTT == run.method() ? "Round-trip time" :
                Method.WAKE_UP == run.method() ? "Wake-up latency" : "One-way latency";
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
