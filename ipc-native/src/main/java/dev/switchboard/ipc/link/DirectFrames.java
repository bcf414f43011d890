package dev.switchboard.ipc.link;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The schema's {@code directFrameHeader} composite, the first 24 bytes of every frame on an agent-to-agent link (and
 * of every direct frame on a shared-memory inbox), written and checked in place. SBE generates no flyweight for a
 * composite that no message uses, so the offsets are named here; {@code DirectFramesTest} checks them against the
 * schema.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  sourceAgentId (int64, LE)                    |  0
 *  +---------------------------------------------------------------+
 *  |                  correlationId (int64, LE)                    |  8
 *  +---------------+---------------+---------------+---------------+
 *  |   pattern     |   priority    |    flags      | layoutVersion |  16
 *  +---------------+---------------+---------------+---------------+
 *  |                      reserved (uint32, 0)                     |  20
 *  +---------------------------------------------------------------+  24: the payload, to the end of the frame
 * </pre>
 *
 * <p>Thread-safety: stateless. Allocation: none.
 */
public final class DirectFrames
{
    /** Bytes of the header. */
    public static final int HEADER_LENGTH = 24;
    /** Offset of the sender's agent id. */
    public static final int SOURCE_AGENT_ID_OFFSET = 0;
    /** Offset of the correlation id. */
    public static final int CORRELATION_ID_OFFSET = 8;
    /** Offset of the pattern ({@code Pattern} value). */
    public static final int PATTERN_OFFSET = 16;
    /** Offset of the priority ({@code Priority} value). */
    public static final int PRIORITY_OFFSET = 17;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 18;
    /** Offset of the layout version. */
    public static final int LAYOUT_VERSION_OFFSET = 19;
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET = 20;
    /** The layout version this code writes and reads. */
    public static final int LAYOUT_VERSION = 1;

    private DirectFrames()
    {
    }

    /**
     * Write a header in place.
     *
     * @param buffer        where.
     * @param offset        of the header.
     * @param sourceAgentId the sender.
     * @param correlationId request/response pairing, 0 for a send.
     * @param pattern       {@code Pattern.value()}.
     * @param priority      {@code Priority.value()}.
     * @param flags         envelope flags (low 8 bits).
     */
    public static void writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sourceAgentId,
        final long correlationId,
        final short pattern,
        final short priority,
        final int flags)
    {
        buffer.putLong(offset + SOURCE_AGENT_ID_OFFSET, sourceAgentId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(offset + PATTERN_OFFSET, (byte)pattern);
        buffer.putByte(offset + PRIORITY_OFFSET, (byte)priority);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putByte(offset + LAYOUT_VERSION_OFFSET, (byte)LAYOUT_VERSION);
        buffer.putInt(offset + RESERVED_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer holding a frame.
     * @param offset of the frame.
     * @return its sender's agent id.
     */
    public static long sourceAgentId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SOURCE_AGENT_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer holding a frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return true when it is long enough for the header and carries this layout version.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= HEADER_LENGTH && buffer.getByte(offset + LAYOUT_VERSION_OFFSET) == LAYOUT_VERSION;
    }
}
