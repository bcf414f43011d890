package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.switchboard.ring.RingDescriptor.ALIGNMENT;
import static dev.switchboard.ring.RingDescriptor.CAPACITY_OFFSET;
import static dev.switchboard.ring.RingDescriptor.CONSUMER_HEARTBEAT_OFFSET;
import static dev.switchboard.ring.RingDescriptor.CORRELATION_COUNTER_OFFSET;
import static dev.switchboard.ring.RingDescriptor.HEADER_LENGTH;
import static dev.switchboard.ring.RingDescriptor.HEAD_CACHE_POSITION_OFFSET;
import static dev.switchboard.ring.RingDescriptor.HEAD_POSITION_OFFSET;
import static dev.switchboard.ring.RingDescriptor.MAGIC;
import static dev.switchboard.ring.RingDescriptor.MAGIC_OFFSET;
import static dev.switchboard.ring.RingDescriptor.PADDING_MSG_TYPE_ID;
import static dev.switchboard.ring.RingDescriptor.TAIL_POSITION_OFFSET;
import static dev.switchboard.ring.RingDescriptor.TRAILER_LENGTH;
import static dev.switchboard.ring.RingDescriptor.TYPE_OFFSET;
import static dev.switchboard.ring.RingDescriptor.VERSION;
import static dev.switchboard.ring.RingDescriptor.VERSION_OFFSET;
import static dev.switchboard.transport.OfferStatus.BACK_PRESSURED;
import static dev.switchboard.transport.OfferStatus.NOT_CONNECTED;
import static dev.switchboard.transport.OfferStatus.OK;
import static dev.switchboard.transport.OfferStatus.REJECTED;
import static dev.switchboard.transport.OfferStatus.TOO_LARGE;
import static org.agrona.concurrent.ControlledMessageHandler.Action.ABORT;
import static org.agrona.concurrent.ControlledMessageHandler.Action.BREAK;
import static org.agrona.concurrent.ControlledMessageHandler.Action.COMMIT;

/**
 * A ring buffer that many producers (threads or processes) write and exactly one consumer reads, over a
 * {@link MemorySegment}: Arena memory in one process, or a file under {@code /dev/shm} mapped by several
 * processes, one of which may be a C client. The layout is in {@link RingDescriptor}; it is Agrona's
 * {@code ManyToOneRingBuffer} layout, and this class follows Agrona's protocol, but every access goes
 * through {@link VarHandle}s on the segment: no {@code Unsafe}, so it runs in a JVM started with no flags.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>A producer claims space by CAS on the tail position; a claim that would cross the end of the
 *       record area first pads to the end (a padding record) and claims from index 0.</li>
 *   <li>It release-stores {@code -length} in the record's length field, then copies the body and stores
 *       the type, then release-stores {@code +length}: the commit.</li>
 *   <li>The consumer acquire-loads the length at the head; while it is {@code <= 0} the record is not
 *       ready and reading stops there. It hands committed records to the handler in place, zeroes what
 *       it consumed and release-stores the new head.</li>
 * </ol>
 * A producer that dies between its claim and its commit would block the consumer for ever:
 * {@link #unblock()} turns its record into padding.
 *
 * <h2>Corrupt records</h2>
 * The record area of an inbox is writable by every sender on the host, so the consumer never trusts a length: a
 * committed record shorter than its header or reaching past the end of the record area (which no producer
 * following the protocol writes) makes the consumer discard everything up to the tail and carry on from there
 * (counted: {@link #corruptRecordCount()}, {@link #discardedByteCount()}). Nothing is read or zeroed outside the
 * record area. The trailer is writable by the same processes: a producer that finds impossible positions there (a
 * misaligned tail, a tail behind the head or more than a capacity ahead) returns {@code NOT_CONNECTED} instead of
 * writing anywhere, and the consumer, on a misaligned head or in {@link #checkTrailer()}, repairs them by starting
 * afresh past both (everything in the area is discarded and counted). No call throws on a damaged ring. A record whose length is plausible but whose type or body is garbage is handed over as any other:
 * its reader validates it (the Switchboard client counts and drops it).
 *
 * <h2>Memory ordering: the happens-before edge each access provides</h2>
 * <ul>
 *   <li>Commit (release {@code +length}) → consumer's acquire load of the length: the body and type
 *       written by the producer are visible to the consumer's handler.</li>
 *   <li>Claim ({@code -length}, release then a release fence): the negative length is visible before
 *       any body byte, so {@link #unblock()}, which scans zeroed memory for the next record header,
 *       never mistakes body bytes of an in-flight record for a header.</li>
 *   <li>Consumer zeroes consumed bytes, then release-stores the head → producer's volatile load of the
 *       head (directly, or through the head cache, which a producer release-stores after its own load):
 *       a producer writes into space only after the consumer's zeroes, which therefore never land on
 *       a new record.</li>
 *   <li>Tail CAS (volatile): producers agree on disjoint claims; the tail is also read volatile by
 *       {@link #size()}, {@link #producerPosition()} and {@link #unblock()}.</li>
 *   <li>Heartbeat: release store, acquire load. Correlation counter: atomic fetch-and-add.</li>
 * </ul>
 * A C peer must use the same orderings ({@code __atomic_store_n(..., __ATOMIC_RELEASE)},
 * {@code __atomic_thread_fence(__ATOMIC_RELEASE)}, {@code __atomic_load_n(..., __ATOMIC_ACQUIRE)},
 * {@code __atomic_compare_exchange_n(..., __ATOMIC_SEQ_CST, ...)}) on the offsets of {@link RingDescriptor}.
 *
 * <h2>Thread-safety</h2>
 * {@link #offer}, {@link #tryClaim}, {@link #commit}, {@link #abort}, {@link #nextCorrelationId()} and
 * the getters may be called by any number of threads and processes at once. {@link #read},
 * {@link #controlledRead}, {@link #unblock()} and {@link #consumerHeartbeatTime(long)} belong to exactly
 * one consumer thread at a time. An instance holds no mutable state of its own, so producers may share
 * one instance or each map the segment and make their own.
 *
 * <h2>Allocation</h2>
 * None on {@code offer}, {@code tryClaim}, {@code commit}, {@code abort}, {@code read} or
 * {@code controlledRead}: the handler receives one {@link SegmentBuffer} over the record area, made
 * when the ring was, and an index into it. Bodies are copied in by
 * {@link SegmentBuffer#putBytes(int, DirectBuffer, int, int)}: one segment copy from a
 * {@link SegmentBuffer} or a {@code byte[]}-backed {@link DirectBuffer}, an accessor loop from any other.
 *
 * <p>The segment must stay valid (its arena open) for as long as the ring is used; the ring does not own
 * it and has nothing to close.
 */
