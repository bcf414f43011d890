/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;
import dev.switchboard.bench.harness.report.RunCases.LatencyRun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The performance targets, judged from one run: each row is PASS, MISS, info (a number to report, no
 * goal) or n/a with why the data is missing. Latency and throughput targets use the first payload run (32 B),
 * and every ratio compares two cases measured in the same run.
 */
final class Targets
{
    static final String CRITICAL = "sb-critical";
    static final String HIGH = "sb-high";
    static final String NORMAL = "sb-normal";
    static final String AERON = "aeron-ipc";
    static final String AGRONA = "agrona-shm";

    /** CRITICAL one-way p99 across processes at a fixed rate, at most this, ns. */
    static final long CRITICAL_ONE_WAY_P99_MAX_NS = 200;
    /** CRITICAL ping-pong RTT over the C floor's, at p99 and p99.9, at most this. */
    static final double FLOOR_RATIO_MAX = 1.2;
    /** CRITICAL ping-pong RTT p99 over Aeron IPC's, at most this: no slower. */
    static final double AERON_P99_RATIO_MAX = 1.0;
    /** CRITICAL ping-pong RTT p99.9 over Aeron IPC's, at most this: "well below" read as at most half. */
    static final double AERON_P999_RATIO_MAX = 0.5;
    /** CRITICAL inbox and router ingress throughput with one producer, at least this, msgs/s. */
    static final double ONE_PRODUCER_MIN_PER_SECOND = 4.2e6;
    /** Bytes allocated per operation by every JMH benchmark in throughput mode, below this. */
    static final double ALLOC_BYTES_PER_OP_MAX = 0.5;

    /** The JMH group measuring the router's ingress with one producer and one consumer. */
    static final String INGRESS_SPSC = "IngressBenchmark.spsc";

    /** What each row concludes. */
    enum Verdict
    {
        PASS, MISS, INFO, NOT_AVAILABLE
    }

    /**
     * One row of the Targets table.
     *
     * @param target   what is judged.
     * @param measured the number (and what it was computed from).
     * @param goal     the threshold, or "report" for info rows.
     * @param verdict  the conclusion.
     * @param why      for {@link Verdict#NOT_AVAILABLE}: what data is missing; else null.
     */
    record Row(String target, String measured, String goal, Verdict verdict, String why)
    {
        String verdictText()
        {
            return switch (verdict)
            {
                case PASS -> "PASS";
                case MISS -> "**MISS**";
                case INFO -> "info";
                case NOT_AVAILABLE -> "n/a — " + why;
            };
        }
    }

    private final RunCases cases;
    private final JmhResults jmh;
    private final String jmhMissing;
    private final int payload;
    private final List<Row> rows = new ArrayList<>();

    private Targets(final RunCases cases, final JmhResults jmh, final String jmhMissing)
    {
        this.cases = cases;
        this.jmh = jmh;
        this.jmhMissing = jmhMissing;
        this.payload = cases.headlinePayload();
    }

    /**
     * @param cases      the run.
     * @param jmh        its JMH results, or null.
     * @param jmhMissing why there are no JMH results (when {@code jmh} is null).
     * @return the rows, in the order.
     */
    static List<Row> evaluate(final RunCases cases, final JmhResults jmh, final String jmhMissing)
    {
        final Targets targets = new Targets(cases, jmh, jmhMissing);
        targets.criticalOneWay();
        targets.criticalVsFloor();
        targets.criticalVsAeron();
        targets.criticalThroughput();
        targets.ingressThroughput();
        targets.highVsNormal();
        targets.allocation();
        return List.copyOf(targets.rows);
    }

    private void criticalOneWay()
    {
        final String target = "CRITICAL one-way p99 across processes, fixed rate, " + payload + " B";
        final String goal = "≤ " + CRITICAL_ONE_WAY_P99_MAX_NS + " ns";
        final LatencyRun run = new LatencyRun(Method.ONE_WAY_FIXED_RATE, payload);
        cases.latency(CRITICAL, run).ifPresentOrElse(
            l -> judge(target, ReportFormat.nanos(l.p99Ns()) + " at " + ReportFormat.count(l.ratePerSecond()) +
                " msg/s", goal, l.p99Ns() <= CRITICAL_ONE_WAY_P99_MAX_NS),
            () -> missing(target, goal, cases.whyMissing(CRITICAL, "one-way " + payload + " B result")));
    }

    private void criticalVsFloor()
    {
        final LatencyRun run = new LatencyRun(Method.PING_PONG_RTT, payload);
        final Optional<CaseResult> floor = cases.floorFor(run);
        final String floorId = floor.map(CaseResult::id).orElse(RunCases.FLOOR_ID);
        final String goal = "≤ " + ReportFormat.ratio(FLOOR_RATIO_MAX);
        ratioRow("CRITICAL ping-pong RTT / C floor (`" + floorId + "`), p99", CRITICAL, floorId, run,
            LatencyResult::p99Ns, goal, FLOOR_RATIO_MAX, true);
        ratioRow("CRITICAL ping-pong RTT / C floor (`" + floorId + "`), p99.9", CRITICAL, floorId, run,
            LatencyResult::p999Ns, goal, FLOOR_RATIO_MAX, true);
    }

