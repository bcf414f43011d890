/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;

/**
 * One non-blocking Unix domain socket connection of {@link UdsNioCase} and {@link UdsRelayCase}, framing messages on
 * the stream:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              length of the payload (int, little endian)       |  0
 *  +---------------------------------------------------------------+
 *  |             payload: the {@link Payload} layout, length bytes ... 4
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Reads go into a direct buffer that keeps a partial frame for the next poll; a write that the kernel takes only
 * in part is finished (spinning) before {@link #offer} returns true, so frames never interleave and a false return
 * always means nothing of the frame was sent.
 *
 * <p>Thread-safety: one thread. Allocation: none per message (both buffers are made once; NIO reads and writes
 * direct buffers without copying through a temporary one).
 */
final class UdsConnection implements AutoCloseable
{
    /** Offset of the payload length in a frame. */
    static final int LENGTH_OFFSET = 0;
    /** Length of the frame header: the payload length. */
    static final int HEADER_LENGTH = 4;
    /** Smallest read buffer, so that a read takes many small frames at once. */
    static final int MIN_READ_BUFFER_LENGTH = 64 * 1024;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final String caseId;
    private final SocketChannel channel;
    private final int maxPayloadLength;
    // In write mode between polls: position = bytes received and not yet delivered.
    private final ByteBuffer in;
    private final ByteBuffer out;
    private boolean closedByPeer;

    /**
     * @param caseId           the case, for messages.
     * @param channel          a connected channel, already non-blocking.
     * @param maxPayloadLength the largest payload either side sends.
     */
    UdsConnection(final String caseId, final SocketChannel channel, final int maxPayloadLength)
    {
        this.caseId = caseId;
        this.channel = channel;
        this.maxPayloadLength = Math.max(maxPayloadLength, Payload.MIN_LENGTH);
        final int frameMax = HEADER_LENGTH + this.maxPayloadLength;
        this.in = ByteBuffer.allocateDirect(Math.max(MIN_READ_BUFFER_LENGTH, 2 * frameMax)).order(ORDER);
        this.out = ByteBuffer.allocateDirect(frameMax).order(ORDER);
    }

    /**
     * Send one frame.
     *
     * @return true when the whole frame was written; false when the socket took none of it.
     * @throws UncheckedIOException when the peer is gone, or a partial frame cannot be finished within
     *                              {@link PeerLimits#openTimeoutMs()}.
     */
    boolean offer(final long stamp, final long seq, final int kind, final int length)
    {
        final ByteBuffer buffer = out;
        buffer.clear();
        buffer.putInt(LENGTH_OFFSET, length);
        buffer.putLong(HEADER_LENGTH + Payload.STAMP_OFFSET, stamp);
        buffer.putLong(HEADER_LENGTH + Payload.SEQ_OFFSET, seq);
        buffer.putInt(HEADER_LENGTH + Payload.KIND_OFFSET, kind);
        buffer.limit(HEADER_LENGTH + length);
        try
        {
            if (channel.write(buffer) == 0)
            {
                return false;
            }
            if (buffer.hasRemaining())
            {
                finishWrite(buffer);
            }
            return true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(caseId + ": write failed (the peer closed the socket?)", ex);
        }
    }

    private void finishWrite(final ByteBuffer buffer) throws IOException
    {
        // Rare: the socket's send buffer filled mid-frame. The peer is draining it (it polls), so spin until it does.
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PeerLimits.openTimeoutMs());
        while (buffer.hasRemaining())
        {
            if (channel.write(buffer) == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException("the peer read nothing for " + PeerLimits.openTimeoutMs() + " ms with " +
                        buffer.remaining() + " bytes of a frame left to write");
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Read what has arrived and deliver each whole frame, at most {@link PeerLimits#POLL_LIMIT}.
     *
     * @return frames delivered.
     * @throws UncheckedIOException  when the read fails.
     * @throws IllegalStateException when a frame's length is outside [{@link Payload#MIN_LENGTH}, max payload].
     */
    int poll(final Inbound handler)
    {
        final ByteBuffer buffer = in;
        if (!closedByPeer && buffer.hasRemaining())
        {
            final int read;
            try
            {
                read = channel.read(buffer);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(caseId + ": read failed", ex);
            }
            if (read < 0)
            {
                closedByPeer = true;
            }
        }
        if (buffer.position() < HEADER_LENGTH)
        {
            return 0;
        }
        buffer.flip();
        int delivered = 0;
        while (delivered < PeerLimits.POLL_LIMIT && buffer.remaining() >= HEADER_LENGTH)
        {
            final int frame = buffer.position();
            final int length = buffer.getInt(frame + LENGTH_OFFSET);
            if (length < Payload.MIN_LENGTH || length > maxPayloadLength)
            {
                throw new IllegalStateException(caseId + ": corrupt stream: frame length " + length +
                    " outside [" + Payload.MIN_LENGTH + ", " + maxPayloadLength + "]");
            }
            if (buffer.remaining() < HEADER_LENGTH + length)
            {
                break;
            }
            final int payload = frame + HEADER_LENGTH;
            final long stamp = buffer.getLong(payload + Payload.STAMP_OFFSET);
            final long seq = buffer.getLong(payload + Payload.SEQ_OFFSET);
            final int kind = buffer.getInt(payload + Payload.KIND_OFFSET);
            buffer.position(payload + length);
            delivered++;
            handler.onMessage(stamp, seq, kind);
        }
        buffer.compact();
        return delivered;
    }

    /**
     * @return true once the peer closed its side and every whole frame it sent was delivered.
     */
    boolean isDrained()
    {
        if (!closedByPeer)
        {
            return false;
        }
        final int buffered = in.position();
        // A peer's offer never leaves half a frame, so a partial one here can only be cut by a crash: drop it.
        return buffered < HEADER_LENGTH || buffered < HEADER_LENGTH + in.getInt(LENGTH_OFFSET);
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing a socket we are done with: nothing to act on.
        }
    }

    /**
     * One side's endpoint on its own connection (the raw socket peers' initiators and responders); a side that does
     * not receive (a producer other than the first: the responder answers producer 0 only) polls nothing.
     * Thread-safety: one thread. Allocation: none per message.
     */
    static final class Endpoint implements BenchEndpoint
    {
        private final UdsConnection connection;
        private final boolean receives;

        Endpoint(final UdsConnection connection, final boolean receives)
        {
            this.connection = connection;
            this.receives = receives;
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            return connection.offer(stamp, seq, kind, length);
        }

        @Override
        public int poll(final Inbound handler)
        {
            return receives ? connection.poll(handler) : 0;
        }

        @Override
        public void close()
        {
            connection.close();
        }
    }
}
