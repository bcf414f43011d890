package dev.switchboard.counters;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.transport.Tier;

/**
 * Fixed counter ids: every process computes the same id for the same counter, so a client can count
 * into the shared values buffer without asking the router for ids.
 * <pre>
 *   id 0 .. TIER_PATTERN_COUNTERS-1 : per tier, per pattern, per kind
 *        id = ((tier.ordinal() * PATTERNS) + pattern.value()) * KINDS + kind.ordinal()
 *   then : one per RouterCounter, in declaration order
 * </pre>
 *
 * <p>Thread-safety: stateless. Allocation: none.
 */
public final class CounterIds
{
    /** Number of messaging patterns (values 0..7 of the SBE {@code Pattern} enum). */
    public static final int PATTERNS = 8;
    /** Number of counter kinds per tier and pattern. */
    public static final int KINDS = CounterKind.values().length;
    /** Size of the per-tier, per-pattern block. */
    public static final int TIER_PATTERN_COUNTERS = Tier.count() * PATTERNS * KINDS;
    /** Total number of fixed counters. */
    public static final int COUNT = TIER_PATTERN_COUNTERS + RouterCounter.values().length;
    /** Agrona type id of a per tier, per pattern counter (label {@code "KIND tier=T pattern=P"}). */
    public static final int TYPE_TIER_PATTERN = 1;
    /** Agrona type id of a process-wide counter (a {@link RouterCounter}). */
    public static final int TYPE_PROCESS = 2;

    private CounterIds()
    {
    }

    /**
     * @param tier    that carried the message.
     * @param pattern of the message.
     * @param kind    what is counted.
     * @return the counter id.
     */
    public static int of(final Tier tier, final Pattern pattern, final CounterKind kind)
    {
        return ((tier.ordinal() * PATTERNS) + pattern.value()) * KINDS + kind.ordinal();
    }

    /**
     * @param counter a router-wide counter.
     * @return its id.
     */
    public static int of(final RouterCounter counter)
    {
        return TIER_PATTERN_COUNTERS + counter.ordinal();
    }

    /**
     * @param id a fixed counter id.
     * @return its Agrona type id: {@link #TYPE_TIER_PATTERN} or {@link #TYPE_PROCESS}.
     */
    public static int typeId(final int id)
    {
        return id < TIER_PATTERN_COUNTERS ? TYPE_TIER_PATTERN : TYPE_PROCESS;
    }

    /**
     * The key of a fixed counter in Agrona's metadata (ints in native byte order from the key's start).
     *
     * @param id a fixed counter id.
     * @return tier ordinal, pattern value and kind ordinal for a {@link #TYPE_TIER_PATTERN} counter; the
     * {@link RouterCounter} ordinal for a {@link #TYPE_PROCESS} one.
     */
    public static int[] key(final int id)
    {
        if (id >= TIER_PATTERN_COUNTERS)
        {
            return new int[]{id - TIER_PATTERN_COUNTERS};
        }
        return new int[]{id / (KINDS * PATTERNS), (id / KINDS) % PATTERNS, id % KINDS};
    }

    /**
     * @param id a fixed counter id.
     * @return its label, for example {@code "SENT tier=IN_PROCESS pattern=PUBLISH"}.
     */
    public static String label(final int id)
    {
        if (id >= TIER_PATTERN_COUNTERS)
        {
            return RouterCounter.values()[id - TIER_PATTERN_COUNTERS].label();
        }
        final int kind = id % KINDS;
        final int pattern = (id / KINDS) % PATTERNS;
        final int tier = id / (KINDS * PATTERNS);
        return CounterKind.values()[kind] + " tier=" + Tier.get(tier) + " pattern=" + Pattern.get((short)pattern);
    }
}
