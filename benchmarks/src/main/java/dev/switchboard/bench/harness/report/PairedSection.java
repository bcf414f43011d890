/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.IdleResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.ThroughputResult;
import dev.switchboard.bench.harness.report.PairedRatio.Percentile;
import dev.switchboard.bench.harness.report.RunCases.LatencyRun;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report's sections on how the cases were run: the paired rounds (every ratio of a group, round by round), the
 * settings each case's processes stated (idle strategies, fragment limits), and the idle measurement.
 */
final class PairedSection
{
    private PairedSection()
    {
    }

    /**
     * @param cases the run.
     * @return the "Paired rounds" section, or an empty string when no group ran.
     */
    static String paired(final RunCases cases)
    {
        final Set<List<String>> groups = new LinkedHashSet<>();
        for (final CaseResult c : cases.ran())
        {
            if (null != c.group() && c.group().size() > 1)
            {
                groups.add(c.group());
            }
        }
        if (groups.isEmpty())
        {
            return "";
        }
        final int payload = cases.headlinePayload();
        final StringBuilder out = new StringBuilder("## Paired rounds\n\n")
            .append("Each group's cases ran in alternating rounds (A B, then B A, ...), every phase cut into the same ")
            .append("rounds, so a drift of the machine between rounds hits each case alike. A ratio below is the ")
            .append("median of the per-round ratios (round i of A over round i of B; for an even count, the mean of ")
            .append("the two middle ones), with the smallest and largest per-round ratio beside it. The Targets ")
            .append("table judges these medians. \"Per round\" lists the p50 ratios (throughput: the rate ratios) in ")
            .append("run order.\n\n");
        final MarkdownTable table = new MarkdownTable(2, "A / B", "Measure", "Rounds", "p50", "p99", "p99.9",
            "Per round");
        for (final List<String> group : groups)
        {
            for (final String[] pair : pairs(cases, group))
            {
                final CaseResult a = cases.byId(pair[0]).orElseThrow();
                final CaseResult b = cases.byId(pair[1]).orElseThrow();
                final String name = "`" + a.id() + "` / `" + b.id() + "`";
                for (final Method method : List.of(Method.PING_PONG_RTT, Method.ONE_WAY_FIXED_RATE))
                {
                    final LatencyRun run = new LatencyRun(method, payload);
                    final Optional<LatencyResult> la = RunCases.latency(a, run);
                    final Optional<LatencyResult> lb = RunCases.latency(b, run);
                    if (la.isEmpty() || lb.isEmpty())
                    {
                        continue;
                    }
                    final List<PairedRatio> r = new ArrayList<>();
                    for (final Percentile p : Percentile.values())
                    {
                        r.add(PairedRatio.latency(la.get(), lb.get(), p, true).orElse(null));
                    }
                    table.row(name, (method == Method.PING_PONG_RTT ? "RTT " : "one-way ") + payload + " B",
                        null == r.get(0) ? ReportFormat.MISSING : Integer.toString(r.get(0).perRound().size()),
                        cell(r.get(0)), cell(r.get(1)), cell(r.get(2)),
                        null == r.get(0) ? ReportFormat.MISSING : r.get(0).perRoundText());
                }
                final Optional<ThroughputResult> ta = cases.throughput(a.id(), 1, payload);
                final Optional<ThroughputResult> tb = cases.throughput(b.id(), 1, payload);
                if (ta.isPresent() && tb.isPresent())
                {
                    final Optional<PairedRatio> r = PairedRatio.throughput(ta.get(), tb.get(), true);
                    table.row(name, "throughput, 1 producer, " + payload + " B (rate ratio)",
                        r.map(x -> Integer.toString(x.perRound().size())).orElse(ReportFormat.MISSING),
                        r.map(PairedSection::cell).orElse(ReportFormat.MISSING), "", "",
                        r.map(PairedRatio::perRoundText).orElse(ReportFormat.MISSING));
                }
            }
        }
        return out.append(table.render()).append('\n').toString();
    }

