package dev.switchboard.transport.inprocess;

import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RingLane;
import dev.switchboard.transport.Tier;

/**
 * The direct path to an in-process agent: direct frames written straight into its inbox ring (one claim, one copy, no
 * router thread), then its thread unparked if it sleeps.
 *
 * <p>Thread-safety: the sending agent's thread. Allocation: none.
 */
final class InProcessLane extends RingLane
{
    private final InProcessConnection target;
    private final long targetAgentId;

    InProcessLane(final InProcessConnection target, final long targetAgentId)
    {
        super(target.inbox(), Tier.IN_PROCESS);
        this.target = target;
        this.targetAgentId = targetAgentId;
    }

    @Override
    protected int afterCommit()
    {
        if (target.isClosed() || target.agentId() != targetAgentId)
        {
            markClosed();
            return OfferStatus.NOT_CONNECTED;
        }
        target.wakeIfParked();
        return OfferStatus.OK;
    }
}
