package dev.switchboard.ipc.socket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;

/**
 * Length-framed frames over a non-blocking Unix domain {@link SocketChannel}: each frame is a 32-bit
 * little-endian length followed by that many bytes (one SBE frame). Partial reads and partial writes are
 * handled: unread bytes stay in the receive buffer until the rest arrives, unwritten bytes stay in the send
 * buffer until the socket takes them.
 * <pre>
 *   0               4                               4 + length
 *   +---------------+-------------------------------+
 *   | length (LE)   | SBE frame (header + message)  |  next frame ...
 *   +---------------+-------------------------------+
 * </pre>
 * A length of zero, a negative length or one above the maximum frame length is a protocol error: the
 * channel closes with a reason ({@link #closeReason()}), it never tries to allocate or skip.
 *
 * <p>Thread-safety: one thread at a time. Allocation: none per frame; the buffers are direct memory
 * allocated once.
 */
public final class FrameChannel implements AutoCloseable
{
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX = 4;

    /** Receives each complete frame; returning false leaves it (and what follows) for the next read. */
    @FunctionalInterface
    public interface FrameHandler
    {
        /**
         * @param buffer holding the frame (valid during the call only).
         * @param offset of the frame.
         * @param length of the frame.
         * @return true when the frame was taken; false to stop and keep it.
         */
        boolean onFrame(DirectBuffer buffer, int offset, int length);
    }

    private final SocketChannel channel;
    private final int maxFrameLength;
    private final ByteBuffer in;
    private final SegmentBuffer inView;
    private final ByteBuffer out;
    private final SegmentBuffer outView;
    private int parsePosition;
    private long framesQueued;
    private boolean stopped;
    private boolean peerClosed;
    private volatile boolean open = true;
    private String closeReason;

    /**
     * @param channel        a connected socket channel; switched to non-blocking here.
     * @param maxFrameLength largest frame accepted either way.
     * @param sendBufferSize bytes of frames that may wait for the socket; at least one maximal frame.
     * @throws IOException if the channel cannot be made non-blocking.
     */
    public FrameChannel(final SocketChannel channel, final int maxFrameLength, final int sendBufferSize)
        throws IOException
    {
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
        channel.configureBlocking(false);
        final int inSize = Math.max(64 * 1024, 2 * (maxFrameLength + LENGTH_PREFIX));
        this.in = ByteBuffer.allocateDirect(inSize).order(ByteOrder.LITTLE_ENDIAN);
        this.inView = new SegmentBuffer(MemorySegment.ofBuffer(in));
        final int outSize = Math.max(sendBufferSize, maxFrameLength + LENGTH_PREFIX);
        this.out = ByteBuffer.allocateDirect(outSize).order(ByteOrder.LITTLE_ENDIAN);
        this.outView = new SegmentBuffer(MemorySegment.ofBuffer(out));
        out.limit(0);
    }

    /**
     * @return the socket.
     */
    public SocketChannel channel()
    {
        return channel;
    }

    /**
     * @return largest frame accepted.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * Queue a frame of two parts and try to write it out.
     *
     * @param a       first part.
     * @param aOffset its offset.
     * @param aLength its length.
     * @param b       second part.
     * @param bOffset its offset.
     * @param bLength its length.
     * @return {@link OfferStatus#OK}, {@link OfferStatus#BACK_PRESSURED} when the send buffer cannot take the
     * frame yet, {@link OfferStatus#TOO_LARGE}, or {@link OfferStatus#NOT_CONNECTED} once closed.
     */
    public int write(
        final DirectBuffer a, final int aOffset, final int aLength,
        final DirectBuffer b, final int bOffset, final int bLength)
    {
        return write(a, aOffset, aLength, b, bOffset, bLength, 0);
    }

    /**
     * Queue a frame of two parts; write to the socket only once at least {@code flushThreshold} bytes wait
     * (0: at once). Batching frames into one write saves a system call per frame; the caller then
     * {@link #flush() flushes} at the end of its duty cycle.
     *
     * @param a              first part.
     * @param aOffset        its offset.
     * @param aLength        its length.
     * @param b              second part.
     * @param bOffset        its offset.
     * @param bLength        its length.
     * @param flushThreshold bytes waiting that trigger a write now.
     * @return as {@link #write(DirectBuffer, int, int, DirectBuffer, int, int)}.
     */
    public int write(
        final DirectBuffer a, final int aOffset, final int aLength,
        final DirectBuffer b, final int bOffset, final int bLength,
        final int flushThreshold)
    {
        if (!open)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int length = aLength + bLength;
        if (length > maxFrameLength)
        {
            return OfferStatus.TOO_LARGE;
        }
        if (length <= 0)
        {
            return OfferStatus.REJECTED;
        }
        // out is in "drain" mode: [position, limit) waits for the socket. Append after limit.
        if (out.capacity() - out.limit() < length + LENGTH_PREFIX)
        {
            flush();
            // Compact only once a quarter of the buffer has drained: moving the waiting bytes each time a
            // few were written would cost a large copy per frame while the peer reads slowly.
            if (out.position() >= out.capacity() / 4)
            {
                out.compact().flip();
            }
            if (out.capacity() - out.limit() < length + LENGTH_PREFIX)
            {
                return open ? OfferStatus.BACK_PRESSURED : OfferStatus.NOT_CONNECTED;
            }
        }
        int at = out.limit();
        outView.putInt(at, length, ByteOrder.LITTLE_ENDIAN);
        at += LENGTH_PREFIX;
        outView.putBytes(at, a, aOffset, aLength);
        if (bLength > 0)
        {
            outView.putBytes(at + aLength, b, bOffset, bLength);
        }
        out.limit(at + length);
        framesQueued++;
        if (out.remaining() >= flushThreshold)
        {
            flush();
        }
        return open ? OfferStatus.OK : OfferStatus.NOT_CONNECTED;
    }

