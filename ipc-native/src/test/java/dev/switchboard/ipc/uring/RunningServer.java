package dev.switchboard.ipc.uring;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link UringServer} on its own duty-cycle thread ({@link AgentRunner}, parking in the ring between cycles), optionally with a test agent in the same
 * duty cycle; errors thrown by the duty cycle are collected and asserted absent on close.
 */
final class RunningServer implements AutoCloseable
{
    final UringServer server;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AgentRunner runner;

    private RunningServer(final UringServer server, final Agent extra)
    {
        this.server = server;
        final Agent agent = null == extra ? server : new CompositeAgent(extra, server);
        runner = new AgentRunner(UringIdleStrategy.of(server, 1_000_000L), errors::add, null, agent);
        AgentRunner.startOnThread(runner);
    }

    static RunningServer start(
        final Path socketPath,
        final UringConfig config,
        final UringServer.FrameHandler frameHandler,
        final UringServer.LinkListener linkListener,
        final Agent extra)
    {
        return new RunningServer(UringServer.bind(socketPath, config, frameHandler, linkListener), extra);
    }

    static void await(final BooleanSupplier condition, final long timeout, final TimeUnit unit, final String what)
        throws InterruptedException
    {
        await(condition, timeout, unit, () -> what);
    }

    static void await(
        final BooleanSupplier condition, final long timeout, final TimeUnit unit, final Supplier<String> what)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeout + " " + unit + " waiting for " + what.get());
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close()
    {
        runner.close();
        assertTrue(errors.isEmpty(), () -> "duty cycle threw: " + errors);
    }
}
