/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import java.util.List;

import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.ThroughputResult;
import dev.switchboard.bench.harness.report.PairedRatio.Percentile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedRatioTest
{
    @Test
    void theMedianOfAnOddCountIsTheMiddleRatio()
    {
        final PairedRatio r = PairedRatio.latency(p50s(110, 300, 120), p50s(100, 100, 100), Percentile.P50, true)
            .orElseThrow();

        assertEquals(1.2, r.median(), 1e-9);
        assertEquals(1.1, r.min(), 1e-9);
        assertEquals(3.0, r.max(), 1e-9);
        assertTrue(r.paired());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleRatios()
    {
        // Per round 1.10, 1.00, 1.10, 1.05.
        final PairedRatio r = PairedRatio.latency(p50s(110, 400, 220, 420), p50s(100, 400, 200, 400), Percentile.P50,
            true).orElseThrow();

        assertEquals((1.05 + 1.1) / 2, r.median(), 1e-9);
    }

    @Test
    void aRegimeFlipCancelsInThePairsButNotInThePool()
    {
        // B is 100 ns in the fast rounds and 400 ns in the slow ones; A is always 1.2x B, but ran more samples slow.
        final PairedRatio r = PairedRatio.latency(p50s(120, 480, 480), p50s(100, 100, 400), Percentile.P50, true)
            .orElseThrow();

        assertEquals(1.2, r.median(), 1e-9);
        assertEquals(List.of(1.2, 4.8, 1.2), r.perRound());
    }

    @Test
    void casesThatDidNotAlternateHaveOnlyThePooledRatio()
    {
        final PairedRatio r = PairedRatio.latency(p50s(120, 120), p50s(100, 100), Percentile.P50, false).orElseThrow();

        assertFalse(r.paired());
        assertEquals(r.pooled(), r.median(), 1e-9);
        assertEquals("1.20x (pooled, not paired)", r.describe());
    }

    @Test
    void throughputRatiosArePairedRoundByRound()
    {
        final ThroughputResult a = new ThroughputResult(1, 32, 3, 3, 1, 0, List.of(40e6, 44e6, 38e6));
        final ThroughputResult b = new ThroughputResult(1, 32, 3, 3, 1, 0, List.of(50e6, 50e6, 50e6));

        assertEquals(0.8, PairedRatio.throughput(a, b, true).orElseThrow().median(), 1e-9);
    }

    /** A result whose rounds have the given p50s (and pooled p50 their first). */
    private static LatencyResult p50s(final long... p50)
    {
        final List<LatencyResult.Round> rounds = java.util.Arrays.stream(p50)
            .mapToObj(v -> new LatencyResult.Round(1_000, v, v, v, v, v)).toList();
        return new LatencyResult(Method.PING_PONG_RTT, 32, 0, 1_000L * p50.length, "x.hlog", p50[0], p50[0], p50[0],
            p50[0], p50[0], p50[0], 0, rounds);
    }
}
