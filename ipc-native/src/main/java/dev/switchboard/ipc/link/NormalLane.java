package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A NORMAL lane: the sending end of an agent-to-agent link over {@code java.nio} (works in a JVM started with no
 * flags). {@link #offer} writes the direct frame in place into the channel's send buffer (header, then payload: one
 * copy, no staging); the bytes reach the socket at the owner's next {@link DirectLinks#poll} or {@link #flush()},
 * which then signals the receiver ({@code LINK_SIGNAL} in its inbox header, which also wakes it if parked).
 *
 * <p>The receiver's verdict on the claim is read by {@link #flush()} until it has come (one read per flush meanwhile);
 * a refusal closes the lane with the reason ({@link #closeReason()}), and offers return
 * {@link OfferStatus#NOT_CONNECTED}.
 *
 * <p>Thread-safety: the owning agent's thread (the one that polls its {@link DirectLinks}). Allocation: none in
 * {@link #offer} and {@link #flush()}.
 */
final class NormalLane extends LinkLane
{
    private static final int NO_FLUSH = Integer.MAX_VALUE;

    private final DirectLinks owner;
    private final FrameChannel frames;
    private final InboxFile receiverInbox;
    private final FrameChannel.FrameHandler verdictReader = this::onVerdict;
    private int verdict = -1;
    private boolean dirty;
    private String closeReason;

    NormalLane(
        final DirectLinks owner,
        final FrameChannel frames,
        final InboxFile receiverInbox,
        final long targetAgentId,
        final int maxPayloadLength)
    {
        super(Tier.NORMAL, targetAgentId, maxPayloadLength);
        this.owner = owner;
        this.frames = frames;
        this.receiverInbox = receiverInbox;
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
        final int frameLength = DirectFrames.HEADER_LENGTH + length;
        final int at = frames.claim(frameLength);
        if (at < 0)
        {
            return at;
        }
        final int frameOffset = at + FrameChannel.LENGTH_PREFIX;
        DirectFrames.writeHeader(frames.sendBuffer(), frameOffset, sourceAgentId, correlationId, pattern, priority, flags);
        if (length > 0)
        {
            frames.sendBuffer().putBytes(frameOffset + DirectFrames.HEADER_LENGTH, payload, offset, length);
        }
        final int status = frames.commit(at, frameLength, NO_FLUSH);
        if (!dirty)
        {
            dirty = true;
            owner.markDirty(this);
        }
        return status;
    }

    /**
     * Queue the claim, the link's first record (before any frame).
     */
    int claim(final org.agrona.MutableDirectBuffer scratch)
    {
        final int at = frames.claim(LinkClaim.CLAIM_LENGTH);
        if (at < 0)
        {
            return at;
        }
        frames.sendBuffer().putBytes(at + FrameChannel.LENGTH_PREFIX, scratch, 0, LinkClaim.CLAIM_LENGTH);
        final int status = frames.commit(at, LinkClaim.CLAIM_LENGTH, NO_FLUSH);
        dirty = true;
        owner.markDirty(this);
        return status;
    }

    @Override
    public int flush()
    {
        dirty = false;
        if (closed)
        {
            return 0;
        }
        if (verdict < 0)
        {
            readVerdict(); // a refusal that came already is the reason, not the write that would find the socket shut
        }
        final int before = frames.pendingBytes();
        final int after = before == 0 || !frames.isOpen() ? before : frames.flush();
        final int written = before - after;
        if (written > 0 && receiverInbox != null)
        {
            receiverInbox.signal(InboxDescriptor.LINK_SIGNAL_OFFSET);
        }
        if (after > 0 && frames.isOpen())
        {
            // The socket is full: keep flushing on the owner's polls until it drains.
            dirty = true;
            owner.markDirty(this);
        }
        readVerdict();
        return written;
    }

    /**
     * @return true until the receiver's verdict on the claim has come (or the lane closed).
     */
    boolean awaitsVerdict()
    {
        return verdict < 0 && !closed && frames.isOpen();
    }

    /**
     * Read the receiver's verdict if it has come (one non-blocking read; nothing once it has).
     */
    void readVerdict()
    {
        if (verdict < 0 && frames.isOpen())
        {
            frames.read(verdictReader, 1);
        }
        if (!frames.isOpen() && closeReason == null)
        {
            if (verdict < 0)
            {
                // Closed by a failed write: the receiver's verdict (why it refused) may be in the buffer.
                frames.drainReceived(verdictReader, 1);
            }
            if (closeReason == null)
            {
                closeReason = frames.closeReason();
            }
        }
    }

    private boolean onVerdict(final DirectBuffer buffer, final int offset, final int length)
    {
        final int status = LinkClaim.verdict(buffer, offset, length);
        verdict = status < 0 ? LinkClaim.MALFORMED : status;
        if (verdict != LinkClaim.ACCEPTED)
        {
            closeReason = status < 0 ? "the receiver answered the claim with something other than a verdict" :
                LinkClaim.describe(status);
            frames.close();
        }
        return true;
    }

    /**
     * @return true once the receiver admitted the link (its verdict came and said so).
     */
    boolean isAccepted()
    {
        return verdict == LinkClaim.ACCEPTED;
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
        return !closed && frames.isOpen() && (verdict < 0 || verdict == LinkClaim.ACCEPTED);
    }

    /**
     * @return why the lane is not connected (a refusal, the receiver gone), or null.
     */
    String closeReason()
    {
        return closeReason != null ? closeReason : frames.closeReason();
    }

    /**
     * Write what is queued, waiting up to {@link LinkProtocol#CLOSE_DRAIN_MS} for the receiver to read it (200 ms lost
     * frames under load in the soak test), then close the socket and unmap the receiver's inbox. Frames still unread
     * then are lost and said ({@link LinkProtocol#warnUnwritten}). Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (frames.isOpen())
            {
                if (!frames.drainBlocking(TimeUnit.MILLISECONDS.toNanos(LinkProtocol.CLOSE_DRAIN_MS)))
                {
                    LinkProtocol.warnUnwritten("NORMAL", targetAgentId, frames.pendingBytes() + " bytes of frames",
                        frames.closeReason());
                }
                if (receiverInbox != null)
                {
                    receiverInbox.signal(InboxDescriptor.LINK_SIGNAL_OFFSET);
                }
            }
            frames.close();
            owner.released(this, receiverInbox);
        }
    }

    @Override
    public String toString()
    {
        return "NormalLane{to=" + targetAgentId + ", connected=" + isConnected() + ", verdict=" + verdict +
            (closeReason() == null ? "" : ", reason=" + closeReason()) + '}';
    }
}
