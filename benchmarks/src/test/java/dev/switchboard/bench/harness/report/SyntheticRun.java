/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.harness.model.CaseResult;
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
 * A run directory made up for the report's tests: every latency distribution is 1 000 values at five levels
 * (500 at p50, 400 at p90, 90 at p99, 9 at p99.9, 1 at max), so each percentile is exactly the level given,
 * written as an HdrHistogram log of two intervals.
 */
final class SyntheticRun
{
    static final int PAYLOAD = 32;

    private final Path dir;
    private final List<CaseResult> cases = new ArrayList<>();
    private String jmhJson;
    private OrchestratorResult orchestrator;

    SyntheticRun(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * The standard run: floor, four Switchboard tiers (one skipped), two peers, with the numbers the tests judge.
     *
     * @param criticalOneWayP99 sb-critical's one-way p99, ns.
     */
    static SyntheticRun standard(final Path dir, final long criticalOneWayP99) throws IOException
    {
        final SyntheticRun run = new SyntheticRun(dir);
        run.add("c-floor", "C cache-line floor", "FLOOR", List.of(
            run.latency("c-floor", Method.PING_PONG_RTT, 200, 220, 250, 400, 2_000),
            run.latency("c-floor", Method.ONE_WAY_FIXED_RATE, 100, 110, 130, 200, 1_000)),
            List.of(), null, null, List.of());
        run.add("sb-critical", "Switchboard CRITICAL (/dev/shm inbox)", "SWITCHBOARD", List.of(
            run.latency("sb-critical", Method.PING_PONG_RTT, 210, 240, 280, 520, 5_000),
            run.latency("sb-critical", Method.ONE_WAY_FIXED_RATE, 100, 120, criticalOneWayP99, 400, 3_000)),
            List.of(throughput(1, 5.0e6), throughput(2, 8.0e6)), null, null, List.of());
        run.add("sb-high", "Switchboard HIGH (io_uring)", "SWITCHBOARD", List.of(
            run.latency("sb-high", Method.PING_PONG_RTT, 1_000, 1_200, 1_500, 3_000, 9_000),
            run.latency("sb-high", Method.ONE_WAY_FIXED_RATE, 600, 700, 900, 2_000, 5_000)),
            List.of(throughput(1, 2.0e6)),
            new SyscallResult(100_000, Map.of(
                "initiator", Map.of("total", 1.2, "io_uring_enter", 1.0),
                "responder", Map.of("total", 1.1, "io_uring_enter", 1.0)), "perf stat -e syscalls:sys_enter_*"),
            null, List.of("SQPOLL off: one io_uring_enter per send"));
        run.add("sb-normal", "Switchboard NORMAL (Unix socket via router)", "SWITCHBOARD", List.of(
            run.latency("sb-normal", Method.PING_PONG_RTT, 2_000, 2_500, 3_000, 6_000, 20_000),
            run.latency("sb-normal", Method.ONE_WAY_FIXED_RATE, 1_000, 1_300, 1_800, 4_000, 9_000)),
            List.of(throughput(1, 1.0e6)),
            new SyscallResult(100_000, Map.of(
                "initiator", Map.of("total", 4.0, "sendmsg", 1.0, "recvmsg", 1.0, "epoll_wait", 2.0),
                "server", Map.of("total", 6.0, "write", 2.0, "read", 2.0, "epoll_wait", 2.0)),
                "perf stat -e syscalls:sys_enter_*"),
            null, List.of());
        run.add("sb-low", "Switchboard LOW (Chronicle Queue)", "SWITCHBOARD", List.of(), List.of(), null,
            "Chronicle Queue needs --add-opens this JVM was not given", List.of());
        run.add("aeron-ipc", "Aeron IPC", "PEER", List.of(
            run.latency("aeron-ipc", Method.PING_PONG_RTT, 300, 330, 350, 1_200, 30_000)),
            List.of(throughput(1, 20.0e6)), null, null, List.of());
        run.add("agrona-shm", "Agrona many-to-one ring (shm)", "PEER", List.of(
            run.latency("agrona-shm", Method.PING_PONG_RTT, 190, 210, 240, 380, 1_500)),
            List.of(throughput(1, 50.0e6), throughput(2, 68.0e6)), null, null, List.of());
        return run;
    }

    SyntheticRun add(
        final String id, final String label, final String kind, final List<LatencyResult> latency,
        final List<ThroughputResult> throughput, final SyscallResult syscalls, final String skipped,
        final List<String> notes)
    {
        cases.add(new CaseResult(id, label, kind, "2 processes, CPUs 0 and 1", latency, throughput, syscalls,
            skipped, notes));
        return this;
    }

    /**
     * Also include the floor taken again at the end of the run, 1.5 times the first at every percentile.
     */
    SyntheticRun withFloorEnd() throws IOException
    {
        add("c-floor-end", "C cache-line floor (end of run)", "FLOOR", List.of(
            latency("c-floor-end", Method.PING_PONG_RTT, 300, 330, 375, 600, 3_000)), List.of(), null, null,
            List.of());
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
            new RunResult.Settings(1_000, 5.0, 1.0, 100_000, 1.0, 1.0, List.of(PAYLOAD, 1024), 2),
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
        final Histogram h = new Histogram(3);
        h.recordValueWithCount(p50, 500);
        h.recordValueWithCount(p90, 400);
        h.recordValueWithCount(p99, 90);
        h.recordValueWithCount(p999, 9);
        h.recordValue(max);
        return h;
    }

    private LatencyResult latency(
        final String caseId, final Method method, final long p50, final long p90, final long p99, final long p999,
        final long max) throws IOException
    {
        final Histogram h = distribution(p50, p90, p99, p999, max);
        final String hlog = "hdr/" + caseId + "-" + method.name().toLowerCase() + "-" + PAYLOAD + "B.hlog";
        writeLog(dir.resolve(hlog), h);
        return new LatencyResult(method, PAYLOAD, Method.ONE_WAY_FIXED_RATE == method ? 100_000 : 0,
            h.getTotalCount(), hlog, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
            h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean());
    }

    /**
     * Write {@code h} as two intervals (the first half of its values, then the rest), as the harness writes one
     * interval per reporting period.
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

    private static ThroughputResult throughput(final int producers, final double msgsPerSecond)
    {
        final long messages = (long)msgsPerSecond;
        return new ThroughputResult(producers, PAYLOAD, messages, 1.0, msgsPerSecond, producers * 10L);
    }
}
