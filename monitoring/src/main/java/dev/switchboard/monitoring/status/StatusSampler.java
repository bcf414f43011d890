/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.status;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.CountersSource;
import dev.switchboard.monitoring.MonitoringContext;
import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.monitoring.RouterView;
import dev.switchboard.monitoring.health.Readiness;

/**
 * Samples the status once a {@link MonitoringContext#sampleIntervalMs() sample interval} on a thread of its own (a
 * daemon, started by {@link #start()}): reads the counters files, evaluates readiness on them (which is also how the
 * stuck-record watch sees every second), makes the {@link StatusReport} and keeps its JSON for the status pages,
 * waking every {@code /events} stream that waits for it.
 *
 * <p>Thread-safety: {@link #sampleNow()} runs on the sampler's thread (or a test's); the rest is safe from any thread
 * (the latest sample is published under this object's monitor).
 */
public final class StatusSampler implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(StatusSampler.class.getName());

    private final MonitoringContext context;
    private final CountersSource counters;
    private final RouterView router;
    private final OrchestratorView orchestrator;
    private final Readiness readiness;
    private final Runnable onReadFailure;
    private final StatusReport report;
    private ScheduledExecutorService timer;

    // written under this object's monitor by the sampling thread, read under it by the streams
    private long sequence;
    private String latestJson;
    private boolean closed;

    /**
     * @param context       the settings (interval, clock).
     * @param counters      the counters files.
     * @param router        the router this server runs in; null outside one.
     * @param orchestrator  the orchestrator of this process; null when none runs here.
     * @param readiness     readiness, evaluated on each sample.
     * @param onReadFailure told when the counters files cannot be read.
     */
    public StatusSampler(final MonitoringContext context, final CountersSource counters, final RouterView router,
        final OrchestratorView orchestrator, final Readiness readiness, final Runnable onReadFailure)
    {
        this.context = context;
        this.counters = counters;
        this.router = router;
        this.orchestrator = orchestrator;
        this.readiness = readiness;
        this.onReadFailure = onReadFailure;
        this.report = new StatusReport(context.heartbeatFreshMs());
    }

    /**
     * Take the first sample now and one every interval after it, on a daemon thread.
     *
     * @return this.
     */
    public StatusSampler start()
    {
        timer = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "switchboard-status-sampler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, context.sampleIntervalMs(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void sampleQuietly()
    {
        try
        {
            sampleNow();
        }
        catch (final RuntimeException ex)
        {
            // a sampler that died would freeze every page: say it, and sample again next time
            LOG.log(System.Logger.Level.WARNING, "the status sample failed", ex);
        }
    }

    /**
     * Take one sample: read, evaluate, publish.
     *
     * @return it.
     */
    public Sample sampleNow()
    {
        final long nowMs = context.epochClock().getAsLong();
        List<CountersSnapshot> snapshots = null;
        String problem = null;
        try
        {
            snapshots = counters.read();
        }
        catch (final RuntimeException ex)
        {
            problem = String.valueOf(ex.getMessage());
            onReadFailure.run();
        }
        final Readiness.Report ready = readiness.evaluate(snapshots, problem, nowMs);
        synchronized (this)
        {
            final String json = Json.write(report.next(snapshots, problem, router, ready, orchestrator, nowMs,
                sequence + 1));
            sequence++;
            latestJson = json;
            notifyAll();
            return new Sample(sequence, json);
        }
    }

    /** @return the latest sample, taking one now if there is none yet. */
    public Sample latestSample()
    {
        synchronized (this)
        {
            if (latestJson != null)
            {
                return new Sample(sequence, latestJson);
            }
        }
        return sampleNow();
    }

    /**
     * A sample, and its number.
     *
     * @param sequence its number, from 1.
     * @param json     its JSON.
     */
    public record Sample(long sequence, String json)
    {
    }

    /**
     * Wait for a sample newer than the one given.
     *
     * @param after     the number of the sample the caller has; 0 for none.
     * @param timeoutMs how long to wait at most.
     * @return the newest sample, or null when the wait timed out or the sampler closed.
     * @throws InterruptedException when interrupted.
     */
    public synchronized Sample awaitAfter(final long after, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!closed && sequence <= after)
        {
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0)
            {
                return null;
            }
            wait(leftMs);
        }
        return closed ? null : new Sample(sequence, latestJson);
    }

    /** @return whether {@link #close()} was called. */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            closed = true;
            notifyAll();
        }
        if (timer != null)
        {
            timer.shutdownNow();
        }
    }
}
