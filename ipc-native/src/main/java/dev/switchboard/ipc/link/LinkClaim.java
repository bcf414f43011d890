package dev.switchboard.ipc.link;

import java.nio.ByteOrder;

import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The two set-up records of an agent-to-agent link, each the first frame of its direction (after the link hellos when
 * the MAC is on, and then covered by it): the asker's <b>claim</b> and the receiver's <b>verdict</b>. Every later frame
 * is a direct frame ({@code DirectFrame} block + payload).
 * <pre>
 *   claim (asker to receiver), 48 bytes
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 magic "SWBCLAIM" (8 bytes)                    |  0
 *  +---------------+---------------+-------------------------------+
 *  |  version (1)  | tier type id  |        reserved (0)           |  8
 *  +---------------+---------------+-------------------------------+
 *  |                       reserved (0)                            |  12
 *  +---------------------------------------------------------------+
 *  |                 from agent id (int64, LE)                     |  16
 *  +---------------------------------------------------------------+
 *  |                   to agent id (int64, LE)                     |  24
 *  +---------------------------------------------------------------+
 *  |                 grant (16 bytes from LinkGrant)               |  32
 *  +---------------------------------------------------------------+  48
 *
 *   verdict (receiver to asker), 16 bytes
 *  +---------------------------------------------------------------+
 *  |                 magic "SWBVRDCT" (8 bytes)                    |  0
 *  +---------------+-----------------------------------------------+
 *  |  status       |              reserved (0)                     |  8
 *  +---------------+-----------------------------------------------+  16
 *   status: 0 ACCEPTED, 1 NO_GRANT, 2 PEER, 3 LIMIT, 4 MALFORMED
 * </pre>
 * The magics differ from the link hello's ({@code SWBLINK1}) and from an SBE header's schema id, so no record can be
 * taken for another.
 *
 * <p>Thread-safety: stateless. Allocation: none.
 */
public final class LinkClaim
{
    /** Bytes of a claim. */
    public static final int CLAIM_LENGTH = 48;
    /** Bytes of a verdict. */
    public static final int VERDICT_LENGTH = 16;
    /** Bytes of a grant. */
    public static final int GRANT_LENGTH = 16;

    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the tier's type id. */
    public static final int TIER_OFFSET = 9;
    /** Offset of the asker's agent id. */
    public static final int FROM_OFFSET = 16;
    /** Offset of the receiver's agent id. */
    public static final int TO_OFFSET = 24;
    /** Offset of the grant. */
    public static final int GRANT_OFFSET = 32;
    /** Offset of a verdict's status. */
    public static final int STATUS_OFFSET = 8;

    /** This layout. */
    public static final int VERSION = 1;

    /** Verdict: the link is admitted; its frames will be delivered. */
    public static final int ACCEPTED = 0;
    /** Verdict: no valid grant (none, unknown, expired, used, another agent or tier). */
    public static final int NO_GRANT = 1;
    /** Verdict: the peer's user is not the one the router vouched for. */
    public static final int PEER = 2;
    /** Verdict: the receiver has too many links. */
    public static final int LIMIT = 3;
    /** Verdict: the first record was not a claim. */
    public static final int MALFORMED = 4;

    /** "SWBCLAIM" as a little-endian long. */
    private static final long CLAIM_MAGIC = magic("SWBCLAIM");
    /** "SWBVRDCT" as a little-endian long. */
    private static final long VERDICT_MAGIC = magic("SWBVRDCT");

    private LinkClaim()
    {
    }

    private static long magic(final String text)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = (v << 8) | (text.charAt(i) & 0xFF);
        }
        return v;
    }

    /**
     * Write a claim.
     *
     * @param buffer where.
     * @param offset at.
     * @param tier   the link's tier.
     * @param from   the asker's agent id.
     * @param to     the receiver's agent id.
     * @param grant  {@value #GRANT_LENGTH} bytes.
     * @return {@value #CLAIM_LENGTH}.
     */
    public static int writeClaim(
        final MutableDirectBuffer buffer, final int offset, final Tier tier, final long from, final long to,
        final byte[] grant)
    {
        buffer.putLong(offset, CLAIM_MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + TIER_OFFSET, (byte)tier.typeId());
        buffer.putShort(offset + 10, (short)0, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 12, 0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + FROM_OFFSET, from, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + TO_OFFSET, to, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + GRANT_OFFSET, grant, 0, GRANT_LENGTH);
        return CLAIM_LENGTH;
    }

    /**
     * @param buffer holding a frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return true when it is a claim of this version.
     */
    public static boolean isClaim(final DirectBuffer buffer, final int offset, final int length)
    {
        return length == CLAIM_LENGTH && buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) == CLAIM_MAGIC &&
            buffer.getByte(offset + VERSION_OFFSET) == VERSION;
    }

    /**
     * Write a verdict.
     *
     * @param buffer where.
     * @param offset at.
     * @param status {@link #ACCEPTED} or a refusal.
     * @return {@value #VERDICT_LENGTH}.
     */
    public static int writeVerdict(final MutableDirectBuffer buffer, final int offset, final int status)
    {
        buffer.putLong(offset, VERDICT_MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + STATUS_OFFSET, status & 0xFF, ByteOrder.LITTLE_ENDIAN);
        return VERDICT_LENGTH;
    }

    /**
     * @param buffer holding a frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return the verdict's status, or -1 when the frame is not a verdict.
     */
    public static int verdict(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != VERDICT_LENGTH || buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) != VERDICT_MAGIC)
        {
            return -1;
        }
        return buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
    }

    /**
     * @param status a verdict's status.
     * @return what it means, for a close reason.
     */
    public static String describe(final int status)
    {
        return switch (status)
        {
            case ACCEPTED -> "accepted";
            case NO_GRANT -> "refused by the receiver: no valid grant (unknown, expired, used, or for another agent " +
                "or tier)";
            case PEER -> "refused by the receiver: this process's user is not the one the router vouched for";
            case LIMIT -> "refused by the receiver: it has too many links";
            case MALFORMED -> "refused by the receiver: the link's first record was not a claim";
            default -> "refused by the receiver (status " + status + ")";
        };
    }
}
