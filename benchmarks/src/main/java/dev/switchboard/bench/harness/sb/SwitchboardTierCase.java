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
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.RouterProcess;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.RouterContext;

/**
 * One Switchboard tier across processes, through the public client API: a router in a process of its own (its
 * default settings: backoff idle strategy, as {@code ./switchboard router} runs it), a responder agent and initiator
 * agents in two more, talking point to point ({@code send(agentId, priority, ...)}) on one priority.
 *
 * <p>Which legs the router is on depends on the tier: CRITICAL writes straight into the receiver's /dev/shm inbox and
 * LOW into the receiver's Chronicle queue (router not on the path); NORMAL goes agent → router → agent over Unix
 * sockets; HIGH goes agent → router over the agent's io_uring link and router → agent on the receiver's fastest link.
 *
 * <p>Where the router is on the path and the machine has fewer than 4 CPUs, the agents call {@link Thread#yield()}
 * when a poll finds nothing instead of spinning flat out (Agrona's {@code YieldingIdleStrategy}): two pinned
 * busy-spinning agents on a 2-CPU machine otherwise leave the router waiting for a scheduler time slice (ms) on
 * every hop. The router runs its default idle strategy, on one thread ({@code switchboard.router.threading}).
 */
public abstract class SwitchboardTierCase implements BenchCase
{
    static final String RESPONDER = "bench-responder";
    static final String INITIATOR = "bench-initiator-";
    private static final long FIND_RESPONDER_NS = TimeUnit.SECONDS.toNanos(20);
    /** Agents busy-spin in a phase that may not poll for a while (a throughput producer): a lease that outlives it. */
    private static final int LEASE_MS = 60_000;

    private final String id;
    private final String label;
    private final Priority priority;
    private final boolean routerOnPath;

    SwitchboardTierCase(final String id, final String label, final Priority priority, final boolean routerOnPath)
    {
        this.id = id;
        this.label = label;
        this.priority = priority;
        this.routerOnPath = routerOnPath;
    }

    private boolean yieldWhenIdle()
    {
        return routerOnPath && Runtime.getRuntime().availableProcessors() < 4;
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
        final List<String> flags = new ArrayList<>();
        flags.add("--enable-native-access=ALL-UNNAMED");
        flags.addAll(DurableQueues.JVM_FLAGS);
        return flags;
    }

    @Override
    public boolean needsServer()
    {
        return true;
    }

    @Override
    public AutoCloseable startServer(final CaseEnv env)
    {
        return RouterProcess.launch(new RouterContext(), ipc(env));
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env)
    {
        final SwitchboardClient client = connect(env);
        client.register(RESPONDER, "bench");
        return new SwitchboardEndpoint(client, priority, 0, env.maxPayloadLength(), null, yieldWhenIdle());
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final SwitchboardClient client = connect(env);
        client.register(INITIATOR + producerIndex, "bench");
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
        return new SwitchboardEndpoint(client, priority, responder, env.maxPayloadLength(), null, yieldWhenIdle());
    }

    private static SwitchboardClient connect(final CaseEnv env)
    {
        return SwitchboardClient.connect(new ClientContext()
            .connection(IpcConnection.connect(ipc(env)))
            .requestedLeaseMs(LEASE_MS));
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

    /** HIGH: io_uring through FFM, via the router. */
    public static final class High extends SwitchboardTierCase
    {
        /** The case. */
        public High()
        {
            super("sb-high", "Switchboard HIGH (io_uring, via router)", Priority.HIGH, true);
        }
    }

    /** NORMAL: Unix domain sockets, via the router. */
    public static final class Normal extends SwitchboardTierCase
    {
        /** The case. */
        public Normal()
        {
            super("sb-normal", "Switchboard NORMAL (Unix socket, via router)", Priority.NORMAL, true);
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
}
