/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.client.ClientContext;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.RouterContext;

/**
 * One Switchboard tier across processes, through the public client API: a router in a process of its own (its
 * default settings, as {@code ./switchboard router} runs it), a responder agent and initiator agents in two more, on
 * one priority, in one of two patterns:
 * <ul>
 *   <li>Point to point ({@code sb-critical}, {@code sb-high}, {@code sb-normal}, {@code sb-low}): {@code send} to
 *       the other agent's id. CRITICAL writes straight into the receiver's /dev/shm inbox and LOW into its Chronicle
 *       queue; HIGH and NORMAL take the path the client picks for a point-to-point send on that tier.</li>
 *   <li>Routed ({@code sb-high-routed}, {@code sb-normal-routed}): {@code publish} to a topic with one subscriber.
 *       The responder subscribes to {@value #PING_TOPIC}, producer 0 to {@value #PONG_TOPIC}; every message goes
 *       agent, router, agent. Its raw anchor is {@code uds-relay} (Unix sockets through a relaying process).</li>
 * </ul>
 *
 * <p>Sends go through a {@link dev.switchboard.client.Destination} resolved once when the endpoint opens (the
 * {@code addPublication} model); publishes go to the topic's id. Idle: the agents wait as an application would, with
 * their client's idle strategy ({@link SwitchboardClient#idleStrategy()}, from {@code ClientContext.idleSettings()}:
 * {@code switchboard.client.idle}, default {@code spin-park}; the harness's {@code --client-idle} sets it); the router
 * runs its default idle strategy. Neither is tuned for the
 * benchmark: the report states both. Every poll delivers at most {@link BenchEndpoint#POLL_LIMIT} messages per tier,
 * as every peer does.
 */
public abstract class SwitchboardTierCase implements BenchCase
{
    static final String RESPONDER = "bench-responder";
    static final String INITIATOR = "bench-initiator-";
    /** The routed cases' topic from the initiators to the responder. */
    static final String PING_TOPIC = "bench-ping";
    /** The routed cases' topic from the responder to producer 0. */
    static final String PONG_TOPIC = "bench-pong";
    private static final long FIND_RESPONDER_NS = TimeUnit.SECONDS.toNanos(20);
    /**
     * Agents busy-spin in a phase that may not poll for a while (a throughput producer), and wait on a pipe, not
     * polling, while the other cases of their group run their rounds (minutes in the long profile): a lease that
     * outlives both, an hour, which the bench's routers allow ({@link #router()}). A lease that ran out mid-run would
     * deregister a side (its links then refused as spoofed after it registers again) and fail the case.
     */
    static final int LEASE_MS = 3_600_000;

    private final String id;
    private final String label;
    private final Priority priority;
    private final boolean routed;
    private RouterContext routerContext;
    private RouterProcess routerProcess;
    private IpcContext ipcContext;

