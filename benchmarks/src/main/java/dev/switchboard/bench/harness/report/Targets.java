/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.IdleResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;
import dev.switchboard.bench.harness.report.PairedRatio.Percentile;
import dev.switchboard.bench.harness.report.RunCases.LatencyRun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The performance targets of issue 11, judged from one run: each row is PASS, MISS, info (a number to report, no
 * goal) or n/a with why the data is missing. Latency and throughput targets use the first payload run (32 B).
 *
 * <p>Every ratio between a Switchboard case and its raw anchor comes from their paired rounds: the median of the
 * per-round ratios ({@link PairedRatio}). A ratio between cases that did not run in alternating rounds (CRITICAL over
 * the C floor or Aeron) is an info row from pooled distributions. A missed target stays a MISS: no threshold here is
 * tuned to pass.
 */
final class Targets
{
    static final String CRITICAL = "sb-critical";
    static final String HIGH = "sb-high";
    static final String NORMAL = "sb-normal";
    static final String LOW = "sb-low";
    static final String IN_PROCESS = "sb-inprocess";
    static final String HIGH_ROUTED = "sb-high-routed";
    static final String NORMAL_ROUTED = "sb-normal-routed";
    static final String WAKE_UP_CASE = "sb-critical-wakeup";
    static final String AERON = "aeron-ipc";
    static final String AGRONA = "agrona-shm";
    static final String CLQ = "clq-threads";
    static final String UDS = "uds-nio";
    static final String RELAY = "uds-relay";
    static final String CHRONICLE = "chronicle-queue";

    /** CRITICAL RTT p50 and p99, and one-way p99, over agrona-shm's: at most this. */
    static final double CRITICAL_RATIO_MAX = 1.2;
    /** CRITICAL RTT p99.9 over agrona-shm's: at most this. */
    static final double CRITICAL_P999_RATIO_MAX = 2.0;
    /** CRITICAL one-way p50 in a round where agrona-shm's p50 is at most {@link #NEAR_REGIME_NS}: at most this, ns. */
    static final long CRITICAL_ONE_WAY_P50_MAX_NS = 200;
    /** agrona-shm one-way p50 at or below this marks a round measured in the machine's fast regime, ns. */
    static final long NEAR_REGIME_NS = 150;
    /** In-process RTT over clq-threads': at most this (at or below). */
    static final double IN_PROCESS_RATIO_MAX = 1.0;
    /** CRITICAL throughput with one producer over agrona-shm's: at least this. */
    static final double THROUGHPUT_RATIO_MIN = 0.8;
    /** Point-to-point HIGH and NORMAL RTT p50 over uds-nio's: at most this. */
    static final double POINT_TO_POINT_RATIO_MAX = 1.3;
    /** Routed HIGH and NORMAL RTT p50 over uds-relay's: at most this. */
    static final double ROUTED_RATIO_MAX = 1.5;
    /** NORMAL one-way p99 at the fixed rate: below this, ns. */
    static final long NORMAL_ONE_WAY_P99_MAX_NS = 1_000_000;
    /** The rate the NORMAL keeps-up target names. */
    static final long NORMAL_KEEPS_UP_RATE = 200_000;
    /** LOW RTT p50 over chronicle-queue's: at most this. */
    static final double LOW_RATIO_MAX = 2.0;
    /** System calls per round trip per process of point-to-point HIGH and NORMAL: at most this. */
    static final double POINT_TO_POINT_SYSCALLS_MAX = 2.0;
    /** JMH {@code ClientPollBenchmark.emptyPoll}: at most this, ns per poll. */
    static final double EMPTY_POLL_MAX_NS = 10.0;
    /** JMH {@code ClientPollBenchmark.sendThenPoll}: at least this, per second. */
    static final double SEND_THEN_POLL_MIN_PER_SECOND = 10e6;
    /** Bytes allocated per operation by every JMH benchmark in throughput mode, below this. */
    static final double ALLOC_BYTES_PER_OP_MAX = 0.5;
    /** An idle agent's CPU, percent of one CPU: below this. */
    static final double IDLE_AGENT_CPU_MAX_PERCENT = 1.0;
    /** The window the idle-CPU target names, seconds. */
    static final double IDLE_WINDOW_SECONDS = 10.0;
    /** Wake-up of a parked receiver, p50: at most this, ns. */
    static final long WAKE_UP_P50_MAX_NS = 20_000;
    /** An idle router's wake-ups per second: at most this. */
    static final double IDLE_ROUTER_WAKE_UPS_MAX = 10.0;
    /** The original specification's one-way figures per tier, ns: shown beside the measured one-way p50s. */
    static final Map<String, Long> SPEC_ONE_WAY_NS = Map.of(CRITICAL, 50L, HIGH, 500L, NORMAL, 2_000L, LOW, 10_000L);

