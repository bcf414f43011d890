/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.CrossHost;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterMain;
import dev.switchboard.security.SecretFile;
import dev.switchboard.testing.ChildJvm;

/**
 * Switchboard between two hosts: the initiator agent on one host (a network namespace), the responder agent on the
 * other, each host with its own router ({@link RouterMain}, a process of its own, as {@code ./switchboard router} runs
 * it: default settings but the cluster's), the two routers bridged over Aeron UDP between the hosts' addresses
 * ({@code switchboard.cluster.endpoint} / {@code peers}, each router's embedded media driver with the bridge's
 * defaults). The agents use the client code of one host: the initiator finds the responder by name and sends at
 * NORMAL to it; every message goes agent, router, UDP, router, agent. Measured beside {@code aeron-udp} (Aeron's own
 * ping/pong between two such hosts) in alternating rounds.
 *
 * <p>The coordinator makes the hosts ({@link CrossHost}) and starts the two routers in them ({@link #setUp}; their
 * output is {@code router-initiator.out}/{@code .err} and {@code router-responder.*} in the case's log directory); the
 * agents' processes run in their host ({@link #commandPrefix}). Agents idle with their client's idle strategy, as in
 * every Switchboard case.
 */
public final class SwitchboardCrossHostCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "sb-cross-host";
    /** The bridge's UDP port on each host's address. */
    public static final int BRIDGE_PORT = 40700;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Switchboard NORMAL between two hosts (network namespaces over veth, routers bridged over Aeron UDP)";
    }

    @Override
    public Kind kind()
    {
        return Kind.SWITCHBOARD;
    }

    @Override
    public List<String> jvmOptions()
    {
        return JvmFlags.of(JvmFlags.Group.AGENT);
    }

    @Override
    public String unavailableReason()
    {
        return CrossHost.unavailableReason();
    }

    /**
     * Make the two hosts and start a router on each, bridged to the other; both listen when this returns.
     */
    @Override
    public AutoCloseable setUp(final CaseEnv env, final Path logDir) throws Exception
    {
        final AutoCloseable namespaces = CrossHost.create(env);
        final List<ChildJvm> routers = new ArrayList<>();
        final AutoCloseable all = () ->
        {
            routers.forEach(ChildJvm::close);
            namespaces.close();
        };
        try
        {
            final CrossHost hosts = CrossHost.of(env);
            final Path secret = SecretFile.create(env.dir().resolve("cluster.secret")).path();
            final String initiator = hosts.initiatorAddress() + ":" + BRIDGE_PORT;
            final String responder = hosts.responderAddress() + ":" + BRIDGE_PORT;
            routers.add(startRouter(env, logDir, hosts, "initiator", initiator, responder, secret));
            routers.add(startRouter(env, logDir, hosts, "responder", responder, initiator, secret));
            for (final ChildJvm router : routers)
            {
                router.await(() -> router.stdoutText().contains("listening"), router + " to listen");
            }
            return all;
        }
        catch (final Exception | AssertionError ex)
        {
            all.close();
            throw new IllegalStateException(ID + ": the routers did not start: " + ex.getMessage(), ex);
        }
    }

    @Override
    public List<String> commandPrefix(final CaseEnv env, final String role)
    {
        return CrossHost.of(env).commandPrefix(role);
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env)
    {
        final ClientContext ctx = context(env, "responder");
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.RESPONDER, "bench");
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.NORMAL, 0,
            env.maxPayloadLength(), null);
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final ClientContext ctx = context(env, "initiator");
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.INITIATOR + producerIndex, "bench");
        final long responder = SwitchboardTierCase.awaitResponder(client);
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.NORMAL, responder,
            env.maxPayloadLength(), null);
    }

    private static ChildJvm startRouter(final CaseEnv env, final Path logDir, final CrossHost hosts, final String role,
        final String endpoint, final String peer, final Path secret) throws Exception
    {
        final Path runtime = runtimeDir(env, role);
        final List<String> options = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + runtime,
            "-Dswitchboard.shm.dir=" + env.shmDir().resolve(role),
            "-Dswitchboard.data.dir=" + runtime.resolve("data"),
            "-Dswitchboard.lease.max.ms=" + SwitchboardTierCase.LEASE_MS,
            "-Dswitchboard.cluster.endpoint=" + endpoint,
            "-Dswitchboard.cluster.peers=" + peer,
            "-Dswitchboard.cluster.secret.file=" + secret));
        options.addAll(forwardedRouterProperties());
        options.addAll(JvmFlags.router());
        return ChildJvm.builder(RouterMain.class).jvmOptions(options).commandPrefix(hosts.commandPrefix(role))
            .output(logDir, "router-" + role).start();
    }

    /**
     * @return {@code -D} options for every {@code switchboard.cluster.*} and {@code switchboard.router.*} system
     * property of the coordinator but those the case sets itself (endpoint, peers, secret file), sorted: how a run
     * compares the routers' settings, for example {@code switchboard.cluster.driver.threading} or
     * {@code switchboard.router.engine}. Each router logs its engine and its bridge's set-up in its output.
     */
    static List<String> forwardedRouterProperties()
    {
        final java.util.TreeMap<String, String> props = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) ->
        {
            final String key = k.toString();
            if ((key.startsWith("switchboard.cluster.") || key.startsWith("switchboard.router.")) && !key.equals("switchboard.cluster.endpoint") &&
                !key.equals("switchboard.cluster.peers") && !key.equals("switchboard.cluster.secret.file"))
            {
                props.put(key, v.toString());
            }
        });
        final List<String> options = new ArrayList<>();
        props.forEach((k, v) -> options.add("-D" + k + "=" + v));
        return options;
    }

    private static Path runtimeDir(final CaseEnv env, final String role)
    {
        return env.dir().resolve("switchboard-" + role);
    }

    private static ClientContext context(final CaseEnv env, final String role)
    {
        final IpcContext ipc = new IpcContext().underDirectory(runtimeDir(env, role)).shmDir(env.shmDir().resolve(role));
        return new ClientContext().connection(IpcConnection.connect(ipc)).fragmentLimit(BenchEndpoint.POLL_LIMIT)
            .requestedLeaseMs(SwitchboardTierCase.LEASE_MS);
    }
}
