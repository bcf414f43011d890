/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.file.CountersSnapshot;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * The processes' counters files as Prometheus metric families ({@link MetricNames}): each counter, histogram and
 * distinct error of each file, labelled with the file's {@code role}, {@code name} and {@code pid}, and each process's
 * liveness and heartbeat age. A counter whose label is a {@link CounterKind} with a {@code tier} is a message counter
 * ({@code kind}, {@code tier}, {@code pattern}); any other is an event, named by its label. Nothing is made up: a
 * family with no data point is left out, and a heartbeat or start time the file does not have is absent.
 *
 * <p>Stateless; allocates per call (it runs at scrape time, off every hot path).
 */
public final class CounterMetrics
{
    private static final Set<String> MESSAGE_KINDS = new HashSet<>();

    static
    {
        for (final CounterKind kind : CounterKind.values())
        {
            MESSAGE_KINDS.add(kind.name());
        }
    }

    private CounterMetrics()
    {
    }

    /**
     * @param snapshots the counters files as read.
     * @param nowMs     the wall clock (epoch ms) heartbeat ages are measured at.
     * @return their metric families.
     */
    public static List<MetricSnapshot> of(final List<CountersSnapshot> snapshots, final long nowMs)
    {
        final Family<CounterDataPointSnapshot> messages = new Family<>();
        final Family<CounterDataPointSnapshot> events = new Family<>();
        final Family<HistogramDataPointSnapshot> latency = new Family<>();
        final Family<CounterDataPointSnapshot> errors = new Family<>();
        final Family<GaugeDataPointSnapshot> up = new Family<>();
        final Family<GaugeDataPointSnapshot> heartbeatAge = new Family<>();
        final Family<GaugeDataPointSnapshot> startTime = new Family<>();

        for (final CountersSnapshot process : distinct(snapshots))
        {
            up.add(gauge(process(process).unique(up.taken, ""), process.alive() ? 1 : 0));
            if (process.heartbeatMs() > 0)
            {
                heartbeatAge.add(gauge(process(process).unique(heartbeatAge.taken, ""),
                    Math.max(0, nowMs - process.heartbeatMs()) / 1000.0));
            }
            if (process.startMs() > 0)
            {
                startTime.add(gauge(process(process).unique(startTime.taken, ""), process.startMs() / 1000.0));
            }
            for (final CountersSnapshot.Counter counter : process.counters())
            {
                final CounterLabel label = CounterLabel.parse(counter.label());
                final String kind = label.name().toUpperCase(Locale.ROOT);
                final boolean message = MESSAGE_KINDS.contains(kind) && label.attributes().containsKey("tier");
                final LabelSet labels = process(process);
                if (message)
                {
                    labels.add("kind", kind.toLowerCase(Locale.ROOT));
                }
                else
                {
                    labels.add("event", CounterLabel.identifier(label.name()));
                }
                label.attributes().forEach(labels::add);
                final Family<CounterDataPointSnapshot> family = message ? messages : events;
                family.add(CounterDataPointSnapshot.builder()
                    .labels(labels.unique(family.taken, String.valueOf(counter.id())))
                    .value(Math.max(0, counter.value()))
                    .build());
            }
            for (final CountersSnapshot.Histogram histogram : process.histograms())
            {
                final String measured = CounterLabel.identifier(histogram.name().replaceFirst("_ns$", ""));
                latency.add(histogram(process(process).add("histogram", measured)
                    .unique(latency.taken, histogram.name()), histogram));
            }
            for (final CountersSnapshot.DistinctError error : process.errors())
            {
                errors.add(CounterDataPointSnapshot.builder()
                    .labels(process(process).add("kind", error.kind()).unique(errors.taken, error.message()))
                    .value(Math.max(0, error.count()))
                    .build());
            }
        }

        final List<MetricSnapshot> families = new ArrayList<>();
        messages.addTo(families, points -> new CounterSnapshot(metadata(MetricNames.MESSAGES, "Messages by tier, " +
            "pattern and kind (sent, delivered, back_pressured: offers a full receiver refused, counted per attempt; " +
            "rejected), per process."), points));
        events.addTo(families, points -> new CounterSnapshot(metadata(MetricNames.EVENTS, "Every other counter of " +
            "a process's counters file, by event (its label as an identifier)."), points));
        latency.addTo(families, points -> new HistogramSnapshot(metadata(MetricNames.LATENCY, "Latencies the " +
            "processes measure (request/response, task hand-off...), in seconds."), points));
        errors.addTo(families, points -> new CounterSnapshot(metadata(MetricNames.ERRORS, "Occurrences of each " +
            "distinct error kind, per process."), points));
        up.addTo(families, points -> new GaugeSnapshot(metadata(MetricNames.UP, "1 while the process that writes " +
            "the counters file is alive, else 0."), points));
        heartbeatAge.addTo(families, points -> new GaugeSnapshot(metadata(MetricNames.HEARTBEAT_AGE, "Seconds " +
            "since the process's last heartbeat in its counters file (written about once a second while it runs)."),
            points));
        startTime.addTo(families, points -> new GaugeSnapshot(metadata(MetricNames.START_TIME, "When the process " +
            "created its counters file (Unix time)."), points));
        return families;
    }

