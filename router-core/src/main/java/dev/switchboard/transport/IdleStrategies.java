package dev.switchboard.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The idle strategies a client can choose by name ({@code switchboard.client.idle}), Agrona's family:
 * <ul>
 *   <li>{@code busy-spin}: {@link BusySpinIdleStrategy}, never gives the CPU up: lowest latency, one core per agent;</li>
 *   <li>{@code yield}: {@link YieldingIdleStrategy}, {@code Thread.yield()} between empty polls;</li>
 *   <li>{@code backoff}: {@link BackoffIdleStrategy}, spins, yields, then sleeps up to 1 ms (it wakes on its own
 *       schedule, not when a message comes);</li>
 *   <li>{@code spin-park}: spins for a bounded time after the last message, then sleeps until a sender wakes it. Only a
 *       connection that can be woken makes it ({@link RouterConnection#idleStrategy(String)}); here it is
 *       {@code backoff}.</li>
 * </ul>
 *
 * <p>Thread-safety: each call returns a new strategy, for one thread. Allocation: at creation only.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name one of the names above.
     * @return a new strategy that needs no wake-up from senders.
     * @throws IllegalArgumentException for any other name.
     */
    public static IdleStrategy basic(final String name)
    {
        return switch (name)
        {
            case "busy-spin" -> new BusySpinIdleStrategy();
            case "yield" -> new YieldingIdleStrategy();
            case "backoff", "spin-park" -> new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            default -> throw new IllegalArgumentException(
                "idle strategy must be busy-spin, yield, backoff or spin-park: '" + name + "'");
        };
    }
}
