package dev.switchboard.ipc.uring;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.link.LinkProtocol;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.LinkMac;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * One end of a HIGH link: a connected Unix stream socket driven by io_uring, carrying length-prefixed frames.
 *
 * <h2>Wire format</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              frame length (int32, little-endian), >= 1          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 frame (SBE header + message) ...                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The same framing as the NORMAL socket tier. A received length outside
 * {@code [1, receiveBufferLength - 4]} is a protocol error that closes the link.
 *
 * <h2>Frame MAC</h2>
 * With {@link LinkMac} on ({@code switchboard.link.mac=on}), as on the NORMAL socket: each end's first frame is a
 * link hello with its nonce (the client waits for the router's in {@link #connect(Path, UringConfig, LinkMac,
 * CounterBlock)}), and every later frame carries a {@value FrameMac#TAG_LENGTH}-byte tag after its bytes, counted
 * in its length. A frame whose tag does not verify is not delivered: it is counted
 * ({@link RouterCounter#LINK_MAC_REJECTED_HIGH}) and the link closes. The tag is computed in place in the send slot
 * and checked in place in the receive buffer: no copy, no allocation. Framing, hello and MAC are
 * {@link LinkProtocol}'s, shared with the NIO socket links; this class moves the bytes.
 *
 * <h2>Sending: registered slots, one write in flight</h2>
 * The send area is {@link UringConfig#sendSlots()} slots of {@link UringConfig#sendSlotLength()} bytes, registered
 * with the ring as one fixed buffer. {@link #offer} copies the frame behind its length into the open slot and
 * returns; nothing reaches the kernel until {@link #flush()} or {@link #poll} (client side) or the server's duty
 * cycle (server side), which seal the open slot and submit it as one {@code IORING_OP_WRITE_FIXED}: every frame
 * offered since the last flush shares one SQE and one {@code io_uring_enter}. At most one write is in flight per
 * link, so a short write (the socket buffer filled) is completed by writing the rest of the slot before anything
 * else: bytes never interleave on the stream. While a write is in flight, offers fill the next slots; when every
 * slot is full or in flight, {@link #offer} returns {@link OfferStatus#BACK_PRESSURED}.
 * <pre>
 *   slots:  [ in flight: head ][ sealed ][ open: offers append here ][ free ]
 *             headSeq                      fillSeq
 * </pre>
 *
 * <h2>Receiving: one registered buffer, a read kept armed</h2>
 * An {@code IORING_OP_READ_FIXED} into the free end of the receive buffer is kept armed; its completion appears in
 * the CQ without a system call of ours (the kernel runs it as task work). {@link #poll} delivers every complete
 * frame in place (no copy), then re-arms the read, compacting a partial frame to the start of the buffer when the
 * free end is too small for it. A read of 0 bytes is the peer's EOF: frames already received are still delivered,
 * intact, and an incomplete trailing frame is dropped and counted in {@link #closeReason()}.
 *
 * <h2>System calls per message</h2>
 * Completions need none: the kernel posts them to the mapped CQ. Submissions take one {@code io_uring_enter} per
 * {@link #flush()}/{@link #poll} that has something to submit, and none otherwise; a write and a read re-arm share
 * it. A poll that delivered frames and has nothing to send defers re-arming the read by one poll, so that a client
 * answering after {@link #poll} returns submits its write and the read together. Measured here: request/response
 * (one frame at a time, echoed) 1.00 {@code io_uring_enter} per message on each side; a sender that flushes after
 * every offer, at most 1 per frame (1.00 under {@code strace}, where each write finishes before the next offer;
 * 0.03 to 0.4 without, as a write in flight absorbs the frames offered meanwhile); flushing every 64 offers, 0.005
 * to 0.014. {@link #enterCalls()} counts them.
 *
 * <h2>Thread-safety and allocation</h2>
 * Not thread-safe. One thread owns a link for its life: the thread that polls must be the one that submits, and it
 * must close the link before it exits (io_uring runs a request's completion as task work of the thread that
 * submitted it and cancels a thread's requests when it exits). A server-side link belongs to the server's
 * duty-cycle thread. {@link #offer}, {@link #flush()} and {@link #poll} allocate nothing once warm; connecting
 * allocates the link's {@link Arena} (its registered buffers), which {@link #close()} closes.
 */
public final class UringLink implements AutoCloseable
{
    /** {@code user_data} bits 0-7: the operation. */
    static final int OP_RECV = 1;
    static final int OP_SEND = 2;
    static final int OP_ACCEPT = 3;

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int LENGTH_PREFIX = UringConfig.LENGTH_PREFIX;
    private static final int PAGE = 4096;

    private final UringRing ring;
    private final UringServer server;
    private final int fd;
    private final int slot;
    private final int generation;
    private final long userDataBase;
    private final Arena arena;
    private final MemorySegment sendArea;
    private final MemorySegment receiveArea;
    private final long sendAreaAddress;
    private final long receiveAreaAddress;
    private final int sendBufferIndex;
    private final int receiveBufferIndex;
    private final int slots;
    private final int slotMask;
    private final int slotLength;
    private final int receiveLength;
    private final int minReadLength;
    private final long closeLingerNs;
    private final int[] slotFill;
    private final SegmentBuffer receiveView;
    private final UringRing.CompletionHandler completions = this::onCompletion;
    private final ByteBuffer sendMacView;
    private final ByteBuffer receiveMacView;

    private final DeliverySink sink = new DeliverySink();
    private LinkProtocol protocol;
    private int tagLength;

    private long headSeq;
    private long fillSeq;
    private int sentOfHead;
    private boolean sendInFlight;
    private boolean receiveInFlight;
    private boolean receiveDeferred;
    private int readPosition;
    private int writePosition;
    private boolean delivering;
    private boolean peerGone;
    private boolean shutdownIssued;
    private boolean closeRequested;
    private long closeDeadlineNs;
    private boolean closed;
    private String closeReason;

    private long framesSent;
    private long framesReceived;
    private long bytesSent;
    private long bytesReceived;

    UringLink(
        final UringRing ring,
        final UringServer server,
        final int fd,
        final int slot,
        final int generation,
        final int firstBufferIndex,
        final UringConfig config)
    {
        this.ring = ring;
        this.server = server;
        this.fd = fd;
        this.slot = slot;
        this.generation = generation;
        this.userDataBase = ((long)generation << 32) | ((long)slot << 8);
        this.slots = config.sendSlots();
        this.slotMask = slots - 1;
        this.slotLength = config.sendSlotLength();
        this.receiveLength = config.receiveBufferLength();
        this.protocol = newProtocol(LinkMac.off(), null);
        this.minReadLength = Math.max(PAGE, receiveLength / 8);
        this.closeLingerNs = config.closeLingerNs();
        this.slotFill = new int[slots];
        this.sendBufferIndex = firstBufferIndex;
        this.receiveBufferIndex = firstBufferIndex + 1;

        this.arena = Arena.ofShared();
        try
        {
            sendArea = arena.allocate((long)slots * slotLength, PAGE);
            receiveArea = arena.allocate(receiveLength, PAGE);
            sendAreaAddress = sendArea.address();
            receiveAreaAddress = receiveArea.address();
            receiveView = new SegmentBuffer(receiveArea);
            sendMacView = sendArea.asByteBuffer();
            receiveMacView = receiveArea.asByteBuffer();
        }
        catch (final RuntimeException | Error ex)
        {
            arena.close();
            throw ex;
        }
    }

    /**
     * Connect to a {@link UringServer} (or any Unix stream socket speaking the same framing): a socket from FFM
     * {@code socket()}/{@code connect()}, a ring of its own, and the link's buffers registered with it.
     *
     * @param socketPath path of the listening socket.
     * @param config     settings.
     * @return the connected link, owned by the calling thread from its first {@link #flush()} or {@link #poll}.
     * @throws java.io.UncheckedIOException when the socket cannot connect or io_uring refuses (the message names
     *                                      the path or the errno).
     */
    public static UringLink connect(final Path socketPath, final UringConfig config)
    {
        return connect(socketPath, config, LinkMac.off(), null);
    }

    /**
     * As {@link #connect(Path, UringConfig)}, with the frame MAC setting: when on, the hellos are exchanged here
     * (bounded by {@link UringConfig#closeLingerNs()}), so a refused setup fails the connect.
     *
     * @param socketPath path of the listening socket.
     * @param config     settings.
     * @param linkMac    the frame MAC setting; must match the router's.
     * @param counters   where MAC rejections and refused setups are counted, or null.
     * @return the connected link.
     * @throws IllegalStateException when the link setup is refused (naming the setting) or times out.
     */
    public static UringLink connect(
        final Path socketPath, final UringConfig config, final LinkMac linkMac, final CounterBlock counters)
    {
        final UringRing ring = UringRing.create(config.ringEntries(), 0);
        int fd = -1;
        UringLink link = null;
        try
        {
            fd = UnixSocket.connect(socketPath);
            link = new UringLink(ring, null, fd, 0, 0, 0, config);
            ring.registerBuffers(link.sendArea, link.receiveArea);
        }
        catch (final RuntimeException | Error ex)
        {
            if (null != link)
            {
                link.arena.close();
            }
            UnixSocket.closeQuietly(fd);
            ring.close();
            throw ex;
        }
        try
        {
            link.startLinkSetup(linkMac, counters);
            if (linkMac.enabled())
            {
                link.awaitPeerHello(config.closeLingerNs());
            }
            return link;
        }
        catch (final RuntimeException ex)
        {
            link.close(); // waits (bounded) for the kernel to finish with the buffers before freeing them
            throw ex;
        }
    }

    /**
     * Queue one frame made of two parts (a header and a payload, no staging copy by the caller): copied into the
     * open send slot behind its length prefix. Submitted by the next {@link #flush()} or {@link #poll}.
     *
     * @param a    first part.
     * @param aOff offset of the first part.
     * @param aLen length of the first part.
     * @param b    second part (may be the same buffer).
     * @param bOff offset of the second part.
     * @param bLen length of the second part, may be 0.
     * @return {@link OfferStatus#OK}; {@link OfferStatus#BACK_PRESSURED} when every send slot is full or in flight;
     * {@link OfferStatus#TOO_LARGE} above {@link #maxFrameLength()}; {@link OfferStatus#REJECTED} for an empty
     * frame or a negative length; {@link OfferStatus#NOT_CONNECTED} once the peer is gone;
     * {@link OfferStatus#CLOSED} after {@link #close()}.
     */
    public int offer(
        final DirectBuffer a, final int aOff, final int aLen, final DirectBuffer b, final int bOff, final int bLen)
    {
        if (closed || closeRequested)
        {
            return OfferStatus.CLOSED;
        }
        if (peerGone)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if ((aLen | bLen) < 0)
        {
            return OfferStatus.REJECTED;
        }

        final long frameLength = (long)aLen + bLen;
        if (0 == frameLength)
        {
            return OfferStatus.REJECTED;
        }
        if (frameLength > slotLength - LENGTH_PREFIX - tagLength)
        {
            return OfferStatus.TOO_LARGE;
        }
        if (!protocol.canSend())
        {
            // No key until the peer's hello has come: the frame waits with the caller, nothing is lost.
            return OfferStatus.BACK_PRESSURED;
        }

        final int recordLength = LENGTH_PREFIX + (int)frameLength + tagLength;
        int index = (int)(fillSeq & slotMask);
        if (slotLength - slotFill[index] < recordLength)
        {
            if (!openNextSlot())
            {
                if (null == server && !delivering)
                {
                    ring.reap(completions);
                }
                if (!openNextSlot())
                {
                    return OfferStatus.BACK_PRESSURED;
                }
            }
            index = (int)(fillSeq & slotMask);
        }

        final long at = (long)index * slotLength + slotFill[index];
        copyIn(a, aOff, aLen, at + LENGTH_PREFIX);
        copyIn(b, bOff, bLen, at + LENGTH_PREFIX + aLen);
        protocol.seal(sendArea, sendMacView, (int)at, (int)frameLength);
        slotFill[index] += recordLength;
        framesSent++;

        return OfferStatus.OK;
    }

    /**
     * Queue one frame: {@link #offer(DirectBuffer, int, int, DirectBuffer, int, int)} with an empty second part.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return an {@link OfferStatus}.
     */
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(buffer, offset, length, buffer, offset + length, 0);
    }

    /**
     * Client side: reap completions, submit the queued frames and re-arm the read, in one {@code io_uring_enter}
     * at most (none when there is nothing to submit). Server side: nothing, the server's duty cycle submits.
     *
     * @return SQEs submitted, or a negative errno from {@code io_uring_submit} (transient; retried next time).
     */
    public int flush()
    {
        if (closed || null != server)
        {
            return 0;
        }

        ring.reap(completions);
        prepareSubmissions();
        return ring.submit();
    }

    /**
     * Client side: reap completions, deliver up to {@code limit} received frames to the handler (in place: the
     * buffer is valid only during the call), then submit as {@link #flush()} does. The handler may call
     * {@link #offer}.
     *
     * @param handler called per frame with {@code msgTypeId} = {@link Tier#HIGH}'s {@link Tier#typeId()}.
     * @param limit   most frames to deliver.
     * @return frames delivered.
     * @throws IllegalStateException on a server-side link, whose frames go to the server's handler.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        if (null != server)
        {
            throw new IllegalStateException("a server-side link is polled by its UringServer's duty cycle");
        }
        if (closed)
        {
            return 0;
        }

        ring.reap(completions);
        final int frames = deliver(handler, null, limit);
        if (!closed && !shutdownIssued)
        {
            final boolean sending = prepareSend();
            // A poll that delivered frames and has nothing to send defers re-arming the read by one poll: a client
            // that answers after poll returns then submits its write and the read in one io_uring_enter.
            if (sending || 0 == frames || receiveDeferred)
            {
                receiveDeferred = false;
                prepareReceive();
            }
            else
            {
                receiveDeferred = true;
            }
            ring.submit();
        }

        return frames;
    }

    /**
     * Client side: flush, then block until a completion arrives (a frame, a finished write, the peer's EOF) or the
     * timeout passes, in the kernel without spinning ({@code io_uring_wait_cqe_timeout}): for an idle strategy that
     * parks. Returns at once when the flush itself reaped completions or frames are waiting.
     *
     * @param timeoutNs most nanoseconds to wait.
     * @return true if {@link #poll} or {@link #offer} has something new to do, false on timeout.
     */
    public boolean awaitCompletion(final long timeoutNs)
    {
        if (closed || null != server)
        {
            return false;
        }

        final int reaped = ring.reap(completions);
        prepareSubmissions();
        ring.submit();
        if (reaped > 0 || peerGone || hasCompleteFrame())
        {
            return true;
        }

        return ring.awaitCompletion(timeoutNs);
    }

    /**
     * @return true while frames can be offered: not closed and the peer not gone.
     */
    public boolean isConnected()
    {
        return !closed && !closeRequested && !peerGone;
    }

    /**
     * @return true once closed (locally, or released by the server after the peer went away).
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return why the link is no longer connected (peer EOF, an errno, a protocol error, local close), or null.
     */
    public String closeReason()
    {
        return closeReason;
    }

    /**
     * @return the longest frame this link sends: {@link UringConfig#maxFrameLength()}.
     */
    public int maxFrameLength()
    {
        return slotLength - LENGTH_PREFIX - tagLength;
    }

    /**
     * @return whether this link's frames carry a MAC (on, and the hellos exchanged).
     */
    public boolean isMacActive()
    {
        return protocol.isMacActive();
    }

    /**
     * @return frames accepted by {@link #offer}.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return frames delivered to a handler.
     */
    public long framesReceived()
    {
        return framesReceived;
    }

    /**
     * @return bytes the kernel reported written, length prefixes included.
     */
    public long bytesSent()
    {
        return bytesSent;
    }

    /**
     * @return bytes the kernel reported read, length prefixes included.
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /**
     * @return {@code io_uring_enter} calls made by this link's ring (shared with the other links of a server).
     */
    public long enterCalls()
    {
        return ring.enterCalls();
    }

    /**
     * @return the socket's file descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * @return the kernel's {@code {pid, uid, gid}} of the process at the other end ({@code SO_PEERCRED}), or null.
     */
    public int[] peerCredentials()
    {
        return UnixSocket.peerCredentials(fd);
    }

    /**
     * Close the link. Client side: keep flushing queued frames for up to {@link UringConfig#closeLingerNs()}, shut
     * the socket down, wait (bounded by the same linger) for the kernel to finish with the buffers, then exit the
     * ring, close the socket and the link's {@link Arena}. Server side: stop accepting offers; the server's duty
     * cycle flushes what is queued (same linger), then releases the link and reports it closed. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed || closeRequested)
        {
            return;
        }

        closeRequested = true;
        closeDeadlineNs = System.nanoTime() + closeLingerNs;
        if (null == closeReason)
        {
            closeReason = "closed locally";
        }

        if (null == server)
        {
            closeClientSide();
        }
    }

    private void closeClientSide()
    {
        try
        {
            while (!peerGone && hasUnsentFrames() && System.nanoTime() - closeDeadlineNs < 0)
            {
                ring.reap(completions);
                prepareSend();
                ring.submit();
                if (sendInFlight)
                {
                    ring.awaitCompletion(Math.max(0, closeDeadlineNs - System.nanoTime()));
                }
            }

            shutdownSocket();
            final long drainDeadlineNs = System.nanoTime() + closeLingerNs;
            while ((sendInFlight || receiveInFlight) && System.nanoTime() - drainDeadlineNs < 0)
            {
                ring.reap(completions);
                if (sendInFlight || receiveInFlight)
                {
                    ring.awaitCompletion(Math.max(0, drainDeadlineNs - System.nanoTime()));
                }
            }
        }
        finally
        {
            closeReason = describeClose();
            closed = true;
            try
            {
                ring.close();
            }
            finally
            {
                UnixSocket.closeQuietly(fd);
                arena.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Package-private: driven by the client methods above or by UringServer's duty cycle.
    // ---------------------------------------------------------------------------------------------------------------

    int slot()
    {
        return slot;
    }

    int generation()
    {
        return generation;
    }

    MemorySegment sendArea()
    {
        return sendArea;
    }

    MemorySegment receiveArea()
    {
        return receiveArea;
    }

    boolean inFlight()
    {
        return sendInFlight || receiveInFlight;
    }

    /**
     * Completion of one of this link's requests ({@code user_data} bits 0-7 name the operation).
     */
    void onCompletion(final long userData, final int res, final int flags)
    {
        final int op = (int)(userData & 0xFF);
        if (OP_RECV == op)
        {
            onReceiveComplete(res);
        }
        else if (OP_SEND == op)
        {
            onSendComplete(res);
        }
    }

    /**
     * Deliver complete frames to exactly one of the two handlers.
     *
     * @return frames delivered.
     */
    int deliver(final MessageHandler handler, final UringServer.ControlledFrameHandler frameHandler, final int limit)
    {
        if (closed)
        {
            return 0;
        }

        delivering = true;
        try
        {
            sink.handler = handler;
            sink.frameHandler = frameHandler;
            final int count = protocol.parse(receiveView, receiveMacView, readPosition, writePosition, sink, limit);
            if (!closed)
            {
                readPosition = protocol.position();
                if (protocol.failed())
                {
                    failLink(protocol.failure());
                }
            }
            framesReceived += count;
            return count;
        }
        finally
        {
            sink.handler = null;
            sink.frameHandler = null;
            delivering = false;
        }
    }

    /** Hands each parsed frame to the poll's {@link MessageHandler} or the server's handler. */
    private final class DeliverySink implements LinkProtocol.FrameSink
    {
        MessageHandler handler;
        UringServer.ControlledFrameHandler frameHandler;

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            if (null != frameHandler)
            {
                return frameHandler.onFrame(UringLink.this, buffer, offset, length);
            }
            handler.onMessage(Tier.HIGH.typeId(), receiveView, offset, length);
            if (closed || closeRequested)
            {
                // The handler closed the link: its buffers may be gone, read nothing more.
                protocol.stopAfterThisFrame();
            }
            return true;
        }
    }

    /**
     * Arm the read and submit the next write when possible; SQEs go to the ring, submitted by the caller.
     */
    void prepareSubmissions()
    {
        if (!shutdownIssued)
        {
            prepareSend();
            receiveDeferred = false;
            prepareReceive();
        }
    }

    /**
     * Server side, once per duty cycle after delivery: shut down a link whose peer is gone or whose close was
     * requested (after its linger), else arm its requests.
     *
     * @return true when the link is finished: shut down, nothing in flight, nothing left to deliver.
     */
    boolean serviceServerSide(final long nowNs)
    {
        if (!shutdownIssued)
        {
            final boolean lingerOver = closeRequested && (!hasUnsentFrames() || nowNs - closeDeadlineNs >= 0);
            if (peerGone || lingerOver)
            {
                shutdownSocket();
            }
            else
            {
                prepareSubmissions();
            }
        }

        return shutdownIssued && !inFlight() && (closeRequested || !hasCompleteFrame());
    }

    /**
     * Release the link's resources (server side, after {@link #serviceServerSide} returned true, or when the server
     * closes): the socket and the arena. The server empties the registered buffer slots first.
     */
    void release(final String reason)
    {
        if (!closed)
        {
            closeReason = null == closeReason ? reason : describeClose();
            closed = true;
            UnixSocket.closeQuietly(fd);
            arena.close();
        }
    }

    void shutdownSocket()
    {
        if (!shutdownIssued)
        {
            shutdownIssued = true;
            UnixSocket.shutdown(fd);
        }
    }

    /**
     * Set the frame MAC up, before any frame: with it on, queue this end's hello and wait for the peer's; with it
     * off, check the peer's first frame for a hello (a setting mismatch).
     */
    void startLinkSetup(final LinkMac mac, final CounterBlock counterBlock)
    {
        protocol = newProtocol(mac, counterBlock);
        tagLength = protocol.tagLength();
        final byte[] hello = protocol.localHello();
        if (null != hello)
        {
            final int index = (int)(fillSeq & slotMask);
            final long at = (long)index * slotLength + slotFill[index];
            slotFill[index] += LinkProtocol.writeRaw(sendArea, at, hello);
        }
    }

    private LinkProtocol newProtocol(final LinkMac mac, final CounterBlock counterBlock)
    {
        final int tag = mac.enabled() ? FrameMac.TAG_LENGTH : 0;
        return new LinkProtocol(mac, LinkMac.KIND_HIGH, null != server, receiveLength - LENGTH_PREFIX - tag,
            null == server ? "the router" : "the client", "HIGH ", counterBlock, RouterCounter.LINK_MAC_REJECTED_HIGH,
            null);
    }

    private void awaitPeerHello(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!protocol.isSetUp() && !peerGone)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("link setup failed: no link hello from the router on the HIGH link " +
                    "within " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            awaitCompletion(1_000_000L);
            ring.reap(completions);
            deliver((typeId, buffer, index, length) -> { }, null, 1);
        }
        if (!protocol.isSetUp() || peerGone)
        {
            throw new IllegalStateException(null != closeReason && closeReason.startsWith("link setup failed") ?
                closeReason : "link setup failed: the router closed the HIGH link before its hello (" + closeReason + ")");
        }
    }

    /** A stream whose integrity broke cannot be resynchronised: drop what is buffered and close. */
    private void failLink(final String reason)
    {
        if (null == closeReason)
        {
            closeReason = reason;
        }
        readPosition = writePosition;
        peerGone = true;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private boolean openNextSlot()
    {
        if (fillSeq + 1 - headSeq >= slots)
        {
            return false;
        }

        fillSeq++;
        slotFill[(int)(fillSeq & slotMask)] = 0;
        return true;
    }

    private boolean hasUnsentFrames()
    {
        return headSeq != fillSeq || 0 != slotFill[(int)(fillSeq & slotMask)];
    }

    private boolean hasCompleteFrame()
    {
        return protocol.hasCompleteRecord(receiveView, readPosition, writePosition);
    }

    /**
     * @return true if a write was prepared.
     */
    private boolean prepareSend()
    {
        if (sendInFlight || closed)
        {
            return false;
        }

        if (headSeq == fillSeq)
        {
            if (0 == slotFill[(int)(fillSeq & slotMask)])
            {
                return false;
            }

            // Seal the open slot so it can be written while offers go to the next one (free: only one is in use).
            fillSeq++;
            slotFill[(int)(fillSeq & slotMask)] = 0;
        }

        final long sqe = ring.nextSqe();
        if (sqe < 0)
        {
            return false;
        }

        final int index = (int)(headSeq & slotMask);
        final long address = sendAreaAddress + (long)index * slotLength + sentOfHead;
        final int length = slotFill[index] - sentOfHead;
        ring.prepWriteFixed(sqe, fd, address, length, sendBufferIndex, userDataBase | OP_SEND);
        sendInFlight = true;
        return true;
    }

    private void prepareReceive()
    {
        if (receiveInFlight || peerGone || closed)
        {
            return;
        }

        if (readPosition == writePosition)
        {
            readPosition = 0;
            writePosition = 0;
        }
        else if (readPosition > 0 && receiveLength - writePosition < bytesToRead())
        {
            final int remaining = writePosition - readPosition;
            MemorySegment.copy(receiveArea, readPosition, receiveArea, 0, remaining);
            readPosition = 0;
            writePosition = remaining;
        }

        if (writePosition == receiveLength)
        {
            return;
        }

        final long sqe = ring.nextSqe();
        if (sqe < 0)
        {
            return;
        }

        ring.prepReadFixed(
            sqe,
            fd,
            receiveAreaAddress + writePosition,
            receiveLength - writePosition,
            receiveBufferIndex,
            userDataBase | OP_RECV);
        receiveInFlight = true;
    }

    /**
     * @return room the next read should have: the rest of a partial frame, and at least {@link #minReadLength}.
     */
    private int bytesToRead()
    {
        return Math.max(protocol.missingBytes(receiveView, readPosition, writePosition), minReadLength);
    }

    private void onSendComplete(final int res)
    {
        sendInFlight = false;
        if (res > 0)
        {
            bytesSent += res;
            sentOfHead += res;
            final int index = (int)(headSeq & slotMask);
            if (sentOfHead >= slotFill[index])
            {
                slotFill[index] = 0;
                sentOfHead = 0;
                headSeq++;
            }
        }
        else if (-Errno.EINTR == res || -Errno.EAGAIN == res)
        {
            // Transient: the rest of the slot is written again by the next prepareSend.
        }
        else
        {
            gone(0 == res ? "write returned 0 bytes" : "write failed: " + Errno.describe(res));
        }
    }

    private void onReceiveComplete(final int res)
    {
        receiveInFlight = false;
        if (res > 0)
        {
            bytesReceived += res;
            writePosition += res;
        }
        else if (0 == res)
        {
            gone("peer closed the connection");
        }
        else if (-Errno.EINTR == res || -Errno.EAGAIN == res || (-Errno.ECANCELED == res && !shutdownIssued))
        {
            // Transient: re-armed by the next prepareReceive.
        }
        else
        {
            gone("read failed: " + Errno.describe(res));
        }
    }

    private void gone(final String reason)
    {
        if (!peerGone)
        {
            peerGone = true;
            if (null == closeReason)
            {
                closeReason = reason;
            }
        }
    }

    /**
     * @return the close reason, naming the bytes of an incomplete frame left once every complete one was delivered.
     */
    private String describeClose()
    {
        if (null == closeReason || !peerGone || closed)
        {
            return closeReason;
        }

        final int remaining = writePosition - readPosition;
        return remaining > 0 && !hasCompleteFrame() ?
            closeReason + "; " + remaining + " bytes of an incomplete frame dropped" : closeReason;
    }

    @SuppressWarnings("restricted")
    private void copyIn(final DirectBuffer source, final int offset, final int length, final long at)
    {
        if (0 == length)
        {
            return;
        }

        source.boundsCheck(offset, length);
        if (source instanceof SegmentBuffer segmentBuffer)
        {
            MemorySegment.copy(segmentBuffer.segment(), offset, sendArea, at, length);
            return;
        }

        final byte[] array = source.byteArray();
        if (null != array)
        {
            MemorySegment.copy(array, source.wrapAdjustment() + offset, sendArea, ValueLayout.JAVA_BYTE, at, length);
            return;
        }

        // Native memory known only by address (an Agrona buffer on the router side): bounds checked above.
        MemorySegment.copy(
            MemorySegment.ofAddress(source.addressOffset() + offset).reinterpret(length), 0, sendArea, at, length);
    }

    @Override
    public String toString()
    {
        return "UringLink{fd=" + fd + ", slot=" + slot + ", connected=" + isConnected() + ", sent=" + framesSent +
            ", received=" + framesReceived + ", bytesSent=" + bytesSent + ", bytesReceived=" + bytesReceived +
            ", sendInFlight=" + sendInFlight + ", receiveInFlight=" + receiveInFlight +
            (null == closeReason ? "" : ", reason=" + closeReason) + '}';
    }
}
