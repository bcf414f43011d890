package dev.switchboard.idle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * In-process parking: the owner sleeps in {@link LockSupport#parkNanos(Object, long)} and producers in the same JVM
 * (other agent threads, the router thread delivering to an in-process inbox) wake it with
 * {@link LockSupport#unpark(Thread)}. No system call while the owner is awake, and no JVM flag.
 *
 * <p>Producer protocol: after making data visible to the owner (an offer into its ring, which is a release or
 * stronger), call {@link #wakeIfParked()}: one volatile load of the parked word while the owner is awake (the busy
 * case); when it is parked, the producer that wins the compare-and-set unparks it. See {@link Parker} for the Dekker
 * pair that makes this lose no wake-up. An unpark that comes when the owner did not sleep after all leaves a permit
 * behind: its next sleep returns at once, a spurious wake-up, never a lost one.
 *
 * <p>The parked word sits alone between padding (128 bytes each side, two cache lines for the adjacent-line
 * prefetcher): producers load it on every message, the owner writes it only when it parks, and nothing else must
 * share its line.
 *
 * <p>Thread-safety: owner methods ({@link #announce()}, {@link #sleep(long)}, {@link #retract()}) on one thread at
 * a time, the owner's (the first to announce; a later owner thread takes over at its announce);
 * {@link #wakeIfParked()} and {@link #wakeUp()} from any thread. Allocation: none.
 */
public final class ThreadParker extends ThreadParkerWord implements Parker
{
    // Padding after the word (the superclass pads before it): see the class comment.
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21, p22, p23, p24, p25;

    private volatile Thread owner;
    private volatile boolean wakeUpPending;
    private long unparks;

    /**
     * A parker with no owner yet: the owner thread is recorded at its first {@link #announce()}.
     */
    public ThreadParker()
    {
    }

    @Override
    public boolean announce()
    {
        final Thread current = Thread.currentThread();
        if (owner != current)
        {
            owner = current;
        }
        PARKED.setVolatile(this, 1);
        return true;
    }

    @Override
    public boolean sleep(final long timeoutNs)
    {
        if (wakeUpPending)
        {
            wakeUpPending = false;
            return true;
        }
        final long start = System.nanoTime();
        LockSupport.parkNanos(this, timeoutNs);
        // parkNanos says nothing of why it returned: the word tells. A producer that woke us took the word.
        return 0 == (int)PARKED.getVolatile(this) || System.nanoTime() - start < timeoutNs;
    }

    @Override
    public void retract()
    {
        PARKED.setRelease(this, 0);
    }

    @Override
    public void wakeUp()
    {
        wakeUpPending = true;
        final Thread thread = owner;
        if (null != thread)
        {
            PARKED.setVolatile(this, 0);
            LockSupport.unpark(thread);
        }
    }

    /**
     * Producer side, after making data visible to the owner: wake it if it is parked.
     *
     * @return true when this call woke the owner.
     */
    public boolean wakeIfParked()
    {
        if (0 != (int)PARKED.getVolatile(this) && PARKED.compareAndSet(this, 1, 0))
        {
            final Thread thread = owner;
            if (null != thread)
            {
                unparks++;
                LockSupport.unpark(thread);
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the owner is (about to be) asleep and no producer has woken it yet.
     *
     * @return true while the parked word is raised.
     */
    public boolean isParked()
    {
        return 0 != (int)PARKED.getVolatile(this);
    }

    /**
     * Wake-ups made by producers (racy count, for diagnostics).
     *
     * @return count.
     */
    public long unparks()
    {
        return unparks;
    }
}

/**
 * Padding before the parked word of {@link ThreadParker} (JCTools-style class-hierarchy padding: the JVM lays out a
 * superclass's fields before a subclass's, so the word cannot be placed next to another object's hot field).
 */
@SuppressWarnings("unused")
abstract class ThreadParkerPad
{
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

/**
 * The parked word of {@link ThreadParker}: 1 while the owner is (about to be) parked, 0 while it is awake. Written
 * by the owner (raise, lower) and by the producer that takes it (compare-and-set 1 to 0).
 */
abstract class ThreadParkerWord extends ThreadParkerPad
{
    static final VarHandle PARKED;

    static
    {
        try
        {
            PARKED = MethodHandles.lookup().findVarHandle(ThreadParkerWord.class, "parked", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile int parked;
}
