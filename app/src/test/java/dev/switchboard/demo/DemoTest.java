/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the demo once, in this JVM, with smaller counts, and checks what each pattern delivered. No timing
 * assertions: speeds are printed, never asserted.
 */
@Timeout(60)
class DemoTest
{
    private static final Demo.Sizes SIZES = new Demo.Sizes(20_000, 5_000, 1_000, 2_000, 300, 200, 50);

    private static Demo.Report report;
    private static String output;

    @BeforeAll
    @Timeout(60)
    static void runDemo()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            report = Demo.run(SIZES, out);
        }
        output = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sendDeliversEveryMessageToTheNamedAgentInOrder()
    {
        final Demo.PatternRun send = report.run(Pattern.SEND);
        assertAll(
            () -> assertEquals(SIZES.sends(), send.sent()),
            () -> assertEquals(SIZES.sends(), send.delivered()),
            () -> assertEquals(0, send.outOfOrder()));
    }

    @Test
    void publishDeliversEveryMessageToEachOfTheThreeSubscribers()
    {
        final Demo.PatternRun publish = report.run(Pattern.PUBLISH);
        assertAll(
            () -> assertEquals(SIZES.publishes(), publish.sent()),
            () -> assertEquals(3L * SIZES.publishes(), publish.delivered()),
            () -> assertEquals(0, publish.outOfOrder()));
    }

    @Test
    void everyRequestGetsItsOwnResponse()
    {
        final Demo.PatternRun request = report.run(Pattern.REQUEST);
        assertAll(
            () -> assertEquals(SIZES.requests(), request.delivered()),
            () -> assertEquals(0, request.outOfOrder(), "responses that answered another request"),
            () -> assertTrue(report.rttP50Ns() > 0 && report.rttP50Ns() <= report.rttP99Ns()),
            () -> assertEquals(0L, report.counters().get(RouterCounter.REQUEST_TIMEOUTS.label())));
    }

    @Test
    void workQueueHandsEachItemToExactlyOneConsumerAndAllAreAcked()
    {
        final Demo.PatternRun work = report.run(Pattern.WORK);
        final long total = SIZES.tasks() + SIZES.warmup(SIZES.tasks());
        assertAll(
            () -> assertEquals(SIZES.tasks(), work.delivered()),
            () -> assertEquals(List.of("Constructor", "Patcher"), List.copyOf(report.workTaken().keySet())),
            () -> assertEquals(SIZES.tasks(), report.workTaken().values().stream().mapToLong(Long::longValue).sum()),
            () -> assertEquals(total, report.counters().get(RouterCounter.WORK_ENQUEUED.label())),
            () -> assertEquals(total, report.counters().get(RouterCounter.WORK_ACKED.label())),
            () -> assertEquals(0L, report.counters().get(RouterCounter.WORK_REDELIVERED.label())));
    }

    @Test
    void broadcastReachesEveryOtherAgent()
    {
        final Demo.PatternRun broadcast = report.run(Pattern.BROADCAST);
        assertAll(
            () -> assertEquals(SIZES.broadcasts(), broadcast.sent()),
            () -> assertEquals(7L * SIZES.broadcasts(), broadcast.delivered()),
            () -> assertEquals(0, broadcast.outOfOrder()));
    }

    @Test
    void multicastReachesBothReviewers()
    {
        final Demo.PatternRun multicast = report.run(Pattern.MULTICAST);
        assertAll(
            () -> assertEquals(SIZES.multicasts(), multicast.sent()),
            () -> assertEquals(2L * SIZES.multicasts(), multicast.delivered()),
            () -> assertEquals(0, multicast.outOfOrder()));
    }

    @Test
    void pointToPointPatternsBypassTheRouterThread()
    {
        // Heartbeats may cross the router meanwhile, but not one frame per message.
        assertTrue(report.run(Pattern.SEND).routerFrames() < SIZES.sends() / 100);
        assertTrue(report.run(Pattern.REQUEST).routerFrames() < SIZES.requests() / 10);
        assertTrue(report.run(Pattern.PUBLISH).routerFrames() >= SIZES.publishes());
    }

    @Test
    void everyPatternTravelledOnTheInProcessTier()
    {
        for (final Demo.PatternRun run : report.runs())
        {
            assertEquals(Tier.IN_PROCESS, run.senderTier(), run.pattern() + " sender tier");
            assertEquals(Tier.IN_PROCESS, run.receiverTier(), run.pattern() + " receiver tier");
        }
    }

    @Test
    void lookupByCapabilityFindsBothImplementers()
    {
        assertEquals(List.of("Constructor", "Patcher"), report.implementers());
    }

    @Test
    void everyAgentDeregistersOnClose()
    {
        assertEquals(8, report.deregistered());
        assertEquals(8L, report.counters().get(RouterCounter.REGISTRATIONS.label()));
    }

    @Test
    void accountIsCompact()
    {
        final long lines = output.lines().count();
        assertTrue(lines < 40, "the account has " + lines + " lines:\n" + output);
        for (final String pattern : List.of("send", "publish", "request", "work queue", "broadcast", "multicast"))
        {
            assertTrue(output.lines().anyMatch(l -> l.startsWith(pattern + " ")), pattern + " row missing:\n" + output);
        }
    }
}
