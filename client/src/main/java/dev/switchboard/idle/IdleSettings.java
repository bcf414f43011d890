package dev.switchboard.idle;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How one client waits when it finds no work: which strategy ({@link Kind}) and its bounds. Immutable; every value
 * has a system property and a documented default (the properties are read by {@code ClientContext}, which makes these
 * settings from them), and every factory validates, failing with a message that names the property, the limit and
 * the value seen.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th><th>limit</th></tr>
 *   <tr><td>strategy</td><td>{@value #KIND_PROP}</td><td>{@code spin-park}</td>
 *       <td>{@code busy-spin}, {@code yield}, {@code backoff}, {@code spin-park}</td></tr>
 *   <tr><td>spin window after the last work</td><td>{@value #SPIN_NS_PROP}</td><td>{@value #DEFAULT_SPIN_NS} ns
 *       </td><td>0 .. {@value #MAX_SPIN_NS} ns</td></tr>
 *   <tr><td>yields after the spin window</td><td>{@value #YIELDS_PROP}</td><td>{@value #DEFAULT_YIELDS}</td>
 *       <td>0 .. {@value #MAX_YIELDS}</td></tr>
 *   <tr><td>longest park</td><td>{@value #MAX_PARK_MS_PROP}</td><td>{@value #DEFAULT_MAX_PARK_MS} ms</td>
 *       <td>1 .. {@value #MAX_MAX_PARK_MS} ms</td></tr>
 * </table>
 *
 * <p><b>Why a 200 µs spin window and no yields.</b> Spinning after the last message is a bet that the next one comes
 * soon; parking costs a wake-up (a system call for the producer, and the scheduler's latency for the owner: 20-150 µs
 * on the 2-vCPU VMs this was measured on, more under load). The ski-rental rule (spin about as long as a park and
 * wake-up cost) is right for one wait, but a request/response exchange feeds back: once a wake-up makes a round trip
 * longer than the spin window, the other side's window runs out too, both park on every message, and the exchange stays
 * at wake-up speed for good. Measured with the demo's two agent processes (request/response one at a time, 2,000 round
 * trips): a 50 µs window with 10 yields gave a p50 of 130-150 µs on every tier, a 200 µs window without yields 5 µs
 * (CRITICAL) to 16 µs (HIGH), the same as a 1 ms window. The window must outlast a wake-up with room to spare; it
 * keeps an agent hot at any steady rate above 5,000 messages a second, and an idle agent still spins only once per
 * burst (a park that ends without work parks again straight away). {@code Thread.yield()} on a loaded 2-CPU machine
 * gives the CPU away for a scheduler slice (milliseconds), which is worse than either spinning or parking: no yields
 * by default.
 *
 * <p>Thread-safety: immutable. Allocation: only when built.
 */
public final class IdleSettings
{
    /** System property: the strategy, one of the {@link Kind} names. */
    public static final String KIND_PROP = "switchboard.client.idle";
    /** System property: spin window after the last work, nanoseconds. */
    public static final String SPIN_NS_PROP = "switchboard.idle.spin.ns";
    /** System property: number of {@link Thread#yield()} calls after the spin window, before parking. */
    public static final String YIELDS_PROP = "switchboard.idle.yields";
    /** System property: longest park, milliseconds (the owner's duty deadline usually ends it sooner). */
    public static final String MAX_PARK_MS_PROP = "switchboard.idle.park.ms";

    /** Default spin window: 200 µs (see the class comment). */
    public static final long DEFAULT_SPIN_NS = 200_000;
    /** Default yields after spinning: none (see the class comment). */
    public static final int DEFAULT_YIELDS = 0;
    /** Default longest park: 100 ms. */
    public static final long DEFAULT_MAX_PARK_MS = 100;

    /** Longest spin window accepted: 1 s (a longer one is busy-spin; say so). */
    public static final long MAX_SPIN_NS = 1_000_000_000L;
    /** Most yields accepted. */
    public static final int MAX_YIELDS = 1_000_000;
    /**
     * Largest longest-park accepted: one hour. A parked owner's duties (heartbeats, timers) end its parks through its
     * duty deadline, so this bound only guards against a typo; tests use long parks to prove that a wake-up, not a
     * timeout, ended a sleep.
     */
    public static final long MAX_MAX_PARK_MS = 3_600_000;

    /** The idle strategies a client can choose. */
    public enum Kind
    {
        /** Never leave the CPU: lowest latency, one core per agent for ever. */
        BUSY_SPIN("busy-spin"),
        /** {@link Thread#yield()} on every idle call: a system call per empty poll, a core while others are idle. */
        YIELD("yield"),
        /** Agrona's back-off: spin, yield, then timed sleeps growing to 1 ms; never woken by producers. */
        BACKOFF("backoff"),
        /** Spin for a bounded time, then park until a producer wakes the owner or its next duty is due. */
        SPIN_PARK("spin-park");

        private final String label;

        Kind(final String label)
        {
            this.label = label;
        }

        /**
         * Name as written in {@value #KIND_PROP}.
         *
         * @return for example {@code spin-park}.
         */
        public String label()
        {
            return label;
        }

        /**
         * The kind a name stands for.
         *
         * @param value a {@link #label()} (case and surrounding blanks ignored).
         * @return the kind.
         * @throws IllegalArgumentException naming the property, the value and the accepted names.
         */
        public static Kind parse(final String value)
        {
            final String wanted = value.trim().toLowerCase(Locale.ROOT);
            for (final Kind kind : values())
            {
                if (kind.label.equals(wanted))
                {
                    return kind;
                }
            }
            throw new IllegalArgumentException(KIND_PROP + " must be one of busy-spin, yield, backoff, spin-park: '" +
                value + "'");
        }
    }

    private static final IdleSettings DEFAULTS =
        new IdleSettings(Kind.SPIN_PARK, DEFAULT_SPIN_NS, DEFAULT_YIELDS, DEFAULT_MAX_PARK_MS);

    private final Kind kind;
    private final long spinNs;
    private final int yields;
    private final long maxParkMs;

    private IdleSettings(final Kind kind, final long spinNs, final int yields, final long maxParkMs)
    {
        this.kind = kind;
        this.spinNs = spinNs;
        this.yields = yields;
        this.maxParkMs = maxParkMs;
    }

    /**
     * The defaults: spin-park, 50 µs, 10 yields, 100 ms.
     *
     * @return the default settings.
     */
    public static IdleSettings defaults()
    {
        return DEFAULTS;
    }

    /**
     * Settings from values.
     *
     * @param kind      the strategy.
     * @param spinNs    spin window, 0 .. {@value #MAX_SPIN_NS} ns.
     * @param yields    yields after the spin window, 0 .. {@value #MAX_YIELDS}.
     * @param maxParkMs longest park, 1 .. {@value #MAX_MAX_PARK_MS} ms.
     * @return the settings.
     * @throws IllegalArgumentException naming the setting's property, its limit and the value seen.
     */
    public static IdleSettings of(final Kind kind, final long spinNs, final long yields, final long maxParkMs)
    {
        if (null == kind)
        {
            throw new IllegalArgumentException(KIND_PROP + " must not be null");
        }
        check(SPIN_NS_PROP, spinNs, 0, MAX_SPIN_NS);
        check(YIELDS_PROP, yields, 0, MAX_YIELDS);
        check(MAX_PARK_MS_PROP, maxParkMs, 1, MAX_MAX_PARK_MS);
        return new IdleSettings(kind, spinNs, (int)yields, maxParkMs);
    }

    /**
     * These settings with another strategy.
     *
     * @param kind the strategy.
     * @return new settings.
     */
    public IdleSettings withKind(final Kind kind)
    {
        return of(kind, spinNs, yields, maxParkMs);
    }

    /**
     * These settings with another spin window.
     *
     * @param spinNs spin window, 0 .. {@value #MAX_SPIN_NS} ns.
     * @return new settings.
     */
    public IdleSettings withSpinNs(final long spinNs)
    {
        return of(kind, spinNs, yields, maxParkMs);
    }

    /**
     * These settings with another yield count.
     *
     * @param yields 0 .. {@value #MAX_YIELDS}.
     * @return new settings.
     */
    public IdleSettings withYields(final int yields)
    {
        return of(kind, spinNs, yields, maxParkMs);
    }

    /**
     * These settings with another longest park.
     *
     * @param maxParkMs 1 .. {@value #MAX_MAX_PARK_MS} ms.
     * @return new settings.
     */
    public IdleSettings withMaxParkMs(final long maxParkMs)
    {
        return of(kind, spinNs, yields, maxParkMs);
    }

    /**
     * The strategy.
     *
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * Spin window after the last work.
     *
     * @return nanoseconds.
     */
    public long spinNs()
    {
        return spinNs;
    }

    /**
     * Yields after the spin window.
     *
     * @return the count.
     */
    public int yields()
    {
        return yields;
    }

    /**
     * Longest park.
     *
     * @return milliseconds.
     */
    public long maxParkMs()
    {
        return maxParkMs;
    }

    /**
     * Longest park.
     *
     * @return nanoseconds.
     */
    public long maxParkNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(maxParkMs);
    }

    @Override
    public String toString()
    {
        return kind.label + " (spin " + spinNs + " ns, " + yields + " yields, park at most " + maxParkMs + " ms)";
    }

    private static void check(final String property, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(property + " must be between " + min + " and " + max + ": " + value);
        }
    }
}
