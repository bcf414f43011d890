/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.switchboard.bench.harness.BenchEndpoint;

/**
 * The limits every peer case shares, so that no peer is timed with an advantage of its own: how many messages one
 * poll delivers, and how long an initiator waits for its responder.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>open timeout</td><td>{@value #OPEN_TIMEOUT_MS_PROP}</td><td>20,000 ms</td></tr>
 * </table>
 */
public final class PeerLimits
{
    /** The most messages one {@code poll} delivers: {@link BenchEndpoint#POLL_LIMIT}, the same for every case. */
    public static final int POLL_LIMIT = BenchEndpoint.POLL_LIMIT;

    /** Property: how long, in milliseconds, an initiator waits for its responder (and a client for its driver). */
    public static final String OPEN_TIMEOUT_MS_PROP = "switchboard.bench.peer.open.timeout.ms";

    /** Default of {@value #OPEN_TIMEOUT_MS_PROP}. */
    public static final long OPEN_TIMEOUT_MS_DEFAULT = 20_000;

    private static final long WAIT_SLEEP_MS = 1;

    /** What {@link #await} waits for; may throw, which ends the wait with that exception. */
    @FunctionalInterface
    interface Condition
    {
        boolean isMet() throws Exception;
    }

    private PeerLimits()
    {
    }

    /**
     * @return {@value #OPEN_TIMEOUT_MS_PROP}, read at each call (opening is not on the message path).
     */
    public static long openTimeoutMs()
    {
        return Long.getLong(OPEN_TIMEOUT_MS_PROP, OPEN_TIMEOUT_MS_DEFAULT);
    }

    /**
     * Wait, sleeping a millisecond between tries, until {@code condition} holds. For opening endpoints only: it
     * sleeps, which no message path may do.
     *
     * @param caseId    the case, for the message.
     * @param what      what is awaited, completing "timed out waiting for ...".
     * @param condition the condition.
     * @throws TimeoutException when {@link #openTimeoutMs()} passes first, naming the case and what it waited for.
     * @throws Exception        whatever the condition throws.
     */
    static void await(final String caseId, final String what, final Condition condition) throws Exception
    {
        final long timeoutMs = openTimeoutMs();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.isMet())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new TimeoutException(caseId + ": timed out after " + timeoutMs + " ms (" + OPEN_TIMEOUT_MS_PROP +
                    ") waiting for " + what);
            }
            Thread.sleep(WAIT_SLEEP_MS);
        }
    }
}
