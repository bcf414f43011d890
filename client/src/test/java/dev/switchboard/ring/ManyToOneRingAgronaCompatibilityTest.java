package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.transport.OfferStatus.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout is Agrona's: an Agrona {@link ManyToOneRingBuffer} over the same memory reads what this ring
 * writes and writes what it reads, including across the wrap. Runs on the router side, where Agrona's
 * Unsafe-backed buffers are allowed.
 */
class ManyToOneRingAgronaCompatibilityTest
{
    private static final int CAPACITY = 1024;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment memory = arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64);
    private final ManyToOneRing ring = ManyToOneRing.create(memory);
    private final ManyToOneRingBuffer agrona =
        new ManyToOneRingBuffer(new UnsafeBuffer(memory.address(), (int)memory.byteSize()));

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void trailerOffsetsAreAgronasOffsets()
    {
        assertEquals(RingBufferDescriptor.TAIL_POSITION_OFFSET, RingDescriptor.TAIL_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, RingDescriptor.HEAD_CACHE_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_POSITION_OFFSET, RingDescriptor.HEAD_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.CORRELATION_COUNTER_OFFSET, RingDescriptor.CORRELATION_COUNTER_OFFSET);
        assertEquals(RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET, RingDescriptor.CONSUMER_HEARTBEAT_OFFSET);
        assertEquals(RingBufferDescriptor.TRAILER_LENGTH, RingDescriptor.TRAILER_LENGTH);
        assertEquals(agrona.maxMsgLength(), ring.maxMessageLength());
    }

    @Test
    void agronaReadsWhatThisRingWritesAndThisRingReadsWhatAgronaWritesOverManyLaps()
    {
        final SegmentBuffer src = new SegmentBuffer(arena.allocate(CAPACITY, 8));
        final List<Integer> fromRing = new ArrayList<>();
        final List<Integer> fromAgrona = new ArrayList<>();
        int sent = 0;

        while (ring.producerPosition() < 50L * CAPACITY)
        {
            final int length = 4 + (sent * 13) % (ring.maxMessageLength() - 3);
            src.putInt(0, sent);
            final boolean written = 0 == (sent & 1) ?
                OK == ring.offer(1 + (sent & 7), src, 0, length) :
                agrona.write(1 + (sent & 7), src, 0, length);
            if (written)
            {
                sent++;
            }

            if (!written || 0 == sent % 5)
            {
                agrona.read((msgTypeId, buffer, index, len) -> fromAgrona.add(buffer.getInt(index)), 3);
                ring.read((msgTypeId, buffer, index, len) -> fromRing.add(buffer.getInt(index)), 3);
            }
        }
        while (agrona.read((msgTypeId, buffer, index, len) -> fromAgrona.add(buffer.getInt(index))) +
            ring.read((msgTypeId, buffer, index, len) -> fromRing.add(buffer.getInt(index))) > 0)
        {
            // drain
        }

        final List<Integer> all = new ArrayList<>();
        assertTrue(fromRing.size() > 100 && fromAgrona.size() > 100);
        all.addAll(fromRing);
        all.addAll(fromAgrona);
        all.sort(Integer::compare);
        assertEquals(sent, all.size());
        for (int i = 0; i < sent; i++)
        {
            assertEquals(i, all.get(i));
        }
        assertEquals(agrona.producerPosition(), ring.consumerPosition());
        assertEquals(2, agrona.nextCorrelationId() + ring.nextCorrelationId() + 1);
    }
}
