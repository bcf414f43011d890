package dev.switchboard.idle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SpinParkIdleStrategy}'s steps, with a parker that records what it is asked: no clock, no sleeping.
 */
class SpinParkIdleStrategyTest
{
    private static final IdleSettings PARK_AT_ONCE = IdleSettings.defaults().withSpinNs(0).withYields(0);

    private final RecordingParker parker = new RecordingParker();

    @Test
    void parksByRaisingTheWordThenLookingThenSleepingThenLowering()
    {
        final boolean[] pending = {false};
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () ->
        {
            parker.calls.add("look");
            return pending[0];
        }, null);

        idle.idle(0);

        assertEquals(List.of("announce", "look", "sleep " + PARK_AT_ONCE.maxParkNs(), "retract"), parker.calls);
        assertEquals(1, idle.sleeps());
    }

    @Test
    void aLastLookThatFindsWorkSkipsTheSleepButLowersTheWord()
    {
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () -> true, null);

        idle.idle(0);

        assertEquals(List.of("announce", "retract"), parker.calls);
        assertEquals(0, idle.sleeps());
        assertEquals(1, idle.lastLookSaves());
    }

    @Test
    void theParkLastsUntilTheNextDutyBoundedByTheLongestPark()
    {
        final long[] untilDuty = {TimeUnit.MILLISECONDS.toNanos(7)};
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () -> false,
            () -> untilDuty[0]);

        idle.idle(0);
        untilDuty[0] = TimeUnit.HOURS.toNanos(1);
        idle.idle(0);

        assertEquals(List.of(TimeUnit.MILLISECONDS.toNanos(7), PARK_AT_ONCE.maxParkNs()), parker.timeouts);
    }

    @Test
    void aDutyAlreadyDueIsNotSleptThrough()
    {
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () -> false, () -> 0);

        idle.idle(0);

        assertEquals(List.of(), parker.calls, "no announce, no sleep");
        assertEquals(1, idle.dutyDue());
    }

    @Test
    void anInterruptedOwnerDoesNotSleep()
    {
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () -> false, null);
        Thread.currentThread().interrupt();
        try
        {
            idle.idle(0);
        }
        finally
        {
            assertTrue(Thread.interrupted(), "the interrupt is left for the owner to see");
        }
        assertEquals(List.of(), parker.calls);
    }

    @Test
    void withinTheSpinWindowItNeverParks()
    {
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(
            IdleSettings.defaults().withSpinNs(IdleSettings.MAX_SPIN_NS), parker, () -> false, null);

        for (int i = 0; i < 10_000; i++)
        {
            idle.idle(0);
        }

        assertEquals(List.of(), parker.calls);
    }

    @Test
    void yieldsComeBeforeTheParkAndWorkStartsOver()
    {
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(
            IdleSettings.defaults().withSpinNs(0).withYields(3), parker, () -> false, null);

        for (int i = 0; i < 3; i++)
        {
            idle.idle(0);
        }
        assertEquals(List.of(), parker.calls, "three yields first");
        idle.idle(0);
        assertEquals(1, idle.sleeps());

        idle.idle(0);
        assertEquals(2, idle.sleeps(), "a park that found no work parks again straight away");

        idle.idle(1);
        for (int i = 0; i < 3; i++)
        {
            idle.idle(0);
        }
        assertEquals(2, idle.sleeps(), "work starts the yields over");
    }

    @Test
    void aSleepThatTimesOutIsCounted()
    {
        parker.wokenBySleep = false;
        final SpinParkIdleStrategy idle = new SpinParkIdleStrategy(PARK_AT_ONCE, parker, () -> false, null);

        idle.idle(0);
        idle.idle(0);

        assertEquals(2, idle.timeouts());
    }

    @Test
    void spinningAndParkingAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final ThreadParker parker = new ThreadParker();
        final SpinParkIdleStrategy spinning = new SpinParkIdleStrategy(
            IdleSettings.defaults().withSpinNs(IdleSettings.MAX_SPIN_NS), parker, () -> false, null);
        final SpinParkIdleStrategy parking = new SpinParkIdleStrategy(
            IdleSettings.defaults().withSpinNs(0).withYields(1), parker, () -> false, () -> 1_000);
        final Runnable cycle = () ->
        {
            spinning.idle(1);
            for (int i = 0; i < 100; i++)
            {
                spinning.idle(0); // spins, with a clock read every 32 calls
            }
            parking.idle(1);
            parking.idle(0); // a yield
            parking.idle(0); // a 1 µs park (the duty deadline)
            parker.wakeIfParked();
        };
        for (int i = 0; i < 5_000; i++)
        {
            cycle.run();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++)
        {
            cycle.run();
        }
        final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(parking.sleeps() >= 6_000, "it parked: " + parking.sleeps());
        assertEquals(0, bytes, "bytes allocated by 1,000 spin, yield and park cycles");
    }

    private static final class RecordingParker implements Parker
    {
        final List<String> calls = new ArrayList<>();
        final List<Long> timeouts = new ArrayList<>();
        boolean wokenBySleep = true;

        @Override
        public boolean announce()
        {
            calls.add("announce");
            return true;
        }

        @Override
        public boolean sleep(final long timeoutNs)
        {
            calls.add("sleep " + timeoutNs);
            timeouts.add(timeoutNs);
            return wokenBySleep;
        }

        @Override
        public void retract()
        {
            calls.add("retract");
        }

        @Override
        public void wakeUp()
        {
            calls.add("wakeUp");
        }
    }
}
