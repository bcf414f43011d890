package dev.switchboard.ipc.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.uring.UnixSocket;
import dev.switchboard.ipc.uring.UringBufferRing;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.security.LinkMac;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.MessageHandler;

/**
 * The receiving end of a HIGH agent link, on io_uring: a descriptor accepted on the agent's {@code .hlink} socket,
 * read by a receive that picks its buffer from the ring's pool of provided buffers.
 *
 * <h2>Receiving</h2>
 * Until the link is admitted, one single-shot receive at a time, and none once the claim is in: frames sent behind
 * the claim wait in the socket (the sender is back-pressured) until the LinkExpect admits the link. Once ACTIVE, one
 * multishot receive stays armed: each completion names a pool buffer. Where the link has nothing buffered and the poll
 * still has budget, frames are delivered in place from that buffer (no copy); what is left (a partial frame, frames over
 * the budget) is copied to the link's own buffer and the pool buffer goes straight back. When the link's buffer is
 * full, pool buffers are held in order (at most {@code pool / 4}; beyond that the receive is cancelled until the link
 * drains), so a slow reader back-pressures its sender rather than starving the other links.
 * <pre>
 *   CQE(buffer b, n bytes) --link buffer empty, ACTIVE, budget--> parse in place --rest--> copy to link buffer
 *                          \--otherwise--> copy to link buffer (or hold b while it is full)    recycle b
 * </pre>
 *
 * <h2>Sending</h2>
 * Only the hello (MAC on) and the verdict, from a small buffer of its own.
 *
 * <p>Thread-safety: the owning agent's thread. Allocation: its {@link Arena} at accept; none per frame.
 */
final class UringReceivedLink extends ReceivedLink implements LinkRing.Peer
{
    private static final int CONTROL_LENGTH = 256;

    private final LinkRing ringOwner;
    private final int fd;
    private final int slot;
    private final Arena arena;
    private final LinkProtocol protocol;
    private final MemorySegment stash;
    private final SegmentBuffer stashView;
    private final ByteBuffer stashMacView;
    private final MemorySegment control;
    private final SegmentBuffer controlView;
    private final ByteBuffer controlMacView;
    private final int[] heldBids;
    private final int[] heldLengths;
    private final int heldCap;
    private int heldHead;
    private int heldCount;
    private int readPosition;
    private int writePosition;
    private int controlSent;
    private int controlEnd;
    private boolean controlInFlight;
    private boolean recvArmed;
    private boolean multishot;
    private boolean cancelInFlight;
    private boolean peerGone;
    private boolean shutdown;

    UringReceivedLink(final LinkRing ringOwner, final int fd, final int peerUid, final long nowNs)
    {
        super(ringOwner.owner(), Tier.HIGH, peerUid, nowNs);
        this.ringOwner = ringOwner;
        this.fd = fd;
        final LinkSettings settings = owner.settings();
        this.protocol = new LinkProtocol(owner.linkMac(), LinkMac.KIND_LINK_HIGH, true, settings.maxFrameLength(),
            "an agent", "HIGH agent link ", owner.counters(), RouterCounter.LINK_MAC_REJECTED_HIGH,
            RouterCounter.LINK_FRAMES_REJECTED);
        final int stashLength = Math.max(64 * 1024, 2 * protocol.recordLength(settings.maxFrameLength())) +
            settings.receiveBufferLength();
        this.arena = Arena.ofShared();
        this.stash = arena.allocate(stashLength, 64);
        this.stashView = new SegmentBuffer(stash);
        this.stashMacView = stash.asByteBuffer();
        this.control = arena.allocate(CONTROL_LENGTH, 64);
        this.controlView = new SegmentBuffer(control);
        this.controlMacView = control.asByteBuffer();
        this.heldCap = Math.max(1, ringOwner.pool().entries() / 4);
        this.heldBids = new int[ringOwner.pool().entries()];
        this.heldLengths = new int[ringOwner.pool().entries()];
        this.slot = ringOwner.register(this);
        if (slot >= 0)
        {
            final byte[] hello = protocol.localHello();
            if (hello != null)
            {
                controlEnd += LinkProtocol.writeRaw(control, controlEnd, hello);
                sendControl();
            }
            armReceive();
        }
    }

    int slot()
    {
        return slot;
    }

    @Override
    int read(final MessageHandler messageHandler, final int limit)
    {
        if (state == CLOSED || limit <= 0)
        {
            return 0;
        }
        handler(messageHandler);
        if (state == CLAIM_WAIT && !parseStash(1))
        {
            return 0;
        }
        final long before = framesDelivered();
        while (state == ACTIVE && framesDelivered() - before < limit)
        {
            if (!parseStash(limit - (int)(framesDelivered() - before)) || protocol.stopped() || !drainHeld())
            {
                break;
            }
        }
        compact();
        return (int)(framesDelivered() - before);
    }

