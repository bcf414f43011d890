package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.uring.UnixSocket;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A HIGH lane: the sending end of an agent-to-agent link over io_uring, on the owner's {@link LinkRing}.
 *
 * <h2>Sending</h2>
 * The send area is four slots; {@link #offer} writes the direct frame in place in the open slot (header, payload,
 * then the record is sealed: one copy, no staging). The owner's next {@link DirectLinks#poll} (or {@link #flush()})
 * seals the slot and submits it as one {@code IORING_OP_SEND}, with every other lane's and the ring's receives in the
 * same {@code io_uring_enter}. One send is in flight at a time, so a short send is finished before anything else and
 * bytes never interleave; while it is in flight offers fill the next slots, and when all are full or in flight
 * {@link #offer} returns {@link OfferStatus#BACK_PRESSURED}.
 * <pre>
 *   slots:  [ in flight: head ][ sealed ][ open: offers append here ][ free ]
 * </pre>
 * When a send completes (inline, so usually within the same poll) the lane signals the receiver's inbox
 * ({@code LINK_SIGNAL}: wakes it if parked): the bytes are in its socket by then.
 *
 * <h2>The verdict</h2>
 * One receive is kept armed on the socket: the first record it brings is the receiver's verdict on the claim (a
 * refusal closes the lane with the reason); after that it waits for the end of the stream, so a receiver that goes
 * away is noticed without a failed send.
 *
 * <p>Thread-safety: the owning agent's thread. Allocation: none in {@link #offer} and {@link #flush()}; its
 * {@link Arena} at open, closed by {@link #close()}.
 */
final class HighLane extends LinkLane implements LinkRing.Peer
{
    private static final int SLOTS = 4;
    private static final int SLOT_MASK = SLOTS - 1;
    private static final int VERDICT_LENGTH = 256;

    private final LinkRing ring;
    private final int fd;
    private final LinkProtocol protocol;
    private final InboxFile receiverInbox;
    private final int slot;
    private final Arena arena;
    private final MemorySegment sendArea;
    private final SegmentBuffer sendView;
    private final ByteBuffer sendMacView;
    private final long sendAddress;
    private final int slotLength;
    private final int[] slotFill = new int[SLOTS];
    private final MemorySegment verdictArea;
    private final SegmentBuffer verdictView;
    private final ByteBuffer verdictMacView;
    private final LinkProtocol.FrameSink verdictSink = this::onVerdictRecord;
    private long headSeq;
    private long fillSeq;
    private int sentOfHead;
    private boolean sendInFlight;
    private boolean receiveArmed;
    private int verdictEnd;
    private int verdict = -1;
    private boolean signalOwed;
    private boolean dirty;
    private boolean peerGone;
    private boolean released;
    private String closeReason;
    private long bytesSent;

    HighLane(
        final LinkRing ring,
        final int fd,
        final LinkProtocol protocol,
        final InboxFile receiverInbox,
        final long targetAgentId,
        final LinkSettings settings)
    {
        super(Tier.HIGH, targetAgentId, settings.maxPayloadLength());
        this.ring = ring;
        this.fd = fd;
        this.protocol = protocol;
        this.receiverInbox = receiverInbox;
        this.slotLength = Math.max(settings.sendBufferLength() / SLOTS, protocol.recordLength(settings.maxFrameLength()));
        this.arena = Arena.ofShared();
        this.sendArea = arena.allocate((long)SLOTS * slotLength, 4096);
        this.sendView = new SegmentBuffer(sendArea);
        this.sendMacView = sendArea.asByteBuffer();
        this.sendAddress = sendArea.address();
        this.verdictArea = arena.allocate(VERDICT_LENGTH, 64);
        this.verdictView = new SegmentBuffer(verdictArea);
        this.verdictMacView = verdictArea.asByteBuffer();
        this.slot = ring.register(this);
        if (slot < 0)
        {
            arena.close();
            throw new IllegalStateException("no free slot on the link ring for another HIGH lane (" +
                LinkSettings.MAX_LINKS_PROP + ")");
        }
        armReceive();
    }




    @Override
    public int offer(
        final long sourceAgentId,
        final long correlationId,
        final short pattern,
        final short priority,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int admitted = admit(length);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        if (peerGone || verdict > LinkClaim.ACCEPTED)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int frameLength = DirectFrames.HEADER_LENGTH + length;
        final int at = claimRoom(protocol.recordLength(frameLength));
        if (at < 0)
        {
            return OfferStatus.BACK_PRESSURED;
        }
        final int frameOffset = at + LinkProtocol.LENGTH_PREFIX;
        DirectFrames.writeHeader(sendView, frameOffset, sourceAgentId, correlationId, pattern, priority, flags);
        if (length > 0)
        {
            sendView.putBytes(frameOffset + DirectFrames.HEADER_LENGTH, payload, offset, length);
        }
        commit(at, frameLength);
        return OfferStatus.OK;
    }

    /**
     * Queue the claim, the link's first record after the hellos.
     */
    void claim(final DirectBuffer claimRecord)
    {
        final int at = claimRoom(protocol.recordLength(LinkClaim.CLAIM_LENGTH));
        sendView.putBytes(at + LinkProtocol.LENGTH_PREFIX, claimRecord, 0, LinkClaim.CLAIM_LENGTH);
        commit(at, LinkClaim.CLAIM_LENGTH);
    }

    /**
     * @return the offset of {@code recordLength} free bytes in the open slot (opening the next one if needed), or -1.
     */
    private int claimRoom(final int recordLength)
    {
        int index = (int)(fillSeq & SLOT_MASK);
        if (slotLength - slotFill[index] < recordLength)
        {
            if (fillSeq + 1 - headSeq >= SLOTS)
            {
                return -1;
            }
            fillSeq++;
            index = (int)(fillSeq & SLOT_MASK);
            slotFill[index] = 0;
        }
        return index * slotLength + slotFill[index];
    }

    private void commit(final int at, final int frameLength)
    {
        final int index = (int)(fillSeq & SLOT_MASK);
        slotFill[index] += protocol.seal(sendArea, sendMacView, at, frameLength);
        if (!dirty)
        {
            dirty = true;
            ring.owner().markDirty(this);
        }
    }

    /**
     * Put the next send on the ring if none is in flight (submitted by the caller's {@code io_uring_enter}).
     */
    void prepare()
    {
        dirty = false;
        if (sendInFlight || closed && released || peerGone)
        {
            return;
        }
        if (headSeq == fillSeq)
        {
            if (slotFill[(int)(fillSeq & SLOT_MASK)] == 0)
            {
                return;
            }
            fillSeq++;
            slotFill[(int)(fillSeq & SLOT_MASK)] = 0;
        }
        final long sqe = ring.sqe();
        if (sqe < 0)
        {
            dirty = true;
            ring.owner().markDirty(this);
            return;
        }
        final int index = (int)(headSeq & SLOT_MASK);
        ring.ring().prepSend(sqe, fd, sendAddress + (long)index * slotLength + sentOfHead,
            slotFill[index] - sentOfHead, 0, ring.userData(slot, LinkRing.OP_SEND));
        sendInFlight = true;
    }

    /**
     * After a reap: signal the receiver for what was sent, and queue the next send.
     */
    void afterReap()
    {
        if (signalOwed)
        {
            signalOwed = false;
            if (receiverInbox != null)
            {
                receiverInbox.signal(InboxDescriptor.LINK_SIGNAL_OFFSET);
            }
        }
        if (!sendInFlight && hasUnsent())
        {
            prepare();
        }
    }

    @Override
    public int flush()
    {
        if (closed)
        {
            return 0;
        }
        prepare();
        return ring.poll(null, 0);
    }

    @Override
    public void onCompletion(final int op, final int res, final int flags)
    {
        if (op == LinkRing.OP_SEND)
        {
            onSent(res);
        }
        else if (op == LinkRing.OP_VERDICT)
        {
            onReceived(res);
        }
    }

    private void onSent(final int res)
    {
        sendInFlight = false;
        if (res > 0)
        {
            bytesSent += res;
            sentOfHead += res;
            signalOwed = true;
            final int index = (int)(headSeq & SLOT_MASK);
            if (sentOfHead >= slotFill[index])
            {
                slotFill[index] = 0;
                sentOfHead = 0;
                headSeq++;
            }
            ring.owner().sent(this);
        }
        else if (res != -liburing_h.EAGAIN() && res != -liburing_h.EINTR())
        {
            gone(res == 0 ? "send returned 0 bytes" : "send failed: errno " + -res +
                (res == -liburing_h.EPIPE() || res == -liburing_h.ECONNRESET() ? " (the receiver closed the link)" : ""));
        }
        else
        {
            ring.owner().sent(this);
        }
    }

    private void onReceived(final int res)
    {
        receiveArmed = false;
        if (res > 0)
        {
            verdictEnd += res;
            final int records = protocol.parse(verdictView, verdictMacView, 0, verdictEnd, verdictSink, 1);
            if (protocol.failed())
            {
                gone(protocol.failure());
                return;
            }
            final int consumed = protocol.position();
            if (records > 0 || consumed > 0)
            {
                MemorySegment.copy(verdictArea, consumed, verdictArea, 0, verdictEnd - consumed);
                verdictEnd -= consumed;
            }
            if (verdictEnd == VERDICT_LENGTH)
            {
                gone("the receiver sent " + VERDICT_LENGTH + " bytes that are not a verdict");
                return;
            }
            armReceive();
        }
        else if (res == 0)
        {
            gone(verdict < 0 ? "the receiver closed the link before its verdict" : "the receiver closed the link");
        }
        else if (res == -liburing_h.EINTR() || res == -liburing_h.EAGAIN())
        {
            armReceive();
        }
        else if (!closed)
        {
            gone("receive failed: errno " + -res);
        }
    }

    private boolean onVerdictRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (verdict >= 0)
        {
            gone("the receiver sent a record after its verdict (the link carries frames one way)");
            return false;
        }
        final int status = LinkClaim.verdict(buffer, offset, length);
        verdict = status < 0 ? LinkClaim.MALFORMED : status;
        if (verdict != LinkClaim.ACCEPTED)
        {
            gone(status < 0 ? "the receiver answered the claim with something other than a verdict" :
                LinkClaim.describe(status));
            if (status >= 0)
            {
                closeReason = LinkClaim.describe(status); // the reason, even if a send found the socket shut first
            }
        }
        return true;
    }

    private void armReceive()
    {
        if (receiveArmed || closed || peerGone)
        {
            return;
        }
        final long sqe = ring.sqe();
        if (sqe >= 0)
        {
            ring.ring().prepRecv(sqe, fd, verdictArea.address() + verdictEnd, VERDICT_LENGTH - verdictEnd,
                ring.userData(slot, LinkRing.OP_VERDICT));
            receiveArmed = true;
        }
    }

    private void gone(final String reason)
    {
        if (!peerGone)
        {
            peerGone = true;
            if (closeReason == null)
            {
                closeReason = reason;
            }
        }
    }

    private boolean hasUnsent()
    {
        return headSeq != fillSeq || slotFill[(int)(fillSeq & SLOT_MASK)] != 0;
    }

    /**
     * @return true while bytes wait to be sent or a send is in flight (the owner should not park for long).
     */
    boolean isBusy()
    {
        return !closed && !peerGone && (sendInFlight || hasUnsent() || signalOwed);
    }

    boolean isAccepted()
    {
        return verdict == LinkClaim.ACCEPTED;
    }

    long bytesSent()
    {
        return bytesSent;
    }

    /** @return true: the receiver checks each frame's source against the agent id this link was granted to. */
    @Override
    public boolean isBoundToSource()
    {
        return true;
    }

    @Override
    public boolean isConnected()
    {
        return !closed && !peerGone && verdict <= LinkClaim.ACCEPTED;
    }

    String closeReason()
    {
        return closeReason;
    }

    /**
     * Send what is queued (bounded), shut the socket down, wait (bounded) for the kernel to finish with the buffers,
     * then close the socket and free them. Idempotent; not from inside a poll's handler (the ring is being reaped).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (closeReason == null)
        {
            closeReason = "closed locally";
        }
        final long drainDeadline = System.nanoTime() + LinkProtocol.CLOSE_DRAIN_MS * 1_000_000L;
        while (!peerGone && (hasUnsent() || sendInFlight) && System.nanoTime() - drainDeadline < 0 &&
            !ring.isDelivering())
        {
            prepare();
            ring.poll(null, 0);
            if (sendInFlight)
            {
                ring.ring().awaitCompletion(1_000_000L);
            }
        }
        if (!peerGone && hasUnsent())
        {
            LinkProtocol.warnUnwritten("HIGH", targetAgentId, "frames", closeReason);
        }
        UnixSocket.shutdown(fd);
        final long deadline = System.nanoTime() + 200_000_000L;
        while ((sendInFlight || receiveArmed) && System.nanoTime() - deadline < 0 && !ring.isDelivering())
        {
            ring.poll(null, 0);
            if (sendInFlight || receiveArmed)
            {
                ring.ring().awaitCompletion(1_000_000L);
            }
        }
        if (!sendInFlight && !receiveArmed)
        {
            release();
        }
        ring.owner().released(this, receiverInbox);
    }

    /**
     * Free the slot, the socket and the buffers once nothing is in flight (or the ring is closing).
     */
    void release()
    {
        if (!released)
        {
            released = true;
            ring.free(slot);
            UnixSocket.closeQuietly(fd);
            arena.close();
        }
    }

    boolean inFlight()
    {
        return sendInFlight || receiveArmed;
    }

    boolean isReleased()
    {
        return released;
    }

    @Override
    public String toString()
    {
        return "HighLane{to=" + targetAgentId + ", connected=" + isConnected() + ", verdict=" + verdict +
            ", bytesSent=" + bytesSent + (closeReason == null ? "" : ", reason=" + closeReason) + '}';
    }
}
