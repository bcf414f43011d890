/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

import dev.switchboard.ipc.IpcContext;

/**
 * Every setting of the monitoring HTTP server, each with a system property and a default; {@link #conclude()} checks
 * them once.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>port</td><td>{@value #PORT_PROPERTY}</td><td>{@value #DEFAULT_PORT}; {@code 0}: any free port;
 *       {@code -1} or {@code off}: no server</td></tr>
 *   <tr><td>address it listens on</td><td>{@value #HOST_PROPERTY}</td><td>{@value #DEFAULT_HOST} (this host only;
 *       {@code 0.0.0.0} for every interface, so that a Prometheus elsewhere can scrape it)</td></tr>
 *   <tr><td>a heartbeat is fresh for</td><td>{@value #HEARTBEAT_FRESH_PROPERTY}</td>
 *       <td>{@value #DEFAULT_HEARTBEAT_FRESH_MS} ms</td></tr>
 *   <tr><td>stuck inbox records "keep rising" within</td><td>{@value #STUCK_WINDOW_PROPERTY}</td>
 *       <td>{@value #DEFAULT_STUCK_WINDOW_MS} ms</td></tr>
 *   <tr><td>status samples (and server-sent events) every</td><td>{@value #SAMPLE_INTERVAL_PROPERTY}</td>
 *       <td>{@value #DEFAULT_SAMPLE_INTERVAL_MS} ms</td></tr>
 *   <tr><td>status pages open at once, at most</td><td>{@value #MAX_EVENT_STREAMS_PROPERTY}</td>
 *       <td>{@value #DEFAULT_MAX_EVENT_STREAMS}</td></tr>
 * </table>
 * The counters files are read from the shared-memory directory ({@link IpcContext#shmDir()}) unless
 * {@link #shmDir(Path)} says otherwise.
 *
 * <p>Thread-safety: configure on one thread, then share read-only.
 */
public final class MonitoringContext
{
    /** System property: the port, {@code 0} for any free one, {@code -1} or {@code off} for no server. */
    public static final String PORT_PROPERTY = "switchboard.metrics.port";
    /** The default port, the specification's. */
    public static final int DEFAULT_PORT = 9002;
    /** {@link #port()}: any free port (the server says which). */
    public static final int ANY_PORT = 0;
    /** {@link #port()}: no server. */
    public static final int NO_SERVER = -1;
    /** The word {@value} in {@value #PORT_PROPERTY} means {@link #NO_SERVER}. */
    public static final String OFF = "off";

    /** System property: the address the server listens on. */
    public static final String HOST_PROPERTY = "switchboard.metrics.host";
    /** The default address: loopback, as every other file and socket of Switchboard is this host's user's only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** System property: how old a process's heartbeat may be for it to count as running. */
    public static final String HEARTBEAT_FRESH_PROPERTY = "switchboard.metrics.heartbeat.fresh.ms";
    /** The default: three heartbeats (each process writes one about every second). */
    public static final long DEFAULT_HEARTBEAT_FRESH_MS = 3_000;

    /** System property: within how long two rises of the stuck-record counter make an inbox stuck. */
    public static final String STUCK_WINDOW_PROPERTY = "switchboard.metrics.stuck.window.ms";
    /** The default window. */
    public static final long DEFAULT_STUCK_WINDOW_MS = 10_000;

    /** System property: how often the status is sampled and pushed to the status pages. */
    public static final String SAMPLE_INTERVAL_PROPERTY = "switchboard.metrics.sample.interval.ms";
    /** The default interval: one snapshot a second. */
    public static final long DEFAULT_SAMPLE_INTERVAL_MS = 1_000;

    /** System property: how many {@code /events} streams may be open at once. */
    public static final String MAX_EVENT_STREAMS_PROPERTY = "switchboard.metrics.events.max.streams";
    /** The default: a few browsers; each stream holds one of the server's threads. */
    public static final int DEFAULT_MAX_EVENT_STREAMS = 8;

    private int port = parsePort(System.getProperty(PORT_PROPERTY, String.valueOf(DEFAULT_PORT)));
    private String host = System.getProperty(HOST_PROPERTY, DEFAULT_HOST);
    private long heartbeatFreshMs = Long.getLong(HEARTBEAT_FRESH_PROPERTY, DEFAULT_HEARTBEAT_FRESH_MS);
    private long stuckWindowMs = Long.getLong(STUCK_WINDOW_PROPERTY, DEFAULT_STUCK_WINDOW_MS);
    private long sampleIntervalMs = Long.getLong(SAMPLE_INTERVAL_PROPERTY, DEFAULT_SAMPLE_INTERVAL_MS);
    private int maxEventStreams = Integer.getInteger(MAX_EVENT_STREAMS_PROPERTY, DEFAULT_MAX_EVENT_STREAMS);
    private Path shmDir;
    private long routerPid;
    private LongSupplier epochClock = System::currentTimeMillis;

