/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.monitoring.RouterView;
import dev.switchboard.monitoring.health.Readiness;
import dev.switchboard.monitoring.metrics.CounterLabel;

/**
 * The status page's data, one snapshot: every process (routers, agents, the orchestrator) with its tiers, counts and
 * rates per second, the agents' traffic per tier, the router's tiers and readiness, the workflows with their task
 * graphs and gates, the success metrics and the most recent errors. Its JSON is what {@code /status.json} serves and
 * {@code /events} pushes (see monitoring/README.md for every field). A rate needs two samples: on the first it is
 * null, as is anything that could not be read.
 *
 * <p>Not thread-safe: the sampler's. It keeps the previous sample's counts to make rates.
 */
public final class StatusReport
{
    /** How many of the most recent distinct errors the report lists. */
    public static final int RECENT_ERRORS = 20;

    private static final String[] KINDS = {"sent", "delivered", "backPressured", "rejected"};

    private final long heartbeatFreshMs;
    private Map<String, Counts> previous = new HashMap<>();

    /**
     * @param heartbeatFreshMs how old a heartbeat may be for its process to count as running (the page marks older
     *                         ones).
     */
    public StatusReport(final long heartbeatFreshMs)
    {
        this.heartbeatFreshMs = heartbeatFreshMs;
    }

    /**
     * @param snapshots    the counters files as read now; null when they could not be read.
     * @param problem      why they could not be read; null when they were.
     * @param router       the router this server runs in; null outside one.
     * @param readiness    the readiness evaluated on the same snapshots.
     * @param orchestrator the orchestrator of this process; null when none runs here.
     * @param nowMs        the wall clock (epoch ms).
     * @param sequence     the snapshot's number, counting from 1.
     * @return the snapshot, as JSON-ready values.
     */
    public Map<String, Object> next(final List<CountersSnapshot> snapshots, final String problem,
        final RouterView router, final Readiness.Report readiness, final OrchestratorView orchestrator,
        final long nowMs, final long sequence)
    {
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("time", nowMs);
        status.put("sequence", sequence);
        status.put("problem", problem);
        status.put("heartbeatFreshMs", heartbeatFreshMs);
        status.put("ready", readiness.toMap());
        status.put("router", router == null ? null : router(router));

        final Map<String, Counts> current = new HashMap<>();
        final List<Object> processes = new ArrayList<>();
        final Map<String, double[]> agentTierTotals = new TreeMap<>();
        final Map<String, double[]> agentTierRates = new TreeMap<>();
        final List<Map<String, Object>> errors = new ArrayList<>();
        if (snapshots != null)
        {
            final List<CountersSnapshot> ordered = new ArrayList<>(snapshots);
            ordered.sort(Comparator.comparing((CountersSnapshot s) -> s.role().ordinal())
                .thenComparing(CountersSnapshot::name).thenComparingLong(CountersSnapshot::pid));
            for (final CountersSnapshot snapshot : ordered)
            {
                final String key = snapshot.role() + "/" + snapshot.name() + "/" + snapshot.pid() + "/" +
                    snapshot.startMs();
                final Counts counts = Counts.of(snapshot, nowMs);
                current.put(key, counts);
                final Counts before = previous.get(key);
                processes.add(process(snapshot, counts, before, nowMs, agentTierTotals, agentTierRates));
                for (final CountersSnapshot.DistinctError error : snapshot.errors())
                {
                    final Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("role", role(snapshot));
                    entry.put("name", snapshot.name());
                    entry.put("pid", snapshot.pid());
                    entry.put("kind", error.kind());
                    entry.put("message", error.message());
                    entry.put("count", error.count());
                    entry.put("firstMs", error.firstMs());
                    entry.put("lastMs", error.lastMs());
                    errors.add(entry);
                }
            }
        }
        previous = current;
        status.put("processes", snapshots == null ? null : processes);
        status.put("agentTiers", snapshots == null ? null : tierList(agentTierTotals, agentTierRates));
        errors.sort(Comparator.comparingLong((Map<String, Object> e) -> (Long)e.get("lastMs")).reversed());
        status.put("errors", snapshots == null ? null : errors.subList(0, Math.min(RECENT_ERRORS, errors.size())));
        Object workflows = null;
        Object success = null;
        if (orchestrator != null)
        {
            try
            {
                workflows = orchestrator.workflows() == null ? null : workflows(orchestrator.workflows());
                success = success(orchestrator.successMetrics());
            }
            catch (final RuntimeException ex)
            {
                status.put("problem", (problem == null ? "" : problem + "; ") + "cannot read the orchestrator's " +
                    "state: " + ex.getMessage());
            }
        }
        status.put("workflows", workflows);
        status.put("successMetrics", success);
        return status;
    }