    SwitchboardTierCase(final String id, final String label, final Priority priority, final boolean routed)
    {
        this.id = id;
        this.label = label;
        this.priority = priority;
        this.routed = routed;
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public String label()
    {
        return label;
    }

    @Override
    public Kind kind()
    {
        return Kind.SWITCHBOARD;
    }

    @Override
    public int maxProducers()
    {
        return 4;
    }

    @Override
    public List<String> jvmOptions()
    {
        return JvmFlags.of(JvmFlags.Group.AGENT);
    }

    @Override
    public boolean needsServer()
    {
        return true;
    }

    /**
     * @return the router settings of the bench's cases: the defaults, with a maximum lease that admits
     * {@link #LEASE_MS}.
     */
    static RouterContext router()
    {
        return new RouterContext().maxLeaseNs(TimeUnit.MILLISECONDS.toNanos(LEASE_MS));
    }

    @Override
    public AutoCloseable startServer(final CaseEnv env)
    {
        routerContext = router();
        ipcContext = ipc(env);
        routerProcess = RouterProcess.launch(routerContext, ipcContext);
        return routerProcess;
    }

    @Override
    public List<String> serverSettings()
    {
        final List<String> settings = routerSettings(routerContext, ipcContext);
        if (routerProcess != null)
        {
            settings.add(0, "router engine: " + routerProcess.engine());
            settings.add(1, "router idle strategy: " + routerProcess.idleStrategy());
        }
        return settings;
    }

    /**
     * @param router the router's context, as the server started it.
     * @param ipc    its IPC context, or null (in-process).
     * @return the router's idle settings as the report states them.
     */
    static List<String> routerSettings(final RouterContext router, final IpcContext ipc)
    {
        final List<String> settings = new ArrayList<>();
        if (null == router)
        {
            return settings;
        }
        if (null == ipc)
        {
            settings.add("router idle strategy: " + router.idleStrategy());
        }
        settings.add("router idle: spin " + TimeUnit.NANOSECONDS.toMicros(router.idleSpinNs()) + " µs without system " +
            "calls, then one wait until the next deadline (longest " +
            TimeUnit.NANOSECONDS.toMillis(router.idleMaxParkNs()) + " ms)");
        settings.add("router timer interval: " + TimeUnit.NANOSECONDS.toMicros(router.timerIntervalNs()) + " µs");
        settings.add("router relays Wake frames to parked agents: " + router.relaysWakes());
        settings.addAll(SwitchboardEndpoint.explicitProperties());
        return settings;
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env)
    {
        final ClientContext ctx = context(env, LEASE_MS);
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(RESPONDER, "bench");
        if (routed)
        {
            client.subscribe(PING_TOPIC);
            return SwitchboardEndpoint.publishing(client, ctx.idleSettings().toString(), priority,
                NameIds.of(PONG_TOPIC), env.maxPayloadLength());
        }
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), priority, 0, env.maxPayloadLength(),
            null);
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final ClientContext ctx = context(env, LEASE_MS);
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(INITIATOR + producerIndex, "bench");
        final long responder = awaitResponder(client);
        if (routed)
        {
            if (producerIndex == 0)
            {
                client.subscribe(PONG_TOPIC);
            }
            return SwitchboardEndpoint.publishing(client, ctx.idleSettings().toString(), priority,
                NameIds.of(PING_TOPIC), env.maxPayloadLength());
        }
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), priority, responder,
            env.maxPayloadLength(), null);
    }

    /**
     * @param client a registered client.
     * @return the responder's agent id, once it is registered. (A routed case's responder has also subscribed by
     * then: it subscribes before its process prints READY, which comes before any initiator starts.)
     */
    static long awaitResponder(final SwitchboardClient client)
    {
        final long deadline = System.nanoTime() + FIND_RESPONDER_NS;
        long responder;
        while ((responder = client.agentIdOf(RESPONDER)) == 0)
        {
            if (System.nanoTime() > deadline)
            {
                client.close();
                throw new IllegalStateException("no agent named " + RESPONDER + " registered within " +
                    TimeUnit.NANOSECONDS.toSeconds(FIND_RESPONDER_NS) + " s");
            }
            client.poll(m ->
            {
            });
            Thread.onSpinWait();
        }
        return responder;
    }

    /**
     * @param env     the case's environment.
     * @param leaseMs the lease to ask for, or 0 for the router's default.
     * @return a client context connected to the case's router: its idle settings from the system properties
     * ({@code switchboard.client.idle}, ...), at most {@link BenchEndpoint#POLL_LIMIT} messages a poll.
     */
    static ClientContext context(final CaseEnv env, final int leaseMs)
    {
        final ClientContext ctx = new ClientContext()
            .connection(IpcConnection.connect(ipc(env)))
            .fragmentLimit(BenchEndpoint.POLL_LIMIT);
        return leaseMs > 0 ? ctx.requestedLeaseMs(leaseMs) : ctx;
    }

    static IpcContext ipc(final CaseEnv env)
    {
        final Path runtime = env.dir().resolve("switchboard");
        return new IpcContext().underDirectory(runtime).shmDir(env.shmDir());
    }

    /** CRITICAL: the receiver's /dev/shm inbox, written directly by the sender. */
    public static final class Critical extends SwitchboardTierCase
    {
        /** The case. */
        public Critical()
        {
            super("sb-critical", "Switchboard CRITICAL (/dev/shm inbox)", Priority.CRITICAL, false);
        }
    }

    /** HIGH, point to point: io_uring through FFM. */
    public static final class High extends SwitchboardTierCase
    {
        /** The case. */
        public High()
        {
            super("sb-high", "Switchboard HIGH (io_uring, point to point)", Priority.HIGH, false);
        }
    }

    /** NORMAL, point to point: Unix domain sockets. */
    public static final class Normal extends SwitchboardTierCase
    {
        /** The case. */
        public Normal()
        {
            super("sb-normal", "Switchboard NORMAL (Unix socket, point to point)", Priority.NORMAL, false);
        }
    }

    /** LOW: the receiver's Chronicle queue, durable, router not on the path. */
    public static final class Low extends SwitchboardTierCase
    {
        /** The case. */
        public Low()
        {
            super("sb-low", "Switchboard LOW (Chronicle Queue, durable)", Priority.LOW, false);
        }
    }

    /** HIGH, published to a topic with one subscriber: through the router. */
    public static final class HighRouted extends SwitchboardTierCase
    {
        /** The case. */
        public HighRouted()
        {
            super("sb-high-routed", "Switchboard HIGH (io_uring, publish via router)", Priority.HIGH, true);
        }
    }

    /** NORMAL, published to a topic with one subscriber: through the router. */
    public static final class NormalRouted extends SwitchboardTierCase
    {
        /** The case. */
        public NormalRouted()
        {
            super("sb-normal-routed", "Switchboard NORMAL (Unix socket, publish via router)", Priority.NORMAL, true);
        }
    }
}
