package dev.switchboard.router.process;

import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.switchboard.router.RouterContext;
import org.agrona.CloseHelper;

/**
 * {@code ./switchboard router}: a standalone router that agent processes connect to. Runs until SIGINT or SIGTERM, then
 * stops within a bounded time and exits 0: it stops accepting, writes what is queued for each agent and closes its
 * connection (each agent sees its connection end), prints its counters. A second signal exits at once (status 130 for
 * SIGINT, 143 for SIGTERM); a stop that takes longer than {@code switchboard.router.stop.timeout.ms} (default 5000)
 * exits with status 1. If the router's duty cycle stops on a fatal error, it prints it and its counters and exits with
 * status 70, so that a supervisor restarts it rather than leaving a half-dead router in place.
 *
 * <p>Signals are handled by {@link StopSignals} rather than by shutdown hooks: a hook that waits for the main thread
 * deadlocks with a {@code System.exit} from that thread (issue 18, item 3).
 */
public final class RouterMain
{
    /** Exit status after a fatal error in the duty cycle ({@code EX_SOFTWARE}). */
    public static final int EXIT_FATAL = 70;
    /** Exit status when the stop took longer than its timeout. */
    public static final int EXIT_STOP_TIMEOUT = StopSignals.EXIT_STOP_TIMEOUT;

    private RouterMain()
    {
    }

    /**
     * @param args none; settings come from system properties (see {@link IpcContext}, {@link RouterContext}).
     */
    public static void main(final String[] args)
    {
        ConsoleLogging.oneLinePerRecord();
        final int status = run();
        if (status != 0)
        {
            System.exit(status);
        }
    }

    /**
     * Run a router until a signal or a fatal error.
     *
     * @return the exit status: 0 after a signal, {@link #EXIT_FATAL} after a fatal error.
     */
    public static int run()
    {
        return run(router -> null);
    }

    /**
     * Run a router until a signal or a fatal error, with something alongside it: the application's HTTP side, for
     * example, which this module does not know.
     *
     * @param alongside started once the router runs, with it; what it returns (null for nothing) is closed before the
     *                  router when the router stops. A {@link RuntimeException} from it stops the router before it
     *                  accepts anyone ({@link #EXIT_FATAL}, its message printed): a setting it refuses is the user's to
     *                  fix.
     * @return the exit status: 0 after a signal, {@link #EXIT_FATAL} after a fatal error.
     */
    public static int run(final Function<RouterProcess, AutoCloseable> alongside)
    {
        final IpcContext ipc;
        final RouterContext routerContext;
        try
        {
            ipc = new IpcContext();
            routerContext = new RouterContext();
        }
        catch (final IllegalArgumentException e)
        {
            // a property whose text is not of its type: the message names it
            System.err.println("switchboard router: cannot start: " + e.getMessage());
            return EXIT_FATAL;
        }
        final StopSignals signals = StopSignals.install("switchboard router", routerContext.stopTimeoutNs(),
            RouterContext.STOP_TIMEOUT_MS_PROP);

        final RouterProcess router;
        try
        {
            router = RouterProcess.launch(routerContext, ipc);
        }
        catch (final RuntimeException e)
        {
            System.err.println("switchboard router: cannot start: " + e.getMessage());
            return EXIT_FATAL;
        }
        final AutoCloseable beside;
        try
        {
            beside = alongside.apply(router);
        }
        catch (final RuntimeException e)
        {
            router.close();
            System.err.println("switchboard router: cannot start: " + e.getMessage());
            return EXIT_FATAL;
        }
        router.terminated().thenAccept(failure -> signals.requestStop(failure == null ? "stopped" : "fatal error"));
        System.out.println("switchboard router listening on " + ipc.socketPath() + " (pid " +
            ProcessHandle.current().pid() + ", lease " +
            TimeUnit.NANOSECONDS.toMillis(router.router().context().defaultLeaseNs()) + " ms, idle: spin " +
            TimeUnit.NANOSECONDS.toMicros(routerContext.idleSpinNs()) + " us then park up to " +
            TimeUnit.NANOSECONDS.toMillis(routerContext.idleMaxParkNs()) + " ms; engine " + router.engine() +
            (router.clusterBridge() == null ? "" : "; cluster endpoint " + routerContext.clusterEndpoint() +
            ", peers " + routerContext.clusterPeerList()) + "); Ctrl-C to stop");

        final String why = signals.awaitStop();
        final Throwable failure = router.terminated().getNow(null);
        System.out.println("switchboard router stopping (" + why + "); agents' connections close");
        CloseHelper.quietClose(beside);
        router.close();
        System.out.println("switchboard router stopped; counters:");
        System.out.print(router.router().counters().report());
        System.out.flush();
        signals.finished();
        if (failure != null)
        {
            System.err.println("switchboard router: stopped on a fatal error: " + failure);
            return EXIT_FATAL;
        }
        return 0;
    }
}
