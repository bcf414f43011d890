/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;

/**
 * Switchboard embedded in one process: a router on its own thread (its default idle strategy) and two clients
 * on two threads, connected through {@link InProcessHub}; CRITICAL sends go straight into the receiver's in-memory
 * inbox ring. The orchestrator's setting. The clients wait with their own idle strategy and deliver at most
 * {@link dev.switchboard.bench.harness.BenchEndpoint#POLL_LIMIT} messages a poll, as every case does.
 */
public final class SwitchboardInProcessCase implements BenchCase
{
    private static final long FIND_RESPONDER_NS = TimeUnit.SECONDS.toNanos(20);

    private Router router;
    private RouterContext routerContext;
    private InProcessHub hub;

    @Override
    public String id()
    {
        return "sb-inprocess";
    }

    @Override
    public String label()
    {
        return "Switchboard in-process (CRITICAL, inbox ring)";
    }

    @Override
    public Kind kind()
    {
        return Kind.SWITCHBOARD;
    }

    @Override
    public boolean inProcess()
    {
        return true;
    }

    @Override
    public int maxProducers()
    {
        return 4;
    }

    @Override
    public synchronized BenchEndpoint openResponder(final CaseEnv env)
    {
        routerContext = SwitchboardTierCase.router();
        router = Router.launch(routerContext);
        hub = new InProcessHub(router);
        final ClientContext ctx = context();
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.RESPONDER, "bench");
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.CRITICAL, 0,
            env.maxPayloadLength(), () ->
        {
            hub.close();
            router.close();
        }).withSettings(SwitchboardTierCase.routerSettings(routerContext, null));
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final ClientContext ctx = context();
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.INITIATOR + producerIndex, "bench");
        final long deadline = System.nanoTime() + FIND_RESPONDER_NS;
        long responder;
        while ((responder = client.agentIdOf(SwitchboardTierCase.RESPONDER)) == 0)
        {
            if (System.nanoTime() > deadline)
            {
                client.close();
                throw new IllegalStateException("the responder did not register within 20 s");
            }
            Thread.onSpinWait();
        }
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.CRITICAL, responder,
            env.maxPayloadLength(), null);
    }

    private synchronized ClientContext context()
    {
        return new ClientContext().connection(hub.connect())
            .requestedLeaseMs(SwitchboardTierCase.LEASE_MS).fragmentLimit(BenchEndpoint.POLL_LIMIT);
    }
}
