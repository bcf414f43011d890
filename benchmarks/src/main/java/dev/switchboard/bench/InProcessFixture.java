/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A router in invoker mode with in-process clients, for benchmarks that drive the router's duty cycle from the
 * benchmark thread. Control-plane calls (register, subscribe) block until the router answers, so
 * {@link #control(Runnable)} runs them while a helper thread invokes the duty cycle; once it returns (the helper
 * joined, a happens-before edge) only the caller invokes the router again.
 * <p>
 * Setup only: allocates, and is not thread-safe.
 */
final class InProcessFixture implements AutoCloseable
{
    /**
     * Lease asked for by every client: long enough that a paused benchmark (between iterations) never loses it.
     */
    static final int LEASE_MS = 60_000;

    private final Router router;
    private final InProcessHub hub;

    InProcessFixture()
    {
        router = Router.launch(new RouterContext().useInvoker(true));
        hub = new InProcessHub(router);
    }

    Router router()
    {
        return router;
    }

    AgentInvoker invoker()
    {
        return router.invoker();
    }

    /**
     * Connect a client to the router's in-process hub and register it under a name.
     *
     * @param name agent name.
     * @return the registered client.
     */
    SwitchboardClient connectAndRegister(final String name)
    {
        final SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(hub.connect()).requestedLeaseMs(LEASE_MS));
        control(() -> client.register(name, "bench"));
        return client;
    }

    /**
     * Run blocking control-plane calls while a helper thread drives the router's duty cycle.
     *
     * @param calls the calls.
     */
    void control(final Runnable calls)
    {
        final AtomicBoolean done = new AtomicBoolean();
        final Thread duty = new Thread(() ->
        {
            while (!done.get())
            {
                if (0 == router.invoker().invoke())
                {
                    Thread.onSpinWait();
                }
            }
        }, "bench-router-duty");
        duty.start();
        try
        {
            calls.run();
        }
        finally
        {
            done.set(true);
            try
            {
                duty.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /**
     * Invoke the duty cycle until it reports no work: drains heartbeats and other control frames that piled up in the
     * ingress while the benchmark did not invoke it.
     */
    void drain()
    {
        while (router.invoker().invoke() > 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Close the clients (each queues its deregistration; none waits for an answer) and then the router. Cheap on
     * purpose: JMH's {@code -prof gc} counts a trial's teardown in its last iteration.
     *
     * @param clients the clients.
     */
    void close(final SwitchboardClient... clients)
    {
        for (final SwitchboardClient c : clients)
        {
            CloseHelper.quietClose(c);
        }
        close();
    }

    @Override
    public void close()
    {
        router.close();
    }
}