    private void criticalVsAeron()
    {
        final LatencyRun run = new LatencyRun(Method.PING_PONG_RTT, payload);
        ratioRow("CRITICAL / Aeron IPC ping-pong RTT, p99", CRITICAL, AERON, run, LatencyResult::p99Ns,
            "≤ " + ReportFormat.ratio(AERON_P99_RATIO_MAX) + " (no slower)", AERON_P99_RATIO_MAX, true);
        ratioRow("CRITICAL / Aeron IPC ping-pong RTT, p99.9", CRITICAL, AERON, run, LatencyResult::p999Ns,
            "≤ " + ReportFormat.ratio(AERON_P999_RATIO_MAX) + " (well below: at most half)", AERON_P999_RATIO_MAX,
            true);
    }

    private void criticalThroughput()
    {
        final String target = "CRITICAL inbox throughput, 1 producer, " + payload + " B";
        final String goal = "≥ " + ReportFormat.rate(ONE_PRODUCER_MIN_PER_SECOND);
        final Optional<ThroughputResult> critical = cases.throughput(CRITICAL, 1, payload);
        critical.ifPresentOrElse(
            t -> judge(target, ReportFormat.rate(t.msgsPerSecond()), goal,
                t.msgsPerSecond() >= ONE_PRODUCER_MIN_PER_SECOND),
            () -> missing(target, goal, cases.whyMissing(CRITICAL, "1-producer " + payload + " B throughput")));
        throughputRatio(critical, AGRONA, "report (the issue cites ~68 M msgs/s raw Agrona many-to-one here)");
        throughputRatio(critical, AERON, "report");
    }

    private void throughputRatio(final Optional<ThroughputResult> critical, final String peerId, final String goal)
    {
        final String target = "CRITICAL / `" + peerId + "` throughput, 1 producer, " + payload + " B";
        final Optional<ThroughputResult> peer = cases.throughput(peerId, 1, payload);
        if (critical.isEmpty() || peer.isEmpty())
        {
            missing(target, goal, critical.isEmpty() ?
                cases.whyMissing(CRITICAL, "1-producer " + payload + " B throughput") :
                cases.whyMissing(peerId, "1-producer " + payload + " B throughput"));
            return;
        }
        final double ratio = critical.get().msgsPerSecond() / peer.get().msgsPerSecond();
        rows.add(new Row(target, ReportFormat.ratio(ratio) + " (" + ReportFormat.rate(critical.get().msgsPerSecond()) +
            " vs " + ReportFormat.rate(peer.get().msgsPerSecond()) + ")", goal, Verdict.INFO, null));
    }

    private void ingressThroughput()
    {
        final String target = "Router ingress throughput, 1 producer (JMH `" + INGRESS_SPSC + "`)";
        final String goal = "≥ " + ReportFormat.rate(ONE_PRODUCER_MIN_PER_SECOND);
        if (null == jmh)
        {
            missing(target, goal, jmhMissing);
            return;
        }
        final Optional<JmhResults.Benchmark> spsc = jmh.find(INGRESS_SPSC, JmhResults.THROUGHPUT_MODE);
        if (spsc.isEmpty())
        {
            missing(target, goal, "no " + INGRESS_SPSC + " throughput result in the JMH file");
            return;
        }
        final Optional<Double> offered = spsc.get().eventsPerSecond("offered");
        if (offered.isPresent())
        {
            judge(target, ReportFormat.rate(offered.get()) + " offered", goal,
                offered.get() >= ONE_PRODUCER_MIN_PER_SECOND);
            return;
        }
        final double reads = spsc.get().metric("spscRead").map(JmhResults.Metric::perSecond).orElse(Double.NaN);
        if (Double.isNaN(reads))
        {
            missing(target, goal, INGRESS_SPSC + " has neither an offered counter nor an spscRead score");
            return;
        }
        judge(target, ReportFormat.rate(reads) + " spscRead calls (no offered counter)", goal,
            reads >= ONE_PRODUCER_MIN_PER_SECOND);
    }

    private void highVsNormal()
    {
        ratioRow("HIGH / NORMAL ping-pong RTT, p99", HIGH, NORMAL, new LatencyRun(Method.PING_PONG_RTT, payload),
            LatencyResult::p99Ns, "< 1.00x (HIGH below NORMAL)", 1.0, false);
        ratioRow("HIGH / NORMAL one-way, p99", HIGH, NORMAL, new LatencyRun(Method.ONE_WAY_FIXED_RATE, payload),
            LatencyResult::p99Ns, "< 1.00x (HIGH below NORMAL)", 1.0, false);

        final String target = "System calls per round trip, HIGH vs NORMAL";
        final String goal = "report (why HIGH is faster)";
        final String high = syscallText(HIGH);
        final String normal = syscallText(NORMAL);
        if (null == high || null == normal)
        {
            missing(target, goal, null == high ? syscallsMissing(HIGH) : syscallsMissing(NORMAL));
            return;
        }
        rows.add(new Row(target, "HIGH " + high + "; NORMAL " + normal, goal, Verdict.INFO, null));
    }