    /**
     * @param text a value of {@value #PORT_PROPERTY}.
     * @return the port it names: 0 to 65535, or {@link #NO_SERVER}.
     * @throws IllegalArgumentException when it names none, with the value seen.
     */
    public static int parsePort(final String text)
    {
        final String value = text.strip().toLowerCase(Locale.ROOT);
        if (OFF.equals(value))
        {
            return NO_SERVER;
        }
        try
        {
            final int port = Integer.parseInt(value);
            if (port >= NO_SERVER && port <= 65_535)
            {
                return port;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // said below
        }
        throw new IllegalArgumentException(PORT_PROPERTY + " must be a port (1 to 65535), 0 for any free port, or " +
            "-1 or off for no server: '" + text + "'");
    }

    /**
     * Check the settings, and take the shared-memory directory from {@link IpcContext} when none was given.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, its limit and the value seen.
     */
    public MonitoringContext conclude()
    {
        if (port < NO_SERVER || port > 65_535)
        {
            throw new IllegalArgumentException(PORT_PROPERTY + " must be -1 to 65535: " + port);
        }
        requireAtLeast(HEARTBEAT_FRESH_PROPERTY, heartbeatFreshMs, 1);
        requireAtLeast(STUCK_WINDOW_PROPERTY, stuckWindowMs, 1);
        requireAtLeast(SAMPLE_INTERVAL_PROPERTY, sampleIntervalMs, 10);
        requireAtLeast(MAX_EVENT_STREAMS_PROPERTY, maxEventStreams, 0);
        if (host == null || host.isBlank())
        {
            throw new IllegalArgumentException(HOST_PROPERTY + " must name an address: '" + host + "'");
        }
        if (shmDir == null)
        {
            shmDir = new IpcContext().shmDir();
        }
        return this;
    }

    private static void requireAtLeast(final String property, final long value, final long least)
    {
        if (value < least)
        {
            throw new IllegalArgumentException(property + " must be at least " + least + ": " + value);
        }
    }

    /** @return whether a server is wanted ({@link #port()} is not {@link #NO_SERVER}). */
    public boolean enabled()
    {
        return port != NO_SERVER;
    }

    /** @return the port; {@link #ANY_PORT} for any free one, {@link #NO_SERVER} for none. */
    public int port()
    {
        return port;
    }

    /**
     * @param port the port; {@link #ANY_PORT} for any free one, {@link #NO_SERVER} for none.
     * @return this.
     */
    public MonitoringContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /** @return the address the server listens on. */
    public String host()
    {
        return host;
    }

    /**
     * @param host the address the server listens on.
     * @return this.
     */
    public MonitoringContext host(final String host)
    {
        this.host = host;
        return this;
    }

    /** @return how old a heartbeat may be for its process to count as running (ms). */
    public long heartbeatFreshMs()
    {
        return heartbeatFreshMs;
    }

    /**
     * @param ms how old a heartbeat may be for its process to count as running.
     * @return this.
     */
    public MonitoringContext heartbeatFreshMs(final long ms)
    {
        this.heartbeatFreshMs = ms;
        return this;
    }

    /** @return within how long two rises of the stuck-record counter make an inbox stuck (ms). */
    public long stuckWindowMs()
    {
        return stuckWindowMs;
    }

    /**
     * @param ms within how long two rises of the stuck-record counter make an inbox stuck.
     * @return this.
     */
    public MonitoringContext stuckWindowMs(final long ms)
    {
        this.stuckWindowMs = ms;
        return this;
    }

    /** @return how often the status is sampled and pushed to the status pages (ms). */
    public long sampleIntervalMs()
    {
        return sampleIntervalMs;
    }

    /**
     * @param ms how often the status is sampled and pushed to the status pages.
     * @return this.
     */
    public MonitoringContext sampleIntervalMs(final long ms)
    {
        this.sampleIntervalMs = ms;
        return this;
    }

    /** @return how many {@code /events} streams may be open at once. */
    public int maxEventStreams()
    {
        return maxEventStreams;
    }

    /**
     * @param streams how many {@code /events} streams may be open at once.
     * @return this.
     */
    public MonitoringContext maxEventStreams(final int streams)
    {
        this.maxEventStreams = streams;
        return this;
    }

    /** @return where the counters files are; null before {@link #conclude()} unless set. */
    public Path shmDir()
    {
        return shmDir;
    }

    /**
     * @param dir where the counters files are (the processes' shared-memory directory).
     * @return this.
     */
    public MonitoringContext shmDir(final Path dir)
    {
        this.shmDir = dir;
        return this;
    }

    /**
     * @return the process id of the router whose readiness {@code /health/ready} reports; 0 for whichever router's
     * counters file is found.
     */
    public long routerPid()
    {
        return routerPid;
    }

    /**
     * @param pid the process id of the router whose readiness {@code /health/ready} reports (the server's own when it
     *            runs inside the router); 0 for whichever router's counters file is found.
     * @return this.
     */
    public MonitoringContext routerPid(final long pid)
    {
        this.routerPid = pid;
        return this;
    }

    /** @return the wall clock (epoch ms) that heartbeat ages are measured with. */
    public LongSupplier epochClock()
    {
        return epochClock;
    }

    /**
     * @param clock the wall clock (epoch ms) that heartbeat ages are measured with; tests give their own.
     * @return this.
     */
    public MonitoringContext epochClock(final LongSupplier clock)
    {
        this.epochClock = clock;
        return this;
    }
}
