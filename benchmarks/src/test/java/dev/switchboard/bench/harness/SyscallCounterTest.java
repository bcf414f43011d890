/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyscallCounterTest
{
    @Test
    void aProcessCountIsReadPerRoundTripWithEmptyReadsUnderTheirOwnKey()
    {
        final List<String> perf = List.of(
            "# started on Sun Dec  6 16:36:51 2026",
            "",
            "4000,,raw_syscalls:sys_enter,635126475,100.00,,",
            "2000,,syscalls:sys_enter_read,635126475,100.00,,",
            "0,,syscalls:sys_enter_futex,635126475,100.00,,",
            "500,,syscalls:sys_exit_read,635140786,100.00,,",
            "0,,syscalls:sys_exit_recvfrom,635140786,100.00,,");

        final Map<String, Double> calls = SyscallCounter.parse(perf, false, 1_000).get(SyscallCounter.ALL_THREADS);

        assertEquals(Map.of("total", 4.0, "read", 2.0, "eagain:read", 0.5, "eagain:recvfrom", 0.0), calls);
    }

    @Test
    void aPerThreadCountIsKeyedByThreadIdWithItsTaskClock()
    {
        final List<String> perf = List.of(
            "java-12812,635.11,msec,task-clock,635110531,100.00,0.424,CPUs utilized",
            "java-12812,0,,raw_syscalls:sys_enter,635126475,100.00,0.000,/sec",
            "bench-initiator-0-12900,3,,raw_syscalls:sys_enter,635126475,100.00,0.000,/sec",
            "bench-initiator-0-12900,3,,syscalls:sys_enter_write,635126475,100.00,0.000,/sec");

        final Map<String, Map<String, Double>> byThread = SyscallCounter.parse(perf, true, 1);

        assertEquals(Map.of("task-clock-ms", 635.11, "total", 0.0), byThread.get("12812"));
        assertEquals(Map.of("total", 3.0, "write", 3.0), byThread.get("12900"));
        assertFalse(byThread.containsKey("0-12900"));
        assertTrue(byThread.keySet().containsAll(List.of("12812", "12900")));
    }
}