    private String syscallText(final String caseId)
    {
        final SyscallResult s = cases.byId(caseId).map(CaseResult::syscalls).orElse(null);
        if (null == s || null == s.perProcess() || s.perProcess().isEmpty())
        {
            return null;
        }
        final SyscallFamilies f = SyscallFamilies.sum(s.perProcess().values());
        return ReportFormat.significant(f.total(), 3) + " (io_uring_enter " +
            ReportFormat.significant(f.ioUringEnter(), 3) + ", read/write/sendmsg/recvmsg " +
            ReportFormat.significant(f.readWrite() + f.sendRecv(), 3) + ")";
    }

    private String syscallsMissing(final String caseId)
    {
        final Optional<CaseResult> c = cases.byId(caseId);
        if (c.isEmpty() || null != c.get().skipped())
        {
            return cases.whyMissing(caseId, "syscall counts");
        }
        final SyscallResult s = c.get().syscalls();
        return caseId + ": " + (null == s || null == s.tool() ? "syscalls not counted" : s.tool());
    }

    private void allocation()
    {
        final String target = "0 B/op on hot paths (JMH thrpt `gc.alloc.rate.norm`, every benchmark)";
        final String goal = "< " + ALLOC_BYTES_PER_OP_MAX + " B/op each (one 16-byte object per 32 calls " +
            "would exceed it; below it is JMH's and the fixtures' fixed per-iteration allocation)";
        if (null == jmh)
        {
            missing(target, goal, jmhMissing);
            return;
        }
        final List<JmhResults.Benchmark> measured = jmh.benchmarks().stream()
            .filter(b -> JmhResults.THROUGHPUT_MODE.equals(b.mode()) && b.allocatedBytesPerOp().isPresent())
            .sorted(Comparator.comparingDouble((JmhResults.Benchmark b) -> b.allocatedBytesPerOp().get()).reversed())
            .toList();
        if (measured.isEmpty())
        {
            missing(target, goal, "no gc.alloc.rate.norm in thrpt mode (run JMH with -prof gc)");
            return;
        }
        final List<JmhResults.Benchmark> over = measured.stream()
            .filter(b -> b.allocatedBytesPerOp().get() >= ALLOC_BYTES_PER_OP_MAX)
            .toList();
        final JmhResults.Benchmark worst = measured.getFirst();
        if (over.isEmpty())
        {
            judge(target, "worst " + bytes(worst) + " in " + worst.shortName() + ", of " + measured.size() +
                " benchmarks", goal, true);
            return;
        }
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(3, over.size()); i++)
        {
            text.append(i > 0 ? "; " : "").append(over.get(i).shortName()).append(' ').append(bytes(over.get(i)));
        }
        text.append(" (").append(over.size()).append(" of ").append(measured.size()).append(" over)");
        judge(target, text.toString(), goal, false);
    }

    private static String bytes(final JmhResults.Benchmark b)
    {
        return ReportFormat.significant(b.allocatedBytesPerOp().orElse(Double.NaN), 2) + " B/op";
    }

    /**
     * A row comparing a percentile of two cases' latency in the same run and payload.
     *
     * @param inclusive true when the ratio may equal {@code max} and pass ("at most"), false for "below".
     */
    private void ratioRow(
        final String target, final String caseId, final String referenceId, final LatencyRun run,
        final ToLongFunction<LatencyResult> percentile, final String goal, final double max, final boolean inclusive)
    {
        final String what = describe(run) + " result";
        final Optional<LatencyResult> measured = cases.latency(caseId, run);
        final Optional<LatencyResult> reference = cases.latency(referenceId, run);
        if (measured.isEmpty() || reference.isEmpty())
        {
            missing(target, goal, measured.isEmpty() ?
                cases.whyMissing(caseId, what) : cases.whyMissing(referenceId, what));
            return;
        }
        final long value = percentile.applyAsLong(measured.get());
        final long referenceValue = percentile.applyAsLong(reference.get());
        if (referenceValue <= 0)
        {
            missing(target, goal, referenceId + " recorded " + referenceValue + " ns");
            return;
        }
        final double ratio = (double)value / referenceValue;
        judge(target, ReportFormat.ratio(ratio) + " (" + ReportFormat.nanos(value) + " vs " +
            ReportFormat.nanos(referenceValue) + ")", goal, inclusive ? ratio <= max : ratio < max);
    }

    private static String describe(final LatencyRun run)
    {
        return (Method.PING_PONG_RTT == run.method() ? "ping-pong " : "one-way ") + run.payload() + " B";
    }

    private void judge(final String target, final String measured, final String goal, final boolean pass)
    {
        rows.add(new Row(target, measured, goal, pass ? Verdict.PASS : Verdict.MISS, null));
    }

    private void missing(final String target, final String goal, final String why)
    {
        rows.add(new Row(target, ReportFormat.MISSING, goal, Verdict.NOT_AVAILABLE, why));
    }
}
