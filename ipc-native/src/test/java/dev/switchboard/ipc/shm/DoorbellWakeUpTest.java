package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver asleep in {@link ParkingIdleStrategy} is woken by a sender's offer in another process. The
 * receiver's longest sleep is set far beyond the test's time limit, so only the doorbell can deliver every
 * message in time. The wake-up latency (offer stamped by the sender to message in the receiver's handler, both
 * on CLOCK_MONOTONIC) is printed, not asserted: this machine is shared and noisy.
 */
@Tag("slow")
class DoorbellWakeUpTest
{
    private static final int WAKE_UPS = 1000;
    private static final long SLEEP_LONGER_THAN_THE_TEST_MS = TimeUnit.MINUTES.toMillis(10);

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aParkedReceiverIsWokenByASendersOffer() throws Exception
    {
        try (InboxFile inbox = InboxFile.create(tempDir.resolve("shm"), "sleeper", 1 << 16);
            ParkingIdleStrategy idle = new ParkingIdleStrategy(List.of(inbox), () -> 0 == inbox.ring().size(),
                ParkingIdleStrategy.DEFAULT_SPIN_NS, ParkingIdleStrategy.DEFAULT_YIELDS, SLEEP_LONGER_THAN_THE_TEST_MS);
            ChildJvm child = ChildJvm.start(tempDir, List.of(), WakeUpSenderMain.class, inbox.path().toString(),
                Integer.toString(WAKE_UPS)))
        {
            child.process().onExit().thenRun(idle::wakeUp); // a child that fails must not leave us asleep
            final long[] latencies = new long[WAKE_UPS];
            final int[] received = {0};
            while (received[0] < WAKE_UPS && child.process().isAlive() || inbox.ring().size() > 0)
            {
                final int work = inbox.ring().read((typeId, buffer, index, length) ->
                    latencies[received[0]++] = System.nanoTime() - buffer.getLong(index));
                idle.idle(work);
            }

            assertEquals(WAKE_UPS, received[0], "wake-ups received; child stderr: " + child.stderrText());
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), "child exit code; stderr: " + child.stderrText());
            assertEquals("", child.stderrText());
            final String senderTimes = child.readLine(Duration.ofSeconds(10));
            assertEquals("sent " + WAKE_UPS, child.readLine(Duration.ofSeconds(10)));
            assertTrue(idle.parkCount() >= WAKE_UPS, "receiver slept before each message: " + idle.parkCount());
            assertTrue(idle.ringCount() >= WAKE_UPS, "doorbell rings seen: " + idle.ringCount());

            Arrays.sort(latencies);
            System.out.printf("doorbell wake-up latency over %d wakes (sender offer -> receiver handler, cross-process):" +
                " p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us; parks %d, rings %d%n",
                WAKE_UPS, micros(latencies, 0.50), micros(latencies, 0.90), micros(latencies, 0.99),
                latencies[WAKE_UPS - 1] / 1000.0, idle.parkCount(), idle.ringCount());
            System.out.println(senderTimes);
        }
    }

    private static double micros(final long[] sorted, final double quantile)
    {
        return sorted[(int)Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
    }
}
