package dev.switchboard.ipc.socket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.link.LinkProtocol;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.LinkMac;
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
 * <p>With the frame MAC on ({@link LinkMac}, {@code switchboard.link.mac=on}) each end first sends a link hello
 * (a {@value LinkMac#HELLO_LENGTH}-byte frame with its nonce), then every frame carries a
 * {@value FrameMac#TAG_LENGTH}-byte tag after its bytes, counted in the length prefix:
 * <pre>
 *   0                 4                               4 + n                4 + n + 16
 *   +-----------------+-------------------------------+--------------------+
 *   | n + 16 (LE)     | SBE frame, n bytes            | tag (FrameMac)     |
 *   +-----------------+-------------------------------+--------------------+
 * </pre>
 * A frame whose tag does not verify (modified, replayed, reordered, dropped) is never handed over: it is
 * counted ({@link RouterCounter#LINK_MAC_REJECTED_NORMAL}) and the channel closes, since a stream whose
 * integrity broke cannot be resynchronised. A hello that disagrees with this end's setting closes the channel
 * with a reason naming the setting and is counted ({@link RouterCounter#LINK_SETUP_REFUSED}). With the MAC
 * off, frames cost one extra branch and the wire is unchanged.
 *
 * <p>The framing, hello and MAC are {@link LinkProtocol}'s, shared with the io_uring links: this class only moves
 * the bytes between the socket and its two buffers.
 *
 * <p>Thread-safety: one thread at a time. Allocation: none per frame; the buffers are direct memory
 * allocated once.
 */
public final class FrameChannel implements AutoCloseable
{
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX = LinkProtocol.LENGTH_PREFIX;

    /** Receives each complete frame; returning false leaves it (and what follows) for the next read. */
    @FunctionalInterface
    public interface FrameHandler extends LinkProtocol.FrameSink
    {
    }

    private static final FrameHandler KEEP = (buffer, offset, length) -> false;

    private final SocketChannel channel;
    private final int maxFrameLength;
    private final LinkProtocol protocol;
    private final ByteBuffer inMacView;
    private final ByteBuffer outMacView;
    private final ByteBuffer in;
    private final SegmentBuffer inView;
    private final ByteBuffer out;
    private final MemorySegment outSegment;
    private final SegmentBuffer outView;
    private int parsePosition;
    private long framesQueued;
    private boolean stopped;
    private boolean peerClosed;
    private boolean lastReadFilled;
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
        this(channel, maxFrameLength, sendBufferSize, LinkMac.off(), false, null);
    }

    /**
     * @param channel        a connected socket channel; switched to non-blocking here.
     * @param maxFrameLength largest frame accepted either way (without the MAC tag).
     * @param sendBufferSize bytes of frames that may wait for the socket; at least one maximal frame.
     * @param linkMac        the frame MAC setting; when on, this end's hello is queued at once.
     * @param server         whether this is the router's end (chooses the key of each direction, names the peer).
     * @param counters       where MAC rejections and refused setups are counted, or null.
     * @throws IOException if the channel cannot be made non-blocking.
     */
    public FrameChannel(
        final SocketChannel channel,
        final int maxFrameLength,
        final int sendBufferSize,
        final LinkMac linkMac,
        final boolean server,
        final CounterBlock counters)
        throws IOException
    {
        this(channel, new LinkProtocol(linkMac, LinkMac.KIND_CONTROL, server, maxFrameLength,
            server ? "the client" : "the router", "", counters, RouterCounter.LINK_MAC_REJECTED_NORMAL, null),
            sendBufferSize);
    }

    /**
     * A channel speaking a given link protocol (an agent-to-agent link, for instance).
     *
     * @param channel        a connected socket channel; switched to non-blocking here.
     * @param protocol       the protocol of this end; its hello, if any, is queued at once.
     * @param sendBufferSize bytes of frames that may wait for the socket; at least one maximal frame.
     * @throws IOException if the channel cannot be made non-blocking.
     */
    public FrameChannel(final SocketChannel channel, final LinkProtocol protocol, final int sendBufferSize)
        throws IOException
    {
        this.channel = channel;
        this.protocol = protocol;
        this.maxFrameLength = protocol.maxFrameLength();
        final int maxRecord = protocol.recordLength(maxFrameLength);
        channel.configureBlocking(false);
        final int inSize = Math.max(64 * 1024, 2 * maxRecord);
        this.in = ByteBuffer.allocateDirect(inSize).order(ByteOrder.LITTLE_ENDIAN);
        this.inView = new SegmentBuffer(MemorySegment.ofBuffer(in));
        final int outSize = Math.max(sendBufferSize, maxRecord);
        this.out = ByteBuffer.allocateDirect(outSize).order(ByteOrder.LITTLE_ENDIAN);
        this.outSegment = MemorySegment.ofBuffer(out);
        this.outView = new SegmentBuffer(outSegment);
        this.inMacView = in.duplicate();
        this.outMacView = out.duplicate();
        out.limit(0);
        final byte[] hello = protocol.localHello();
        if (hello != null)
        {
            queueRaw(hello);
            flush();
        }
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
     * @return this channel's link protocol.
     */
    public LinkProtocol protocol()
    {
        return protocol;
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
        final int length = aLength + bLength;
        final int at = claim(length);
        if (at < 0)
        {
            return at;
        }
        outView.putBytes(at + LENGTH_PREFIX, a, aOffset, aLength);
        if (bLength > 0)
        {
            outView.putBytes(at + LENGTH_PREFIX + aLength, b, bOffset, bLength);
        }
        return commit(at, length, flushThreshold);
    }

    /**
     * Claim room for one frame of {@code length} bytes in the send buffer, to be written in place at
     * {@code claim + LENGTH_PREFIX} through {@link #sendBuffer()} and then {@link #commit committed}. Nothing is sent
     * until the commit; a claim not committed is simply overwritten by the next.
     *
     * @param length bytes of the frame.
     * @return offset of the record in {@link #sendBuffer()}, or a negative {@link OfferStatus}:
     * {@link OfferStatus#BACK_PRESSURED} (the buffer is full, or the MAC is on and the peer's hello has not come),
     * {@link OfferStatus#TOO_LARGE}, {@link OfferStatus#REJECTED} for an empty frame,
     * {@link OfferStatus#NOT_CONNECTED} once closed.
     */
    public int claim(final int length)
    {
        final int admitted = protocol.admit(open, length, maxFrameLength);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        final int recordLength = protocol.recordLength(length);
        // out is in "drain" mode: [position, limit) waits for the socket. Append after limit.
        if (out.capacity() - out.limit() < recordLength)
        {
            flush();
            // Compact only once a quarter of the buffer has drained: moving the waiting bytes each time a
            // few were written would cost a large copy per frame while the peer reads slowly.
            if (out.position() >= out.capacity() / 4)
            {
                out.compact().flip();
            }
            if (out.capacity() - out.limit() < recordLength)
            {
                return open ? OfferStatus.BACK_PRESSURED : OfferStatus.NOT_CONNECTED;
            }
        }
        return out.limit();
    }

    /**
     * Commit a frame written in place after {@link #claim}: seal its record (length prefix, MAC tag) and write to
     * the socket once at least {@code flushThreshold} bytes wait.
     *
     * @param at             the claim's offset.
     * @param length         bytes of the frame, as claimed.
     * @param flushThreshold bytes waiting that trigger a write now.
     * @return {@link OfferStatus#OK}, or {@link OfferStatus#NOT_CONNECTED} when the write found the socket closed.
     */
    public int commit(final int at, final int length, final int flushThreshold)
    {
        out.limit(at + protocol.seal(outSegment, outMacView, at, length));
        framesQueued++;
        if (out.remaining() >= flushThreshold)
        {
            flush();
        }
        return open ? OfferStatus.OK : OfferStatus.NOT_CONNECTED;
    }

    /**
     * @return the send buffer, for frames written in place between {@link #claim} and {@link #commit}.
     */
    public SegmentBuffer sendBuffer()
    {
        return outView;
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
                writeFailed(e);
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
            // a close path, waiting for the peer to read: give it the CPU rather than spin (2 cores are common)
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
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
    public int read(final LinkProtocol.FrameSink handler, final int limit)
    {
        int frames = parse(handler, limit);
        if (peerClosed)
        {
            // The peer is gone: hand over every complete frame it sent before closing, then close.
            if (!stopped && !protocol.hasCompleteRecord(inView, parsePosition, in.position()))
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
                lastReadFilled = n > 0 && !in.hasRemaining();
                if (n < 0)
                {
                    peerClosed = true;
                    frames += parse(handler, limit - frames);
                    if (!stopped && !protocol.hasCompleteRecord(inView, parsePosition, in.position()))
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

    private int parse(final LinkProtocol.FrameSink handler, final int limit)
    {
        if (!open)
        {
            return 0;
        }
        final int frames = protocol.parse(inView, inMacView, parsePosition, in.position(), handler, limit);
        parsePosition = protocol.position();
        stopped = protocol.stopped();
        if (protocol.failed())
        {
            final byte[] reply = protocol.takeReply();
            if (reply != null)
            {
                // The peer has the MAC on and we do not: answer with our hello (flag off) so it can say so too.
                closeReason = protocol.failure(); // kept if the write below fails: the peer may have closed already
                queueRaw(reply);
                flush();
            }
            close(protocol.failure());
        }
        return frames;
    }

    private void writeFailed(final IOException e)
    {
        if (protocol.awaitingFirstRecord())
        {
            // The peer may have refused the link at setup and said why in its hello: read that before closing.
            try
            {
                channel.read(in);
            }
            catch (final IOException ignore)
            {
                // nothing more to learn
            }
            parse(KEEP, 1);
        }
        close("write failed: " + e.getMessage());
    }

    /** Queue bytes as one record, outside the MAC (the hello). */
    private void queueRaw(final byte[] frame)
    {
        out.limit(out.limit() + LinkProtocol.writeRaw(outSegment, out.limit(), frame));
    }

    /**
     * Client side, MAC on: wait until the router's hello has come and the keys are set, reading and writing
     * nothing else (frames after the hello stay buffered). Returns at once when the MAC is off.
     *
     * @param timeoutNs longest wait.
     * @throws IllegalStateException naming the cause when the link setup failed (setting mismatch, the router
     *                               closed the link) or timed out.
     */
    public void awaitLinkSetup(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (open && !protocol.isSetUp())
        {
            flush();
            read(KEEP, 1);
            if (protocol.isSetUp())
            {
                break;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("link setup failed: no link hello from the peer within " +
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms (" + LinkMac.PROPERTY +
                    "=on here)");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        if (!open)
        {
            throw new IllegalStateException(closeReason.startsWith("link setup failed") ? closeReason :
                "link setup failed: the peer closed the link before its hello (" + closeReason + ")");
        }
    }

    /**
     * @return whether frames on this channel carry a MAC (the MAC is on and the hellos were exchanged).
     */
    public boolean isMacActive()
    {
        return protocol.isMacActive();
    }

    /**
     * @return true when a complete frame (or a length prefix that breaks the framing) waits in the receive buffer: the
     * next {@link #read} hands it over without reading the socket.
     */
    public boolean hasCompleteFrame()
    {
        return protocol.hasCompleteRecord(inView, parsePosition, in.position());
    }

    /**
     * After the channel closed: hand over complete frames still in the receive buffer (a peer that refused the link
     * and closed may have said why before the write that found it gone).
     *
     * @param handler receives frames.
     * @param limit   most frames.
     * @return frames handed over.
     */
    public int drainReceived(final LinkProtocol.FrameSink handler, final int limit)
    {
        if (open)
        {
            return 0;
        }
        final int frames = protocol.parse(inView, inMacView, parsePosition, in.position(), handler, limit);
        parsePosition = protocol.position();
        return frames;
    }

    /**
     * @return true when the last socket read filled the receive buffer: the socket may hold more, and a reader that
     * reads only when told (a signal) should read again without waiting for one.
     */
    public boolean lastReadFilled()
    {
        return lastReadFilled;
    }

    /**
     * @return true when bytes of an incomplete frame wait in the receive buffer.
     */
    public boolean hasPartialFrame()
    {
        return protocol.missingBytes(inView, parsePosition, in.position()) > 0;
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
            if (closeReason == null)
            {
                closeReason = reason;
            }
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