    /**
     * @return frames accepted by {@code write} since this channel opened (a reader may use it to expect a reply).
     */
    public long framesQueued()
    {
        return framesQueued;
    }

    /**
     * Write what the socket will take now.
     *
     * @return bytes still waiting.
     */
    public int flush()
    {
        if (open && out.hasRemaining())
        {
            try
            {
                channel.write(out);
            }
            catch (final IOException e)
            {
                close("write failed: " + e.getMessage());
            }
        }
        if (!out.hasRemaining())
        {
            out.clear().limit(0);
        }
        return out.remaining();
    }

    /**
     * Write everything waiting, blocking the caller for at most the given time (used on close, so that
     * frames accepted before close are not lost).
     *
     * @param timeoutNs longest wait.
     * @return true when nothing is left waiting.
     */
    public boolean drainBlocking(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (open && flush() > 0)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return out.remaining() == 0;
    }

    /**
     * @return bytes waiting to be written.
     */
    public int pendingBytes()
    {
        return out.remaining();
    }

    /**
     * Read what the socket has and hand over complete frames.
     *
     * @param handler receives frames; returning false stops reading.
     * @param limit   most frames to hand over.
     * @return frames handed over.
     */
    public int read(final FrameHandler handler, final int limit)
    {
        int frames = parse(handler, limit);
        if (peerClosed)
        {
            // The peer is gone: hand over every complete frame it sent before closing, then close.
            if (!stopped && isTruncatedTail())
            {
                close("closed by peer");
            }
            stopped = false;
            return frames;
        }
        if (frames < limit && open && !stopped)
        {
            if (in.position() == in.capacity() && parsePosition > 0)
            {
                compact();
            }
            try
            {
                final int n = channel.read(in);
                if (n < 0)
                {
                    peerClosed = true;
                    frames += parse(handler, limit - frames);
                    if (!stopped && isTruncatedTail())
                    {
                        close("closed by peer");
                    }
                    stopped = false;
                    return frames;
                }
            }
            catch (final IOException e)
            {
                close("read failed: " + e.getMessage());
                return frames;
            }
            frames += parse(handler, limit - frames);
        }
        stopped = false;
        if (parsePosition == in.position())
        {
            parsePosition = 0;
            in.clear();
        }
        else if (parsePosition > in.capacity() / 2)
        {
            compact();
        }
        return frames;
    }

    private int parse(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        final int end = in.position();
        while (frames < limit && end - parsePosition >= LENGTH_PREFIX)
        {
            final int length = inView.getInt(parsePosition, ByteOrder.LITTLE_ENDIAN);
            if (length <= 0 || length > maxFrameLength)
            {
                close("protocol error: frame length " + length + " outside 1.." + maxFrameLength);
                return frames;
            }
            if (end - parsePosition - LENGTH_PREFIX < length)
            {
                break;
            }
            if (!handler.onFrame(inView, parsePosition + LENGTH_PREFIX, length))
            {
                stopped = true;
                break;
            }
            parsePosition += LENGTH_PREFIX + length;
            frames++;
        }
        return frames;
    }

    /**
     * @return true when no complete frame is left after the parse position (nothing, or a partial frame
     * that can never complete because the peer closed).
     */
    private boolean isTruncatedTail()
    {
        final int available = in.position() - parsePosition;
        if (available < LENGTH_PREFIX)
        {
            return true;
        }
        final int length = inView.getInt(parsePosition, ByteOrder.LITTLE_ENDIAN);
        return available - LENGTH_PREFIX < length;
    }

    private void compact()
    {
        in.flip().position(parsePosition);
        in.compact();
        parsePosition = 0;
    }

    /**
     * @return false once closed by either side or by a protocol error.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * @return why the channel closed, or null while open.
     */
    public String closeReason()
    {
        return closeReason;
    }

    private void close(final String reason)
    {
        if (open)
        {
            closeReason = reason;
            close();
        }
    }

    @Override
    public void close()
    {
        open = false;
        if (closeReason == null)
        {
            closeReason = "closed";
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing: nothing more to do with this socket
        }
    }
}
