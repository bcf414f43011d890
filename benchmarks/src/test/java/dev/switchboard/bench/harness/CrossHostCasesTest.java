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
import dev.switchboard.bench.harness.peers.AeronUdpCase;
import dev.switchboard.bench.harness.sb.SwitchboardCrossHostCase;
import dev.switchboard.testing.NetNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cross-host cases run as the harness runs them, as one group in alternating rounds: the coordinator makes two
 * hosts in network namespaces for each case (and starts the Switchboard case's two bridged routers in them), the
 * responder and the initiator run in their own host, every phase comes back with its rounds, and the hosts are gone
 * afterwards. Skipped (with the reason) where network namespaces are not permitted.
 */
@Tag("slow")
class CrossHostCasesTest
{
    /** 2 rounds of 400 round trips, a 0.1-s one-way and throughput phase: proves it runs, measures nothing. */
    private static final Profile TINY = new Profile("test", 2, 400, 5.0, 200, 50, 200, 5_000, 0.1, 0.1,
        List.of(32, 1024), 1, 0, 2, 1_000, 0.1, List.of());

    @TempDir
    Path runDir;

    @Test
    @Timeout(240)
    void switchboardAndAeronRunEveryPhaseBetweenTwoHostsInAlternatingRoundsAndLeaveNoHostBehind() throws Exception
    {
        assumeTrue(NetNamespaces.available(), () -> "network namespaces not permitted here: " +
            NetNamespaces.unavailableReason());
        final List<String> before = NetNamespaces.list();
        final GroupRunner runner = new GroupRunner(TINY, runDir, List.of(),
            new PrintStream(OutputStream.nullOutputStream()), List.of());

        final List<CaseResult> results = runner.run(List.of(new SwitchboardCrossHostCase(), new AeronUdpCase()),
            new GroupRunner.Flags(true, true, true, 0, Map.of(), ""));

        assertEquals(List.of(SwitchboardCrossHostCase.ID, AeronUdpCase.ID), results.stream().map(CaseResult::id).toList());
        for (final CaseResult result : results)
        {
            assertNull(result.skipped(), result.id() + ": " + result.skipped());
            assertEquals(List.of(SwitchboardCrossHostCase.ID, AeronUdpCase.ID), result.group());
            // ping-pong at 32 B and 1 KiB, and one-way: each with its two rounds
            assertEquals(3, result.latency().size(), result.id() + " " + result.latency());
            for (final LatencyResult latency : result.latency())
            {
                assertEquals(2, latency.rounds().size(), result.id() + " " + latency.method() + " " +
                    latency.payloadLength());
            }
            assertFalse(result.throughput().isEmpty(), result.id());
            result.throughput().forEach(t -> assertEquals(2, t.roundRates().size(), result.id() + " " + t));
        }
        assertTrue(results.get(1).settings().stream().anyMatch(s -> s.contains("aeron:udp?endpoint=10.213.0.2:")),
            results.get(1).settings().toString());
        assertEquals(before, NetNamespaces.list(), "the cases' hosts are removed when they are over");
    }
}