    /** The JMH benchmark of an empty poll. */
    static final String EMPTY_POLL = "ClientPollBenchmark.emptyPoll";
    /** The JMH benchmark of a send and the poll that takes it. */
    static final String SEND_THEN_POLL = "ClientPollBenchmark.sendThenPoll";
    /** The JMH group measuring the router's ingress with one producer and one consumer. */
    static final String INGRESS_SPSC = "IngressBenchmark.spsc";
    /** The router ingress figure of the original specification, msgs/s (an info row now). */
    static final double INGRESS_SPEC_PER_SECOND = 4.2e6;

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
        final Targets t = new Targets(cases, jmh, jmhMissing);
        t.critical();
        t.inProcess();
        t.criticalThroughput();
        t.socketTiers();
        t.low();
        t.specOneWay();
        t.syscalls();
        t.jmh();
        t.idle();
        t.infoRows();
        return List.copyOf(t.rows);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void critical()
    {
        final LatencyRun rtt = new LatencyRun(Method.PING_PONG_RTT, payload);
        ratio("`sb-critical` / `agrona-shm` RTT p50", CRITICAL, AGRONA, rtt, Percentile.P50, CRITICAL_RATIO_MAX);
        ratio("`sb-critical` / `agrona-shm` RTT p99", CRITICAL, AGRONA, rtt, Percentile.P99, CRITICAL_RATIO_MAX);
        ratio("`sb-critical` / `agrona-shm` RTT p99.9", CRITICAL, AGRONA, rtt, Percentile.P999,
            CRITICAL_P999_RATIO_MAX);
        samples();
        final LatencyRun oneWay = new LatencyRun(Method.ONE_WAY_FIXED_RATE, payload);
        ratio("`sb-critical` / `agrona-shm` one-way p99, fixed rate", CRITICAL, AGRONA, oneWay, Percentile.P99,
            CRITICAL_RATIO_MAX);
        nearRegimeOneWay(oneWay);
    }

    private void samples()
    {
        final String target = "`sb-critical` RTT samples, " + payload + " B";
        final Optional<LatencyResult> l = cases.latency(CRITICAL, new LatencyRun(Method.PING_PONG_RTT, payload));
        if (l.isEmpty())
        {
            missing(target, "the profile's count", cases.whyMissing(CRITICAL, "ping-pong " + payload + " B result"));
            return;
        }
        final long wanted = l.get().targetSamples();
        if (wanted <= 0)
        {
            missing(target, "the profile's count", "this run does not say how many samples it aimed at");
            return;
        }
        judge(target, ReportFormat.count(l.get().samples()), "≥ " + ReportFormat.count(wanted) + " (the profile's)",
            l.get().samples() >= wanted);
    }

