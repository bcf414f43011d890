package dev.switchboard.idle;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * The default idle strategy of a client: spin, then yield, then park until a producer wakes the owner or the
 * owner's next duty is due. Busy traffic never parks, so it never pays for a wake-up; an idle owner sleeps, so it
 * burns no core.
 * <ol>
 *   <li><b>Spin</b> ({@link Thread#onSpinWait()}, no system call) for {@code spinNs} after the last work. The clock
 *       is read when the spin starts and then once every {@value #SPINS_PER_CLOCK_READ} idle calls, not on every
 *       call: an empty poll costs a few nanoseconds, {@link System#nanoTime()} about 20, and a clock read per call
 *       would triple the time it takes a spinning owner to see a new message.</li>
 *   <li><b>Yield</b> ({@link Thread#yield()}) {@code yields} times: on a crowded machine a producer sharing the
 *       owner's CPU gets to run before the owner commits to sleeping.</li>
 *   <li><b>Park.</b> The timeout is the owner's next duty deadline ({@code nanosUntilDuty}), bounded by
 *       {@code maxParkNs}; a deadline already due returns at once so the owner runs its duty. Then
 *       {@link Parker#announce()}, the last look ({@code workPending}, called after the parked word is raised and
 *       before sleeping: true skips the sleep), {@link Parker#sleep(long)} and {@link Parker#retract()} (see
 *       {@link Parker} for why this order loses no wake-up). A park that ends without work leaves the strategy
 *       parking: the next idle call parks again straight away, so duty-slice wake-ups never spin.</li>
 * </ol>
 * {@link #idle(int)} with work, or {@link #reset()}, goes back to spinning.
 *
 * <p>A thread interrupted before it parks does not sleep (it returns, so the owner can see the interrupt); an
 * interrupt during the sleep is noticed only if the {@link Parker} notices it ({@link ThreadParker} does, a futex does
 * not: the sleep then lasts until its timeout).
 *
 * <p>Thread-safety: the owner's thread only (as every Agrona {@link IdleStrategy}); the counters may be read from
 * other threads, racily. Allocation: none; the suppliers and the parker must not allocate either.
 */
public final class SpinParkIdleStrategy implements IdleStrategy
{
    /** Idle calls between two clock reads while spinning (a power of two). */
    public static final int SPINS_PER_CLOCK_READ = 32;

    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int PARKING = 3;

    private final long spinNs;
    private final int maxYields;
    private final long maxParkNs;
    private final Parker parker;
    private final BooleanSupplier workPending;
    private final LongSupplier nanosUntilDuty;

    // Owner thread only.
    private int state = NOT_IDLE;
    private int spins;
    private int yields;
    private long spinStartNs;
    private long sleeps;
    private long timeouts;
    private long lastLookSaves;
    private long dutyDue;

    /**
     * Build a strategy.
     *
     * @param settings       spin window, yields and longest park (the kind is not looked at).
     * @param parker         how the owner sleeps and is woken.
     * @param workPending    the last look: true if anything the owner reads has work waiting (its rings, its
     *                       signals moved). Called on the owner's thread after the parked word is raised.
     * @param nanosUntilDuty nanoseconds until the owner's next duty (heartbeat, timer, sweep); {@code <= 0} when
     *                       due now; null when the owner has none (then {@code maxParkNs} bounds every park).
     */
    public SpinParkIdleStrategy(
        final IdleSettings settings,
        final Parker parker,
        final BooleanSupplier workPending,
        final LongSupplier nanosUntilDuty)
    {
        if (null == parker || null == workPending)
        {
            throw new IllegalArgumentException("a spin-park strategy needs a parker and a last look: parker=" + parker +
                " workPending=" + workPending);
        }
        this.spinNs = settings.spinNs();
        this.maxYields = settings.yields();
        this.maxParkNs = settings.maxParkNs();
        this.parker = parker;
        this.workPending = workPending;
        this.nanosUntilDuty = nanosUntilDuty;
    }

    /**
     * {@inheritDoc}
     */
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void idle()
    {
        if (NOT_IDLE == state)
        {
            spins = 0;
            yields = 0;
            if (spinNs > 0)
            {
                state = SPINNING;
                spinStartNs = System.nanoTime();
                Thread.onSpinWait();
                return;
            }
            state = YIELDING;
        }
        if (SPINNING == state)
        {
            if ((++spins & (SPINS_PER_CLOCK_READ - 1)) != 0 || System.nanoTime() - spinStartNs < spinNs)
            {
                Thread.onSpinWait();
                return;
            }
            state = YIELDING;
        }
        if (YIELDING == state)
        {
            if (yields < maxYields)
            {
                yields++;
                Thread.yield();
                return;
            }
            state = PARKING;
        }
        park();
    }

    /**
     * {@inheritDoc}
     */
    public void reset()
    {
        state = NOT_IDLE;
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "spin-park";
    }

    /**
     * Sleeps begun (for tests and diagnostics).
     *
     * @return count.
     */
    public long sleeps()
    {
        return sleeps;
    }

    /**
     * Sleeps that ended because their timeout passed, not because a producer woke the owner. With a timeout longer
     * than the gaps between messages, any such count means a wake-up came late (or was lost).
     *
     * @return count.
     */
    public long timeouts()
    {
        return timeouts;
    }

    /**
     * Parks whose last look, after the parked word was raised, found work and so did not sleep.
     *
     * @return count.
     */
    public long lastLookSaves()
    {
        return lastLookSaves;
    }

    /**
     * Parks skipped because the owner's duty was already due.
     *
     * @return count.
     */
    public long dutyDue()
    {
        return dutyDue;
    }

    /**
     * The parker.
     *
     * @return what this strategy sleeps in.
     */
    public Parker parker()
    {
        return parker;
    }

    private void park()
    {
        long timeoutNs = maxParkNs;
        if (null != nanosUntilDuty)
        {
            final long untilDuty = nanosUntilDuty.getAsLong();
            if (untilDuty <= 0)
            {
                dutyDue++;
                return;
            }
            timeoutNs = Math.min(timeoutNs, untilDuty);
        }
        if (Thread.currentThread().isInterrupted() || !parker.announce())
        {
            Thread.yield();
            return;
        }
        try
        {
            // The parked word is up (sequentially consistent): a producer publishing from now on wakes us.
            if (workPending.getAsBoolean())
            {
                lastLookSaves++;
                return;
            }
            sleeps++;
            if (!parker.sleep(timeoutNs))
            {
                timeouts++;
            }
        }
        finally
        {
            parker.retract();
        }
    }
}
