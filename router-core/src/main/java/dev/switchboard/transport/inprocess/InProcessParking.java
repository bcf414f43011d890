package dev.switchboard.transport.inprocess;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.IdleStrategy;

/**
 * The {@code spin-park} idle strategy of an in-process agent: spin (no system call) for {@link #spinNs()} after the last
 * work, then park the thread until a sender unparks it, or for at most {@link #maxParkNs()} (so the owner's duty slice
 * still runs). Senders call {@link #wakeIfParked()} after each commit to the owner's rings.
 *
 * <p>Lost wake-ups: the owner stores {@code parked = 1} (volatile), then looks at its rings once more (volatile loads of
 * their tails); a sender claims ring space (a volatile CAS on the tail), commits, then loads {@code parked} (volatile).
 * Volatile accesses are totally ordered, so either the owner sees the claim and does not sleep, or the sender sees the
 * flag and unparks it (an unpark before the park makes the park return at once).
 *
 * <p>Thread-safety: {@link #idle} and {@link #reset} on the owner's thread; {@link #wakeIfParked()} from any thread.
 * Allocation: none.
 */
final class InProcessParking implements IdleStrategy
{
    private static final VarHandle PARKED;

    static
    {
        try
        {
            PARKED = MethodHandles.lookup().findVarHandle(InProcessParking.class, "parked", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BooleanSupplier nothingToRead;
    private final long spinNs;
    private final long maxParkNs;

    // Written by the owner, read by senders: padded away from the owner-only fields below.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile int parked;
    private volatile Thread owner;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    // Owner thread only.
    private long spinStartNs;
    private boolean spinning;
    private long parkCount;

    /**
     * @param nothingToRead true when every ring the owner reads is empty (its last look before sleeping).
     * @param spinNs        spin window after the last work.
     * @param maxParkNs     longest sleep.
     */
    InProcessParking(final BooleanSupplier nothingToRead, final long spinNs, final long maxParkNs)
    {
        this.nothingToRead = nothingToRead;
        this.spinNs = spinNs;
        this.maxParkNs = maxParkNs;
    }

    long spinNs()
    {
        return spinNs;
    }

    long maxParkNs()
    {
        return maxParkNs;
    }

    /**
     * @return how many times the owner went to sleep.
     */
    long parkCount()
    {
        return parkCount;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            spinning = false;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (!spinning)
        {
            spinning = true;
            spinStartNs = System.nanoTime();
            return;
        }
        if (System.nanoTime() - spinStartNs < spinNs)
        {
            Thread.onSpinWait();
            return;
        }
        owner = Thread.currentThread();
        PARKED.setVolatile(this, 1);
        if (nothingToRead.getAsBoolean())
        {
            parkCount++;
            LockSupport.parkNanos(this, maxParkNs);
        }
        PARKED.setVolatile(this, 0);
        spinning = false;
    }

    @Override
    public void reset()
    {
        spinning = false;
    }

    /**
     * After a sender committed to one of the owner's rings: unpark the owner if it is (about to be) asleep.
     */
    void wakeIfParked()
    {
        if (parked != 0 && PARKED.compareAndSet(this, 1, 0))
        {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public String alias()
    {
        return "spin-park";
    }
}
