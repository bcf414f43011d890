package dev.switchboard.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * A client's connection to a router: a control channel (register, heartbeat, subscribe, lookup and
 * their replies) and one {@link Transport} per tier for data. Each kind of deployment provides one:
 * in-process (agents as threads of the router's JVM) or cross-process (a control socket plus the tiers).
 *
 * <p>Thread-safety: owned by one client thread. Allocation: none in {@link #sendControl},
 * {@link #pollControl} and {@link #pollData} once warm.
 */
public interface RouterConnection extends AutoCloseable
{
    /**
     * Send a control frame to the router.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return an {@link OfferStatus}.
     */
    int sendControl(DirectBuffer buffer, int offset, int length);

    /**
     * Read control frames from the router (replies and events).
     *
     * @param handler called per frame.
     * @param limit   most frames.
     * @return frames read.
     */
    int pollControl(MessageHandler handler, int limit);

    /**
     * @return which tier carries each priority here.
     */
    TierMapping tierMapping();

    /**
     * @param tier a tier from {@link #tierMapping()}.
     * @return the open transport of that tier.
     */
    Transport transport(Tier tier);

    /**
     * Read data frames from every tier, {@link Tier#CRITICAL} first, at most {@code fragmentLimitPerTier}
     * from each, so that no tier starves another. The handler's {@code msgTypeId} is the
     * {@link Tier#typeId()} of the tier the frame came on.
     *
     * @param handler              called per frame.
     * @param fragmentLimitPerTier most frames per tier.
     * @return frames read.
     */
    int pollData(MessageHandler handler, int fragmentLimitPerTier);

    /**
     * @return true when the router sends this connection a {@code Challenge} as it connects (socket connections),
     * which a registration token answers; false for trusted in-process connections, which are never challenged.
     */
    default boolean isChallenged()
    {
        return false;
    }

    /**
     * @return path of this connection's CRITICAL inbox file, sent at registration so that senders can
     * write to it directly; empty when the connection has no such inbox (in-process).
     */
    default String inboxPath()
    {
        return "";
    }

    /**
     * The router registered this connection's agent: tiers that need the agent's identity (its durable
     * queue, a second link that attaches to the first) start now.
     *
     * @param agentId the granted id.
     * @param name    the agent's name.
     */
    default void onRegistered(final long agentId, final String name)
    {
    }

    /**
     * @param tier    a direct tier.
     * @param agentId a destination.
     * @return true when the tier can address that agent without asking the router first (allocation-free).
     */
    default boolean knowsDestination(final Tier tier, final long agentId)
    {
        return true;
    }

    /**
     * Tell direct tiers where an agent lives (its inbox, its durable queue name), from a lookup.
     *
     * @param agentId the agent's id.
     * @param name    its name.
     * @param inbox   its inbox path, possibly empty.
     */
    default void learnDestination(final long agentId, final String name, final String inbox)
    {
    }

    /**
     * @return how an agent loop on this connection should wait when it found no work: it must wake on
     * every tier's traffic.
     */
    default org.agrona.concurrent.IdleStrategy idleStrategy()
    {
        return new org.agrona.concurrent.BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    }

    /**
     * @return the counters values buffer this connection counts into (Agrona's counters layout, see
     * {@code dev.switchboard.counters.CounterBlock}).
     */
    java.lang.foreign.MemorySegment countersValues();

    /**
     * @return false once the router is gone or the connection closed.
     */
    boolean isConnected();

    /**
     * Close the connection and its transports. Idempotent.
     */
    @Override
    void close();
}