    private void nearRegimeOneWay(final LatencyRun oneWay)
    {
        final String target = "`sb-critical` one-way p50 in rounds where `agrona-shm`'s p50 ≤ " + NEAR_REGIME_NS + " ns";
        final String goal = "≤ " + CRITICAL_ONE_WAY_P50_MAX_NS + " ns in each such round";
        final Optional<CaseResult> sb = cases.byId(CRITICAL);
        final Optional<CaseResult> peer = cases.byId(AGRONA);
        final Optional<LatencyResult> a = cases.latency(CRITICAL, oneWay);
        final Optional<LatencyResult> b = cases.latency(AGRONA, oneWay);
        if (a.isEmpty() || b.isEmpty())
        {
            missing(target, goal, a.isEmpty() ? cases.whyMissing(CRITICAL, "one-way result") :
                cases.whyMissing(AGRONA, "one-way result"));
            return;
        }
        final List<LatencyResult.Round> ra = a.get().roundsOrEmpty();
        final List<LatencyResult.Round> rb = b.get().roundsOrEmpty();
        if (!PairedRatio.sameGroup(sb.orElseThrow(), peer.orElseThrow()) || ra.size() < 2 || ra.size() != rb.size())
        {
            missing(target, goal, "the two cases did not run in paired rounds");
            return;
        }
        int near = 0;
        int over = 0;
        long worst = 0;
        long peerLow = Long.MAX_VALUE;
        long peerHigh = 0;
        for (int i = 0; i < ra.size(); i++)
        {
            peerLow = Math.min(peerLow, rb.get(i).p50Ns());
            peerHigh = Math.max(peerHigh, rb.get(i).p50Ns());
            if (rb.get(i).p50Ns() <= NEAR_REGIME_NS)
            {
                near++;
                worst = Math.max(worst, ra.get(i).p50Ns());
                if (ra.get(i).p50Ns() > CRITICAL_ONE_WAY_P50_MAX_NS)
                {
                    over++;
                }
            }
        }
        if (near == 0)
        {
            missing(target, goal, "no round ran in that regime: `agrona-shm`'s one-way p50 was " +
                ReportFormat.nanos(peerLow) + "–" + ReportFormat.nanos(peerHigh) + " in all " + ra.size() + " rounds");
            return;
        }
        judge(target, near + " of " + ra.size() + " rounds in that regime; worst `sb-critical` p50 in them " +
            ReportFormat.nanos(worst) + (over > 0 ? " (" + over + " over)" : ""), goal, over == 0);
    }

    private void inProcess()
    {
        final LatencyRun rtt = new LatencyRun(Method.PING_PONG_RTT, payload);
        ratio("`sb-inprocess` / `clq-threads` RTT p50", IN_PROCESS, CLQ, rtt, Percentile.P50, IN_PROCESS_RATIO_MAX);
        ratio("`sb-inprocess` / `clq-threads` RTT p99", IN_PROCESS, CLQ, rtt, Percentile.P99, IN_PROCESS_RATIO_MAX);
    }

    private void criticalThroughput()
    {
        throughputRatio(1, true);
        throughputRatio(cases.run().settings() == null ? 2 : Math.max(2, cases.run().settings().producers()), false);
    }

    private void throughputRatio(final int producers, final boolean judged)
    {
        final String target = "CRITICAL throughput / `agrona-shm`, " + producers + " producer" +
            (producers == 1 ? "" : "s") + ", " + payload + " B";
        final String goal = judged ? "≥ " + ReportFormat.ratio(THROUGHPUT_RATIO_MIN) : "report (beside 1 producer)";
        final Optional<ThroughputResult> a = cases.throughput(CRITICAL, producers, payload);
        final Optional<ThroughputResult> b = cases.throughput(AGRONA, producers, payload);
        if (a.isEmpty() || b.isEmpty())
        {
            missing(target, goal, a.isEmpty() ? cases.whyMissing(CRITICAL, producers + "-producer throughput") :
                cases.whyMissing(AGRONA, producers + "-producer throughput"));
            return;
        }
        final Optional<PairedRatio> r = PairedRatio.throughput(a.get(), b.get(), paired(CRITICAL, AGRONA));
        if (r.isEmpty())
        {
            missing(target, goal, "`agrona-shm` measured no throughput");
            return;
        }
        final String measured = r.get().describe() + "; " + ReportFormat.rate(a.get().msgsPerSecond()) + " vs " +
            ReportFormat.rate(b.get().msgsPerSecond());
        if (judged)
        {
            judge(target, measured, goal, r.get().median() >= THROUGHPUT_RATIO_MIN);
        }
        else
        {
            info(target, measured, goal);
        }
    }

