package dev.switchboard.router.process;

import dev.switchboard.ipc.IpcContext;
import java.io.IOException;
import java.nio.file.Path;

import dev.switchboard.counters.file.DistinctErrorLog;
import dev.switchboard.ipc.counters.CountersFile;
import dev.switchboard.ipc.counters.CountersKeeper;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.router.process.socket.SocketServer;
import dev.switchboard.ipc.shm.Futex;
import dev.switchboard.ipc.shm.StaleInboxCleaner;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.router.QuietIdleStrategy;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.Tier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * A router that agents in other processes reach: the router-core {@link Router} plus the transports that
 * accept cross-process connections (the control socket, which also carries NORMAL traffic, and the HIGH io_uring
 * socket). Used by {@code ./switchboard router}, by the demo and by tests.
 *
 * <p>Threading: the router, the socket server and the io_uring server run in one duty cycle on one thread
 * ({@link RouterDutyCycle}), so that a routed frame is read, validated and copied once into its receiver's buffer
 * without crossing threads, and written in the same cycle. It idles quietly ({@link QuietIdleStrategy}: a spin with no
 * system call, then one blocking wait until the next deadline), unless the router context names another idle
 * strategy. Agents in this JVM (an {@code InProcessHub} on {@link #router()}) wake it through the router's ingress.
 *
 * <p>Counters file: the router's counters are laid over its counters file in the shm dir ({@link RouterCountersFile},
 * {@link #countersFile()}), which {@code ./switchboard stat} reads; a {@code CountersKeeper} thread writes its
 * heartbeat once a second and removes the files of dead processes after their retention, so the duty cycle never
 * lists a directory. Closing the router removes its file.
 * Thread-safety: launch and close from one thread.
 */
public final class RouterProcess implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(RouterProcess.class.getName());

    private final IpcContext ipc;
    private final Router router;
    private final SocketServer socketServer;
    private final AgentRunner runner;
    private final RouterDutyCycle duty;
    private final IdleStrategy idleStrategy;
    private final HighServer highServer;
    private final dev.switchboard.router.process.socket.UringSocketServer uringServer;
    private final HighAgents highAgents;
    private final String engine;
    private final RouterLock lock;
    /** The router's counters file: its counters, error log, heartbeat (see {@link RouterCountersFile}). */
    private final CountersFile countersFile;
    private final CountersKeeper countersKeeper;
    /** The bridge to peer routers on other hosts; null without {@code switchboard.cluster.endpoint}. */
    private final dev.switchboard.router.cluster.ClusterBridge bridge;

    private RouterProcess(final RouterContext routerContext, final IpcContext ipc)
    {
        this.ipc = ipc.conclude();
        createPrivateDirectory(ipc.runtimeDir());
        // One router per runtime dir: a second one stops here, naming the live one's pid.
        this.lock = RouterLock.acquire(ipc.runtimeDir());
        Router launched = null;
        SocketServer sockets = null;
        HighServer high = null;
        dev.switchboard.router.process.socket.UringSocketServer uring = null;
        CountersFile counters = null;
        dev.switchboard.router.cluster.ClusterBridge clusterBridge = null;
        this.highAgents = new HighAgents();
        try
        {
            // Before anything starts: a live server, a planted file or another user's socket at a socket path stops
            // the router here; a socket nobody answers on is a dead router's and is replaced.
            RouterLock.removeStaleSocket(ipc.socketPath());
            RouterLock.removeStaleSocket(ipc.highSocketPath());
            counters = RouterCountersFile.open(routerContext, ipc);
            launched = start(routerContext, ipc);
            if (launched.context().isClustered())
            {
                clusterBridge = dev.switchboard.router.cluster.ClusterBridge.start(
                    launched, ipc.runtimeDir(), ipc.lowQueues());
            }
            final DistinctErrorLog errors = counters.writer().errors();
            uring = startUringEngine(launched, ipc, routerContext.engine(), highAgents, errors);
            if (uring == null)
            {
                high = startHighServer(launched, ipc, highAgents, errors);
                final HighAgents agentsForLinks = high == null ? null : highAgents;
                sockets = new SocketServer(launched, ipc.socketPath(),
                    sessionId -> new RouterTierLinks(ipc.shmDir(), Tier.NORMAL.mask(), sessionId, agentsForLinks),
                    ipc.linkMac());
                sockets.bind();
            }
        }
        catch (final RuntimeException | Error e)
        {
            CloseHelper.quietCloseAll(sockets, uring, high == null ? null : (AutoCloseable)high::onClose, launched,
                clusterBridge, counters, lock);
            throw e;
        }
        this.countersFile = counters;
        this.countersKeeper = CountersKeeper.start(counters, ipc.shmDir(), ipc.countersRetainMs());
        this.router = launched;
        this.highServer = high;
        this.socketServer = sockets;
        this.uringServer = uring;
        this.engine = uring != null ? "io_uring (" + uring.diagnostic() + ")" :
            "nio" + (high != null ? " + HIGH on io_uring" : "");
        this.duty = uring != null ? new RouterDutyCycle(router, uring) :
            new RouterDutyCycle(router, socketServer, highServer);
        this.bridge = clusterBridge;
        if (clusterBridge != null)
        {
            duty.bridge(clusterBridge,
                java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(router.context().clusterIdleYieldUs()),
                java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(router.context().clusterIdleParkUs()));
        }
        final IdleStrategy idle = routerContext.idleStrategy() != null ? routerContext.idleStrategy() :
            new QuietIdleStrategy(router, duty);
        this.idleStrategy = idle;
        this.runner = new AgentRunner(idle, router::onDutyCycleError, null, duty);
        AgentRunner.startOnThread(runner);
    }

    private static Router start(final RouterContext routerContext, final IpcContext ipc)
    {
        final int stale = StaleInboxCleaner.clean(ipc.shmDir());
        if (stale > 0)
        {
            LOG.log(System.Logger.Level.INFO, "removed " + stale + " inbox file(s) left by dead processes");
        }
        if (ipc.linkMac().enabled())
        {
            LOG.log(System.Logger.Level.INFO, "frame MAC on (" + dev.switchboard.security.LinkMac.PROPERTY +
                "): control/NORMAL and HIGH links carry HMAC-SHA256 tags; clients must set it too");
        }
        if (IpcContext.DEDICATED.equals(ipc.routerThreading()))
        {
            LOG.log(System.Logger.Level.WARNING, "switchboard.router.threading=dedicated is no longer used: the " +
                "router reads its sockets on its own thread (one copy per routed frame); running one duty cycle");
        }
        // Clients may park on their inbox's futex only if this process can wake them for senders that cannot.
        routerContext.relaysWakes(Futex.isAvailable());
        routerContext.useInvoker(true);
        try
        {
            return Router.launch(routerContext);
        }
        finally
        {
            routerContext.counters(null); // this router's, over its file: never a later router's
        }
    }

    /**
     * The io_uring engine, when {@code switchboard.router.engine} allows it ({@code auto}: when io_uring works here,
     * {@code uring}: required) and it starts; else null, and the NIO engine runs (with HIGH on its own ring if
     * possible).
     */
    private static dev.switchboard.router.process.socket.UringSocketServer startUringEngine(
        final Router router, final IpcContext ipc, final String engine, final HighAgents agents,
        final DistinctErrorLog errors)
    {
        if (RouterContext.ENGINE_NIO.equals(engine))
        {
            return null;
        }
        final UringProbe.Result probe = UringProbe.probe();
        if (!probe.available())
        {
            if (RouterContext.ENGINE_URING.equals(engine))
            {
                throw new IllegalStateException("switchboard.router.engine=uring but io_uring is unavailable: " +
                    probe.reason());
            }
            return null;
        }
        final boolean high = !ipc.isDisabled("HIGH");
        if (!high)
        {
            LOG.log(System.Logger.Level.WARNING, "HIGH tier disabled by " + IpcContext.TIERS_DISABLE_PROP +
                "; agents' HIGH traffic goes NORMAL");
            errors.record(RouterCountersFile.TIER_FALLBACK, "HIGH falls back to NORMAL: disabled by " +
                IpcContext.TIERS_DISABLE_PROP);
        }
        try
        {
            final HighAgents agentsForLinks = high ? agents : null;
            return new dev.switchboard.router.process.socket.UringSocketServer(router, ipc.socketPath(),
                high ? ipc.highSocketPath() : null,
                sessionId -> new RouterTierLinks(ipc.shmDir(), Tier.NORMAL.mask(), sessionId, agentsForLinks),
                agentsForLinks, ipc.linkMac(), ipc.routerUringSettings());
        }
        catch (final RuntimeException e)
        {
            if (RouterContext.ENGINE_URING.equals(engine))
            {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "the router's io_uring engine cannot start (" + e.getMessage() +
                "): running the NIO engine");
            errors.record(RouterCountersFile.ENGINE_FALLBACK, "io_uring engine falls back to NIO: " + e.getMessage());
            return null;
        }
    }

    private static HighServer startHighServer(
        final Router router, final IpcContext ipc, final HighAgents agents, final DistinctErrorLog errors)
    {
        if (ipc.isDisabled("HIGH"))
        {
            LOG.log(System.Logger.Level.WARNING, "HIGH tier disabled by " + IpcContext.TIERS_DISABLE_PROP +
                "; agents' HIGH traffic goes NORMAL");
            errors.record(RouterCountersFile.TIER_FALLBACK, "HIGH falls back to NORMAL: disabled by " +
                IpcContext.TIERS_DISABLE_PROP);
            return null;
        }
        final UringProbe.Result probe = UringProbe.probe();
        if (!probe.available())
        {
            LOG.log(System.Logger.Level.WARNING, "HIGH tier unavailable, agents' HIGH traffic goes NORMAL: " +
                probe.reason());
            errors.record(RouterCountersFile.TIER_FALLBACK, "HIGH falls back to NORMAL: " + probe.reason());
            return null;
        }
        try
        {
            return new HighServer(router, ipc.highSocketPath(), ipc.uringConfig(), ipc.linkMac(), agents);
        }
        catch (final RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "HIGH tier unavailable, agents' HIGH traffic goes NORMAL: " +
                e.getMessage());
            errors.record(RouterCountersFile.TIER_FALLBACK, "HIGH falls back to NORMAL: " + e.getMessage());
            return null;
        }
    }

    /**
     * Start a router reachable at the context's socket path.
     *
     * @param routerContext router settings.
     * @param ipc           where to listen.
     * @return the running router process.
     */
    public static RouterProcess launch(final RouterContext routerContext, final IpcContext ipc)
    {
        return new RouterProcess(routerContext, ipc);
    }

    /**
     * @return the router.
     */
    public Router router()
    {
        return router;
    }

    /**
     * @return HIGH links closed because their process is not the user of the agent's control connection (0 when
     * HIGH is not running). Read from any thread; approximate while the router runs.
     */
    public long refusedHighLinks()
    {
        return highAgents.refused();
    }

    /**
     * @return control-socket connections open now (a snapshot, from any thread).
     */
    public int connectionCount()
    {
        return uringServer != null ? uringServer.connectionCount() : socketServer.connectionCount();
    }

    /**
     * @return bytes of native memory the control connections' buffers hold now (a snapshot, from any thread).
     */
    public long connectionBufferBytes()
    {
        return uringServer != null ? uringServer.bufferBytes() : socketServer.bufferBytes();
    }

    /**
     * @return the HIGH server's state (links, accepted, rejected), for diagnostics; "none" without HIGH.
     */
    public String highServerState()
    {
        return uringServer != null ? uringServer.toString() : String.valueOf(highServer == null ? "none" : highServer);
    }

    /**
     * @return whether the HIGH tier runs here: its socket is served by the io_uring engine or by a HIGH server beside
     * the NIO engine. False when it is disabled ({@code switchboard.tiers.disable}) or io_uring is unavailable, and
     * agents' HIGH traffic goes NORMAL. Fixed at launch; from any thread.
     */
    public boolean highRunning()
    {
        return uringServer != null ? !ipc.isDisabled("HIGH") : highServer != null;
    }

    /**
     * @return the settings in force.
     */
    public IpcContext ipcContext()
    {
        return ipc;
    }

    /**
     * Create a directory readable by its owner only (0700), with its parents.
     *
     * @param dir the directory.
     */
    static void createPrivateDirectory(final Path dir)
    {
        try
        {
            OwnedFiles.processDefault().createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot use runtime dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return completes when the router's duty cycle has stopped (its sockets closed): with the fatal error that
     * stopped it (see {@link Router#onDutyCycleError}), or null after {@link #close()}. A supervisor (or
     * {@code ./switchboard router}) exits non-zero on an error, so that the router is restarted rather than left
     * half-dead.
     */
    public java.util.concurrent.CompletableFuture<Throwable> terminated()
    {
        return duty.terminated();
    }

    /**
     * @return which I/O engine runs: {@code "io_uring (mode, pool)"}, or {@code "nio"} (with {@code " + HIGH on
     * io_uring"} when HIGH runs beside it): for reports.
     */
    public String engine()
    {
        return engine;
    }

    /**
     * @return the router's idle strategy (its settings are part of the benchmark report).
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @return the router's counters file ({@code <shm dir>/counters/router-<name>-<pid>.counters}).
     */
    public CountersFile countersFile()
    {
        return countersFile;
    }

    /**
     * @return the bridge to peer routers, or null when this router runs no cluster.
     */
    public dev.switchboard.router.cluster.ClusterBridge clusterBridge()
    {
        return bridge;
    }

    @Override
    public void close()
    {
        duty.requestStop();
        try
        {
            CloseHelper.closeAll(runner, router);
        }
        finally
        {
            CloseHelper.quietCloseAll(bridge, countersKeeper, countersFile);
            lock.close();
        }
    }
}
