package dev.switchboard.router.process.socket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.link.LinkProtocol;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;

/**
 * The router's end of one control connection, over a non-blocking {@link SocketChannel}: the bytes mover under the
 * one {@link LinkProtocol} (framing, hello, MAC), with buffers the router owns and sizes.
 *
 * <p><b>Bounded memory before authentication.</b> A new connection gets a small receive and send buffer
 * ({@code switchboard.router.handshake.buffer.bytes} each, 16 KiB by default: room for a Register with a JWT, the
 * Challenge and an Error), native memory from an {@link Arena} of its own rather than the JVM's direct-buffer pool;
 * a frame that could not fit before registration closes the connection with a reason. When its agent registers,
 * {@link #grow()} gives it full-size buffers (two largest records to receive, the send capacity to send); when the
 * connection closes, {@link #close()} frees them at once, not at the next GC.
 *
 * <p><b>Partial frames.</b> {@link #partialSinceNs()} says since when an incomplete record has waited in the receive
 * buffer, so the server can close a connection that dribbles half a frame ({@code switchboard.router.partial.frame.timeout.ms}).
 *
 * <p>Thread-safety: the router's duty-cycle thread only (it accepts, reads, writes and closes). Allocation: none per
 * frame; accepting and growing allocate native memory.
 */
final class ControlLink implements SessionLink, AutoCloseable
{
    private static final int LENGTH_PREFIX = LinkProtocol.LENGTH_PREFIX;
    private static final LinkProtocol.FrameSink KEEP = (buffer, offset, length) -> false;

    private final SocketChannel channel;
    private final LinkProtocol protocol;
    private final int maxFrameLength;
    private final int fullReceiveBytes;
    private final int fullSendBytes;
    private final java.util.function.LongSupplier clock;

    private Arena inArena;
    private MemorySegment inSegment;
    private ByteBuffer in;
    private SegmentBuffer inView;
    private ByteBuffer inMacView;
    private Arena outArena;
    private MemorySegment outSegment;
    private ByteBuffer out;
    private SegmentBuffer outView;
    private ByteBuffer outMacView;

    private int parsePosition;
    private boolean stopped;
    private boolean peerClosed;
    private boolean grown;
    private boolean growRequested;
    private boolean open = true;
    private boolean released;
    private String closeReason;
    private long partialSinceNs = Long.MAX_VALUE;
    private long framesQueued;

    /**
     * @param channel          a connected socket; switched to non-blocking here.
     * @param protocol         this end's protocol; its hello, if any, is queued and written at once.
     * @param handshakeBytes   size of each buffer until {@link #grow()}.
     * @param fullSendBytes    size of the send buffer after {@link #grow()} (at least one largest record).
     * @param clock            nanosecond clock, for the partial-frame deadline.
     * @throws IOException if the socket cannot be made non-blocking.
     * @throws OutOfMemoryError if the buffers cannot be allocated (nothing is left allocated).
     */
    ControlLink(
        final SocketChannel channel,
        final LinkProtocol protocol,
        final int handshakeBytes,
        final int fullSendBytes,
        final java.util.function.LongSupplier clock)
        throws IOException
    {
        this.channel = channel;
        this.protocol = protocol;
        this.clock = clock;
        this.maxFrameLength = protocol.maxFrameLength();
        final int maxRecord = protocol.recordLength(maxFrameLength);
        this.fullReceiveBytes = Math.max(64 * 1024, 2 * maxRecord);
        this.fullSendBytes = Math.max(fullSendBytes, maxRecord);
        channel.configureBlocking(false);
        setReceiveBuffer(handshakeBytes, 0, 0);
        try
        {
            setSendBuffer(handshakeBytes, 0, 0);
        }
        catch (final RuntimeException | Error e)
        {
            inArena.close();
            throw e;
        }
        final byte[] hello = protocol.localHello();
        if (hello != null)
        {
            queueRaw(hello);
            flush();
        }
    }

