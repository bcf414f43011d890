package dev.switchboard.idle;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Maps a client's {@link IdleSettings} to an Agrona {@link IdleStrategy}:
 * <table>
 *   <caption>Strategies</caption>
 *   <tr><th>{@code switchboard.client.idle}</th><th>strategy</th><th>CPU when idle</th><th>wake-up</th></tr>
 *   <tr><td>{@code busy-spin}</td><td>Agrona {@link BusySpinIdleStrategy}</td><td>one core</td>
 *       <td>next poll</td></tr>
 *   <tr><td>{@code yield}</td><td>Agrona {@link YieldingIdleStrategy}</td><td>one core unless others run</td>
 *       <td>next poll</td></tr>
 *   <tr><td>{@code backoff}</td><td>Agrona {@link BackoffIdleStrategy}: {@value #BACKOFF_SPINS} spins, the
 *       settings' yields, then sleeps from 1 µs doubling to {@value #BACKOFF_MAX_PARK_US} µs (never longer than the
 *       settings' longest park)</td><td>low</td><td>up to the current sleep (producers never wake it)</td></tr>
 *   <tr><td>{@code spin-park} (default)</td><td>{@link SpinParkIdleStrategy} on the given {@link Parker}</td>
 *       <td>none after the spin window</td><td>a producer wakes it</td></tr>
 * </table>
 *
 * <p>Thread-safety: stateless. Allocation: the strategy, once.
 */
public final class IdleStrategies
{
    /** Spins of the {@code backoff} strategy before it yields. */
    public static final int BACKOFF_SPINS = 100;
    /** Longest sleep of the {@code backoff} strategy, microseconds. */
    public static final long BACKOFF_MAX_PARK_US = 1_000;

    private IdleStrategies()
    {
    }

    /**
     * The strategy the settings name.
     *
     * @param settings       kind and bounds.
     * @param parker         how a {@code spin-park} owner sleeps and is woken; not used by the other kinds (may be
     *                       null for them).
     * @param workPending    the last look of a {@code spin-park} owner (see {@link SpinParkIdleStrategy}).
     * @param nanosUntilDuty nanoseconds until the owner's next duty, or null for none.
     * @return a new strategy for one owner thread.
     * @throws IllegalArgumentException if {@code spin-park} is asked for without a parker or a last look.
     */
    public static IdleStrategy create(
        final IdleSettings settings,
        final Parker parker,
        final BooleanSupplier workPending,
        final LongSupplier nanosUntilDuty)
    {
        return switch (settings.kind())
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(BACKOFF_SPINS, settings.yields(), 1_000L,
                Math.min(TimeUnit.MICROSECONDS.toNanos(BACKOFF_MAX_PARK_US), settings.maxParkNs()));
            case SPIN_PARK -> new SpinParkIdleStrategy(settings, parker, workPending, nanosUntilDuty);
        };
    }
}
