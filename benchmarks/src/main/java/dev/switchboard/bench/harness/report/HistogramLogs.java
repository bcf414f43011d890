/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the harness's HdrHistogram logs back into one histogram per log: the sum of every interval in it.
 */
final class HistogramLogs
{
    private static final int SIGNIFICANT_DIGITS = 3;

    private HistogramLogs()
    {
    }

    /**
     * @param runDir  the run directory.
     * @param hlogFile the log, relative to it (as in {@code LatencyResult.hlogFile}); may be null.
     * @return every interval added up, or empty when there is no log or it holds no values.
     * @throws IOException when the log exists but cannot be read.
     */
    static Optional<Histogram> sum(final Path runDir, final String hlogFile) throws IOException
    {
        if (null == hlogFile || hlogFile.isBlank())
        {
            return Optional.empty();
        }
        final Path log = runDir.resolve(hlogFile);
        if (!Files.isRegularFile(log))
        {
            return Optional.empty();
        }
        final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
        try (HistogramLogReader reader = new HistogramLogReader(log.toFile()))
        {
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram()))
            {
                if (interval instanceof final AbstractHistogram h)
                {
                    total.add(h);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot read HdrHistogram log " + log + ": " + ex, ex);
        }
        return 0 == total.getTotalCount() ? Optional.empty() : Optional.of(total);
    }
}
