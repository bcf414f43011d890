/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's throughput part (a table of every case, producer count and payload with its ratio to Agrona's
 * shared-memory ring, and a bar chart per payload) and system-call part (calls per round trip by family).
 */
final class ThroughputSection
{
    /** The throughput ratios' reference: raw Agrona many-to-one ring across processes. */
    static final String REFERENCE_ID = Targets.AGRONA;

    private static final int OTHER_SYSCALLS_SHOWN = 3;

    private ThroughputSection()
    {
    }

    /**
     * @param cases  the run.
     * @param notes  the footnotes, shared with the other sections.
     * @param runDir where {@code plots/} is written.
     * @return the throughput section's Markdown.
     */
    static String throughput(final RunCases cases, final CaseNotes notes, final Path runDir)
    {
        final StringBuilder out = new StringBuilder("## Throughput\n\n");
        final List<Integer> payloads = cases.throughputPayloads();
        if (payloads.isEmpty())
        {
            return out.append("No throughput was measured.\n\n").toString();
        }
        out.append("Messages received per second with every producer offering as fast as the transport accepts; ")
            .append("back-pressured offers are retried, never dropped. Ratios are to `").append(REFERENCE_ID)
            .append("` with the same producers and payload.\n\n");

        record Entry(CaseResult c, ThroughputResult t, int order)
        {
        }
        final List<Entry> entries = new ArrayList<>();
        final List<CaseResult> ran = cases.ran();
        for (int i = 0; i < ran.size(); i++)
        {
            for (final ThroughputResult t : RunCases.throughputs(ran.get(i)))
            {
                entries.add(new Entry(ran.get(i), t, i));
            }
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.t().payloadLength())
            .thenComparingInt(e -> e.t().producers()).thenComparingInt(Entry::order));

        final MarkdownTable table = new MarkdownTable(
            1, "Case", "Producers", "Payload", "msgs/s", "vs " + REFERENCE_ID, "Back-pressured");
        final Set<CaseResult> shown = new LinkedHashSet<>();
        for (final Entry e : entries)
        {
            final Optional<ThroughputResult> reference =
                cases.throughput(REFERENCE_ID, e.t().producers(), e.t().payloadLength());
            table.row(notes.name(e.c()), Integer.toString(e.t().producers()), e.t().payloadLength() + " B",
                ReportFormat.rate(e.t().msgsPerSecond()),
                reference.map(r -> ReportFormat.ratio(e.t().msgsPerSecond() / r.msgsPerSecond()))
                    .orElse(ReportFormat.MISSING),
                ReportFormat.count(e.t().backPressured()));
            shown.add(e.c());
        }
        out.append(table.render());
        final String footnotes = notes.footnotes(shown);
        out.append(footnotes.isEmpty() ? "" : "\n" + footnotes).append('\n');

