package dev.switchboard.ipc.durable;

/**
 * Layout of one LOW record: the body of one Chronicle document (Chronicle adds its own 4-byte document
 * header before it, which carries the document length and the ready/metadata bits).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     frame length (int32 LE)                   |  FRAME_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |                 frame: part a then part b, as sent            |  FRAME_OFFSET
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * The frame length equals the document body length minus {@link #HEADER_LENGTH}; a record where it does
 * not was not written by {@link DurableOutbox} and is reported, not delivered, unless it is an <em>origin record</em>.
 *
 * <p><b>Origin record.</b> A frame that a router appended for a peer router (LOW across hosts,
 * {@link DurableOutbox#appendWithOrigin}) carries a trailer after the frame, so that the index it had in the queue on
 * the sender's host is stored atomically with the append (one Chronicle document) and the de-duplication survives a
 * kill of the appending router ({@link DurableOrigins}):
 * <pre>
 *  | frame length | frame | origin index (int64 LE) | origin id (int64 LE) | ORIGIN_MAGIC (int32 LE) |
 * </pre>
 * Its body is {@link #HEADER_LENGTH} + frame length + {@link #ORIGIN_TRAILER_LENGTH}; readers deliver the frame only. A frame is usually an SBE
 * message header plus its message, exactly as on the other tiers.
 *
 * <p>Thread-safety: constants only. Allocation: none.
 */
public final class DurableRecordDescriptor
{
    /** Offset of the frame length, an int32 little-endian. */
    public static final int FRAME_LENGTH_OFFSET = 0;
    /** Offset of the first byte of the frame. */
    public static final int FRAME_OFFSET = FRAME_LENGTH_OFFSET + Integer.BYTES;
    /** Bytes before the frame. */
    public static final int HEADER_LENGTH = FRAME_OFFSET;
    /** Bytes of an origin record's trailer, after the frame. */
    public static final int ORIGIN_TRAILER_LENGTH = 2 * Long.BYTES + Integer.BYTES;
    /** Offset, from the end of the frame, of the origin index. */
    public static final int ORIGIN_INDEX_OFFSET = 0;
    /** Offset, from the end of the frame, of the origin id. */
    public static final int ORIGIN_ID_OFFSET = Long.BYTES;
    /** Offset, from the end of the frame, of the magic. */
    public static final int ORIGIN_MAGIC_OFFSET = 2 * Long.BYTES;
    /** The last int32 of an origin record ("SBLO" in ASCII, little-endian). */
    public static final int ORIGIN_MAGIC = 0x4F4C4253;

    private DurableRecordDescriptor()
    {
    }
}
