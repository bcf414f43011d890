package dev.switchboard.transport;

import java.nio.ByteOrder;

import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writing and checking the schema's {@code DirectFrame} block in place: the 24-byte header of a point-to-point frame on
 * a direct path, written without an SBE message header (the carrier's {@link FrameTypes#direct} type says what it is),
 * followed by the payload to the end of the record.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  sourceAgentId (int64, LE)                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  correlationId (int64, LE)                    |  8
 *  |                                                               |
 *  +---------------+---------------+---------------+---------------+
 *  |   pattern     |   priority    |    flags      | layoutVersion |  16
 *  +---------------+---------------+---------------+---------------+
 *  |                      reserved, zero (uint32)                  |  20
 *  +---------------------------------------------------------------+
 *  |                  payload ... (to the end of the record)       |  24
 * </pre>
 * The offsets are the generated codec's ({@link DirectFrameDecoder}); {@code DirectFramesTest} checks that they agree.
 * Bytes 16..19 are written as one int so that a send makes four stores for its header.
 *
 * <p>Thread-safety: stateless. Allocation: none.
 */
public final class DirectFrames
{
    /** Length of the header: the payload starts here. */
    public static final int HEADER_LENGTH = DirectFrameDecoder.BLOCK_LENGTH;
    /** The layout version this code writes and reads. */
    public static final short LAYOUT_VERSION = 1;
    /** Offset of the source agent id. */
    public static final int SOURCE_AGENT_ID_OFFSET = DirectFrameDecoder.sourceAgentIdEncodingOffset();
    /** Offset of the correlation id. */
    public static final int CORRELATION_ID_OFFSET = DirectFrameDecoder.correlationIdEncodingOffset();
    /** Offset of the pattern byte. */
    public static final int PATTERN_OFFSET = DirectFrameDecoder.patternEncodingOffset();
    /** Offset of the priority byte. */
    public static final int PRIORITY_OFFSET = DirectFrameDecoder.priorityEncodingOffset();
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = DirectFrameDecoder.flagsEncodingOffset();
    /** Offset of the layout version byte. */
    public static final int LAYOUT_VERSION_OFFSET = DirectFrameDecoder.layoutVersionEncodingOffset();
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET = DirectFrameDecoder.reservedEncodingOffset();

    private DirectFrames()
    {
    }

    /**
     * Write a header at {@code index}.
     *
     * @param buffer        where the frame is.
     * @param index         of the header.
     * @param sourceAgentId the sender.
     * @param correlationId request/response pairing, 0 for a send.
     * @param pattern       {@code Pattern.value()}.
     * @param priority      {@code Priority.value()}.
     * @param flags         envelope flags (low 8 bits).
     */
    public static void writeHeader(
        final MutableDirectBuffer buffer,
        final int index,
        final long sourceAgentId,
        final long correlationId,
        final short pattern,
        final short priority,
        final int flags)
    {
        buffer.putLong(index + SOURCE_AGENT_ID_OFFSET, sourceAgentId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(index + CORRELATION_ID_OFFSET, correlationId, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(index + PATTERN_OFFSET,
            (pattern & 0xFF) | (priority & 0xFF) << 8 | (flags & 0xFF) << 16 | LAYOUT_VERSION << 24,
            ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(index + RESERVED_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Check a received frame before anything in it is trusted: long enough, this layout, a point-to-point pattern and
     * a known priority.
     *
     * @param buffer where the frame is.
     * @param index  of the header.
     * @param length of the frame, header and payload.
     * @return true when it can be read.
     */
    public static boolean isValid(final DirectBuffer buffer, final int index, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int word = buffer.getInt(index + PATTERN_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int pattern = word & 0xFF;
        final int priority = (word >>> 8) & 0xFF;
        final int version = word >>> 24;
        return version == LAYOUT_VERSION &&
            (pattern == Pattern.SEND.value() || pattern == Pattern.REQUEST.value() ||
                pattern == Pattern.RESPONSE.value()) &&
            priority <= Priority.BATCH.value();
    }

    /**
     * @param buffer where the frame is.
     * @param index  of the header.
     * @return the source agent id.
     */
    public static long sourceAgentId(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + SOURCE_AGENT_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer where the frame is.
     * @param index  of the header.
     * @return the correlation id.
     */
    public static long correlationId(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + CORRELATION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer where the frame is.
     * @param index  of the header.
     * @return the pattern, of a frame {@link #isValid}.
     */
    public static Pattern pattern(final DirectBuffer buffer, final int index)
    {
        return Pattern.get((short)(buffer.getByte(index + PATTERN_OFFSET) & 0xFF));
    }

    /**
     * @param buffer where the frame is.
     * @param index  of the header.
     * @return the priority, of a frame {@link #isValid}.
     */
    public static Priority priority(final DirectBuffer buffer, final int index)
    {
        return Priority.get((short)(buffer.getByte(index + PRIORITY_OFFSET) & 0xFF));
    }

    /**
     * @param buffer where the frame is.
     * @param index  of the header.
     * @return the flags.
     */
    public static int flags(final DirectBuffer buffer, final int index)
    {
        return buffer.getByte(index + FLAGS_OFFSET) & 0xFF;
    }
}
