package dev.switchboard.ipc.shm;

import dev.switchboard.idle.Parker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static dev.switchboard.ipc.shm.InboxDescriptor.PARKED_DOORBELL;
import static dev.switchboard.ipc.shm.InboxDescriptor.PARKED_FUTEX;

/**
 * The {@link Parker} of an agent that owns an inbox: it sleeps on its inbox's parked word
 * ({@link InboxDescriptor#PARKED_OFFSET}), in one of two ways chosen afresh at every park:
 * <ul>
 *   <li><b>{@link Mode#FUTEX}</b>, when this process can make the futex call ({@link Futex#isAvailable()}) and the
 *       router can relay wakes ({@code routerRelaysWakes}, from bit 1 of the router's {@code Challenge.flags}): the
 *       word is set to {@link InboxDescriptor#PARKED_FUTEX} and the owner sleeps in {@code FUTEX_WAIT} on it. A
 *       producer with native access wakes it with {@code FUTEX_WAKE}; one without asks the router to
 *       ({@code Wake}). The relay is why both conditions are needed: without it, a producer started without
 *       {@code --enable-native-access} could not wake this owner at all.</li>
 *   <li><b>{@link Mode#DOORBELL}</b> otherwise: the word is set to {@link InboxDescriptor#PARKED_DOORBELL} and the
 *       owner sleeps in a {@link Selector} on its {@link Doorbell} socket (and on the channels given to
 *       {@link #register}); any producer, flags or not, rings it with one byte. This is the pure-{@code java.nio}
 *       fallback: a JVM without native access parks here.</li>
 * </ul>
 * In futex mode the parked word is the only way to wake the owner: every producer of every tier (ring commits,
 * socket and link writes, LOW appends) must {@link InboxFile#signal} or {@link InboxFile#wakeIfParked()} after it
 * makes its data visible; the channels given to {@link #register} are watched only in doorbell mode. Where a
 * producer does not (a peer that died and so never writes again, an old one), the owner still wakes at its park's
 * timeout, its next duty deadline: late, never lost. An owner with no inbox (CRITICAL unavailable) always sleeps in
 * the selector, on the registered channels only.
 *
 * <p>A futex call that fails with an unexpected error (not a wake, a timeout, a signal or a changed word) is
 * reported once (System.Logger {@code dev.switchboard.ipc.shm}, WARNING) and this parker uses the doorbell from
 * then on.
 *
 * <p>Thread-safety: the owner's thread, except {@link #wakeUp()} (any thread) and the counters (racy reads).
 * Allocation: none when parking on the futex; a doorbell sleep allocates nothing of its own (the selector
 * implementation may), and accepting a new bell connection allocates its channel.
 */
public final class InboxParker implements Parker, AutoCloseable
{
    /** How an owner parks. */
    public enum Mode
    {
        /** {@code FUTEX_WAIT} on the parked word. */
        FUTEX,
        /** A {@link Selector} on the doorbell socket and the registered channels. */
        DOORBELL
    }

    private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.shm");
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final InboxFile inbox;
    private final BooleanSupplier routerRelaysWakes;
    private final Selector selector;
    private final Futex.Waiter waiter;
    private final MemorySegment word;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private volatile boolean wakeUpPending;

    // Owner thread only (counters are read racily by others).
    private Mode mode = Mode.DOORBELL;
    private boolean wordRaised;
    private boolean futexFailed;
    private long futexSleeps;
    private long doorbellSleeps;
    private long rings;

