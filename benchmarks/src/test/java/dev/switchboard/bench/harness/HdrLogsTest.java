/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Path;
import java.util.List;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HdrLogsTest
{
    @TempDir
    Path dir;

    @Test
    void eachRoundIsOneIntervalOfTheLogAndReadsBackApart() throws Exception
    {
        final Histogram fast = histogram(100, 1_000, 10_000);
        final Histogram slow = histogram(400, 1_000, 12_000);
        final Path log = dir.resolve("hdr/x.hlog");

        HdrLogs.writeRounds(List.of(fast, slow), log, "x.ping_pong_rtt.32B");
        final List<Histogram> rounds = HdrLogs.readRounds(log);

        assertEquals(2, rounds.size());
        assertEquals(100, rounds.get(0).getValueAtPercentile(50));
        assertEquals(400, rounds.get(1).getValueAtPercentile(50));
        assertTrue(rounds.get(0).getStartTimeStamp() < rounds.get(1).getStartTimeStamp());
        assertEquals(2_000, HdrLogs.read(log).getTotalCount());
    }

    @Test
    void aSummaryPoolsTheRoundsAndKeepsEachRoundsPercentiles()
    {
        final LatencyResult r = HdrLogs.summarise(LatencyResult.Method.PING_PONG_RTT, 32, 0,
            List.of(histogram(100, 1_000, 10_000), histogram(400, 3_000, 12_000)), "hdr/x.hlog", 4_000);

        assertEquals(4_000, r.samples());
        assertEquals(4_000, r.targetSamples());
        assertEquals(400, r.p50Ns());
        assertEquals(List.of(100L, 400L), r.rounds().stream().map(LatencyResult.Round::p50Ns).toList());
        assertEquals(List.of(1_000L, 3_000L), r.rounds().stream().map(LatencyResult.Round::samples).toList());
    }

    private static Histogram histogram(final long value, final int count, final long startMs)
    {
        final Histogram h = HdrLogs.newHistogram();
        h.recordValueWithCount(value, count);
        h.setStartTimeStamp(startMs);
        h.setEndTimeStamp(startMs + 500);
        return h;
    }
}
