package dev.switchboard.router;

import org.agrona.concurrent.NanoClock;

/**
 * The duty cycle's "now": read from {@link RouterContext#nanoClock()} once at the start of each cycle
 * ({@link #update()}), then read by every part of the router as a plain field, so that one cycle sees one time and no
 * part pays for a clock read of its own. A frame a transport hands over between two cycles
 * ({@link Router#onSessionFrame}) sees the time of the last cycle.
 *
 * <p>Thread-safety: the router's duty-cycle thread only; a plain field with one writer. Allocation: none.
 */
final class CycleClock
{
    private final NanoClock source;
    private long nowNs;

    /**
     * @param source the router's clock; read once here, then at each {@link #update()}.
     */
    CycleClock(final NanoClock source)
    {
        this.source = source;
        this.nowNs = source.nanoTime();
    }

    /**
     * Read the source: the start of a duty cycle.
     *
     * @return the new now.
     */
    long update()
    {
        nowNs = source.nanoTime();
        return nowNs;
    }

    /**
     * @return the time read at the start of the current (or last) duty cycle, on the router's clock.
     */
    long nowNs()
    {
        return nowNs;
    }
}
