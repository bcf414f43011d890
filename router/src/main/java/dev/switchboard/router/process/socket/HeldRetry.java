package dev.switchboard.router.process.socket;

/**
 * When a server offers again the frames that full receivers held: as soon as a socket drained (a receiver may have
 * room now) or, failing that, once per stall-retry interval. Shared by both engines ({@link SocketServer},
 * {@link UringSocketServer}), which keep their own list of held connections.
 *
 * <p>Thread-safety: the router's thread. Allocation: none.
 */
final class HeldRetry
{
    private final long intervalNs;
    /** A socket took bytes since held frames were last retried. */
    private boolean drained;
    private long nextNs;

    HeldRetry(final long intervalNs)
    {
        this.intervalNs = intervalNs;
    }

    /** A socket took bytes: retry held frames at the next chance. */
    void drained()
    {
        drained = true;
    }

    /**
     * @param anyHeld whether some connection's frame is held.
     * @param nowNs   the router's clock now.
     * @return true when the held frames should be offered again now (the next retry is then scheduled).
     */
    boolean due(final boolean anyHeld, final long nowNs)
    {
        if (!anyHeld || (!drained && nowNs - nextNs < 0))
        {
            return false;
        }
        drained = false;
        nextNs = nowNs + intervalNs;
        return true;
    }
}
