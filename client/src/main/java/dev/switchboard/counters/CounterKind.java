package dev.switchboard.counters;

/**
 * What a per-tier, per-pattern counter counts.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum CounterKind
{
    /** Offers accepted by a transport (or by the router's ingress). */
    SENT,
    /** Messages handed to a receiver's handler. */
    DELIVERED,
    /**
     * Offers refused because a ring or socket was full; the caller was told. Counts attempts, not
     * messages: a sender that retries a message ten times against a full ring counts ten (as Aeron's
     * back-pressure events do), which is what measures how hard a receiver is being pushed.
     */
    BACK_PRESSURED,
    /** Offers refused for a reason other than back-pressure (too large, not connected, policy...). */
    REJECTED
}
