package dev.switchboard.counters.file;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.LocalCounters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a writer does while its process runs allocates nothing once warm: counter flushes into the file's values,
 * heartbeats, histogram records (single-writer and atomic), and errors of a kind already logged.
 */
class CountersFileWriterAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final int ATTEMPTS = 5;

    @Test
    void flushHeartbeatHistogramAndKnownErrorsAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        try (Arena arena = Arena.ofConfined())
        {
            final CountersFileWriter writer = CountersFileWriter.initialise(
                arena.allocate(CountersFileDescriptor.fileLength(CounterIds.COUNT), 4096),
                CountersSnapshot.Role.AGENT, "a", CounterIds.COUNT).defineFixedCounters();
            final LatencyHistogram single = writer.histogram("request_response_ns");
            final LatencyHistogram atomic = writer.histogram("task_handoff_ns");
            final LocalCounters local = new LocalCounters();
            final String kind = "inbox corrupt records";
            writer.errors().record(kind, "first");

            cycles(writer, single, atomic, local, kind, WARM_UP);
            // "Once warm": on a loaded machine the JIT may not have compiled the loop yet after the warm-up (its
            // threads starved), and interpreted or C1 code allocates what C2 scalar-replaces. So up to ATTEMPTS
            // measured rounds; the code allocates nothing if one whole round allocated nothing. Each round's bytes are
            // in the message.
            final java.util.List<Long> rounds = new java.util.ArrayList<>();
            long cycles = WARM_UP;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                cycles(writer, single, atomic, local, kind, MEASURED);
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                cycles += MEASURED;
                rounds.add(allocated);
                if (allocated == 0)
                {
                    break;
                }
            }

            assertEquals(0L, (long)rounds.getLast(), "bytes allocated by each round of " + MEASURED + " write cycles: " +
                rounds);
            assertEquals(cycles, single.totalCount());
            assertEquals(2L * cycles, writer.counters().get(5));
        }
    }

    private static void cycles(
        final CountersFileWriter writer,
        final LatencyHistogram single,
        final LatencyHistogram atomic,
        final LocalCounters local,
        final String kind,
        final int count)
    {
        for (int i = 0; i < count; i++)
        {
            local.increment(5);
            local.increment(5);
            local.increment(CounterIds.COUNT - 1);
            local.flushTo(writer.counters());
            single.record(i * 37L);
            atomic.recordAtomic(i * 1013L);
            writer.heartbeat(i);
            if ((i & 1023) == 0)
            {
                writer.errors().record(kind, "again");
            }
        }
    }
}
