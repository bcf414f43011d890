package dev.switchboard.router.cluster;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * The idle strategy of the bridge's embedded media driver (its one {@code SHARED} thread): after the last work, yield
 * the CPU ({@link Thread#yield()}, {@code sched_yield}) between duty cycles for {@code yieldNs}, then park
 * {@code parkNs} at a time until work comes. The router's duty cycle applies the same window to itself when bridged
 * ({@code switchboard.cluster.idle.yield.us}, {@code switchboard.cluster.idle.park.us}). The driver's default
 * {@code BackoffIdleStrategy} (Aeron's {@code Configuration}: 10 spins, 20 yields, then parks from 1 us doubling up to
 * 1 ms) is past its yields within microseconds, so a datagram that came a round trip after the last one waited for a
 * park; yielding for a window of time instead keeps the driver at hand for the round trip in flight, and on a machine
 * with few CPUs gives the CPU to the threads that need it.
 *
 * <p>Thread-safety: one thread. Allocation: none.
 */
public final class BridgeIdleStrategy implements IdleStrategy
{
    private final long yieldNs;
    private final long parkNs;
    private boolean busy = true;
    private long yieldUntilNs;

    /**
     * @param yieldNs how long to yield after the last work, &gt;= 0 (0: park at once).
     * @param parkNs  each park after that, &gt; 0.
     */
    public BridgeIdleStrategy(final long yieldNs, final long parkNs)
    {
        if (yieldNs < 0 || parkNs <= 0)
        {
            throw new IllegalArgumentException("yield " + yieldNs + " ns must be >= 0 and park " + parkNs +
                " ns > 0");
        }
        this.yieldNs = yieldNs;
        this.parkNs = parkNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            busy = true;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        final long nowNs = System.nanoTime();
        if (busy)
        {
            busy = false;
            yieldUntilNs = nowNs + yieldNs;
        }
        if (nowNs - yieldUntilNs < 0)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(parkNs);
        }
    }

    @Override
    public void reset()
    {
        busy = true;
    }

    @Override
    public String alias()
    {
        return "bridge";
    }

    @Override
    public String toString()
    {
        return "BridgeIdleStrategy{yieldNs=" + yieldNs + ", parkNs=" + parkNs + '}';
    }
}
