package dev.switchboard.router.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import dev.switchboard.router.process.socket.SocketServer;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.ipc.uring.Epoll;
import dev.switchboard.router.QuietIdleStrategy;
import dev.switchboard.router.Router;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentTerminationException;
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
 * {@code epoll_wait} until a socket is ready, a producer wakes it, or the router's next deadline, at most
 * {@code switchboard.router.idle.max.park.ms}. Without HIGH that is the selector's own wait
 * ({@link SocketServer#await}); with HIGH it is an {@link Epoll} over the selector's descriptor and the io_uring's, so
 * that a control socket, an io_uring completion and a producer's wake-up (which wakes the selector) all end the one
 * wait. If the selector's descriptor cannot be read ({@link SocketServer#selectorFd()}), the wait is cut to
 * {@value #HIGH_PARK_CAP_MS} ms instead, with one warning.
 *
 * <p>Bridged to peer routers ({@link #bridge}): an Aeron subscription cannot end that wait, so for
 * {@code switchboard.cluster.idle.yield.us} after the last work the cycle does not block at all: past the quiet spin,
 * each idle cycle yields the CPU once ({@link #hasPendingWork()}: {@code sched_yield}, not counted as a park) and polls
 * again, the control sockets included (NIO: one {@code selectNow}; io_uring: its completion queue); after that window
 * it parks at most {@code switchboard.cluster.idle.park.us} at a time. Without a cluster none of this runs.
 *
 * <p>Thread-safety: the duty-cycle thread, except {@link #unpark()}. Allocation: none per cycle once warm; no locks.
 */
final class RouterDutyCycle implements Agent, QuietIdleStrategy.Parker
{
    /** Longest park while HIGH links are attached and there is no joint wait, in ms. */
    static final long HIGH_PARK_CAP_MS = 1;
    private static final int SELECTOR_READY = 1;
    private static final int RING_READY = 2;

    private final Router router;
    private final AgentInvoker invoker;
    private final SocketServer sockets;
    private final HighServer high;
    /** The io_uring engine (control and HIGH on one ring), or null when the NIO engine runs. */
    private final dev.switchboard.router.process.socket.UringSocketServer uring;
    private final NanoClock clock;
    private final java.util.concurrent.CompletableFuture<Throwable> terminated =
        new java.util.concurrent.CompletableFuture<>();
    /** The joint wait over the selector and the HIGH ring, or null (no HIGH, or the selector's fd is not readable). */
    private final Epoll jointWait;
    /** Check socket readiness with a system call on the next cycle: the last one did work. */
    private boolean ioDue = true;
    private int consecutiveErrors;
    private volatile Throwable failure;
    /** Set by {@link #requestStop()}: the duty cycle no longer blocks, so that it sees its runner stop at once. */
    private volatile boolean stopping;
    /** The bridge to peer routers, polled each cycle; null without a cluster (then the cycle does nothing more). */
    private dev.switchboard.router.cluster.ClusterBridge bridge;
    private long bridgeParkNs = Long.MAX_VALUE;
    /** With a bridge: how long after the last work the cycle yields instead of parking. */
    private long bridgeYieldNs;
    /** When the last cycle that did work ended (read only with a bridge). */
    private long lastWorkNs;

    RouterDutyCycle(final Router router, final SocketServer sockets, final HighServer high)
    {
        this.router = router;
        this.invoker = router.invoker();
        this.sockets = sockets;
        this.high = high;
        this.uring = null;
        this.clock = router.context().nanoClock();
        this.jointWait = high == null ? null : jointWait(sockets, high);
    }

    /**
     * A duty cycle over the io_uring engine: its sockets are on one ring, whose wait is the park.
     */
    RouterDutyCycle(final Router router, final dev.switchboard.router.process.socket.UringSocketServer uring)
    {
        this.router = router;
        this.invoker = router.invoker();
        this.sockets = null;
        this.high = null;
        this.uring = uring;
        this.clock = router.context().nanoClock();
        this.jointWait = null;
    }

    private static Epoll jointWait(final SocketServer sockets, final HighServer high)
    {
        final int selectorFd = sockets.selectorFd();
        if (selectorFd < 0)
        {
            System.getLogger(RouterDutyCycle.class.getName()).log(System.Logger.Level.WARNING,
                "the router cannot wait on its control socket and its HIGH io_uring at once (run with " +
                JvmFlags.opening("java.base/sun.nio.ch") + "): it wakes every " + HIGH_PARK_CAP_MS +
                " ms while HIGH links are attached");
            return null;
        }
        final Epoll epoll = new Epoll();
        try
        {
            epoll.add(selectorFd, SELECTOR_READY);
            epoll.add(high.ringFd(), RING_READY);
            return epoll;
        }
        catch (final RuntimeException e)
        {
            epoll.close();
            throw e;
        }
    }

    /**
     * One cycle. An exception from the I/O parts is counted and logged by the router
     * ({@link Router#onDutyCycleError}) and the cycle carries on; a fatal one (an {@link Error}, or
     * {@value Router#FATAL_CONSECUTIVE_ERRORS} failing cycles in a row, here or in the router) stops the duty cycle:
     * its sockets close, so agents see their connection end, and {@link #failure()} says why.
     */
    @Override
    public int doWork()
    {
        try
        {
            if (uring != null)
            {
                return uringCycle();
            }
            int work = sockets.poll(ioDue);
            work += invoker.invoke();
            if (bridge != null)
            {
                work += bridge.doWork();
            }
            final long nowNs = clock.nanoTime();
            work += sockets.retryHeld(nowNs);
            work += sockets.sweep(nowNs);
            if (high != null)
            {
                work += high.doWork();
            }
            work += sockets.flush();
            ioDue = work > 0;
            if (work > 0)
            {
                lastWorkNs = nowNs;
            }
            consecutiveErrors = 0;
            return work;
        }
        catch (final AgentTerminationException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            router.onDutyCycleError(t);
            if (!(t instanceof Error) && ++consecutiveErrors < Router.FATAL_CONSECUTIVE_ERRORS)
            {
                ioDue = true;
                return 1;
            }
            failure = t;
            throw new AgentTerminationException(t);
        }
        finally
        {
            final Throwable fatal = router.fatalError();
            if (fatal != null && failure == null)
            {
                failure = fatal;
            }
            if (failure != null || invoker.isClosed())
            {
                throw new AgentTerminationException(failure);
            }
        }
    }

    /**
     * The io_uring engine's cycle: reap (entering the kernel only when completions wait to be posted), run the router,
     * retry held frames, sweep deadlines, then one {@code io_uring_enter} for every send and re-arm of the cycle.
     */
    private int uringCycle()
    {
        int work = uring.poll();
        work += invoker.invoke();
        if (bridge != null)
        {
            work += bridge.doWork();
        }
        final long nowNs = clock.nanoTime();
        work += uring.retryHeld(nowNs);
        work += uring.sweep(nowNs);
        work += uring.flush();
        if (work > 0)
        {
            lastWorkNs = nowNs;
        }
        consecutiveErrors = 0;
        return work;
    }

    /**
     * @return what stopped the duty cycle (a fatal error), or null while it runs or after a normal close.
     */
    Throwable failure()
    {
        return failure;
    }

    @Override
    public boolean hasPendingWork()
    {
        if (uring != null ? uring.hasReady() : sockets.hasReady())
        {
            return true;
        }
        if (bridge != null && clock.nanoTime() - lastWorkNs < bridgeYieldNs)
        {
            // Bridged, shortly after work: poll again instead of blocking (nothing wakes a wait for the bridge's
            // subscription), but give the CPU to whatever else is runnable first. The next cycle checks the control
            // sockets (NIO: one selectNow): without it an agent's frame would wait for other work or the window's end.
            Thread.yield();
            ioDue = true;
            return true;
        }
        return false;
    }

    /**
     * Make the duty cycle stop blocking and wake it, before its runner is closed (any thread): a park may last as long
     * as {@code switchboard.router.idle.max.park.ms}, and an {@code epoll_wait} is not interrupted by
     * {@link Thread#interrupt()}.
     */
    void requestStop()
    {
        stopping = true;
        unpark();
    }

    /**
     * Poll the bridge to peer routers in every cycle; for {@code yieldNs} after the last work yield instead of
     * blocking, then park at most {@code parkNs} (Aeron's subscription does not wake a parked duty cycle). Before the
     * duty cycle starts.
     *
     * @param clusterBridge the bridge.
     * @param yieldNs       yield window after the last work, &gt;= 0.
     * @param parkNs        longest park.
     */
    void bridge(final dev.switchboard.router.cluster.ClusterBridge clusterBridge, final long yieldNs,
        final long parkNs)
    {
        this.bridge = clusterBridge;
        this.bridgeYieldNs = yieldNs;
        this.bridgeParkNs = parkNs;
        this.lastWorkNs = clock.nanoTime();
    }

    @Override
    public void park(final long parkRequestNs)
    {
        if (stopping)
        {
            return;
        }
        final long requestedNs = Math.min(parkRequestNs, bridgeParkNs);
        if (uring != null)
        {
            final long deadline = uring.nextDeadlineNs();
            uring.await(deadline == Long.MAX_VALUE ? requestedNs :
                Math.max(1, Math.min(requestedNs, deadline - clock.nanoTime())));
            return;
        }
        final long sweepNs = sockets.nextDeadlineNs();
        final long timeoutNs = sweepNs == Long.MAX_VALUE ? requestedNs :
            Math.max(1, Math.min(requestedNs, sweepNs - clock.nanoTime()));
        if (jointWait != null)
        {
            final int ready = jointWait.await((int)Math.min(Integer.MAX_VALUE, (timeoutNs + 999_999) / 1_000_000));
            // A ready selector (a socket, or a producer's wakeup) is read by the next poll's selectNow; completions
            // are reaped by the HIGH server on every cycle anyway.
            ioDue = (ready & SELECTOR_READY) != 0;
            return;
        }
        final long capped = high != null ?
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
        if (uring != null)
        {
            uring.wakeup();
        }
        else
        {
            sockets.wakeup();
        }
    }

    @Override
    public String roleName()
    {
        return "switchboard-router";
    }

    @Override
    public void onClose()
    {
        try
        {
            if (jointWait != null)
            {
                jointWait.close();
            }
            if (high != null)
            {
                high.onClose();
            }
            if (uring != null)
            {
                uring.close();
            }
            else
            {
                sockets.close();
            }
            invoker.close();
        }
        finally
        {
            terminated.complete(failure);
        }
    }

    /**
     * @return completes when the duty cycle has stopped and closed its sockets: with the fatal error that stopped it,
     * or null after a normal close.
     */
    java.util.concurrent.CompletableFuture<Throwable> terminated()
    {
        return terminated;
    }
}
