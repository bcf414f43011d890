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
        if (null == tag || tag.isEmpty() || tag.chars().anyMatch(c -> ',' == c || Character.isWhitespace(c)))
        {
            throw new IllegalArgumentException(
                "an hlog tag must be non-empty without whitespace or commas (they delimit the log line), was '" +
                tag + "'");
        }

        final long startMs = histogram.getStartTimeStamp() > 0 ?
            histogram.getStartTimeStamp() : System.currentTimeMillis();
        final long endMs = Math.max(startMs, histogram.getEndTimeStamp());
        final Histogram tagged = histogram.copy();
        tagged.setTag(tag);

        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file);
            PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(print);
            writer.outputComment("Switchboard bench harness: " + tag + ", values in ns");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            writer.outputBaseTime(startMs);
            writer.outputLegend();
            writer.outputIntervalHistogram(0.0, (endMs - startMs) / 1000.0, tagged);
            print.flush();
            if (print.checkError())
            {
                throw new IOException("cannot write the HdrHistogram log " + file);
            }
        }
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
        final Histogram total = newHistogram();
        total.setAutoResize(true);
        long startMs = Long.MAX_VALUE;
        long endMs = 0;
        int intervals = 0;
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
                total.add(histogram);
                startMs = Math.min(startMs, histogram.getStartTimeStamp());
                endMs = Math.max(endMs, histogram.getEndTimeStamp());
                intervals++;
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(file + " is not a readable HdrHistogram log: " + ex, ex);
        }

        if (0 == intervals)
        {
            throw new IOException(file + " holds no interval histogram");
        }
        total.setStartTimeStamp(startMs);
        total.setEndTimeStamp(endMs);
        return total;
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
        return new LatencyResult(
            method,
            payloadLength,
            ratePerSecond,
            histogram.getTotalCount(),
            hlogRelPath,
            histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(90.0),
            histogram.getValueAtPercentile(99.0),
            histogram.getValueAtPercentile(99.9),
            histogram.getMaxValue(),
            histogram.getMean());
    }
}
