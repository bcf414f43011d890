/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * The bridge between what {@link RepositoryAnalysis#metrics()} measured and what the
 * {@link dev.switchboard.orchestrator.gates.GateEvaluator} reads: an analysis metric feeds the gate metric of the
 * same name. Analysis metrics without a gate metric are left out; gate metrics the analysis does not measure
 * (vulnerabilities, latency, memory) stay absent, so their thresholds read as not measured.
 *
 * <p>Stateless and thread-safe; each call allocates its map.
 */
public final class GateMeasurements
{
    private GateMeasurements()
    {
    }

    /**
     * @param analysis what was measured.
     * @return the measured values by gate metric, unmodifiable.
     */
    public static Map<Metric, Double> of(final RepositoryAnalysis analysis)
    {
        final Map<Metric, Double> measured = new EnumMap<>(Metric.class);
        for (final Map.Entry<String, Double> entry : analysis.metrics().entrySet())
        {
            for (final Metric metric : Metric.values())
            {
                if (metric.name().equals(entry.getKey()))
                {
                    measured.put(metric, entry.getValue());
                }
            }
        }
        return Collections.unmodifiableMap(measured);
    }
}
