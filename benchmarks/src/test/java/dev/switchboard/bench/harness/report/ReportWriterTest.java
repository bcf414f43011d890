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
            "Switchboard HIGH (io_uring)", "Switchboard NORMAL (Unix socket)", "Aeron IPC",
            "Agrona many-to-one ring (shm)", "Switchboard LOW (Chronicle Queue)", "NIO Unix domain socket"))
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
        assertTrue(targets < report.indexOf("## Paired rounds"), report);
        assertTrue(report.indexOf("## Paired rounds") < report.indexOf("## Latency"), report);
        assertTrue(report.contains("| Target | Measured | Goal | Result |"), report);
    }

    @Test
    void criticalRatiosAreMediansOfThePerRoundRatiosOfThePairedRounds() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        // Per round 1.10, 1.10, 1.15, 1.05: the median is 1.10, though pooling the rounds gives 420 ns vs 400 ns.
        assertEquals("| `sb-critical` / `agrona-shm` RTT p50 | 1.10x (median of 4 paired rounds, 1.05–1.15x); " +
            "pooled 420 ns vs 400 ns | ≤ 1.20x (median of paired rounds) | PASS |",
            targetRow(report, "`sb-critical` / `agrona-shm` RTT p50"));
        assertTrue(targetRow(report, "`sb-critical` / `agrona-shm` RTT p99 ").endsWith("| PASS |"), report);
        assertTrue(targetRow(report, "`sb-critical` / `agrona-shm` RTT p99.9")
            .startsWith("| `sb-critical` / `agrona-shm` RTT p99.9 | 2.50x (median of 4 paired rounds, 2.50–2.50x)"),
            report);
        assertTrue(targetRow(report, "`sb-critical` / `agrona-shm` RTT p99.9").endsWith("| ≤ 2.00x (median of " +
            "paired rounds) | **MISS** |"), report);
    }

    @Test
    void criticalSamplesAreJudgedAgainstTheProfilesCount() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| `sb-critical` RTT samples, 32 B | 4,000 | ≥ 4,000 (the profile's) | PASS |",
            targetRow(report, "`sb-critical` RTT samples"));
    }

    @Test
    void criticalOneWayP50IsJudgedOnlyInRoundsWhereTheRawRingWasInItsFastRegime() throws IOException
    {
        final String pass = SyntheticRun.standard(dir, 150).report();

        assertEquals("| `sb-critical` one-way p50 in rounds where `agrona-shm`'s p50 ≤ 150 ns | 2 of 4 rounds in that " +
            "regime; worst `sb-critical` p50 in them 180 ns | ≤ 200 ns in each such round | PASS |",
            targetRow(pass, "`sb-critical` one-way p50 in rounds"));
    }

    @Test
    void criticalOneWayP50OverTheSpecificationInAFastRoundMisses() throws IOException
    {
        final String miss = SyntheticRun.standard(dir, 260).report();

        assertTrue(targetRow(miss, "`sb-critical` one-way p50 in rounds")
            .contains("| 2 of 4 rounds in that regime; worst `sb-critical` p50 in them 260 ns (1 over) |"), miss);
        assertTrue(targetRow(miss, "`sb-critical` one-way p50 in rounds").endsWith("| **MISS** |"), miss);
    }

    @Test
    void criticalOneWayP50IsNotAvailableWhenNoRoundRanInTheFastRegime() throws IOException
    {
        final List<String> group = List.of("sb-critical", "agrona-shm");
        final SyntheticRun run = new SyntheticRun(dir);
        final long[] slow = { 300, 350, 500, 800, 4_000 };
        run.add("sb-critical", "Switchboard CRITICAL", "SWITCHBOARD", List.of(run.oneWayRounds("sb-critical", slow)),
            List.of(), null, null, List.of(), group, List.of(), null);
        run.add("agrona-shm", "Agrona", "PEER", List.of(run.oneWayRounds("agrona-shm", slow)),
            List.of(), null, null, List.of(), group, List.of(), null);
        final String report = run.report();

        assertTrue(targetRow(report, "`sb-critical` one-way p50 in rounds").endsWith("| n/a — no round ran in that " +
            "regime: `agrona-shm`'s one-way p50 was 300 ns–300 ns in all 4 rounds |"), report);
    }

    @Test
    void ratiosOfCasesThatDidNotRunInPairedRoundsAreNotJudged() throws IOException
    {
        final SyntheticRun run = new SyntheticRun(dir);
        final long[] levels = { 300, 350, 500, 800, 4_000 };
        run.add("sb-critical", "Switchboard CRITICAL", "SWITCHBOARD", List.of(run.oneWayRounds("sb-critical", levels)),
            List.of(), null, null, List.of(), List.of("sb-critical"), List.of(), null);
        run.add("agrona-shm", "Agrona", "PEER", List.of(run.oneWayRounds("agrona-shm", levels)),
            List.of(), null, null, List.of(), List.of("agrona-shm"), List.of(), null);
        final String report = run.report();

        assertTrue(targetRow(report, "`sb-critical` / `agrona-shm` one-way p99").endsWith("| n/a — `sb-critical` " +
            "and `agrona-shm` did not run in paired rounds (pooled: 1.00x) |"), report);
    }

    @Test
    void criticalThroughputIsTheMedianRatioOfPairedRoundsWithTwoProducersBesideIt() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        // Per round 0.80, 0.84, 0.76, 0.88: the median is (0.80 + 0.84) / 2.
        assertEquals("| CRITICAL throughput / `agrona-shm`, 1 producer, 32 B | 0.82x (median of 4 paired rounds, " +
            "0.76–0.88x); 41 M/s vs 50 M/s | ≥ 0.80x | PASS |", targetRow(report, "CRITICAL throughput / `agrona-shm`, 1"));
        assertTrue(targetRow(report, "CRITICAL throughput / `agrona-shm`, 2 producers")
            .contains("| 0.50x (median of 4 paired rounds, 0.50–0.50x); 30 M/s vs 60 M/s | report (beside 1 producer) " +
                "| info |"), report);
    }

    @Test
    void socketTiersAreJudgedAgainstRawSocketsAndHighAgainstNormal() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(targetRow(report, "`sb-normal` / `uds-nio` RTT p50")
            .contains("| 1.20x (median of 4 paired rounds, 1.20–1.20x)"), report);
        assertTrue(targetRow(report, "HIGH < NORMAL, RTT p99, point to point").contains("| 1.33x (median of 4 paired " +
            "rounds"), report);
        assertTrue(targetRow(report, "`sb-normal` / `uds-nio` RTT p50").endsWith("| ≤ 1.30x (median of paired " +
            "rounds) | PASS |"), report);
        assertTrue(targetRow(report, "`sb-high` / `uds-nio` RTT p50").endsWith("| PASS |"), report);
        assertTrue(targetRow(report, "HIGH < NORMAL, RTT p50, point to point")
            .contains("| 0.92x (median of 4 paired rounds"), report);
        assertTrue(targetRow(report, "HIGH < NORMAL, RTT p50, point to point").endsWith("| PASS |"), report);
        assertTrue(targetRow(report, "HIGH < NORMAL, RTT p99, point to point").endsWith("| **MISS** |"), report);
        assertTrue(targetRow(report, "`sb-normal-routed` / `uds-relay` RTT p50")
            .endsWith("| n/a — sb-normal-routed not in this run |"), report);
        assertEquals("| `sb-normal` one-way keeps up at 200,000 msg/s: p99 | 800 µs | < 1 ms | PASS |",
            targetRow(report, "`sb-normal` one-way keeps up"));
    }

    @Test
    void systemCallTargetsCountTheMeasuringThreadsAndEmptyReads() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| `sb-critical` system calls on the measuring threads, steady state | initiator 0; responder 0 " +
            "in 20,000 round trips | 0 in the window | PASS |", targetRow(report, "`sb-critical` system calls"));
        assertEquals("| `sb-normal` system calls per round trip, each agent process (point to point) | initiator 2, " +
            "EAGAIN 0.5; responder 2, EAGAIN 0 | ≤ 2 per process, 0 empty reads (EAGAIN) | **MISS** |",
            targetRow(report, "`sb-normal` system calls"));
        assertTrue(targetRow(report, "`sb-high` system calls").endsWith("| PASS |"), report);
        assertTrue(targetRow(report, "System calls per round trip, HIGH vs NORMAL").endsWith("| info |"), report);
        final String table = section(report, "## System calls per round trip");
        assertTrue(table.contains("| Switchboard NORMAL (Unix socket) (`sb-normal`) | initiator | 20,000 | 2 | 0 | 2 | " +
            "0 | 0.5 | — |"), table);
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | initiator | 20,000 | " +
            "0.01 | 0 | 0.01 | 0 | — | 0 |"), table);
        assertTrue(table.contains("| Switchboard NORMAL (Unix socket) (`sb-normal`) | router | 20,000 | 6 |"), table);
    }

    @Test
    void idleTargetsComeFromTheIdleCase() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(targetRow(report, "Idle agent, default idle strategy").contains("| 0.4 % (its polling thread " +
            "0.3 %, 10 wake-ups/s) |"), report);
        assertTrue(targetRow(report, "Idle agent, default idle strategy").endsWith("| PASS |"), report);
        assertEquals("| Wake-up of a parked receiver (CRITICAL), p50 | 15 µs (p99 60 µs, 1,000 wake-ups) | ≤ 20 µs | " +
            "PASS |", targetRow(report, "Wake-up of a parked receiver"));
        assertTrue(targetRow(report, "Idle router").contains("| 25/s (1.5 % CPU; the JVM's own threads another " +
            "40/s) | ≤ 10/s | **MISS** |"), report);
        assertTrue(report.contains("## Idle"), report);
        assertTrue(report.contains("| router thread `sb-router-1234`: wake-ups/s | 25 |"), report);
    }

    @Test
    void theSpecificationsOneWayFiguresAreShownBesideTheMeasuredOnes() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertEquals("| `sb-critical` one-way p50, fixed rate (the original specification's figure) | 400 ns at " +
            "200,000 msg/s | spec 50 ns (shown beside, not judged) | info |",
            targetRow(report, "`sb-critical` one-way p50, fixed rate"));
        assertTrue(targetRow(report, "`sb-low` one-way p50, fixed rate").endsWith("| n/a — sb-low skipped: Chronicle " +
            "Queue needs --add-opens this JVM was not given |"), report);
    }

    @Test
    void pairedRoundsSectionListsEveryRatioOfEachGroup() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String section = section(report, "## Paired rounds");
        assertTrue(section.contains("| `sb-critical` / `agrona-shm` | RTT 32 B | 4 | 1.10x (1.05–1.15x) | " +
            "1.10x (1.05–1.15x) | 2.50x (2.50–2.50x) | 1.10 1.10 1.15 1.05 |"), section);
        assertTrue(section.contains("| `sb-high` / `sb-normal` | RTT 32 B | 4 |"), section);
        assertTrue(section.contains("| `sb-critical` / `agrona-shm` | throughput, 1 producer, 32 B (rate ratio) | 4 | " +
            "0.82x (0.76–0.88x) |  |  | 0.80 0.84 0.76 0.88 |"), section);
    }

    @Test
    void settingsTheCasesStatedAreListed() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String section = section(report, "## Settings of the cases");
        assertTrue(section.contains("| `sb-critical` | server | router idle strategy: backoff |"), section);
        assertTrue(section.contains("| `sb-critical` | responder | client idle strategy: spin then park |"), section);
    }

    @Test
    void targetsWhoseCasesDidNotRunSayWhy() throws IOException
    {
        final String report = new SyntheticRun(dir)
            .add("sb-critical", "Switchboard CRITICAL", "SWITCHBOARD", List.of(), List.of(), null,
                "/dev/shm is not writable", List.of())
            .report();

        assertTrue(targetRow(report, "`sb-critical` / `agrona-shm` RTT p50")
            .endsWith("| — | ≤ 1.20x (median of paired rounds) | n/a — sb-critical skipped: /dev/shm is not writable |"),
            report);
        assertTrue(targetRow(report, "CRITICAL throughput / `agrona-shm`, 1")
            .endsWith("| n/a — sb-critical skipped: /dev/shm is not writable |"), report);
        assertTrue(targetRow(report, "HIGH < NORMAL, RTT p50, point to point").endsWith("| n/a — sb-high not in this " +
            "run |"), report);
        assertTrue(targetRow(report, "System calls per round trip, HIGH vs NORMAL")
            .endsWith("| n/a — sb-high not in this run |"), report);
        assertTrue(targetRow(report, "Idle agent").endsWith("| n/a — sb-critical-wakeup not in this run |"), report);
        assertTrue(report.contains("No latency was measured."), report);
    }

    @Test
    void jmhTargetsAreNotAvailableWithoutJmhResults() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertTrue(targetRow(report, "Router ingress throughput").endsWith("| n/a — JMH did not run in this run |"),
            report);
        assertTrue(targetRow(report, "JMH `ClientPollBenchmark.emptyPoll`").endsWith("| n/a — JMH did not run in " +
            "this run |"), report);
        assertTrue(targetRow(report, "0 B/op on hot paths").endsWith("| n/a — JMH did not run in this run |"), report);
        assertTrue(report.contains("## JMH microbenchmarks\n\nNot available: JMH did not run in this run."), report);
    }

    @Test
    void jmhResultsGiveTheIngressRateFromItsOfferedCounterAndTheAllocationPerOperation() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).withJmh(Map.of()).report();

        // The fixture's spsc run offered 3,617,843 frames in its one 1 s iteration.
        assertEquals("| Router ingress throughput, 1 producer (JMH `IngressBenchmark.spsc`) | 3.62 M/s offered | " +
            "report (the original specification: ≥ 4.2 M/s) | info |", targetRow(report, "Router ingress throughput"));
        assertEquals("| 0 B/op on hot paths (JMH thrpt `gc.alloc.rate.norm`, every benchmark) | worst 0.00066 B/op " +
            "in IngressBenchmark.spsc (capacity=4194304), of 2 benchmarks | < 0.5 B/op each (one 16-byte object per 32 calls would exceed it; below it is JMH's and the fixtures' fixed per-iteration allocation) | PASS |",
            targetRow(report, "0 B/op on hot paths"));
        assertTrue(targetRow(report, "JMH `ClientPollBenchmark.sendThenPoll`").endsWith("| n/a — no " +
            "ClientPollBenchmark.sendThenPoll throughput result in the JMH file |"), report);
        assertTrue(report.contains("| EnvelopeCodecBenchmark.encode | sample | 542 ± 1100 ns/op |  | 50 ns | 90 ns | " +
            "1.55 µs | 0.0087 |  |"), report);
    }

    @Test
    void anEmptyPollIsJudgedInNanosecondsPerPoll() throws IOException
    {
        // The fixture's EnvelopeCodecBenchmark.encode results, renamed: 0.0558 ops/ns is 17.9 ns per call.
        final String report = SyntheticRun.standard(dir, 150).withJmh(Map.of(
            "dev.switchboard.bench.EnvelopeCodecBenchmark.encode",
            "dev.switchboard.bench.ClientPollBenchmark.emptyPoll")).report();

        assertTrue(targetRow(report, "JMH `ClientPollBenchmark.emptyPoll`").endsWith("| ≤ 10 ns per poll | **MISS** |"),
            report);
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
        // Every round pooled: the floor flipped between rounds, so the pooled p50 sits in the slow regime.
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 2 processes, CPUs 0 and 1 | " +
            "4,000 | 420 ns | 480 ns | 550 ns | 2 µs | 9.01 µs | 210 ns | 275 ns | 2.10x | 2.20x | 5.00x |"), table);
        assertTrue(table.contains("![Ping-pong RTT, 32 B percentile distribution](plots/latency-ping_pong_rtt-32B.png)"),
            table);
    }

    @Test
    void oneWayRatiosAreToTheFloorsOneWay() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        final String table = section(report, "### One-way at a fixed rate, 32 B (200,000 msg/s)");
        assertTrue(table.contains("| 4,000 | 400 ns | 470 ns | 560 ns | 900 ns | 6 µs | 4.00x | 4.31x | 4.50x |"), table);
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
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 1 | 32 B | 41 M/s | 0.82x | 10 |"),
            table);
        assertTrue(table.contains("| Switchboard CRITICAL (/dev/shm inbox) (`sb-critical`) | 2 | 32 B | 30 M/s | 0.50x | 20 |"),
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
            "latency-wake_up-32B.png", "throughput-32B.png"))
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
