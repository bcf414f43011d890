/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.monitoring.CountersSource;
import dev.switchboard.monitoring.MonitoringContext;
import dev.switchboard.monitoring.MonitoringServer;
import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.monitoring.RouterView;
import dev.switchboard.router.process.RouterProcess;

/**
 * Starts the monitoring server ({@code /metrics}, {@code /health/*}, the status page) beside a router process: for
 * {@code switchboard router} and for the router that {@code coordinate} embeds. Its settings are
 * {@link MonitoringContext}'s properties ({@code switchboard.metrics.port}: 9002, 0 for any free port, -1 or off for
 * none); it reads the counters files of the router's shared-memory directory, and what the router process knows of
 * itself through {@link #view}.
 */
final class RouterMonitoring
{
    private RouterMonitoring()
    {
    }

    /**
     * @param router       the running router.
     * @param orchestrator the orchestrator's state in this process (the success metrics kept, and the workflows for
     *                     {@code coordinate}).
     * @param program      who says what, e.g. {@code "switchboard router"}.
     * @param out          where the server's address is said.
     * @param err          where a server that cannot start is said.
     * @return the server, or null when it is off or cannot listen (the router runs on without it: said on {@code err}).
     * @throws IllegalArgumentException when a monitoring setting is invalid (the router must not start).
     */
    static MonitoringServer start(final RouterProcess router, final OrchestratorView orchestrator,
        final String program, final PrintWriter out, final PrintWriter err)
    {
        final IpcContext ipc = router.ipcContext();
        final MonitoringContext context = new MonitoringContext().shmDir(ipc.shmDir())
            .routerPid(ProcessHandle.current().pid()).conclude();
        if (!context.enabled())
        {
            return null;
        }
        try
        {
            final MonitoringServer server = MonitoringServer.builder(context)
                .counters(CountersSource.files(ipc.shmDir()))
                .router(view(router))
                .orchestrator(orchestrator)
                .start();
            out.println(program + ": metrics on " + server.url() + "metrics, health on " + server.url() +
                "health/ready, status page on " + server.url());
            out.flush();
            return server;
        }
        catch (final IOException ex)
        {
            err.println(program + ": WARNING no metrics, health or status page: " + ex.getMessage() + " (" +
                MonitoringContext.PORT_PROPERTY + "=0 takes any free port, off none)");
            err.flush();
            return null;
        }
    }

    /**
     * @param router a running router.
     * @return what it knows of itself: whether its duty cycle runs, and how each cross-process tier runs (fixed at its
     * launch: the probes ran then).
     */
    static RouterView view(final RouterProcess router)
    {
        final List<RouterView.TierState> tiers = tiers(router);
        return new RouterView()
        {
            @Override
            public boolean accepting()
            {
                return !router.terminated().isDone();
            }

            @Override
            public List<TierState> tiers()
            {
                return tiers;
            }
        };
    }

    private static List<RouterView.TierState> tiers(final RouterProcess router)
    {
        final IpcContext ipc = router.ipcContext();
        final List<RouterView.TierState> tiers = new ArrayList<>();
        tiers.add(ipc.isDisabled("CRITICAL") ?
            new RouterView.TierState("CRITICAL", false, "disabled by switchboard.tiers.disable: agents' CRITICAL " +
                "traffic goes NORMAL") :
            new RouterView.TierState("CRITICAL", true, "agents' inboxes in " + ipc.shmDir()));
        if (router.highRunning())
        {
            tiers.add(new RouterView.TierState("HIGH", true, "io_uring; engine " + router.engine()));
        }
        else
        {
            final UringProbe.Result probe = ipc.isDisabled("HIGH") ? null : UringProbe.probe();
            final String why = probe == null ? "disabled by switchboard.tiers.disable" :
                probe.available() ? "its server could not start (see the router's warning)" : probe.reason();
            tiers.add(new RouterView.TierState("HIGH", false, why + ": agents' HIGH traffic goes NORMAL"));
        }
        tiers.add(new RouterView.TierState("NORMAL", true, "control socket " + ipc.socketPath()));
        tiers.add(ipc.isDisabled("LOW") ?
            new RouterView.TierState("LOW", false, "disabled by switchboard.tiers.disable") :
            new RouterView.TierState("LOW", true, "durable queues in " + ipc.dataDir()));
        return List.copyOf(tiers);
    }
}
