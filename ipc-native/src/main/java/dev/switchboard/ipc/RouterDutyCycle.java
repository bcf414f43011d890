package dev.switchboard.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.socket.SocketServer;
import dev.switchboard.router.QuietIdleStrategy;
import dev.switchboard.router.Router;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.NanoClock;

/**
 * The router process's one duty cycle, on one thread: the control socket ({@link SocketServer}, NIO), the router
 * ({@link Router}, invoked in place), and the HIGH io_uring server ({@link HighServer}) when HIGH runs. Because the
 * sockets are read on the router's own thread, each frame goes from the sender's receive buffer to the receiver's
 * send buffer in one copy, with no ingress hop, and what a cycle routes is written in the same cycle.
 *
 * <p>One cycle: handle the sockets the last wait found ready (or, right after a cycle that did work, check readiness
 * with one {@code selectNow}), run the router (its ingress of in-process frames, its timers), retry frames held by
 * full receivers when due, run the HIGH server (reap, deliver, arm and submit, then signal the agents it wrote to),
 * then write every control socket written to and signal those agents.
 *
 * <p>Idle ({@link QuietIdleStrategy} with this as its {@link QuietIdleStrategy.Parker}): for
 * {@code switchboard.router.idle.spin.us} after the last work the cycle runs without any system call (the router's
 * ingress and the io_uring completion queue are memory; no readiness check), then it blocks in one
 * {@code epoll_wait} ({@link SocketServer#await}) until a socket is ready, a producer wakes it, or the router's next
 * deadline, at most {@code switchboard.router.idle.max.park.ms}. While HIGH links are attached the wait is cut to
 * {@value #HIGH_PARK_CAP_MS} ms, since io_uring completions do not wake the selector (the io_uring engine, where both
 * sockets are on one ring, has no such cap).
 *
 * <p>Thread-safety: the duty-cycle thread, except {@link #unpark()}. Allocation: none per cycle once warm.
 */
final class RouterDutyCycle implements Agent, QuietIdleStrategy.Parker
{
    /** Longest park while HIGH links are attached, in ms. */
    static final long HIGH_PARK_CAP_MS = 1;

    private final Router router;
    private final AgentInvoker invoker;
    private final SocketServer sockets;
    private final HighServer high;
    private final NanoClock clock;
    /** Check socket readiness with a system call on the next cycle: the last one did work. */
    private boolean ioDue = true;

    RouterDutyCycle(final Router router, final SocketServer sockets, final HighServer high)
    {
        this.router = router;
        this.invoker = router.invoker();
        this.sockets = sockets;
        this.high = high;
        this.clock = router.context().nanoClock();
    }

    @Override
    public int doWork() throws IOException
    {
        int work = sockets.poll(ioDue);
        work += invoker.invoke();
        work += sockets.retryHeld(clock.nanoTime());
        if (high != null)
        {
            work += high.doWork();
        }
        work += sockets.flush();
        ioDue = work > 0;
        return work;
    }

    @Override
    public boolean hasPendingWork()
    {
        return sockets.hasReady();
    }

    @Override
    public void park(final long timeoutNs)
    {
        final long capped = high != null && high.hasLinks() ?
            Math.min(timeoutNs, TimeUnit.MILLISECONDS.toNanos(HIGH_PARK_CAP_MS)) : timeoutNs;
        try
        {
            sockets.await(capped);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        // What the wait found is handled by the next poll without another readiness check; after a timeout with
        // nothing found, the next cycle makes no system call unless it finds work.
        ioDue = false;
    }

    @Override
    public void unpark()
    {
        sockets.wakeup();
    }

    @Override
    public String roleName()
    {
        return "switchboard-router";
    }

    @Override
    public void onClose()
    {
        if (high != null)
        {
            high.onClose();
        }
        sockets.close();
        invoker.close();
    }
}
