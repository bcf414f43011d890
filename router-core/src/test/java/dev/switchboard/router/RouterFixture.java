package dev.switchboard.router;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.inprocess.InProcessHub;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real router on its own thread and in-process clients, for tests. Closes everything it made.
 */
final class RouterFixture implements AutoCloseable
{
    final Router router;
    final InProcessHub hub;
    private final List<SwitchboardClient> clients = new ArrayList<>();

    RouterFixture(final RouterContext ctx)
    {
        router = Router.launch(ctx);
        hub = new InProcessHub(router);
    }

    RouterFixture()
    {
        this(new RouterContext());
    }

    SwitchboardClient client()
    {
        return client(new ClientContext());
    }

    SwitchboardClient client(final ClientContext ctx)
    {
        final SwitchboardClient c = SwitchboardClient.connect(ctx.connection(hub.connect()));
        clients.add(c);
        return c;
    }

    SwitchboardClient client(final ClientListener listener)
    {
        return client(new ClientContext().listener(listener));
    }

    SwitchboardClient agent(final String name, final String... capabilities)
    {
        final SwitchboardClient c = client();
        c.register(name, capabilities);
        return c;
    }

    long counter(final dev.switchboard.counters.RouterCounter counter)
    {
        return router.counters().block().get(counter);
    }

    static SegmentBuffer buffer(final int capacity)
    {
        return SegmentBuffer.allocate(Arena.ofAuto(), capacity);
    }

    /**
     * Poll every given client until the condition holds, or fail after the timeout.
     */
    static void pollUntil(
        final BooleanSupplier condition, final long timeoutMs, final MessageHandler handler, final SwitchboardClient... cs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            int work = 0;
            for (final SwitchboardClient c : cs)
            {
                work += c.poll(handler);
            }
            if (System.nanoTime() > deadline)
            {
                fail("condition not met within " + timeoutMs + " ms");
            }
            if (work == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Run an invoker-mode router's duty cycle on a helper thread until closed (for the blocking control
     * calls of a test's set-up). Stops by a flag, not by interrupt: Agrona's AgentInvoker stops for good
     * when it sees its thread interrupted.
     */
    static AutoCloseable dutyCycleThread(final org.agrona.concurrent.AgentInvoker invoker)
    {
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Thread duty = new Thread(() ->
        {
            while (running.get())
            {
                invoker.invoke();
                Thread.onSpinWait();
            }
        }, "test-duty-cycle");
        duty.start();
        return () ->
        {
            running.set(false);
            duty.join();
        };
    }

    @Override
    public void close()
    {
        for (final SwitchboardClient c : clients)
        {
            c.close();
        }
        router.close();
    }
}
