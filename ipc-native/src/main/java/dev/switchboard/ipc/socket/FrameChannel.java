package dev.switchboard.ipc.socket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
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

    /** MAC off, first frame not seen yet: it is checked for a peer's hello (a setting mismatch). */
    private static final int PLAIN_FIRST = 0;
    /** MAC off, steady state. */
    private static final int PLAIN = 1;
    /** MAC on, waiting for the peer's hello. */
    private static final int AWAIT_HELLO = 2;
    /** MAC on, keys set: every frame carries a tag. */
    private static final int MAC = 3;

    private final SocketChannel channel;
    private final int maxFrameLength;
    private final int maxWireLength;
    private final LinkMac linkMac;
    private final boolean server;
    private final CounterBlock counters;
    private final byte[] localNonce;
    private final ByteBuffer inMacView;
    private final ByteBuffer outMacView;
    private FrameMac frameMac;
    private int linkState;
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
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
        this.linkMac = linkMac;
        this.server = server;
        this.counters = counters;
        this.maxWireLength = maxFrameLength + (linkMac.enabled() ? FrameMac.TAG_LENGTH : 0);
        channel.configureBlocking(false);
        final int inSize = Math.max(64 * 1024, 2 * (maxWireLength + LENGTH_PREFIX));
        this.in = ByteBuffer.allocateDirect(inSize).order(ByteOrder.LITTLE_ENDIAN);
        this.inView = new SegmentBuffer(MemorySegment.ofBuffer(in));
        final int outSize = Math.max(sendBufferSize, maxWireLength + LENGTH_PREFIX);
        this.out = ByteBuffer.allocateDirect(outSize).order(ByteOrder.LITTLE_ENDIAN);
        this.outView = new SegmentBuffer(MemorySegment.ofBuffer(out));
        this.inMacView = in.duplicate();
        this.outMacView = out.duplicate();
        out.limit(0);
        if (linkMac.enabled())
        {
            linkState = AWAIT_HELLO;
            localNonce = LinkMac.newNonce();
            queueRaw(linkMac.hello(LinkMac.KIND_CONTROL, localNonce));
            flush();
        }
        else
        {
            linkState = PLAIN_FIRST;
            localNonce = null;
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
        if (linkState == AWAIT_HELLO)
        {
            // No key yet (the peer's hello has not come): the frame waits with the caller, nothing is lost.
            return OfferStatus.BACK_PRESSURED;
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
        final FrameMac mac = frameMac;
        final int wireLength = mac == null ? length : length + FrameMac.TAG_LENGTH;
        // out is in "drain" mode: [position, limit) waits for the socket. Append after limit.
        if (out.capacity() - out.limit() < wireLength + LENGTH_PREFIX)
        {
            flush();
            // Compact only once a quarter of the buffer has drained: moving the waiting bytes each time a
            // few were written would cost a large copy per frame while the peer reads slowly.
            if (out.position() >= out.capacity() / 4)
            {
                out.compact().flip();
            }
            if (out.capacity() - out.limit() < wireLength + LENGTH_PREFIX)
            {
                return open ? OfferStatus.BACK_PRESSURED : OfferStatus.NOT_CONNECTED;
            }
        }
        int at = out.limit();
        outView.putInt(at, wireLength, ByteOrder.LITTLE_ENDIAN);
        at += LENGTH_PREFIX;
        outView.putBytes(at, a, aOffset, aLength);
        if (bLength > 0)
        {
            outView.putBytes(at + aLength, b, bOffset, bLength);
        }
        if (mac != null)
        {
            mac.sign(outMacView, at, length);
        }
        out.limit(at + wireLength);
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
            if (length <= 0 || length > maxWireLength)
            {
                close("protocol error: frame length " + length + " outside 1.." + maxWireLength);
                return frames;
            }
            if (end - parsePosition - LENGTH_PREFIX < length)
            {
                break;
            }
            final int frameOffset = parsePosition + LENGTH_PREFIX;
            if (linkState != PLAIN)
            {
                if (linkState == MAC)
                {
                    final int frameLength = length - FrameMac.TAG_LENGTH;
                    if (frameLength <= 0 || !frameMac.verify(inMacView, frameOffset, frameLength))
                    {
                        rejectTamperedFrame(length);
                        return frames;
                    }
                    if (!handler.onFrame(inView, frameOffset, frameLength))
                    {
                        stopped = true;
                        break;
                    }
                    frameMac.received();
                    parsePosition += LENGTH_PREFIX + length;
                    frames++;
                    continue;
                }
                if (onLinkSetupFrame(frameOffset, length))
                {
                    parsePosition += LENGTH_PREFIX + length;
                    continue;
                }
                if (!open)
                {
                    return frames;
                }
            }
            if (!handler.onFrame(inView, frameOffset, length))
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
     * The first frame of a link, or any frame while waiting for the peer's hello.
     *
     * @return true when the frame was the link's hello and is consumed; false when it is a frame for the
     * handler (MAC off, the peer's first frame is not a hello) or the channel closed (setup refused).
     */
    private boolean onLinkSetupFrame(final int frameOffset, final int length)
    {
        final byte[] first = new byte[Math.min(length, LinkMac.HELLO_LENGTH + 1)];
        inView.getBytes(frameOffset, first);
        final String peer = server ? "the client" : "the router";
        if (linkState == PLAIN_FIRST)
        {
            linkState = PLAIN;
            if (!LinkMac.isHello(first))
            {
                return false;
            }
            // The peer has the MAC on and we do not: answer with our hello (flag off) so it can say so too.
            final String reason = LinkMac.peerHasMacOn(peer);
            closeReason = reason; // kept if the write below fails: the peer may have closed already
            queueRaw(linkMac.hello(LinkMac.KIND_CONTROL, null));
            flush();
            refuseSetup(reason);
            return false;
        }
        final byte[] peerNonce;
        try
        {
            peerNonce = linkMac.checkPeerHello(first, LinkMac.KIND_CONTROL, peer);
        }
        catch (final IllegalStateException e)
        {
            refuseSetup(e.getMessage());
            return false;
        }
        frameMac = server ?
            linkMac.frameMac(true, LinkMac.KIND_CONTROL, peerNonce, localNonce) :
            linkMac.frameMac(false, LinkMac.KIND_CONTROL, localNonce, peerNonce);
        linkState = MAC;
        return true;
    }

    private void writeFailed(final IOException e)
    {
        if (linkState == PLAIN_FIRST || linkState == AWAIT_HELLO)
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
            parse((buffer, offset, length) -> false, 1);
        }
        close("write failed: " + e.getMessage());
    }

    private void refuseSetup(final String reason)
    {
        if (counters != null)
        {
            counters.increment(CounterIds.of(RouterCounter.LINK_SETUP_REFUSED));
        }
        System.err.println("switchboard: " + reason);
        close(reason);
    }

    private void rejectTamperedFrame(final int wireLength)
    {
        if (counters != null)
        {
            counters.increment(CounterIds.of(RouterCounter.LINK_MAC_REJECTED_NORMAL));
        }
        final String reason = "frame MAC mismatch on frame " + frameMac.receiveSequence() + " (" + wireLength +
            " bytes with tag) from " + (server ? "the client" : "the router") +
            ": tampered, replayed, reordered or dropped frame; link closed";
        System.err.println("switchboard: " + reason);
        close(reason);
    }

    /** Queue bytes as one frame, outside the MAC (the hello). */
    private void queueRaw(final byte[] frame)
    {
        final int at = out.limit();
        outView.putInt(at, frame.length, ByteOrder.LITTLE_ENDIAN);
        outView.putBytes(at + LENGTH_PREFIX, frame);
        out.limit(at + LENGTH_PREFIX + frame.length);
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
        while (open && linkState == AWAIT_HELLO)
        {
            flush();
            read((buffer, offset, length) -> false, 1);
            if (linkState != AWAIT_HELLO)
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
        return linkState == MAC;
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