    /**
     * @return false when the link failed (and is closed).
     */
    private boolean parseStash(final int limit)
    {
        protocol.parse(stashView, stashMacView, readPosition, writePosition, this, limit);
        readPosition = protocol.position();
        if (protocol.failed())
        {
            close(protocol.failure());
            return false;
        }
        return state != CLOSED;
    }

    @Override
    boolean hasBufferedFrames()
    {
        return state == ACTIVE && (heldCount > 0 || protocol.hasCompleteRecord(stashView, readPosition, writePosition)) ||
            state == CLAIM_WAIT && protocol.hasCompleteRecord(stashView, readPosition, writePosition);
    }

    @Override
    void onActivated()
    {
        armReceive();
        ringOwner.markBuffered();
    }

    @Override
    void sendVerdict(final int status)
    {
        final int at = controlEnd;
        if (CONTROL_LENGTH - at < protocol.recordLength(LinkClaim.VERDICT_LENGTH) || !protocol.canSend())
        {
            return; // no room, or no key: the link closes without a verdict, the asker sees it close
        }
        LinkClaim.writeVerdict(controlView, at + LinkProtocol.LENGTH_PREFIX, status);
        controlEnd += protocol.seal(control, controlMacView, at, LinkClaim.VERDICT_LENGTH);
        sendControl();
    }

    @Override
    void close(final String reason)
    {
        if (state != CLOSED)
        {
            state = CLOSED;
            closeReason = reason;
            final byte[] reply = protocol.takeReply();
            if (reply != null && CONTROL_LENGTH - controlEnd >= LinkProtocol.LENGTH_PREFIX + reply.length)
            {
                // MAC off here, on at the asker: answer its hello with ours (flag off) so that it can say why.
                controlEnd += LinkProtocol.writeRaw(control, controlEnd, reply);
                sendControl();
            }
        }
    }

    @Override
    public void onCompletion(final int op, final int res, final int flags)
    {
        switch (op)
        {
            case LinkRing.OP_RECV -> onReceive(res, flags);
            case LinkRing.OP_CTRL -> onControlSent(res);
            case LinkRing.OP_CANCEL -> cancelInFlight = false;
            default ->
            {
            }
        }
    }

    private void onReceive(final int res, final int flags)
    {
        final boolean more = (flags & liburing_h.IORING_CQE_F_MORE()) != 0;
        if (!more)
        {
            recvArmed = false;
            multishot = false;
        }
        final int bid = UringBufferRing.bufferId(flags);
        if (res > 0 && bid >= 0)
        {
            if (state == CLOSED)
            {
                ringOwner.pool().recycle(bid);
                return;
            }
            consume(bid, res);
        }
        else if (bid >= 0)
        {
            ringOwner.pool().recycle(bid);
        }
        if (res == 0)
        {
            peerGone = true;
        }
        else if (res < 0 && res != -liburing_h.ENOBUFS() && res != -liburing_h.ECANCELED() &&
            res != -liburing_h.EINTR() && res != -liburing_h.EAGAIN())
        {
            peerGone = true;
            if (closeReason == null && state != CLOSED)
            {
                closeReason = "receive failed: errno " + -res;
            }
        }
    }

    /**
     * Bytes of pool buffer {@code bid}: delivered in place when possible, else copied (or held), then recycled.
     */
    private void consume(final int bid, final int length)
    {
        final long start = ringOwner.poolOffset(bid);
        int from = (int)start;
        final int end = (int)start + length;
        if (heldCount == 0 && readPosition == writePosition && ringOwner.isDelivering() && ringOwner.budget() > 0)
        {
            // Nothing older waits: parse in place, the claim first (the hello before it is consumed on the way).
            handler(ringOwner.handler());
            if (state == CLAIM_WAIT)
            {
                protocol.parse(ringOwner.poolView(), ringOwner.poolMacView(), from, end, this, 1);
                from = protocol.position();
            }
            if (state == ACTIVE && from < end && !protocol.failed())
            {
                final long before = framesDelivered();
                protocol.parse(ringOwner.poolView(), ringOwner.poolMacView(), from, end, this, ringOwner.budget());
                ringOwner.spend((int)(framesDelivered() - before));
                from = protocol.position();
            }
            if (protocol.failed())
            {
                close(protocol.failure());
            }
            if (state == CLOSED)
            {
                ringOwner.pool().recycle(bid);
                return;
            }
        }
        final int rest = end - from;
        if (rest == 0)
        {
            ringOwner.pool().recycle(bid);
            return;
        }
        compact();
        if (heldCount == 0 && stash.byteSize() - writePosition >= rest)
        {
            MemorySegment.copy(ringOwner.poolBuffers(), from, stash, writePosition, rest);
            writePosition += rest;
            ringOwner.pool().recycle(bid);
            return;
        }
        // The link's buffer is full: hold the pool buffer, in order, until it drains.
        final int tail = (heldHead + heldCount) % heldBids.length;
        heldBids[tail] = bid;
        heldLengths[tail] = rest;
        if (from != (int)start)
        {
            MemorySegment.copy(ringOwner.poolBuffers(), from, ringOwner.poolBuffers(), start, rest);
        }
        heldCount++;
        ringOwner.held(1);
    }

