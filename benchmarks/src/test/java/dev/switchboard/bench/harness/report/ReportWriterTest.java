/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest
{
    private static final byte[] PNG_SIGNATURE = { (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    @TempDir
    Path dir;

    @Test
    void reportNamesEveryCaseAndSaysWhyTheSkippedOneDidNotRun() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(Files.isRegularFile(dir.resolve("report.md")));
        for (final String label : List.of("C cache-line floor", "Switchboard CRITICAL (/dev/shm inbox)",
            "Switchboard HIGH (io_uring)", "Switchboard NORMAL (Unix socket via router)", "Aeron IPC",
            "Agrona many-to-one ring (shm)", "Switchboard LOW (Chronicle Queue)"))
        {
            assertTrue(report.contains(label), () -> "report lacks case " + label + ":\n" + report);
        }
        assertTrue(report.contains("Switchboard LOW (Chronicle Queue) (`sb-low`): " +
            "Chronicle Queue needs --add-opens this JVM was not given"), report);
    }

    @Test
    void targetsTableComesFirstAfterTheHeader() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final int targets = report.indexOf("## Targets");
        assertTrue(targets > report.indexOf("## How to read this"), report);
        assertTrue(targets < report.indexOf("## Latency"), report);
        assertTrue(report.contains("| Target | Measured | Goal | Result |"), report);
    }

    @Test
    void criticalOneWayP99Of150NanosecondsPasses() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| CRITICAL one-way p99 across processes, fixed rate, 32 B | 150 ns at 100,000 msg/s | ≤ 200 ns | " +
            "PASS |", targetRow(report, "CRITICAL one-way p99"));
    }

    @Test
    void criticalOneWayP99Of250NanosecondsMisses() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 250).report();

        assertEquals("| CRITICAL one-way p99 across processes, fixed rate, 32 B | 250 ns at 100,000 msg/s | ≤ 200 ns | " +
            "**MISS** |", targetRow(report, "CRITICAL one-way p99"));
    }

    @Test
    void criticalRoundTripIsJudgedAgainstTheFloorAtP99AndP999() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| CRITICAL ping-pong RTT / C floor (`c-floor`), p99 | 1.12x (280 ns vs 250 ns) | ≤ 1.20x | PASS |",
            targetRow(report, "CRITICAL ping-pong RTT / C floor (`c-floor`), p99 "));
        assertEquals("| CRITICAL ping-pong RTT / C floor (`c-floor`), p99.9 | 1.30x (520 ns vs 400 ns) | ≤ 1.20x | " +
            "**MISS** |", targetRow(report, "CRITICAL ping-pong RTT / C floor (`c-floor`), p99.9"));
    }

    @Test
    void criticalRoundTripIsJudgedAgainstAeron() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| CRITICAL / Aeron IPC ping-pong RTT, p99 | 0.80x (280 ns vs 350 ns) | ≤ 1.00x (no slower) | PASS |",
            targetRow(report, "CRITICAL / Aeron IPC ping-pong RTT, p99 "));
        assertEquals("| CRITICAL / Aeron IPC ping-pong RTT, p99.9 | 0.43x (520 ns vs 1.2 µs) | " +
            "≤ 0.50x (well below: at most half) | PASS |", targetRow(report, "CRITICAL / Aeron IPC ping-pong RTT, p99.9"));
    }

    @Test
    void criticalThroughputIsJudgedAndReportedAgainstAgronaAndAeron() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| CRITICAL inbox throughput, 1 producer, 32 B | 5 M/s | ≥ 4.2 M/s | PASS |",
            targetRow(report, "CRITICAL inbox throughput"));
        assertTrue(targetRow(report, "CRITICAL / `agrona-shm` throughput").contains("| 0.10x (5 M/s vs 50 M/s) |"),
            report);
        assertTrue(targetRow(report, "CRITICAL / `agrona-shm` throughput").endsWith("| info |"), report);
        assertTrue(targetRow(report, "CRITICAL / `aeron-ipc` throughput").contains("| 0.25x (5 M/s vs 20 M/s) |"),
            report);
    }

    @Test
    void highIsJudgedBelowNormalAndItsSyscallsAreCountedByFamily() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(targetRow(report, "HIGH / NORMAL ping-pong RTT, p99").contains("| 0.50x (1.5 µs vs 3 µs) |"),
            report);
        assertTrue(targetRow(report, "HIGH / NORMAL ping-pong RTT, p99").endsWith("| PASS |"), report);
        assertTrue(targetRow(report, "HIGH / NORMAL one-way, p99").endsWith("| PASS |"), report);
        assertEquals("| System calls per round trip, HIGH vs NORMAL | HIGH 2.3 (io_uring_enter 2, " +
            "read/write/sendmsg/recvmsg 0); NORMAL 10 (io_uring_enter 0, read/write/sendmsg/recvmsg 6) | " +
            "report (why HIGH is faster) | info |", targetRow(report, "System calls per round trip"));
        assertTrue(report.contains("## System calls per round trip"), report);
    }

    @Test
    void targetsWhoseCasesDidNotRunSayWhy() throws IOException
    {
        final String report = new SyntheticRun(dir)
            .add("sb-critical", "Switchboard CRITICAL", "SWITCHBOARD", List.of(), List.of(), null,
                "/dev/shm is not writable", List.of())
            .report();

        assertTrue(targetRow(report, "CRITICAL one-way p99")
            .endsWith("| — | ≤ 200 ns | n/a — sb-critical skipped: /dev/shm is not writable |"), report);
        assertTrue(targetRow(report, "CRITICAL inbox throughput")
            .endsWith("| n/a — sb-critical skipped: /dev/shm is not writable |"), report);
        assertTrue(targetRow(report, "HIGH / NORMAL ping-pong RTT, p99").endsWith("| n/a — sb-high not in this run |"),
            report);
        assertTrue(targetRow(report, "System calls per round trip")
            .endsWith("| n/a — sb-high not in this run |"), report);
        assertTrue(report.contains("No latency was measured."), report);
    }

    @Test
    void jmhTargetsAreNotAvailableWithoutJmhResults() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(targetRow(report, "Router ingress throughput").endsWith("| n/a — JMH did not run in this run |"),
            report);
        assertTrue(targetRow(report, "0 B/op on hot paths").endsWith("| n/a — JMH did not run in this run |"), report);
        assertTrue(report.contains("## JMH microbenchmarks\n\nNot available: JMH did not run in this run."), report);
    }

    @Test
    void jmhResultsGiveTheIngressRateFromItsOfferedCounterAndTheAllocationPerOperation() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).withJmh(Map.of()).report();

        // The fixture's spsc run offered 3,617,843 frames in its one 1 s iteration.
        assertEquals("| Router ingress throughput, 1 producer (JMH `IngressBenchmark.spsc`) | 3.62 M/s offered | " +
            "≥ 4.2 M/s | **MISS** |", targetRow(report, "Router ingress throughput"));
        assertEquals("| 0 B/op on hot paths (JMH thrpt `gc.alloc.rate.norm`, every benchmark) | worst 0.00066 B/op " +
            "in IngressBenchmark.spsc (capacity=4194304), of 2 benchmarks | < 0.5 B/op each (one 16-byte object per 32 calls would exceed it; below it is JMH's and the fixtures' fixed per-iteration allocation) | PASS |",
            targetRow(report, "0 B/op on hot paths"));
        assertTrue(report.contains("| EnvelopeCodecBenchmark.encode | sample | 542 ± 1100 ns/op |  | 50 ns | 90 ns | " +
            "1.55 µs | 0.0087 |  |"), report);
    }

    @Test
    void aBenchmarkThatAllocatesMissesTheZeroAllocationTarget() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150)
            .withJmh(Map.of("\"score\" : 1.9082491650827463E-4", "\"score\" : 24.0")).report();

        assertEquals("| 0 B/op on hot paths (JMH thrpt `gc.alloc.rate.norm`, every benchmark) | " +
            "EnvelopeCodecBenchmark.encode 24 B/op (1 of 2 over) | < 0.5 B/op each (one 16-byte object per 32 calls would exceed it; below it is JMH's and the fixtures' fixed per-iteration allocation) | **MISS** |",
            targetRow(report, "0 B/op on hot paths"));
    }

    @Test
    void latencyTableListsTheFloorFirstWithRoundTripHalvesAndRatiosToTheFloor() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String table = section(report, "### Ping-pong RTT, 32 B");
        assertTrue(table.contains("| Case | Placement | Samples | p50 | p90 | p99 | p99.9 | max | one-way p50 (RTT/2) | " +
            "one-way p99 (RTT/2) | p50 / floor | p99 / floor | p99.9 / floor |"), table);
        final List<String> rows = Arrays.stream(table.split("\n")).filter(l -> l.startsWith("| ") &&
            l.contains("`")).toList();
        assertTrue(rows.getFirst().startsWith("| C cache-line floor (`c-floor`)"), table);
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 2 processes, CPUs 0 and 1 | " +
            "1,000 | 210 ns | 240 ns | 280 ns | 520 ns | 5 µs | 105 ns | 140 ns | 1.05x | 1.12x | 1.30x |"), table);
        assertTrue(table.contains("![Ping-pong RTT, 32 B percentile distribution](plots/latency-ping_pong_rtt-32B.png)"),
            table);
    }

    @Test
    void oneWayRatiosAreToTheFloorsOneWay() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String table = section(report, "### One-way at a fixed rate, 32 B (100,000 msg/s)");
        assertTrue(table.contains("| 100 ns | 120 ns | 150 ns | 400 ns | 3 µs | 1.00x | 1.15x | 2.00x |"), table);
        assertFalse(table.contains("RTT/2"), table);
    }

    @Test
    void theFloorTakenAtTheEndShowsItsDriftAgainstTheFirst() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).withFloorEnd().report();

        assertTrue(report.contains("| C cache-line floor (end of run) (`c-floor-end`) | 2 processes, CPUs 0 and 1 | " +
            "1,000 | 300 ns | 330 ns | 375 ns | 600 ns | 3 µs | 150 ns | 188 ns | 1.50x | 1.50x | 1.50x |"), report);
        assertTrue(report.contains("how far the floor drifted"), report);
    }

    @Test
    void caseNotesArePrintedAsFootnotesUnderTheFirstTableShowingTheCase() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String table = section(report, "### Ping-pong RTT, 32 B");
        assertTrue(table.contains("| Switchboard HIGH (io_uring) (`sb-high`) [1] |"), table);
        assertTrue(table.contains("- [1] `sb-high`: SQPOLL off: one io_uring_enter per send"), table);
        assertEquals(report.indexOf("SQPOLL off"), report.lastIndexOf("SQPOLL off"), report);
    }

    @Test
    void throughputTableGivesRatesAndRatiosToAgronaWithTheSameProducers() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String table = section(report, "## Throughput");
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 1 | 32 B | 5 M/s | 0.10x | 10 |"),
            table);
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 2 | 32 B | 8 M/s | 0.12x | 20 |"),
            table);
        assertTrue(table.contains("![Throughput, 32 B](plots/throughput-32B.png)"), table);
    }

    @Test
    void profilesListTheirRecordingsAndTopFrames() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(report.contains("### `sb-critical`, initiator ([jfr/sb-critical-initiator.jfr]" +
            "(jfr/sb-critical-initiator.jfr))\n\n1. `dev.switchboard.ring.ManyToOneRing.read (31.2 %)`"), report);
    }

    @Test
    void plotsArePngFiles() throws IOException
    {
        SyntheticRun.standard(dir, 150).report();

        for (final String plot : List.of("latency-ping_pong_rtt-32B.png", "latency-one_way_fixed_rate-32B.png",
            "throughput-32B.png"))
        {
            final Path png = dir.resolve("plots").resolve(plot);
            assertTrue(Files.isRegularFile(png), () -> plot + " missing");
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), PNG_SIGNATURE.length), plot);
        }
    }

    @Test
    void hlogIntervalsAreAddedUp() throws IOException
    {
        final Histogram written = SyntheticRun.distribution(100, 200, 300, 400, 1_000);
        SyntheticRun.writeLog(dir.resolve("hdr/x.hlog"), written);

        final Histogram read = HistogramLogs.sum(dir, "hdr/x.hlog").orElseThrow();

        assertEquals(written.getTotalCount(), read.getTotalCount());
        assertEquals(300, read.getValueAtPercentile(99));
        assertEquals(1_000, read.getMaxValue());
    }

    @Test
    void mainRegeneratesTheReportOfARunDirectory() throws IOException
    {
        SyntheticRun.standard(dir, 150).report();
        Files.delete(dir.resolve("report.md"));

        ReportWriter.main(new String[] { dir.toString() });

        assertTrue(Files.readString(dir.resolve("report.md")).startsWith("# Switchboard benchmark report"));
    }

    private static String targetRow(final String report, final String target)
    {
        return report.lines().filter(l -> l.startsWith("| " + target)).findFirst()
            .orElseThrow(() -> new AssertionError("no target row " + target + " in:\n" + report));
    }

    private static String section(final String report, final String heading)
    {
        final int start = report.indexOf(heading + "\n");
        assertTrue(start >= 0, () -> "no section " + heading + " in:\n" + report);
        final int next = report.indexOf("\n#", start + heading.length());
        return next < 0 ? report.substring(start) : report.substring(start, next);
    }
}
