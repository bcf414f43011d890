/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A raw client of one of the router's sockets, with no client library: length-prefixed records out, exactly as given,
 * and the router's replies read, counted and checked for sane framing. Writes never block: while the socket is full
 * the connection reads what the router sent, so that a router waiting for this peer to read is never waited on in
 * turn; a write the router does not take within the deadline is reported as {@link #STALLED}.
 * <p>
 * Remembers what a fuzz driver and a liveness probe need: whether the peer closed, the agent id of a
 * {@code Registered}, the correlation id of the last {@code LookupResult}, the text of the last {@code Error}, and a
 * reply whose framing the router broke ({@link #brokenReply()}).
 * <p>
 * Thread-safety: not thread-safe; one thread per connection. Allocation: none per frame once open (an Error's text is
 * decoded only when asked for).
 */
final class RawConnection implements AutoCloseable
{
    /** {@link #write}: everything was written. */
    static final int WRITTEN = 0;
    /** {@link #write}: the peer closed the connection. */
    static final int PEER_CLOSED = -1;
    /** {@link #write}: the peer did not take the bytes within the deadline. */
    static final int STALLED = -2;

    private static final int MAX_REPLY = 1 << 20;
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    /** Bytes a receive buffer must have: room for the largest reply and what arrived before it. */
    static final int RECEIVE_BUFFER_BYTES = 2 * MAX_REPLY;

    private final SocketChannel channel;
    private final ByteBuffer in;
    private final UnsafeBuffer inView;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final RegisteredDecoder registered = new RegisteredDecoder();
    private final LookupResultDecoder lookupResult = new LookupResultDecoder();
    private final byte[] lastError = new byte[4096];
    private int lastErrorLength;
    private long replies;
    private int lastTemplateId = -1;
    private long agentId;
    private long lastLookupCorrelationId = Long.MIN_VALUE;
    private boolean peerClosed;
    private String brokenReply;
    private RawConnection companion;

    private RawConnection(final SocketChannel channel, final ByteBuffer in)
    {
        this.channel = channel;
        this.in = in.clear().order(ByteOrder.LITTLE_ENDIAN);
        this.inView = new UnsafeBuffer(in);
    }

    /**
     * Connect (blocking), then switch to non-blocking, with a receive buffer of its own.
     *
     * @param socketPath the router's socket.
     * @return the connection.
     * @throws IOException if it cannot connect.
     */
    static RawConnection open(final Path socketPath) throws IOException
    {
        return open(socketPath, ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES));
    }

    /**
     * Connect (blocking), then switch to non-blocking, reading into a buffer the caller reuses from one connection to
     * the next (a campaign opens thousands: direct buffers of their own would be freed only by a GC).
     *
     * @param socketPath the router's socket.
     * @param receive    a direct buffer of at least {@link #RECEIVE_BUFFER_BYTES}, used by no other open connection.
     * @return the connection.
     * @throws IOException if it cannot connect.
     */
    static RawConnection open(final Path socketPath, final ByteBuffer receive) throws IOException
    {
        if (!receive.isDirect() || receive.capacity() < RECEIVE_BUFFER_BYTES)
        {
            throw new IllegalArgumentException("a receive buffer must be direct and hold at least " +
                RECEIVE_BUFFER_BYTES + " bytes, got " + receive);
        }
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            channel.configureBlocking(false);
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
        return new RawConnection(channel, receive);
    }

    /**
     * Write one frame with its length prefix.
     *
     * @param frame      the frame.
     * @param deadlineNs {@link System#nanoTime()} by which the peer must have taken it.
     * @return {@link #WRITTEN}, {@link #PEER_CLOSED} or {@link #STALLED}.
     * @throws IOException on an I/O error other than the peer's close.
     */
    int writeFrame(final byte[] frame, final long deadlineNs) throws IOException
    {
        final ByteBuffer record =
            ByteBuffer.allocate(HostileFrames.PREFIX + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(frame.length).put(frame).flip();
        return write(record, deadlineNs);
    }

    /**
     * Write all the bytes remaining in {@code bytes}, reading replies whenever the socket is full.
     *
     * @param bytes      records to write (position moves).
     * @param deadlineNs {@link System#nanoTime()} by which the peer must have taken them.
     * @return {@link #WRITTEN}, {@link #PEER_CLOSED} or {@link #STALLED}.
     * @throws IOException on an I/O error other than the peer's close.
     */
    int write(final ByteBuffer bytes, final long deadlineNs) throws IOException
    {
        while (bytes.hasRemaining())
        {
            final int n;
            try
            {
                n = channel.write(bytes);
            }
            catch (final IOException e)
            {
                if (isPeerGone(e))
                {
                    peerClosed = true;
                    return PEER_CLOSED;
                }
                throw e;
            }
            if (n == 0)
            {
                if (drainWithCompanion() == 0)
                {
                    if (peerClosed)
                    {
                        return PEER_CLOSED;
                    }
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        return STALLED;
                    }
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
        }
        return peerClosed ? PEER_CLOSED : WRITTEN;
    }

    /**
     * Another connection of the same agent (its HIGH link, its control connection) to read whenever this one waits:
     * the router may hold this connection's frames until that one is read.
     *
     * @param other the companion, or null.
     */
    void companion(final RawConnection other)
    {
        companion = other;
    }

    private int drainWithCompanion() throws IOException
    {
        return drain() + (companion == null ? 0 : companion.drain());
    }

    /**
     * Read what has arrived and handle every whole reply.
     *
     * @return replies handled.
     * @throws IOException on an I/O error other than the peer's close.
     */
    int drain() throws IOException
    {
        if (peerClosed)
        {
            return 0;
        }
        final int n;
        try
        {
            n = channel.read(in);
        }
        catch (final IOException e)
        {
            if (isPeerGone(e))
            {
                peerClosed = true;
                return 0;
            }
            throw e;
        }
        if (n < 0)
        {
            peerClosed = true;
        }
        if (n <= 0)
        {
            return 0;
        }
        int handled = 0;
        int position = 0;
        final int limit = in.position();
        while (limit - position >= HostileFrames.PREFIX)
        {
            final int length = in.getInt(position);
            if (length < MessageHeaderDecoder.ENCODED_LENGTH || length > MAX_REPLY)
            {
                if (brokenReply == null)
                {
                    brokenReply = "the router sent a record of length " + length + " after " + replies + " replies";
                }
                position = limit; // the stream cannot be followed; drop what is there
                break;
            }
            if (limit - position < HostileFrames.PREFIX + length)
            {
                break;
            }
            onReply(position + HostileFrames.PREFIX, length);
            position += HostileFrames.PREFIX + length;
            handled++;
        }
        in.limit(limit).position(position);
        in.compact();
        return handled;
    }

    private void onReply(final int offset, final int length)
    {
        header.wrap(inView, offset);
        final int templateId = header.templateId();
        if (templateId == ChallengeDecoder.TEMPLATE_ID)
        {
            return; // every connection is challenged first: not a reply
        }
        replies++;
        lastTemplateId = templateId;
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (templateId == ErrorDecoder.TEMPLATE_ID)
        {
            lastErrorLength = Math.min(length, lastError.length);
            inView.getBytes(offset, lastError, 0, lastErrorLength);
        }
        else if (templateId == RegisteredDecoder.TEMPLATE_ID && length >= MessageHeaderDecoder.ENCODED_LENGTH +
            RegisteredDecoder.BLOCK_LENGTH)
        {
            registered.wrap(inView, body, header.blockLength(), header.version());
            agentId = registered.agentId();
        }
        else if (templateId == dev.switchboard.codecs.sbe.LookupResultDecoder.TEMPLATE_ID &&
            length >= MessageHeaderDecoder.ENCODED_LENGTH + LookupResultDecoder.BLOCK_LENGTH)
        {
            lookupResult.wrap(inView, body, header.blockLength(), header.version());
            lastLookupCorrelationId = lookupResult.correlationId();
        }
    }

    /**
     * Wait for a {@code Registered}.
     *
     * @param deadlineNs {@link System#nanoTime()} to give up at.
     * @return the agent id, or 0 if none came (closed or deadline).
     * @throws IOException on an I/O error.
     */
    long awaitRegistered(final long deadlineNs) throws IOException
    {
        while (agentId == 0 && !peerClosed && System.nanoTime() - deadlineNs < 0)
        {
            if (drainWithCompanion() == 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        return agentId;
    }

    /**
     * Wait until at least {@code count} replies (the Challenge not counted) have come.
     *
     * @param count      replies.
     * @param deadlineNs {@link System#nanoTime()} to give up at.
     * @return true when they came.
     * @throws IOException on an I/O error.
     */
    boolean awaitReplies(final long count, final long deadlineNs) throws IOException
    {
        while (replies < count && !peerClosed && System.nanoTime() - deadlineNs < 0)
        {
            if (drainWithCompanion() == 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        return replies >= count;
    }

    /**
     * Wait for the {@code LookupResult} of a request.
     *
     * @param correlationId of the Lookup.
     * @param deadlineNs    {@link System#nanoTime()} to give up at.
     * @return true when it came.
     * @throws IOException on an I/O error.
     */
    boolean awaitLookupResult(final long correlationId, final long deadlineNs) throws IOException
    {
        while (lastLookupCorrelationId != correlationId && !peerClosed && System.nanoTime() - deadlineNs < 0)
        {
            if (drainWithCompanion() == 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        return lastLookupCorrelationId == correlationId;
    }

    /**
     * Wait for the peer to close the connection.
     *
     * @param deadlineNs {@link System#nanoTime()} to give up at.
     * @return true when it closed.
     * @throws IOException on an I/O error.
     */
    boolean awaitClosedByPeer(final long deadlineNs) throws IOException
    {
        while (!peerClosed && System.nanoTime() - deadlineNs < 0)
        {
            if (drainWithCompanion() == 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        return peerClosed;
    }

    /**
     * @return true until the peer closed the connection (as far as this side has seen).
     */
    boolean isOpen()
    {
        return !peerClosed;
    }

    /**
     * @return replies read (the Challenge not counted).
     */
    long replies()
    {
        return replies;
    }

    /**
     * @return the template id of the last reply, or -1 before the first.
     */
    int lastTemplateId()
    {
        return lastTemplateId;
    }

    /**
     * @return the agent id of the last {@code Registered}, or 0.
     */
    long agentId()
    {
        return agentId;
    }

    /**
     * @return what was wrong with the router's framing of a reply, or null if nothing.
     */
    String brokenReply()
    {
        return brokenReply;
    }

    /**
     * @return the text of the last {@code Error} received, or "" if none (decoded now).
     */
    String lastErrorText()
    {
        if (lastErrorLength < MessageHeaderDecoder.ENCODED_LENGTH + ErrorDecoder.BLOCK_LENGTH)
        {
            return "";
        }
        try
        {
            final UnsafeBuffer error = new UnsafeBuffer(lastError, 0, lastErrorLength);
            final MessageHeaderDecoder errorHeader = new MessageHeaderDecoder().wrap(error, 0);
            final ErrorDecoder decoder = new ErrorDecoder().wrap(error, MessageHeaderDecoder.ENCODED_LENGTH,
                errorHeader.blockLength(), errorHeader.version());
            return decoder.code() + ": " + decoder.text();
        }
        catch (final RuntimeException e)
        {
            return "(an Error that does not decode: " + new String(lastError, 0, lastErrorLength, UTF_8) + ")";
        }
    }

    private static boolean isPeerGone(final IOException e)
    {
        final String message = String.valueOf(e.getMessage());
        return message.contains("Broken pipe") || message.contains("Connection reset");
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