    private void setReceiveBuffer(final int size, final int from, final int to)
    {
        final Grown grown = Grown.of(size, inSegment, from, to);
        final Arena arena = grown.arena();
        final MemorySegment segment = grown.segment();
        final ByteBuffer buffer = segment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(to - from);
        final Arena old = inArena;
        inArena = arena;
        inSegment = segment;
        in = buffer;
        inView = new SegmentBuffer(segment);
        inMacView = buffer.duplicate();
        parsePosition = 0;
        if (old != null)
        {
            old.close();
        }
    }

    private void setSendBuffer(final int size, final int from, final int to)
    {
        final Grown grown = Grown.of(size, outSegment, from, to);
        final Arena arena = grown.arena();
        final MemorySegment segment = grown.segment();
        final ByteBuffer buffer = segment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(0).limit(to - from);
        final Arena old = outArena;
        outArena = arena;
        outSegment = segment;
        out = buffer;
        outView = new SegmentBuffer(segment);
        outMacView = buffer.duplicate();
        if (old != null)
        {
            old.close();
        }
    }

    /**
     * The agent registered: the connection gets its full-size buffers at the end of the current read (not during it:
     * the protocol is parsing the small buffer).
     */
    @Override
    public void requestGrow()
    {
        growRequested = true;
    }

    /**
     * Give the connection its full-size buffers now (what waits in the small ones moves over).
     *
     * @throws OutOfMemoryError if they cannot be allocated (the small ones stay).
     */
    void grow()
    {
        growRequested = false;
        if (grown || !open)
        {
            return;
        }
        if (fullReceiveBytes > in.capacity())
        {
            setReceiveBuffer(fullReceiveBytes, parsePosition, in.position());
        }
        if (fullSendBytes > out.capacity())
        {
            setSendBuffer(fullSendBytes, out.position(), out.limit());
        }
        grown = true;
    }

    /**
     * @return bytes of native memory this connection's buffers hold now.
     */
    long bufferBytes()
    {
        return released ? 0 : (long)in.capacity() + out.capacity();
    }

    @Override
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    boolean isMacActive()
    {
        return protocol.isMacActive();
    }

    /**
     * Queue a frame and write to the socket once at least {@code flushThreshold} bytes wait.
     *
     * @return {@link OfferStatus#OK}; {@link OfferStatus#BACK_PRESSURED} when the send buffer cannot take it yet (or
     * the link is not set up); {@link OfferStatus#TOO_LARGE}; {@link OfferStatus#NOT_CONNECTED} once closed.
     */
    @Override
    public int write(final DirectBuffer buffer, final int offset, final int length, final int flushThreshold)
    {
        final int admitted = protocol.admit(open, length, maxFrameLength);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        final int recordLength = protocol.recordLength(length);
        if (out.capacity() - out.limit() < recordLength)
        {
            flush();
            if (out.position() >= out.capacity() / 4 || out.capacity() - out.limit() < recordLength)
            {
                out.compact().flip();
            }
            if (out.capacity() - out.limit() < recordLength)
            {
                return open ? OfferStatus.BACK_PRESSURED : OfferStatus.NOT_CONNECTED;
            }
        }
        final int at = out.limit();
        outView.putBytes(at + LENGTH_PREFIX, buffer, offset, length);
        out.limit(at + protocol.seal(outSegment, outMacView, at, length));
        framesQueued++;
        if (out.remaining() >= flushThreshold)
        {
            flush();
        }
        return open ? OfferStatus.OK : OfferStatus.NOT_CONNECTED;
    }

