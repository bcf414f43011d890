/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    void aThreadThatSleepsInAWindowIsCountedWakingUp() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        final long pid = ProcessHandle.current().pid();
        final long[] tid = new long[1];
        final Thread sleeper = Thread.ofPlatform().name("proc-stats-test").start(() ->
        {
            tid[0] = ThreadPinning.currentThreadId();
            for (int i = 0; i < 200; i++)
            {
                LockSupport.parkNanos(1_000_000);
            }
        });
        Thread.sleep(20);
        final ProcStats.Sample before = ProcStats.sample(pid);
        sleeper.join();
        final ProcStats.Sample after = ProcStats.sample(pid);

        // The thread ended before the second sample: it is not in it. Our own thread is, and the process used CPU.
        assertTrue(before.threads().containsKey(tid[0]), before.threads().toString());
        assertFalse(after.threads().containsKey(tid[0]));
        final Map<String, Double> rates = before.wakeUpsPerSecond(after);
        assertTrue(rates.keySet().stream().anyMatch(k -> k.endsWith("-" + ThreadPinning.currentThreadId())), rates
            .toString());
        assertTrue(before.cpuPercent(after) >= 0);
    }
}
