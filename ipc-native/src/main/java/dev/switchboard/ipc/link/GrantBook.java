package dev.switchboard.ipc.link;

import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A receiver's list of the links the router told it to expect ({@code LinkExpect}): who, on which tier, with which
 * one-time grant, until when, and the kernel uid the router saw on the asker's control connection. A claim is admitted
 * only against an entry here, which it then uses up.
 *
 * <p>Bounded: {@code capacity} entries; expired ones are dropped when room is needed (and by {@link #expire}). A full
 * book refuses the expectation, so that claim is refused later (counted by the caller).
 *
 * <p>Thread-safety: the owning agent's thread. Allocation: none after construction.
 */
final class GrantBook
{
    /** {@link #match}: a valid grant, now used up. */
    static final int FOUND = 0;
    /** {@link #match}: no entry has these bytes (yet: the LinkExpect may still come). */
    static final int UNKNOWN = 1;
    /** {@link #match}: the bytes are known but for another agent or tier, or expired: refuse now. */
    static final int MISMATCH = 2;

    private final long[] from;
    private final int[] tier;
    private final int[] fromUid;
    private final long[] deadlineNs;
    private final byte[] grants;
    private final boolean[] live;
    private int size;
    private int matchedUid;

    GrantBook(final int capacity)
    {
        from = new long[capacity];
        tier = new int[capacity];
        fromUid = new int[capacity];
        deadlineNs = new long[capacity];
        grants = new byte[capacity * LinkClaim.GRANT_LENGTH];
        live = new boolean[capacity];
    }

    /**
     * Record an expectation.
     *
     * @param fromAgentId the asker.
     * @param linkTier    the link's tier.
     * @param grant       buffer holding the grant.
     * @param grantOffset its offset.
     * @param uid         the asker's uid as the router saw it, -1 when unknown.
     * @param ttlNs       how long it stays good.
     * @param nowNs       now.
     * @return false when the book is full of live entries.
     */
    boolean add(
        final long fromAgentId, final Tier linkTier, final DirectBuffer grant, final int grantOffset, final int uid,
        final long ttlNs, final long nowNs)
    {
        int slot = freeSlot();
        if (slot < 0)
        {
            expire(nowNs);
            slot = freeSlot();
            if (slot < 0)
            {
                return false;
            }
        }
        from[slot] = fromAgentId;
        tier[slot] = linkTier.typeId();
        fromUid[slot] = uid;
        deadlineNs[slot] = nowNs + ttlNs;
        grant.getBytes(grantOffset, grants, slot * LinkClaim.GRANT_LENGTH, LinkClaim.GRANT_LENGTH);
        live[slot] = true;
        size++;
        return true;
    }

    /**
     * Look a claim up; on {@link #FOUND} the entry is used up and {@link #matchedUid()} says whom the router vouched
     * for.
     *
     * @param fromAgentId the agent the claim names.
     * @param linkTier    the tier of the socket it came on.
     * @param claim       buffer holding the claim's grant.
     * @param grantOffset its offset.
     * @param nowNs       now.
     * @return {@link #FOUND}, {@link #UNKNOWN} or {@link #MISMATCH}.
     */
    int match(
        final long fromAgentId, final Tier linkTier, final DirectBuffer claim, final int grantOffset, final long nowNs)
    {
        for (int slot = 0; slot < live.length; slot++)
        {
            if (live[slot] && sameGrant(slot, claim, grantOffset))
            {
                live[slot] = false;
                size--;
                if (from[slot] != fromAgentId || tier[slot] != linkTier.typeId() || nowNs - deadlineNs[slot] > 0)
                {
                    return MISMATCH;
                }
                matchedUid = fromUid[slot];
                return FOUND;
            }
        }
        return UNKNOWN;
    }

    /**
     * @return after {@link #match} returned {@link #FOUND}: the asker's uid as the router saw it, -1 when unknown.
     */
    int matchedUid()
    {
        return matchedUid;
    }

    /**
     * Drop entries past their deadline.
     *
     * @param nowNs now.
     * @return entries dropped.
     */
    int expire(final long nowNs)
    {
        int dropped = 0;
        for (int slot = 0; slot < live.length; slot++)
        {
            if (live[slot] && nowNs - deadlineNs[slot] > 0)
            {
                live[slot] = false;
                size--;
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * @return live entries.
     */
    int size()
    {
        return size;
    }

    private int freeSlot()
    {
        for (int slot = 0; slot < live.length; slot++)
        {
            if (!live[slot])
            {
                return slot;
            }
        }
        return -1;
    }

    /** Constant time in the bytes compared: a grant is a secret. */
    private boolean sameGrant(final int slot, final DirectBuffer claim, final int grantOffset)
    {
        int diff = 0;
        final int base = slot * LinkClaim.GRANT_LENGTH;
        for (int i = 0; i < LinkClaim.GRANT_LENGTH; i++)
        {
            diff |= grants[base + i] ^ claim.getByte(grantOffset + i);
        }
        return diff == 0;
    }
}
