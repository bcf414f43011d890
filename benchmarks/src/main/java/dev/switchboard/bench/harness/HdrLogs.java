/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the harness holds, stores and summarises a latency distribution, so every case and the report agree on it:
 * <ul>
 *   <li>{@link #newHistogram()}: the one histogram shape, values in nanoseconds from {@value #LOWEST_TRACKABLE_NS}
 *       ns to 60 s at {@value #SIGNIFICANT_DIGITS} significant digits (a value is stored within 0.1 %).</li>
 *   <li>{@link #write}: one distribution as an HdrHistogram log (the text format of {@link HistogramLogWriter}:
 *       a comment, format version, start and base time, legend, then one tagged interval histogram, compressed and
 *       base64-encoded). {@code HistogramLogProcessor} and other HdrHistogram tools read it as it is.</li>
 *   <li>{@link #read}: a log back as one histogram, all its intervals added up.</li>
 *   <li>{@link #summarise}: a histogram as the {@link LatencyResult} the run's JSON carries.</li>
 * </ul>
 * Values are recorded raw: coordinated omission is corrected by how a case measures (one-way messages are stamped
 * with their intended send time), never by {@code recordValueWithExpectedInterval}.
 *
 * <p>Stateless and thread-safe. Everything here allocates (histograms, files): call it before and after a measured
 * phase, never inside one.
 */
public final class HdrLogs
{
    /** Smallest value told apart from zero, ns. */
    public static final long LOWEST_TRACKABLE_NS = 1;

    /** Largest value a harness histogram holds, ns: 60 s, far beyond any stall the harness tolerates. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    /** Decimal digits kept of every value: 3, so a value is off by at most 0.1 %. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private HdrLogs()
    {
    }

    /**
     * @return an empty histogram of the harness's shape (1 ns to 60 s, 3 significant digits, no auto-resize:
     * recording a larger value throws {@link ArrayIndexOutOfBoundsException}). Not thread-safe, as any
     * {@link Histogram}.
     */
    public static Histogram newHistogram()
    {
        return new Histogram(LOWEST_TRACKABLE_NS, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * Writes {@code histogram} as an HdrHistogram log of one interval, replacing {@code file} and creating its
     * parent directories. The interval spans the histogram's start and end time stamps (epoch ms) when it has them,
     * else it is stamped with the time of writing. The histogram itself is not changed (the tag goes on a copy).
     *
     * @param histogram values in ns.
     * @param file      the log to write, conventionally {@code *.hlog}.
     * @param tag       names the interval in the log ({@code sb-critical.pingpong.32}): no whitespace, no commas.
     * @throws IOException when the file cannot be written.
     * @throws IllegalArgumentException when the tag is empty or holds whitespace or a comma.
     */
    public static void write(final Histogram histogram, final Path file, final String tag) throws IOException
    {
        writeRounds(List.of(histogram), file, tag);
    }

    /**
     * Writes one interval per round, in order, all under one tag (one series, as HdrHistogram's tools expect), into
     * a new log at {@code file}. Each interval spans its histogram's start and end time stamps (epoch ms) when it
     * has them, else the time of writing. The histograms are not changed.
     *
     * @param rounds values in ns, one histogram per round, at least one.
     * @param file   the log to write, conventionally {@code *.hlog}.
     * @param tag    names the series: no whitespace, no commas.
     * @throws IOException when the file cannot be written.
     * @throws IllegalArgumentException when the tag is empty or holds whitespace or a comma, or no round is given.
     */
    public static void writeRounds(final List<Histogram> rounds, final Path file, final String tag) throws IOException
    {
        if (null == tag || tag.isEmpty() || tag.chars().anyMatch(c -> ',' == c || Character.isWhitespace(c)))
        {
            throw new IllegalArgumentException(
                "an hlog tag must be non-empty without whitespace or commas (they delimit the log line), was '" +
                tag + "'");
        }
        if (rounds.isEmpty())
        {
            throw new IllegalArgumentException("no round to write to " + file);
        }
        final long now = System.currentTimeMillis();
        final long baseMs = rounds.stream().mapToLong(h -> h.getStartTimeStamp() > 0 ? h.getStartTimeStamp() : now)
            .min().orElse(now);

        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file);
            PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(print);
            writer.outputComment("Switchboard bench harness: " + tag + ", values in ns, " + rounds.size() +
                (rounds.size() == 1 ? " interval" : " intervals, one per round"));
            writer.outputLogFormatVersion();
            writer.outputStartTime(baseMs);
            writer.setBaseTime(baseMs);
            writer.outputBaseTime(baseMs);
            writer.outputLegend();
            for (final Histogram h : rounds)
            {
                final long startMs = h.getStartTimeStamp() > 0 ? h.getStartTimeStamp() : now;
                final long endMs = Math.max(startMs, h.getEndTimeStamp());
                final Histogram tagged = h.copy();
                tagged.setTag(tag);
                writer.outputIntervalHistogram((startMs - baseMs) / 1000.0, (endMs - baseMs) / 1000.0, tagged);
            }
            print.flush();
            if (print.checkError())
            {
                throw new IOException("cannot write the HdrHistogram log " + file);
            }
        }
    }

    /**
     * @param rounds histograms of the harness's shape.
     * @return a new histogram holding every value of them, spanning their time stamps.
     */
    public static Histogram sum(final List<Histogram> rounds)
    {
        final Histogram total = newHistogram();
        total.setAutoResize(true);
        long startMs = Long.MAX_VALUE;
        long endMs = 0;
        for (final Histogram h : rounds)
        {
            total.add(h);
            startMs = Math.min(startMs, h.getStartTimeStamp());
            endMs = Math.max(endMs, h.getEndTimeStamp());
        }
        total.setStartTimeStamp(startMs == Long.MAX_VALUE ? 0 : startMs);
        total.setEndTimeStamp(endMs);
        return total;
    }

    /**
     * Reads an HdrHistogram log and adds up all its intervals, whatever their tags.
     *
     * @param file a log of integer histograms, as {@link #write} makes.
     * @return a new histogram (the harness's shape, auto-resizing should a log hold larger values) whose start and
     * end time stamps span the intervals read.
     * @throws IOException when the file cannot be read, is not a log of integer histograms, or holds no interval.
     */
    public static Histogram read(final Path file) throws IOException
    {
        return sum(readRounds(file));
    }

    /**
     * Reads an HdrHistogram log's intervals one by one: a log the harness wrote holds one per round.
     *
     * @param file a log of integer histograms, as {@link #writeRounds} makes.
     * @return the intervals, in file order, each with its own start and end time stamps.
     * @throws IOException when the file cannot be read, is not a log of integer histograms, or holds no interval.
     */
    public static List<Histogram> readRounds(final Path file) throws IOException
    {
        final List<Histogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile()))
        {
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram()))
            {
                if (!(interval instanceof Histogram histogram))
                {
                    throw new IOException(file + " holds a " + interval.getClass().getSimpleName() +
                        "; the harness reads logs of integer (ns) histograms");
                }
                intervals.add(histogram);
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(file + " is not a readable HdrHistogram log: " + ex, ex);
        }
        if (intervals.isEmpty())
        {
            throw new IOException(file + " holds no interval histogram");
        }
        return intervals;
    }

    /**
     * @param method        how the values were measured.
     * @param payloadLength bytes per message.
     * @param ratePerSecond the fixed send rate of a one-way run; 0 for ping-pong.
     * @param histogram     values in ns; {@code samples} is its total count.
     * @param hlogRelPath   where its log is, relative to the run directory.
     * @return the summary the run's JSON and the report carry: p50, p90, p99, p99.9 and max as HdrHistogram reports
     * them (the highest value equivalent to the recorded one, within 0.1 %), and the mean; all 0 when empty.
     */
    public static LatencyResult summarise(
        final LatencyResult.Method method, final int payloadLength, final long ratePerSecond,
        final Histogram histogram, final String hlogRelPath)
    {
        return summarise(method, payloadLength, ratePerSecond, List.of(histogram), hlogRelPath, 0);
    }

    /**
     * @param method        how the values were measured.
     * @param payloadLength bytes per message.
     * @param ratePerSecond the fixed send rate of a one-way run; 0 for ping-pong.
     * @param rounds        values in ns, one histogram per round (the log's intervals).
     * @param hlogRelPath   where its log is, relative to the run directory.
     * @param targetSamples samples the profile asked for (0 when unknown).
     * @return the summary the run's JSON and the report carry: the rounds pooled (p50, p90, p99, p99.9, max as
     * HdrHistogram reports them, within 0.1 %, and the mean), and each round's own percentiles when there is more
     * than one.
     */
    public static LatencyResult summarise(
        final LatencyResult.Method method, final int payloadLength, final long ratePerSecond,
        final List<Histogram> rounds, final String hlogRelPath, final long targetSamples)
    {
        final Histogram all = sum(rounds);
        final List<LatencyResult.Round> perRound = new ArrayList<>();
        if (rounds.size() > 1)
        {
            for (final Histogram h : rounds)
            {
                perRound.add(new LatencyResult.Round(h.getTotalCount(), h.getValueAtPercentile(50.0),
                    h.getValueAtPercentile(90.0), h.getValueAtPercentile(99.0), h.getValueAtPercentile(99.9),
                    h.getMaxValue()));
            }
        }
        return new LatencyResult(
            method,
            payloadLength,
            ratePerSecond,
            all.getTotalCount(),
            hlogRelPath,
            all.getValueAtPercentile(50.0),
            all.getValueAtPercentile(90.0),
            all.getValueAtPercentile(99.0),
            all.getValueAtPercentile(99.9),
            all.getMaxValue(),
            all.getMean(),
            targetSamples,
            List.copyOf(perRound));
    }
}
