package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.lang.foreign.Arena;
import java.nio.ByteOrder;

import dev.switchboard.codecs.SegmentBuffer;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.FrameTypes;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * The receiving end of one agent-to-agent link: the admission of its claim, then the checks on every frame. How the
 * bytes arrive ({@code java.nio} or io_uring) is the subclass's.
 * <pre>
 *   accepted --first record--> CLAIMED --grant found, uid ok--> ACTIVE --EOF, error, bad frame--> CLOSED
 *       |                         |  \--grant not known yet--> EXPECTING --LinkExpect arrives--> (checked again)
 *       |                         \--wrong grant, wrong uid, not a claim--> verdict, counted, CLOSED
 *       \--claim timeout (nothing, half a claim, no LinkExpect in time)--> verdict NO_GRANT, counted, CLOSED
 * </pre>
 * Nothing after the claim is read, let alone delivered, before the link is ACTIVE: the frames wait in the socket (the
 * sender is back-pressured), so a receiver never delivers a link's frames before its LinkExpect, which the router sent
 * after every frame it routed to this receiver from that sender before (order across the switch).
 *
 * <p>Frames of an ACTIVE link are direct frames of this layout ({@link DirectFrames}) whose source is the agent the
 * claim named; anything else closes the link and is counted ({@link RouterCounter#LINK_FRAMES_REJECTED}).
 *
 * <p>Thread-safety: the owning agent's thread. Allocation: the claim's buffer at accept; none per frame.
 */
abstract class ReceivedLink implements LinkProtocol.FrameSink
{
    static final int CLAIM_WAIT = 0;
    static final int EXPECTING = 1;
    static final int ACTIVE = 2;
    static final int CLOSED = 3;

    private static final System.Logger LOG = System.getLogger("dev.switchboard.link");

    final DirectLinks owner;
    final Tier tier;
    final int typeId;
    final long claimDeadlineNs;
    final int peerUid;
    private final SegmentBuffer claimGrant = SegmentBuffer.allocate(Arena.ofAuto(), LinkClaim.GRANT_LENGTH);
    int state = CLAIM_WAIT;
    long from;
    String closeReason;
    private MessageHandler handler;
    private long framesDelivered;

    ReceivedLink(final DirectLinks owner, final Tier tier, final int peerUid, final long nowNs)
    {
        this.owner = owner;
        this.tier = tier;
        this.typeId = FrameTypes.direct(tier);
        this.peerUid = peerUid;
        this.claimDeadlineNs = nowNs + owner.settings().claimTimeoutNs();
    }

    /**
     * Deliver this link's frames (nothing before it is ACTIVE).
     *
     * @param messageHandler receives {@code FrameTypes.direct(tier)} frames.
     * @param limit          most frames.
     * @return frames delivered.
     */
    abstract int read(MessageHandler messageHandler, int limit);

    /** Queue the verdict record (ACCEPTED or a refusal) to the asker. */
    abstract void sendVerdict(int status);

    /** Close: after a refusal once the verdict is out (best effort), else at once. */
    abstract void close(String reason);

    /** @return true while bytes wait that the next {@link #read} may deliver without new input. */
    abstract boolean hasBufferedFrames();

    /** Called once the link turns ACTIVE: start reading data. */
    void onActivated()
    {
    }

    final boolean isActive()
    {
        return state == ACTIVE;
    }

    final boolean isClosed()
    {
        return state == CLOSED;
    }

    final long framesDelivered()
    {
        return framesDelivered;
    }

    /**
     * Set the handler for the frames of the next parse.
     */
    final void handler(final MessageHandler messageHandler)
    {
        this.handler = messageHandler;
    }

    @Override
    public final boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (state == ACTIVE)
        {
            if (!DirectFrames.isValid(buffer, offset, length))
            {
                reject("a frame of " + length + " bytes that is not a direct frame of layout " +
                    DirectFrames.LAYOUT_VERSION);
                return false;
            }
            final long source = DirectFrames.sourceAgentId(buffer, offset);
            if (source != from)
            {
                reject("a frame from agent " + source + " on agent " + from + "'s link (spoofed source)");
                return false;
            }
            framesDelivered++;
            handler.onMessage(typeId, (MutableDirectBuffer)buffer, offset, length);
            return true;
        }
        if (state == CLAIM_WAIT)
        {
            onClaim(buffer, offset, length, owner.nowNs());
            return state == ACTIVE || state == EXPECTING;
        }
        return false; // EXPECTING: the frame waits (and so does the socket) until the LinkExpect comes
    }

    /**
     * The first record: must be a claim for this tier and this agent; then admitted, refused, or kept waiting for its
     * LinkExpect.
     */
    private void onClaim(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        if (!LinkClaim.isClaim(buffer, offset, length))
        {
            refuse(LinkClaim.MALFORMED, RouterCounter.LINK_FRAMES_REJECTED,
                "the first record (" + length + " bytes) is not a link claim");
            return;
        }
        from = buffer.getLong(offset + LinkClaim.FROM_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final long to = buffer.getLong(offset + LinkClaim.TO_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int claimTier = buffer.getByte(offset + LinkClaim.TIER_OFFSET);
        buffer.getBytes(offset + LinkClaim.GRANT_OFFSET, claimGrant, 0, LinkClaim.GRANT_LENGTH);
        if (claimTier != tier.typeId() || (owner.selfAgentId() != 0 && to != owner.selfAgentId()))
        {
            refuse(LinkClaim.NO_GRANT, RouterCounter.LINK_REFUSED_NO_GRANT, "a claim from agent " + from + " for " +
                "agent " + to + " at tier " + claimTier + " on agent " + owner.selfAgentId() + "'s " + tier + " socket");
            return;
        }
        state = EXPECTING;
        tryAdmit(nowNs);
    }

    /**
     * Check a waiting claim against the grant book (at the claim, and again on each LinkExpect).
     */
    final void tryAdmit(final long nowNs)
    {
        if (state != EXPECTING)
        {
            return;
        }
        final GrantBook grants = owner.grants();
        switch (grants.match(from, tier, claimGrant, 0, nowNs))
        {
            case GrantBook.FOUND ->
            {
                final int expectedUid = grants.matchedUid() >= 0 ? grants.matchedUid() : owner.ownUid();
                if (peerUid != expectedUid)
                {
                    refuse(LinkClaim.PEER, RouterCounter.LINK_REFUSED_PEER, "agent " + from + "'s link comes from uid " +
                        peerUid + "; the router vouched for uid " + expectedUid);
                    return;
                }
                state = ACTIVE;
                owner.count(RouterCounter.LINK_CLAIMS_ACCEPTED);
                sendVerdict(LinkClaim.ACCEPTED);
                onActivated();
            }
            case GrantBook.MISMATCH -> refuse(LinkClaim.NO_GRANT, RouterCounter.LINK_REFUSED_NO_GRANT,
                "agent " + from + " presented a grant issued for another agent or tier, or expired");
            default ->
            {
                // Not known yet: its LinkExpect may still be on its way. Checked again then, or refused at the deadline.
            }
        }
    }

    /**
     * Refuse a link still being set up whose deadline passed.
     *
     * @return true when it was refused.
     */
    final boolean expireIfDue(final long nowNs)
    {
        if (state < ACTIVE && nowNs - claimDeadlineNs > 0)
        {
            refuse(LinkClaim.NO_GRANT, RouterCounter.LINK_REFUSED_NO_GRANT, state == CLAIM_WAIT ?
                "no complete claim within " + owner.settings().claimTimeoutNs() / 1_000_000 + " ms" :
                "agent " + from + "'s grant is unknown here (no LinkExpect within " +
                owner.settings().claimTimeoutNs() / 1_000_000 + " ms)");
            return true;
        }
        return false;
    }

    final void refuse(final int status, final RouterCounter counter, final String reason)
    {
        owner.count(counter);
        final String text = "agent link on " + tier + " refused: " + reason;
        LOG.log(System.Logger.Level.WARNING, "switchboard: " + text);
        sendVerdict(status);
        close(text);
    }

    /** A bad frame on an active link: counted, logged, closed (a stream cannot be resynchronised). */
    final void reject(final String reason)
    {
        owner.count(RouterCounter.LINK_FRAMES_REJECTED);
        final String text = "agent link from agent " + from + " on " + tier + " closed: " + reason;
        LOG.log(System.Logger.Level.WARNING, "switchboard: " + text);
        close(text);
    }

    final void count(final RouterCounter counter)
    {
        owner.counters().increment(CounterIds.of(counter));
    }
}
