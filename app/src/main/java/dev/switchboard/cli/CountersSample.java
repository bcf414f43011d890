/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;

/**
 * Every counters file of some shm dirs read at one instant, and the rates between two such samples: what {@code stat}
 * shows.
 *
 * @param shmDirs   where the files were looked for.
 * @param nanoTime  when ({@link System#nanoTime()}: rates are computed from it).
 * @param epochMs   when (wall clock: heartbeat ages, uptimes).
 * @param snapshots every file read.
 * @param skipped   every file that could not be read, with why.
 */
record CountersSample(
    List<Path> shmDirs, long nanoTime, long epochMs, List<CountersSnapshot> snapshots,
    List<CountersFiles.Skipped> skipped)
{
    /**
     * Read every counters file of the shm dirs now. Never throws for a bad file.
     *
     * @param shmDirs where to look.
     * @return the sample.
     */
    static CountersSample take(final List<Path> shmDirs)
    {
        final List<CountersSnapshot> snapshots = new ArrayList<>();
        final List<CountersFiles.Skipped> skipped = new ArrayList<>();
        final long nanoTime = System.nanoTime();
        for (final Path shmDir : shmDirs)
        {
            final CountersFiles.Scan scan = CountersFiles.scan(shmDir);
            snapshots.addAll(scan.snapshots());
            skipped.addAll(scan.skipped());
        }
        return new CountersSample(shmDirs, nanoTime, System.currentTimeMillis(), List.copyOf(snapshots),
            List.copyOf(skipped));
    }

    /**
     * @param snapshot a file of this sample.
     * @return a key naming the same process's file in another sample (its path and pid).
     */
    static String key(final CountersSnapshot snapshot)
    {
        return snapshot.file() + "#" + snapshot.pid();
    }

    /**
     * @return this sample's snapshots by {@link #key}.
     */
    Map<String, CountersSnapshot> byKey()
    {
        final Map<String, CountersSnapshot> map = new HashMap<>();
        for (final CountersSnapshot snapshot : snapshots)
        {
            map.put(key(snapshot), snapshot);
        }
        return map;
    }

    /**
     * @param previous an earlier sample, or null.
     * @return seconds between the two, or 0 when there is no earlier one.
     */
    double secondsSince(final CountersSample previous)
    {
        return previous == null ? 0 : (nanoTime - previous.nanoTime) / 1e9;
    }

    /**
     * The rate of a counter since an earlier snapshot of the same file.
     *
     * @param now     the counter now.
     * @param before  the same file earlier, or null.
     * @param seconds the time between them.
     * @return per second; null when there is no earlier value (or no time between); 0 when it went down (a reset).
     */
    static Double rate(final CountersSnapshot.Counter now, final CountersSnapshot before, final double seconds)
    {
        if (before == null || seconds <= 0 || now.id() >= before.counters().size() ||
            before.counters().get(now.id()).id() != now.id())
        {
            return null;
        }
        final long delta = now.value() - before.counters().get(now.id()).value();
        return delta < 0 ? 0.0 : delta / seconds;
    }

    /**
     * @param histogram a histogram.
     * @return its count: every bucket's added up.
     */
    static long count(final CountersSnapshot.Histogram histogram)
    {
        long total = 0;
        for (final long c : histogram.counts())
        {
            total += c;
        }
        return total;
    }

    /**
     * A percentile read from the buckets: the upper bound of the bucket that holds it (so at most a bucket's width,
     * 25 %, above the truth).
     *
     * @param histogram a histogram.
     * @param quantile  0 .. 1.
     * @return ns; 0 for an empty histogram; {@link Long#MAX_VALUE} when it is in the overflow bucket.
     */
    static long percentileNs(final CountersSnapshot.Histogram histogram, final double quantile)
    {
        final long total = count(histogram);
        if (total == 0)
        {
            return 0;
        }
        final long rank = Math.max(1, (long)Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < histogram.counts().length; i++)
        {
            seen += histogram.counts()[i];
            if (seen >= rank)
            {
                return histogram.upperBoundsNs()[i];
            }
        }
        return histogram.upperBoundsNs()[histogram.upperBoundsNs().length - 1];
    }

    /**
     * @param now     a histogram now.
     * @param before  the same file earlier, or null.
     * @param seconds the time between them.
     * @return values recorded per second; null without an earlier sample.
     */
    static Double histogramRate(final CountersSnapshot.Histogram now, final CountersSnapshot before, final double seconds)
    {
        if (before == null || seconds <= 0)
        {
            return null;
        }
        for (final CountersSnapshot.Histogram h : before.histograms())
        {
            if (h.name().equals(now.name()))
            {
                final long delta = count(now) - count(h);
                return delta < 0 ? 0.0 : delta / seconds;
            }
        }
        return count(now) / seconds;
    }
}
