package dev.switchboard.client;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;

/**
 * Which tier, and which of the connection's transports, carries each priority from this client: the connection's
 * {@link TierMapping} (with its fallbacks) read once, when the client connects, into two arrays indexed by
 * {@link Priority#ordinal()}.
 *
 * <p>Thread: immutable after construction, read from the client's thread. Allocation: none after construction.
 */
final class PriorityTiers
{
    /** The priorities a frame can carry ({@link Priority} without {@code NULL_VAL}). */
    static final int PRIORITIES = 5;

    private final TierMapping mapping;
    private final Tier[] tierByPriority = new Tier[PRIORITIES];
    private final Transport[] transportByPriority = new Transport[PRIORITIES];

    PriorityTiers(final TierMapping mapping, final RouterConnection connection)
    {
        this.mapping = mapping;
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                final Tier tier = mapping.tierFor(p);
                tierByPriority[p.ordinal()] = tier;
                transportByPriority[p.ordinal()] = tier == null ? null : connection.transport(tier);
            }
        }
    }

    /**
     * @return the connection's mapping (what it announces to the router at registration).
     */
    TierMapping mapping()
    {
        return mapping;
    }

    /**
     * @param priority a priority.
     * @return the tier that carries it, or null when the connection carries it on none.
     */
    Tier tier(final Priority priority)
    {
        return tierByPriority[priority.ordinal()];
    }

    /**
     * @param priority a priority.
     * @return the transport of its tier (frames for the router, or LOW's queues), or null when it has no tier.
     */
    Transport transport(final Priority priority)
    {
        return transportByPriority[priority.ordinal()];
    }
}
