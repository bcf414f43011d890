package dev.switchboard.ring;

/**
 * Memory layout of a {@link ManyToOneRing}: the file (or segment) a Java or C process maps to exchange
 * messages. Every offset a mapper needs is a named constant here; nobody should reverse-engineer one.
 *
 * <h2>Segment</h2>
 * The segment is the record area, whose length ({@code capacity}) is a power of two between
 * {@link #MIN_CAPACITY} and {@link #MAX_CAPACITY}, followed by a trailer of {@link #TRAILER_LENGTH} bytes.
 * Its size is therefore {@code capacity + TRAILER_LENGTH}; a mapper derives the capacity from the file
 * size and checks it against {@link #CAPACITY_OFFSET}. The segment's base address must be 8-byte aligned
 * (a page-aligned mapping always is). All integers are in the host's native byte order (little-endian
 * on x86-64 and AArch64): the ring is shared between processes on one host, never across hosts.
 * <pre>
 *   0                                                   capacity           capacity + TRAILER_LENGTH
 *   +---------------------------------------------------+----------------------------------+
 *   |  records (8-byte aligned, see below)       ...    |  trailer (metadata, see below)   |
 *   +---------------------------------------------------+----------------------------------+
 * </pre>
 *
 * <h2>Trailer</h2>
 * Offsets are relative to the start of the trailer ({@code capacity}). Each field written at run time
 * has a 128-byte block of its own (two cache lines, so the adjacent-line prefetcher does not make
 * producers and the consumer share a line). The positions are byte counts that only grow; a position's
 * index in the record area is {@code position & (capacity - 1)}. This is Agrona's
 * {@code RingBufferDescriptor} layout exactly, plus an identity block in the first 128 bytes, which
 * Agrona leaves unused: an Agrona {@code ManyToOneRingBuffer} (or Aeron's C {@code aeron_mpsc_rb_t}) can
 * operate on the same memory.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Magic (int, {@link #MAGIC})                  |  0   MAGIC_OFFSET
 *  +---------------------------------------------------------------+
 *  |                 Version (int, {@link #VERSION})               |  4   VERSION_OFFSET
 *  +---------------------------------------------------------------+
 *  |                   Capacity (int, data bytes)                  |  8   CAPACITY_OFFSET
 *  +---------------------------------------------------------------+
 *  |                  Reserved, zero (to 128)                     ...  12
 *  +---------------------------------------------------------------+
 *  |          Tail position (long): written by producers (CAS)     |  128 TAIL_POSITION_OFFSET
 *  |                  padding to 256                              ...
 *  +---------------------------------------------------------------+
 *  |   Head cache position (long): producers' copy of the head     |  256 HEAD_CACHE_POSITION_OFFSET
 *  |                  padding to 384                              ...
 *  +---------------------------------------------------------------+
 *  |          Head position (long): written by the consumer        |  384 HEAD_POSITION_OFFSET
 *  |                  padding to 512                              ...
 *  +---------------------------------------------------------------+
 *  |    Correlation counter (long): fetch-and-add by anyone        |  512 CORRELATION_COUNTER_OFFSET
 *  |                  padding to 640                              ...
 *  +---------------------------------------------------------------+
 *  |   Consumer heartbeat (long, epoch ms or ns by convention)     |  640 CONSUMER_HEARTBEAT_OFFSET
 *  |                  padding to 768                              ...
 *  +---------------------------------------------------------------+  768 TRAILER_LENGTH
 * </pre>
 * The creator writes capacity and version, then release-stores the magic last, so a mapper that reads
 * the magic with acquire semantics also sees a valid capacity and version.
 *
 * <h2>Record</h2>
 * Records start at 8-byte aligned indexes ({@link #ALIGNMENT}); a record occupies
 * {@code align(HEADER_LENGTH + length, ALIGNMENT)} bytes. A record never wraps: when one does not fit
 * before the end of the record area, the producer fills the rest with a padding record
 * ({@link #PADDING_MSG_TYPE_ID}) and writes its record at index 0.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Record length (int; its sign is the commit flag)    |  0 LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |                    Message type id (int)                      |  4 TYPE_OFFSET
 *  +---------------------------------------------------------------+
 *  |                        Message body                          ...  8 HEADER_LENGTH
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * The record length counts header plus body, unaligned. Its sign is the commit flag:
 * <ul>
 *   <li>{@code 0}: free, or claimed by a producer that has not yet written its header;</li>
 *   <li>negative: claimed, being written; {@code -length} is the record's length;</li>
 *   <li>positive: committed; the consumer may read it.</li>
 * </ul>
 * Message type ids of messages are {@code >= 1}; {@link #PADDING_MSG_TYPE_ID} marks padding (space
 * skipped at the end of the area, an aborted claim, or a claim unblocked after its producer died).
 * The consumer zeroes every byte it consumes before it moves the head, so free space always reads 0.
 *
 * <p>Thread-safety: constants and pure functions only. Allocation: none.
 */