    /**
     * Park on an inbox this process owns.
     *
     * @param inbox             the owner's inbox, open; or null for an owner without one (it then sleeps on the
     *                          registered channels only).
     * @param routerRelaysWakes true when the router relays {@code Wake} frames (bit 1 of its {@code Challenge.flags});
     *                          asked at every park, on the owner's thread; must not allocate.
     * @throws IllegalArgumentException if the inbox is not an open one this process owns.
     * @throws UncheckedIOException     if the selector cannot be opened.
     */
    public InboxParker(final InboxFile inbox, final BooleanSupplier routerRelaysWakes)
    {
        if (null != inbox && (!inbox.isOwner() || inbox.isClosed()))
        {
            throw new IllegalArgumentException("can only park on an open inbox this process owns: " + inbox);
        }
        this.inbox = inbox;
        this.routerRelaysWakes = null == routerRelaysWakes ? () -> false : routerRelaysWakes;
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector: " + ex, ex);
        }
        if (null != inbox)
        {
            inbox.doorbell().register(selector);
        }
        this.waiter = null != inbox && Futex.isAvailable() ? new Futex.Waiter() : null;
        this.word = null == inbox ? null : inbox.parkedWord();
    }

    /**
     * Add a channel of the owner's (for example its control socket) to the doorbell-mode sleep, so that its traffic
     * wakes the owner there too. The channel must be non-blocking. Its key is left to the owner: this parker neither
     * reads it nor keeps it selected.
     *
     * @param channel the channel.
     * @param ops     interest set, for example {@link SelectionKey#OP_READ}.
     * @return the key, for the owner to cancel.
     * @throws UncheckedIOException if the channel is closed.
     */
    public SelectionKey register(final SelectableChannel channel, final int ops)
    {
        try
        {
            return channel.register(selector, ops);
        }
        catch (final ClosedChannelException ex)
        {
            throw new UncheckedIOException("cannot register a closed channel: " + channel, ex);
        }
    }

    /**
     * How the next park would sleep, given the futex, the relay and the inbox as they are now (owner thread).
     *
     * @return the mode.
     */
    public Mode nextMode()
    {
        return null != waiter && !futexFailed && hasOpenInbox() && routerRelaysWakes.getAsBoolean() ?
            Mode.FUTEX : Mode.DOORBELL;
    }

    @Override
    public boolean announce()
    {
        mode = nextMode();
        wordRaised = hasOpenInbox();
        if (wordRaised)
        {
            inbox.park(Mode.FUTEX == mode ? PARKED_FUTEX : PARKED_DOORBELL);
        }
        return true;
    }

    @Override
    public boolean sleep(final long timeoutNs)
    {
        // Read after the word was raised: a wakeUp() that missed the word set this first (see wakeUp()).
        if (wakeUpPending)
        {
            wakeUpPending = false;
            return true;
        }
        return Mode.FUTEX == mode ? sleepOnFutex(timeoutNs) : sleepOnDoorbell(timeoutNs);
    }

    @Override
    public void retract()
    {
        if (wordRaised && !inbox.isClosed())
        {
            inbox.unpark();
        }
        wordRaised = false;
    }

    /**
     * End the owner's current sleep, or its next one if it is not asleep, from any thread (for example to stop it).
     */
    @Override
    public void wakeUp()
    {
        // Pending first, then the word (both sequentially consistent): against the owner's raise-then-check-pending,
        // either the owner sees pending and does not sleep, or this sees the word raised and wakes it.
        wakeUpPending = true;
        if (hasOpenInbox())
        {
            inbox.wakeIfParked();
        }
        selector.wakeup();
    }

    /**
     * Close the selector and free the futex waiter's memory (the inbox and registered channels stay open). Owner
     * thread, not while sleeping. Idempotent.
     */
    @Override
    public void close()
    {
        if (null != waiter)
        {
            waiter.close();
        }
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close the selector: " + ex, ex);
        }
    }

    /**
     * Sleeps on the futex so far.
     *
     * @return count.
     */
    public long futexSleeps()
    {
        return futexSleeps;
    }

    /**
     * Sleeps in the selector (doorbell mode) so far.
     *
     * @return count.
     */
    public long doorbellSleeps()
    {
        return doorbellSleeps;
    }

    /**
     * Doorbell rings seen on waking: bell connections accepted plus bell bytes drained.
     *
     * @return count.
     */
    public long rings()
    {
        return rings;
    }

    /**
     * The inbox parked on.
     *
     * @return the inbox, or null.
     */
    public InboxFile inbox()
    {
        return inbox;
    }

    private boolean hasOpenInbox()
    {
        return null != inbox && !inbox.isClosed();
    }

    private boolean sleepOnFutex(final long timeoutNs)
    {
        futexSleeps++;
        final int result = waiter.await(word, PARKED_FUTEX, timeoutNs);
        if (0 == result || -Futex.EAGAIN == result || -Futex.EINTR == result)
        {
            return true;
        }
        if (-Futex.ETIMEDOUT == result)
        {
            return false;
        }
        futexFailed = true;
        LOG.log(System.Logger.Level.WARNING, "futex(FUTEX_WAIT) on inbox " + inbox.path() + " failed with errno " +
            -result + ": parking on the doorbell from now on");
        return true;
    }

    private boolean sleepOnDoorbell(final long timeoutNs)
    {
        doorbellSleeps++;
        // Selector timeouts are milliseconds and 0 means for ever: round up, at least 1.
        final long timeoutMs = Math.max(1, (timeoutNs + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
        final long start = System.nanoTime();
        try
        {
            final int selected = selector.select(onSelected, timeoutMs);
            return selected > 0 || System.nanoTime() - start < timeoutNs;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector failed while parked: " + ex, ex);
        }
    }

    private void onSelected(final SelectionKey key)
    {
        if (key.attachment() instanceof final Doorbell doorbell)
        {
            rings += doorbell.onReady(key);
        }
    }
}
