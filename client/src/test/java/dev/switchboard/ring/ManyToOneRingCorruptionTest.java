/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ring;

import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.ring.RingDescriptor.HEADER_LENGTH;
import static dev.switchboard.ring.RingDescriptor.TRAILER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A committed record whose length no producer writes (shorter than a header, or reaching past the end of the record
 * area): the consumer must neither read nor zero outside the record area (before the fix it handed the handler a
 * body past the area and zeroed the trailer, losing the ring's positions), and must carry on from the tail.
 * Regression seeds of the inbox fuzz test ({@code InboxGarbageFuzzTest}).
 */
class ManyToOneRingCorruptionTest
{
    private static final int CAPACITY = 1024;
    private static final int TYPE = 3;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment segment = arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64);
    private final ManyToOneRing ring = ManyToOneRing.create(segment);
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[24]);
    private static final java.lang.invoke.VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    @AfterEach
    void close()
    {
        arena.close();
    }

    @ParameterizedTest(name = "length {0}, controlled read {1}")
    @CsvSource({
        "1, false", "7, false", "-1, false", "2147483647, false", "1032, false", "1025, false",
        "1, true", "7, true", "-1, true", "2147483647, true", "1032, true", "1025, true"})
    void impossibleLengthIsCountedAndTheConsumerResumesAtTheTailWithoutTouchingTheTrailer(
        final int lie, final boolean controlled)
    {
        offer(0);
        offer(1);
        final int index = ring.tryClaim(TYPE, 16);
        final int recordIndex = index - HEADER_LENGTH;
        // -1 means: the record's distance to the end of the area plus one alignment (crosses the end by 8 bytes).
        final int length = lie == -1 ? CAPACITY - recordIndex + RingDescriptor.ALIGNMENT : lie;
        ValueLayout.JAVA_INT.varHandle().setRelease(segment, (long)recordIndex, length);
        offer(2);
        final byte[] trailer = segment.asSlice(CAPACITY, TRAILER_LENGTH).toArray(ValueLayout.JAVA_BYTE);

        final List<Long> seen = new ArrayList<>();
        final int first = read(controlled, seen);

        assertEquals(2, first, "the records before the corrupt one are delivered");
        assertEquals(List.of(0L, 1L), seen);
        assertEquals(1, ring.corruptRecordCount());
        assertEquals(ring.producerPosition(), ring.consumerPosition(), "the consumer resumed at the tail");
        assertEquals(0, ring.size());
        final byte[] after = segment.asSlice(CAPACITY, TRAILER_LENGTH).toArray(ValueLayout.JAVA_BYTE);
        copyHead(trailer, after);
        assertArrayEquals(trailer, after, "nothing but the head position changed in the trailer");

        offer(3);
        seen.clear();
        assertEquals(1, read(controlled, seen));
        assertEquals(List.of(3L), seen, "later records are read normally");
        assertEquals(1, ring.corruptRecordCount());
    }

    @ParameterizedTest(name = "commit {0}")
    @CsvSource({"true", "false"})
    void aClaimInTheSpanAResynchronisationDiscardsEndsWithoutAnExceptionAndPublishesNothing(final boolean commit)
    {
        // A well-behaved producer's claim is in flight behind a record another process commits with a lie: the
        // consumer discards up to the tail, the claim with it. Before: its commit threw IllegalStateException ("claim
        // was already committed") out of the sender's send (found by the fuzz campaign's inbox target).
        offer(0);
        final int lying = ring.tryClaim(TYPE, 16);
        final int inFlight = ring.tryClaim(TYPE, 16);
        ring.buffer().putLong(inFlight, 99);
        ValueLayout.JAVA_INT.varHandle().setRelease(segment, (long)lying - HEADER_LENGTH, 1);
        final List<Long> seen = new ArrayList<>();
        assertEquals(1, read(false, seen));
        assertEquals(1, ring.corruptRecordCount());

        if (commit)
        {
            ring.commit(inFlight);
        }
        else
        {
            ring.abort(inFlight);
        }
        assertEquals(0, (int)ValueLayout.JAVA_INT.varHandle().getAcquire(segment, (long)inFlight - HEADER_LENGTH),
            "nothing written into space the consumer freed");
        // A full lap of the ring later, nothing stale is read: only what was offered since.
        for (long seq = 1; seq <= 3 * CAPACITY / 32; seq++)
        {
            offer(seq);
            seen.clear();
            // A read stops at the end of the area: the record after the wrap's padding needs a second one.
            assertEquals(1, read(false, seen) + (seen.isEmpty() ? read(false, seen) : 0));
            assertEquals(List.of(seq), seen);
        }
    }

    @ParameterizedTest(name = "tail {0}")
    @CsvSource({"3", "-8", "4096", "9223372036854775807"})
    void aTailNoProducerWritesMakesOffersNotConnectedUntilTheConsumerRepairsTheTrailer(final long badTail)
    {
        offer(0);
        LONG.setVolatile(segment, (long)CAPACITY + RingDescriptor.TAIL_POSITION_OFFSET,
            badTail == 4096 ? ring.consumerPosition() + 4096 : badTail);
        message.putLong(0, 1);
        assertEquals(OfferStatus.NOT_CONNECTED, ring.offer(TYPE, message, 0, message.capacity()),
            "an impossible tail: no write anywhere, no exception");
        assertEquals(OfferStatus.NOT_CONNECTED, ring.tryClaim(TYPE, 16));

        assertTrue(ring.checkTrailer(), "the consumer sees the damage and repairs it");
        assertEquals(1, ring.corruptRecordCount());
        assertEquals(CAPACITY, ring.discardedByteCount(), "everything in the area was discarded");
        assertFalse(ring.checkTrailer(), "repaired");
        offer(2);
        final List<Long> seen = new ArrayList<>();
        assertEquals(1, read(false, seen));
        assertEquals(List.of(2L), seen, "records after the repair are read normally");
    }

    @ParameterizedTest(name = "controlled read {0}")
    @CsvSource({"false", "true"})
    void aMisalignedHeadIsRepairedByTheNextReadWithoutAnException(final boolean controlled)
    {
        offer(0);
        LONG.setVolatile(segment, (long)CAPACITY + RingDescriptor.HEAD_POSITION_OFFSET, 5L);
        final List<Long> seen = new ArrayList<>();
        assertEquals(0, read(controlled, seen), "nothing delivered from a ring whose head is impossible");
        assertEquals(1, ring.corruptRecordCount());
        offer(1);
        assertEquals(1, read(controlled, seen));
        assertEquals(List.of(1L), seen);
    }

    private void copyHead(final byte[] from, final byte[] to)
    {
        System.arraycopy(from, RingDescriptor.HEAD_POSITION_OFFSET, to, RingDescriptor.HEAD_POSITION_OFFSET, 8);
    }

    private void offer(final long seq)
    {
        message.putLong(0, seq);
        assertEquals(0, ring.offer(TYPE, message, 0, message.capacity()));
    }

    private int read(final boolean controlled, final List<Long> seen)
    {
        if (controlled)
        {
            return ring.controlledRead((type, buffer, index, length) ->
            {
                seen.add(buffer.getLong(index));
                return Action.CONTINUE;
            });
        }
        return ring.read((type, buffer, index, length) -> seen.add(buffer.getLong(index)));
    }
}
