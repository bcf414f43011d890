package dev.switchboard.router;

import java.util.concurrent.locks.LockSupport;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import org.agrona.concurrent.IdleStrategy;

/**
 * The quiet router's idle strategy: after the last work, spin for {@link RouterContext#idleSpinNs()} making no system
 * call (the duty cycle keeps looking at memory only: the ingress, and whatever shared-memory sources its I/O engine
 * watches), then block once, until the router's next deadline ({@link Router#nextDeadlineNs()}) but at most
 * {@link RouterContext#idleMaxParkNs()}, in whatever wait the {@link Parker} provides (a {@code LockSupport} park, a
 * {@code Selector.select}, an io_uring wait). So an idle router wakes only for its deadlines and at most
 * {@code 1 / idleMaxPark} times a second, not on a fixed tick.
 *
 * <p>Waking: before blocking it raises the ingress's parked word and looks once more at its sources
 * ({@link Ingress#prepareToPark()}); a producer that commits to the ingress while it is parked runs the parker's
 * {@link Parker#unpark()}. Sockets wake a selector or ring wait by themselves. {@link Router#close()} raises
 * {@link Router#isStopping()}, a source too, and wakes it the same way, so closing an idle router does not wait out
 * its park.
 *
 * <p>Thread-safety: the router's duty-cycle thread only, except {@link Parker#unpark()}. Allocation: none.
 */
public final class QuietIdleStrategy implements IdleStrategy
{
    /**
     * How the duty cycle blocks and is woken.
     */
    public interface Parker
    {
        /**
         * A last look, without any system call, at sources the ingress does not cover, just before blocking.
         *
         * @return true when something waits: do not block.
         */
        default boolean hasPendingWork()
        {
            return false;
        }

        /**
         * Block the duty-cycle thread for at most {@code timeoutNs}, or until {@link #unpark()} or (for an I/O
         * engine) one of its sockets is ready.
         *
         * @param timeoutNs longest wait, &gt; 0.
         */
        void park(long timeoutNs);

        /**
         * Wake the duty-cycle thread from {@link #park(long)}; from any thread.
         */
        void unpark();
    }

    private final Router router;
    private final Parker parker;
    private final long spinNs;
    private final long maxParkNs;
    private final int parksCounter = CounterIds.of(RouterCounter.ROUTER_PARKS);
    private boolean busy = true;
    private long spinUntilNs;

    /**
     * Park the thread itself ({@link LockSupport}), unparked by producers: for a router with no I/O engine.
     *
     * @param router whose duty cycle idles.
     */
    public QuietIdleStrategy(final Router router)
    {
        this(router, new ThreadParker());
    }

    /**
     * @param router whose duty cycle idles.
     * @param parker how it blocks and is woken.
     */
    public QuietIdleStrategy(final Router router, final Parker parker)
    {
        this.router = router;
        this.parker = parker;
        this.spinNs = router.context().idleSpinNs();
        this.maxParkNs = router.context().idleMaxParkNs();
        router.ingress().waker(parker::unpark);
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
        final long nowNs = router.context().nanoClock().nanoTime();
        if (busy)
        {
            busy = false;
            spinUntilNs = nowNs + spinNs;
        }
        if (nowNs - spinUntilNs < 0)
        {
            Thread.onSpinWait();
            return;
        }
        final long deadlineNs = router.nextDeadlineNs();
        final long timeoutNs = deadlineNs == Long.MAX_VALUE ? maxParkNs : Math.min(maxParkNs, deadlineNs - nowNs);
        if (timeoutNs <= 0)
        {
            return; // a deadline is due: the next duty cycle handles it
        }
        final Ingress ingress = router.ingress();
        ingress.prepareToPark();
        try
        {
            if (ingress.isEmpty() && !router.hasNewSessions() && !router.isStopping() && !parker.hasPendingWork())
            {
                router.counters().block().increment(parksCounter);
                parker.park(timeoutNs);
            }
        }
        finally
        {
            ingress.awake();
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
        return "quiet";
    }

    @Override
    public String toString()
    {
        return "QuietIdleStrategy{spinNs=" + spinNs + ", maxParkNs=" + maxParkNs + ", parker=" + parker + '}';
    }

    /**
     * Parks the duty-cycle thread with {@link LockSupport}; {@link #unpark()} unparks it.
     */
    static final class ThreadParker implements Parker
    {
        private volatile Thread thread;

        @Override
        public void park(final long timeoutNs)
        {
            if (thread == null)
            {
                // Known only now: a producer that looked before this store could not unpark us, so do not sleep yet.
                thread = Thread.currentThread();
                return;
            }
            LockSupport.parkNanos(this, timeoutNs);
        }

        @Override
        public void unpark()
        {
            final Thread t = thread;
            if (t != null)
            {
                LockSupport.unpark(t);
            }
        }
    }
}
