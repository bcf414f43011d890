/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.monitoring.OrchestratorView;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * The orchestrator's state as metric families: workflows by status, each workflow's progress and tasks by state, each
 * phase's gate state and evaluations, and the success metrics beside their targets. A success metric with no case
 * has no value (its ratio is absent; its cases, 0, are served).
 *
 * <p>Stateless; allocates per call.
 */
public final class OrchestratorMetrics
{
    private OrchestratorMetrics()
    {
    }

    /**
     * @param view the orchestrator's state.
     * @return its metric families.
     */
    public static List<MetricSnapshot> of(final OrchestratorView view)
    {
        final List<MetricSnapshot> families = new ArrayList<>();
        final List<OrchestratorView.Workflow> workflows = view.workflows();
        if (workflows != null && !workflows.isEmpty())
        {
            workflows(workflows, families);
        }
        final OrchestratorView.SuccessMetrics success = view.successMetrics();
        if (success != null && success.problem().isEmpty())
        {
            success(success, families);
        }
        return families;
    }

    private static void workflows(final List<OrchestratorView.Workflow> workflows, final List<MetricSnapshot> families)
    {
        final Map<String, Integer> byStatus = new LinkedHashMap<>();
        final List<GaugeDataPointSnapshot> progress = new ArrayList<>();
        final List<GaugeDataPointSnapshot> tasks = new ArrayList<>();
        final List<GaugeDataPointSnapshot> gates = new ArrayList<>();
        final List<CounterDataPointSnapshot> evaluations = new ArrayList<>();
        for (final OrchestratorView.Workflow workflow : workflows)
        {
            byStatus.merge(workflow.status(), 1, Integer::sum);
            progress.add(gauge(Labels.of("workflow", workflow.id()), workflow.percent()));
            final Map<String, Integer> byState = new LinkedHashMap<>();
            workflow.tasks().forEach(task -> byState.merge(task.state(), 1, Integer::sum));
            byState.forEach((state, count) ->
                tasks.add(gauge(Labels.of("workflow", workflow.id(), "state", state), count)));
            for (final OrchestratorView.Gate gate : workflow.gates())
            {
                gates.add(gauge(Labels.of("workflow", workflow.id(), "phase", gate.phase(), "state", gate.state()), 1));
                evaluations.add(counter(Labels.of("workflow", workflow.id(), "phase", gate.phase(), "result",
                    "passed"), gate.passed()));
                evaluations.add(counter(Labels.of("workflow", workflow.id(), "phase", gate.phase(), "result",
                    "failed"), gate.failed()));
            }
        }
        final List<GaugeDataPointSnapshot> statuses = new ArrayList<>();
        byStatus.forEach((status, count) -> statuses.add(gauge(Labels.of("status", status), count)));
        families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.WORKFLOWS, "Workflows of this process " +
            "by status."), statuses));
        families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.WORKFLOW_PROGRESS, "How far each " +
            "workflow has got, in percent (weighted by the tasks' estimates)."), progress));
        if (!tasks.isEmpty())
        {
            families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.WORKFLOW_TASKS, "Tasks of each " +
                "workflow by state."), tasks));
        }
        if (!gates.isEmpty())
        {
            families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.GATE_STATE, "1 for each phase's " +
                "current quality gate state."), gates));
            families.add(new CounterSnapshot(CounterMetrics.metadata(MetricNames.GATE_EVALUATIONS, "Quality gate " +
                "evaluations of each phase by result."), evaluations));
        }
    }

    private static void success(final OrchestratorView.SuccessMetrics success, final List<MetricSnapshot> families)
    {
        final List<GaugeDataPointSnapshot> ratios = new ArrayList<>();
        final List<GaugeDataPointSnapshot> targets = new ArrayList<>();
        final List<GaugeDataPointSnapshot> cases = new ArrayList<>();
        for (final OrchestratorView.SuccessMetric metric : success.metrics())
        {
            final Labels labels = Labels.of("metric", metric.key());
            if (metric.measured())
            {
                ratios.add(gauge(labels, metric.ratio()));
            }
            targets.add(gauge(labels, metric.targetPercent() / 100.0));
            cases.add(gauge(labels, metric.cases()));
        }
        families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.SUCCESS_RUNS, "Runs the success " +
            "metrics are over (the metrics file's)."), List.of(gauge(Labels.EMPTY, success.runs()))));
        if (!ratios.isEmpty())
        {
            families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.SUCCESS_RATIO, "Each success " +
                "metric's value, 0 to 1; absent while it has no case."), ratios));
        }
        if (!targets.isEmpty())
        {
            families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.SUCCESS_TARGET, "Each success " +
                "metric's target, 0 to 1."), targets));
            families.add(new GaugeSnapshot(CounterMetrics.metadata(MetricNames.SUCCESS_CASES, "The cases each " +
                "success metric is measured on."), cases));
        }
    }

    private static GaugeDataPointSnapshot gauge(final Labels labels, final double value)
    {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterDataPointSnapshot counter(final Labels labels, final double value)
    {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
