package dev.switchboard.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;

/**
 * Where the cross-process pieces live and how big they are, for the router process and for agent
 * processes alike. Each setting has a system property and a default.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>runtime dir (sockets)</td><td>switchboard.runtime.dir</td>
 *       <td>{@code $XDG_RUNTIME_DIR/switchboard}, else {@code /tmp/switchboard-$UID}</td></tr>
 *   <tr><td>control socket</td><td>switchboard.socket</td><td>{@code <runtime>/router.sock}</td></tr>
 *   <tr><td>HIGH (io_uring) socket</td><td>switchboard.high.socket</td><td>{@code <runtime>/router-high.sock}</td></tr>
 *   <tr><td>shared-memory dir (CRITICAL inboxes)</td><td>switchboard.shm.dir</td>
 *       <td>{@code /dev/shm/switchboard-$UID}</td></tr>
 *   <tr><td>durable data dir (LOW)</td><td>switchboard.data.dir</td><td>{@code <runtime>/data}</td></tr>
 *   <tr><td>inbox ring capacity</td><td>switchboard.inbox.capacity</td><td>1 MiB (power of two)</td></tr>
 *   <tr><td>outbound ring per connection (router side)</td><td>switchboard.outbound.capacity</td><td>1 MiB</td></tr>
 *   <tr><td>largest frame on a socket</td><td>switchboard.socket.max.frame</td>
 *       <td>512 KiB (the router's default ingress takes frames up to 512 KiB)</td></tr>
 *   <tr><td>disable tiers (and agent-to-agent links: {@code LINKS})</td><td>switchboard.tiers.disable</td>
 *       <td>none; e.g. {@code CRITICAL,HIGH} or {@code LINKS}</td></tr>
 *   <tr><td>connect timeout</td><td>switchboard.connect.timeout.ms</td><td>5000 ms</td></tr>
 *   <tr><td>group sharing the runtime's files</td><td>switchboard.files.group</td>
 *       <td>none: files 0600, dirs 0700; with a group 0660/0770 (see {@code OwnedFiles})</td></tr>
 *   <tr><td>LOW free-space reserve</td><td>switchboard.low.min.free.bytes</td>
 *       <td>4 x the largest LOW record (see {@code DurableQueues})</td></tr>
 *   <tr><td>stuck inbox record unblocked after</td><td>switchboard.inbox.unblock.timeout.ns</td>
 *       <td>1,000,000,000 (1 s); at least 1 ms</td></tr>
 *   <tr><td>a dead process's counters file kept for</td><td>switchboard.counters.retain.ms</td>
 *       <td>60,000 (60 s) after its last heartbeat; at least 0</td></tr>
 * </table>
 * Every dir above is created 0700 (or checked to be ours if it exists) and every file in it is created by
 * {@code dev.switchboard.ipc.files.OwnedFiles}: no symbolic links followed, no foreign file reused, names kept
 * inside their dir.
 *
 * <p>Thread-safety: configure, then share read-only.
 */
public final class IpcContext
{
    /** {@link #routerThreading()}: router, socket server and io_uring server in one duty cycle on one thread. */
    public static final String SHARED = "shared";
    /** {@link #routerThreading()}: a thread each. */
    public static final String DEDICATED = "dedicated";

