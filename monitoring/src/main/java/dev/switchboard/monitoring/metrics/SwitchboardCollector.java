/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.CountersSource;
import dev.switchboard.monitoring.MonitoringContext;
import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.monitoring.RouterView;
import dev.switchboard.monitoring.health.Readiness;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * What {@code /metrics} serves, made at scrape time: the counters files read once
 * ({@link CounterMetrics}), the router's own state and readiness when the server runs in a router, and the
 * orchestrator's ({@link OrchestratorMetrics}) when one runs here. Counters files that cannot be read are left out
 * (and counted in {@value MetricNames#READ_FAILURES}), never served as zeros.
 *
 * <p>Thread-safety: Prometheus' handler may call {@link #collect()} from several threads at once; each call reads on
 * its own.
 */
public final class SwitchboardCollector implements MultiCollector
{
    private static final System.Logger LOG = System.getLogger(SwitchboardCollector.class.getName());

    private final MonitoringContext context;
    private final CountersSource counters;
    private final RouterView router;
    private final OrchestratorView orchestrator;
    private final Readiness readiness;
    private final Counter readFailures;
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param context      the settings (the clock).
     * @param counters     the counters files.
     * @param router       the router this server runs in; null outside one.
     * @param orchestrator the orchestrator of this process; null when none runs here.
     * @param readiness    what {@code /health/ready} answers, served as {@value MetricNames#READY} in a router.
     * @param readFailures where failed reads are counted.
     */
    public SwitchboardCollector(final MonitoringContext context, final CountersSource counters,
        final RouterView router, final OrchestratorView orchestrator, final Readiness readiness,
        final Counter readFailures)
    {
        this.context = context;
        this.counters = counters;
        this.router = router;
        this.orchestrator = orchestrator;
        this.readiness = readiness;
        this.readFailures = readFailures;
    }

    @Override
    public MetricSnapshots collect()
    {
        final long nowMs = context.epochClock().getAsLong();
        final List<MetricSnapshot> families = new ArrayList<>();
        List<CountersSnapshot> snapshots = null;
        String problem = null;
        try
        {
            snapshots = counters.read();
            families.addAll(CounterMetrics.of(snapshots, nowMs));
        }
        catch (final RuntimeException ex)
        {
            problem = String.valueOf(ex.getMessage());
            readFailures.inc();
            if (!failing.getAndSet(true))
            {
                LOG.log(System.Logger.Level.WARNING, "cannot read the counters files in " + context.shmDir() + " (" +
                    problem + "): their metrics are left out of the scrapes until they can be read again");
            }
        }
        if (problem == null && failing.getAndSet(false))
        {
            LOG.log(System.Logger.Level.INFO, "the counters files in " + context.shmDir() + " can be read again");
        }
        if (router != null)
        {
            families.add(gauge(MetricNames.ROUTER_ACCEPTING, "1 while the router this server runs in accepts " +
                "agents (its duty cycle runs), else 0.", List.of(point(Labels.EMPTY, router.accepting() ? 1 : 0))));
            final List<GaugeDataPointSnapshot> tiers = new ArrayList<>();
            for (final RouterView.TierState tier : router.tiers())
            {
                tiers.add(point(Labels.of("tier", tier.tier()), tier.available() ? 1 : 0));
            }
            if (!tiers.isEmpty())
            {
                families.add(gauge(MetricNames.TIER_AVAILABLE, "By tier: 1 when the router's probe found it runs " +
                    "here, 0 when it falls back or is disabled.", tiers));
            }
            families.add(gauge(MetricNames.READY, "1 when /health/ready answers 200, else 0.",
                List.of(point(Labels.EMPTY, readiness.evaluate(snapshots, problem, nowMs).ready() ? 1 : 0))));
        }
        if (orchestrator != null)
        {
            try
            {
                families.addAll(OrchestratorMetrics.of(orchestrator));
            }
            catch (final RuntimeException ex)
            {
                // the orchestrator's state could not be read: its metrics are left out, the rest is served
                LOG.log(System.Logger.Level.WARNING, "cannot read the orchestrator's state for /metrics", ex);
            }
        }
        return new MetricSnapshots(families);
    }

    private static GaugeSnapshot gauge(final String name, final String help, final List<GaugeDataPointSnapshot> points)
    {
        return new GaugeSnapshot(CounterMetrics.metadata(name, help), points);
    }

    private static GaugeDataPointSnapshot point(final Labels labels, final double value)
    {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