    /**
     * Move held pool buffers into the link's buffer while room allows.
     *
     * @return true when something was moved.
     */
    private boolean drainHeld()
    {
        boolean moved = false;
        while (heldCount > 0)
        {
            compact();
            final int bid = heldBids[heldHead];
            final int length = heldLengths[heldHead];
            if (stash.byteSize() - writePosition < length)
            {
                break;
            }
            MemorySegment.copy(ringOwner.poolBuffers(), ringOwner.poolOffset(bid), stash, writePosition, length);
            writePosition += length;
            ringOwner.pool().recycle(bid);
            heldHead = (heldHead + 1) % heldBids.length;
            heldCount--;
            ringOwner.held(-1);
            moved = true;
        }
        return moved;
    }

    private void compact()
    {
        if (readPosition == writePosition)
        {
            readPosition = 0;
            writePosition = 0;
        }
        else if (readPosition > stash.byteSize() / 2)
        {
            final int remaining = writePosition - readPosition;
            MemorySegment.copy(stash, readPosition, stash, 0, remaining);
            readPosition = 0;
            writePosition = remaining;
        }
    }

    /**
     * After a poll: re-arm, cancel, shut down, release.
     *
     * @return true when the link is finished and released.
     */
    boolean service()
    {
        if (state != CLOSED && peerGone && !protocol.hasCompleteRecord(stashView, readPosition, writePosition) &&
            heldCount == 0)
        {
            close(closeReason != null ? closeReason : "closed by peer");
        }
        if (state == CLOSED)
        {
            if (!shutdown && !controlInFlight)
            {
                shutdown = true;
                UnixSocket.shutdown(fd);
            }
            if (shutdown && !inFlight())
            {
                release();
                return true;
            }
            return false;
        }
        if (state == ACTIVE && heldCount > heldCap && recvArmed && !cancelInFlight)
        {
            final long sqe = ringOwner.sqe();
            if (sqe >= 0)
            {
                ringOwner.ring().prepCancel(sqe, ringOwner.userData(slot, LinkRing.OP_RECV),
                    ringOwner.userData(slot, LinkRing.OP_CANCEL));
                cancelInFlight = true;
            }
        }
        else if (!recvArmed && !peerGone && heldCount == 0 && ringOwner.poolHasRoom())
        {
            armReceive();
        }
        return false;
    }

    private void armReceive()
    {
        if (recvArmed || peerGone || state == CLOSED || state == EXPECTING)
        {
            return;
        }
        final long sqe = ringOwner.sqe();
        if (sqe < 0)
        {
            return;
        }
        final long userData = ringOwner.userData(slot, LinkRing.OP_RECV);
        if (state == ACTIVE)
        {
            ringOwner.ring().prepRecvMultishot(sqe, fd, ringOwner.pool().groupId(), userData);
            multishot = true;
        }
        else
        {
            ringOwner.ring().prepRecvSelect(sqe, fd, ringOwner.pool().groupId(), userData);
        }
        recvArmed = true;
    }

    private void sendControl()
    {
        if (controlInFlight || controlSent == controlEnd)
        {
            return;
        }
        final long sqe = ringOwner.sqe();
        if (sqe < 0)
        {
            return;
        }
        ringOwner.ring().prepSend(sqe, fd, control.address() + controlSent, controlEnd - controlSent, 0,
            ringOwner.userData(slot, LinkRing.OP_CTRL));
        controlInFlight = true;
    }

    private void onControlSent(final int res)
    {
        controlInFlight = false;
        if (res > 0)
        {
            controlSent += res;
            sendControl();
        }
        else if (res != -liburing_h.EAGAIN() && res != -liburing_h.EINTR())
        {
            controlSent = controlEnd; // the peer is gone: nothing more to say
        }
        else
        {
            sendControl();
        }
    }

    boolean inFlight()
    {
        return recvArmed || controlInFlight || cancelInFlight;
    }

    /**
     * Free the slot, the descriptor and the buffers (nothing may be in flight).
     */
    void release()
    {
        if (slot >= 0)
        {
            ringOwner.free(slot);
        }
        while (heldCount > 0)
        {
            ringOwner.pool().recycle(heldBids[heldHead]);
            heldHead = (heldHead + 1) % heldBids.length;
            heldCount--;
            ringOwner.held(-1);
        }
        UnixSocket.closeQuietly(fd);
        if (arena.scope().isAlive())
        {
            arena.close();
        }
    }

    @Override
    public String toString()
    {
        return "UringReceivedLink{from=" + from + ", state=" + state + ", buffered=" + (writePosition - readPosition) +
            ", held=" + heldCount + (closeReason == null ? "" : ", reason=" + closeReason) + '}';
    }
}
