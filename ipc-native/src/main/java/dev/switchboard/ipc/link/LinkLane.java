package dev.switchboard.ipc.link;

import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/**
 * What the two agent-to-agent lanes ({@link NormalLane} over {@code java.nio}, {@link HighLane} over io_uring) share:
 * the receiver they write to, the tier, the largest payload, the closed flag and the checks every offer starts with.
 * Each subclass adds its byte mover; the framing is {@link LinkProtocol}'s.
 *
 * <p>Thread-safety: the sending agent's thread, as {@link Lane}. Allocation: none.
 */
abstract class LinkLane implements Lane
{
    /** The agent this lane writes to. */
    protected final long targetAgentId;
    /** The largest payload one offer may carry. */
    protected final int maxPayloadLength;
    private final Tier tier;
    /** Set once by {@link #close()}; offers then answer {@link OfferStatus#CLOSED}. */
    protected boolean closed;

    protected LinkLane(final Tier tier, final long targetAgentId, final int maxPayloadLength)
    {
        this.tier = tier;
        this.targetAgentId = targetAgentId;
        this.maxPayloadLength = maxPayloadLength;
    }

    @Override
    public final Tier tier()
    {
        return tier;
    }

    @Override
    public final int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @return the agent this lane writes to.
     */
    final long targetAgentId()
    {
        return targetAgentId;
    }

    /**
     * The checks an offer of {@code length} payload bytes starts with.
     *
     * @param length the payload's length.
     * @return {@link OfferStatus#OK} when it may go on, else {@link OfferStatus#CLOSED},
     *         {@link OfferStatus#REJECTED} (negative) or {@link OfferStatus#TOO_LARGE}.
     */
    protected final int admit(final int length)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (length < 0 || length > maxPayloadLength)
        {
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        return OfferStatus.OK;
    }
}
