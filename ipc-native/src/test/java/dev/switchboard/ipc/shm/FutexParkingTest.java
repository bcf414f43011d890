package dev.switchboard.ipc.shm;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An owner parked in another process ({@link ParkedOwnerMain}) is woken by this process's offers: on its inbox's
 * futex when it has native access and the router relays wakes, on its doorbell otherwise. The owner's longest park is
 * an hour, so only a wake-up can end a sleep within the test's time: a lost wake-up hangs the test (failing it by its
 * timeout) and a sleep ended by its timeout is counted and must not happen. Wake-up latencies are printed, not
 * asserted: this machine is shared and noisy.
 */
@Tag("slow")
class FutexParkingTest
{
    private static final List<String> NATIVE_ACCESS = JvmFlags.of(JvmFlags.Group.NATIVE);
    private static final Pattern RESULT = Pattern.compile("received (\\d+) outOfOrder (\\d+) timeouts (\\d+) " +
        "futexSleeps (\\d+) doorbellSleeps (\\d+) sleeps (\\d+) lastLookSaves (\\d+)");

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFutexParkedOwnerInAnotherProcessIsWokenByEachOffer() throws Exception
    {
        final int wakes = 1000;
        try (ChildJvm owner = ChildJvm.start(tempDir, NATIVE_ACCESS, ParkedOwnerMain.class,
            tempDir.resolve("shm").toString(), "sleeper", Integer.toString(wakes), "50000", "true"))
        {
            final Result result = sendOneAtATime(owner, wakes, InboxDescriptor.PARKED_FUTEX, "FUTEX");
            assertEquals(0, result.timeouts, "sleeps ended by timeout");
            // Each message found the owner parked on the futex: asleep, or between raising the word and sleeping (its
            // last look then saw the message and it did not sleep: a save, not a miss).
            assertTrue(result.futexSleeps + result.lastLookSaves >= wakes, "parked on the futex before each message: " +
                result.futexSleeps + " sleeps, " + result.lastLookSaves + " last-look saves");
            assertEquals(0, result.doorbellSleeps);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void noWakeUpIsLostUnderRandomTimingAcrossTwoProcesses() throws Exception
    {
        final int messages = 20_000;
        try (ChildJvm owner = ChildJvm.start(tempDir, NATIVE_ACCESS, ParkedOwnerMain.class,
            tempDir.resolve("shm").toString(), "sleeper", Integer.toString(messages), "0", "true");
            Arena arena = Arena.ofConfined())
        {
            final InboxFile inbox = openInbox(owner, "FUTEX");
            final SegmentBuffer message = new SegmentBuffer(arena.allocate(16, 8));
            final SplittableRandom random = new SplittableRandom(20_261_206);
            long backPressured = 0;
            for (int i = 0; i < messages; i++)
            {
                // Gaps of every kind, so offers land before, during and after the owner's raise-look-sleep.
                switch (random.nextInt(6))
                {
                    case 0 -> { }
                    case 1 -> spin(random.nextInt(200));
                    case 2 -> Thread.yield();
                    case 3 -> LockSupport.parkNanos(1_000 + random.nextInt(50_000));
                    case 4 -> awaitParked(inbox, owner, InboxDescriptor.PARKED_FUTEX);
                    default ->
                    {
                        awaitParked(inbox, owner, InboxDescriptor.PARKED_FUTEX);
                        spin(random.nextInt(2_000));
                    }
                }
                message.putLong(0, i);
                message.putLong(8, System.nanoTime());
                int status;
                while (OfferStatus.OK != (status = inbox.offer(ParkedOwnerMain.TYPE_ID, message, 0, 16, message, 16, 0)))
                {
                    assertEquals(OfferStatus.BACK_PRESSURED, status, OfferStatus.name(status));
                    backPressured++;
                    Thread.yield();
                }
            }
            final Result result = result(owner);
            inbox.close();
            System.out.println("futex stress: " + messages + " messages, " + result + ", back-pressured " +
                backPressured);
            assertEquals(messages, result.received);
            assertEquals(0, result.outOfOrder);
            assertEquals(0, result.timeouts, "sleeps ended by timeout: a wake-up was lost");
            assertTrue(result.futexSleeps > 0, "the owner parked on the futex");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anOwnerWithoutNativeAccessParksOnItsDoorbellAndIsWoken() throws Exception
    {
        final int wakes = 200;
        try (ChildJvm owner = ChildJvm.start(tempDir, List.of(), ParkedOwnerMain.class,
            tempDir.resolve("shm").toString(), "sleeper", Integer.toString(wakes), "50000", "true"))
        {
            final Result result = sendOneAtATime(owner, wakes, InboxDescriptor.PARKED_DOORBELL, "DOORBELL");
            assertEquals(0, result.timeouts);
            assertEquals(0, result.futexSleeps);
            assertTrue(result.doorbellSleeps >= wakes, "slept on the doorbell: " + result.doorbellSleeps);
            assertEquals("", owner.stderrText(), "a flag-less owner prints no warning");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anOwnerWhoseRouterCannotRelayWakesParksOnItsDoorbell() throws Exception
    {
        final int wakes = 200;
        try (ChildJvm owner = ChildJvm.start(tempDir, NATIVE_ACCESS, ParkedOwnerMain.class,
            tempDir.resolve("shm").toString(), "sleeper", Integer.toString(wakes), "50000", "false"))
        {
            final Result result = sendOneAtATime(owner, wakes, InboxDescriptor.PARKED_DOORBELL, "DOORBELL");
            assertEquals(0, result.timeouts);
            assertEquals(0, result.futexSleeps);
        }
    }

    private Result sendOneAtATime(final ChildJvm owner, final int wakes, final int parkedValue, final String mode)
        throws Exception
    {
        try (Arena arena = Arena.ofConfined(); InboxFile inbox = openInbox(owner, mode))
        {
            final SegmentBuffer message = new SegmentBuffer(arena.allocate(16, 8));
            final long[] offerNs = new long[wakes];
            for (int i = 0; i < wakes; i++)
            {
                // Parked, and a millisecond later still parked: really asleep, not about to sleep.
                do
                {
                    awaitParked(inbox, owner, parkedValue);
                    Thread.sleep(1);
                }
                while (parkedValue != inbox.parkedState());
                final long stamp = System.nanoTime();
                message.putLong(0, i);
                message.putLong(8, stamp);
                assertEquals(OfferStatus.OK, inbox.offer(ParkedOwnerMain.TYPE_ID, message, 0, 16, message, 16, 0));
                offerNs[i] = System.nanoTime() - stamp;
            }
            final Result result = result(owner);
            java.util.Arrays.sort(offerNs);
            System.out.printf("%s wake-up, %d wakes, cross-process (offer -> owner's handler): %s; %s; the offer " +
                "including the wake: p50 %.1f us, p99 %.1f us%n", mode, wakes, owner.readLine(Duration.ofSeconds(30)),
                result, offerNs[wakes / 2] / 1e3, offerNs[(int)(wakes * 0.99)] / 1e3);
            assertEquals(wakes, result.received);
            assertEquals(0, result.outOfOrder);
            assertEquals(0, owner.awaitExit(Duration.ofSeconds(30)), owner.stderrText());
            return result;
        }
    }

    private static InboxFile openInbox(final ChildJvm owner, final String mode) throws Exception
    {
        final String inboxLine = owner.readLine(Duration.ofSeconds(60));
        assertTrue(inboxLine.startsWith("inbox "), inboxLine);
        assertEquals("mode " + mode, owner.readLine(Duration.ofSeconds(30)));
        return InboxFile.open(Path.of(inboxLine.substring("inbox ".length())));
    }

    private static void awaitParked(final InboxFile inbox, final ChildJvm owner, final int parkedValue)
        throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int state;
        while ((state = inbox.parkedState()) != parkedValue)
        {
            if (System.nanoTime() > deadline || !owner.process().isAlive())
            {
                throw new AssertionError("owner did not park (word " + state + ", expected " + parkedValue +
                    "); stderr: " + owner.stderrText());
            }
            Thread.onSpinWait();
        }
    }

    private static void spin(final int times)
    {
        for (int i = 0; i < times; i++)
        {
            Thread.onSpinWait();
        }
    }

    private static Result result(final ChildJvm owner) throws Exception
    {
        final String line = owner.readLine(Duration.ofSeconds(60));
        final Matcher m = RESULT.matcher(line);
        assertTrue(m.matches(), line);
        return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
            Long.parseLong(m.group(7)));
    }

    private record Result(long received, long outOfOrder, long timeouts, long futexSleeps, long doorbellSleeps,
        long sleeps, long lastLookSaves)
    {
    }
}
