package dev.switchboard.client;

import dev.switchboard.idle.IdleSettings;

import java.util.concurrent.TimeUnit;

import dev.switchboard.security.SecretFile;
import dev.switchboard.settings.SettingText;
import dev.switchboard.transport.RouterConnection;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;

/**
 * Settings of a {@link SwitchboardClient}, each with a system property and a default.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>control timeout (register, subscribe, lookup...)</td><td>switchboard.client.control.timeout.ms</td>
 *       <td>5000 ms</td></tr>
 *   <tr><td>max pending requests</td><td>switchboard.client.max.pending</td><td>1024</td></tr>
 *   <tr><td>fragment limit per tier per poll</td><td>switchboard.client.fragment.limit</td><td>64</td></tr>
 *   <tr><td>duty period: how often the duty slice (heartbeat, request timeouts, counter flush, stuck-record check,
 *       safety sweeps) runs; polls and sends count down to it without reading the clock, the count adapting so that
 *       slices come about this often; also run after every park</td><td>switchboard.client.duty.period.ns</td>
 *       <td>1 ms (10 us .. 1 s)</td></tr>
 *   <tr><td>most polls (or sends) between two duty slices: in a spinning loop, one clock read per this many polls;
 *       a loop that slows down suddenly waits at most this many of its polls for its next slice</td>
 *       <td>switchboard.client.duty.interval</td><td>256 (1 .. 65536)</td></tr>
 *   <tr><td>idle strategy of {@link SwitchboardClient#idleStrategy()}: {@code busy-spin}, {@code yield},
 *       {@code backoff} or {@code spin-park} (spin for a bounded time after the last message, then sleep until
 *       woken), with its spin window, yields and longest park: see {@link IdleSettings}</td>
 *       <td>switchboard.client.idle, switchboard.idle.spin.ns, switchboard.idle.yields, switchboard.idle.park.ms</td>
 *       <td>spin-park, 200 us, 0, 100 ms</td></tr>
 *   <tr><td>requested lease (0 = router default)</td><td>switchboard.client.lease.ms</td><td>0</td></tr>
 *   <tr><td>reconnect on its own after the router went away (re-register, restore subscriptions)</td>
 *       <td>switchboard.client.reconnect</td><td>true</td></tr>
 *   <tr><td>first and longest wait between reconnection attempts (doubling)</td>
 *       <td>switchboard.client.reconnect.backoff.ms, switchboard.client.reconnect.backoff.max.ms</td>
 *       <td>50 ms, 2000 ms</td></tr>
 *   <tr><td>registration token: HMAC answer from the deployment secret</td><td>switchboard.auth.secret.file</td>
 *       <td>none</td></tr>
 *   <tr><td>registration token: a JWT (compact form, in a file; preferred over the secret)</td>
 *       <td>switchboard.auth.jwt.file</td><td>none</td></tr>
 * </table>
 *
 * <p>This class is the one place the client's system properties are read: each is read once, when the context is
 * made, and handed to the classes that use it ({@link IdleSettings} included); a property whose text is not of its type
 * fails there, naming it, and {@link #conclude()} checks the ranges. Each property's name and default are the
 * {@code *_PROP} and {@code *_DEFAULT} constants below (the idle ones are {@link IdleSettings}'s).
 *
 * <p>Thread-safety: configure before {@link SwitchboardClient#connect}; read-only afterwards.
 */
public final class ClientContext
{

