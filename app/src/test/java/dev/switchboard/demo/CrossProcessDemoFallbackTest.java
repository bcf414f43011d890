package dev.switchboard.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's cross-process part on machines that lack HIGH: every round trip of every priority still completes, HIGH's
 * on NORMAL, the others on their own tier. Once (issue 11) the LOW round trips never finished when HIGH fell back:
 * LOW arrivals did not wake a parked agent, which then slept out its longest park for each message; now a LOW sender
 * signals the receiver's inbox and wakes it.
 */
@Tag("slow")
class CrossProcessDemoFallbackTest
{
    private static final CrossProcessDemo.Sizes SIZES = new CrossProcessDemo.Sizes(50, 200);

    @Test
    @Timeout(90)
    void everyRoundTripCompletesWhenTheAgentsHaveNoLiburing()
    {
        // The agents' io_uring probe fails as on a machine without liburing2; the router's HIGH is off as well.
        assertFallsBackToNormalOnlyForHigh(List.of("-Dswitchboard.liburing.path=/nonexistent/liburing.so.2"), "HIGH");
    }

    @Test
    @Timeout(90)
    void everyRoundTripCompletesWhenHighIsDisabled()
    {
        assertFallsBackToNormalOnlyForHigh(List.of("-Dswitchboard.tiers.disable=HIGH"), "HIGH");
    }

    private static void assertFallsBackToNormalOnlyForHigh(final List<String> childJvmArgs, final String routerDisabled)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CrossProcessDemo.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            report = CrossProcessDemo.run(SIZES, out, childJvmArgs, routerDisabled);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(5, report.runs().size());
        for (final Priority priority : new Priority[]{Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.BATCH})
        {
            final CrossProcessDemo.TierRun run = report.run(priority);
            final Tier expected = priority == Priority.HIGH ? Tier.NORMAL : Tier.valueOf(priority.name());
            assertAll(priority.name(),
                () -> assertEquals(SIZES.requests(), run.roundTrips()),
                () -> assertEquals(SIZES.warmup() + SIZES.requests(), run.served()),
                () -> assertEquals(expected, run.requestTier(), "tier the requests arrived on"),
                () -> assertEquals(expected, run.replyTier(), "tier the responses arrived on"));
        }
        assertTrue(output.contains("HIGH      NORMAL (fallback from HIGH)"), output);
    }
}
