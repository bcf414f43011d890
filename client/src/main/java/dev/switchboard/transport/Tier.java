package dev.switchboard.transport;

/**
 * A transport tier. Each has a bit in the SBE {@code Tiers} set (same positions), so an agent can say
 * on registration which tiers it can use.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum Tier
{
    /** Shared-memory inbox in /dev/shm, written directly by the sender. */
    CRITICAL(0, true),
    /** io_uring on a Unix stream socket, through the router. */
    HIGH(1, false),
    /** Unix domain socket, through the router. */
    NORMAL(2, false),
    /** Memory-mapped, durable queue (Chronicle Queue), one per destination. */
    LOW(3, true),
    /** Large messages claimed and committed in place. */
    BATCH(4, true),
    /** Agents as threads in the router's JVM: rings in process memory. */
    IN_PROCESS(5, true);

    private static final Tier[] VALUES = values();

    private final int bit;
    private final boolean direct;

    Tier(final int bit, final boolean direct)
    {
        this.bit = bit;
        this.direct = direct;
    }

    /**
     * @return bit position in the wire {@code Tiers} set.
     */
    public int bit()
    {
        return bit;
    }

    /**
     * @return the mask of this tier in a {@code Tiers} bitset.
     */
    public int mask()
    {
        return 1 << bit;
    }

    /**
     * @return true when a point-to-point message on this tier goes straight to the receiver, never
     * through a router thread.
     */
    public boolean isDirect()
    {
        return direct;
    }

    /**
     * @param tiers a {@code Tiers} bitset.
     * @return true when this tier is in it.
     */
    public boolean in(final int tiers)
    {
        return (tiers & mask()) != 0;
    }

    /**
     * @return the record type id that marks a frame carried by this tier in a ring ({@code ordinal + 1},
     * since ring type ids start at 1).
     */
    public int typeId()
    {
        return ordinal() + 1;
    }

    /**
     * @param typeId a value from {@link #typeId()}.
     * @return the tier, without allocating.
     */
    public static Tier ofTypeId(final int typeId)
    {
        return VALUES[typeId - 1];
    }

    /**
     * @param ordinal ordinal of a tier.
     * @return the tier, without allocating.
     */
    public static Tier get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return the number of tiers.
     */
    public static int count()
    {
        return VALUES.length;
    }

    /**
     * Readable list of the tiers in a bitset, for logs.
     *
     * @param tiers a {@code Tiers} bitset.
     * @return for example {@code "CRITICAL,NORMAL"}.
     */
    public static String describe(final int tiers)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Tier t : VALUES)
        {
            if (t.in(tiers))
            {
                if (!sb.isEmpty())
                {
                    sb.append(',');
                }
                sb.append(t.name());
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