    /** Property: {@link #controlTimeoutNs()}, in milliseconds. */
    public static final String CONTROL_TIMEOUT_MS_PROP = "switchboard.client.control.timeout.ms";
    /** Default {@link #controlTimeoutNs()}, in milliseconds. */
    public static final long CONTROL_TIMEOUT_MS_DEFAULT = 5000;
    /** Property: {@link #maxPendingRequests()}. */
    public static final String MAX_PENDING_PROP = "switchboard.client.max.pending";
    /** Default {@link #maxPendingRequests()}. */
    public static final int MAX_PENDING_DEFAULT = 1024;
    /** Property: {@link #fragmentLimit()}. */
    public static final String FRAGMENT_LIMIT_PROP = "switchboard.client.fragment.limit";
    /** Default {@link #fragmentLimit()}. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;
    /** Property: {@link #dutyInterval()}. */
    public static final String DUTY_INTERVAL_PROP = "switchboard.client.duty.interval";
    /** Default {@link #dutyInterval()}. */
    public static final int DUTY_INTERVAL_DEFAULT = 256;
    /** Property: {@link #dutyPeriodNs()}. */
    public static final String DUTY_PERIOD_NS_PROP = "switchboard.client.duty.period.ns";
    /** Default {@link #dutyPeriodNs()}: 1 ms. */
    public static final long DUTY_PERIOD_NS_DEFAULT = 1_000_000;
    /** Property: {@link #reconnect()}. */
    public static final String RECONNECT_PROP = "switchboard.client.reconnect";
    /** Default {@link #reconnect()}. */
    public static final boolean RECONNECT_DEFAULT = true;
    /** Property: {@link #reconnectBackoffNs()}, in milliseconds. */
    public static final String RECONNECT_BACKOFF_MS_PROP = "switchboard.client.reconnect.backoff.ms";
    /** Default {@link #reconnectBackoffNs()}, in milliseconds. */
    public static final long RECONNECT_BACKOFF_MS_DEFAULT = 50;
    /** Property: {@link #reconnectBackoffMaxNs()}, in milliseconds. */
    public static final String RECONNECT_BACKOFF_MAX_MS_PROP = "switchboard.client.reconnect.backoff.max.ms";
    /** Default {@link #reconnectBackoffMaxNs()}, in milliseconds. */
    public static final long RECONNECT_BACKOFF_MAX_MS_DEFAULT = 2000;
    /** Property: {@link #requestedLeaseMs()}. */
    public static final String LEASE_MS_PROP = "switchboard.client.lease.ms";
    /** Default {@link #requestedLeaseMs()}: the router's default lease. */
    public static final int LEASE_MS_DEFAULT = 0;
    /** Property: {@link #secretFile()} ({@link SecretFile#PROPERTY}, the same file the router reads); default none. */
    public static final String SECRET_FILE_PROP = SecretFile.PROPERTY;
    /** Property: the file {@link #jwt()} is read from; default none. */
    public static final String JWT_FILE_PROP = "switchboard.auth.jwt.file";