        for (final int payload : payloads)
        {
            plot(out, runDir, payload, entries.stream().filter(e -> e.t().payloadLength() == payload)
                .map(e -> Map.entry(e.c().id(), e.t())).toList());
        }
        return out.toString();
    }

    private static void plot(
        final StringBuilder out, final Path runDir, final int payload,
        final List<Map.Entry<String, ThroughputResult>> results)
    {
        final List<String> categories = new ArrayList<>(new LinkedHashSet<>(
            results.stream().map(Map.Entry::getKey).toList()));
        categories.sort(Comparator.comparingInt(id -> firstIndex(results, id)));
        final TreeSet<Integer> producers = new TreeSet<>();
        results.forEach(r -> producers.add(r.getValue().producers()));
        final Map<String, List<Double>> series = new LinkedHashMap<>();
        for (final int n : producers)
        {
            final List<Double> values = new ArrayList<>();
            for (final String id : categories)
            {
                values.add(results.stream()
                    .filter(r -> r.getKey().equals(id) && r.getValue().producers() == n)
                    .map(r -> r.getValue().msgsPerSecond())
                    .findFirst().orElse(0.0));
            }
            series.put(n + (1 == n ? " producer" : " producers"), values);
        }
        final String file = ReportWriter.PLOTS_DIR + "/throughput-" + payload + "B.png";
        final String title = "Throughput, " + payload + " B";
        try
        {
            ReportPlots.throughput(runDir.resolve(file), title, categories, series);
            out.append("![").append(title).append("](").append(file).append(")\n\n");
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            out.append("Plot ").append(file).append(" not drawn: ").append(ex).append(".\n\n");
        }
    }

    private static int firstIndex(final List<Map.Entry<String, ThroughputResult>> results, final String id)
    {
        for (int i = 0; i < results.size(); i++)
        {
            if (results.get(i).getKey().equals(id))
            {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * @param cases the run.
     * @return the system-call section's Markdown, or an empty string when no case counted system calls.
     */
    static String syscalls(final RunCases cases)
    {
        final List<CaseResult> counted = cases.ran().stream().filter(c -> null != c.syscalls()).toList();
        if (counted.isEmpty())
        {
            return "";
        }
        final StringBuilder out = new StringBuilder("## System calls per round trip\n\n")
            .append("Counted with perf on the syscall tracepoints over one window of ping-pong round trips. ")
            .append("\"Process\" columns count every thread of the JVM (the JIT, GC and other JVM threads too), so ")
            .append("read small numbers as an upper bound; \"measuring thread\" counts the pinned thread that polls ")
            .append("and sends, alone (perf attached to it for the same window). EAGAIN: read-like calls that found ")
            .append("nothing (an empty poll that went to the kernel).\n\n");
        final MarkdownTable table = new MarkdownTable(2, "Case", "Process", "Round trips", "total",
            "io_uring_enter", "read/write", "sendmsg/recvmsg", "EAGAIN", "measuring thread", "Other");
        final Map<String, List<String>> tools = new LinkedHashMap<>();
        final List<String> notCounted = new ArrayList<>();
        for (final CaseResult c : counted)
        {
            final SyscallResult s = c.syscalls();
            final Map<String, Map<String, Double>> threads = null == s.perThread() ? Map.of() : s.perThread();
            if ((null == s.perProcess() || s.perProcess().isEmpty()) && threads.isEmpty())
            {
                notCounted.add("`" + c.id() + "`: " + (null == s.tool() ? "no counts" : s.tool()));
                continue;
            }
            tools.computeIfAbsent(null == s.tool() ? "unknown" : s.tool(), k -> new ArrayList<>()).add(c.id());
            final boolean eagainCounted = SyscallFamilies.countedEmptyReads(s);
            final Map<String, Map<String, Double>> processes = null == s.perProcess() ? Map.of() : s.perProcess();
            for (final Map.Entry<String, Map<String, Double>> process : processes.entrySet())
            {
                final SyscallFamilies f = SyscallFamilies.sum(List.of(process.getValue()));
                final Map<String, Double> thread = threads.get(process.getKey());
                table.row(RunCases.name(c), processName(c, process.getKey()), ReportFormat.count(s.messages()),
                    ReportFormat.significant(f.total(), 3), ReportFormat.significant(f.ioUringEnter(), 3),
                    ReportFormat.significant(f.readWrite(), 3), ReportFormat.significant(f.sendRecv(), 3),
                    eagainCounted ? ReportFormat.significant(f.emptyReads(), 3) : ReportFormat.MISSING,
                    threadTotal(thread), others(process.getValue()));
            }
            for (final Map.Entry<String, Map<String, Double>> thread : threads.entrySet())
            {
                if (processes.containsKey(thread.getKey()))
                {
                    continue;
                }
                final SyscallFamilies f = SyscallFamilies.sum(List.of(thread.getValue()));
                table.row(RunCases.name(c), thread.getKey() + " thread", ReportFormat.count(s.messages()),
                    ReportFormat.MISSING, ReportFormat.significant(f.ioUringEnter(), 3),
                    ReportFormat.significant(f.readWrite(), 3), ReportFormat.significant(f.sendRecv(), 3),
                    ReportFormat.significant(f.emptyReads(), 3), threadTotal(thread.getValue()),
                    others(thread.getValue()));
            }
            if (null != s.threadTool() && threads.isEmpty())
            {
                notCounted.add("`" + c.id() + "` measuring threads: " + s.threadTool());
            }
        }
        if (!table.isEmpty())
        {
            out.append(table.render()).append('\n');
            tools.forEach((tool, ids) -> out.append("Counted by `").append(tool).append("` (")
                .append(String.join(", ", ids)).append(").\n"));
            out.append('\n');
        }
        if (!notCounted.isEmpty())
        {
            out.append("Not counted: ").append(String.join("; ", notCounted)).append(".\n\n");
        }
        return out.toString();
    }

    /**
     * @return the role as the table names it: a Switchboard case's server is its router, uds-relay's its relay,
     * Aeron's its media driver.
     */
    private static String processName(final CaseResult c, final String role)
    {
        if (!"server".equals(role))
        {
            return role;
        }
        if (RunCases.SWITCHBOARD_KIND.equals(c.kind()))
        {
            return "router";
        }
        return switch (c.id())
        {
            case Targets.RELAY -> "relay";
            case Targets.AERON -> "media driver";
            default -> role;
        };
    }

    private static String threadTotal(final Map<String, Double> thread)
    {
        if (null == thread)
        {
            return ReportFormat.MISSING;
        }
        return ReportFormat.significant(thread.getOrDefault(SyscallResult.TOTAL, 0.0), 3);
    }

    private static String others(final Map<String, Double> calls)
    {
        if (null == calls)
        {
            return "";
        }
        return calls.entrySet().stream()
            .filter(e -> null != e.getValue() && e.getValue() > 0)
            .filter(e -> SyscallFamilies.Family.OTHER == SyscallFamilies.family(e.getKey()))
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(OTHER_SYSCALLS_SHOWN)
            .map(e -> SyscallFamilies.syscallName(e.getKey()) + " " + ReportFormat.significant(e.getValue(), 2))
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    }
}
