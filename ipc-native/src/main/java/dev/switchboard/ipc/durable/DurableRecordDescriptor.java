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
 * not was not written by {@link DurableOutbox} and is reported, not delivered. A frame is usually an SBE
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

    private DurableRecordDescriptor()
    {
    }
}