    private static Map<String, Object> router(final RouterView router)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("accepting", router.accepting());
        final List<Object> tiers = new ArrayList<>();
        for (final RouterView.TierState tier : router.tiers())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tier", tier.tier());
            entry.put("available", tier.available());
            entry.put("detail", tier.detail());
            tiers.add(entry);
        }
        map.put("tiers", tiers);
        return map;
    }

    private static Map<String, Object> process(final CountersSnapshot snapshot, final Counts counts,
        final Counts before, final long nowMs, final Map<String, double[]> agentTierTotals,
        final Map<String, double[]> agentTierRates)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role(snapshot));
        map.put("name", snapshot.name());
        map.put("pid", snapshot.pid());
        map.put("alive", snapshot.alive());
        map.put("startMs", snapshot.startMs() > 0 ? snapshot.startMs() : null);
        map.put("heartbeatAgeMs", snapshot.heartbeatMs() > 0 ? Math.max(0, nowMs - snapshot.heartbeatMs()) : null);
        final double seconds = before == null ? 0 : (counts.atMs - before.atMs) / 1000.0;
        final List<Object> tiers = new ArrayList<>();
        final long[] total = counts.total();
        final long[] totalBefore = before == null ? null : before.total();
        for (final Map.Entry<String, long[]> tier : counts.byTier.entrySet())
        {
            final long[] now = tier.getValue();
            final long[] then = before == null ? null : before.byTier.getOrDefault(tier.getKey(),
                new long[KINDS.length]);
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tier", tier.getKey());
            for (int k = 0; k < KINDS.length; k++)
            {
                entry.put(KINDS[k], now[k]);
                entry.put(KINDS[k] + "PerSecond", rate(now[k], then == null ? null : then[k], seconds));
            }
            if (snapshot.role() == CountersSnapshot.Role.AGENT)
            {
                final double[] sums = agentTierTotals.computeIfAbsent(tier.getKey(), t -> new double[KINDS.length]);
                final double[] rates = agentTierRates.computeIfAbsent(tier.getKey(), t -> fillNaN());
                for (int k = 0; k < KINDS.length; k++)
                {
                    sums[k] += now[k];
                    final Double rate = (Double)entry.get(KINDS[k] + "PerSecond");
                    rates[k] = rate == null ? rates[k] : (Double.isNaN(rates[k]) ? 0 : rates[k]) + rate;
                }
            }
            if (now[0] + now[1] + now[2] + now[3] > 0)
            {
                tiers.add(entry);
            }
        }
        map.put("tiers", tiers);
        final Map<String, Object> totals = new LinkedHashMap<>();
        for (int k = 0; k < KINDS.length; k++)
        {
            totals.put(KINDS[k], total[k]);
            totals.put(KINDS[k] + "PerSecond", rate(total[k], totalBefore == null ? null : totalBefore[k], seconds));
        }
        map.put("totals", totals);
        long errorCount = 0;
        for (final CountersSnapshot.DistinctError error : snapshot.errors())
        {
            errorCount += error.count();
        }
        map.put("errors", errorCount);
        final List<Object> events = new ArrayList<>();
        for (final Map.Entry<String, Long> event : counts.events.entrySet())
        {
            if (event.getValue() == 0)
            {
                continue;
            }
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("event", event.getKey());
            entry.put("id", CounterLabel.identifier(event.getKey()));
            entry.put("value", event.getValue());
            entry.put("perSecond", rate(event.getValue(), before == null ? null : before.events.get(event.getKey()),
                seconds));
            events.add(entry);
        }
        map.put("events", events);
        final List<Object> latency = new ArrayList<>();
        for (final CountersSnapshot.Histogram histogram : snapshot.histograms())
        {
            latency.add(latency(histogram));
        }
        map.put("latency", latency);
        return map;
    }

    private static double[] fillNaN()
    {
        final double[] values = new double[KINDS.length];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }

    private static List<Object> tierList(final Map<String, double[]> totals, final Map<String, double[]> rates)
    {
        final List<Object> list = new ArrayList<>();
        for (final Map.Entry<String, double[]> tier : totals.entrySet())
        {
            final double[] sums = tier.getValue();
            if (sums[0] + sums[1] + sums[2] + sums[3] == 0)
            {
                continue;
            }
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tier", tier.getKey());
            for (int k = 0; k < KINDS.length; k++)
            {
                entry.put(KINDS[k], (long)sums[k]);
                final double rate = rates.get(tier.getKey())[k];
                entry.put(KINDS[k] + "PerSecond", Double.isNaN(rate) ? null : rate);
            }
            list.add(entry);
        }
        return list;
    }

    private static Double rate(final long now, final Long then, final double seconds)
    {
        if (then == null || seconds <= 0 || now < then)
        {
            return null;
        }
        return Math.round((now - then) / seconds * 10.0) / 10.0;
    }

    /** A histogram's count and its p50 and p99 as the upper bounds of their buckets (null without a value). */
    private static Map<String, Object> latency(final CountersSnapshot.Histogram histogram)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("histogram", histogram.name());
        long count = 0;
        for (final long c : histogram.counts())
        {
            count += c;
        }
        map.put("count", count);
        map.put("p50Ns", quantile(histogram, count, 0.50));
        map.put("p99Ns", quantile(histogram, count, 0.99));
        map.put("meanNs", count == 0 ? null : histogram.sumNs() / count);
        return map;
    }

    private static Long quantile(final CountersSnapshot.Histogram histogram, final long count, final double q)
    {
        if (count == 0)
        {
            return null;
        }
        final long rank = (long)Math.ceil(q * count);
        long seen = 0;
        final int n = Math.min(histogram.counts().length, histogram.upperBoundsNs().length);
        for (int i = 0; i < n; i++)
        {
            seen += histogram.counts()[i];
            if (seen >= rank)
            {
                return histogram.upperBoundsNs()[i] == Long.MAX_VALUE ? null : histogram.upperBoundsNs()[i];
            }
        }
        return null;
    }

    private static List<Object> workflows(final List<OrchestratorView.Workflow> workflows)
    {
        final List<Object> list = new ArrayList<>();
        for (final OrchestratorView.Workflow workflow : workflows)
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", workflow.id());
            map.put("status", workflow.status());
            map.put("phase", workflow.phase());
            map.put("percent", Math.round(workflow.percent() * 10.0) / 10.0);
            map.put("tasksDone", workflow.tasksDone());
            map.put("tasksTotal", workflow.tasksTotal());
            final List<Object> tasks = new ArrayList<>();
            for (final OrchestratorView.Task task : workflow.tasks())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", task.id());
                entry.put("phase", task.phase());
                entry.put("capability", task.capability());
                entry.put("dependsOn", task.dependsOn());
                entry.put("state", task.state());
                entry.put("agent", task.agent());
                entry.put("percent", task.percent());
                tasks.add(entry);
            }
            map.put("tasks", tasks);
            final List<Object> gates = new ArrayList<>();
            for (final OrchestratorView.Gate gate : workflow.gates())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("phase", gate.phase());
                entry.put("state", gate.state());
                entry.put("passed", gate.passed());
                entry.put("failed", gate.failed());
                entry.put("summary", gate.summary());
                gates.add(entry);
            }
            map.put("gates", gates);
            list.add(map);
        }
        return list;
    }

    private static Map<String, Object> success(final OrchestratorView.SuccessMetrics success)
    {
        if (success == null)
        {
            return null;
        }
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("runs", success.runs());
        map.put("problem", success.problem().isEmpty() ? null : success.problem());
        final List<Object> metrics = new ArrayList<>();
        success.metrics().forEach(metric -> metrics.add(metric.toMap()));
        map.put("metrics", metrics);
        return map;
    }

    private static String role(final CountersSnapshot snapshot)
    {
        return snapshot.role().name().toLowerCase(Locale.ROOT);
    }

    /** One process's message counts by tier (sent, delivered, back-pressured, rejected), at one time. */
    private static final class Counts
    {
        private final long atMs;
        private final Map<String, long[]> byTier = new TreeMap<>();
        /** Every other counter by its label (summed when a label repeats). */
        private final Map<String, Long> events = new TreeMap<>();

        private Counts(final long atMs)
        {
            this.atMs = atMs;
        }

        static Counts of(final CountersSnapshot snapshot, final long atMs)
        {
            final Counts counts = new Counts(atMs);
            for (final CountersSnapshot.Counter counter : snapshot.counters())
            {
                final CounterLabel label = CounterLabel.parse(counter.label());
                final String tier = label.attributes().get("tier");
                final int kind = kindIndex(label.name());
                if (tier != null && kind >= 0)
                {
                    counts.byTier.computeIfAbsent(tier, t -> new long[KINDS.length])[kind] += counter.value();
                }
                else
                {
                    counts.events.merge(counter.label(), counter.value(), Long::sum);
                }
            }
            return counts;
        }

        /** @return the counts summed over the tiers. */
        long[] total()
        {
            final long[] total = new long[KINDS.length];
            for (final long[] tier : byTier.values())
            {
                for (int k = 0; k < KINDS.length; k++)
                {
                    total[k] += tier[k];
                }
            }
            return total;
        }

        /** @return the index in {@link #KINDS}: {@link CounterKind}'s order, which KINDS follows. */
        private static int kindIndex(final String name)
        {
            for (final CounterKind kind : CounterKind.values())
            {
                if (kind.name().equalsIgnoreCase(name))
                {
                    return kind.ordinal();
                }
            }
            return -1;
        }
    }
}