public final class ManyToOneRing
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int INSUFFICIENT_CAPACITY = -2;
    /** claimCapacity: the trailer's positions are impossible (another process wrote them): the ring is damaged. */
    private static final int DAMAGED = -3;
    /** Consumed spans up to this length are zeroed by long stores; longer ones by a bulk copy of zeroes. */
    private static final int ZERO_BY_STORES_LIMIT = 256;
    private static final int ZERO_CHUNK_LENGTH = 4096;
    private static final MemorySegment ZEROES = Arena.global().allocate(ZERO_CHUNK_LENGTH, ALIGNMENT);

    // All shared, mutable state lives in the segment, whose trailer fields are owned as RingDescriptor says (tail
    // and head cache by producers, head by the consumer). The only non-final fields count corruption the consumer
    // met, and belong to the consumer thread.
    private final MemorySegment segment;
    private final int capacity;
    private final int mask;
    private final int maxMessageLength;
    private final long tailPositionOffset;
    private final long headCachePositionOffset;
    private final long headPositionOffset;
    private final long correlationCounterOffset;
    private final long consumerHeartbeatOffset;
    /**
     * Copies bodies in, and is handed to claimers by {@link #buffer()}: shared by all producers, which use
     * only its absolute-index methods, so it holds no state they could race on.
     */
    private final SegmentBuffer producerBuffer;
    /**
     * Handed to the consumer's handlers; apart from {@link #producerBuffer} so neither side's caller can
     * disturb the other's.
     */
    private final SegmentBuffer consumerBuffer;
    /** Consumer thread only: records seen at the head whose length could not be a record's (see {@link #read}). */
    private long corruptRecords;
    /** Consumer thread only: bytes discarded when resynchronising after a corrupt record. */
    private long discardedBytes;

    /**
     * Attach to a ring that {@link #create(MemorySegment)} initialised, in this process or another one.
     *
     * @param segment the whole ring: record area then trailer, {@link #requiredSize(int)} bytes.
     * @throws IllegalArgumentException if the segment is not native, is read-only, is not 8-byte aligned,
     *                                  or its size minus {@link RingDescriptor#TRAILER_LENGTH} is not a valid
     *                                  capacity (the message names the value).
     * @throws IllegalStateException    if the trailer does not identify an initialised ring of this layout
     *                                  version and of this capacity.
     */
    public ManyToOneRing(final MemorySegment segment)
    {
        this(segment, checkSegment(segment));
        verifyMetadata(segment, capacity);
    }

    private ManyToOneRing(final MemorySegment segment, final int capacity)
    {
        this.segment = segment;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxMessageLength = RingDescriptor.maxMessageLength(capacity);
        tailPositionOffset = (long)capacity + TAIL_POSITION_OFFSET;
        headCachePositionOffset = (long)capacity + HEAD_CACHE_POSITION_OFFSET;
        headPositionOffset = (long)capacity + HEAD_POSITION_OFFSET;
        correlationCounterOffset = (long)capacity + CORRELATION_COUNTER_OFFSET;
        consumerHeartbeatOffset = (long)capacity + CONSUMER_HEARTBEAT_OFFSET;

        final MemorySegment records = segment.asSlice(0, capacity);
        producerBuffer = new SegmentBuffer(records);
        consumerBuffer = new SegmentBuffer(records);
    }

    /**
     * Initialise a new, empty ring over a segment and return it: zeroes the whole segment, then writes
     * the capacity and version, then release-stores the magic, so a process that sees the magic sees the
     * rest. Only the owner of the ring (its consumer) calls this, before any producer attaches.
     *
     * @param segment the whole ring: record area then trailer, {@link #requiredSize(int)} bytes.
     * @return the ring.
     * @throws IllegalArgumentException as {@link #ManyToOneRing(MemorySegment)}.
     */
    public static ManyToOneRing create(final MemorySegment segment)
    {
        final int capacity = checkSegment(segment);
        segment.fill((byte)0);
        final long trailer = capacity;
        INT.set(segment, trailer + CAPACITY_OFFSET, capacity);
        INT.set(segment, trailer + VERSION_OFFSET, VERSION);
        INT.setRelease(segment, trailer + MAGIC_OFFSET, MAGIC);

        return new ManyToOneRing(segment, capacity);
    }

    /**
     * Size of the segment (or file) that holds a ring whose record area has the given capacity.
     *
     * @param capacity power of two in [{@link RingDescriptor#MIN_CAPACITY}, {@link RingDescriptor#MAX_CAPACITY}].
     * @return {@code capacity + RingDescriptor.TRAILER_LENGTH}.
     * @throws IllegalArgumentException naming the value if the capacity is not valid.
     */
    public static long requiredSize(final int capacity)
    {
        return RingDescriptor.requiredSize(capacity);
    }

    /**
     * Length of the record area in bytes.
     *
     * @return the capacity, a power of two.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Longest message body this ring accepts: one eighth of the capacity.
     *
     * @return maximum body length in bytes.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Write one message: claim, copy, commit.
     *
     * @param msgTypeId type of the message, {@code >= 1}.
     * @param src       buffer holding the body.
     * @param offset    of the body in {@code src}.
     * @param length    of the body in bytes.
     * @return {@link dev.switchboard.transport.OfferStatus#OK}, {@code BACK_PRESSURED} if there is no room
     * now, {@code NOT_CONNECTED} if the trailer's positions are impossible (something else wrote them: the ring is
     * damaged until its consumer repairs it), {@code TOO_LARGE} if {@code length > maxMessageLength()}, {@code REJECTED} if
     * {@code msgTypeId < 1}, {@code length < 0} or the range is outside {@code src}.
     */
    public int offer(final int msgTypeId, final DirectBuffer src, final int offset, final int length)
    {
        final int status = checkMessage(msgTypeId, length);
        if (OK != status)
        {
            return status;
        }
        if (isOutside(src, offset, length))
        {
            return REJECTED;
        }

        final int recordLength = HEADER_LENGTH + length;
        final int recordIndex = claimCapacity(RingDescriptor.alignedRecordLength(length));
        if (recordIndex < 0)
        {
            return INSUFFICIENT_CAPACITY == recordIndex ? BACK_PRESSURED : NOT_CONNECTED;
        }

        beginRecord(recordIndex, recordLength);
        try
        {
            producerBuffer.putBytes(recordIndex + HEADER_LENGTH, src, offset, length);
        }
        catch (final RuntimeException | Error ex)
        {
            abandonRecord(recordIndex, recordLength);
            throw ex;
        }
        commitRecord(recordIndex, recordLength, msgTypeId);

        return OK;
    }

    /**
     * Write one message whose body is two parts, {@code a} then {@code b} (for example an envelope header
     * and a payload), without staging them in a buffer first.
     *
     * @param msgTypeId type of the message, {@code >= 1}.
     * @param a         buffer holding the first part.
     * @param aOffset   of the first part in {@code a}.
     * @param aLength   of the first part in bytes.
     * @param b         buffer holding the second part.
     * @param bOffset   of the second part in {@code b}.
     * @param bLength   of the second part in bytes.
     * @return as {@link #offer(int, DirectBuffer, int, int)}, for a body of {@code aLength + bLength} bytes.
     */
    public int offer(
        final int msgTypeId,
        final DirectBuffer a,
        final int aOffset,
        final int aLength,
        final DirectBuffer b,
        final int bOffset,
        final int bLength)
    {
        if (aLength < 0 || bLength < 0)
        {
            return REJECTED;
        }
        final int length = (int)Math.min((long)aLength + bLength, Integer.MAX_VALUE);
        final int status = checkMessage(msgTypeId, length);
        if (OK != status)
        {
            return status;
        }
        if (isOutside(a, aOffset, aLength) || isOutside(b, bOffset, bLength))
        {
            return REJECTED;
        }

        final int recordLength = HEADER_LENGTH + length;
        final int recordIndex = claimCapacity(RingDescriptor.alignedRecordLength(length));
        if (recordIndex < 0)
        {
            return INSUFFICIENT_CAPACITY == recordIndex ? BACK_PRESSURED : NOT_CONNECTED;
        }

        beginRecord(recordIndex, recordLength);
        try
        {
            final int bodyIndex = recordIndex + HEADER_LENGTH;
            producerBuffer.putBytes(bodyIndex, a, aOffset, aLength);
            producerBuffer.putBytes(bodyIndex + aLength, b, bOffset, bLength);
        }
        catch (final RuntimeException | Error ex)
        {
            abandonRecord(recordIndex, recordLength);
            throw ex;
        }
        commitRecord(recordIndex, recordLength, msgTypeId);

        return OK;
    }

    /**
     * Claim space for a message body that the caller writes in place through {@link #buffer()}, then
     * publishes with {@link #commit(int)} or gives up with {@link #abort(int)}. Keep the time between
     * claim and commit short: the consumer cannot read past an uncommitted record.
     *
     * @param msgTypeId type of the message, {@code >= 1}.
     * @param length    of the body in bytes.
     * @return index of the body in {@link #buffer()} ({@code > 0}), or a negative
     * {@link dev.switchboard.transport.OfferStatus}: {@code BACK_PRESSURED}, {@code TOO_LARGE},
     * {@code REJECTED}, as for {@link #offer(int, DirectBuffer, int, int)}.
     */
    public int tryClaim(final int msgTypeId, final int length)
    {
        final int status = checkMessage(msgTypeId, length);
        if (OK != status)
        {
            return status;
        }

        final int recordLength = HEADER_LENGTH + length;
        final int recordIndex = claimCapacity(RingDescriptor.alignedRecordLength(length));
        if (recordIndex < 0)
        {
            return INSUFFICIENT_CAPACITY == recordIndex ? BACK_PRESSURED : NOT_CONNECTED;
        }

        beginRecord(recordIndex, recordLength);
        INT.set(segment, (long)recordIndex + TYPE_OFFSET, msgTypeId);

        return recordIndex + HEADER_LENGTH;
    }

    /**
     * Publish a message claimed by {@link #tryClaim(int, int)}. A claim the consumer discarded meanwhile (it
     * resynchronised at the tail after a corrupt record, and the claim was in the span it dropped) publishes nothing:
     * the message is lost with that span, which the consumer counts ({@link #discardedByteCount()}).
     *
     * @param index returned by {@code tryClaim}.
     * @throws IllegalArgumentException if the index cannot be one {@code tryClaim} returned.
     * @throws IllegalStateException    if the claim was already committed or aborted.
     */
    public void commit(final int index)
    {
        final int recordIndex = recordIndexOfClaim(index);
        final int negativeLength = verifyClaimOpen(recordIndex);
        if (negativeLength == 0)
        {
            return; // discarded by the consumer's resynchronisation: nothing to publish, and no space to write into
        }

        INT.setRelease(segment, (long)recordIndex, -negativeLength);
    }

    /**
     * Give up a message claimed by {@link #tryClaim(int, int)}: its space becomes padding, which the
     * consumer skips.
     *
     * @param index returned by {@code tryClaim}.
     * @throws IllegalArgumentException if the index cannot be one {@code tryClaim} returned.
     * @throws IllegalStateException    if the claim was already committed or aborted.
     */
    public void abort(final int index)
    {
        final int recordIndex = recordIndexOfClaim(index);
        final int negativeLength = verifyClaimOpen(recordIndex);
        if (negativeLength == 0)
        {
            return; // discarded by the consumer's resynchronisation already
        }

        INT.set(segment, (long)recordIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
        INT.setRelease(segment, (long)recordIndex, -negativeLength);
    }

    /**
     * The record area, for writing a claimed body at the index {@link #tryClaim(int, int)} returned.
     * Producers may share it (it is only read and written at indexes, never re-wrapped by the ring); do
     * not {@code wrap} it.
     *
     * @return a {@link SegmentBuffer} over the record area ({@link #capacity()} bytes).
     */
    public MutableDirectBuffer buffer()
    {
        return producerBuffer;
    }

    /**
     * Read committed messages, in ring order, up to the first one not yet committed or the end of the
     * record area, whichever comes first (call again to continue after a wrap).
     *
     * @param handler called with (type, buffer over the record area, index of the body, body length); the
     *                body is valid only during the call. If it throws, the message it was given counts as
     *                consumed.
     * @return number of messages handed to the handler.
     */
    public int read(final MessageHandler handler)
    {
        return read(handler, Integer.MAX_VALUE);
    }

    /**
     * Read at most {@code messageCountLimit} committed messages; otherwise as {@link #read(MessageHandler)}.
     *
     * @param handler           called for each message.
     * @param messageCountLimit maximum number of messages to hand to the handler.
     * @return number of messages handed to the handler.
     */
    public int read(final MessageHandler handler, final int messageCountLimit)
    {
        final MemorySegment segment = this.segment;
        final long head = (long)LONG.getAcquire(segment, headPositionOffset);
        if ((head & (ALIGNMENT - 1)) != 0)
        {
            repairTrailer();
            return 0;
        }
        final int headIndex = (int)head & mask;
        final int maxBlockLength = capacity - headIndex;
        int messagesRead = 0;
        int bytesRead = 0;

        try
        {
            while (bytesRead < maxBlockLength && messagesRead < messageCountLimit)
            {
                final int recordIndex = headIndex + bytesRead;
                final int recordLength = (int)INT.getAcquire(segment, (long)recordIndex);
                if (recordLength <= 0)
                {
                    break;
                }
                if (recordLength < HEADER_LENGTH || recordLength > capacity - recordIndex)
                {
                    if (bytesRead > 0)
                    {
                        release(headIndex, bytesRead, head + bytesRead);
                    }
                    bytesRead = 0;
                    discardToTail(head + (recordIndex - headIndex));
                    break;
                }

                bytesRead += align(recordLength);

                final int msgTypeId = (int)INT.get(segment, (long)recordIndex + TYPE_OFFSET);
                if (PADDING_MSG_TYPE_ID == msgTypeId)
                {
                    continue;
                }

                ++messagesRead;
                handler.onMessage(msgTypeId, consumerBuffer, recordIndex + HEADER_LENGTH, recordLength - HEADER_LENGTH);
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                release(headIndex, bytesRead, head + bytesRead);
            }
        }

        return messagesRead;
    }

    /**
     * Read committed messages with a handler that steers the read (Agrona's semantics): {@code CONTINUE}
     * reads on; {@code BREAK} stops after this message; {@code ABORT} stops and leaves this message
     * unconsumed, to be delivered again by the next read; {@code COMMIT} frees the space read so far at
     * once and reads on.
     *
     * @param handler called for each message.
     * @return number of messages consumed.
     */
    public int controlledRead(final ControlledMessageHandler handler)
    {
        return controlledRead(handler, Integer.MAX_VALUE);
    }

    /**
     * As {@link #controlledRead(ControlledMessageHandler)}, consuming at most {@code messageCountLimit}
     * messages.
     *
     * @param handler           called for each message.
     * @param messageCountLimit maximum number of messages to consume.
     * @return number of messages consumed.
     */
    public int controlledRead(final ControlledMessageHandler handler, final int messageCountLimit)
    {
        final MemorySegment segment = this.segment;
        long head = (long)LONG.getAcquire(segment, headPositionOffset);
        if ((head & (ALIGNMENT - 1)) != 0)
        {
            repairTrailer();
            return 0;
        }
        int headIndex = (int)head & mask;
        final int maxBlockLength = capacity - headIndex;
        int messagesRead = 0;
        int bytesRead = 0;
        int blockRead = 0;

        try
        {
            while (blockRead < maxBlockLength && messagesRead < messageCountLimit)
            {
                final int recordIndex = headIndex + bytesRead;
                final int recordLength = (int)INT.getAcquire(segment, (long)recordIndex);
                if (recordLength <= 0)
                {
                    break;
                }
                if (recordLength < HEADER_LENGTH || recordLength > capacity - recordIndex)
                {
                    if (bytesRead > 0)
                    {
                        release(headIndex, bytesRead, head + bytesRead);
                    }
                    discardToTail(head + bytesRead);
                    bytesRead = 0;
                    break;
                }

                final int alignedLength = align(recordLength);
                bytesRead += alignedLength;
                blockRead += alignedLength;

                final int msgTypeId = (int)INT.get(segment, (long)recordIndex + TYPE_OFFSET);
                if (PADDING_MSG_TYPE_ID == msgTypeId)
                {
                    continue;
                }

                final ControlledMessageHandler.Action action = handler.onMessage(
                    msgTypeId, consumerBuffer, recordIndex + HEADER_LENGTH, recordLength - HEADER_LENGTH);

                if (ABORT == action)
                {
                    bytesRead -= alignedLength;
                    break;
                }

                ++messagesRead;

                if (BREAK == action)
                {
                    break;
                }
                if (COMMIT == action)
                {
                    release(headIndex, bytesRead, head + bytesRead);
                    headIndex += bytesRead;
                    head += bytesRead;
                    bytesRead = 0;
                }
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                release(headIndex, bytesRead, head + bytesRead);
            }
        }

        return messagesRead;
    }

    /**
     * Next value of the ring's correlation counter (starts at 0), unique among all users of the ring.
     *
     * @return the counter's value before it was incremented.
     */
    public long nextCorrelationId()
    {
        return (long)LONG.getAndAdd(segment, correlationCounterOffset, 1L);
    }

    /**
     * Record that the consumer is alive (release store); producers read it to judge the consumer's liveness.
     *
     * @param time in the unit the ring's users agree on (for example epoch milliseconds).
     */
    public void consumerHeartbeatTime(final long time)
    {
        LONG.setRelease(segment, consumerHeartbeatOffset, time);
    }

    /**
     * Last time the consumer recorded with {@link #consumerHeartbeatTime(long)} (acquire load).
     *
     * @return the time, or 0 if never recorded.
     */
    public long consumerHeartbeatTime()
    {
        return (long)LONG.getAcquire(segment, consumerHeartbeatOffset);
    }

    /**
     * Bytes claimed and not yet consumed, including padding and records still being written. A snapshot:
     * it may be stale as soon as it returns.
     *
     * @return a value in {@code [0, capacity()]}.
     */
    public int size()
    {
        final MemorySegment segment = this.segment;
        long headBefore;
        long tail;
        long headAfter = (long)LONG.getVolatile(segment, headPositionOffset);

        do
        {
            headBefore = headAfter;
            tail = (long)LONG.getVolatile(segment, tailPositionOffset);
            headAfter = (long)LONG.getVolatile(segment, headPositionOffset);
        }
        while (headAfter != headBefore);

        final long size = tail - headAfter;
        if (size < 0)
        {
            return 0;
        }
        return size > capacity ? capacity : (int)size;
    }

    /**
     * Bytes ever claimed by producers (the tail position).
     *
     * @return the producer position.
     */
    public long producerPosition()
    {
        return (long)LONG.getVolatile(segment, tailPositionOffset);
    }

    /**
     * Bytes ever consumed (the head position).
     *
     * @return the consumer position.
     */
    public long consumerPosition()
    {
        return (long)LONG.getVolatile(segment, headPositionOffset);
    }

    /**
     * Turn the record at the head into padding if a producer claimed it and has not committed it, so the
     * consumer can read on. Call it from the consumer side only when the producer is known to be dead, or
     * after the head has not moved for longer than any live producer takes between claim and commit: a
     * producer that is merely slow would write into space that is no longer its own.
     * <p>Two cases are handled: the record's length is negative (header written, body not committed):
     * its type becomes padding and its length positive; or its length is still 0 (the producer died
     * between its tail CAS and its header write): the zeroed span up to the next record header becomes
     * one padding record, provided a later producer has already written that header.
     *
     * @return true if a record was turned into padding.
     */
    public boolean unblock()
    {
        final MemorySegment segment = this.segment;
        final long headPosition = (long)LONG.getVolatile(segment, headPositionOffset);
        final long tailPosition = (long)LONG.getVolatile(segment, tailPositionOffset);

        if (headPosition == tailPosition)
        {
            return false;
        }

        final int consumerIndex = (int)headPosition & mask;
        final int producerIndex = (int)tailPosition & mask;

        boolean unblocked = false;
        int length = (int)INT.getVolatile(segment, (long)consumerIndex);
        if (length < 0)
        {
            INT.set(segment, (long)consumerIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
            INT.setRelease(segment, (long)consumerIndex, -length);
            unblocked = true;
        }
        else if (0 == length)
        {
            final int limit = producerIndex > consumerIndex ? producerIndex : capacity;
            int i = consumerIndex + ALIGNMENT;

            while (i < limit)
            {
                length = (int)INT.getVolatile(segment, (long)i);
                if (0 != length)
                {
                    if (isZeroedBetween(consumerIndex, i))
                    {
                        INT.set(segment, (long)consumerIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
                        INT.setRelease(segment, (long)consumerIndex, i - consumerIndex);
                        unblocked = true;
                    }
                    break;
                }
                i += ALIGNMENT;
            }
        }

        return unblocked;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "ManyToOneRing{capacity=" + capacity +
            ", maxMessageLength=" + maxMessageLength +
            ", producerPosition=" + producerPosition() +
            ", consumerPosition=" + consumerPosition() + '}';
    }

    private static int checkSegment(final MemorySegment segment)
    {
        if (!segment.isNative())
        {
            throw new IllegalArgumentException("ring segment must be native (Arena or mapped file) memory: " + segment);
        }
        if (segment.isReadOnly())
        {
            throw new IllegalArgumentException("ring segment must be writable: " + segment);
        }
        if (0 != (segment.address() & (ALIGNMENT - 1)))
        {
            throw new IllegalArgumentException(
                "ring segment address must be " + ALIGNMENT + "-byte aligned: address=0x" +
                Long.toHexString(segment.address()));
        }

        final long size = segment.byteSize();
        final long capacity = size - TRAILER_LENGTH;
        try
        {
            return RingDescriptor.checkCapacity(capacity);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                ex.getMessage() + " (segment size=" + size + " minus trailer length=" + TRAILER_LENGTH + ")");
        }
    }

    private static void verifyMetadata(final MemorySegment segment, final int capacity)
    {
        final long trailer = capacity;
        final int magic = (int)INT.getAcquire(segment, trailer + MAGIC_OFFSET);
        if (MAGIC != magic)
        {
            throw new IllegalStateException(
                "not an initialised Switchboard ring: magic=0x" + Integer.toHexString(magic) + " at offset " +
                (trailer + MAGIC_OFFSET) + ", expected 0x" + Integer.toHexString(MAGIC) +
                " (was ManyToOneRing.create called on it?)");
        }

        final int version = (int)INT.get(segment, trailer + VERSION_OFFSET);
        if (VERSION != version)
        {
            throw new IllegalStateException(
                "unsupported ring layout version=" + version + ", expected " + VERSION);
        }

        final int recordedCapacity = (int)INT.get(segment, trailer + CAPACITY_OFFSET);
        if (recordedCapacity != capacity)
        {
            throw new IllegalStateException(
                "ring was created with capacity=" + recordedCapacity + " but the segment's size gives capacity=" +
                capacity + " (segment size=" + segment.byteSize() + ")");
        }
    }

    private int checkMessage(final int msgTypeId, final int length)
    {
        if (msgTypeId < 1 || length < 0)
        {
            return REJECTED;
        }
        if (length > maxMessageLength)
        {
            return TOO_LARGE;
        }
        return OK;
    }

    private static boolean isOutside(final DirectBuffer buffer, final int offset, final int length)
    {
        return offset < 0 || offset > buffer.capacity() - length;
    }

    private static int align(final int length)
    {
        return (length + (ALIGNMENT - 1)) & -ALIGNMENT;
    }

    private void beginRecord(final int recordIndex, final int recordLength)
    {
        INT.setRelease(segment, (long)recordIndex, -recordLength);
        // The negative length must be visible before any body byte: unblock() scans zeroed space for headers.
        VarHandle.releaseFence();
    }

    private void commitRecord(final int recordIndex, final int recordLength, final int msgTypeId)
    {
        INT.set(segment, (long)recordIndex + TYPE_OFFSET, msgTypeId);
        // Release: body and type happen-before the consumer's acquire load of this positive length.
        INT.setRelease(segment, (long)recordIndex, recordLength);
    }

    private void abandonRecord(final int recordIndex, final int recordLength)
    {
        INT.set(segment, (long)recordIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
        INT.setRelease(segment, (long)recordIndex, recordLength);
    }

    /**
     * Zero a consumed span, then publish the new head: the release orders the zeroes before any
     * producer's reuse of the space.
     */
    private void release(final int index, final int length, final long newHead)
    {
        final MemorySegment segment = this.segment;
        if (length <= ZERO_BY_STORES_LIMIT)
        {
            for (long i = index, end = (long)index + length; i < end; i += 8)
            {
                LONG.set(segment, i, 0L);
            }
        }
        else
        {
            int done = 0;
            while (done < length)
            {
                final int chunk = Math.min(ZERO_CHUNK_LENGTH, length - done);
                MemorySegment.copy(ZEROES, 0, segment, (long)index + done, chunk);
                done += chunk;
            }
        }

        LONG.setRelease(segment, headPositionOffset, newHead);
    }

    /**
     * Consumer, on a record whose length cannot be a record's: shorter than a record header, or reaching past the
     * end of the record area (a producer never writes such a record: it pads to the end and wraps). Such a length
     * was written by a process that does not follow the protocol (or by memory corruption), so no later record
     * boundary up to the tail can be trusted: everything from {@code position} to the current tail is zeroed and
     * discarded, and the head jumps to the tail, where the next claim starts. Counted in {@link #corruptRecordCount()}
     * and {@link #discardedByteCount()}; a producer that was between its claim and its commit in the discarded span
     * loses its message (it was told OK), which is why the receiver counts and reports every resynchronisation.
     */
    private void discardToTail(final long position)
    {
        final MemorySegment segment = this.segment;
        final long tail = (long)LONG.getVolatile(segment, tailPositionOffset);
        final long span = Math.min(Math.max(0, tail - position), capacity);
        final int index = (int)position & mask;
        final long first = Math.min(span, capacity - index);
        segment.asSlice(index, first).fill((byte)0);
        if (span > first)
        {
            segment.asSlice(0, span - first).fill((byte)0);
        }
        corruptRecords++;
        discardedBytes += span;
        LONG.setRelease(segment, headPositionOffset, Math.max(tail, position));
    }

    /**
     * Consumer thread, off the hot path (an owner's duty slice): check the trailer's positions and repair them if
     * something other than the protocol wrote them (a misaligned or impossible head or tail). Producers meanwhile get
     * {@code NOT_CONNECTED}, never an exception.
     *
     * @return true when the trailer was damaged and has been repaired.
     */
    public boolean checkTrailer()
    {
        final long head = (long)LONG.getVolatile(segment, headPositionOffset);
        final long tail = (long)LONG.getVolatile(segment, tailPositionOffset);
        if (isPlausible(head, tail))
        {
            return false;
        }
        repairTrailer();
        return true;
    }

    /**
     * The trailer holds positions no producer or consumer following the protocol writes: nothing in the record area can
     * be trusted. Start afresh at an aligned position past both: zero the whole area, move the tail there (a producer
     * claiming meanwhile finds a plausible tail and goes on), then the head cache and the head. Counted as one corrupt
     * record and the capacity's bytes discarded.
     */
    private void repairTrailer()
    {
        final MemorySegment segment = this.segment;
        long tail;
        long fresh;
        do
        {
            tail = (long)LONG.getVolatile(segment, tailPositionOffset);
            final long head = (long)LONG.getVolatile(segment, headPositionOffset);
            fresh = (Math.max(Math.max(head, tail), 0) + ALIGNMENT - 1) & ~(long)(ALIGNMENT - 1);
        }
        while (!LONG.compareAndSet(segment, tailPositionOffset, tail, fresh));
        segment.asSlice(0, capacity).fill((byte)0);
        LONG.setRelease(segment, headCachePositionOffset, fresh);
        corruptRecords++;
        discardedBytes += capacity;
        LONG.setRelease(segment, headPositionOffset, fresh);
    }

    /**
     * Consumer thread: corrupt records met at the head so far, each answered by discarding the ring's contents up to
     * the tail (see {@link #read(MessageHandler, int)}). Counted by this instance, not in the shared segment.
     *
     * @return corrupt records seen by this consumer instance.
     */
    public long corruptRecordCount()
    {
        return corruptRecords;
    }

    /**
     * Consumer thread: bytes discarded by resynchronisations so far.
     *
     * @return bytes discarded by this consumer instance.
     */
    public long discardedByteCount()
    {
        return discardedBytes;
    }

    private boolean isZeroedBetween(final int from, final int to)
    {
        for (int i = to - ALIGNMENT; i >= from; i -= ALIGNMENT)
        {
            if (0 != (int)INT.getVolatile(segment, (long)i))
            {
                return false;
            }
        }
        return true;
    }

    private int recordIndexOfClaim(final int index)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (recordIndex < 0 || recordIndex > capacity - HEADER_LENGTH || 0 != (recordIndex & (ALIGNMENT - 1)))
        {
            throw new IllegalArgumentException("invalid claim index=" + index + " for ring capacity=" + capacity);
        }
        return recordIndex;
    }

    /**
     * @return the claim's negative length, or 0 when the consumer discarded the claim with the records around it (it
     * resynchronised after a corrupt record another producer wrote, zeroing everything up to the tail: in-flight
     * claims too). Its message is lost with the discarded span, which the consumer counts; committing it would write
     * a length into space the consumer has already freed.
     * @throws IllegalStateException if the claim was already committed or aborted.
     */
    private int verifyClaimOpen(final int recordIndex)
    {
        final int length = (int)INT.getAcquire(segment, (long)recordIndex);
        if (length <= 0)
        {
            return length;
        }

        throw new IllegalStateException("claim at index=" + (recordIndex + HEADER_LENGTH) + " was already " +
            (PADDING_MSG_TYPE_ID == (int)INT.get(segment, (long)recordIndex + TYPE_OFFSET) ? "aborted" : "committed"));
    }

    /**
     * Claim {@code required} bytes (already aligned) for one record; Agrona's algorithm. When the record
     * does not fit before the end of the area, the rest of the area is claimed too and turned into
     * padding, and the record goes at index 0 — or, if index 0 is not free yet, only the padding is
     * claimed (so the next claim starts at 0) and the caller is back-pressured.
     *
     * @return index of the record, or {@link #INSUFFICIENT_CAPACITY}.
     */
    /**
     * Positions any producer and consumer following the protocol can produce: both multiples of the alignment, the tail
     * at or after the head and at most a capacity ahead. Anything else was written by something else (a corrupt or
     * malicious process mapping the file): indexes computed from it could be misaligned or meaningless.
     */
    private boolean isPlausible(final long head, final long tail)
    {
        final long used = tail - head;
        return ((head | tail) & (ALIGNMENT - 1)) == 0 && used >= 0 && used <= capacity;
    }

    /**
     * Producer, after positions that looked impossible: read head, tail, head until the head stood still across the
     * tail read. Such a snapshot is consistent (the head cannot pass a tail read after it, nor the tail run more than
     * a capacity ahead of a head that did not move), so an impossible one means the trailer was written by something
     * else. A head that keeps moving belongs to a live consumer: not damaged.
     *
     * @return true when a consistent snapshot of the trailer is impossible.
     */
    private boolean damagedOnStableSnapshot()
    {
        final MemorySegment segment = this.segment;
        for (int i = 0; i < 64; i++)
        {
            final long before = (long)LONG.getVolatile(segment, headPositionOffset);
            final long tail = (long)LONG.getVolatile(segment, tailPositionOffset);
            final long after = (long)LONG.getVolatile(segment, headPositionOffset);
            if (before == after)
            {
                return !isPlausible(before, tail);
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private int claimCapacity(final int required)
    {
        final MemorySegment segment = this.segment;
        final int capacity = this.capacity;
        final int mask = this.mask;

        long head = (long)LONG.getVolatile(segment, headCachePositionOffset);
        long tail;
        long newTail;
        int tailIndex;
        int padding;
        int writeIndex;

        while (true)
        {
            tail = (long)LONG.getVolatile(segment, tailPositionOffset);
            if (!isPlausible(head, tail))
            {
                // The head cache may be stale or scribbled on: judge by the consumer's own head before giving up. Read
                // after the tail, a live head may have passed it (other producers and the consumer moved on between the
                // two reads): only a snapshot taken while the head stood still is evidence of damage.
                head = (long)LONG.getVolatile(segment, headPositionOffset);
                if (!isPlausible(head, tail))
                {
                    if (damagedOnStableSnapshot())
                    {
                        return DAMAGED;
                    }
                    head = (long)LONG.getVolatile(segment, headPositionOffset);
                    continue;
                }
            }
            final int available = capacity - (int)(tail - head);

            if (required > available)
            {
                head = (long)LONG.getVolatile(segment, headPositionOffset);
                if (!isPlausible(head, tail))
                {
                    if (damagedOnStableSnapshot())
                    {
                        return DAMAGED;
                    }
                    continue; // a fresh tail, read after this head
                }
                if (required > capacity - (int)(tail - head))
                {
                    return INSUFFICIENT_CAPACITY;
                }
                LONG.setRelease(segment, headCachePositionOffset, head);
            }

            newTail = tail + required;
            padding = 0;
            tailIndex = (int)tail & mask;
            writeIndex = tailIndex;
            final int toEnd = capacity - tailIndex;

            if (required > toEnd)
            {
                int headIndex = (int)head & mask;
                writeIndex = 0;

                if (required > headIndex)
                {
                    head = (long)LONG.getVolatile(segment, headPositionOffset);
                    headIndex = (int)head & mask;
                    if (required > headIndex)
                    {
                        writeIndex = INSUFFICIENT_CAPACITY;
                        newTail = tail; // claim only the padding to the end of the area
                    }
                    LONG.setRelease(segment, headCachePositionOffset, head);
                }

                padding = toEnd;
                newTail += padding;
            }
            if (LONG.compareAndSet(segment, tailPositionOffset, tail, newTail))
            {
                break;
            }
        }

        if (0 != padding)
        {
            INT.setRelease(segment, (long)tailIndex, -padding);
            VarHandle.releaseFence();
            INT.set(segment, (long)tailIndex + TYPE_OFFSET, PADDING_MSG_TYPE_ID);
            INT.setRelease(segment, (long)tailIndex, padding);
        }

        return writeIndex;
    }
}
