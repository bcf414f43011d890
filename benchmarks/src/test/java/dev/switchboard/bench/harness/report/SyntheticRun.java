/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.harness.HdrLogs;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.IdleResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.model.RunResult;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run directory made up for the report's tests. Every latency distribution of a round is 1 000 values at five
 * levels (500 at p50, 400 at p90, 90 at p99, 9 at p99.9, 1 at max), so each percentile of a round is exactly the level
 * given; a case's rounds are the intervals of its HdrHistogram log, written by the harness's own {@link HdrLogs}.
 */
final class SyntheticRun
{
    static final int PAYLOAD = 32;
    static final int ROUNDS = 4;

    private final Path dir;
    private final List<CaseResult> cases = new ArrayList<>();
    private String jmhJson;
    private OrchestratorResult orchestrator;

    SyntheticRun(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * The standard run: the floor; sb-critical and agrona-shm in 4 paired rounds (the machine flips between a fast
     * regime in rounds 0 and 2 and a slow one in rounds 1 and 3); sb-high, sb-normal and uds-nio paired; sb-low
     * skipped; aeron-ipc alone; the idle case.
     *
     * @param criticalNearP50 sb-critical's one-way p50 in round 2, where agrona-shm's is 140 ns, ns.
     */
    static SyntheticRun standard(final Path dir, final long criticalNearP50) throws IOException
    {
        final SyntheticRun run = new SyntheticRun(dir);
        final List<String> criticalGroup = List.of("sb-critical", "agrona-shm");
        final List<String> socketGroup = List.of("sb-high", "sb-normal", "uds-nio");
        run.add("c-floor", "C cache-line floor", "FLOOR", List.of(
            run.latency("c-floor", Method.PING_PONG_RTT, 0, rounds(new long[]{ 200, 220, 250, 400, 2_000 })),
            run.latency("c-floor", Method.ONE_WAY_FIXED_RATE, 200_000,
                rounds(new long[]{ 100, 110, 130, 200, 1_000 }))),
            List.of(), null, null, List.of(), List.of("c-floor"), List.of(), null);
        // RTT: agrona-shm 200 ns in the fast rounds, 400 ns in the slow ones; sb-critical 1.10x, 1.10x, 1.15x, 1.05x
        // at p50 and p99, 2.5x at p99.9.
        run.add("sb-critical", "Switchboard CRITICAL (/dev/shm inbox)", "SWITCHBOARD", List.of(
            run.latency("sb-critical", Method.PING_PONG_RTT, 0, rounds(
                new long[]{ 220, 240, 275, 1_000, 5_000 }, new long[]{ 440, 480, 550, 2_000, 9_000 },
                new long[]{ 230, 250, 287, 1_000, 5_000 }, new long[]{ 420, 460, 525, 2_000, 9_000 })),
            run.latency("sb-critical", Method.ONE_WAY_FIXED_RATE, 200_000, rounds(
                new long[]{ 180, 200, 230, 400, 3_000 }, new long[]{ 400, 450, 560, 900, 6_000 },
                new long[]{ criticalNearP50, 200, 240, 400, 3_000 }, new long[]{ 420, 470, 560, 900, 6_000 }))),
            List.of(throughput(1, 40e6, 42e6, 38e6, 44e6), throughput(2, 30e6, 30e6, 30e6, 30e6)),
            new SyscallResult(20_000, Map.of(
                "initiator", Map.of("total", 0.01, "read", 0.01),
                "responder", Map.of("total", 0.02, "futex", 0.02)), "perf stat on the syscall tracepoints",
                Map.of("initiator", Map.of("total", 0.0, "task-clock-ms", 0.0004),
                    "responder", Map.of("total", 0.0, "task-clock-ms", 0.0004)), "perf stat --per-thread"),
            null, List.of(), criticalGroup, List.of("server: router idle strategy: backoff",
                "responder: client idle strategy: spin then park"), null);
        run.add("agrona-shm", "Agrona many-to-one ring (shm)", "PEER", List.of(
            run.latency("agrona-shm", Method.PING_PONG_RTT, 0, rounds(
                new long[]{ 200, 220, 250, 400, 1_500 }, new long[]{ 400, 440, 500, 800, 3_000 },
                new long[]{ 200, 220, 250, 400, 1_500 }, new long[]{ 400, 440, 500, 800, 3_000 })),
            run.latency("agrona-shm", Method.ONE_WAY_FIXED_RATE, 200_000, rounds(
                new long[]{ 120, 150, 200, 300, 2_000 }, new long[]{ 300, 350, 500, 800, 4_000 },
                new long[]{ 140, 160, 210, 300, 2_000 }, new long[]{ 300, 350, 500, 800, 4_000 }))),
            List.of(throughput(1, 50e6, 50e6, 50e6, 50e6), throughput(2, 60e6, 60e6, 60e6, 60e6)), null, null,
            List.of(), criticalGroup, List.of(), null);
        // Point to point: uds-nio 10 / 12 µs; NORMAL 1.2x; HIGH 1.1x at p50 but its p99 above NORMAL's.
        run.add("sb-high", "Switchboard HIGH (io_uring)", "SWITCHBOARD", List.of(
            run.latency("sb-high", Method.PING_PONG_RTT, 0, alternating(
                new long[]{ 11_000, 12_000, 40_000, 60_000, 90_000 }, new long[]{ 13_200, 14_000, 44_000, 66_000,
                    99_000 })),
            run.latency("sb-high", Method.ONE_WAY_FIXED_RATE, 200_000, alternating(
                new long[]{ 6_000, 7_000, 9_000, 20_000, 50_000 }, new long[]{ 6_000, 7_000, 9_000, 20_000, 50_000 }))),
            List.of(throughput(1, 2e6, 2e6, 2e6, 2e6)),
            new SyscallResult(20_000, Map.of(
                "initiator", Map.of("total", 1.2, "io_uring_enter", 1.0, "eagain:read", 0.0),
                "responder", Map.of("total", 1.1, "io_uring_enter", 1.0, "eagain:read", 0.0)),
                "perf stat -e syscalls:sys_enter_*", null, "measuring threads not counted"),
            null, List.of("SQPOLL off: one io_uring_enter per send"), socketGroup, List.of(), null);
        run.add("sb-normal", "Switchboard NORMAL (Unix socket)", "SWITCHBOARD", List.of(
            run.latency("sb-normal", Method.PING_PONG_RTT, 0, alternating(
                new long[]{ 12_000, 14_000, 30_000, 50_000, 90_000 }, new long[]{ 14_400, 16_000, 33_000, 55_000,
                    99_000 })),
            run.latency("sb-normal", Method.ONE_WAY_FIXED_RATE, 200_000, alternating(
                new long[]{ 8_000, 9_000, 800_000, 900_000, 950_000 },
                new long[]{ 8_000, 9_000, 800_000, 900_000, 950_000 }))),
            List.of(throughput(1, 1e6, 1e6, 1e6, 1e6)),
            new SyscallResult(20_000, Map.of(
                "initiator", Map.of("total", 2.0, "write", 1.0, "read", 1.0, "eagain:read", 0.5),
                "responder", Map.of("total", 2.0, "write", 1.0, "read", 1.0, "eagain:read", 0.0),
                "server", Map.of("total", 6.0, "epoll_wait", 2.0, "eagain:read", 0.0)),
                "perf stat -e syscalls:sys_enter_*", null, null),
            null, List.of(), socketGroup, List.of(), null);
        run.add("uds-nio", "NIO Unix domain socket", "PEER", List.of(
            run.latency("uds-nio", Method.PING_PONG_RTT, 0, alternating(
                new long[]{ 10_000, 11_000, 25_000, 40_000, 80_000 }, new long[]{ 12_000, 13_000, 28_000, 45_000,
                    85_000 }))),
            List.of(throughput(1, 0.5e6, 0.5e6, 0.5e6, 0.5e6)), null, null, List.of(), socketGroup, List.of(), null);
        run.add("sb-low", "Switchboard LOW (Chronicle Queue)", "SWITCHBOARD", List.of(), List.of(), null,
            "Chronicle Queue needs --add-opens this JVM was not given", List.of(), List.of("sb-low"), List.of(), null);
        run.add("aeron-ipc", "Aeron IPC", "PEER", List.of(
            run.latency("aeron-ipc", Method.PING_PONG_RTT, 0, rounds(new long[]{ 300, 330, 350, 1_200, 30_000 }))),
            List.of(throughput(1, 20.0e6)), null, null, List.of(), List.of("aeron-ipc"), List.of(), null);
        run.add("sb-critical-wakeup", "Switchboard CRITICAL, idle", "SWITCHBOARD", List.of(
            run.latency("sb-critical-wakeup", Method.WAKE_UP, 200,
                rounds(new long[]{ 15_000, 30_000, 60_000, 90_000, 200_000 }))),
            List.of(), null, null, List.of(), List.of("sb-critical-wakeup"), List.of(),
            new IdleResult(10.0, 0.4, 0.3, 10.0, 1.5, 25.0, 40.0, Map.of("sb-router-1234", 25.0),
                "spin then park", "/proc"));
        return run;
    }

    SyntheticRun add(
        final String id, final String label, final String kind, final List<LatencyResult> latency,
        final List<ThroughputResult> throughput, final SyscallResult syscalls, final String skipped,
        final List<String> notes)
    {
        return add(id, label, kind, latency, throughput, syscalls, skipped, notes, List.of(id), List.of(), null);
    }

    SyntheticRun add(
        final String id, final String label, final String kind, final List<LatencyResult> latency,
        final List<ThroughputResult> throughput, final SyscallResult syscalls, final String skipped,
        final List<String> notes, final List<String> group, final List<String> settings, final IdleResult idle)
    {
        cases.add(new CaseResult(id, label, kind, "2 processes, CPUs 0 and 1", latency, throughput, syscalls,
            skipped, notes, group, settings, idle));
        return this;
    }

    /**
     * Also include the floor taken again at the end of the run, 1.5 times the first at every percentile.
     */
    SyntheticRun withFloorEnd() throws IOException
    {
        add("c-floor-end", "C cache-line floor (end of run)", "FLOOR", List.of(
            latency("c-floor-end", Method.PING_PONG_RTT, 0, rounds(new long[]{ 300, 330, 375, 600, 3_000 }))),
            List.of(), null, null, List.of());
        return this;
    }

    /**
     * Copy the JMH fixture into the run as {@code jmh.json}, editing it on the way.
     */
    SyntheticRun withJmh(final Map<String, String> replacements) throws IOException
    {
        try (InputStream in = Objects.requireNonNull(
            SyntheticRun.class.getResourceAsStream("/report/jmh-sample.json"), "fixture report/jmh-sample.json"))
        {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (final Map.Entry<String, String> r : replacements.entrySet())
            {
                if (!text.contains(r.getKey()))
                {
                    throw new IllegalStateException("fixture has no " + r.getKey());
                }
                text = text.replace(r.getKey(), r.getValue());
            }
            Files.writeString(dir.resolve("jmh.json"), text);
        }
        jmhJson = "jmh.json";
        return this;
    }

    /**
     * @param result the orchestrator section to put in the run.
     * @return this.
     */
    SyntheticRun orchestrator(final OrchestratorResult result)
    {
        this.orchestrator = result;
        return this;
    }

    /**
     * Write {@code harness.json} and generate the report.
     *
     * @return report.md's text.
     */
    String report() throws IOException
    {
        final RunResult run = new RunResult("2025-11-26T02:00:00Z", "smoke",
            new RunResult.Machine("Test CPU @ 2.0GHz", 2, "6.8.0-test", "25.0.3+9-LTS (Eclipse Adoptium)",
                "taskset -c 0 / -c 1"),
            new RunResult.Settings(4_000, 5.0, ROUNDS, 500, 100, 1_000, 200_000, 1.0, 1.0, List.of(PAYLOAD, 1024), 2,
                256, 20, 5_000, 10.0),
            cases, jmhJson,
            List.of(new RunResult.ProfileSummary("sb-critical", "initiator", "jfr/sb-critical-initiator.jfr",
                List.of("dev.switchboard.ring.ManyToOneRing.read (31.2 %)"))),
            754.0, orchestrator);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("harness.json").toFile(), run);
        return Files.readString(ReportWriter.write(dir));
    }

