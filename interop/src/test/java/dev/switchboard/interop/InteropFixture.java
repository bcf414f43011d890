/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;

/**
 * One real router (a {@link RouterProcess} in the test's JVM, on its control socket and /dev/shm inboxes under a
 * temporary directory), Java agents connected to it over that socket as any agent process would be, and C agents
 * ({@code native/interop/sbx_agent.c} on {@code libswitchboard}) as processes of their own. Closing it kills the
 * agents, closes the clients and stops the router.
 *
 * <p>The C agent's command line: {@code sbx_agent NAME MODE ARGS...}, with {@link #agentEnvironment()}; it prints {@code READY <id>} once
 * registered, {@code DONE ...} when its mode finished, {@code FAIL ...} (and exits 1) on any error. The payload
 * convention of every test: the first 8 bytes are a sequence number, little-endian.
 */
final class InteropFixture implements AutoCloseable
{
    /**
     * The Java agents' lease: a test thread waits for a C or Python process (seconds on a loaded machine) without
     * polling, and a lease of the default 3 s would run out meanwhile. The router admits up to ten times this.
     */
    static final int LEASE_MS = 60_000;

    private final Path dir;
    private final IpcContext ipc;
    private final RouterProcess router;
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private final List<AgentProcess> agents = new ArrayList<>();
    /** A payload buffer off the heap, as an agent would use. */
    final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 256);

    InteropFixture(final Path dir)
    {
        this(dir, new RouterContext(), new IpcContext().underDirectory(dir));
    }

    InteropFixture(final Path dir, final RouterContext routerContext, final IpcContext ipc)
    {
        NativeBuild.get(); // first: a build of minutes on a busy machine must not eat the Java agents' leases
        this.dir = dir;
        this.ipc = ipc;
        this.router = RouterProcess.launch(routerContext.maxLeaseNs(TimeUnit.NANOSECONDS.convert(LEASE_MS * 10L,
            TimeUnit.MILLISECONDS)), ipc);
    }

    /**
     * @return the router.
     */
    RouterProcess router()
    {
        return router;
    }

    /**
     * @return the IPC settings agents connect with (the runtime directory a C agent is given).
     */
    IpcContext ipc()
    {
        return ipc;
    }

    /**
     * @return the runtime directory: the router's control socket and lock are in it.
     */
    Path runtimeDir()
    {
        return dir;
    }

    /**
     * @param name its agent name.
     * @return a Java agent connected over the control socket and registered under that name.
     */
    SwitchboardClient javaAgent(final String name)
    {
        return javaAgent(name, new ClientContext());
    }

    /**
     * @param name its agent name.
     * @param ctx  its client settings (the connection is set here).
     * @return a Java agent connected over the control socket and registered under that name.
     */
    SwitchboardClient javaAgent(final String name, final ClientContext ctx)
    {
        final SwitchboardClient client = SwitchboardClient.connect(ctx.requestedLeaseMs(LEASE_MS)
            .connection(IpcConnection.connect(ipc)));
        clients.add(client);
        client.register(name, "interop");
        return client;
    }

    /**
     * Start a C agent and wait until it has registered.
     *
     * @param name its agent name.
     * @param mode what it does ({@code stream}, {@code echo}, {@code respond}, ...).
     * @param args the mode's arguments.
     * @return the running agent, registered.
     * @throws IOException when it cannot start.
     */
    AgentProcess cAgent(final String name, final String mode, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(NativeBuild.get().agent().toString(), name, mode));
        command.addAll(List.of(args));
        final AgentProcess agent = AgentProcess.start(dir, name, agentEnvironment(), command);
        agents.add(agent);
        agent.awaitLine("READY ");
        return agent;
    }

    /**
     * Start a C agent without waiting for it to register (for agents the router refuses).
     *
     * @param name its agent name.
     * @param mode what it does.
     * @param args the mode's arguments.
     * @return the running agent.
     * @throws IOException when it cannot start.
     */
    AgentProcess cAgentUnwaited(final String name, final String mode, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(NativeBuild.get().agent().toString(), name, mode));
        command.addAll(List.of(args));
        final AgentProcess agent = AgentProcess.start(dir, name, agentEnvironment(), command);
        agents.add(agent);
        return agent;
    }

    /**
     * @return what a C or Python agent is given to find this router, as a user would set it: the control socket and
     * the shared-memory directory (libswitchboard's {@code SWITCHBOARD_SOCKET} and {@code SWITCHBOARD_SHM_DIR}).
     */
    Map<String, String> agentEnvironment()
    {
        return Map.of("SWITCHBOARD_SOCKET", ipc.socketPath().toString(), "SWITCHBOARD_SHM_DIR", ipc.shmDir().toString());
    }

    /**
     * Poll {@code client} until {@code done} holds.
     *
     * @param client  the Java agent.
     * @param handler what its poll delivers to.
     * @param done    the condition.
     * @param what    for the failure message.
     * @param seconds the longest wait.
     * @param watched a C agent that must stay alive meanwhile, or null.
     */
    void pollUntil(
        final SwitchboardClient client,
        final MessageHandler handler,
        final BooleanSupplier done,
        final String what,
        final int seconds,
        final AgentProcess watched)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            client.idleStrategy().idle(client.poll(handler));
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what + "; router counters: " +
                    router.router().counters().report() + (null == watched ? "" : "\n" + watched.describe()));
            }
        }
    }

    @Override
    public void close()
    {
        agents.forEach(AgentProcess::close);
        clients.forEach(SwitchboardClient::close);
        router.close();
    }
}