    private Path runtimeDir = Path.of(System.getProperty("switchboard.runtime.dir", defaultRuntimeDir()));
    private Path socketPath = pathProperty("switchboard.socket", runtimeDir.resolve("router.sock"));
    private Path highSocketPath = pathProperty("switchboard.high.socket", runtimeDir.resolve("router-high.sock"));
    private Path shmDir = Path.of(System.getProperty("switchboard.shm.dir", "/dev/shm/switchboard-" + uid()));
    private Path dataDir = pathProperty("switchboard.data.dir", runtimeDir.resolve("data"));
    private int inboxCapacity = Integer.getInteger("switchboard.inbox.capacity", 1024 * 1024);
    private int outboundCapacity = Integer.getInteger("switchboard.outbound.capacity", 1024 * 1024);
    private int maxSocketFrameLength = Integer.getInteger("switchboard.socket.max.frame", 512 * 1024);
    private String disabledTiers = System.getProperty("switchboard.tiers.disable", "");
    private long connectTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong("switchboard.connect.timeout.ms", 5000));
    private long inboxUnblockTimeoutNs = Long.getLong("switchboard.inbox.unblock.timeout.ns", 1_000_000_000L);
    private long socketPollIntervalNs = Long.getLong("switchboard.socket.poll.interval.ns", 10_000);
    private long countersRetainMs = Long.getLong("switchboard.counters.retain.ms", 60_000);
    private dev.switchboard.counters.file.CountersSnapshot.Role countersRole;
    private String countersName;
    private String routerThreading = System.getProperty("switchboard.router.threading",
        Runtime.getRuntime().availableProcessors() <= 2 ? SHARED : DEDICATED);
    private dev.switchboard.security.LinkMac linkMac;

    private static Path pathProperty(final String name, final Path fallback)
    {
        final String v = System.getProperty(name);
        return v == null ? fallback : Path.of(v);
    }

    /**
     * @return the user's numeric id, from the owner of the home directory's process, without native calls.
     */
    static String uid()
    {
        try
        {
            final Object uid = java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        }
        catch (final Exception e)
        {
            return System.getProperty("user.name", "user");
        }
    }

    private static String defaultRuntimeDir()
    {
        final String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank())
        {
            return Path.of(xdg, "switchboard").toString();
        }
        return "/tmp/switchboard-" + uid();
    }

    /**
     * Check the settings.
     *
     * @return this.
     */
    public IpcContext conclude()
    {
        if (maxSocketFrameLength < 1024 || maxSocketFrameLength > dev.switchboard.codecs.WireLimits.MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("switchboard.socket.max.frame must be between 1024 and " +
                dev.switchboard.codecs.WireLimits.MAX_FRAME_LENGTH + ": " + maxSocketFrameLength);
        }
        if (socketPollIntervalNs < 0 || socketPollIntervalNs > TimeUnit.MILLISECONDS.toNanos(100))
        {
            throw new IllegalArgumentException(
                "switchboard.socket.poll.interval.ns must be between 0 and 100000000 (100 ms): " + socketPollIntervalNs);
        }
        if (!SHARED.equals(routerThreading) && !DEDICATED.equals(routerThreading))
        {
            throw new IllegalArgumentException(
                "switchboard.router.threading must be shared or dedicated: " + routerThreading);
        }
        linkMac();
        if (inboxUnblockTimeoutNs < TimeUnit.MILLISECONDS.toNanos(1))
        {
            throw new IllegalArgumentException(
                "switchboard.inbox.unblock.timeout.ns must be at least 1000000 (1 ms): " + inboxUnblockTimeoutNs);
        }
        if (countersRetainMs < 0)
        {
            throw new IllegalArgumentException("switchboard.counters.retain.ms must be at least 0: " + countersRetainMs);
        }
        for (final int capacity : new int[]{inboxCapacity, outboundCapacity})
        {
            if (!BitUtil.isPowerOfTwo(capacity) || capacity < 4096)
            {
                throw new IllegalArgumentException(
                    "ring capacity must be a power of two of at least 4096 bytes: " + capacity);
            }
        }
        return this;
    }

    /**
     * Point every path at one directory (tests, several routers on one machine).
     *
     * @param dir the runtime dir; the shm dir becomes {@code dir/shm} and the data dir {@code dir/data},
     *            unless their system properties say otherwise.
     * @return this.
     */
    public IpcContext underDirectory(final Path dir)
    {
        runtimeDir = dir;
        socketPath = dir.resolve("router.sock");
        highSocketPath = dir.resolve("router-high.sock");
        dataDir = pathProperty("switchboard.data.dir", dir.resolve("data"));
        shmDir = pathProperty("switchboard.shm.dir", dir.resolve("shm"));
        return this;
    }

    /** @return the runtime dir. */
    public Path runtimeDir()
    {
        return runtimeDir;
    }

    /** @return the control socket path. */
    public Path socketPath()
    {
        return socketPath;
    }

    /** @param v control socket path. @return this. */
    public IpcContext socketPath(final Path v)
    {
        socketPath = v;
        return this;
    }

    /** @return the HIGH tier's socket path. */
    public Path highSocketPath()
    {
        return highSocketPath;
    }

    /** @param v where the router's HIGH (io_uring) socket is. @return this. */
    public IpcContext highSocketPath(final Path v)
    {
        highSocketPath = v;
        return this;
    }

    /** @return the shared-memory dir for inboxes. */
    public Path shmDir()
    {
        return shmDir;
    }

    /** @param v shared-memory dir. @return this. */
    public IpcContext shmDir(final Path v)
    {
        shmDir = v;
        return this;
    }

    /** @return the durable (LOW) data dir. */
    public Path dataDir()
    {
        return dataDir;
    }

    /** @param v durable data dir. @return this. */
    public IpcContext dataDir(final Path v)
    {
        dataDir = v;
        return this;
    }

    /** @return inbox ring capacity. */
    public int inboxCapacity()
    {
        return inboxCapacity;
    }

    /** @param v inbox ring capacity. @return this. */
    public IpcContext inboxCapacity(final int v)
    {
        inboxCapacity = v;
        return this;
    }

    /** @return the router's outbound ring capacity per connection. */
    public int outboundCapacity()
    {
        return outboundCapacity;
    }

    /** @param v outbound ring capacity. @return this. */
    public IpcContext outboundCapacity(final int v)
    {
        outboundCapacity = v;
        return this;
    }

    /**
     * @param tier a tier's name.
     * @return true when the tier was disabled by setting.
     */
    public boolean isDisabled(final String tier)
    {
        for (final String t : disabledTiers.split(","))
        {
            if (t.trim().equalsIgnoreCase(tier))
            {
                return true;
            }
        }
        return false;
    }

    /** @param v comma-separated tier names to disable. @return this. */
    public IpcContext disabledTiers(final String v)
    {
        disabledTiers = v;
        return this;
    }

    /** @return largest frame an agent sends or accepts on a socket. */
    public int maxSocketFrameLength()
    {
        return maxSocketFrameLength;
    }

    /** @param v largest frame on a socket. @return this. */
    public IpcContext maxSocketFrameLength(final int v)
    {
        maxSocketFrameLength = v;
        return this;
    }

    /**
     * The per-link frame MAC (HMAC-SHA256 truncated to 16 bytes on every frame of the control/NORMAL socket and
     * HIGH links): property {@value dev.switchboard.security.LinkMac#PROPERTY} = {@code off} (default) or
     * {@code on}, with {@value dev.switchboard.security.SecretFile#PROPERTY} naming the secret file when on. The
     * router and its clients must agree; a mismatch is refused at link setup with an error naming the setting.
     *
     * @return the setting (read from the properties on first use).
     * @throws IllegalArgumentException when the property is bad or on without a usable secret file.
     */
    public dev.switchboard.security.LinkMac linkMac()
    {
        if (linkMac == null)
        {
            linkMac = dev.switchboard.security.LinkMac.fromProperties();
        }
        return linkMac;
    }

    /** @param v the frame MAC setting (overrides the property). @return this. */
    public IpcContext linkMac(final dev.switchboard.security.LinkMac v)
    {
        linkMac = v;
        return this;
    }

    /** @return how long a connect waits for the router's socket. */
    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    /**
     * How often a busy-polling agent reads its control socket (which also carries NORMAL frames) and its LOW queue
     * when the last read found nothing, so a loop spinning on the CRITICAL inbox is not slowed by a {@code read}
     * system call (or a queue read) on every poll. For the socket the interval starts here and doubles with each
     * empty read up to 16 times this; LOW stays at this interval. A read that finds frames is repeated on the next
     * poll; the first poll after the agent wrote to the socket or parked always reads. The price: a NORMAL message
     * that arrives after a quiet spell while the agent spins waits up to 16 intervals, a LOW message up to one. Property {@code switchboard.socket.poll.interval.ns}, default 10,000 (10 µs, so at
     * most 160 µs); 0 reads on every poll.
     *
     * @return the interval in ns.
     */
    public long socketPollIntervalNs()
    {
        return socketPollIntervalNs;
    }

    /**
     * How a {@link RouterProcess} runs its parts: {@link #SHARED} (one thread) or {@link #DEDICATED} (three).
     * Property {@code switchboard.router.threading}; default shared on machines with 2 CPUs or fewer, else dedicated.
     *
     * @return shared or dedicated.
     */
    public String routerThreading()
    {
        return routerThreading;
    }

    /**
     * @param v shared or dedicated (see {@link #routerThreading()}).
     * @return this.
     */
    public IpcContext routerThreading(final String v)
    {
        routerThreading = v;
        return this;
    }

    /**
     * @param v see {@link #socketPollIntervalNs()}; 0 to read on every poll.
     * @return this.
     */
    public IpcContext socketPollIntervalNs(final long v)
    {
        socketPollIntervalNs = v;
        return this;
    }

    /**
     * How long an agent's CRITICAL inbox may stay stuck on a record that a sender claimed and never committed (a
     * sender killed in the middle of a ring write) before the agent turns that record into padding and reads on
     * (counted as {@code inbox records unblocked}). It must exceed the longest time a live sender can spend between
     * claim and commit (GC pause, descheduling, a slow zero-copy writer). Property
     * {@code switchboard.inbox.unblock.timeout.ns}, default 1 s.
     *
     * @return the timeout in ns.
     */
    public long inboxUnblockTimeoutNs()
    {
        return inboxUnblockTimeoutNs;
    }

    /**
     * @param v see {@link #inboxUnblockTimeoutNs()}; at least 1 ms.
     * @return this.
     */
    public IpcContext inboxUnblockTimeoutNs(final long v)
    {
        inboxUnblockTimeoutNs = v;
        return this;
    }

    /**
     * How long the counters file of a process that died is kept after its last heartbeat, so that
     * {@code ./switchboard stat} and {@code errors} still show what it counted and what went wrong; the router then
     * removes it ({@code dev.switchboard.ipc.counters.StaleCountersCleaner}). Property
     * {@code switchboard.counters.retain.ms}, default 60,000.
     *
     * @return the retention in ms.
     */
    public long countersRetainMs()
    {
        return countersRetainMs;
    }

    /**
     * @param v see {@link #countersRetainMs()}; at least 0.
     * @return this.
     */
    public IpcContext countersRetainMs(final long v)
    {
        countersRetainMs = v;
        return this;
    }

    /**
     * @return the role a router process started with this context gives its counters file; null (the default) means
     * {@code ROUTER} ({@code ORCHESTRATOR} for the orchestrator's embedded router).
     */
    public dev.switchboard.counters.file.CountersSnapshot.Role countersRole()
    {
        return countersRole;
    }

    /**
     * @param v see {@link #countersRole()}.
     * @return this.
     */
    public IpcContext countersRole(final dev.switchboard.counters.file.CountersSnapshot.Role v)
    {
        countersRole = v;
        return this;
    }

    /**
     * @return the name a router process started with this context gives its counters file; null (the default) means
     * the runtime dir's name.
     */
    public String countersName()
    {
        return countersName;
    }

    /**
     * @param v see {@link #countersName()}.
     * @return this.
     */
    public IpcContext countersName(final String v)
    {
        countersName = v;
        return this;
    }
}
