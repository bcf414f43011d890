package dev.switchboard.router.process.socket;

import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * The router's links to one agent on the tiers beside its control socket (shared-memory inbox, io_uring
 * link, durable queue). A {@link SocketSession} asks them first for a frame whose priority is not NORMAL.
 *
 * <p>Thread-safety: the router's thread (the socket server runs there too).
 */
public interface TierLinks
{
    /** Returned by {@link #deliver} when there is no link for that priority: the frame goes NORMAL. */
    int NO_LINK = Integer.MIN_VALUE;

    /** Links for an agent that has only its control socket. */
    TierLinks NORMAL_ONLY = new TierLinks()
    {
    };

    /**
     * @return the session of the control connection these links belong to (a HIGH link's frames are that session's).
     */
    default int sessionId()
    {
        return 0;
    }

    /**
     * @return bitset of the tiers this agent can be reached on.
     */
    default int tiers()
    {
        return Tier.NORMAL.mask();
    }

    /**
     * @param priority value of the frame's SBE {@code Priority}.
     * @param buffer   holding the frame.
     * @param offset   of the frame.
     * @param length   of the frame.
     * @return an {@link dev.switchboard.transport.OfferStatus}, or {@link #NO_LINK}.
     */
    default int deliver(final int priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return NO_LINK;
    }

    /**
     * @param requestedInbox inbox path named at registration.
     * @return the path to publish, empty for none, null to refuse the registration.
     */
    default String acceptInbox(final String requestedInbox)
    {
        return requestedInbox.isEmpty() ? "" : null;
    }

    /**
     * Wake the agent if it is parked on its inbox (the router's side of a {@code Wake} frame). Router thread; never
     * blocks.
     *
     * @return true when a wake call was made, false when these links have no way to wake the agent.
     */
    default boolean wake()
    {
        return false;
    }

    /**
     * @param agentId id granted.
     * @param name    the agent's name.
     */
    default void onAgentBound(final long agentId, final String name)
    {
    }

    /**
     * @param agentId id that left.
     */
    default void onAgentUnbound(final long agentId)
    {
    }

    /**
     * @return the agent's heartbeat word in its shared-memory inbox header (a count it moves as it polls), or
     * {@link dev.switchboard.router.Session#NO_HEARTBEAT} when it has no inbox.
     */
    default long heartbeat()
    {
        return dev.switchboard.router.Session.NO_HEARTBEAT;
    }

    /**
     * The router wrote to the agent's control socket or its HIGH link (once per flush): tell the agent through its
     * inbox header, which also wakes it if it is parked, so that it reads those sockets only when they have something.
     * Nothing for an agent without an inbox.
     */
    default void signalControl()
    {
    }

    /**
     * The kernel's credentials of the control connection these links belong to: a link on another tier that
     * attaches later (HIGH) must come from the same process.
     *
     * @param peer credentials read at accept.
     */
    default void onPeer(final dev.switchboard.security.PeerCredentials peer)
    {
    }

    /**
     * Release every link (the connection closed).
     */
    default void close()
    {
    }
}