public final class RingDescriptor
{
    /** Length of one cache line assumed for padding, in bytes. */
    public static final int CACHE_LINE_LENGTH = 64;

    /** Offset in the trailer of the magic number identifying a Switchboard ring. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset in the trailer of the layout version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset in the trailer of the capacity (length of the record area) the ring was created with. */
    public static final int CAPACITY_OFFSET = 8;
    /** Offset in the trailer of the tail position: bytes ever claimed by producers. */
    public static final int TAIL_POSITION_OFFSET = 2 * CACHE_LINE_LENGTH;
    /** Offset in the trailer of the head cache: a producers' copy of the head, refreshed when stale. */
    public static final int HEAD_CACHE_POSITION_OFFSET = 4 * CACHE_LINE_LENGTH;
    /** Offset in the trailer of the head position: bytes ever consumed by the consumer. */
    public static final int HEAD_POSITION_OFFSET = 6 * CACHE_LINE_LENGTH;
    /** Offset in the trailer of the correlation id counter. */
    public static final int CORRELATION_COUNTER_OFFSET = 8 * CACHE_LINE_LENGTH;
    /** Offset in the trailer of the consumer heartbeat time. */
    public static final int CONSUMER_HEARTBEAT_OFFSET = 10 * CACHE_LINE_LENGTH;
    /** Length of the trailer in bytes. */
    public static final int TRAILER_LENGTH = 12 * CACHE_LINE_LENGTH;

    /** Magic number at {@link #MAGIC_OFFSET}: the bytes {@code 'S' 'W' 'B' 'R'} in little-endian order. */
    public static final int MAGIC = 0x52425753;
    /** Version of this layout, at {@link #VERSION_OFFSET}. */
    public static final int VERSION = 1;

    /** Smallest capacity of the record area; its maximum message length is 8 bytes. */
    public static final int MIN_CAPACITY = 64;
    /** Largest capacity of the record area (1 GiB). */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Offset in a record of its length (header plus body; negative while being written). */
    public static final int LENGTH_OFFSET = 0;
    /** Offset in a record of its message type id. */
    public static final int TYPE_OFFSET = 4;
    /** Length of a record header: length then type, two ints. */
    public static final int HEADER_LENGTH = 8;
    /** Alignment of every record's start, in bytes. */
    public static final int ALIGNMENT = HEADER_LENGTH;
    /** Message type id of a padding record, which the consumer skips. */
    public static final int PADDING_MSG_TYPE_ID = -1;

    private RingDescriptor()
    {
    }

    /**
     * Size of the segment (or file) that holds a ring of the given capacity.
     *
     * @param capacity length of the record area: a power of two in [{@link #MIN_CAPACITY},
     *                 {@link #MAX_CAPACITY}].
     * @return {@code capacity + TRAILER_LENGTH}.
     * @throws IllegalArgumentException if the capacity is not a power of two in range.
     */
    public static long requiredSize(final int capacity)
    {
        checkCapacity(capacity);
        return (long)capacity + TRAILER_LENGTH;
    }

    /**
     * Check a capacity of the record area.
     *
     * @param capacity to check.
     * @return the capacity.
     * @throws IllegalArgumentException naming the value if it is not a power of two in
     *                                  [{@link #MIN_CAPACITY}, {@link #MAX_CAPACITY}].
     */
    public static int checkCapacity(final long capacity)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || 0 != (capacity & (capacity - 1)))
        {
            throw new IllegalArgumentException(
                "ring capacity must be a power of two in [" + MIN_CAPACITY + ", " + MAX_CAPACITY +
                "] bytes: capacity=" + capacity);
        }
        return (int)capacity;
    }

    /**
     * Maximum message body length for a capacity: one eighth of it, as in Agrona.
     *
     * @param capacity a checked capacity.
     * @return {@code capacity / 8}.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity >> 3;
    }

    /**
     * Space a record with a body of the given length occupies in the record area.
     *
     * @param bodyLength length of the message body.
     * @return {@code align(HEADER_LENGTH + bodyLength, ALIGNMENT)}.
     */
    public static int alignedRecordLength(final int bodyLength)
    {
        return (HEADER_LENGTH + bodyLength + (ALIGNMENT - 1)) & -ALIGNMENT;
    }

    /**
     * Offset of a record's length field.
     *
     * @param recordIndex index of the record's start in the record area.
     * @return index of its length field.
     */
    public static int lengthOffset(final int recordIndex)
    {
        return recordIndex + LENGTH_OFFSET;
    }

    /**
     * Offset of a record's type field.
     *
     * @param recordIndex index of the record's start in the record area.
     * @return index of its type field.
     */
    public static int typeOffset(final int recordIndex)
    {
        return recordIndex + TYPE_OFFSET;
    }

    /**
     * Offset of a record's body.
     *
     * @param recordIndex index of the record's start in the record area.
     * @return index of its first body byte.
     */
    public static int bodyOffset(final int recordIndex)
    {
        return recordIndex + HEADER_LENGTH;
    }
}
