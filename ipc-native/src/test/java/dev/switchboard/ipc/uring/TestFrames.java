package dev.switchboard.ipc.uring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Frames with checkable content for the HIGH tests: frame {@code seq} is {@link #length(long)} bytes, a
 * little-endian long {@code seq} followed by bytes {@code (byte)(seq + i)}, so order, count and integrity can all be
 * verified by the receiver. Runs with no Unsafe (a {@link SegmentBuffer}), as a client process does.
 */
final class TestFrames
{
    static final int MIN_LENGTH = 8;
    static final int SPREAD = 57;
    static final int MAX_LENGTH = MIN_LENGTH + SPREAD - 1;

    private TestFrames()
    {
    }

    static int length(final long seq)
    {
        return MIN_LENGTH + (int)(seq % SPREAD);
    }

    /**
     * Write frame {@code seq} at offset 0.
     *
     * @return its length.
     */
    static int encode(final SegmentBuffer buffer, final long seq)
    {
        final int length = length(seq);
        buffer.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
        for (int i = MIN_LENGTH; i < length; i++)
        {
            buffer.putByte(i, (byte)(seq + i));
        }
        return length;
    }

    /**
     * @return null when the frame is frame {@code expectedSeq} intact, else what is wrong.
     */
    static String verify(final DirectBuffer buffer, final int offset, final int length, final long expectedSeq)
    {
        if (length < MIN_LENGTH)
        {
            return "frame of " + length + " bytes, expected seq " + expectedSeq;
        }

        final long seq = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        if (seq != expectedSeq)
        {
            return "seq " + seq + " where " + expectedSeq + " was expected";
        }
        if (length != length(seq))
        {
            return "seq " + seq + " has length " + length + ", expected " + length(seq);
        }
        for (int i = MIN_LENGTH; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(seq + i))
            {
                return "seq " + seq + " corrupt at byte " + i;
            }
        }

        return null;
    }
}
