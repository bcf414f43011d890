/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.prompt.TaskOutput;

/**
 * Measures a phase's merged work for its quality gates, as the orchestrator's own act: what agents reported about
 * their work never stands in for a measurement. Called on the runtime's measurement thread, one phase at a time.
 */
@FunctionalInterface
public interface PhaseMeasurer
{
    /**
     * What to measure.
     *
     * @param workflow  the workflow's name.
     * @param phaseId   the phase.
     * @param phaseName the phase's name, for people.
     * @param round     the measurement round of the phase, from 1.
     * @param tree      the merged work.
     * @param metrics   the metrics the phase's gates read.
     * @param outputs   what the phase's completed tasks left (summary, changed files), for a reviewer.
     * @param scope     what the run is about, in words.
     * @param performanceCommand the phase's performance command; empty for the measurer's own, if any.
     */
    record Request(String workflow, String phaseId, String phaseName, int round, Path tree, Set<Metric> metrics,
        Map<String, TaskOutput> outputs, String scope, String performanceCommand)
    {
        /** Validates and copies. */
        public Request
        {
            Objects.requireNonNull(phaseId, "phaseId");
            Objects.requireNonNull(tree, "tree");
            metrics = Set.copyOf(metrics);
            outputs = Map.copyOf(outputs);
            performanceCommand = performanceCommand == null ? "" : performanceCommand;
        }
    }

    /** Measures nothing: every metric "not measured", with the reason that no measurer is configured. */
    PhaseMeasurer NONE = request -> notMeasured(request.metrics(), "the runtime has no measurer configured");

    /**
     * @param request what to measure.
     * @return one entry per requested metric: a value with where it came from, or why there is none.
     * @throws InterruptedException when the run stops while a tool runs (the tool is stopped).
     */
    List<MeasuredMetric> measure(Request request) throws InterruptedException;

    /**
     * @param metrics metrics.
     * @param why     why none was measured.
     * @return each one not measured, for that reason.
     */
    static List<MeasuredMetric> notMeasured(final Set<Metric> metrics, final String why)
    {
        final List<MeasuredMetric> list = new ArrayList<>();
        for (final Metric metric : metrics)
        {
            list.add(new MeasuredMetric(metric, null, why, List.of()));
        }
        return list;
    }
}
