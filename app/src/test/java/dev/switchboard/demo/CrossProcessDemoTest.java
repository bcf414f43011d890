/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the demo's cross-process part with small counts: two agent JVMs, a router over its Unix socket. Checks
 * that every priority's round trips all completed and travelled on that priority's own tier (io_uring and
 * Chronicle work on the machines this runs on, so no fallback is expected). Speeds are printed, never asserted.
 */
@Tag("slow")
class CrossProcessDemoTest
{
    private static final CrossProcessDemo.Sizes SIZES = new CrossProcessDemo.Sizes(50, 200);

    @Test
    @Timeout(60)
    void everyPriorityCarriesItsRoundTripsOnItsOwnTierBetweenTwoAgentProcesses()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CrossProcessDemo.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            report = CrossProcessDemo.run(SIZES, out);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(5, report.runs().size());
        for (final Priority priority : new Priority[]{Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.BATCH})
        {
            final CrossProcessDemo.TierRun run = report.run(priority);
            final Tier tier = Tier.valueOf(priority.name());
            assertAll(priority.name(),
                () -> assertEquals(SIZES.requests(), run.roundTrips()),
                () -> assertEquals(SIZES.warmup() + SIZES.requests(), run.served()),
                () -> assertEquals(tier, run.requestTier(), "tier the requests arrived on"),
                () -> assertEquals(tier, run.replyTier(), "tier the responses arrived on"),
                () -> assertTrue(run.p50Ns() > 0 && run.p50Ns() <= run.p99Ns(), "p50 " + run.p50Ns() + ", p99 " +
                    run.p99Ns()),
                () -> assertTrue(output.contains(String.format("%-28s %s", priority == Priority.BATCH ?
                    "zero-copy 64 KiB C<->T" : "request/response C<->T", priority.name())), output));
        }
        assertTrue(!output.contains("fallback"), output);
    }
}
