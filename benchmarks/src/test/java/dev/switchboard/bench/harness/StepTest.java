/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.switchboard.bench.harness.peers.AgronaShmCase;
import dev.switchboard.bench.harness.peers.ChronicleQueueCase;
import dev.switchboard.bench.harness.sb.SwitchboardWakeUpCase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepTest
{
    private static final Profile TWO_ROUNDS = new Profile("test", 2, 10, 1.0, 5, 1, 10, 1_000, 0.01, 0.01,
        List.of(32, 1024), 2, 100, 2, 1_000, 0.1, List.of());

    @Test
    void aTransportCaseRunsEveryPhaseRoundByRoundThenFinishes()
    {
        final List<String> keys = Step.plan(new AgronaShmCase(), plan(TWO_ROUNDS, true)).stream().map(Step::key)
            .toList();

        assertEquals(List.of(
            "ping-pong/32B/r0of2", "ping-pong/32B/r1of2", "ping-pong/1024B/r0of2", "ping-pong/1024B/r1of2",
            "syscalls/32B",
            "one-way/32B/r0of2", "one-way/32B/r1of2",
            "throughput/32B/1p/r0of2", "throughput/32B/1p/r1of2",
            "throughput/32B/2p/r0of2", "throughput/32B/2p/r1of2",
            "finish"), keys);
    }

    @Test
    void aCaseLimitedToFewerProducersSkipsTheNProducerPhase()
    {
        final Profile four = new Profile("test", 1, 10, 1.0, 5, 1, 10, 1_000, 0.01, 0.01, List.of(32), 4, 0, 2,
            1_000, 0.1, List.of());
        final List<String> keys = Step.plan(new ChronicleQueueCase(), plan(four, false)).stream().map(Step::key)
            .toList();

        // Chronicle allows 2 producers: the N-producer phase runs with 2, not 4; no system-call window without perf.
        assertTrue(keys.contains("throughput/32B/2p/r0of1"), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.startsWith("syscalls")), keys.toString());
    }

    @Test
    void theWakeUpCaseRunsOnlyItsOwnPhases()
    {
        final List<String> keys = Step.plan(new SwitchboardWakeUpCase(), plan(TWO_ROUNDS, true)).stream()
            .map(Step::key).toList();

        assertEquals(List.of("wake-up/32B", "idle", "finish"), keys);
    }

    @Test
    void aStepsRoundIsReadBackFromItsKey()
    {
        assertEquals(3, Step.roundOf("throughput/32B/2p/r3of10"));
        assertEquals(0, Step.roundOf("syscalls/32B"));
        assertTrue(Step.isFinish("finish"));
    }

    @Test
    void aRoundsShareSplitsTheWholeEvenlyWithTheRemainderFirst()
    {
        final Profile three = new Profile("test", 3, 10, 1.0, 5, 1, 10, 1_000, 0.01, 0.01, List.of(32), 2, 0, 2,
            1_000, 0.1, List.of());

        assertEquals(List.of(4L, 3L, 3L), List.of(three.share(10, 0), three.share(10, 1), three.share(10, 2)));
    }

    @Test
    void aProfileTravelsToTheChildWhole()
    {
        final Properties p = new Properties();
        TWO_ROUNDS.store(p);

        assertEquals(TWO_ROUNDS, Profile.load(p));
    }

    @Test
    void aPhaseCodeCarriesItsRound()
    {
        final long code = PhaseCode.encode(PhaseCode.THROUGHPUT, 1024, 2, false, 9, 10);

        assertEquals(PhaseCode.THROUGHPUT, PhaseCode.type(code));
        assertEquals(1024, PhaseCode.payloadLength(code));
        assertEquals(2, PhaseCode.producers(code));
        assertFalse(PhaseCode.discard(code));
        assertEquals(9, PhaseCode.round(code));
        assertEquals(10, PhaseCode.rounds(code));
        assertTrue(PhaseCode.lastRound(code));
        assertTrue(PhaseCode.discard(PhaseCode.encode(PhaseCode.ONE_WAY, 32, 1, true)));
    }

    private static ChildPlan plan(final Profile profile, final boolean syscalls)
    {
        final CaseEnv env = new CaseEnv("test", Path.of("/tmp"), Path.of("/tmp"), 1024, 2);
        return new ChildPlan("x", env, Path.of("/tmp"), profile, true, true, true,
            syscalls ? profile.syscallRoundTrips() : 0);
    }
}