    private void socketTiers()
    {
        final LatencyRun rtt = new LatencyRun(Method.PING_PONG_RTT, payload);
        ratio("`sb-normal` / `uds-nio` RTT p50 (point to point)", NORMAL, UDS, rtt, Percentile.P50,
            POINT_TO_POINT_RATIO_MAX);
        ratio("`sb-high` / `uds-nio` RTT p50 (point to point)", HIGH, UDS, rtt, Percentile.P50,
            POINT_TO_POINT_RATIO_MAX);
        ratio("`sb-normal-routed` / `uds-relay` RTT p50 (publish via the router)", NORMAL_ROUTED, RELAY, rtt,
            Percentile.P50, ROUTED_RATIO_MAX);
        ratio("`sb-high-routed` / `uds-relay` RTT p50 (publish via the router)", HIGH_ROUTED, RELAY, rtt,
            Percentile.P50, ROUTED_RATIO_MAX);
        below("HIGH < NORMAL, RTT p50, point to point", HIGH, NORMAL, rtt, Percentile.P50);
        below("HIGH < NORMAL, RTT p99, point to point", HIGH, NORMAL, rtt, Percentile.P99);
        below("HIGH < NORMAL, RTT p50, publish via the router", HIGH_ROUTED, NORMAL_ROUTED, rtt, Percentile.P50);
        below("HIGH < NORMAL, RTT p99, publish via the router", HIGH_ROUTED, NORMAL_ROUTED, rtt, Percentile.P99);
        normalKeepsUp();
    }

    private void normalKeepsUp()
    {
        final String target = "`sb-normal` one-way keeps up at " + ReportFormat.count(NORMAL_KEEPS_UP_RATE) +
            " msg/s: p99";
        final String goal = "< " + ReportFormat.nanos(NORMAL_ONE_WAY_P99_MAX_NS);
        final Optional<LatencyResult> l = cases.latency(NORMAL, new LatencyRun(Method.ONE_WAY_FIXED_RATE, payload));
        if (l.isEmpty())
        {
            missing(target, goal, cases.whyMissing(NORMAL, "one-way result"));
            return;
        }
        final String rate = l.get().ratePerSecond() == NORMAL_KEEPS_UP_RATE ? "" :
            " (this run's rate: " + ReportFormat.count(l.get().ratePerSecond()) + " msg/s)";
        judge(target, ReportFormat.nanos(l.get().p99Ns()) + rate, goal, l.get().p99Ns() < NORMAL_ONE_WAY_P99_MAX_NS);
    }

    private void low()
    {
        ratio("`sb-low` / `chronicle-queue` RTT p50", LOW, CHRONICLE, new LatencyRun(Method.PING_PONG_RTT, payload),
            Percentile.P50, LOW_RATIO_MAX);
    }

