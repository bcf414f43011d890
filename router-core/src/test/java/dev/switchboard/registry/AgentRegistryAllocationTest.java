package dev.switchboard.registry;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRegistryAllocationTest
{
    private static final long LEASE_NS = 1_000_000_000L;
    private static final int AGENTS = 64;
    private static final int ITERATIONS = 100_000;

    private final AgentRegistry registry = new AgentRegistry(AGENTS, LEASE_NS, LEASE_NS);
    private final long[] ids = new long[AGENTS];
    private long now = 1_000L;
    private long[] sink;

    @Test
    void renewByIdAndExpireLeasesWithNothingExpiringAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot measure per-thread allocation");
        final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
        sink = new long[1024];
        assertTrue(threads.getCurrentThreadAllocatedBytes() - calibrationStart >= 8 * 1024,
            "the allocation counter must see an 8 KiB array, else a zero below proves nothing");

        registry.addListener(new RecordingListener());
        for (int i = 0; i < AGENTS; i++)
        {
            ids[i] = registry.register("agent-" + i, List.of("work"), i, 0, 0, 1, now).agent().agentId();
        }

        long checksum = 0;
        for (int warmUp = 0; warmUp < 5; warmUp++)
        {
            checksum += heartbeatCycles();
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        checksum += heartbeatCycles();
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, allocated, "bytes allocated by renew + byId + expireLeases over " + ITERATIONS + " cycles");
        assertEquals(AGENTS, registry.size());
        assertTrue(checksum > 0);
    }

    private long heartbeatCycles()
    {
        long checksum = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            now += 1_000;
            final long id = ids[i & (AGENTS - 1)];
            if (registry.renew(id, now))
            {
                checksum += registry.byId(id).pid() + 1;
            }
            checksum += registry.expireLeases(now);
        }
        return checksum;
    }
}
