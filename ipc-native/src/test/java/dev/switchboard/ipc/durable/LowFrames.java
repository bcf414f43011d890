package dev.switchboard.ipc.durable;

import java.lang.foreign.Arena;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.DirectBuffer;

/**
 * Test frames whose content is a function of a sequence number, so a receiver can check each frame it
 * gets: part a is the sequence (int64 LE), part b is {@code seq % 61} bytes, byte {@code j} being
 * {@code (byte)(seq * 31 + j)}. Native memory only (SegmentBuffer), so child JVMs need no Agrona flag.
 */
final class LowFrames
{
    static final int HEADER_LENGTH = Long.BYTES;
    static final int MAX_PAYLOAD_LENGTH = 60;

    private final SegmentBuffer header = SegmentBuffer.allocate(Arena.ofAuto(), HEADER_LENGTH);
    private final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), MAX_PAYLOAD_LENGTH);

    /**
     * Fill the two parts for {@code seq}.
     *
     * @param seq the sequence number.
     * @return the payload length.
     */
    int fill(final long seq)
    {
        header.putLong(0, seq);
        final int length = payloadLength(seq);
        for (int j = 0; j < length; j++)
        {
            payload.putByte(j, (byte)(seq * 31 + j));
        }
        return length;
    }

    DirectBuffer header()
    {
        return header;
    }

    DirectBuffer payload()
    {
        return payload;
    }

    /**
     * Append frame {@code seq} through an outbox.
     *
     * @return the outbox status.
     */
    int append(final DurableOutbox outbox, final String destination, final long seq)
    {
        final int length = fill(seq);
        return outbox.append(destination, header, 0, HEADER_LENGTH, payload, 0, length);
    }

    static int payloadLength(final long seq)
    {
        return (int)(seq % 61);
    }

    /**
     * @return the sequence number of a well-formed frame, or -1 when the frame is not exactly what
     * {@link #fill(long)} produced.
     */
    static long check(final DirectBuffer buffer, final int index, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return -1;
        }
        final long seq = buffer.getLong(index);
        if (seq < 0 || length != HEADER_LENGTH + payloadLength(seq))
        {
            return -1;
        }
        for (int j = 0; j < length - HEADER_LENGTH; j++)
        {
            if (buffer.getByte(index + HEADER_LENGTH + j) != (byte)(seq * 31 + j))
            {
                return -1;
            }
        }
        return seq;
    }
}
