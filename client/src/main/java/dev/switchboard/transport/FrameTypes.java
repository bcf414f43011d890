package dev.switchboard.transport;

/**
 * Record type ids: what the 32-bit type field of a ring record (and the type a transport hands to a poll's handler)
 * says about the bytes that follow. Two families, each tagged with the tier that carried the frame:
 * <pre>
 *   31                            9 8 7                      0
 *  +-------------------------------+-+------------------------+
 *  |            zero               |D|  tier type id (1..6)    |
 *  +-------------------------------+-+------------------------+
 * </pre>
 * <ul>
 *   <li>{@code D = 0}, {@link #envelope(Tier)}: a whole SBE frame (message header, then an {@code Envelope} or a
 *       control message), as the router and the routed paths write them.</li>
 *   <li>{@code D = 1}, {@link #direct(Tier)}: a direct frame, the 24-byte {@code DirectFrame} block of the
 *       schema followed by the payload, which runs to the end of the record. Point-to-point sends on a direct path
 *       (a shared-memory inbox, an in-process inbox, an agent-to-agent link) write these: a 32-byte payload's record
 *       is 8 + 24 + 32 = 64 bytes, one cache line.</li>
 * </ul>
 * Any other value is not a type any Switchboard writer produces: a reader counts it as malformed and skips it.
 *
 * <p>Thread-safety: constants and pure functions. Allocation: none.
 */
public final class FrameTypes
{
    /** The bit that marks a direct frame. */
    public static final int DIRECT_BIT = 0x100;
    private static final int TIER_MASK = 0xFF;

    private FrameTypes()
    {
    }

    /**
     * @param tier the tier that carries the frame.
     * @return type id of a whole SBE frame on that tier (equal to {@link Tier#typeId()}).
     */
    public static int envelope(final Tier tier)
    {
        return tier.typeId();
    }

    /**
     * @param tier the tier that carries the frame.
     * @return type id of a direct frame on that tier.
     */
    public static int direct(final Tier tier)
    {
        return DIRECT_BIT | tier.typeId();
    }

    /**
     * @param typeId a record type id.
     * @return true when it is one this code writes (either family, a known tier).
     */
    public static boolean isValid(final int typeId)
    {
        final int tier = typeId & TIER_MASK;
        return (typeId & ~(DIRECT_BIT | TIER_MASK)) == 0 && tier >= 1 && tier <= Tier.count();
    }

    /**
     * @param typeId a valid record type id.
     * @return true for a direct frame.
     */
    public static boolean isDirect(final int typeId)
    {
        return (typeId & DIRECT_BIT) != 0;
    }

    /**
     * @param typeId a valid record type id ({@link #isValid(int)}).
     * @return the tier that carried it.
     */
    public static Tier tierOf(final int typeId)
    {
        return Tier.ofTypeId(typeId & TIER_MASK);
    }
}
