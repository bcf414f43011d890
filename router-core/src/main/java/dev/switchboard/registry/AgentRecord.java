package dev.switchboard.registry;

import java.util.List;

/**
 * One registered agent: who it is, what it can do, which tiers it can use, which connection it came on,
 * its lease, and where its CRITICAL inbox lives.
 *
 * <p>Identity fields are final and set at registration. Two fields change: {@link #leaseExpiryNs()},
 * moved only by the registry (a heartbeat renews it; the registry's expiry order depends on it, so it has
 * no public setter), and {@link #inbox()}, set by the transport once the agent's inbox is known.
 * A record stays readable after its agent has left the registry; it is then detached and its id no longer
 * resolves through {@link AgentRegistry#byId(long)}.
 *
 * <p>Thread-safety: owned by the registry's duty-cycle thread and not thread-safe: the mutable fields
 * must be read and written only on that thread. Allocation: the accessors allocate nothing;
 * {@link #toString()} allocates.
 */
public final class AgentRecord
{
    /** Bit position of the CRITICAL tier in {@link #tiers()}, as in the SBE set {@code Tiers}. */
    public static final int TIER_CRITICAL = 0;
    /** Bit position of the HIGH tier in {@link #tiers()}. */
    public static final int TIER_HIGH = 1;
    /** Bit position of the NORMAL tier in {@link #tiers()}. */
    public static final int TIER_NORMAL = 2;
    /** Bit position of the LOW tier in {@link #tiers()}. */
    public static final int TIER_LOW = 3;
    /** Bit position of the BATCH tier in {@link #tiers()}. */
    public static final int TIER_BATCH = 4;
    /** Bit position of the in-process transport in {@link #tiers()}. */
    public static final int TIER_IN_PROCESS = 5;

    private static final String[] TIER_NAMES = { "critical", "high", "normal", "low", "batch", "inProcess" };

    private final long agentId;
    private final String name;
    private final List<String> capabilities;
    private final long pid;
    private final int tiers;
    private final long sessionId;
    private final long leaseNs;
    private final long registeredAtNs;

    // Owned by the duty-cycle thread; ordered in the registry's expiry heap, so only the registry moves it.
    private long leaseExpiryNs;
    private String inbox;

    // Registry bookkeeping, package-private: order of registration and links of the registration-order list.
    final long registrationSequence;
    AgentRecord previous;
    AgentRecord next;

    AgentRecord(
        final long agentId,
        final String name,
        final List<String> capabilities,
        final long pid,
        final int tiers,
        final long sessionId,
        final long leaseNs,
        final long registeredAtNs,
        final long leaseExpiryNs,
        final long registrationSequence)
    {
        this.agentId = agentId;
        this.name = name;
        this.capabilities = capabilities;
        this.pid = pid;
        this.tiers = tiers;
        this.sessionId = sessionId;
        this.leaseNs = leaseNs;
        this.registeredAtNs = registeredAtNs;
        this.leaseExpiryNs = leaseExpiryNs;
        this.registrationSequence = registrationSequence;
    }

    /**
     * The id the registry granted: positive, never 0, unique among live agents, and never reused for the
     * same slot until its 31-bit generation wraps.
     *
     * @return the agent id.
     */
    public long agentId()
    {
        return agentId;
    }

    /**
     * The agent's registered name, unique among live agents.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Capabilities the agent declared, duplicates removed, in the order first declared.
     *
     * @return an unmodifiable list.
     */
    public List<String> capabilities()
    {
        return capabilities;
    }

    /**
     * Whether the agent declared a capability (exact, case-sensitive match).
     *
     * @param capability to look for.
     * @return {@code true} if declared.
     */
    public boolean hasCapability(final String capability)
    {
        return capabilities.contains(capability);
    }

    /**
     * Process id the agent reported.
     *
     * @return the pid.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * Tiers the agent can use, a bit set with bit positions {@link #TIER_CRITICAL} to
     * {@link #TIER_IN_PROCESS}, as in the SBE set {@code Tiers}.
     *
     * @return the bit set.
     */
    public int tiers()
    {
        return tiers;
    }

    /**
     * Whether the agent can use a tier.
     *
     * @param tierBit bit position, {@link #TIER_CRITICAL} to {@link #TIER_IN_PROCESS}.
     * @return {@code true} if that bit is set in {@link #tiers()}.
     */
    public boolean hasTier(final int tierBit)
    {
        return tierBit >= 0 && tierBit < Integer.SIZE && (tiers & (1 << tierBit)) != 0;
    }

    /**
     * The control connection the agent registered on.
     *
     * @return the transport's session id.
     */
    public long sessionId()
    {
        return sessionId;
    }

    /**
     * Length of the agent's lease, granted at registration: each heartbeat moves the expiry to the
     * heartbeat's time plus this.
     *
     * @return the lease in nanoseconds.
     */
    public long leaseNs()
    {
        return leaseNs;
    }

    /**
     * When the agent registered, on the registry's clock.
     *
     * @return the time in nanoseconds.
     */
    public long registeredAtNs()
    {
        return registeredAtNs;
    }

    /**
     * When the lease runs out unless renewed: the agent is live while the registry's clock is before this.
     *
     * @return the time in nanoseconds.
     */
    public long leaseExpiryNs()
    {
        return leaseExpiryNs;
    }

    void leaseExpiryNs(final long leaseExpiryNs)
    {
        this.leaseExpiryNs = leaseExpiryNs;
    }

    /**
     * Where the agent's CRITICAL inbox lives (for example a file under {@code /dev/shm}).
     *
     * @return the location, or {@code null} if the agent has none (yet).
     */
    public String inbox()
    {
        return inbox;
    }

    /**
     * Sets where the agent's CRITICAL inbox lives.
     *
     * @param inbox the location, or {@code null} for none.
     */
    public void inbox(final String inbox)
    {
        this.inbox = inbox;
    }

    /**
     * Tier names of a bit set, for logs: {@code critical|normal}, or {@code none}.
     *
     * @param tiers a bit set as in {@link #tiers()}.
     * @return the names joined by {@code |}; unknown bits as {@code bitN}.
     */
    public static String tierNames(final int tiers)
    {
        if (0 == tiers)
        {
            return "none";
        }
        final StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < Integer.SIZE; bit++)
        {
            if ((tiers & (1 << bit)) != 0)
            {
                if (!sb.isEmpty())
                {
                    sb.append('|');
                }
                sb.append(bit < TIER_NAMES.length ? TIER_NAMES[bit] : "bit" + bit);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return "AgentRecord{" +
            "agentId=0x" + Long.toHexString(agentId) +
            ", name='" + name + '\'' +
            ", pid=" + pid +
            ", capabilities=" + capabilities +
            ", tiers=" + tierNames(tiers) +
            ", sessionId=" + sessionId +
            ", leaseNs=" + leaseNs +
            ", registeredAtNs=" + registeredAtNs +
            ", leaseExpiryNs=" + leaseExpiryNs +
            ", inbox=" + (null == inbox ? "none" : "'" + inbox + "'") +
            '}';
    }
}