    /**
     * @return every Switchboard case of the group over every raw case of it, then each Switchboard case over the
     * ones after it (HIGH over NORMAL).
     */
    private static List<String[]> pairs(final RunCases cases, final List<String> group)
    {
        final List<String> ran = group.stream().filter(id -> cases.byId(id).map(c -> null == c.skipped())
            .orElse(false)).toList();
        final List<String> sb = ran.stream()
            .filter(id -> RunCases.SWITCHBOARD_KIND.equals(cases.byId(id).orElseThrow().kind())).toList();
        final List<String> raw = ran.stream().filter(id -> !sb.contains(id)).toList();
        final List<String[]> pairs = new ArrayList<>();
        for (final String a : sb)
        {
            for (final String b : raw)
            {
                pairs.add(new String[]{ a, b });
            }
        }
        for (int i = 0; i < sb.size(); i++)
        {
            for (int j = i + 1; j < sb.size(); j++)
            {
                pairs.add(new String[]{ sb.get(i), sb.get(j) });
            }
        }
        return pairs;
    }

    private static String cell(final PairedRatio r)
    {
        if (null == r)
        {
            return ReportFormat.MISSING;
        }
        if (!r.paired())
        {
            return ReportFormat.ratio(r.pooled()) + " pooled";
        }
        return ReportFormat.ratio(r.median()) + " (" + r.range() + ")";
    }

    /**
     * @param cases the run.
     * @return the "Settings" section: what each case's processes said they ran with, or an empty string.
     */
    static String settings(final RunCases cases)
    {
        final List<CaseResult> stated = cases.ran().stream()
            .filter(c -> null != c.settings() && !c.settings().isEmpty()).toList();
        if (stated.isEmpty())
        {
            return "";
        }
        final StringBuilder out = new StringBuilder("## Settings of the cases\n\n")
            .append("As each process stated them when it opened (read from the contexts it started with). ")
            .append("\"property\" lines are settings given explicitly on that JVM's command line; every other ")
            .append("setting is its documented default.\n\n");
        final MarkdownTable table = new MarkdownTable(3, "Case", "Process", "Setting");
        for (final CaseResult c : stated)
        {
            for (final String setting : c.settings())
            {
                final int colon = setting.indexOf(": ");
                table.row("`" + c.id() + "`", colon < 0 ? "" : setting.substring(0, colon),
                    colon < 0 ? setting : setting.substring(colon + 2));
            }
        }
        return out.append(table.render()).append('\n').toString();
    }

    /**
     * @param cases the run.
     * @return the "Idle" section, or an empty string when no case measured idle cost.
     */
    static String idle(final RunCases cases)
    {
        final List<CaseResult> measured = cases.ran().stream().filter(c -> null != c.idle()).toList();
        if (measured.isEmpty())
        {
            return "";
        }
        final StringBuilder out = new StringBuilder("## Idle\n\n");
        for (final CaseResult c : measured)
        {
            final IdleResult i = c.idle();
            out.append("`").append(c.id()).append("`: agents registered and idle for ")
                .append(ReportFormat.duration(i.seconds())).append(", nothing sent. The agent idles with ")
                .append(null == i.agentIdleStrategy() ? "its client's default idle strategy" :
                    "`" + i.agentIdleStrategy() + "`").append(". Read from ").append(i.method()).append(".\n\n");
            final MarkdownTable table = new MarkdownTable(1, "What", "Value");
            table.row("idle agent, whole process: CPU", percent(i.agentProcessCpuPercent()));
            table.row("idle agent, its polling thread: CPU", percent(i.agentThreadCpuPercent()));
            table.row("idle agent, its polling thread: wake-ups/s",
                ReportFormat.significant(i.agentThreadWakeUps(), 3));
            table.row("router, whole process: CPU", percent(i.routerProcessCpuPercent()));
            table.row("router, its own threads: wake-ups/s", ReportFormat.significant(i.routerWakeUps(), 3));
            table.row("router JVM's own threads (GC, compiler, VM): wake-ups/s",
                ReportFormat.significant(i.routerJvmWakeUps(), 3));
            if (null != i.routerThreads())
            {
                for (final Map.Entry<String, Double> t : i.routerThreads().entrySet())
                {
                    table.row("router thread `" + t.getKey() + "`: wake-ups/s",
                        ReportFormat.significant(t.getValue(), 3));
                }
            }
            out.append(table.render()).append('\n');
        }
        return out.toString();
    }

    private static String percent(final double value)
    {
        return Double.isNaN(value) ? ReportFormat.MISSING : ReportFormat.significant(value, 3) + " %";
    }
}
