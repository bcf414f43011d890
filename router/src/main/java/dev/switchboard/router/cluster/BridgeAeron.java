package dev.switchboard.router.cluster;

import java.util.concurrent.TimeUnit;

import dev.switchboard.router.RouterContext;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.NoOpLock;

/**
 * The bridge's Aeron: its media driver (embedded, or an external one) and its client, started as
 * {@code switchboard.cluster.driver.threading} says.
 *
 * <ul>
 *   <li>{@value RouterContext#CLUSTER_DRIVER_INVOKER} (the default): the embedded driver runs
 *   {@code ThreadingMode.INVOKER} and the client {@code useConductorAgentInvoker}: neither has a thread; both run in
 *   {@link #invoke()}, called by the bridge on the router's duty cycle, just before it polls its subscription. A frame
 *   the router routes to a peer in a cycle is sent on UDP by the driver's sender in that same cycle, and a datagram
 *   that came in is received, put in the image and polled in one cycle: no hand-off to another thread, no idle
 *   strategy of another thread between the router and the network. The client waits for the driver's replies
 *   (adding a publication or a subscription) by invoking the driver itself ({@code Aeron.Context.driverAgentInvoker}).
 *   With an external driver, only the client's conductor is invoked.</li>
 *   <li>{@value RouterContext#CLUSTER_DRIVER_SHARED}: the embedded driver on one thread of its own
 *   ({@code ThreadingMode.SHARED}, {@link BridgeIdleStrategy}), the client's conductor on another;
 *   {@link #invoke()} does nothing.</li>
 * </ul>
 *
 * <p>Thread-safety: with {@code invoker}, the client is used by one thread at a time and takes no lock
 * ({@code NoOpLock}): made on the thread that starts the router, then used only on the router's duty cycle
 * ({@link #invoke()}, publications, adding a peer's publication), closed after the duty cycle has ended. With
 * {@code shared} the client keeps Aeron's default lock (its conductor has a thread). Allocation: {@link #invoke()}
 * allocates nothing of its own, and takes no lock of its own (Aeron's agents allocate on their control paths: new
 * images, publications, errors).
 */
final class BridgeAeron implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron client;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker clientInvoker;
    private final String description;

    private BridgeAeron(final MediaDriver driver, final Aeron client, final String description)
    {
        this.driver = driver;
        this.client = client;
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
        this.clientInvoker = client.conductorAgentInvoker();
        this.description = description;
    }

    /**
     * Launch the embedded driver (unless the context says external) and connect the client to it.
     *
     * @param ctx          the router's context (cluster settings).
     * @param aeronDir     the Aeron directory.
     * @param errorHandler where Aeron's errors go.
     * @return the started driver and client.
     */
    static BridgeAeron start(final RouterContext ctx, final String aeronDir, final ErrorHandler errorHandler)
    {
        final boolean invoker = RouterContext.CLUSTER_DRIVER_INVOKER.equals(ctx.clusterDriverThreading());
        MediaDriver launched = null;
        Aeron connected = null;
        try
        {
            if (!ctx.clusterExternalDriver())
            {
                final MediaDriver.Context driverCtx = new MediaDriver.Context()
                    .aeronDirectoryName(aeronDir)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .termBufferSparseFile(true)
                    .clientLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(ctx.clusterAeronTimeoutMs()))
                    .errorHandler(errorHandler);
                if (invoker)
                {
                    driverCtx.threadingMode(ThreadingMode.INVOKER);
                }
                else
                {
                    driverCtx.threadingMode(ThreadingMode.SHARED)
                        .sharedIdleStrategy(new BridgeIdleStrategy(
                            TimeUnit.MICROSECONDS.toNanos(ctx.clusterIdleYieldUs()),
                            TimeUnit.MICROSECONDS.toNanos(ctx.clusterIdleParkUs())));
                }
                launched = MediaDriver.launch(driverCtx);
            }
            final Aeron.Context clientCtx = new Aeron.Context()
                .aeronDirectoryName(aeronDir)
                .errorHandler(errorHandler)
                .useConductorAgentInvoker(invoker);
            if (invoker)
            {
                // One thread uses the client: the router's (the bridge is made before the duty cycle starts and closed
                // after it ended), so the conductor's lock, taken on every invoke, is Aeron's no-op lock.
                clientCtx.clientLock(NoOpLock.INSTANCE);
                if (launched != null)
                {
                    clientCtx.driverAgentInvoker(launched.sharedAgentInvoker());
                }
            }
            connected = Aeron.connect(clientCtx);
            return new BridgeAeron(launched, connected, (launched == null ? "external driver" : invoker ?
                "embedded driver, invoked by the duty cycle" : "embedded driver, threading shared") +
                (invoker ? ", client invoked by the duty cycle" : ""));
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietCloseAll(connected, launched);
            throw e;
        }
    }

    /** @return the Aeron client. */
    Aeron client()
    {
        return client;
    }

    /**
     * Run the embedded driver's agents (sender, receiver, conductor) and the client's conductor once, when they are
     * invoked by the duty cycle; nothing otherwise. Router thread only; no locks of its own, no allocation of its own.
     *
     * @return work done.
     */
    int invoke()
    {
        int work = 0;
        if (driverInvoker != null)
        {
            work += driverInvoker.invoke();
        }
        if (clientInvoker != null)
        {
            work += clientInvoker.invoke();
        }
        return work;
    }

    @Override
    public String toString()
    {
        return description;
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(client, driver);
    }
}
