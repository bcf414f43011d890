/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;

/**
 * What {@code stat} prints of a sample (and the rates since the one before): a table per process, or one JSON
 * document.
 *
 * <p>Stateless; allocates freely (a terminal view refreshed once a second).
 */
final class StatView
{
    private StatView()
    {
    }

    /**
     * The table: a header line per process (role, name, pid, uptime, heartbeat age), then its non-zero counters with
     * their rate per second and its histograms' counts and percentiles.
     *
     * @param now      the sample.
     * @param previous the sample before, or null (no rates).
     * @param filter   only counters and histograms whose label or name contains this (any case), or null.
     * @return the text.
     */
    static String table(final CountersSample now, final CountersSample previous, final String filter)
    {
        final StringBuilder sb = new StringBuilder();
        final double seconds = now.secondsSince(previous);
        final Map<String, CountersSnapshot> before = previous == null ? Map.of() : previous.byKey();
        sb.append(String.format(Locale.ROOT, "switchboard stat: %d process%s in %s%s%n", now.snapshots().size(),
            now.snapshots().size() == 1 ? "" : "es", dirs(now),
            seconds > 0 ? String.format(Locale.ROOT, ", rates over %.1f s", seconds) : ""));
        if (now.snapshots().isEmpty())
        {
            sb.append("  no counters files: is a router or an agent running with this runtime directory?")
                .append(System.lineSeparator());
        }
        for (final CountersSnapshot s : now.snapshots())
        {
            final CountersSnapshot earlier = before.get(CountersSample.key(s));
            sb.append(String.format(Locale.ROOT, "%-12s %-28s pid %-8d %s%n", s.role(), s.name(), s.pid(),
                s.alive() ? "up " + duration(now.epochMs() - s.startMs()) + ", heartbeat " +
                    age(now.epochMs() - s.heartbeatMs()) + " ago" :
                    "NOT RUNNING (last heartbeat " + age(now.epochMs() - s.heartbeatMs()) + " ago)"));
            int shown = 0;
            for (final CountersSnapshot.Counter c : s.counters())
            {
                if (c.value() != 0 && matches(c.label(), filter))
                {
                    final Double rate = CountersSample.rate(c, earlier, seconds);
                    sb.append(String.format(Locale.ROOT, "  %-52s %,16d %14s%n", c.label(), c.value(),
                        rate == null ? "" : String.format(Locale.ROOT, "%,.1f/s", rate)));
                    shown++;
                }
            }
            for (final CountersSnapshot.Histogram h : s.histograms())
            {
                final long count = CountersSample.count(h);
                if (count != 0 && matches(h.name(), filter))
                {
                    final Double rate = CountersSample.histogramRate(h, earlier, seconds);
                    sb.append(String.format(Locale.ROOT, "  %-52s %,16d %14s%n", h.name() + " (count)", count,
                        rate == null ? "" : String.format(Locale.ROOT, "%,.1f/s", rate)));
                    sb.append(String.format(Locale.ROOT, "      p50 <= %s  p90 <= %s  p99 <= %s  p99.9 <= %s  mean %s%n",
                        nanos(CountersSample.percentileNs(h, 0.50)), nanos(CountersSample.percentileNs(h, 0.90)),
                        nanos(CountersSample.percentileNs(h, 0.99)), nanos(CountersSample.percentileNs(h, 0.999)),
                        nanos(h.sumNs() / count)));
                    shown++;
                }
            }
            if (shown == 0)
            {
                sb.append(filter == null ? "  (every counter is 0)" : "  (no non-zero counter matches '" + filter + "')")
                    .append(System.lineSeparator());
            }
            if (!s.errors().isEmpty())
            {
                final long total = s.errors().stream().mapToLong(CountersSnapshot.DistinctError::count).sum();
                sb.append(String.format(Locale.ROOT, "  %d error kind%s, %,d error%s: switchboard errors%n",
                    s.errors().size(), s.errors().size() == 1 ? "" : "s", total, total == 1 ? "" : "s"));
            }
        }
        for (final CountersFiles.Skipped skipped : now.skipped())
        {
            sb.append("skipped ").append(skipped.file()).append(": ").append(skipped.reason())
                .append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * The JSON document: every process's snapshot, with rates when there is an earlier sample.
     *
     * @param now      the sample.
     * @param previous the sample before, or null.
     * @param filter   only counters and histograms whose label or name contains this, or null.
     * @return a map for Jackson.
     */
    static Map<String, Object> json(final CountersSample now, final CountersSample previous, final String filter)
    {
        final double seconds = now.secondsSince(previous);
        final Map<String, CountersSnapshot> before = previous == null ? Map.of() : previous.byKey();
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("shm_dirs", now.shmDirs().stream().map(Object::toString).toList());
        doc.put("sampled_at_ms", now.epochMs());
        doc.put("rates_over_ms", seconds > 0 ? Math.round(seconds * 1000) : null);
        final List<Map<String, Object>> processes = new ArrayList<>();
        for (final CountersSnapshot s : now.snapshots())
        {
            final CountersSnapshot earlier = before.get(CountersSample.key(s));
            final Map<String, Object> p = process(s, now.epochMs());
            final List<Map<String, Object>> counters = new ArrayList<>();
            for (final CountersSnapshot.Counter c : s.counters())
            {
                if (matches(c.label(), filter))
                {
                    final Map<String, Object> counter = new LinkedHashMap<>();
                    counter.put("id", c.id());
                    counter.put("type_id", c.typeId());
                    counter.put("label", c.label());
                    counter.put("value", c.value());
                    counter.put("rate_per_s", CountersSample.rate(c, earlier, seconds));
                    counters.add(counter);
                }
            }
            p.put("counters", counters);
            final List<Map<String, Object>> histograms = new ArrayList<>();
            for (final CountersSnapshot.Histogram h : s.histograms())
            {
                if (matches(h.name(), filter))
                {
                    final Map<String, Object> histogram = new LinkedHashMap<>();
                    histogram.put("name", h.name());
                    histogram.put("count", CountersSample.count(h));
                    histogram.put("sum_ns", h.sumNs());
                    histogram.put("p50_ns", CountersSample.percentileNs(h, 0.50));
                    histogram.put("p99_ns", CountersSample.percentileNs(h, 0.99));
                    histogram.put("rate_per_s", CountersSample.histogramRate(h, earlier, seconds));
                    histogram.put("upper_bounds_ns", h.upperBoundsNs());
                    histogram.put("counts", h.counts());
                    histograms.add(histogram);
                }
            }
            p.put("histograms", histograms);
            p.put("errors", errors(s));
            processes.add(p);
        }
        doc.put("processes", processes);
        doc.put("skipped", skipped(now));
        return doc;
    }

    /**
     * @param s   a snapshot.
     * @param nowMs now (epoch ms).
     * @return its identity and liveness, as both commands' JSON has them.
     */
    static Map<String, Object> process(final CountersSnapshot s, final long nowMs)
    {
        final Map<String, Object> p = new LinkedHashMap<>();
        p.put("role", s.role().name().toLowerCase(Locale.ROOT));
        p.put("name", s.name());
        p.put("pid", s.pid());
        p.put("alive", s.alive());
        p.put("file", s.file().toString());
        p.put("start_ms", s.startMs());
        p.put("uptime_ms", nowMs - s.startMs());
        p.put("heartbeat_ms", s.heartbeatMs());
        p.put("heartbeat_age_ms", nowMs - s.heartbeatMs());
        return p;
    }

    /**
     * @param s a snapshot.
     * @return its distinct errors for JSON.
     */
    static List<Map<String, Object>> errors(final CountersSnapshot s)
    {
        final List<Map<String, Object>> errors = new ArrayList<>();
        for (final CountersSnapshot.DistinctError e : s.errors())
        {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", e.kind());
            error.put("count", e.count());
            error.put("first_ms", e.firstMs());
            error.put("last_ms", e.lastMs());
            error.put("message", e.message());
            errors.add(error);
        }
        return errors;
    }

    /**
     * @param sample a sample.
     * @return the files it skipped, for JSON.
     */
    static List<Map<String, Object>> skipped(final CountersSample sample)
    {
        final List<Map<String, Object>> skipped = new ArrayList<>();
        for (final CountersFiles.Skipped s : sample.skipped())
        {
            skipped.add(Map.of("file", s.file().toString(), "reason", String.valueOf(s.reason())));
        }
        return skipped;
    }

    /**
     * @param sample a sample.
     * @return its shm dirs' counters directories, comma-separated.
     */
    static String dirs(final CountersSample sample)
    {
        return String.join(", ", sample.shmDirs().stream().map(d -> CountersFiles.directory(d).toString()).toList());
    }

    private static boolean matches(final String label, final String filter)
    {
        return filter == null || label.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT));
    }

    /**
     * @param ms a duration.
     * @return it as {@code 1d 02:03:04} / {@code 02:03:04}.
     */
    static String duration(final long ms)
    {
        final Duration d = Duration.ofMillis(Math.max(0, ms));
        final String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(),
            d.toSecondsPart());
        return d.toDays() > 0 ? d.toDays() + "d " + hms : hms;
    }

    /**
     * @param ms an age.
     * @return it in seconds with one decimal, or minutes and hours when long.
     */
    static String age(final long ms)
    {
        if (ms < 0)
        {
            return "0.0 s";
        }
        if (ms < 120_000)
        {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return duration(ms);
    }

    /**
     * @param ns a latency.
     * @return it in ns, µs, ms or s, three significant digits.
     */
    static String nanos(final long ns)
    {
        if (ns == Long.MAX_VALUE)
        {
            return "inf";
        }
        if (ns < 1_000)
        {
            return ns + " ns";
        }
        if (ns < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.3g us", ns / 1e3);
        }
        if (ns < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.3g ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", ns / 1e9);
    }
}