    /**
     * One process per role, name and pid: a second file of the same (a stale one) would repeat every series, which
     * the exposition refuses. The one with the latest heartbeat is kept.
     */
    private static List<CountersSnapshot> distinct(final List<CountersSnapshot> snapshots)
    {
        final Map<String, CountersSnapshot> byProcess = new LinkedHashMap<>();
        for (final CountersSnapshot snapshot : snapshots)
        {
            byProcess.merge(snapshot.role() + "\u0000" + snapshot.name() + "\u0000" + snapshot.pid(), snapshot,
                (a, b) -> b.heartbeatMs() > a.heartbeatMs() ? b : a);
        }
        return new ArrayList<>(byProcess.values());
    }

    private static LabelSet process(final CountersSnapshot process)
    {
        return new LabelSet()
            .add("role", process.role().name().toLowerCase(Locale.ROOT))
            .add("name", process.name())
            .add("pid", String.valueOf(process.pid()));
    }

    private static GaugeDataPointSnapshot gauge(final Labels labels, final double value)
    {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /** Buckets in seconds; the model makes them cumulative on the way out, and needs a last bucket at +Inf. */
    private static HistogramDataPointSnapshot histogram(final Labels labels, final CountersSnapshot.Histogram histogram)
    {
        final long[] boundsNs = histogram.upperBoundsNs();
        final long[] counts = histogram.counts();
        final int n = Math.min(boundsNs.length, counts.length);
        final boolean endsAtInfinity = n > 0 && boundsNs[n - 1] == Long.MAX_VALUE;
        final double[] bounds = new double[endsAtInfinity ? n : n + 1];
        final long[] bucketCounts = new long[bounds.length];
        for (int i = 0; i < n; i++)
        {
            bounds[i] = boundsNs[i] == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : boundsNs[i] / 1e9;
            bucketCounts[i] = Math.max(0, counts[i]);
        }
        if (!endsAtInfinity)
        {
            // every recorded value is in a finite bucket: the +Inf bucket adds none
            bounds[n] = Double.POSITIVE_INFINITY;
        }
        return HistogramDataPointSnapshot.builder()
            .labels(labels)
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, bucketCounts))
            .sum(histogram.sumNs() / 1e9)
            .build();
    }

    /**
     * A family's data points, and the label sets they took.
     *
     * @param <T> the data points' type.
     */
    static final class Family<T>
    {
        final List<T> points = new ArrayList<>();
        final Set<Labels> taken = LabelSet.taken();

        void add(final T point)
        {
            points.add(point);
        }

        /** Adds the family to {@code families} when it has a data point. */
        void addTo(final List<MetricSnapshot> families, final Function<List<T>, MetricSnapshot> snapshot)
        {
            if (!points.isEmpty())
            {
                families.add(snapshot.apply(points));
            }
        }
    }

    static MetricMetadata metadata(final String name, final String help)
    {
        return new MetricMetadata(MetricNames.base(name), help);
    }
}
