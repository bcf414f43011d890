package dev.switchboard.idle;

/**
 * How an owner sleeps until a producer wakes it: the mechanism under {@link SpinParkIdleStrategy}. An owner parks
 * in three steps, and the order is what makes a wake-up impossible to lose:
 * <ol>
 *   <li>{@link #announce()}: publish "I am about to sleep" (a sequentially consistent store of a parked word);</li>
 *   <li>the strategy's last look at everything the owner reads (its rings, its signals);</li>
 *   <li>{@link #sleep(long)}, ending early when a producer wakes it, then {@link #retract()}.</li>
 * </ol>
 * A producer makes its data visible, then loads the parked word and, if it is raised, takes it (compare-and-set back
 * to awake) and wakes the owner. The owner's store then load, against the producer's store then load, is a Dekker
 * pair: at least one side sees the other's write, so either the last look finds the data or the producer sees the
 * word raised and wakes the owner (whose sleep then ends at once, or never starts).
 *
 * <p>Implementations: {@link ThreadParker} (in-process, {@code LockSupport}); in {@code ipc-native}, the inbox
 * parker (a futex on the inbox file's parked word, or the doorbell socket where the futex cannot be used).
 *
 * <p>Thread-safety: {@link #announce()}, {@link #sleep(long)} and {@link #retract()} belong to the owner's thread;
 * {@link #wakeUp()} may be called from any thread. Allocation: none in any of them, unless an implementation says
 * otherwise.
 */
public interface Parker
{
    /**
     * Owner: raise the parked word, so that producers from now on wake the owner.
     *
     * @return false if this parker cannot sleep now (for example its inbox is closed): the strategy then neither
     * looks nor sleeps (and does not call {@link #retract()}).
     */
    boolean announce();

    /**
     * Owner, after {@link #announce()} and a last look that found nothing: sleep until woken or the timeout passes.
     * A wake-up that came before the sleep began ends it at once. Spurious returns are allowed.
     *
     * @param timeoutNs longest sleep, {@code > 0}.
     * @return false when the sleep ended because the timeout passed, true otherwise (woken, or spuriously).
     */
    boolean sleep(long timeoutNs);

    /**
     * Owner: lower the parked word (awake again) after {@link #sleep(long)} or after a last look that found work.
     */
    void retract();

    /**
     * Any thread: end the owner's current sleep, or its next one if it is not asleep.
     */
    void wakeUp();
}