    /**
     * @return 1 000 values: 500 at p50, 400 at p90, 90 at p99, 9 at p999, 1 at max.
     */
    static Histogram distribution(final long p50, final long p90, final long p99, final long p999, final long max)
    {
        final Histogram h = HdrLogs.newHistogram();
        h.recordValueWithCount(p50, 500);
        h.recordValueWithCount(p90, 400);
        h.recordValueWithCount(p99, 90);
        h.recordValueWithCount(p999, 9);
        h.recordValue(max);
        return h;
    }

    /**
     * @param levels each round's p50, p90, p99, p99.9 and max.
     * @return the rounds' distributions.
     */
    static List<Histogram> rounds(final long[]... levels)
    {
        final List<Histogram> rounds = new ArrayList<>();
        long startMs = 1_000;
        for (final long[] l : levels)
        {
            final Histogram h = distribution(l[0], l[1], l[2], l[3], l[4]);
            h.setStartTimeStamp(startMs);
            h.setEndTimeStamp(startMs + 1_000);
            startMs += 2_000;
            rounds.add(h);
        }
        return rounds;
    }

    /**
     * @return {@link #ROUNDS} rounds, alternating {@code even} (rounds 0, 2) and {@code odd} (1, 3).
     */
    static List<Histogram> alternating(final long[] even, final long[] odd)
    {
        return rounds(even, odd, even, odd);
    }