    /**
     * Write what the socket takes now.
     *
     * @return bytes still waiting.
     */
    int flush()
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
                return 0;
            }
        }
        if (open && !out.hasRemaining())
        {
            out.clear().limit(0);
        }
        return open ? out.remaining() : 0;
    }

    /**
     * Write what waits, for at most the given time (on close).
     */
    void drainBlocking(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (open && flush() > 0 && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public int pendingBytes()
    {
        return open ? out.remaining() : 0;
    }

    /**
     * Hand over the complete frames already received, then read the socket once (if the sink kept none) and hand
     * over what came.
     *
     * @param sink  receives frames; returning false stops and keeps the frame.
     * @param limit most frames to hand over.
     * @return frames handed over.
     */
    int read(final LinkProtocol.FrameSink sink, final int limit)
    {
        int frames = parse(sink, limit);
        if (open && !peerClosed && frames < limit && !stopped)
        {
            if (in.position() == in.capacity() && parsePosition > 0)
            {
                compact();
            }
            if (in.position() == in.capacity())
            {
                // A record that cannot fit: before registration the buffer is small on purpose.
                close("protocol error: a frame of " + (protocol.missingBytes(inView, parsePosition, in.position()) +
                    in.position() - parsePosition - LENGTH_PREFIX) + " bytes before registration, over the " +
                    in.capacity() + "-byte handshake buffer (switchboard.router.handshake.buffer.bytes)");
                return frames;
            }
            try
            {
                final int n = channel.read(in);
                if (n < 0)
                {
                    peerClosed = true;
                }
            }
            catch (final IOException e)
            {
                close("read failed: " + e.getMessage());
                return frames;
            }
            frames += parse(sink, limit - frames);
        }
        if (open && peerClosed && !stopped && !protocol.hasCompleteRecord(inView, parsePosition, in.position()))
        {
            // The peer is gone and every complete frame it sent has been handed over.
            close("closed by peer");
            return frames;
        }
        if (open)
        {
            if (parsePosition == in.position())
            {
                parsePosition = 0;
                in.clear();
            }
            else if (parsePosition > in.capacity() / 2)
            {
                compact();
            }
            if (growRequested)
            {
                grow();
            }
            final boolean partial = !stopped && protocol.missingBytes(inView, parsePosition, in.position()) > 0;
            if (!partial)
            {
                partialSinceNs = Long.MAX_VALUE;
            }
            else if (partialSinceNs == Long.MAX_VALUE)
            {
                partialSinceNs = clock.getAsLong();
            }
        }
        return frames;
    }

    /**
     * @return since when (the clock given at construction) an incomplete record has waited in the receive buffer, or
     * {@link Long#MAX_VALUE} when none does.
     */
    long partialSinceNs()
    {
        return partialSinceNs;
    }

    private int parse(final LinkProtocol.FrameSink sink, final int limit)
    {
        if (!open)
        {
            return 0;
        }
        final int frames = protocol.parse(inView, inMacView, parsePosition, in.position(), sink, limit);
        if (!open)
        {
            return frames; // the sink closed the link: its buffers are gone
        }
        parsePosition = protocol.position();
        stopped = protocol.stopped();
        if (protocol.failed())
        {
            final byte[] reply = protocol.takeReply();
            if (reply != null)
            {
                // The peer has the MAC on and we do not: answer with our hello (flag off) so it can say so too.
                queueRaw(reply);
                flush();
            }
            close(protocol.failure());
        }
        return frames;
    }

    private void queueRaw(final byte[] frame)
    {
        if (out.capacity() - out.limit() >= LENGTH_PREFIX + frame.length)
        {
            out.limit(out.limit() + LinkProtocol.writeRaw(outSegment, out.limit(), frame));
        }
    }

    private void compact()
    {
        in.flip().position(parsePosition);
        in.compact();
        parsePosition = 0;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    String closeReason()
    {
        return closeReason;
    }

    /**
     * @return frames accepted by {@link #write} so far.
     */
    long framesQueued()
    {
        return framesQueued;
    }

    /**
     * Close with a reason (kept if none is set yet): the socket closes now, the buffers at {@link #release()}.
     */
    void close(final String reason)
    {
        if (closeReason == null)
        {
            closeReason = reason;
        }
        close();
    }

    @Override
    public void close()
    {
        if (!open)
        {
            return;
        }
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

    /**
     * Close (if open) and free the buffers now, deterministically: the owner calls it once it no longer reads the
     * link (a link may close in the middle of a parse of its own buffer, so closing alone does not free them).
     */
    void release()
    {
        close();
        if (!released)
        {
            released = true;
            inArena.close();
            outArena.close();
        }
    }
}
