package dev.switchboard.ipc.shm;

import dev.switchboard.idle.IdleSettings;
import dev.switchboard.idle.IdleStrategies;
import dev.switchboard.idle.SpinParkIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The spin-then-park idle strategy of an agent process that owns an inbox: {@link SpinParkIdleStrategy} (spin for a
 * bounded time after the last work, a few yields, then park until woken or the next duty is due) on an
 * {@link InboxParker} (a futex on the inbox's parked word where this process and the router allow it, else the
 * doorbell socket). So an idle agent burns no core and a busy one never sleeps.
 *
 * <p>{@link #create} is the entry point a client uses: it maps {@code switchboard.client.idle} (see
 * {@link IdleSettings}) to a strategy, this one for {@code spin-park}. The older constructors keep the behaviour this
 * class had before the futex (always the doorbell, a {@link java.nio.channels.Selector} that also watches the
 * channels given to {@link #register}).
 *
 * <h2>Thread-safety</h2>
 * One owner thread calls {@link #idle}, {@link #reset()}, {@link #register} and {@link #close()}; {@link #wakeUp()}
 * may be called from any thread. On the doorbell, interrupting the owner thread also ends its sleep (as
 * {@code AgentRunner.close} does); on the futex it does not (the sleep lasts until its timeout), so stop an owner
 * with {@link #wakeUp()}.
 *
 * <h2>Allocation</h2>
 * None in {@link #idle} and {@link #reset()}, parking included (see {@link InboxParker} for the doorbell's
 * selector).
 */
public final class ParkingIdleStrategy implements IdleStrategy, AutoCloseable
{
    /** System property: spin window after the last work, nanoseconds ({@link IdleSettings#SPIN_NS_PROP}). */
    public static final String SPIN_NS_PROP = IdleSettings.SPIN_NS_PROP;
    /** Default spin window: 50 µs (why: {@link IdleSettings}). */
    public static final long DEFAULT_SPIN_NS = IdleSettings.DEFAULT_SPIN_NS;
    /** System property: number of {@link Thread#yield()} calls after the spin window, before parking. */
    public static final String YIELDS_PROP = IdleSettings.YIELDS_PROP;
    /** Default number of yields. */
    public static final int DEFAULT_YIELDS = IdleSettings.DEFAULT_YIELDS;
    /** System property: longest sleep, milliseconds. */
    public static final String MAX_PARK_MS_PROP = IdleSettings.MAX_PARK_MS_PROP;
    /** Default longest sleep: 100 ms. */
    public static final long DEFAULT_MAX_PARK_MS = IdleSettings.DEFAULT_MAX_PARK_MS;

    private final IdleSettings settings;
    private final InboxParker parker;
    private final SpinParkIdleStrategy strategy;

    /**
     * Spin-park on an inbox, on the futex when this process has native access and the router relays wakes, else on
     * the doorbell.
     *
     * @param inbox             the owner's inbox, or null (then only {@link #register registered} channels wake it).
     * @param workPending       the last look, after the parked word is raised: true if anything the owner reads has
     *                          work (its ring is not empty, a signal moved, a stash holds frames). Owner thread; must
     *                          not allocate.
     * @param nanosUntilDuty    nanoseconds until the owner's next duty (heartbeat, timers, the sweep of sources that
     *                          do not signal), {@code <= 0} when due; null for none. Bounded by the settings' longest
     *                          park.
     * @param routerRelaysWakes true once the router said it relays {@code Wake} frames (bit 1 of
     *                          {@code Challenge.flags}); asked at each park.
     * @param settings          spin window, yields, longest park (the kind is not looked at).
     * @throws IllegalArgumentException if the inbox is not an open one this process owns.
     * @throws UncheckedIOException     if the selector cannot be opened.
     */
    public ParkingIdleStrategy(
        final InboxFile inbox,
        final BooleanSupplier workPending,
        final LongSupplier nanosUntilDuty,
        final BooleanSupplier routerRelaysWakes,
        final IdleSettings settings)
    {
        this.settings = settings;
        this.parker = new InboxParker(inbox, routerRelaysWakes);
        this.strategy = new SpinParkIdleStrategy(settings, parker, workPending, nanosUntilDuty);
    }

    /**
     * Park on one inbox's doorbell, with the default settings ({@link IdleSettings#defaults()}; a client's own come
     * from its {@code ClientContext}), looking at its ring's size before sleeping.
     *
     * @param inbox an inbox this process owns.
     */
    public ParkingIdleStrategy(final InboxFile inbox)
    {
        this(inbox, () -> 0 != inbox.ring().size(), null, () -> false, IdleSettings.defaults());
    }

    /**
     * Park on the doorbell of at most one inbox (none: only registered channels wake the owner), as this class did
     * before the futex.
     *
     * @param inboxes      zero or one inbox this process owns.
     * @param inboxesEmpty true if nothing is waiting in it (and in anything else the owner polls without a
     *                     selectable channel); called after the parked word is raised, before sleeping.
     * @param spinNs       spin window in nanoseconds, {@code >= 0}.
     * @param yields       number of yields after the spin window, {@code >= 0}.
     * @param maxParkMs    longest sleep in milliseconds, {@code >= 1}.
     * @throws IllegalArgumentException naming the value if a setting is out of range, there is more than one inbox,
     *                                  or the inbox is not the owner's.
     * @throws UncheckedIOException     if the selector cannot be opened.
     */
    public ParkingIdleStrategy(
        final List<InboxFile> inboxes,
        final BooleanSupplier inboxesEmpty,
        final long spinNs,
        final int yields,
        final long maxParkMs)
    {
        this(single(inboxes), () -> !inboxesEmpty.getAsBoolean(), null, () -> false,
            IdleSettings.of(IdleSettings.Kind.SPIN_PARK, spinNs, yields, maxParkMs));
    }

    /**
     * The idle strategy a client's settings name (see {@link IdleStrategies} for the table): {@code busy-spin},
     * {@code yield} and {@code backoff} are Agrona's and ignore everything but the settings; {@code spin-park} is a
     * {@link ParkingIdleStrategy} on the inbox (futex or doorbell, see {@link InboxParker}) that also watches
     * {@code watched} while on the doorbell.
     *
     * @param settings          the client's settings ({@code ClientContext.idleSettings()}).
     * @param inbox             the owner's inbox, or null when it has none.
     * @param workPending       the last look (see the first constructor).
     * @param nanosUntilDuty    nanoseconds until the owner's next duty, or null.
     * @param routerRelaysWakes true once the router said it relays {@code Wake} frames.
     * @param watched           non-blocking channels (the control socket) that also wake a doorbell-mode sleep.
     * @return a strategy for the owner's thread; {@link AutoCloseable} when it is a {@link ParkingIdleStrategy}.
     */
    public static IdleStrategy create(
        final IdleSettings settings,
        final InboxFile inbox,
        final BooleanSupplier workPending,
        final LongSupplier nanosUntilDuty,
        final BooleanSupplier routerRelaysWakes,
        final SelectableChannel... watched)
    {
        if (IdleSettings.Kind.SPIN_PARK != settings.kind())
        {
            return IdleStrategies.create(settings, null, workPending, nanosUntilDuty);
        }
        final ParkingIdleStrategy parking =
            new ParkingIdleStrategy(inbox, workPending, nanosUntilDuty, routerRelaysWakes, settings);
        for (final SelectableChannel channel : watched)
        {
            parking.register(channel, SelectionKey.OP_READ);
        }
        return parking;
    }

    /**
     * Add a channel of the owner's (for example its control socket) to the doorbell-mode sleep (see
     * {@link InboxParker#register}).
     *
     * @param channel the channel, non-blocking.
     * @param ops     interest set, for example {@link SelectionKey#OP_READ}.
     * @return the key, for the owner to cancel.
     * @throws UncheckedIOException if the channel is closed.
     */
    public SelectionKey register(final SelectableChannel channel, final int ops)
    {
        return parker.register(channel, ops);
    }

    /**
     * {@inheritDoc}
     */
    public void idle(final int workCount)
    {
        strategy.idle(workCount);
    }

    /**
     * {@inheritDoc}
     */
    public void idle()
    {
        strategy.idle();
    }

    /**
     * {@inheritDoc}
     */
    public void reset()
    {
        strategy.reset();
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
        parker.wakeUp();
    }

    /**
     * Close the selector and the futex waiter (the inbox and registered channels stay open). Owner thread, not while
     * sleeping.
     */
    public void close()
    {
        parker.close();
    }

    /**
     * Number of times the owner went to sleep (for tests and diagnostics; owner thread).
     *
     * @return sleeps so far.
     */
    public long parkCount()
    {
        return strategy.sleeps();
    }

    /**
     * Sleeps that ended by their timeout rather than a wake-up.
     *
     * @return count.
     */
    public long timeoutCount()
    {
        return strategy.timeouts();
    }

    /**
     * Number of doorbell rings seen on waking: bell connections accepted plus bell bytes drained (owner thread).
     *
     * @return rings so far.
     */
    public long ringCount()
    {
        return parker.rings();
    }

    /**
     * The parker (mode, futex and doorbell counts).
     *
     * @return the parker.
     */
    public InboxParker parker()
    {
        return parker;
    }

    /**
     * The generic strategy underneath (sleeps, timeouts, last-look saves).
     *
     * @return the strategy.
     */
    public SpinParkIdleStrategy strategy()
    {
        return strategy;
    }

    /**
     * Spin window.
     *
     * @return nanoseconds.
     */
    public long spinNs()
    {
        return settings.spinNs();
    }

    /**
     * Yields before parking.
     *
     * @return the count.
     */
    public int yields()
    {
        return settings.yields();
    }

    /**
     * Longest sleep.
     *
     * @return milliseconds.
     */
    public long maxParkMs()
    {
        return settings.maxParkMs();
    }

    private static InboxFile single(final List<InboxFile> inboxes)
    {
        if (inboxes.size() > 1)
        {
            throw new IllegalArgumentException("an owner parks on at most one inbox (one parked word to sleep on): " +
                inboxes.size() + " given");
        }
        return inboxes.isEmpty() ? null : inboxes.get(0);
    }
}
