/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcStatsTest
{
    @Test
    void cpuTimeIsUserPlusSystemTicksCountedAfterTheNameEvenWhenTheNameHoldsSpacesAndParentheses()
    {
        final String stat = "1234 (C2 (Compiler) 1) S 1 1234 1234 0 -1 4194560 100 0 0 0 17 5 0 0 20 0 1 0 99 " +
            "0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertEquals(22, ProcStats.cpuTicks(stat));
    }

    @Test
    void wakeUpsAreTheVoluntaryContextSwitches()
    {
        assertEquals(42, ProcStats.voluntarySwitches("Name:\tjava\nvoluntary_ctxt_switches:\t42\n" +
            "nonvoluntary_ctxt_switches:\t7\n"));
    }

    @Test
    void theJvmsOwnThreadsAreToldApartFromAServersThreads()
    {
        assertTrue(ProcStats.isJvmThread("C2 CompilerThre-77"));
        assertTrue(ProcStats.isJvmThread("GC Thread#0-12"));
        assertTrue(ProcStats.isJvmThread("VM Periodic Tas-13"));
        assertTrue(ProcStats.isJvmThread("java-10"));
        assertFalse(ProcStats.isJvmThread("switchboard-rou-99"));
        assertFalse(ProcStats.isJvmThread("uds-relay-100"));
    }

    @Test
    void aThreadThatSleepsAndWakesInTheWindowIsCountedWakingUpEachTime() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        final long pid = ProcessHandle.current().pid();
        final long[] tid = new long[1];
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch sampled = new CountDownLatch(1);
        final CountDownLatch slept = new CountDownLatch(1);
        final Thread sleeper = Thread.ofPlatform().name("proc-stats-test").start(() ->
        {
            tid[0] = ThreadPinning.currentThreadId();
            started.countDown();
            awaitQuietly(sampled);
            for (int i = 0; i < 100; i++)
            {
                LockSupport.parkNanos(1_000_000);
            }
            slept.countDown();
            // Still alive at the second sample.
            LockSupport.parkNanos(2_000_000_000L);
        });
        started.await();
        final ProcStats.Sample before = ProcStats.sample(pid);
        sampled.countDown();
        slept.await();
        final ProcStats.Sample after = ProcStats.sample(pid);
        sleeper.interrupt();
        LockSupport.unpark(sleeper);
        sleeper.join();

        final Map<String, Double> rates = before.wakeUpsPerSecond(after);
        final double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        final double wakeUps = rates.get("proc-stats-test-" + tid[0]) * seconds;
        // 100 sleeps of 1 ms, each a block and a wake-up (the latch's hand-over may add one or two).
        assertTrue(wakeUps >= 100 && wakeUps <= 110, "wake-ups counted: " + wakeUps);
        assertTrue(before.cpuPercent(after) >= 0);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
