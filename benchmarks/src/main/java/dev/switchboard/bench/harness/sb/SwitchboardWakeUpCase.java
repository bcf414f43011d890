/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Step;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.RouterContext;

/**
 * What an idle Switchboard costs and how fast it wakes, across processes on CRITICAL, every setting at its default
 * (the client's default idle strategy, the default lease, the router as {@code ./switchboard router} runs it):
 * <ul>
 *   <li>Wake-up ({@link Step.Kind#WAKE_UP}): the initiator sends one message every
 *       {@link dev.switchboard.bench.harness.Profile#wakeUpIntervalUs()}, stamped as it sends it; the responder, idle
 *       under its idle strategy in between (long enough to have parked), records arrival minus stamp.</li>
 *   <li>Idle ({@link Step.Kind#IDLE}): nothing is sent for {@link dev.switchboard.bench.harness.Profile#idleSeconds()};
 *       the coordinator reads the responder's CPU time and the router's threads' wake-ups from {@code /proc}. The
 *       responder keeps polling with its idle strategy throughout, as an idle agent does (its lease renewed as
 *       usual); the initiator waits on a pipe (its lease is long, so it does not expire meanwhile).</li>
 * </ul>
 */
public final class SwitchboardWakeUpCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "sb-critical-wakeup";

    private RouterContext routerContext;
    private IpcContext ipcContext;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Switchboard CRITICAL, idle: wake-up of a parked receiver, idle CPU and router wake-ups";
    }

    @Override
    public Kind kind()
    {
        return Kind.SWITCHBOARD;
    }

    @Override
    public Set<Step.Kind> phases()
    {
        return EnumSet.of(Step.Kind.WAKE_UP, Step.Kind.IDLE);
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

    @Override
    public AutoCloseable startServer(final CaseEnv env)
    {
        routerContext = SwitchboardTierCase.router();
        ipcContext = SwitchboardTierCase.ipc(env);
        return RouterProcess.launch(routerContext, ipcContext);
    }

    @Override
    public List<String> serverSettings()
    {
        return SwitchboardTierCase.routerSettings(routerContext, ipcContext);
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env)
    {
        // The default lease: an idle agent renews it as it would anywhere, and that is part of what idling costs.
        final ClientContext ctx = SwitchboardTierCase.context(env, 0);
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.RESPONDER, "bench");
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.CRITICAL, 0,
            env.maxPayloadLength(), null);
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final ClientContext ctx = SwitchboardTierCase.context(env, SwitchboardTierCase.LEASE_MS);
        final SwitchboardClient client = SwitchboardClient.connect(ctx);
        client.register(SwitchboardTierCase.INITIATOR + producerIndex, "bench");
        final long responder = SwitchboardTierCase.awaitResponder(client);
        return SwitchboardEndpoint.sending(client, ctx.idleSettings().toString(), Priority.CRITICAL, responder,
            env.maxPayloadLength(), null);
    }
}
