package dev.switchboard.client;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.RouterConnection;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * The receive side's duty cycle (Aeron's {@code Subscription} poll, with the conductor's duty folded in): a poll reads
 * this client's own inbox first (no clock read, no system call), then the sources whose readiness word moved (control
 * stream, links, durable queue), handing data frames to the {@link DataFrameHandler} and control frames to the
 * {@link ControlFrameHandler}. Polls count down to the duty slice ({@link DutyCountdown}, about every
 * {@link ClientContext#dutyPeriodNs()}, and whenever the connection asks for one, e.g. after its idle strategy parked);
 * the slice runs, in this order, the {@link ControlPlane}'s duty (reconnection, the connection's own duty, the lease),
 * the expiry of {@link PendingRequests} (timeouts go to their handlers and are counted), the progress of destinations
 * between paths, and the flush of the per-message counts ({@link LocalCounters}) into the shared counters.
 *
 * <p>Thread: the client's thread only; handlers run on it, inside {@link #poll}. Allocation: none once warm, no lock;
 * an empty poll between two slices reads no clock and makes no system call.
 */
final class Poller
{
    private final ClientContext ctx;
    private final RouterConnection connection;
    private final ClientSession session;
    private final ControlPlane control;
    private final ControlFrameHandler controlHandler;
    private final DataFrameHandler dataHandler;
    private final PendingRequests pending;
    private final LocalCounters counters;
    private final CounterBlock sharedCounters;
    private final NanoClock clock;
    private final int fragmentLimit;
    private final DutyCountdown pollDuty;
    private IdleStrategy idleStrategy;

    Poller(
        final ClientContext ctx,
        final ClientSession session,
        final ControlPlane control,
        final ControlFrameHandler controlHandler,
        final DataFrameHandler dataHandler,
        final PendingRequests pending,
        final LocalCounters counters,
        final CounterBlock sharedCounters)
    {
        this.ctx = ctx;
        this.connection = ctx.connection();
        this.session = session;
        this.control = control;
        this.controlHandler = controlHandler;
        this.dataHandler = dataHandler;
        this.pending = pending;
        this.counters = counters;
        this.sharedCounters = sharedCounters;
        this.clock = ctx.nanoClock();
        this.fragmentLimit = ctx.fragmentLimit();
        this.pollDuty = new DutyCountdown(ctx.dutyPeriodNs(), ctx.dutyInterval());
    }

    /** {@link SwitchboardClient#idleStrategy()}: made on first use, from the connection and the chosen settings. */
    IdleStrategy idleStrategy()
    {
        IdleStrategy s = idleStrategy;
        if (s == null)
        {
            s = connection.idleStrategy(ctx.idleSettings());
            idleStrategy = s;
        }
        return s;
    }

    /** {@link SwitchboardClient#poll(MessageHandler)}. */
    int poll(final MessageHandler handler)
    {
        if (session.isClosed())
        {
            return 0;
        }
        dataHandler.handler(handler);
        final RouterConnection c = connection;
        try
        {
            int work = c.pollData(dataHandler, fragmentLimit);
            work += c.pollSignalled(dataHandler, controlHandler, fragmentLimit);
            if (pollDuty.countDown() || c.dutyRequested())
            {
                work += duty();
            }
            return work;
        }
        catch (final InternalError fault)
        {
            // A mapped file truncated by another process, its fault reported late by the JIT's code (see
            // RouterConnection#onLateMemoryFault): contained and counted by the connection, never thrown from a poll.
            if (c.onLateMemoryFault(fault))
            {
                return 1;
            }
            throw fault;
        }
    }

    private int duty()
    {
        final long nowNs = clock.nanoTime();
        pollDuty.restart(nowNs);
        int work = control.duty(nowNs);
        final int timedOut = pending.expire(nowNs);
        if (timedOut > 0)
        {
            sharedCounters.add(CounterIds.of(RouterCounter.REQUEST_TIMEOUTS), timedOut);
            work += timedOut;
        }
        control.progressBetweenPaths();
        counters.flushTo(sharedCounters);
        return work;
    }

    /**
     * Add the per-message counts to the shared counters now (a duty slice does it too).
     */
    void flushCounters()
    {
        counters.flushTo(sharedCounters);
    }

    /** {@link SwitchboardClient#counter(RouterCounter)}: flushed first. */
    long counter(final RouterCounter counter)
    {
        counters.flushTo(sharedCounters);
        return sharedCounters.get(counter);
    }
}
