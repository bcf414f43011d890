package dev.switchboard.ipc.shm;

import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Idle strategy of an agent that owns one or more inboxes: spin, then yield, then sleep until a sender rings,
 * so an idle agent burns no core and a busy one never sleeps.
 * <ol>
 *   <li>Spin ({@link Thread#onSpinWait()}) for {@link #spinNs()} after the last work (default
 *       {@value #DEFAULT_SPIN_NS} ns, property {@value #SPIN_NS_PROP}).</li>
 *   <li>Yield ({@link Thread#yield()}) {@link #yields()} times (default {@value #DEFAULT_YIELDS}, property
 *       {@value #YIELDS_PROP}).</li>
 *   <li>Park: raise the parked flag in every inbox header, look once more at the inboxes (the
 *       {@code inboxesEmpty} supplier, for example {@code ring.size() == 0}): if a message arrived meanwhile, do
 *       not sleep. Otherwise sleep in {@link Selector#select(Consumer, long)} for at most {@link #maxParkMs()}
 *       (default {@value #DEFAULT_MAX_PARK_MS} ms, property {@value #MAX_PARK_MS_PROP}; the wait is bounded so
 *       the owner's duty cycle still heartbeats). On waking, lower the flags and drain the doorbells (accepting
 *       new bell connections). Until work comes back, later idle calls park again straight away.</li>
 * </ol>
 * The flag-then-look order closes the lost wake-up race: a sender claims ring space (a sequentially consistent
 * CAS on the tail) and then loads the flag; the owner stores the flag and then loads the tail. At least one of
 * them sees the other's write, so either the owner does not sleep or the sender sees the flag and rings (see
 * {@link InboxDescriptor}). A ring that comes when the owner did not sleep after all leaves a byte behind; the
 * next sleep returns at once and drains it: a spurious wake-up, never a lost one.
 *
 * <p>{@link #register(SelectableChannel, int)} adds the owner's other channels (its control/NORMAL socket),
 * so one wait covers every tier. Their keys are left to the owner: the strategy neither reads them nor keeps
 * them selected; the owner's next duty cycle reads its sockets.
 *
 * <h2>Thread-safety</h2>
 * One owner thread calls {@link #idle}, {@link #reset()} and {@link #register}; {@link #wakeUp()} may be called
 * from any thread, and interrupting the owner thread also ends its sleep (as {@code AgentRunner.close} does).
 *
 * <h2>Allocation</h2>
 * None in {@link #idle} and {@link #reset()} on the spin and yield paths; a sleep allocates nothing of its own
 * (the selector implementation may), and accepting a new bell connection allocates its channel.
 */
public final class ParkingIdleStrategy implements IdleStrategy, AutoCloseable
{
    /** System property: spin window after the last work, nanoseconds. */
    public static final String SPIN_NS_PROP = "switchboard.idle.spin.ns";
    /** Default spin window: 50 µs. */
    public static final long DEFAULT_SPIN_NS = 50_000;
    /** System property: number of {@link Thread#yield()} calls after the spin window, before parking. */
    public static final String YIELDS_PROP = "switchboard.idle.yields";
    /** Default number of yields. */
    public static final int DEFAULT_YIELDS = 10;
    /** System property: longest sleep, milliseconds. */
    public static final String MAX_PARK_MS_PROP = "switchboard.idle.park.ms";
    /** Default longest sleep: 100 ms. */
    public static final long DEFAULT_MAX_PARK_MS = 100;

    private static final int SPINNING = 0;
    private static final int YIELDING = 1;
    private static final int PARKING = 2;

    private final InboxFile[] inboxes;
    private final BooleanSupplier inboxesEmpty;
    private final Selector selector;
    private final long spinNs;
    private final int maxYields;
    private final long maxParkMs;
    private final Consumer<SelectionKey> onSelected = this::onSelected;

    // Owner thread only.
    private int state = SPINNING;
    private boolean spinStarted;
    private long spinStartNs;
    private int yieldCount;
    private long parkCount;
    private long ringCount;

    /**
     * Park on one inbox, with the defaults (or their system properties), looking at its ring's size before
     * sleeping.
     *
     * @param inbox an inbox this process owns.
     */
    public ParkingIdleStrategy(final InboxFile inbox)
    {
        this(List.of(inbox), () -> 0 == inbox.ring().size(), spinNsFromProperty(), yieldsFromProperty(),
            maxParkMsFromProperty());
    }

    /**
     * Park on any number of inboxes (possibly none: then only registered channels wake the owner).
     *
     * @param inboxes      inboxes this process owns; their flags are raised while parked and their doorbells
     *                     wake the owner.
     * @param inboxesEmpty true if nothing is waiting in any of them (and in anything else the owner polls
     *                     without a selectable channel); called after the flags are raised, before sleeping.
     * @param spinNs       spin window in nanoseconds, {@code >= 0}.
     * @param yields       number of yields after the spin window, {@code >= 0}.
     * @param maxParkMs    longest sleep in milliseconds, {@code >= 1}.
     * @throws IllegalArgumentException naming the value if a setting is out of range or an inbox is not the
     *                                  owner's.
     * @throws UncheckedIOException     if the selector cannot be opened.
     */
    public ParkingIdleStrategy(
        final List<InboxFile> inboxes,
        final BooleanSupplier inboxesEmpty,
        final long spinNs,
        final int yields,
        final long maxParkMs)
    {
        if (spinNs < 0 || yields < 0 || maxParkMs < 1)
        {
            throw new IllegalArgumentException("need spinNs >= 0, yields >= 0, maxParkMs >= 1: spinNs=" + spinNs +
                " yields=" + yields + " maxParkMs=" + maxParkMs);
        }
        for (final InboxFile inbox : inboxes)
        {
            if (!inbox.isOwner() || inbox.isClosed())
            {
                throw new IllegalArgumentException("can only park on an open inbox this process owns: " + inbox);
            }
        }
        this.inboxes = inboxes.toArray(new InboxFile[0]);
        this.inboxesEmpty = inboxesEmpty;
        this.spinNs = spinNs;
        this.maxYields = yields;
        this.maxParkMs = maxParkMs;
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector: " + ex, ex);
        }
        for (final InboxFile inbox : this.inboxes)
        {
            inbox.doorbell().register(selector);
        }
    }

    /**
     * Spin window from {@value #SPIN_NS_PROP}, else {@value #DEFAULT_SPIN_NS}.
     *
     * @return nanoseconds.
     */
    public static long spinNsFromProperty()
    {
        return Long.getLong(SPIN_NS_PROP, DEFAULT_SPIN_NS);
    }

    /**
     * Yield count from {@value #YIELDS_PROP}, else {@value #DEFAULT_YIELDS}.
     *
     * @return the count.
     */
    public static int yieldsFromProperty()
    {
        return Integer.getInteger(YIELDS_PROP, DEFAULT_YIELDS);
    }

    /**
     * Longest sleep from {@value #MAX_PARK_MS_PROP}, else {@value #DEFAULT_MAX_PARK_MS}.
     *
     * @return milliseconds.
     */
    public static long maxParkMsFromProperty()
    {
        return Long.getLong(MAX_PARK_MS_PROP, DEFAULT_MAX_PARK_MS);
    }

    /**
     * Add a channel of the owner's (for example its control socket) to the wait, so its traffic wakes the
     * owner too. The channel must be non-blocking.
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
        if (SPINNING == state)
        {
            final long now = System.nanoTime();
            if (!spinStarted)
            {
                spinStarted = true;
                spinStartNs = now;
            }
            if (now - spinStartNs < spinNs)
            {
                Thread.onSpinWait();
                return;
            }
            state = YIELDING;
        }
        if (YIELDING == state)
        {
            if (yieldCount < maxYields)
            {
                yieldCount++;
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
        state = SPINNING;
        spinStarted = false;
        yieldCount = 0;
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "parking";
    }

    /**
     * End the owner's current (or next) sleep early, from any thread.
     */
    public void wakeUp()
    {
        selector.wakeup();
    }

    /**
     * Close the selector (the inboxes and registered channels stay open). Owner thread, not while sleeping.
     */
    public void close()
    {
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
     * Number of times the owner went to sleep (for tests and diagnostics; owner thread).
     *
     * @return sleeps so far.
     */
    public long parkCount()
    {
        return parkCount;
    }

    /**
     * Number of doorbell rings seen on waking: bell connections accepted plus bell bytes drained (owner
     * thread).
     *
     * @return rings so far.
     */
    public long ringCount()
    {
        return ringCount;
    }

    /**
     * Spin window.
     *
     * @return nanoseconds.
     */
    public long spinNs()
    {
        return spinNs;
    }

    /**
     * Yields before parking.
     *
     * @return the count.
     */
    public int yields()
    {
        return maxYields;
    }

    /**
     * Longest sleep.
     *
     * @return milliseconds.
     */
    public long maxParkMs()
    {
        return maxParkMs;
    }

    private void park()
    {
        final InboxFile[] inboxes = this.inboxes;
        for (final InboxFile inbox : inboxes)
        {
            if (!inbox.isClosed())
            {
                inbox.park();
            }
        }
        try
        {
            // The flags are up (sequentially consistent stores): a sender claiming from now on will ring.
            if (inboxesEmpty.getAsBoolean())
            {
                parkCount++;
                selector.select(onSelected, maxParkMs);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector failed while parked: " + ex, ex);
        }
        finally
        {
            for (final InboxFile inbox : inboxes)
            {
                if (!inbox.isClosed())
                {
                    inbox.unpark();
                }
            }
        }
    }

    private void onSelected(final SelectionKey key)
    {
        if (key.attachment() instanceof final Doorbell doorbell)
        {
            ringCount += doorbell.onReady(key);
        }
    }
}
