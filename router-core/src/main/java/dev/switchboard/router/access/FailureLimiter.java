/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Rate limit on failed authentication, per peer user (token bucket): each peer has {@code burst} tokens, a
 * failure takes one, one comes back every {@code refillNs}. A peer with no token left is refused at once, at
 * connect and at Register, without checking anything ({@link AuthFailure#RATE_LIMITED}); successes cost nothing.
 * At most {@value #MAX_PEERS} peers are tracked; beyond that, buckets that have refilled completely are dropped.
 *
 * <p>Properties: {@value #BURST_PROPERTY} (default {@value #DEFAULT_BURST}), {@value #REFILL_PROPERTY}
 * (default {@value #DEFAULT_REFILL_MS} ms).
 *
 * <p>Thread-safety: the router thread only. Allocation: a bucket per new failing peer (control plane).
 */
public final class FailureLimiter
{
    /** Failures a peer may have in a row before it is refused. */
    public static final String BURST_PROPERTY = "switchboard.auth.failures.burst";
    /** Milliseconds for one failure to be forgiven. */
    public static final String REFILL_PROPERTY = "switchboard.auth.failures.refill.ms";
    /** Default burst. */
    public static final int DEFAULT_BURST = 5;
    /** Default refill, ms. */
    public static final long DEFAULT_REFILL_MS = 2000;
    /** Most peers tracked. */
    public static final int MAX_PEERS = 4096;

    private final int burst;
    private final long refillNs;
    private final Map<String, long[]> buckets = new HashMap<>();

    /**
     * @param burst    failures allowed in a row, at least 1.
     * @param refillNs time for one failure to be forgiven, positive.
     */
    public FailureLimiter(final int burst, final long refillNs)
    {
        if (burst < 1 || refillNs <= 0)
        {
            throw new IllegalArgumentException("failure limit needs burst >= 1 (" + BURST_PROPERTY + "=" + burst +
                ") and refill > 0 (" + REFILL_PROPERTY + "=" + refillNs / 1_000_000 + " ms)");
        }
        this.burst = burst;
        this.refillNs = refillNs;
    }

    /** @return failures allowed in a row. */
    public int burst()
    {
        return burst;
    }

    /**
     * @param peer  key of the peer (its user).
     * @param nowNs clock.
     * @return true when the peer has no token left and must be refused now.
     */
    public boolean isLimited(final String peer, final long nowNs)
    {
        final long[] b = buckets.get(peer);
        return b != null && tokens(b, nowNs) < 1;
    }

    /**
     * Take a token for a failure.
     *
     * @param peer  key of the peer.
     * @param nowNs clock.
     */
    public void onFailure(final String peer, final long nowNs)
    {
        long[] b = buckets.get(peer);
        if (b == null)
        {
            if (buckets.size() >= MAX_PEERS)
            {
                evictRefilled(nowNs);
            }
            b = new long[] {burst, nowNs};
            buckets.put(peer, b);
        }
        final long t = tokens(b, nowNs);
        b[0] = Math.max(0, t - 1);
    }

    private long tokens(final long[] b, final long nowNs)
    {
        final long earned = (nowNs - b[1]) / refillNs;
        if (earned > 0)
        {
            b[0] = Math.min(burst, b[0] + earned);
            b[1] += earned * refillNs;
        }
        return b[0];
    }

    private void evictRefilled(final long nowNs)
    {
        final Iterator<long[]> it = buckets.values().iterator();
        while (it.hasNext())
        {
            if (tokens(it.next(), nowNs) >= burst)
            {
                it.remove();
            }
        }
    }
}