    /**
     * @param caseId a case.
     * @param levels p50, p90, p99, p99.9 and max of each of {@link #ROUNDS} equal rounds.
     * @return a one-way result at 200,000 msg/s, its log written.
     */
    LatencyResult oneWayRounds(final String caseId, final long[] levels) throws IOException
    {
        return latency(caseId, Method.ONE_WAY_FIXED_RATE, 200_000, alternating(levels, levels));
    }

    private LatencyResult latency(
        final String caseId, final Method method, final long rate, final List<Histogram> rounds) throws IOException
    {
        final String hlog = "hdr/" + caseId + "-" + method.name().toLowerCase() + "-" + PAYLOAD + "B.hlog";
        HdrLogs.writeRounds(rounds, dir.resolve(hlog), caseId);
        final long target = rounds.size() * 1_000L;
        return HdrLogs.summarise(method, PAYLOAD, rate, rounds, hlog, target);
    }

    /**
     * Write {@code h} as two intervals (the first half of its values, then the rest).
     */
    static void writeLog(final Path file, final Histogram h) throws IOException
    {
        Files.createDirectories(file.getParent());
        final Histogram first = new Histogram(3);
        final Histogram second = new Histogram(3);
        final Map<Long, Long> counts = new LinkedHashMap<>();
        h.recordedValues().forEach(v -> counts.put(v.getValueIteratedTo(), v.getCountAtValueIteratedTo()));
        counts.forEach((value, count) ->
        {
            first.recordValueWithCount(value, count / 2 + count % 2);
            if (count / 2 > 0)
            {
                second.recordValueWithCount(value, count / 2);
            }
        });
        final HistogramLogWriter writer = new HistogramLogWriter(file.toFile());
        try
        {
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_000);
            writer.setBaseTime(1_000);
            writer.outputLegend();
            first.setStartTimeStamp(1_000);
            first.setEndTimeStamp(2_000);
            writer.outputIntervalHistogram(first);
            second.setStartTimeStamp(2_000);
            second.setEndTimeStamp(3_000);
            writer.outputIntervalHistogram(second);
        }
        finally
        {
            writer.close();
        }
    }

    /**
     * @param rates each round's msgs/s (one rate: a run without rounds).
     */
    static ThroughputResult throughput(final int producers, final double... rates)
    {
        long messages = 0;
        final List<Double> perRound = new ArrayList<>();
        for (final double r : rates)
        {
            messages += (long)r;
            perRound.add(r);
        }
        return new ThroughputResult(producers, PAYLOAD, messages, rates.length, messages / (double)rates.length,
            producers * 10L, rates.length > 1 ? perRound : List.of());
    }
}