    private void specOneWay()
    {
        for (final String id : List.of(CRITICAL, HIGH, NORMAL, LOW))
        {
            final long spec = SPEC_ONE_WAY_NS.get(id);
            final String target = "`" + id + "` one-way p50, fixed rate (the original specification's figure)";
            final String goal = "spec " + ReportFormat.nanos(spec) + " (shown beside, not judged)";
            final Optional<LatencyResult> l = cases.latency(id, new LatencyRun(Method.ONE_WAY_FIXED_RATE, payload));
            if (l.isEmpty())
            {
                missing(target, goal, cases.whyMissing(id, "one-way result"));
                continue;
            }
            info(target, ReportFormat.nanos(l.get().p50Ns()) + " at " + ReportFormat.count(l.get().ratePerSecond()) +
                " msg/s", goal);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void syscalls()
    {
        criticalThreadSyscalls();
        pointToPointSyscalls(NORMAL);
        pointToPointSyscalls(HIGH);
        final String high = syscallText(HIGH);
        final String normal = syscallText(NORMAL);
        final String target = "System calls per round trip, HIGH vs NORMAL (point to point, every process)";
        if (null == high || null == normal)
        {
            missing(target, "report", null == high ? syscallsMissing(HIGH) : syscallsMissing(NORMAL));
            return;
        }
        info(target, "HIGH " + high + "; NORMAL " + normal, "report (why HIGH is faster, or is not)");
    }

    private void criticalThreadSyscalls()
    {
        final String target = "`sb-critical` system calls on the measuring threads, steady state";
        final String goal = "0 in the window";
        final SyscallResult s = cases.byId(CRITICAL).map(CaseResult::syscalls).orElse(null);
        if (null == s || null == s.perThread() || s.perThread().isEmpty())
        {
            missing(target, goal, null == s ? syscallsMissing(CRITICAL) :
                null == s.threadTool() ? "measuring threads not counted" : s.threadTool());
            return;
        }
        final StringBuilder text = new StringBuilder();
        long total = 0;
        final List<Map.Entry<String, Map<String, Double>>> threads = s.perThread().entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).toList();
        for (final Map.Entry<String, Map<String, Double>> e : threads)
        {
            final long calls = Math.round(e.getValue().getOrDefault(SyscallResult.TOTAL, 0.0) * s.messages());
            final double cpuMs = e.getValue().getOrDefault(SyscallResult.TASK_CLOCK_MS, 0.0) * s.messages();
            if (cpuMs <= 0)
            {
                missing(target, goal, "the counter attached to the " + e.getKey() + " thread saw no CPU time: not " +
                    "attached, its zero means nothing");
                return;
            }
            total += calls;
            text.append(text.isEmpty() ? "" : "; ").append(e.getKey()).append(' ').append(ReportFormat.count(calls))
                .append(calls == 0 ? "" : " (" + topCalls(e.getValue(), s.messages()) + ")");
        }
        judge(target, text + " in " + ReportFormat.count(s.messages()) + " round trips", goal, total == 0);
    }

    private static String topCalls(final Map<String, Double> calls, final long roundTrips)
    {
        return calls.entrySet().stream()
            .filter(e -> !e.getKey().equals(SyscallResult.TOTAL) && !e.getKey().equals(SyscallResult.TASK_CLOCK_MS) &&
                !e.getKey().startsWith(SyscallResult.EAGAIN_PREFIX) && e.getValue() > 0)
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
            .map(e -> e.getKey() + " " + Math.round(e.getValue() * roundTrips)).reduce((a, b) -> a + ", " + b)
            .orElse("other calls");
    }

    private void pointToPointSyscalls(final String id)
    {
        final String target = "`" + id + "` system calls per round trip, each agent process (point to point)";
        final String goal = "≤ " + ReportFormat.significant(POINT_TO_POINT_SYSCALLS_MAX, 2) +
            " per process, 0 empty reads (EAGAIN)";
        final SyscallResult s = cases.byId(id).map(CaseResult::syscalls).orElse(null);
        if (null == s || null == s.perProcess() || s.perProcess().isEmpty())
        {
            missing(target, goal, syscallsMissing(id));
            return;
        }
        final StringBuilder text = new StringBuilder();
        boolean pass = true;
        for (final String process : List.of("initiator", "responder"))
        {
            final Map<String, Double> calls = s.perProcess().get(process);
            if (null == calls)
            {
                missing(target, goal, id + ": no count for the " + process);
                return;
            }
            final double total = calls.getOrDefault(SyscallResult.TOTAL, 0.0);
            final double eagain = SyscallFamilies.emptyReads(calls);
            pass &= total <= POINT_TO_POINT_SYSCALLS_MAX && eagain == 0;
            text.append(text.isEmpty() ? "" : "; ").append(process).append(' ')
                .append(ReportFormat.significant(total, 3)).append(", EAGAIN ")
                .append(ReportFormat.significant(eagain, 3));
        }
        final String eagainNote = SyscallFamilies.countedEmptyReads(s) ? "" : " (EAGAIN not counted in this run)";
        judge(target, text + eagainNote, goal, pass && eagainNote.isEmpty());
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
            ReportFormat.significant(f.readWrite() + f.sendRecv(), 3) + ", EAGAIN " +
            ReportFormat.significant(f.emptyReads(), 3) + ")";
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

    // ---------------------------------------------------------------------------------------------------------------

    private void jmh()
    {
        jmhPerVariant("JMH `" + EMPTY_POLL + "`: an empty poll of a registered client", EMPTY_POLL,
            "≤ " + ReportFormat.significant(EMPTY_POLL_MAX_NS, 2) + " ns per poll", true);
        jmhPerVariant("JMH `" + SEND_THEN_POLL + "`", SEND_THEN_POLL,
            "≥ " + ReportFormat.rate(SEND_THEN_POLL_MIN_PER_SECOND), false);
        allocation();
    }

    private void jmhPerVariant(final String target, final String name, final String goal, final boolean nanos)
    {
        if (null == jmh)
        {
            missing(target, goal, jmhMissing);
            return;
        }
        final List<JmhResults.Benchmark> found = jmh.benchmarks().stream()
            .filter(b -> b.name().endsWith("." + name) && JmhResults.THROUGHPUT_MODE.equals(b.mode())).toList();
        if (found.isEmpty())
        {
            missing(target, goal, "no " + name + " throughput result in the JMH file");
            return;
        }
        final StringBuilder text = new StringBuilder();
        boolean pass = true;
        for (final JmhResults.Benchmark b : found)
        {
            final double perSecond = b.primary().perSecond();
            final String params = b.params().isEmpty() ? "" : String.join(", ", b.params().values()) + ": ";
            if (nanos)
            {
                final double ns = 1e9 / perSecond;
                pass &= ns <= EMPTY_POLL_MAX_NS;
                text.append(text.isEmpty() ? "" : "; ").append(params).append(ReportFormat.significant(ns, 3))
                    .append(" ns");
            }
            else
            {
                pass &= perSecond >= SEND_THEN_POLL_MIN_PER_SECOND;
                text.append(text.isEmpty() ? "" : "; ").append(params).append(ReportFormat.rate(perSecond));
            }
        }
        judge(target, text.toString(), goal, pass);
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

    // ---------------------------------------------------------------------------------------------------------------

    private void idle()
    {
        final Optional<CaseResult> c = cases.byId(WAKE_UP_CASE);
        final IdleResult idle = c.map(CaseResult::idle).orElse(null);
        final String why = c.isEmpty() || null != c.get().skipped() ? cases.whyMissing(WAKE_UP_CASE, "idle result") :
            WAKE_UP_CASE + " made no idle measurement";

        final String cpuTarget = "Idle agent, default idle strategy: CPU over " +
            (null == idle ? ReportFormat.significant(IDLE_WINDOW_SECONDS, 2) + " s" :
            ReportFormat.duration(idle.seconds())) + " (whole process)";
        final String cpuGoal = "< " + ReportFormat.significant(IDLE_AGENT_CPU_MAX_PERCENT, 2) + " % of a CPU over " +
            ReportFormat.significant(IDLE_WINDOW_SECONDS, 2) + " s";
        if (null == idle)
        {
            missing(cpuTarget, cpuGoal, why);
        }
        else
        {
            judge(cpuTarget, percent(idle.agentProcessCpuPercent()) + " (its polling thread " +
                percent(idle.agentThreadCpuPercent()) + ", " + ReportFormat.significant(idle.agentThreadWakeUps(), 3) +
                " wake-ups/s)" + (idle.seconds() + 0.05 < IDLE_WINDOW_SECONDS ? "; a window shorter than the target's" :
                ""), cpuGoal, idle.agentProcessCpuPercent() < IDLE_AGENT_CPU_MAX_PERCENT &&
                idle.seconds() + 0.05 >= IDLE_WINDOW_SECONDS);
        }

        final String wakeTarget = "Wake-up of a parked receiver (CRITICAL), p50";
        final String wakeGoal = "≤ " + ReportFormat.nanos(WAKE_UP_P50_MAX_NS);
        final Optional<LatencyResult> wake = cases.latency(WAKE_UP_CASE, new LatencyRun(Method.WAKE_UP, payload));
        if (wake.isEmpty())
        {
            missing(wakeTarget, wakeGoal, cases.whyMissing(WAKE_UP_CASE, "wake-up result"));
        }
        else
        {
            judge(wakeTarget, ReportFormat.nanos(wake.get().p50Ns()) + " (p99 " + ReportFormat.nanos(wake.get().p99Ns()) +
                ", " + ReportFormat.count(wake.get().samples()) + " wake-ups)", wakeGoal,
                wake.get().p50Ns() <= WAKE_UP_P50_MAX_NS);
        }

        final String routerTarget = "Idle router: wake-ups per second of its own threads";
        final String routerGoal = "≤ " + ReportFormat.significant(IDLE_ROUTER_WAKE_UPS_MAX, 2) + "/s";
        if (null == idle || Double.isNaN(idle.routerWakeUps()))
        {
            missing(routerTarget, routerGoal, null == idle ? why : "the case had no router process");
        }
        else
        {
            judge(routerTarget, ReportFormat.significant(idle.routerWakeUps(), 3) + "/s (" +
                percent(idle.routerProcessCpuPercent()) + " CPU; the JVM's own threads another " +
                ReportFormat.significant(idle.routerJvmWakeUps(), 3) + "/s)", routerGoal,
                idle.routerWakeUps() <= IDLE_ROUTER_WAKE_UPS_MAX);
        }
    }

    private static String percent(final double value)
    {
        return Double.isNaN(value) ? ReportFormat.MISSING : ReportFormat.significant(value, 2) + " %";
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void infoRows()
    {
        final LatencyRun rtt = new LatencyRun(Method.PING_PONG_RTT, payload);
        final String floorId = cases.floorFor(rtt).map(CaseResult::id).orElse(RunCases.FLOOR_ID);
        infoRatio("`sb-critical` / C floor (`" + floorId + "`) RTT p50", CRITICAL, floorId, rtt, Percentile.P50);
        infoRatio("`sb-critical` / `aeron-ipc` RTT p99", CRITICAL, AERON, rtt, Percentile.P99);
        ingressThroughput();
    }

    private void ingressThroughput()
    {
        final String target = "Router ingress throughput, 1 producer (JMH `" + INGRESS_SPSC + "`)";
        final String goal = "report (the original specification: ≥ " + ReportFormat.rate(INGRESS_SPEC_PER_SECOND) + ")";
        if (null == jmh)
        {
            missing(target, goal, jmhMissing);
            return;
        }
        final Optional<JmhResults.Benchmark> spsc = jmh.find(INGRESS_SPSC, JmhResults.THROUGHPUT_MODE);
        final Optional<Double> offered = spsc.flatMap(b -> b.eventsPerSecond("offered"));
        if (offered.isEmpty())
        {
            missing(target, goal, "no " + INGRESS_SPSC + " throughput result with an offered counter");
            return;
        }
        info(target, ReportFormat.rate(offered.get()) + " offered", goal);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private boolean paired(final String a, final String b)
    {
        final Optional<CaseResult> ca = cases.byId(a);
        final Optional<CaseResult> cb = cases.byId(b);
        return ca.isPresent() && cb.isPresent() && PairedRatio.sameGroup(ca.get(), cb.get());
    }

    private Optional<PairedRatio> pairedRatio(
        final String target, final String goal, final String caseId, final String referenceId, final LatencyRun run,
        final Percentile percentile)
    {
        final String what = (Method.PING_PONG_RTT == run.method() ? "ping-pong " : "one-way ") + run.payload() +
            " B result";
        final Optional<LatencyResult> a = cases.latency(caseId, run);
        final Optional<LatencyResult> b = cases.latency(referenceId, run);
        if (a.isEmpty() || b.isEmpty())
        {
            missing(target, goal, a.isEmpty() ? cases.whyMissing(caseId, what) : cases.whyMissing(referenceId, what));
            return Optional.empty();
        }
        final Optional<PairedRatio> r = PairedRatio.latency(a.get(), b.get(), percentile, paired(caseId, referenceId));
        if (r.isEmpty())
        {
            missing(target, goal, referenceId + " recorded 0 ns");
        }
        return r;
    }

    /** A ratio judged "at most {@code max}", from paired rounds (n/a when the cases were not paired). */
    private void ratio(
        final String target, final String caseId, final String referenceId, final LatencyRun run,
        final Percentile percentile, final double max)
    {
        final String goal = "≤ " + ReportFormat.ratio(max) + " (median of paired rounds)";
        pairedRatio(target, goal, caseId, referenceId, run, percentile).ifPresent(r ->
        {
            if (!r.paired())
            {
                missing(target, goal, "`" + caseId + "` and `" + referenceId + "` did not run in paired rounds " +
                    "(pooled: " + ReportFormat.ratio(r.pooled()) + ")");
                return;
            }
            judge(target, r.describe() + "; pooled " + ReportFormat.nanos(r.a()) + " vs " + ReportFormat.nanos(r.b()),
                goal, r.median() <= max);
        });
    }

    /** HIGH below NORMAL: the median of paired per-round ratios under 1. */
    private void below(
        final String target, final String caseId, final String referenceId, final LatencyRun run,
        final Percentile percentile)
    {
        final String goal = "< 1.00x (median of paired rounds)";
        pairedRatio(target, goal, caseId, referenceId, run, percentile).ifPresent(r ->
        {
            if (!r.paired())
            {
                missing(target, goal, "`" + caseId + "` and `" + referenceId + "` did not run in paired rounds");
                return;
            }
            judge(target, r.describe() + "; pooled " + ReportFormat.nanos(r.a()) + " vs " + ReportFormat.nanos(r.b()),
                goal, r.median() < 1.0);
        });
    }

    private void infoRatio(
        final String target, final String caseId, final String referenceId, final LatencyRun run,
        final Percentile percentile)
    {
        final String goal = "report (not paired: different groups)";
        pairedRatio(target, goal, caseId, referenceId, run, percentile).ifPresent(r -> info(target,
            ReportFormat.ratio(r.pooled()) + " pooled (" + ReportFormat.nanos(r.a()) + " vs " +
            ReportFormat.nanos(r.b()) + ")", goal));
    }

    private void judge(final String target, final String measured, final String goal, final boolean pass)
    {
        rows.add(new Row(target, measured, goal, pass ? Verdict.PASS : Verdict.MISS, null));
    }

    private void info(final String target, final String measured, final String goal)
    {
        rows.add(new Row(target, measured, goal, Verdict.INFO, null));
    }

    private void missing(final String target, final String goal, final String why)
    {
        rows.add(new Row(target, ReportFormat.MISSING, goal, Verdict.NOT_AVAILABLE, why));
    }
}
