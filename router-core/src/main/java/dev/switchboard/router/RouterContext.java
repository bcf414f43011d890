package dev.switchboard.router;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ring.InboxCapacity;
import dev.switchboard.router.access.AccessPolicy;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.router.access.FailureLimiter;
import dev.switchboard.router.access.Role;
import dev.switchboard.security.SecretFile;
import dev.switchboard.settings.SettingText;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Every setting of a {@link Router}, in one place, each with a system property and a documented
 * default (Aeron's {@code Context} style). {@link #conclude()} validates the whole once, before the
 * router starts; a bad value fails there with a message naming the setting, the limit and the value.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th><th>limit</th></tr>
 *   <tr><td>ingress capacity</td><td>switchboard.ingress.capacity</td><td>4 MiB</td>
 *       <td>power of two, 64 KiB .. 1 GiB; largest frame = capacity / 8</td></tr>
 *   <tr><td>inbox capacity (in-process)</td><td>switchboard.inbox.capacity</td><td>1 MiB</td>
 *       <td>power of two, 4 KiB .. 1 GiB</td></tr>
 *   <tr><td>control ring capacity</td><td>switchboard.control.capacity</td><td>1 MiB</td>
 *       <td>power of two, 4 KiB .. 1 GiB</td></tr>
 *   <tr><td>max agents</td><td>switchboard.max.agents</td><td>4096</td><td>1 .. 65536</td></tr>
 *   <tr><td>default lease</td><td>switchboard.lease.ms</td><td>3000 ms</td><td>&gt;= 10 ms</td></tr>
 *   <tr><td>max lease</td><td>switchboard.lease.max.ms</td><td>60000 ms</td><td>&gt;= default lease</td></tr>
 *   <tr><td>timer interval</td><td>switchboard.timer.interval.us</td><td>1000 us</td><td>&gt; 0</td></tr>
 *   <tr><td>fragment limit per duty cycle</td><td>switchboard.fragment.limit</td><td>256</td><td>&gt; 0</td></tr>
 *   <tr><td>work prefetch per consumer</td><td>switchboard.work.prefetch</td><td>8</td><td>1 .. 65536</td></tr>
 *   <tr><td>work ack timeout</td><td>switchboard.work.ack.timeout.ms</td><td>30000 ms</td><td>&gt; 0</td></tr>
 *   <tr><td>max work queue depth</td><td>switchboard.work.max.depth</td><td>65536</td><td>&gt; 0</td></tr>
 *   <tr><td>max topics, groups, queues (each)</td><td>switchboard.max.names</td><td>4096</td><td>&gt; 0</td></tr>
 *   <tr><td>authentication and access policy</td><td>switchboard.auth.*</td><td>same user admin, others refused,
 *       no token</td><td>see {@link Authenticator}</td></tr>
 *   <tr><td>idle: spin after the last work, no system call</td><td>switchboard.router.idle.spin.us</td><td>20 us</td>
 *       <td>0 .. 1,000,000</td></tr>
 *   <tr><td>idle: longest park (caps the wait for the next deadline)</td><td>switchboard.router.idle.max.park.ms</td>
 *       <td>1000 ms (a safety net: an idle router wakes for its deadlines, and at least once a second)</td><td>1 .. 60,000</td></tr>
 *   <tr><td>retry interval while a full receiver holds a frame</td><td>switchboard.router.stall.retry.us</td>
 *       <td>100 us</td><td>1 .. 100,000</td></tr>
 *   <tr><td>handshake deadline: a connection from another process must register within</td>
 *       <td>switchboard.router.handshake.timeout.ms</td><td>2000 ms</td><td>10 .. 600,000</td></tr>
 *   <tr><td>partial-frame deadline: a frame may stay incomplete for at most</td>
 *       <td>switchboard.router.partial.frame.timeout.ms</td><td>5000 ms</td><td>10 .. 600,000</td></tr>
 *   <tr><td>connections per peer user (by uid)</td><td>switchboard.router.max.connections.per.user</td>
 *       <td>256</td><td>1 .. 65,536</td></tr>
 *   <tr><td>connections not yet registered, in total</td><td>switchboard.router.max.unregistered</td>
 *       <td>64</td><td>1 .. 65,536</td></tr>
 *   <tr><td>connections accepted per duty cycle</td><td>switchboard.router.accepts.per.cycle</td>
 *       <td>16</td><td>1 .. 1024</td></tr>
 *   <tr><td>each buffer of a connection until its agent registers</td>
 *       <td>switchboard.router.handshake.buffer.bytes</td><td>16 KiB</td><td>1 KiB .. 1 MiB</td></tr>
 *   <tr><td>bytes queued for one connection (its send buffer, at least one largest frame)</td>
 *       <td>switchboard.router.connection.send.bytes</td><td>256 KiB</td><td>4 KiB .. 1 GiB</td></tr>
 *   <tr><td>I/O engine of a router process (ipc-native): io_uring when it works here, or NIO</td>
 *       <td>switchboard.router.engine</td><td>auto</td><td>auto, uring, nio</td></tr>
 *   <tr><td>longest stop after SIGINT/SIGTERM ({@code ./switchboard router})</td>
 *       <td>switchboard.router.stop.timeout.ms</td><td>5000 ms</td><td>100 .. 600,000</td></tr>
 *   <tr><td>how long a receiver keeps an agent-link grant it was told of (see {@code LinkBroker})</td>
 *       <td>switchboard.link.grant.ttl.ms</td><td>5000 ms</td><td>1 .. 600,000</td></tr>
 * </table>
 *
 * <p><b>Where settings come from.</b> This class is the one place the router's system properties are read: each is
 * read once, when the context is made (the {@code switchboard.auth.*} ones when {@link #authenticator()} is first
 * asked for), and handed to the classes that use it; a property whose text is not of its type fails there, naming
 * it. Each property's name and default are the {@code *_PROP} and {@code *_DEFAULT} constants below.
 *
 * <p><b>Idle.</b> Unless an {@link #idleStrategy(IdleStrategy)} is set, the router is quiet: after its last work it
 * spins for {@code switchboard.router.idle.spin.us} looking only at memory (its ingress; an I/O engine adds its own
 * shared-memory sources), then blocks once until its next deadline ({@link Router#nextDeadlineNs()}: a lease to judge,
 * a work item's ack deadline, a stalled frame to retry), for at most {@code switchboard.router.idle.max.park.ms}. A
 * producer that offers to the ingress while it is parked wakes it (see {@link Ingress}).
 *
 * <p>Thread-safety: configure on one thread before {@link Router#launch}; read-only afterwards.
 */
public final class RouterContext
{
    /** Smallest ingress capacity. */
    public static final int MIN_RING_CAPACITY = 4 * 1024;
    /** {@link #engine()}: io_uring where it works, else NIO. */
    public static final String ENGINE_AUTO = "auto";
    /** {@link #engine()}: io_uring, or refuse to start. */
    public static final String ENGINE_URING = "uring";
    /** {@link #engine()}: NIO (HIGH, if it runs, on its own io_uring beside it). */
    public static final String ENGINE_NIO = "nio";
    /** Largest ring capacity. */
    public static final int MAX_RING_CAPACITY = 1 << 30;

    /** Property: {@link #ingressCapacity()}, bytes. */
    public static final String INGRESS_CAPACITY_PROP = "switchboard.ingress.capacity";
    /** Default {@link #ingressCapacity()}: 4 MiB. */
    public static final int INGRESS_CAPACITY_DEFAULT = 4 * 1024 * 1024;
    /** Property: {@link #inboxCapacity()}, bytes (also read by {@code IpcContext} for the cross-process inboxes). */
    public static final String INBOX_CAPACITY_PROP = InboxCapacity.PROP;
    /** Default {@link #inboxCapacity()}: 1 MiB. */
    public static final int INBOX_CAPACITY_DEFAULT = InboxCapacity.DEFAULT;
    /** Property: {@link #controlCapacity()}, bytes. */
    public static final String CONTROL_CAPACITY_PROP = "switchboard.control.capacity";
    /** Default {@link #controlCapacity()}: 1 MiB. */
    public static final int CONTROL_CAPACITY_DEFAULT = 1024 * 1024;
    /** Property: {@link #maxAgents()}. */
    public static final String MAX_AGENTS_PROP = "switchboard.max.agents";
    /** Default {@link #maxAgents()}. */
    public static final int MAX_AGENTS_DEFAULT = 4096;
    /** Property: {@link #defaultLeaseNs()}, in milliseconds. */
    public static final String LEASE_MS_PROP = "switchboard.lease.ms";
    /** Default {@link #defaultLeaseNs()}, in milliseconds. */
    public static final long LEASE_MS_DEFAULT = 3000;
    /** Property: {@link #maxLeaseNs()}, in milliseconds. */
    public static final String MAX_LEASE_MS_PROP = "switchboard.lease.max.ms";
    /** Default {@link #maxLeaseNs()}, in milliseconds. */
    public static final long MAX_LEASE_MS_DEFAULT = 60_000;
    /** Property: {@link #timerIntervalNs()}, in microseconds. */
    public static final String TIMER_INTERVAL_US_PROP = "switchboard.timer.interval.us";
    /** Default {@link #timerIntervalNs()}, in microseconds. */
    public static final long TIMER_INTERVAL_US_DEFAULT = 1000;
    /** Property: {@link #fragmentLimit()}. */
    public static final String FRAGMENT_LIMIT_PROP = "switchboard.fragment.limit";
    /** Default {@link #fragmentLimit()}. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 256;
    /** Property: {@link #workPrefetch()}. */
    public static final String WORK_PREFETCH_PROP = "switchboard.work.prefetch";
    /** Default {@link #workPrefetch()}. */
    public static final int WORK_PREFETCH_DEFAULT = 8;
    /** Property: {@link #workAckTimeoutNs()}, in milliseconds. */
    public static final String WORK_ACK_TIMEOUT_MS_PROP = "switchboard.work.ack.timeout.ms";
    /** Default {@link #workAckTimeoutNs()}, in milliseconds. */
    public static final long WORK_ACK_TIMEOUT_MS_DEFAULT = 30_000;
    /** Property: {@link #maxWorkQueueDepth()}. */
    public static final String WORK_MAX_DEPTH_PROP = "switchboard.work.max.depth";
    /** Default {@link #maxWorkQueueDepth()}. */
    public static final int WORK_MAX_DEPTH_DEFAULT = 65_536;
    /** Property: {@link #maxNames()}. */
    public static final String MAX_NAMES_PROP = "switchboard.max.names";
    /** Default {@link #maxNames()}. */
    public static final int MAX_NAMES_DEFAULT = 4096;
    /** Property: {@link #useInvoker()}. */
    public static final String INVOKER_PROP = "switchboard.router.invoker";
    /** Default {@link #useInvoker()}: a router thread. */
    public static final boolean INVOKER_DEFAULT = false;
    /** Property: {@link #idleSpinNs()}, in microseconds. */
    public static final String IDLE_SPIN_US_PROP = "switchboard.router.idle.spin.us";
    /** Default {@link #idleSpinNs()}, in microseconds. */
    public static final long IDLE_SPIN_US_DEFAULT = 20;
    /** Property: {@link #idleMaxParkNs()}, in milliseconds. */
    public static final String IDLE_MAX_PARK_MS_PROP = "switchboard.router.idle.max.park.ms";
    /** Default {@link #idleMaxParkNs()}, in milliseconds. */
    public static final long IDLE_MAX_PARK_MS_DEFAULT = 1000;
    /** Property: {@link #stallRetryNs()}, in microseconds. */
    public static final String STALL_RETRY_US_PROP = "switchboard.router.stall.retry.us";
    /** Default {@link #stallRetryNs()}, in microseconds. */
    public static final long STALL_RETRY_US_DEFAULT = 100;
    /** Property: {@link #handshakeTimeoutNs()}, in milliseconds. */
    public static final String HANDSHAKE_TIMEOUT_MS_PROP = "switchboard.router.handshake.timeout.ms";
    /** Default {@link #handshakeTimeoutNs()}, in milliseconds. */
    public static final long HANDSHAKE_TIMEOUT_MS_DEFAULT = 2000;
    /** Property: {@link #partialFrameTimeoutNs()}, in milliseconds. */
    public static final String PARTIAL_FRAME_TIMEOUT_MS_PROP = "switchboard.router.partial.frame.timeout.ms";
    /** Default {@link #partialFrameTimeoutNs()}, in milliseconds. */
    public static final long PARTIAL_FRAME_TIMEOUT_MS_DEFAULT = 5000;
    /** Property: {@link #maxConnectionsPerUser()}. */
    public static final String MAX_CONNECTIONS_PER_USER_PROP = "switchboard.router.max.connections.per.user";
    /** Default {@link #maxConnectionsPerUser()}. */
    public static final int MAX_CONNECTIONS_PER_USER_DEFAULT = 256;
    /** Property: {@link #maxUnregisteredConnections()}. */
    public static final String MAX_UNREGISTERED_PROP = "switchboard.router.max.unregistered";
    /** Default {@link #maxUnregisteredConnections()}. */
    public static final int MAX_UNREGISTERED_DEFAULT = 64;
    /** Property: {@link #acceptsPerCycle()}. */
    public static final String ACCEPTS_PER_CYCLE_PROP = "switchboard.router.accepts.per.cycle";
    /** Default {@link #acceptsPerCycle()}. */
    public static final int ACCEPTS_PER_CYCLE_DEFAULT = 16;
    /** Property: {@link #handshakeBufferBytes()}. */
    public static final String HANDSHAKE_BUFFER_BYTES_PROP = "switchboard.router.handshake.buffer.bytes";
    /** Default {@link #handshakeBufferBytes()}: 16 KiB. */
    public static final int HANDSHAKE_BUFFER_BYTES_DEFAULT = 16 * 1024;
    /** Property: {@link #connectionSendBytes()}. */
    public static final String CONNECTION_SEND_BYTES_PROP = "switchboard.router.connection.send.bytes";
    /** Default {@link #connectionSendBytes()}: 256 KiB. */
    public static final int CONNECTION_SEND_BYTES_DEFAULT = 256 * 1024;
    /** Property: {@link #engine()}; default {@link #ENGINE_AUTO}. */
    public static final String ENGINE_PROP = "switchboard.router.engine";
    /** Property: {@link #stopTimeoutNs()}, in milliseconds. */
    public static final String STOP_TIMEOUT_MS_PROP = "switchboard.router.stop.timeout.ms";
    /** Default {@link #stopTimeoutNs()}, in milliseconds. */
    public static final long STOP_TIMEOUT_MS_DEFAULT = 5000;
    /** Property: {@link #clusterEndpoint()}; empty (the default) runs no bridge. */
    public static final String CLUSTER_ENDPOINT_PROP = "switchboard.cluster.endpoint";
    /** Property: {@link #clusterPeers()}. */
    public static final String CLUSTER_PEERS_PROP = "switchboard.cluster.peers";
    /** Property: {@link #clusterHost()}. */
    public static final String CLUSTER_HOST_PROP = "switchboard.cluster.host";
    /** Property: {@link #clusterAeronDir()}. */
    public static final String CLUSTER_AERON_DIR_PROP = "switchboard.cluster.aeron.dir";
    /** Property: {@link #clusterExternalDriver()}. */
    public static final String CLUSTER_EXTERNAL_DRIVER_PROP = "switchboard.cluster.external.driver";
    /** Property: {@link #clusterSecretFile()}. */
    public static final String CLUSTER_SECRET_FILE_PROP = "switchboard.cluster.secret.file";
    /** Property: {@link #clusterStreamId()}. */
    public static final String CLUSTER_STREAM_ID_PROP = "switchboard.cluster.stream.id";
    /** Default {@link #clusterStreamId()}. */
    public static final int CLUSTER_STREAM_ID_DEFAULT = 1701;
    /** Property: {@link #clusterAeronTimeoutMs()}. */
    public static final String CLUSTER_AERON_TIMEOUT_MS_PROP = "switchboard.cluster.aeron.timeout.ms";
    /** Default {@link #clusterAeronTimeoutMs()}: Aeron's own default client liveness timeout. */
    public static final int CLUSTER_AERON_TIMEOUT_MS_DEFAULT = 10_000;
    /** Property: {@link #clusterHeartbeatMs()}. */
    public static final String CLUSTER_HEARTBEAT_MS_PROP = "switchboard.cluster.heartbeat.ms";
    /** Default {@link #clusterHeartbeatMs()}. */
    public static final int CLUSTER_HEARTBEAT_MS_DEFAULT = 200;
    /** Property: {@link #clusterPeerTimeoutMs()}; 0 (the default) is the default lease. */
    public static final String CLUSTER_PEER_TIMEOUT_MS_PROP = "switchboard.cluster.peer.timeout.ms";
    /** Property: {@link #clusterIdleParkUs()}. */
    public static final String CLUSTER_IDLE_PARK_US_PROP = "switchboard.cluster.idle.park.us";
    /** Default {@link #clusterIdleParkUs()}. */
    public static final int CLUSTER_IDLE_PARK_US_DEFAULT = 1000;
    /** Property: {@link #clusterIdleYieldUs()}. */
    public static final String CLUSTER_IDLE_YIELD_US_PROP = "switchboard.cluster.idle.yield.us";
    /** Default {@link #clusterIdleYieldUs()}. */
    public static final int CLUSTER_IDLE_YIELD_US_DEFAULT = 1000;
    /** Most peers a router bridges to. */
    public static final int CLUSTER_MAX_PEERS = 32;
    /** Property: {@link #clusterDriverThreading()}. */
    public static final String CLUSTER_DRIVER_THREADING_PROP = "switchboard.cluster.driver.threading";
    /** {@link #clusterDriverThreading()}: the embedded media driver and the Aeron client run in the duty cycle. */
    public static final String CLUSTER_DRIVER_INVOKER = "invoker";
    /** {@link #clusterDriverThreading()}: the embedded media driver on one thread of its own, the client on another. */
    public static final String CLUSTER_DRIVER_SHARED = "shared";
    /** Default {@link #clusterDriverThreading()}. */
    public static final String CLUSTER_DRIVER_THREADING_DEFAULT = CLUSTER_DRIVER_INVOKER;

    /** Property: {@link #linkGrantTtlMs()}. */
    public static final String LINK_GRANT_TTL_MS_PROP = "switchboard.link.grant.ttl.ms";
    /** Default {@link #linkGrantTtlMs()}. */
    public static final int LINK_GRANT_TTL_MS_DEFAULT = 5000;

    private int ingressCapacity = intProperty(INGRESS_CAPACITY_PROP, INGRESS_CAPACITY_DEFAULT);
    private int inboxCapacity = intProperty(INBOX_CAPACITY_PROP, INBOX_CAPACITY_DEFAULT);
    private int controlCapacity = intProperty(CONTROL_CAPACITY_PROP, CONTROL_CAPACITY_DEFAULT);
    private int maxAgents = intProperty(MAX_AGENTS_PROP, MAX_AGENTS_DEFAULT);
    private long defaultLeaseNs = TimeUnit.MILLISECONDS.toNanos(longProperty(LEASE_MS_PROP, LEASE_MS_DEFAULT));
    private long maxLeaseNs = TimeUnit.MILLISECONDS.toNanos(longProperty(MAX_LEASE_MS_PROP, MAX_LEASE_MS_DEFAULT));
    private long timerIntervalNs =
        TimeUnit.MICROSECONDS.toNanos(longProperty(TIMER_INTERVAL_US_PROP, TIMER_INTERVAL_US_DEFAULT));
    private int fragmentLimit = intProperty(FRAGMENT_LIMIT_PROP, FRAGMENT_LIMIT_DEFAULT);
    private int workPrefetch = intProperty(WORK_PREFETCH_PROP, WORK_PREFETCH_DEFAULT);
    private long workAckTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(WORK_ACK_TIMEOUT_MS_PROP, WORK_ACK_TIMEOUT_MS_DEFAULT));
    private int maxWorkQueueDepth = intProperty(WORK_MAX_DEPTH_PROP, WORK_MAX_DEPTH_DEFAULT);
    private int maxNames = intProperty(MAX_NAMES_PROP, MAX_NAMES_DEFAULT);
    private boolean useInvoker = booleanProperty(INVOKER_PROP, INVOKER_DEFAULT);
    private boolean relaysWakes;
    private long idleSpinNs = TimeUnit.MICROSECONDS.toNanos(longProperty(IDLE_SPIN_US_PROP, IDLE_SPIN_US_DEFAULT));
    private long idleMaxParkNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(IDLE_MAX_PARK_MS_PROP, IDLE_MAX_PARK_MS_DEFAULT));
    private long stallRetryNs =
        TimeUnit.MICROSECONDS.toNanos(longProperty(STALL_RETRY_US_PROP, STALL_RETRY_US_DEFAULT));
    private long handshakeTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(HANDSHAKE_TIMEOUT_MS_PROP, HANDSHAKE_TIMEOUT_MS_DEFAULT));
    private long partialFrameTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(PARTIAL_FRAME_TIMEOUT_MS_PROP, PARTIAL_FRAME_TIMEOUT_MS_DEFAULT));
    private int maxConnectionsPerUser = intProperty(MAX_CONNECTIONS_PER_USER_PROP, MAX_CONNECTIONS_PER_USER_DEFAULT);
    private int maxUnregisteredConnections = intProperty(MAX_UNREGISTERED_PROP, MAX_UNREGISTERED_DEFAULT);
    private int acceptsPerCycle = intProperty(ACCEPTS_PER_CYCLE_PROP, ACCEPTS_PER_CYCLE_DEFAULT);
    private int handshakeBufferBytes = intProperty(HANDSHAKE_BUFFER_BYTES_PROP, HANDSHAKE_BUFFER_BYTES_DEFAULT);
    private int connectionSendBytes = intProperty(CONNECTION_SEND_BYTES_PROP, CONNECTION_SEND_BYTES_DEFAULT);
    private String engine = stringProperty(ENGINE_PROP, ENGINE_AUTO);
    private long stopTimeoutNs =
        TimeUnit.MILLISECONDS.toNanos(longProperty(STOP_TIMEOUT_MS_PROP, STOP_TIMEOUT_MS_DEFAULT));
    private int linkGrantTtlMs = intProperty(LINK_GRANT_TTL_MS_PROP, LINK_GRANT_TTL_MS_DEFAULT);
    private String clusterEndpoint = stringProperty(CLUSTER_ENDPOINT_PROP, "");
    private String clusterPeers = stringProperty(CLUSTER_PEERS_PROP, "");
    private String clusterHost = stringProperty(CLUSTER_HOST_PROP, "");
    private String clusterAeronDir = stringProperty(CLUSTER_AERON_DIR_PROP, "");
    private boolean clusterExternalDriver = booleanProperty(CLUSTER_EXTERNAL_DRIVER_PROP, false);
    private String clusterSecretFile =
        stringProperty(CLUSTER_SECRET_FILE_PROP, stringProperty(SecretFile.PROPERTY, ""));
    private int clusterStreamId = intProperty(CLUSTER_STREAM_ID_PROP, CLUSTER_STREAM_ID_DEFAULT);
    private int clusterHeartbeatMs = intProperty(CLUSTER_HEARTBEAT_MS_PROP, CLUSTER_HEARTBEAT_MS_DEFAULT);
    private int clusterAeronTimeoutMs = intProperty(CLUSTER_AERON_TIMEOUT_MS_PROP, CLUSTER_AERON_TIMEOUT_MS_DEFAULT);
    private long clusterPeerTimeoutMs = longProperty(CLUSTER_PEER_TIMEOUT_MS_PROP, 0);
    private int clusterIdleParkUs = intProperty(CLUSTER_IDLE_PARK_US_PROP, CLUSTER_IDLE_PARK_US_DEFAULT);
    private int clusterIdleYieldUs = intProperty(CLUSTER_IDLE_YIELD_US_PROP, CLUSTER_IDLE_YIELD_US_DEFAULT);
    private String clusterDriverThreading =
        stringProperty(CLUSTER_DRIVER_THREADING_PROP, CLUSTER_DRIVER_THREADING_DEFAULT);
    private IdleStrategy idleStrategy;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private ErrorHandler errorHandler;
    private dev.switchboard.counters.SwitchboardCounters counters;
    private Authenticator authenticator;
    private boolean concluded;

    /**
     * Validate every setting.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting, its limit and the value seen.
     */
    public RouterContext conclude()
    {
        checkRing("ingress capacity (switchboard.ingress.capacity)", ingressCapacity, 64 * 1024);
        checkRing("inbox capacity (switchboard.inbox.capacity)", inboxCapacity, MIN_RING_CAPACITY);
        checkRing("control ring capacity (switchboard.control.capacity)", controlCapacity, MIN_RING_CAPACITY);
        checkRange("max agents (switchboard.max.agents)", maxAgents, 1, 65_536);
        if (defaultLeaseNs < TimeUnit.MILLISECONDS.toNanos(10))
        {
            throw new IllegalArgumentException("default lease (switchboard.lease.ms) must be at least 10 ms: " +
                TimeUnit.NANOSECONDS.toMillis(defaultLeaseNs) + " ms");
        }
        if (maxLeaseNs < defaultLeaseNs)
        {
            throw new IllegalArgumentException("max lease (switchboard.lease.max.ms) " +
                TimeUnit.NANOSECONDS.toMillis(maxLeaseNs) + " ms is below the default lease " +
                TimeUnit.NANOSECONDS.toMillis(defaultLeaseNs) + " ms");
        }
        checkPositive("timer interval (switchboard.timer.interval.us)", timerIntervalNs);
        checkPositive("fragment limit (switchboard.fragment.limit)", fragmentLimit);
        checkRange("work prefetch (switchboard.work.prefetch)", workPrefetch, 1, 65_536);
        checkPositive("work ack timeout (switchboard.work.ack.timeout.ms)", workAckTimeoutNs);
        checkPositive("max work queue depth (switchboard.work.max.depth)", maxWorkQueueDepth);
        checkPositive("max names (switchboard.max.names)", maxNames);
        checkRange("idle spin (switchboard.router.idle.spin.us)", TimeUnit.NANOSECONDS.toMicros(idleSpinNs), 0,
            1_000_000);
        checkRange("idle max park (switchboard.router.idle.max.park.ms)", TimeUnit.NANOSECONDS.toMillis(idleMaxParkNs),
            1, 60_000);
        checkRange("stall retry (switchboard.router.stall.retry.us)", TimeUnit.NANOSECONDS.toMicros(stallRetryNs), 1,
            100_000);
        checkRange("handshake deadline (switchboard.router.handshake.timeout.ms)",
            TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNs), 10, 600_000);
        checkRange("partial-frame deadline (switchboard.router.partial.frame.timeout.ms)",
            TimeUnit.NANOSECONDS.toMillis(partialFrameTimeoutNs), 10, 600_000);
        checkRange("connections per user (switchboard.router.max.connections.per.user)", maxConnectionsPerUser, 1,
            65_536);
        checkRange("unregistered connections (switchboard.router.max.unregistered)", maxUnregisteredConnections, 1,
            65_536);
        checkRange("accepts per duty cycle (switchboard.router.accepts.per.cycle)", acceptsPerCycle, 1, 1024);
        checkRange("handshake buffer (switchboard.router.handshake.buffer.bytes)", handshakeBufferBytes, 1024,
            1024 * 1024);
        checkRange("connection send buffer (switchboard.router.connection.send.bytes)", connectionSendBytes, 4096,
            MAX_RING_CAPACITY);
        checkRange("stop timeout (switchboard.router.stop.timeout.ms)", TimeUnit.NANOSECONDS.toMillis(stopTimeoutNs),
            100, 600_000);
        if (!ENGINE_AUTO.equals(engine) && !ENGINE_URING.equals(engine) && !ENGINE_NIO.equals(engine))
        {
            throw new IllegalArgumentException("engine (switchboard.router.engine) must be auto, uring or nio: " +
                engine);
        }
        checkRange("link grant TTL (" + LINK_GRANT_TTL_MS_PROP + ")", linkGrantTtlMs, 1, 600_000);
        if (isClustered())
        {
            checkRange("cluster heartbeat (" + CLUSTER_HEARTBEAT_MS_PROP + ")", clusterHeartbeatMs, 1, 60_000);
            checkRange("cluster Aeron timeout (" + CLUSTER_AERON_TIMEOUT_MS_PROP + ")", clusterAeronTimeoutMs, 2_000,
                600_000);
            checkRange("cluster stream id (" + CLUSTER_STREAM_ID_PROP + ")", clusterStreamId, 1, Integer.MAX_VALUE);
            checkRange("cluster idle park (" + CLUSTER_IDLE_PARK_US_PROP + ")", clusterIdleParkUs, 1, 1_000_000);
            checkRange("cluster idle yield (" + CLUSTER_IDLE_YIELD_US_PROP + ")", clusterIdleYieldUs, 0, 1_000_000);
            if (!CLUSTER_DRIVER_INVOKER.equals(clusterDriverThreading) &&
                !CLUSTER_DRIVER_SHARED.equals(clusterDriverThreading))
            {
                throw new IllegalArgumentException("cluster driver threading (" + CLUSTER_DRIVER_THREADING_PROP +
                    ") must be " + CLUSTER_DRIVER_INVOKER + " or " + CLUSTER_DRIVER_SHARED + ": " +
                    clusterDriverThreading);
            }
            if (clusterPeerTimeoutMs == 0)
            {
                clusterPeerTimeoutMs = TimeUnit.NANOSECONDS.toMillis(defaultLeaseNs);
            }
            if (clusterPeerTimeoutMs < 2L * clusterHeartbeatMs || clusterPeerTimeoutMs > 600_000)
            {
                throw new IllegalArgumentException("cluster peer timeout (" + CLUSTER_PEER_TIMEOUT_MS_PROP + ") is " +
                    clusterPeerTimeoutMs + " ms; it must be 2 heartbeats (" + 2L * clusterHeartbeatMs +
                    " ms) .. 600000 ms");
            }
            if (clusterSecretFile.isBlank())
            {
                throw new IllegalArgumentException("a cluster (" + CLUSTER_ENDPOINT_PROP + "=" + clusterEndpoint +
                    ") needs the routers' shared secret: set " + CLUSTER_SECRET_FILE_PROP + " or " + SecretFile.PROPERTY);
            }
            final int peers = clusterPeerList().size();
            if (peers > CLUSTER_MAX_PEERS)
            {
                throw new IllegalArgumentException("cluster peers (" + CLUSTER_PEERS_PROP + ") lists " + peers +
                    " routers; the limit is " + CLUSTER_MAX_PEERS);
            }
            checkEndpoint(CLUSTER_ENDPOINT_PROP, clusterEndpoint);
            for (final String peer : clusterPeerList())
            {
                checkEndpoint(CLUSTER_PEERS_PROP, peer);
            }
        }
        authenticator().conclude();
        concluded = true;
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

    private static boolean booleanProperty(final String name, final boolean defaultValue)
    {
        return SettingText.parseBoolean(name, System.getProperty(name), defaultValue);
    }

    private static String stringProperty(final String name, final String defaultValue)
    {
        return System.getProperty(name, defaultValue);
    }

    private static void checkRing(final String what, final int capacity, final int min)
    {
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < min || capacity > MAX_RING_CAPACITY)
        {
            throw new IllegalArgumentException(what + " must be a power of two between " + min + " and " +
                MAX_RING_CAPACITY + " bytes: " + capacity);
        }
    }

    private static void checkRange(final String what, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ": " + value);
        }
    }

    private static void checkPositive(final String what, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }

    /**
     * @return true once {@link #conclude()} has passed.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /** @return ingress capacity in bytes. */
    public int ingressCapacity()
    {
        return ingressCapacity;
    }

    /** @param v ingress capacity in bytes, a power of two. @return this. */
    public RouterContext ingressCapacity(final int v)
    {
        ingressCapacity = v;
        return this;
    }

    /** @return in-process inbox capacity in bytes. */
    public int inboxCapacity()
    {
        return inboxCapacity;
    }

    /** @param v in-process inbox capacity, a power of two. @return this. */
    public RouterContext inboxCapacity(final int v)
    {
        inboxCapacity = v;
        return this;
    }

    /** @return control ring capacity in bytes. */
    public int controlCapacity()
    {
        return controlCapacity;
    }

    /** @param v control ring capacity, a power of two. @return this. */
    public RouterContext controlCapacity(final int v)
    {
        controlCapacity = v;
        return this;
    }

    /** @return most agents registered at once. */
    public int maxAgents()
    {
        return maxAgents;
    }

    /** @param v most agents registered at once. @return this. */
    public RouterContext maxAgents(final int v)
    {
        maxAgents = v;
        return this;
    }

    /** @return lease granted when an agent asks for none, in ns. */
    public long defaultLeaseNs()
    {
        return defaultLeaseNs;
    }

    /** @param v default lease in ns. @return this. */
    public RouterContext defaultLeaseNs(final long v)
    {
        defaultLeaseNs = v;
        return this;
    }

    /** @return longest lease granted, in ns. */
    public long maxLeaseNs()
    {
        return maxLeaseNs;
    }

    /** @param v longest lease in ns. @return this. */
    public RouterContext maxLeaseNs(final long v)
    {
        maxLeaseNs = v;
        return this;
    }

    /** @return how often timers (leases, ack deadlines, closed sessions) are checked, in ns. */
    public long timerIntervalNs()
    {
        return timerIntervalNs;
    }

    /** @param v timer interval in ns. @return this. */
    public RouterContext timerIntervalNs(final long v)
    {
        timerIntervalNs = v;
        return this;
    }

    /** @return most ingress frames per duty cycle. */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /** @param v most ingress frames per duty cycle. @return this. */
    public RouterContext fragmentLimit(final int v)
    {
        fragmentLimit = v;
        return this;
    }

    /** @return most unacknowledged work items one consumer holds. */
    public int workPrefetch()
    {
        return workPrefetch;
    }

    /** @param v most unacknowledged work items per consumer. @return this. */
    public RouterContext workPrefetch(final int v)
    {
        workPrefetch = v;
        return this;
    }

    /** @return time a consumer has to ack a work item before it goes to another, in ns. */
    public long workAckTimeoutNs()
    {
        return workAckTimeoutNs;
    }

    /** @param v work ack timeout in ns. @return this. */
    public RouterContext workAckTimeoutNs(final long v)
    {
        workAckTimeoutNs = v;
        return this;
    }

    /** @return most items (waiting + held) in one work queue. */
    public int maxWorkQueueDepth()
    {
        return maxWorkQueueDepth;
    }

    /** @param v most items per work queue. @return this. */
    public RouterContext maxWorkQueueDepth(final int v)
    {
        maxWorkQueueDepth = v;
        return this;
    }

    /** @return most topics, groups and queues (each). */
    public int maxNames()
    {
        return maxNames;
    }

    /** @param v most topics, groups and queues (each). @return this. */
    public RouterContext maxNames(final int v)
    {
        maxNames = v;
        return this;
    }

    /**
     * @return true when this router can wake an agent parked on its inbox's futex for a sender that cannot
     * ({@code Wake} control frames), and says so to clients in bit 1 of {@code Challenge.flags}
     * ({@link Router#CHALLENGE_RELAYS_WAKES}). Not a preference but a capability of the hosting process: router-core
     * makes no native call, so the process that hosts the router sets it ({@code ipc-native}'s {@code RouterProcess}
     * sets it when its JVM can make the futex call). Default false: clients then park on their doorbells.
     */
    public boolean relaysWakes()
    {
        return relaysWakes;
    }

    /** @param v true when the hosting process can make the futex call for {@code Wake} frames. @return this. */
    public RouterContext relaysWakes(final boolean v)
    {
        relaysWakes = v;
        return this;
    }

    /** @return true when the embedder invokes the duty cycle itself instead of a router thread. */
    public boolean useInvoker()
    {
        return useInvoker;
    }

    /** @param v true to run the router in invoker mode. @return this. */
    public RouterContext useInvoker(final boolean v)
    {
        useInvoker = v;
        return this;
    }

    /**
     * @return the idle strategy set for the router thread, or null for the default quiet one (spin, then park until
     * the next deadline, woken by producers).
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Replace the quiet idle of the router thread (for example with a busy spin on a dedicated core). A strategy set
     * here is never woken by producers: it must not sleep long.
     *
     * @param v idle strategy of the router thread, or null for the quiet default.
     * @return this.
     */
    public RouterContext idleStrategy(final IdleStrategy v)
    {
        idleStrategy = v;
        return this;
    }

    /** @return how long the quiet router spins after its last work before it parks, in ns (no system call). */
    public long idleSpinNs()
    {
        return idleSpinNs;
    }

    /** @param v spin after the last work, in ns. @return this. */
    public RouterContext idleSpinNs(final long v)
    {
        idleSpinNs = v;
        return this;
    }

    /** @return the longest the quiet router parks at once, in ns, whatever its next deadline. */
    public long idleMaxParkNs()
    {
        return idleMaxParkNs;
    }

    /** @param v longest park, in ns. @return this. */
    public RouterContext idleMaxParkNs(final long v)
    {
        idleMaxParkNs = v;
        return this;
    }

    /**
     * @return how soon the router tries again to deliver a frame a full receiver refused, in ns: it parks no longer
     * than this while a frame is held.
     */
    public long stallRetryNs()
    {
        return stallRetryNs;
    }

    /** @param v retry interval while a frame is held, in ns. @return this. */
    public RouterContext stallRetryNs(final long v)
    {
        stallRetryNs = v;
        return this;
    }

    /**
     * @return how long a connection from another process may take to register before it is told and closed, in ns.
     */
    public long handshakeTimeoutNs()
    {
        return handshakeTimeoutNs;
    }

    /** @param v handshake deadline in ns. @return this. @see #handshakeTimeoutNs() */
    public RouterContext handshakeTimeoutNs(final long v)
    {
        handshakeTimeoutNs = v;
        return this;
    }

    /**
     * @return how long a frame may stay incomplete in a connection's receive buffer before the connection is closed,
     * in ns (a sender dribbling half a frame holds a buffer).
     */
    public long partialFrameTimeoutNs()
    {
        return partialFrameTimeoutNs;
    }

    /** @param v partial-frame deadline in ns. @return this. @see #partialFrameTimeoutNs() */
    public RouterContext partialFrameTimeoutNs(final long v)
    {
        partialFrameTimeoutNs = v;
        return this;
    }

    /** @return most connections one peer user (uid) may hold open; more are refused at accept. */
    public int maxConnectionsPerUser()
    {
        return maxConnectionsPerUser;
    }

    /** @param v most connections per peer user. @return this. */
    public RouterContext maxConnectionsPerUser(final int v)
    {
        maxConnectionsPerUser = v;
        return this;
    }

    /** @return most connections that have not registered yet, in total; more are refused at accept. */
    public int maxUnregisteredConnections()
    {
        return maxUnregisteredConnections;
    }

    /** @param v most unregistered connections. @return this. */
    public RouterContext maxUnregisteredConnections(final int v)
    {
        maxUnregisteredConnections = v;
        return this;
    }

    /** @return most connections accepted per duty cycle, so that a connection flood never starves routing. */
    public int acceptsPerCycle()
    {
        return acceptsPerCycle;
    }

    /** @param v connections accepted per duty cycle. @return this. */
    public RouterContext acceptsPerCycle(final int v)
    {
        acceptsPerCycle = v;
        return this;
    }

    /**
     * @return bytes of each buffer (receive, send) of a connection until its agent registers: the memory a connection
     * can hold before it authenticates. A larger frame before registration closes the connection.
     */
    public int handshakeBufferBytes()
    {
        return handshakeBufferBytes;
    }

    /** @param v handshake buffer bytes. @return this. @see #handshakeBufferBytes() */
    public RouterContext handshakeBufferBytes(final int v)
    {
        handshakeBufferBytes = v;
        return this;
    }

    /**
     * @return bytes that may wait to be written to one registered connection (its send buffer; at least one largest
     * frame): beyond, routed frames are held (back-pressure) and control replies refused (counted).
     */
    public int connectionSendBytes()
    {
        return connectionSendBytes;
    }

    /** @param v send buffer bytes per connection. @return this. @see #connectionSendBytes() */
    public RouterContext connectionSendBytes(final int v)
    {
        connectionSendBytes = v;
        return this;
    }

    /**
     * @return the I/O engine of a router process: {@link #ENGINE_AUTO} (io_uring where it works, else NIO),
     * {@link #ENGINE_URING} or {@link #ENGINE_NIO}.
     */
    public String engine()
    {
        return engine;
    }

    /** @param v the I/O engine. @return this. @see #engine() */
    public RouterContext engine(final String v)
    {
        engine = v;
        return this;
    }

    /** @return how long a standalone router may take to stop after a signal before it exits anyway, in ns. */
    public long stopTimeoutNs()
    {
        return stopTimeoutNs;
    }

    /** @param v stop timeout in ns. @return this. */
    public RouterContext stopTimeoutNs(final long v)
    {
        stopTimeoutNs = v;
        return this;
    }


    /**
     * @return how long, in ms, a receiver keeps a grant for an agent-to-agent link that the router told it of before
     * the asker's claim must have arrived.
     */
    public int linkGrantTtlMs()
    {
        return linkGrantTtlMs;
    }

    /** @param v link grant TTL in ms, 1 .. 600,000. @return this. @see #linkGrantTtlMs() */
    public RouterContext linkGrantTtlMs(final int v)
    {
        linkGrantTtlMs = v;
        return this;
    }

    /** @return clock for leases and deadlines. */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /** @param v clock for leases and deadlines. @return this. */
    public RouterContext nanoClock(final NanoClock v)
    {
        nanoClock = v;
        return this;
    }

    /**
     * @return an extra handler of unexpected errors in the duty cycle, or null (the default): the router counts every
     * such error ({@code router duty-cycle errors}) and logs it through {@link System.Logger} (the first with its stack
     * trace, then at most one line a second), then calls this handler if set.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @param v extra handler of unexpected errors, or null. @return this. @see #errorHandler() */
    public RouterContext errorHandler(final ErrorHandler v)
    {
        errorHandler = v;
        return this;
    }

    /**
     * @return the counters the next router built on this context counts into, or null (the default): it then lays
     * its counters out in direct memory. A router process sets counters over its counters file
     * ({@code RouterProcess}), so that {@code switchboard stat} reads them while it runs.
     */
    public dev.switchboard.counters.SwitchboardCounters counters()
    {
        return counters;
    }

    /**
     * @param v counters laid out over a counters file's metadata and values, or null. @return this.
     * @see #counters()
     */
    public RouterContext counters(final dev.switchboard.counters.SwitchboardCounters v)
    {
        counters = v;
        return this;
    }

    /**
     * @return who may connect and register, and what each role may do; built from the {@code switchboard.auth.*}
     * properties unless set.
     */
    public Authenticator authenticator()
    {
        if (authenticator == null)
        {
            authenticator = authenticatorFromProperties();
        }
        return authenticator;
    }

    private static Authenticator authenticatorFromProperties()
    {
        return new Authenticator()
            .policyFile(SettingText.parsePath(System.getProperty(AccessPolicy.PROPERTY)))
            .secretFile(SettingText.parsePath(System.getProperty(SecretFile.PROPERTY)))
            .jwtHs256SecretFile(SettingText.parsePath(System.getProperty(Authenticator.JWT_HS256_PROPERTY)))
            .jwtRs256PublicKeyFile(SettingText.parsePath(System.getProperty(Authenticator.JWT_RS256_PROPERTY)))
            .jwtIssuer(System.getProperty(Authenticator.JWT_ISSUER_PROPERTY))
            .tokenMode(System.getProperty(Authenticator.TOKEN_PROPERTY))
            .inProcessRole(Role.parse(
                stringProperty(Authenticator.IN_PROCESS_ROLE_PROPERTY, Authenticator.IN_PROCESS_ROLE_DEFAULT)))
            .failureLimit(
                intProperty(FailureLimiter.BURST_PROPERTY, FailureLimiter.DEFAULT_BURST),
                longProperty(FailureLimiter.REFILL_PROPERTY, FailureLimiter.DEFAULT_REFILL_MS));
    }

    private static void checkEndpoint(final String property, final String endpoint)
    {
        final int colon = endpoint.lastIndexOf(':');
        int port = -1;
        if (colon > 0)
        {
            try
            {
                port = Integer.parseInt(endpoint.substring(colon + 1));
            }
            catch (final NumberFormatException e)
            {
                port = -1;
            }
        }
        if (port < 1 || port > 65_535)
        {
            throw new IllegalArgumentException(property + ": '" + endpoint + "' is not host:port (port 1 .. 65535)");
        }
    }

    /** @return true when this router bridges to peer routers ({@link #clusterEndpoint()} is set). */
    public boolean isClustered()
    {
        return !clusterEndpoint.isBlank();
    }

    /**
     * @return this router's own Aeron UDP endpoint, {@code host:port}, where its peers send to it (and its identity in
     * the cluster); empty for no cluster. Property {@value #CLUSTER_ENDPOINT_PROP}.
     */
    public String clusterEndpoint()
    {
        return clusterEndpoint;
    }

    /** @param v this router's Aeron endpoint, host:port; empty for none. @return this. */
    public RouterContext clusterEndpoint(final String v)
    {
        clusterEndpoint = v == null ? "" : v.trim();
        return this;
    }

    /** @return the peer routers' endpoints, comma-separated host:port. Property {@value #CLUSTER_PEERS_PROP}. */
    public String clusterPeers()
    {
        return clusterPeers;
    }

    /** @return {@link #clusterPeers()} as a list, without this router's own endpoint. */
    public List<String> clusterPeerList()
    {
        final List<String> list = new java.util.ArrayList<>();
        for (final String peer : clusterPeers.split(","))
        {
            final String p = peer.trim();
            if (!p.isEmpty() && !p.equals(clusterEndpoint) && !list.contains(p))
            {
                list.add(p);
            }
        }
        return list;
    }

    /** @param v the peers' endpoints, comma-separated host:port. @return this. */
    public RouterContext clusterPeers(final String v)
    {
        clusterPeers = v == null ? "" : v;
        return this;
    }

    /**
     * @return the host name this router's agents are shown with on its peers; empty (the default) for the host of
     * {@link #clusterEndpoint()}. Property {@value #CLUSTER_HOST_PROP}.
     */
    public String clusterHost()
    {
        if (clusterHost.isBlank() && !clusterEndpoint.isBlank())
        {
            return clusterEndpoint.substring(0, Math.max(0, clusterEndpoint.lastIndexOf(':')));
        }
        return clusterHost;
    }

    /** @param v host name shown with this router's agents. @return this. */
    public RouterContext clusterHost(final String v)
    {
        clusterHost = v == null ? "" : v;
        return this;
    }

    /**
     * @return the Aeron directory: of the embedded media driver (deleted on start), or of the external driver to
     * connect to; empty (the default) for {@code aeron} under the router's runtime dir. Property
     * {@value #CLUSTER_AERON_DIR_PROP}.
     */
    public String clusterAeronDir()
    {
        return clusterAeronDir;
    }

    /** @param v the Aeron directory; empty for the default. @return this. */
    public RouterContext clusterAeronDir(final String v)
    {
        clusterAeronDir = v == null ? "" : v;
        return this;
    }

    /**
     * @return true to connect to a media driver already running on {@link #clusterAeronDir()}, false (the default)
     * to embed one. Property {@value #CLUSTER_EXTERNAL_DRIVER_PROP}.
     */
    public boolean clusterExternalDriver()
    {
        return clusterExternalDriver;
    }

    /** @param v true to use an external media driver. @return this. */
    public RouterContext clusterExternalDriver(final boolean v)
    {
        clusterExternalDriver = v;
        return this;
    }

    /**
     * @return how the bridge runs its embedded media driver and its Aeron client: {@value #CLUSTER_DRIVER_INVOKER}
     * (the default: both invoked from the router's duty cycle, no thread of their own) or
     * {@value #CLUSTER_DRIVER_SHARED} (the driver on one thread of its own, {@code ThreadingMode.SHARED}, and the
     * client's conductor on another). With {@link #clusterExternalDriver()} only the client follows it. Property
     * {@value #CLUSTER_DRIVER_THREADING_PROP}.
     */
    public String clusterDriverThreading()
    {
        return clusterDriverThreading;
    }

    /** @param v {@value #CLUSTER_DRIVER_INVOKER} or {@value #CLUSTER_DRIVER_SHARED}. @return this. */
    public RouterContext clusterDriverThreading(final String v)
    {
        clusterDriverThreading = v;
        return this;
    }

    /**
     * @return the secret file the routers of a cluster share (see {@code SecretFile}); default the agents' secret,
     * {@code switchboard.auth.secret.file}. Required with a cluster. Property {@value #CLUSTER_SECRET_FILE_PROP}.
     */
    public String clusterSecretFile()
    {
        return clusterSecretFile;
    }

    /** @param v the cluster's secret file. @return this. */
    public RouterContext clusterSecretFile(final String v)
    {
        clusterSecretFile = v == null ? "" : v;
        return this;
    }

    /** @return the Aeron stream id of the bridge, the same on every router. Property {@value #CLUSTER_STREAM_ID_PROP}. */
    public int clusterStreamId()
    {
        return clusterStreamId;
    }

    /** @param v the bridge's Aeron stream id. @return this. */
    public RouterContext clusterStreamId(final int v)
    {
        clusterStreamId = v;
        return this;
    }

    /**
     * @return the embedded media driver's client liveness timeout, which is also how long its Aeron client may go
     * without being serviced (a router stalled longer loses its Aeron client, and the bridge starts a new one),
     * 2,000 .. 600,000 ms (Aeron wants it above its 1 s timer); not used with an external driver (its own setting
     * rules). Property {@value #CLUSTER_AERON_TIMEOUT_MS_PROP}.
     */
    public int clusterAeronTimeoutMs()
    {
        return clusterAeronTimeoutMs;
    }

    /** @param v see {@link #clusterAeronTimeoutMs()}. @return this. */
    public RouterContext clusterAeronTimeoutMs(final int v)
    {
        clusterAeronTimeoutMs = v;
        return this;
    }

    /** @return how often a router tells each peer it is alive, 1 .. 60,000 ms. Property {@value #CLUSTER_HEARTBEAT_MS_PROP}. */
    public int clusterHeartbeatMs()
    {
        return clusterHeartbeatMs;
    }

    /** @param v peer heartbeat interval in ms. @return this. */
    public RouterContext clusterHeartbeatMs(final int v)
    {
        clusterHeartbeatMs = v;
        return this;
    }

    /**
     * @return how long a peer may stay silent before it is taken down and its agents removed here; at least two
     * heartbeats; 0 before {@link #conclude()} means the default lease. Property {@value #CLUSTER_PEER_TIMEOUT_MS_PROP}.
     */
    public long clusterPeerTimeoutMs()
    {
        return clusterPeerTimeoutMs;
    }

    /** @param v peer timeout in ms; 0 for the default lease. @return this. */
    public RouterContext clusterPeerTimeoutMs(final long v)
    {
        clusterPeerTimeoutMs = v;
        return this;
    }

    /**
     * @return the longest the router's duty cycle parks while a cluster runs (Aeron's subscription does not wake it),
     * 1 .. 1,000,000 us. Property {@value #CLUSTER_IDLE_PARK_US_PROP}.
     */
    public int clusterIdleParkUs()
    {
        return clusterIdleParkUs;
    }

    /** @param v longest park with a cluster, in microseconds. @return this. */
    public RouterContext clusterIdleParkUs(final int v)
    {
        clusterIdleParkUs = v;
        return this;
    }

    /**
     * @return while a cluster runs, how long after its last work the router's duty cycle (and the bridge's embedded
     * media driver) yields the CPU ({@code sched_yield}) between polls instead of parking, 0 .. 1,000,000 us: a
     * message arriving in that window is seen within one yield, not one park. Property
     * {@value #CLUSTER_IDLE_YIELD_US_PROP}.
     */
    public int clusterIdleYieldUs()
    {
        return clusterIdleYieldUs;
    }

    /** @param v yield window after the last work with a cluster, in microseconds (0: park at once). @return this. */
    public RouterContext clusterIdleYieldUs(final int v)
    {
        clusterIdleYieldUs = v;
        return this;
    }

    /** @param v authentication and policy settings. @return this. */
    public RouterContext authenticator(final Authenticator v)
    {
        authenticator = v;
        return this;
    }
}
