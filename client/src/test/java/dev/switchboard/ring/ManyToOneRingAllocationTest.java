package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;

import static dev.switchboard.transport.OfferStatus.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path allocates nothing: offer (both forms), tryClaim/commit, read and controlledRead, measured
 * with the JVM's per-thread allocation counter after the code has been compiled.
 */
class ManyToOneRingAllocationTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final int WARM_UP_CYCLES = 300_000;
    private static final int MEASURED_CYCLES = 100_000;

    private long checksum;

    private final MessageHandler handler = this::onMessage;
    private final ControlledMessageHandler controlledHandler = this::onControlledMessage;

    private void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        checksum += buffer.getLong(index) + length;
    }

    private ControlledMessageHandler.Action onControlledMessage(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        checksum += buffer.getLong(index) + length;
        return ControlledMessageHandler.Action.CONTINUE;
    }

    @Test
    void offerAndReadAllocateNothingAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        try (Arena arena = Arena.ofConfined())
        {
            final ManyToOneRing ring = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64));
            final SegmentBuffer header = new SegmentBuffer(arena.allocate(16, 8));
            final SegmentBuffer payload = new SegmentBuffer(arena.allocate(64, 8));

            cycles(ring, header, payload, WARM_UP_CYCLES);
            threads.getCurrentThreadAllocatedBytes();

            final long before = threads.getCurrentThreadAllocatedBytes();
            cycles(ring, header, payload, MEASURED_CYCLES);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertEquals(0L, allocated, "bytes allocated by " + MEASURED_CYCLES + " offer+read cycles");
            assertTrue(checksum != 0);
        }
    }

    private void cycles(
        final ManyToOneRing ring, final SegmentBuffer header, final SegmentBuffer payload, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            payload.putLong(0, i);
            header.putLong(0, i);
            assertOk(ring.offer(1, payload, 0, 8 + (i & 31)));
            assertOk(ring.offer(2, header, 0, 16, payload, 0, 32));

            final int index = ring.tryClaim(3, 24);
            if (index < 0)
            {
                throw new IllegalStateException("tryClaim returned " + index);
            }
            ring.buffer().putLong(index, i);
            ring.commit(index);

            if (0 == (i & 1))
            {
                drain(ring);
            }
            else
            {
                controlledDrain(ring);
            }
        }
    }

    private void drain(final ManyToOneRing ring)
    {
        while (ring.read(handler, 16) > 0)
        {
            // a wrap needs a second read
        }
    }

    private void controlledDrain(final ManyToOneRing ring)
    {
        while (ring.controlledRead(controlledHandler, 16) > 0)
        {
            // a wrap needs a second read
        }
    }

    private static void assertOk(final int status)
    {
        if (OK != status)
        {
            throw new IllegalStateException("offer returned " + status);
        }
    }
}
