/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.orchestrator.metrics.MetricsFile;
import dev.switchboard.orchestrator.metrics.SuccessMetrics;

/**
 * The success metrics over the runs kept in a metrics file ({@code switchboard metrics} shows the same), as the
 * monitoring server serves them: read again only when the file's size or time changed, since the status page asks once
 * a second. A file that cannot be read is said ({@link OrchestratorView.SuccessMetrics#problem()}), never read as
 * zeros; no file is no run.
 *
 * <p>Thread-safety: synchronized.
 */
final class KeptSuccessMetrics
{
    private final MetricsFile file;
    private Object seen;
    private OrchestratorView.SuccessMetrics metrics;

    /** @param path the metrics file ({@code --metrics-file}, else {@code OrchestratorContext.metricsFile()}). */
    KeptSuccessMetrics(final Path path)
    {
        this.file = new MetricsFile(path);
    }

    /** @return the metrics over every run kept now. */
    synchronized OrchestratorView.SuccessMetrics read()
    {
        Object version;
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
            version = List.of(attributes.size(), attributes.lastModifiedTime().toMillis());
        }
        catch (final NoSuchFileException ex)
        {
            version = "none";
        }
        catch (final IOException ex)
        {
            return OrchestratorView.SuccessMetrics.unreadable(file.path() + ": " + ex.getMessage());
        }
        if (metrics != null && version.equals(seen))
        {
            return metrics;
        }
        try
        {
            final SuccessMetrics over = SuccessMetrics.over(file.read());
            final List<OrchestratorView.SuccessMetric> list = new ArrayList<>();
            for (final SuccessMetrics.Metric metric : over.metrics())
            {
                list.add(new OrchestratorView.SuccessMetric(metric.key(), metric.title(), metric.ratio().numerator(),
                    metric.ratio().denominator(), metric.target(), metric.atLeast()));
            }
            metrics = new OrchestratorView.SuccessMetrics(over.runs(), list, "");
        }
        catch (final IOException | RuntimeException ex)
        {
            metrics = OrchestratorView.SuccessMetrics.unreadable(ex.getMessage());
        }
        seen = version;
        return metrics;
    }
}
