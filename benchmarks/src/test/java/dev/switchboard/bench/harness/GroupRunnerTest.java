/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.peers.AbqThreadsCase;
import dev.switchboard.bench.harness.peers.ClqThreadsCase;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two cases run as a group, each in its own JVM: they take turns round by round, A B then B A, and every phase of
 * each comes back cut into the same rounds.
 */
@Tag("slow")
class GroupRunnerTest
{
    /** 4 rounds; one-way rounds of 100 messages 200 µs apart (20 ms each), so their order shows in the time stamps. */
    private static final Profile FOUR_ROUNDS = new Profile("test", 4, 400, 5.0, 200, 50, 200, 5_000, 0.08, 0.08,
        List.of(32), 2, 0, 2, 1_000, 0.1, List.of());

    @TempDir
    Path runDir;

    @Test
    @Timeout(180)
    void theCasesOfAGroupTakeTurnsRoundByRoundInAlternatingOrder() throws Exception
    {
        final GroupRunner runner = new GroupRunner(FOUR_ROUNDS, runDir, List.of(),
            new PrintStream(OutputStream.nullOutputStream()), List.of());

        final List<CaseResult> results = runner.run(List.of(new AbqThreadsCase(), new ClqThreadsCase()),
            new GroupRunner.Flags(true, true, true, 0, Map.of(), ""));

        assertEquals(2, results.size());
        for (final CaseResult r : results)
        {
            assertNull(r.skipped(), r.id() + ": " + r.skipped());
            assertEquals(List.of("abq-threads", "clq-threads"), r.group());
            for (final LatencyResult l : r.latency())
            {
                assertEquals(4, l.rounds().size(), r.id() + " " + l.method());
            }
            assertEquals(2, r.throughput().size(), r.id() + " " + r.throughput());
            r.throughput().forEach(t -> assertEquals(4, t.roundRates().size(), r.id() + " " + t));
        }
        final List<Histogram> a = oneWayRounds("abq-threads");
        final List<Histogram> b = oneWayRounds("clq-threads");
        // Round 0: A then B; round 1: B then A; round 2: A then B; round 3: B then A.
        assertTrue(a.get(0).getEndTimeStamp() <= b.get(0).getStartTimeStamp(), "round 0 " + times(a, b));
        assertTrue(b.get(0).getEndTimeStamp() <= b.get(1).getStartTimeStamp(), "B twice in a row " + times(a, b));
        assertTrue(b.get(1).getEndTimeStamp() <= a.get(1).getStartTimeStamp(), "round 1 " + times(a, b));
        assertTrue(a.get(1).getEndTimeStamp() <= a.get(2).getStartTimeStamp(), "A twice in a row " + times(a, b));
        assertTrue(a.get(2).getEndTimeStamp() <= b.get(2).getStartTimeStamp(), "round 2 " + times(a, b));
        assertTrue(b.get(3).getEndTimeStamp() <= a.get(3).getStartTimeStamp(), "round 3 " + times(a, b));
    }

    private List<Histogram> oneWayRounds(final String caseId) throws Exception
    {
        return HdrLogs.readRounds(runDir.resolve(
            InitiatorDriver.hlogName(caseId, LatencyResult.Method.ONE_WAY_FIXED_RATE, 32)));
    }

    private static String times(final List<Histogram> a, final List<Histogram> b)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++)
        {
            s.append(" r").append(i).append(" A ").append(a.get(i).getStartTimeStamp()).append('-')
                .append(a.get(i).getEndTimeStamp()).append(" B ").append(b.get(i).getStartTimeStamp()).append('-')
                .append(b.get(i).getEndTimeStamp());
        }
        return s.toString();
    }
}
