package dev.switchboard.idle;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In-process parking: an owner thread parked in {@link SpinParkIdleStrategy} on a {@link ThreadParker} is woken by
 * every producer's publication. Its longest park is an hour, so a lost wake-up would hang the test (failing it by its
 * timeout) and any sleep ended by a timeout is counted.
 */
class ThreadParkerTest
{
    private static final IdleSettings PARK_AT_ONCE_FOR_AN_HOUR =
        IdleSettings.defaults().withSpinNs(0).withYields(0).withMaxParkMs(IdleSettings.MAX_MAX_PARK_MS);

    @Test
    void aProducerOnlyWakesAParkedOwnerAndOnlyOnce()
    {
        final ThreadParker parker = new ThreadParker();
        assertFalse(parker.wakeIfParked(), "awake: nothing to do");

        parker.announce();
        assertTrue(parker.isParked());
        assertTrue(parker.wakeIfParked());
        assertFalse(parker.wakeIfParked(), "the first producer took the word");
        assertFalse(parker.isParked());
        assertTrue(parker.sleep(TimeUnit.HOURS.toNanos(1)), "the unpark came first: the sleep returns at once");
        parker.retract();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void everyPublicationWakesAParkedOwnerAndNoneWaitsForTheTimeout() throws Exception
    {
        final int messages = 20_000;
        final ThreadParker parker = new ThreadParker();
        final AtomicLong published = new AtomicLong();
        final long[] consumed = {0};
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE_FOR_AN_HOUR, parker,
            () -> published.get() != consumed[0], null);

        final Thread owner = new Thread(() ->
        {
            while (consumed[0] < messages)
            {
                final long available = published.get();
                final int work = (int)(available - consumed[0]);
                consumed[0] = available;
                idle.idle(work);
            }
        }, "parked-owner");
        owner.start();

        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < messages; i++)
        {
            // Random gaps, so publications land before, during and after the owner's announce-look-sleep.
            final int gap = random.nextInt(4);
            if (gap == 1)
            {
                Thread.onSpinWait();
            }
            else if (gap == 2)
            {
                Thread.yield();
            }
            else if (gap == 3)
            {
                while (!parker.isParked() && owner.isAlive())
                {
                    Thread.onSpinWait();
                }
            }
            published.incrementAndGet();
            parker.wakeIfParked();
        }
        owner.join();

        assertEquals(messages, consumed[0]);
        assertEquals(0, idle.timeouts(), "sleeps that ended by timeout, not wake-up");
        assertTrue(idle.sleeps() > 0, "the owner did park: " + idle.sleeps());
        System.out.printf("in-process: %d messages, %d sleeps, %d last-look saves, %d unparks, %d timeouts%n",
            messages, idle.sleeps(), idle.lastLookSaves(), parker.unparks(), idle.timeouts());
    }
}