    private RouterConnection connection;
    private long controlTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(CONTROL_TIMEOUT_MS_PROP, CONTROL_TIMEOUT_MS_DEFAULT));
    private int maxPendingRequests = intProperty(MAX_PENDING_PROP, MAX_PENDING_DEFAULT);
    private int fragmentLimit = intProperty(FRAGMENT_LIMIT_PROP, FRAGMENT_LIMIT_DEFAULT);
    private int dutyInterval = intProperty(DUTY_INTERVAL_PROP, DUTY_INTERVAL_DEFAULT);
    private long dutyPeriodNs = longProperty(DUTY_PERIOD_NS_PROP, DUTY_PERIOD_NS_DEFAULT);
    private boolean reconnect =
        SettingText.parseBoolean(RECONNECT_PROP, System.getProperty(RECONNECT_PROP), RECONNECT_DEFAULT);
    private long reconnectBackoffNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(RECONNECT_BACKOFF_MS_PROP, RECONNECT_BACKOFF_MS_DEFAULT));
    private long reconnectBackoffMaxNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(RECONNECT_BACKOFF_MAX_MS_PROP, RECONNECT_BACKOFF_MAX_MS_DEFAULT));
    private org.agrona.concurrent.NanoClock nanoClock = System::nanoTime;
    private final String idleKind = System.getProperty(IdleSettings.KIND_PROP);
    private final long idleSpinNs = longProperty(IdleSettings.SPIN_NS_PROP, IdleSettings.DEFAULT_SPIN_NS);
    private final long idleYields = longProperty(IdleSettings.YIELDS_PROP, IdleSettings.DEFAULT_YIELDS);
    private final long idleMaxParkMs = longProperty(IdleSettings.MAX_PARK_MS_PROP, IdleSettings.DEFAULT_MAX_PARK_MS);
    private IdleSettings idleSettings;
    private int requestedLeaseMs = intProperty(LEASE_MS_PROP, LEASE_MS_DEFAULT);
    private java.nio.file.Path secretFile = SettingText.parsePath(System.getProperty(SECRET_FILE_PROP));
    private java.nio.file.Path jwtFile = SettingText.parsePath(System.getProperty(JWT_FILE_PROP));
    private String jwt;
    private IdleStrategy controlIdleStrategy = new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50));
    private ClientListener listener = new ClientListener()
    {
    };

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public ClientContext conclude()
    {
        if (connection == null)
        {
            throw new IllegalArgumentException("no connection: set one, e.g. new InProcessHub(router).connect()");
        }
        if (controlTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("control timeout must be positive: " + controlTimeoutNs + " ns");
        }
        if (maxPendingRequests < 1 || maxPendingRequests > 1 << 20)
        {
            throw new IllegalArgumentException(
                "max pending requests (switchboard.client.max.pending) must be 1..1048576: " + maxPendingRequests);
        }
        if (fragmentLimit < 1)
        {
            throw new IllegalArgumentException(
                "fragment limit (switchboard.client.fragment.limit) must be positive: " + fragmentLimit);
        }
        if (dutyInterval < 1 || dutyInterval > 65_536)
        {
            throw new IllegalArgumentException(
                "duty interval (switchboard.client.duty.interval) must be 1..65536 polls: " + dutyInterval);
        }
        if (dutyPeriodNs < 10_000 || dutyPeriodNs > 1_000_000_000)
        {
            throw new IllegalArgumentException(
                "duty period (switchboard.client.duty.period.ns) must be 10000..1000000000 ns: " + dutyPeriodNs);
        }
        if (reconnectBackoffNs < TimeUnit.MILLISECONDS.toNanos(1) || reconnectBackoffMaxNs < reconnectBackoffNs)
        {
            throw new IllegalArgumentException("reconnect back-off (switchboard.client.reconnect.backoff.ms, " +
                ".backoff.max.ms) must be >= 1 ms and max >= first: " + reconnectBackoffNs + " ns, " +
                reconnectBackoffMaxNs + " ns");
        }
        if (idleSettings == null)
        {
            idleSettings = idleSettingsFromProperties();
        }
        if (requestedLeaseMs < 0)
        {
            throw new IllegalArgumentException("lease (switchboard.client.lease.ms) must be >= 0: " + requestedLeaseMs);
        }
        return this;
    }

    private static int intProperty(final String name, final int defaultValue)
    {
        return SettingText.parseInt(name, System.getProperty(name), defaultValue);
    }

    private static long longProperty(final String name, final long defaultValue)
    {
        return SettingText.parseLong(name, System.getProperty(name), defaultValue);
    }

    /** The idle settings of the properties read when this context was made, validated. */
    private IdleSettings idleSettingsFromProperties()
    {
        return IdleSettings.of(null == idleKind ? IdleSettings.defaults().kind() : IdleSettings.Kind.parse(idleKind),
            idleSpinNs, idleYields, idleMaxParkMs);
    }

    /** @return secret file whose HMAC answers the router's challenge at register, or null. */
    public java.nio.file.Path secretFile()
    {
        return secretFile;
    }

    /** @param v secret file (0600) shared with the router, or null. @return this. */
    public ClientContext secretFile(final java.nio.file.Path v)
    {
        secretFile = v;
        return this;
    }

    /**
     * @return the JWT to register with: the one set, else the content of {@code switchboard.auth.jwt.file}, else
     * null.
     */
    public String jwt()
    {
        if (jwt == null && jwtFile != null)
        {
            try
            {
                return java.nio.file.Files.readString(jwtFile).strip();
            }
            catch (final java.io.IOException ex)
            {
                throw new IllegalArgumentException("switchboard.auth.jwt.file: cannot read " + jwtFile + ": " + ex, ex);
            }
        }
        return jwt;
    }

    /** @param v a compact JWT issued for this agent's name, or null. @return this. */
    public ClientContext jwt(final String v)
    {
        jwt = v;
        return this;
    }

    /** @return the connection to the router. */
    public RouterConnection connection()
    {
        return connection;
    }

    /** @param v the connection to the router. @return this. */
    public ClientContext connection(final RouterConnection v)
    {
        connection = v;
        return this;
    }

    /** @return how long a control request waits for the router's answer, in ns. */
    public long controlTimeoutNs()
    {
        return controlTimeoutNs;
    }

    /** @param v control timeout in ns. @return this. */
    public ClientContext controlTimeoutNs(final long v)
    {
        controlTimeoutNs = v;
        return this;
    }

    /** @return most requests awaiting a response at once; more return BACK_PRESSURED. */
    public int maxPendingRequests()
    {
        return maxPendingRequests;
    }

    /** @param v most pending requests. @return this. */
    public ClientContext maxPendingRequests(final int v)
    {
        maxPendingRequests = v;
        return this;
    }

    /** @return most frames read per tier in one poll. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /** @param v most frames per tier per poll. @return this. */
    public ClientContext fragmentLimit(final int v)
    {
        fragmentLimit = v;
        return this;
    }

    /** @return most polls (and sends) between two duty slices. */
    public int dutyInterval()
    {
        return dutyInterval;
    }

    /** @return how often the duty slice should run, in ns. */
    public long dutyPeriodNs()
    {
        return dutyPeriodNs;
    }

    /** @param v how often the duty slice should run, 10 us .. 1 s. @return this. */
    public ClientContext dutyPeriodNs(final long v)
    {
        dutyPeriodNs = v;
        return this;
    }

    /** @return true when the client reconnects on its own after the router went away. */
    public boolean reconnect()
    {
        return reconnect;
    }

    /** @param v reconnect on its own after the router went away. @return this. */
    public ClientContext reconnect(final boolean v)
    {
        reconnect = v;
        return this;
    }

    /** @return first wait between reconnection attempts, ns (doubling up to {@link #reconnectBackoffMaxNs()}). */
    public long reconnectBackoffNs()
    {
        return reconnectBackoffNs;
    }

    /** @param v first wait between reconnection attempts, ns. @return this. */
    public ClientContext reconnectBackoffNs(final long v)
    {
        reconnectBackoffNs = v;
        return this;
    }

    /** @return longest wait between reconnection attempts, ns. */
    public long reconnectBackoffMaxNs()
    {
        return reconnectBackoffMaxNs;
    }

    /** @param v longest wait between reconnection attempts, ns. @return this. */
    public ClientContext reconnectBackoffMaxNs(final long v)
    {
        reconnectBackoffMaxNs = v;
        return this;
    }

    /** @return the clock of the client's timers (duty slices, request deadlines, heartbeats). */
    public org.agrona.concurrent.NanoClock nanoClock()
    {
        return nanoClock;
    }

    /** @param v the clock of the client's timers (tests count its reads). @return this. */
    public ClientContext nanoClock(final org.agrona.concurrent.NanoClock v)
    {
        nanoClock = v;
        return this;
    }

    /** @param v most polls between two duty slices, 1..65536. @return this. */
    public ClientContext dutyInterval(final int v)
    {
        dutyInterval = v;
        return this;
    }

    /**
     * @return the idle strategy the connection makes for this client ({@link SwitchboardClient#idleStrategy()}); from
     * the system properties ({@link IdleSettings#KIND_PROP}, {@link IdleSettings#SPIN_NS_PROP},
     * {@link IdleSettings#YIELDS_PROP}, {@link IdleSettings#MAX_PARK_MS_PROP}, read when this context was made) unless
     * set.
     * @throws IllegalArgumentException naming the property, when one of them is out of its range.
     */
    public IdleSettings idleSettings()
    {
        return idleSettings == null ? idleSettingsFromProperties() : idleSettings;
    }

    /**
     * @param v kind ({@code busy-spin}, {@code yield}, {@code backoff}, {@code spin-park}) and bounds; the connection
     *          makes the strategy (a connection that can park on its inbox makes {@code spin-park} sleep until a
     *          sender wakes it).
     * @return this.
     */
    public ClientContext idleSettings(final IdleSettings v)
    {
        idleSettings = v;
        return this;
    }

    /** @return lease asked for at registration, in ms; 0 for the router's default. */
    public int requestedLeaseMs()
    {
        return requestedLeaseMs;
    }

    /** @param v lease to ask for, in ms. @return this. */
    public ClientContext requestedLeaseMs(final int v)
    {
        requestedLeaseMs = v;
        return this;
    }

    /** @return how a blocking control call waits between polls. */
    public IdleStrategy controlIdleStrategy()
    {
        return controlIdleStrategy;
    }

    /** @param v idle strategy for blocking control calls. @return this. */
    public ClientContext controlIdleStrategy(final IdleStrategy v)
    {
        controlIdleStrategy = v;
        return this;
    }

    /** @return receiver of registry events and asynchronous errors. */
    public ClientListener listener()
    {
        return listener;
    }

    /** @param v receiver of registry events and asynchronous errors. @return this. */
    public ClientContext listener(final ClientListener v)
    {
        listener = v;
        return this;
    }
}
