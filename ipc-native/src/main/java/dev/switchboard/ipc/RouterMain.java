package dev.switchboard.ipc;

import java.util.concurrent.TimeUnit;

import dev.switchboard.router.RouterContext;
import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * {@code ./switchboard router}: a standalone router that agent processes connect to. Runs until SIGINT or
 * SIGTERM, then prints its counters and exits.
 */
public final class RouterMain
{
    private RouterMain()
    {
    }

    /**
     * @param args none; settings come from system properties (see {@link IpcContext}, {@link RouterContext}).
     */
    public static void main(final String[] args)
    {
        final IpcContext ipc = new IpcContext();
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc))
        {
            System.out.println("switchboard router listening on " + ipc.socketPath() +
                " (lease " + TimeUnit.NANOSECONDS.toMillis(router.router().context().defaultLeaseNs()) +
                " ms); Ctrl-C to stop");
            new ShutdownSignalBarrier().await();
            System.out.println("switchboard router stopping; counters:");
            System.out.print(router.router().counters().report());
        }
    }
}
