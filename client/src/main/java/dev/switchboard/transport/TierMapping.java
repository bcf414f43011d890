package dev.switchboard.transport;

import dev.switchboard.codecs.sbe.Priority;

/**
 * Maps a message's {@link Priority} to the {@link Tier} that carries it, given the tiers that actually
 * run here. The preferred mapping is CRITICAL, HIGH, NORMAL, LOW, BATCH to the tier of the same name;
 * a tier that cannot run degrades along a fixed chain:
 * <pre>
 *   CRITICAL -&gt; NORMAL
 *   HIGH     -&gt; NORMAL
 *   BATCH    -&gt; CRITICAL -&gt; NORMAL
 *   LOW      -&gt; (none: durability cannot be faked; LOW stays unavailable)
 *   NORMAL   -&gt; (none)
 * </pre>
 * When {@link Tier#IN_PROCESS} is available (agents as threads of the router's JVM), every priority
 * maps to it: process memory beats every cross-process tier.
 *
 * <p>Thread-safety: immutable once built. Allocation: {@link #tierFor(Priority)} allocates nothing.
 */
public final class TierMapping
{
    private final Tier[] byPriority = new Tier[Priority.values().length - 1];
    private final int available;

    /**
     * @param availableTiers bitset of the tiers that run (see {@link Tier#mask()}).
     */
    public TierMapping(final int availableTiers)
    {
        this.available = availableTiers;
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                byPriority[p.ordinal()] = resolve(p, availableTiers);
            }
        }
    }

    /**
     * @param priority of a message.
     * @return the tier that carries it, or null when no tier can (for example LOW without a durable
     * queue), in which case an offer reports {@link OfferStatus#NOT_CONNECTED}.
     */
    public Tier tierFor(final Priority priority)
    {
        return byPriority[priority.ordinal()];
    }

    /**
     * @return bitset of the available tiers.
     */
    public int availableTiers()
    {
        return available;
    }

    /**
     * @param priority of a message.
     * @return the tier that would carry it with every tier available.
     */
    public static Tier preferred(final Priority priority)
    {
        return switch (priority)
        {
            case CRITICAL -> Tier.CRITICAL;
            case HIGH -> Tier.HIGH;
            case NORMAL -> Tier.NORMAL;
            case LOW -> Tier.LOW;
            case BATCH -> Tier.BATCH;
            case NULL_VAL -> throw new IllegalArgumentException("priority NULL_VAL has no tier");
        };
    }

    private static Tier resolve(final Priority priority, final int available)
    {
        if (Tier.IN_PROCESS.in(available))
        {
            return Tier.IN_PROCESS;
        }
        Tier t = preferred(priority);
        while (t != null && !t.in(available))
        {
            t = fallbackOf(t);
        }
        return t;
    }

    /**
     * @param tier that cannot run.
     * @return the tier it degrades to, or null when it has none.
     */
    public static Tier fallbackOf(final Tier tier)
    {
        return switch (tier)
        {
            case CRITICAL, HIGH -> Tier.NORMAL;
            case BATCH -> Tier.CRITICAL;
            case NORMAL, LOW, IN_PROCESS -> null;
        };
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("TierMapping{");
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                sb.append(p).append("->").append(byPriority[p.ordinal()]).append(' ');
            }
        }
        return sb.append('}').toString();
    }
}
