package dev.switchboard.ipc;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.ipc.link.LinkSettings;
import dev.switchboard.ipc.process.ProcessContext;
import dev.switchboard.ipc.uring.UringEngineSettings;
import dev.switchboard.ipc.uring.UringConfig;
import dev.switchboard.ipc.uring.UringRing;
import dev.switchboard.ring.InboxCapacity;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.settings.SettingText;
import org.agrona.BitUtil;

/**
 * Where the cross-process pieces live, how big they are and how they behave, for the router process and for agent
 * processes alike. Each setting has a system property and a default; this class is the one place they are read (for
 * {@code ipc-native}'s parts too: the LOW queues, agent links, io_uring links and the router's io_uring engine, which
 * it hands the values), once, when the context is made. A property whose text is not of its type fails there, naming
 * it; {@link #conclude()} checks the ranges. The process-wide settings (futex, io_uring, liburing, file group, stop)
 * are {@link ProcessContext}'s.
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
 *   <tr><td>outbound ring per connection (router side; checked, no longer used)</td>
 *       <td>switchboard.outbound.capacity</td><td>1 MiB</td></tr>
 *   <tr><td>largest frame on a socket</td><td>switchboard.socket.max.frame</td>
 *       <td>512 KiB (the router's default ingress takes frames up to 512 KiB)</td></tr>
 *   <tr><td>disable tiers (and agent-to-agent links: {@code LINKS})</td><td>switchboard.tiers.disable</td>
 *       <td>none; e.g. {@code CRITICAL,HIGH} or {@code LINKS}</td></tr>
 *   <tr><td>connect timeout</td><td>switchboard.connect.timeout.ms</td><td>5000 ms</td></tr>
 *   <tr><td>stuck inbox record unblocked after</td><td>switchboard.inbox.unblock.timeout.ns</td>
 *       <td>1,000,000,000 (1 s); at least 1 ms</td></tr>
 *   <tr><td>socket and LOW read interval of a busy-polling agent (checked, no longer used: an agent reads them when
 *       their readiness word moves)</td><td>switchboard.socket.poll.interval.ns</td>
 *       <td>10,000 (10 µs); 0 .. 100 ms</td></tr>
 *   <tr><td>router threading (no longer used: one duty cycle)</td><td>switchboard.router.threading</td>
 *       <td>shared on 2 CPUs or fewer, else dedicated</td></tr>
 *   <tr><td>frame MAC on every link</td><td>switchboard.link.mac (with switchboard.auth.secret.file)</td>
 *       <td>off</td></tr>
 *   <tr><td>agent links: sizes, limits, deadlines (see {@link LinkSettings})</td><td>switchboard.link.*</td>
 *       <td>see {@link LinkSettings}</td></tr>
 *   <tr><td>agent links: completion mode of an agent's link ring</td><td>switchboard.link.uring.mode</td>
 *       <td>deferred</td></tr>
 *   <tr><td>HIGH io_uring links and server (see {@link UringConfig})</td><td>switchboard.uring.*</td>
 *       <td>see {@link UringConfig}</td></tr>
 *   <tr><td>LOW queues: roll cycle, largest frame, Chronicle timeout, free-space reserve (see {@link DurableQueues})
 *       </td><td>switchboard.low.*</td><td>see {@link DurableQueues}</td></tr>
 *   <tr><td>the router's io_uring engine: completion mode, receive pool (see {@code UringSocketServer})</td>
 *       <td>switchboard.router.uring.*</td><td>deferred, 256 buffers of 16 KiB</td></tr>
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

    /** Property: {@link #runtimeDir()}. */
    public static final String RUNTIME_DIR_PROP = "switchboard.runtime.dir";
    /** Environment variable under which the default {@link #runtimeDir()} is made, when set. */
    public static final String RUNTIME_DIR_ENV = "XDG_RUNTIME_DIR";
    /** Property: {@link #socketPath()}; default {@code router.sock} in the runtime dir. */
    public static final String SOCKET_PROP = "switchboard.socket";
    /** Property: {@link #highSocketPath()}; default {@code router-high.sock} in the runtime dir. */
    public static final String HIGH_SOCKET_PROP = "switchboard.high.socket";
    /** Property: {@link #shmDir()}; default {@code /dev/shm/switchboard-$UID}. */
    public static final String SHM_DIR_PROP = "switchboard.shm.dir";
    /** Property: {@link #dataDir()}; default {@code data} in the runtime dir. */
    public static final String DATA_DIR_PROP = "switchboard.data.dir";
    /** Property: {@link #inboxCapacity()} (the router's in-process inboxes read it too). */
    public static final String INBOX_CAPACITY_PROP = InboxCapacity.PROP;
    /** Default {@link #inboxCapacity()}: 1 MiB. */
    public static final int INBOX_CAPACITY_DEFAULT = InboxCapacity.DEFAULT;
    /** Property: {@link #outboundCapacity()}. */
    public static final String OUTBOUND_CAPACITY_PROP = "switchboard.outbound.capacity";
    /** Default {@link #outboundCapacity()}: 1 MiB. */
    public static final int OUTBOUND_CAPACITY_DEFAULT = 1024 * 1024;
    /** Property: {@link #maxSocketFrameLength()}. */
    public static final String SOCKET_MAX_FRAME_PROP = "switchboard.socket.max.frame";
    /** Default {@link #maxSocketFrameLength()}: 512 KiB. */
    public static final int SOCKET_MAX_FRAME_DEFAULT = 512 * 1024;
    /** Property: the tiers {@link #isDisabled(String)} says are off, comma-separated; default none. */
    public static final String TIERS_DISABLE_PROP = "switchboard.tiers.disable";
    /** Property: {@link #connectTimeoutNs()}, in milliseconds. */
    public static final String CONNECT_TIMEOUT_MS_PROP = "switchboard.connect.timeout.ms";
    /** Default {@link #connectTimeoutNs()}, in milliseconds. */
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 5000;
    /** Property: {@link #inboxUnblockTimeoutNs()}. */
    public static final String INBOX_UNBLOCK_TIMEOUT_NS_PROP = "switchboard.inbox.unblock.timeout.ns";
    /** Default {@link #inboxUnblockTimeoutNs()}: 1 s. */
    public static final long INBOX_UNBLOCK_TIMEOUT_NS_DEFAULT = 1_000_000_000L;
    /** Property: {@link #socketPollIntervalNs()}. */
    public static final String SOCKET_POLL_INTERVAL_NS_PROP = "switchboard.socket.poll.interval.ns";
    /** Default {@link #socketPollIntervalNs()}: 10 µs. */
    public static final long SOCKET_POLL_INTERVAL_NS_DEFAULT = 10_000;
    /** Property: {@link #routerThreading()}; default {@link #SHARED} on 2 CPUs or fewer, else {@link #DEDICATED}. */
    public static final String ROUTER_THREADING_PROP = "switchboard.router.threading";
    /** Property: {@link #linkUringMode()}. */
    public static final String LINK_URING_MODE_PROP = "switchboard.link.uring.mode";
    /** Default {@link #linkUringMode()}. */
    public static final String LINK_URING_MODE_DEFAULT = "deferred";
    /** Property: {@link #countersRetainMs()}. */
    public static final String COUNTERS_RETAIN_MS_PROP = "switchboard.counters.retain.ms";
    /** Default {@link #countersRetainMs()}: 60 s. */
    public static final long COUNTERS_RETAIN_MS_DEFAULT = 60_000;

    private final String dataDirText = System.getProperty(DATA_DIR_PROP);
    private final String shmDirText = System.getProperty(SHM_DIR_PROP);
    private Path runtimeDir = SettingText.parsePath(System.getProperty(RUNTIME_DIR_PROP), Path.of(defaultRuntimeDir()));
    private Path socketPath = SettingText.parsePath(System.getProperty(SOCKET_PROP), runtimeDir.resolve("router.sock"));
    private Path highSocketPath =
        SettingText.parsePath(System.getProperty(HIGH_SOCKET_PROP), runtimeDir.resolve("router-high.sock"));
    private Path shmDir = SettingText.parsePath(shmDirText, Path.of("/dev/shm/switchboard-" + uid()));
    private Path dataDir = SettingText.parsePath(dataDirText, runtimeDir.resolve("data"));
    private int inboxCapacity = intProperty(INBOX_CAPACITY_PROP, INBOX_CAPACITY_DEFAULT);
    private int outboundCapacity = intProperty(OUTBOUND_CAPACITY_PROP, OUTBOUND_CAPACITY_DEFAULT);
    private int maxSocketFrameLength = intProperty(SOCKET_MAX_FRAME_PROP, SOCKET_MAX_FRAME_DEFAULT);
    /** The disabled tiers' names, upper case: parsed once when set, so {@link #isDisabled} allocates nothing. */
    private java.util.Set<String> disabledTiers = parseTiers(System.getProperty(TIERS_DISABLE_PROP, ""));
    private long connectTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(CONNECT_TIMEOUT_MS_PROP, CONNECT_TIMEOUT_MS_DEFAULT));
    private long inboxUnblockTimeoutNs = longProperty(INBOX_UNBLOCK_TIMEOUT_NS_PROP, INBOX_UNBLOCK_TIMEOUT_NS_DEFAULT);
    private long socketPollIntervalNs = longProperty(SOCKET_POLL_INTERVAL_NS_PROP, SOCKET_POLL_INTERVAL_NS_DEFAULT);
    private long countersRetainMs = longProperty(COUNTERS_RETAIN_MS_PROP, COUNTERS_RETAIN_MS_DEFAULT);
    private dev.switchboard.counters.file.CountersSnapshot.Role countersRole;
    private String countersName;
    private String routerThreading = System.getProperty(ROUTER_THREADING_PROP,
        Runtime.getRuntime().availableProcessors() <= 2 ? SHARED : DEDICATED);
    private final String linkMacText = System.getProperty(LinkMac.PROPERTY);
    private final String secretFileText = System.getProperty(SecretFile.PROPERTY);
    private LinkMac linkMac;
    private LinkSettings linkSettings = new LinkSettings(
        intProperty(LinkSettings.MAX_FRAME_PROP, LinkSettings.MAX_FRAME_DEFAULT),
        intProperty(LinkSettings.MAX_LINKS_PROP, LinkSettings.MAX_LINKS_DEFAULT),
        intProperty(LinkSettings.MAX_EXPECTED_PROP, LinkSettings.MAX_EXPECTED_DEFAULT),
        TimeUnit.MILLISECONDS.toNanos(
            longProperty(LinkSettings.CLAIM_TIMEOUT_PROP, LinkSettings.CLAIM_TIMEOUT_DEFAULT_MS)),
        TimeUnit.MILLISECONDS.toNanos(
            longProperty(LinkSettings.OPEN_TIMEOUT_PROP, LinkSettings.OPEN_TIMEOUT_DEFAULT_MS)),
        intProperty(LinkSettings.SEND_BUFFER_PROP, LinkSettings.SEND_BUFFER_DEFAULT),
        TimeUnit.MILLISECONDS.toNanos(longProperty(LinkSettings.SWEEP_PROP, LinkSettings.SWEEP_DEFAULT_MS)),
        intProperty(LinkSettings.RECEIVE_BUFFERS_PROP, LinkSettings.RECEIVE_BUFFERS_DEFAULT),
        intProperty(LinkSettings.RECEIVE_BUFFER_LENGTH_PROP, LinkSettings.RECEIVE_BUFFER_LENGTH_DEFAULT));
    private String linkUringMode = System.getProperty(LINK_URING_MODE_PROP, LINK_URING_MODE_DEFAULT);
    private UringConfig uringConfig = UringConfig.builder()
        .ringEntries(intProperty(UringConfig.RING_ENTRIES_PROP, UringConfig.RING_ENTRIES_DEFAULT))
        .sendSlots(intProperty(UringConfig.SEND_SLOTS_PROP, UringConfig.SEND_SLOTS_DEFAULT))
        .sendSlotLength(intProperty(UringConfig.SEND_SLOT_LENGTH_PROP, UringConfig.SEND_SLOT_LENGTH_DEFAULT))
        .receiveBufferLength(
            intProperty(UringConfig.RECEIVE_BUFFER_LENGTH_PROP, UringConfig.RECEIVE_BUFFER_LENGTH_DEFAULT))
        .maxConnections(intProperty(UringConfig.MAX_CONNECTIONS_PROP, UringConfig.MAX_CONNECTIONS_DEFAULT))
        .fragmentLimit(intProperty(UringConfig.FRAGMENT_LIMIT_PROP, UringConfig.FRAGMENT_LIMIT_DEFAULT))
        .closeLinger(longProperty(UringConfig.CLOSE_LINGER_MS_PROP, UringConfig.CLOSE_LINGER_MS_DEFAULT),
            TimeUnit.MILLISECONDS)
        .build();
    private String lowRollCycle = System.getProperty(DurableQueues.ROLL_CYCLE_PROP, DurableQueues.ROLL_CYCLE_DEFAULT);
    private int lowMaxFrameLength =
        intProperty(DurableQueues.MAX_FRAME_LENGTH_PROP, DurableQueues.MAX_FRAME_LENGTH_DEFAULT);
    private long lowTimeoutMs = longProperty(DurableQueues.TIMEOUT_MS_PROP, DurableQueues.TIMEOUT_MS_DEFAULT);
    private long lowMinFreeBytes =
        longProperty(DurableQueues.MIN_FREE_BYTES_PROP, DurableQueues.MIN_FREE_BYTES_DEFAULT);
    private final String routerUringModeText =
        System.getProperty(UringEngineSettings.MODE_PROP, UringEngineSettings.MODE_DEFAULT);
    private final int routerUringBuffers =
        intProperty(UringEngineSettings.BUFFERS_PROP, UringEngineSettings.BUFFERS_DEFAULT);
    private final int routerUringBufferLength =
        intProperty(UringEngineSettings.BUFFER_LENGTH_PROP, UringEngineSettings.BUFFER_LENGTH_DEFAULT);

    private static int intProperty(final String name, final int defaultValue)
    {
        return SettingText.parseInt(name, System.getProperty(name), defaultValue);
    }

    private static long longProperty(final String name, final long defaultValue)
    {
        return SettingText.parseLong(name, System.getProperty(name), defaultValue);
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
        final String xdg = System.getenv(RUNTIME_DIR_ENV);
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
            throw new IllegalArgumentException(SOCKET_MAX_FRAME_PROP + " must be between 1024 and " +
                dev.switchboard.codecs.WireLimits.MAX_FRAME_LENGTH + ": " + maxSocketFrameLength);
        }
        if (socketPollIntervalNs < 0 || socketPollIntervalNs > TimeUnit.MILLISECONDS.toNanos(100))
        {
            throw new IllegalArgumentException(
                SOCKET_POLL_INTERVAL_NS_PROP + " must be between 0 and 100000000 (100 ms): " + socketPollIntervalNs);
        }
        if (!SHARED.equals(routerThreading) && !DEDICATED.equals(routerThreading))
        {
            throw new IllegalArgumentException(
                ROUTER_THREADING_PROP + " must be shared or dedicated: " + routerThreading);
        }
        linkMac();
        // Checked by name: UringRing.CompletionMode would load liburing, which a process without HIGH must not do.
        ProcessContext.checkUringMode(LINK_URING_MODE_PROP, linkUringMode);
        ProcessContext.checkUringMode(UringEngineSettings.MODE_PROP, routerUringModeText);
        if (inboxUnblockTimeoutNs < TimeUnit.MILLISECONDS.toNanos(1))
        {
            throw new IllegalArgumentException(
                INBOX_UNBLOCK_TIMEOUT_NS_PROP + " must be at least 1000000 (1 ms): " + inboxUnblockTimeoutNs);
        }
        if (countersRetainMs < 0)
        {
            throw new IllegalArgumentException(COUNTERS_RETAIN_MS_PROP + " must be at least 0: " + countersRetainMs);
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
        dataDir = SettingText.parsePath(dataDirText, dir.resolve("data"));
        shmDir = SettingText.parsePath(shmDirText, dir.resolve("shm"));
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
        return disabledTiers.contains(tier.toUpperCase(java.util.Locale.ROOT));
    }

    /** @param v comma-separated tier names to disable. @return this. */
    public IpcContext disabledTiers(final String v)
    {
        disabledTiers = parseTiers(v);
        return this;
    }

    private static java.util.Set<String> parseTiers(final String v)
    {
        final java.util.Set<String> tiers = new java.util.HashSet<>();
        for (final String t : v.split(","))
        {
            if (!t.isBlank())
            {
                tiers.add(t.trim().toUpperCase(java.util.Locale.ROOT));
            }
        }
        return java.util.Set.copyOf(tiers);
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
     * @return the setting (made from the properties, read when this context was made, on first use: the secret file
     * is loaded then).
     * @throws IllegalArgumentException when the property is bad or on without a usable secret file.
     */
    public LinkMac linkMac()
    {
        if (linkMac == null)
        {
            linkMac = LinkMac.fromSetting(linkMacText, secretFileText);
        }
        return linkMac;
    }

    /** @param v the frame MAC setting (overrides the property). @return this. */
    public IpcContext linkMac(final LinkMac v)
    {
        linkMac = v;
        return this;
    }

    /**
     * @return the limits, sizes and deadlines of this agent's links to other agents (the {@code switchboard.link.*}
     * properties, see {@link LinkSettings}).
     */
    public LinkSettings linkSettings()
    {
        return linkSettings;
    }

    /** @param v the agent links' settings (overrides the properties). @return this. */
    public IpcContext linkSettings(final LinkSettings v)
    {
        linkSettings = v;
        return this;
    }

    /**
     * @return the strongest completion mode of an agent's link ring ({@value #LINK_URING_MODE_PROP}; the process's
     * {@link ProcessContext#uringMode()} may lower it).
     * @throws IllegalArgumentException when the property names no mode.
     */
    public UringRing.CompletionMode linkUringMode()
    {
        return UringRing.CompletionMode.parse(LINK_URING_MODE_PROP, linkUringMode);
    }

    /** @param v {@code deferred}, {@code cooperative} or {@code interrupt}. @return this. */
    public IpcContext linkUringMode(final String v)
    {
        linkUringMode = v;
        return this;
    }

    /**
     * @return the settings of HIGH's io_uring links and of the router's HIGH server (the {@code switchboard.uring.*}
     * properties, see {@link UringConfig}).
     */
    public UringConfig uringConfig()
    {
        return uringConfig;
    }

    /** @param v the io_uring links' settings (overrides the properties). @return this. */
    public IpcContext uringConfig(final UringConfig v)
    {
        uringConfig = v;
        return this;
    }

    /**
     * @return the settings of the router's io_uring engine ({@value UringEngineSettings#MODE_PROP},
     * {@value UringEngineSettings#BUFFERS_PROP}, {@value UringEngineSettings#BUFFER_LENGTH_PROP}).
     * @throws IllegalArgumentException when the mode property names no mode.
     */
    public UringEngineSettings routerUringSettings()
    {
        return new UringEngineSettings(
            UringRing.CompletionMode.parse(UringEngineSettings.MODE_PROP, routerUringModeText),
            routerUringBuffers, routerUringBufferLength);
    }

    /**
     * The LOW tier's queues under {@link #dataDir()}, with the {@code switchboard.low.*} settings (see
     * {@link DurableQueues}); not yet concluded.
     *
     * @return new queue settings.
     */
    public DurableQueues lowQueues()
    {
        return new DurableQueues(dataDir).rollCycle(lowRollCycle).maxFrameLength(lowMaxFrameLength)
            .timeoutMs(lowTimeoutMs).minFreeBytes(lowMinFreeBytes);
    }

    /** @param v a Chronicle roll cycle name, e.g. {@code FAST_DAILY}. @return this. @see #lowQueues() */
    public IpcContext lowRollCycle(final String v)
    {
        lowRollCycle = v;
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
     * How a {@code RouterProcess} runs its parts: {@code SHARED} (one thread) or {@code DEDICATED} (three).
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
