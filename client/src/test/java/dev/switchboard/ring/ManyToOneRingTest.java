package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.switchboard.ring.RingDescriptor.ALIGNMENT;
import static dev.switchboard.ring.RingDescriptor.HEADER_LENGTH;
import static dev.switchboard.ring.RingDescriptor.TAIL_POSITION_OFFSET;
import static dev.switchboard.ring.RingDescriptor.TRAILER_LENGTH;
import static dev.switchboard.transport.OfferStatus.BACK_PRESSURED;
import static dev.switchboard.transport.OfferStatus.OK;
import static dev.switchboard.transport.OfferStatus.REJECTED;
import static dev.switchboard.transport.OfferStatus.TOO_LARGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManyToOneRingTest
{
    private static final int CAPACITY = 1024;
    private static final int TYPE = 7;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment memory = arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64);
    private final ManyToOneRing ring = ManyToOneRing.create(memory);
    private final SegmentBuffer src = new SegmentBuffer(arena.allocate(CAPACITY, 8));
    private final List<Message> received = new ArrayList<>();

    record Message(int type, byte[] body)
    {
    }

    @AfterEach
    void close()
    {
        arena.close();
    }

    private void collect(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final byte[] body = new byte[length];
        buffer.getBytes(index, body);
        received.add(new Message(msgTypeId, body));
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }

    private int offer(final byte[] body)
    {
        src.putBytes(0, body);
        return ring.offer(TYPE, src, 0, body.length);
    }

    @Test
    void offerDeliversTypeAndBodyToHandler()
    {
        final byte[] body = pattern(13, 1);
        assertEquals(OK, offer(body));

        assertEquals(1, ring.read(this::collect));

        assertEquals(1, received.size());
        assertEquals(TYPE, received.get(0).type());
        assertArrayEquals(body, received.get(0).body());
    }

    @Test
    void offerFromByteArrayBackedBufferDeliversBody()
    {
        final byte[] backing = pattern(40, 3);
        final UnsafeBuffer arrayBuffer = new UnsafeBuffer(backing, 4, 30);

        assertEquals(OK, ring.offer(TYPE, arrayBuffer, 5, 20));
        ring.read(this::collect);

        final byte[] expected = new byte[20];
        System.arraycopy(backing, 9, expected, 0, 20);
        assertArrayEquals(expected, received.get(0).body());
    }

    @Test
    void handlerBufferIsTheSegmentBufferOverTheRecordArea()
    {
        offer(pattern(4, 0));
        final MutableDirectBuffer[] seen = new MutableDirectBuffer[1];
        ring.read((type, buffer, index, length) -> seen[0] = buffer);

        assertTrue(seen[0] instanceof SegmentBuffer);
        assertEquals(CAPACITY, seen[0].capacity());
    }

    @Test
    void offerReturnsBackPressuredWhenRingIsFullAndSucceedsAfterRead()
    {
        final byte[] body = pattern(ring.maxMessageLength(), 2);
        int accepted = 0;
        int status;
        while (OK == (status = offer(body)))
        {
            accepted++;
        }

        assertEquals(BACK_PRESSURED, status);
        assertEquals(CAPACITY / RingDescriptor.alignedRecordLength(body.length), accepted);
        assertEquals(1, ring.read(this::collect, 1));
        assertEquals(OK, offer(body), "the freed space at the start of the area takes the record after padding");
        assertEquals(accepted - 1, ring.read(this::collect), "a read stops at the end of the area");
        assertEquals(1, ring.read(this::collect), "the next read continues from index 0");
        assertEquals(accepted + 1, received.size());
    }

    @Test
    void offerReturnsTooLargeAboveMaxMessageLengthAndOkAtMaxMessageLength()
    {
        assertEquals(CAPACITY / 8, ring.maxMessageLength());

        assertEquals(TOO_LARGE, ring.offer(TYPE, src, 0, ring.maxMessageLength() + 1));
        assertEquals(TOO_LARGE, ring.tryClaim(TYPE, ring.maxMessageLength() + 1));
        assertEquals(OK, ring.offer(TYPE, src, 0, ring.maxMessageLength()));
        assertEquals(1, ring.read(this::collect));
        assertEquals(ring.maxMessageLength(), received.get(0).body().length);
    }

    @Test
    void offerReturnsRejectedForMessageTypeIdZero()
    {
        assertEquals(REJECTED, ring.offer(0, src, 0, 8));
        assertEquals(REJECTED, ring.offer(-5, src, 0, 8));
        assertEquals(REJECTED, ring.tryClaim(0, 8));
        assertEquals(0, ring.producerPosition());
    }

    @Test
    void offerReturnsRejectedForNegativeLengthOrRangeOutsideSource()
    {
        assertEquals(REJECTED, ring.offer(TYPE, src, 0, -1));
        assertEquals(REJECTED, ring.tryClaim(TYPE, -1));
        assertEquals(REJECTED, ring.offer(TYPE, src, -1, 8));
        assertEquals(REJECTED, ring.offer(TYPE, src, src.capacity() - 4, 8));
        assertEquals(REJECTED, ring.offer(TYPE, src, 0, 4, src, src.capacity(), 1));
        assertEquals(0, ring.producerPosition());
    }

    @Test
    void gatherOfferWritesBothPartsAsOneMessage()
    {
        final byte[] header = pattern(24, 4);
        final byte[] payload = pattern(37, 5);
        final UnsafeBuffer a = new UnsafeBuffer(header);
        src.putBytes(100, payload);

        assertEquals(OK, ring.offer(TYPE, a, 0, header.length, src, 100, payload.length));
        ring.read(this::collect);

        final byte[] expected = new byte[header.length + payload.length];
        System.arraycopy(header, 0, expected, 0, header.length);
        System.arraycopy(payload, 0, expected, header.length, payload.length);
        assertArrayEquals(expected, received.get(0).body());
    }

    @Test
    void gatherOfferReturnsTooLargeWhenPartsTogetherExceedMaxMessageLength()
    {
        final int half = ring.maxMessageLength() / 2;
        assertEquals(TOO_LARGE, ring.offer(TYPE, src, 0, half + 1, src, 0, half));
        assertEquals(TOO_LARGE, ring.offer(TYPE, src, 0, Integer.MAX_VALUE, src, 0, Integer.MAX_VALUE));
        assertEquals(OK, ring.offer(TYPE, src, 0, half, src, 0, half));
        assertEquals(REJECTED, ring.offer(TYPE, src, 0, -1, src, 0, 1));
    }

    @Test
    void wrapAroundOverManyLapsWithVariedSizesDeliversEveryMessageIntact()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final List<byte[]> sent = new ArrayList<>();
        final long laps = 500;
        int paddingSeen = 0;

        while (ring.producerPosition() < laps * CAPACITY)
        {
            final byte[] body = pattern(random.nextInt(ring.maxMessageLength() + 1), sent.size());
            final long before = ring.producerPosition();
            final int status = offer(body);
            if (OK == status)
            {
                sent.add(body);
                if (ring.producerPosition() - before > RingDescriptor.alignedRecordLength(body.length))
                {
                    paddingSeen++;
                }
            }
            else
            {
                assertEquals(BACK_PRESSURED, status);
                ring.read(this::collect, 1 + random.nextInt(8));
            }
        }
        while (ring.read(this::collect) > 0)
        {
            // drain, including the block after a wrap
        }

        assertTrue(paddingSeen > laps / 2, "padding records written: " + paddingSeen);
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i).body(), "message " + i);
        }
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertEquals(0, ring.size());
    }

    @Test
    void readZeroesConsumedSpace()
    {
        offer(pattern(100, 9));
        ring.read(this::collect);

        for (int i = 0; i < CAPACITY; i += 8)
        {
            assertEquals(0L, memory.get(ValueLayout.JAVA_LONG, i), "byte " + i);
        }
    }

    @Test
    void readHandsAtMostMessageCountLimitMessages()
    {
        for (int i = 0; i < 5; i++)
        {
            offer(pattern(8, i));
        }

        assertEquals(2, ring.read(this::collect, 2));
        assertEquals(0, ring.read(this::collect, 0));
        assertEquals(3, ring.read(this::collect, 10));
        assertArrayEquals(pattern(8, 4), received.get(4).body());
    }

    @Test
    void tryClaimThenCommitDeliversMessage()
    {
        final int index = ring.tryClaim(TYPE, 12);
        assertTrue(index > 0);
        ring.buffer().putLong(index, 0x1122334455667788L);
        ring.buffer().putInt(index + 8, 99);

        assertEquals(0, ring.read(this::collect), "nothing before commit");
        ring.commit(index);
        assertEquals(1, ring.read(this::collect));

        final UnsafeBuffer body = new UnsafeBuffer(received.get(0).body());
        assertEquals(0x1122334455667788L, body.getLong(0));
        assertEquals(99, body.getInt(8));
    }

    @Test
    void tryClaimThenAbortLeavesPaddingThatReadSkips()
    {
        final int index = ring.tryClaim(TYPE, 16);
        ring.abort(index);
        offer(pattern(3, 3));

        assertEquals(1, ring.read(this::collect));
        assertArrayEquals(pattern(3, 3), received.get(0).body());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void commitOrAbortOfAFinishedClaimThrowsIllegalState()
    {
        final int committed = ring.tryClaim(TYPE, 8);
        ring.commit(committed);
        final IllegalStateException again = assertThrows(IllegalStateException.class, () -> ring.commit(committed));
        assertTrue(again.getMessage().contains("committed"), again.getMessage());

        final int aborted = ring.tryClaim(TYPE, 8);
        ring.abort(aborted);
        final IllegalStateException afterAbort = assertThrows(IllegalStateException.class, () -> ring.abort(aborted));
        assertTrue(afterAbort.getMessage().contains("aborted"), afterAbort.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ring.commit(3));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(CAPACITY + 8));
    }

    @Test
    void uncommittedClaimBlocksReadUntilUnblockThenLaterMessagesArrive()
    {
        offer(pattern(10, 1));
        final int deadProducersClaim = ring.tryClaim(TYPE, 20);
        ring.buffer().putInt(deadProducersClaim, 0xDEAD);
        offer(pattern(11, 2));
        offer(pattern(12, 3));

        assertEquals(1, ring.read(this::collect), "messages before the claim are read");
        assertEquals(0, ring.read(this::collect), "the uncommitted claim blocks the consumer");
        assertEquals(0, ring.read(this::collect));

        assertTrue(ring.unblock());
        assertEquals(2, ring.read(this::collect));

        assertEquals(3, received.size());
        assertArrayEquals(pattern(10, 1), received.get(0).body());
        assertArrayEquals(pattern(11, 2), received.get(1).body());
        assertArrayEquals(pattern(12, 3), received.get(2).body());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertFalse(ring.unblock());
    }

    @Test
    void unblockSkipsSpaceClaimedByProducerThatDiedBeforeWritingHeader()
    {
        offer(pattern(5, 1));
        // A producer that won the tail CAS for 32 bytes and died before writing its header: only the tail moved.
        final long tailOffset = CAPACITY + TAIL_POSITION_OFFSET;
        memory.set(ValueLayout.JAVA_LONG, tailOffset, memory.get(ValueLayout.JAVA_LONG, tailOffset) + 32);
        offer(pattern(6, 2));

        assertEquals(1, ring.read(this::collect));
        assertEquals(0, ring.read(this::collect));

        assertTrue(ring.unblock());
        assertEquals(1, ring.read(this::collect));
        assertArrayEquals(pattern(6, 2), received.get(1).body());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void unblockDoesNothingWhenRecordAtHeadIsCommittedOrRingIsEmpty()
    {
        assertFalse(ring.unblock());
        offer(pattern(5, 1));
        assertFalse(ring.unblock());
        assertEquals(1, ring.read(this::collect));
    }

    @Test
    void controlledReadAbortLeavesMessageForNextRead()
    {
        offer(pattern(8, 1));
        offer(pattern(8, 2));

        assertEquals(1, ring.controlledRead((type, buffer, index, length) ->
        {
            collect(type, buffer, index, length);
            return received.size() == 2 ? Action.ABORT : Action.CONTINUE;
        }));
        assertEquals(1, ring.controlledRead((type, buffer, index, length) ->
        {
            collect(type, buffer, index, length);
            return Action.CONTINUE;
        }));

        assertEquals(3, received.size());
        assertArrayEquals(pattern(8, 2), received.get(2).body());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void controlledReadBreakStopsAfterMessage()
    {
        offer(pattern(8, 1));
        offer(pattern(8, 2));

        assertEquals(1, ring.controlledRead((type, buffer, index, length) -> Action.BREAK));
        assertEquals(1, ring.controlledRead((type, buffer, index, length) -> Action.BREAK));
        assertEquals(0, ring.controlledRead((type, buffer, index, length) -> Action.BREAK));
    }

    @Test
    void controlledReadCommitFreesSpaceAtOnceAndStopsAtEndOfRecordArea()
    {
        // Fill the whole area exactly to its end, so the read runs to the trailer's boundary.
        final int bodyLength = 120;
        final int perRecord = RingDescriptor.alignedRecordLength(bodyLength);
        assertEquals(0, CAPACITY % perRecord);
        while (OK == offer(pattern(bodyLength, received.size())))
        {
            // fill
        }

        final long[] headsSeen = new long[CAPACITY / perRecord];
        final int[] calls = {0};
        final int read = ring.controlledRead((type, buffer, index, length) ->
        {
            headsSeen[calls[0]++] = ring.consumerPosition();
            return Action.COMMIT;
        });

        assertEquals(CAPACITY / perRecord, read);
        for (int i = 0; i < read; i++)
        {
            assertEquals((long)i * perRecord, headsSeen[i], "head committed before message " + i);
        }
        assertEquals(CAPACITY, ring.consumerPosition());
        assertEquals(0, ring.controlledRead((type, buffer, index, length) -> Action.COMMIT));
    }

    @Test
    void nextCorrelationIdIsSharedByEveryInstanceOverTheSegment()
    {
        final ManyToOneRing other = new ManyToOneRing(memory);

        assertEquals(0, ring.nextCorrelationId());
        assertEquals(1, other.nextCorrelationId());
        assertEquals(2, ring.nextCorrelationId());
    }

    @Test
    void consumerHeartbeatTimeIsVisibleThroughAnotherInstance()
    {
        assertEquals(0, ring.consumerHeartbeatTime());
        ring.consumerHeartbeatTime(123_456_789L);
        assertEquals(123_456_789L, new ManyToOneRing(memory).consumerHeartbeatTime());
    }

    @Test
    void sizeAndPositionsTrackClaimsAndReads()
    {
        offer(pattern(5, 1));
        final int index = ring.tryClaim(TYPE, 9);

        final int expected = RingDescriptor.alignedRecordLength(5) + RingDescriptor.alignedRecordLength(9);
        assertEquals(expected, ring.size());
        assertEquals(expected, ring.producerPosition());
        assertEquals(0, ring.consumerPosition());

        ring.commit(index);
        ring.read(this::collect);
        assertEquals(0, ring.size());
        assertEquals(expected, ring.consumerPosition());
    }

    @Test
    void recordsAreAlignedAndHeaderHoldsLengthThenType()
    {
        offer(pattern(3, 1));
        offer(pattern(1, 2));

        assertEquals(HEADER_LENGTH + 3, memory.get(ValueLayout.JAVA_INT, 0));
        assertEquals(TYPE, memory.get(ValueLayout.JAVA_INT, 4));
        final int second = RingDescriptor.alignedRecordLength(3);
        assertEquals(0, second % ALIGNMENT);
        assertEquals(HEADER_LENGTH + 1, memory.get(ValueLayout.JAVA_INT, second));
        assertEquals(TYPE, memory.get(ValueLayout.JAVA_INT, second + 4));
    }

    @Test
    void createWritesMagicVersionAndCapacityInTrailer()
    {
        assertEquals(RingDescriptor.MAGIC, memory.get(ValueLayout.JAVA_INT, CAPACITY + RingDescriptor.MAGIC_OFFSET));
        assertEquals(
            RingDescriptor.VERSION, memory.get(ValueLayout.JAVA_INT, CAPACITY + RingDescriptor.VERSION_OFFSET));
        assertEquals(CAPACITY, memory.get(ValueLayout.JAVA_INT, CAPACITY + RingDescriptor.CAPACITY_OFFSET));
        assertEquals("SWBR", new String(memory.asSlice(CAPACITY, 4).toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.US_ASCII));
    }

    @Test
    void attachToCreatedRingSharesItsState()
    {
        offer(pattern(9, 9));
        final ManyToOneRing attached = new ManyToOneRing(memory);

        assertEquals(CAPACITY, attached.capacity());
        assertEquals(1, attached.read(this::collect));
        assertArrayEquals(pattern(9, 9), received.get(0).body());
        assertEquals(attached.consumerPosition(), ring.consumerPosition());
    }

    @Test
    void attachToUninitialisedSegmentThrowsIllegalStateNamingTheMagic()
    {
        final MemorySegment blank = arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new ManyToOneRing(blank));
        assertTrue(ex.getMessage().contains("magic=0x0"), ex.getMessage());
    }

    @Test
    void attachThrowsIllegalStateWhenRecordedCapacityDiffersFromSegmentSize()
    {
        memory.set(ValueLayout.JAVA_INT, CAPACITY + RingDescriptor.CAPACITY_OFFSET, 2 * CAPACITY);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new ManyToOneRing(memory));
        assertTrue(ex.getMessage().contains("capacity=" + (2 * CAPACITY)), ex.getMessage());
    }

    @Test
    void attachThrowsIllegalStateForUnknownVersion()
    {
        memory.set(ValueLayout.JAVA_INT, CAPACITY + RingDescriptor.VERSION_OFFSET, 99);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new ManyToOneRing(memory));
        assertTrue(ex.getMessage().contains("version=99"), ex.getMessage());
    }

    @Test
    void capacityNotPowerOfTwoThrowsIllegalArgumentNamingTheValue()
    {
        final MemorySegment odd = arena.allocate(1000 + TRAILER_LENGTH, 64);

        final IllegalArgumentException create =
            assertThrows(IllegalArgumentException.class, () -> ManyToOneRing.create(odd));
        assertTrue(create.getMessage().contains("capacity=1000"), create.getMessage());
        final IllegalArgumentException attach =
            assertThrows(IllegalArgumentException.class, () -> new ManyToOneRing(odd));
        assertTrue(attach.getMessage().contains("capacity=1000"), attach.getMessage());
        final IllegalArgumentException size =
            assertThrows(IllegalArgumentException.class, () -> ManyToOneRing.requiredSize(1000));
        assertTrue(size.getMessage().contains("capacity=1000"), size.getMessage());
    }

    @Test
    void capacityBelowMinimumOrSegmentSmallerThanTrailerThrowsIllegalArgument()
    {
        assertThrows(IllegalArgumentException.class, () -> ManyToOneRing.requiredSize(32));
        final MemorySegment tiny = arena.allocate(100, 8);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> ManyToOneRing.create(tiny));
        assertTrue(ex.getMessage().contains("capacity=" + (100 - TRAILER_LENGTH)), ex.getMessage());
    }

    @Test
    void heapSegmentIsRefused()
    {
        final MemorySegment heap = MemorySegment.ofArray(new long[(CAPACITY + TRAILER_LENGTH) / 8]);

        assertThrows(IllegalArgumentException.class, () -> ManyToOneRing.create(heap));
    }
}
