/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The specification's success metrics ({@code success_metrics}) over one or more runs, each beside its target:
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>key</th><th>measurement</th><th>target</th></tr>
 *   <tr><td>handoff_success</td><td>work items reported on / work items sent</td><td>&gt; 95 %</td></tr>
 *   <tr><td>plan_accuracy</td><td>workflows completed with their plan unchanged / workflows</td><td>&gt; 90 %</td></tr>
 *   <tr><td>time_saved</td><td>1 - critical path / sequential sum of measured task durations</td>
 *       <td>&gt; 40 %</td></tr>
 *   <tr><td>time_saved_estimated</td><td>the same on the planning estimates</td><td>&gt; 40 %</td></tr>
 *   <tr><td>gate_compliance</td><td>gates evaluated on measurements / gates of completed phases</td><td>100 %</td></tr>
 *   <tr><td>execution_success</td><td>completed workflows / workflows</td><td>&gt; 95 %</td></tr>
 *   <tr><td>automatic_recovery</td><td>failures recovered without the Director / failures</td><td>&gt; 90 %</td></tr>
 * </table>
 * Over many runs the counts are summed, so a run weighs by its cases. A metric with no case is "not measured",
 * never a number. Immutable.
 *
 * @param runs    how many runs the metrics are over.
 * @param metrics the metrics, in the order above.
 */
public record SuccessMetrics(int runs, List<Metric> metrics)
{
    /**
     * One metric.
     *
     * @param key         its JSON name.
     * @param title       for people.
     * @param ratio       its counts.
     * @param target      the target, in percent.
     * @param atLeast     true when the target itself meets it (100 %), false when the value must exceed it.
     */
    public record Metric(String key, String title, Ratio ratio, double target, boolean atLeast)
    {
        /** @return the target as the specification writes it. */
        public String targetText()
        {
            return (atLeast ? "" : "> ") + String.format(Locale.ROOT, "%.0f %%", target);
        }

        /** @return whether the value meets the target; null when not measured. */
        public Boolean meetsTarget()
        {
            if (ratio.percent().isEmpty())
            {
                return null;
            }
            final double value = ratio.percent().getAsDouble();
            return atLeast ? value >= target : value > target;
        }
    }

    /** Copies. */
    public SuccessMetrics
    {
        metrics = List.copyOf(metrics);
    }

    /**
     * @param runs the runs, as kept.
     * @return their metrics, counts summed.
     */
    public static SuccessMetrics over(final List<RunMetrics> runs)
    {
        final List<Metric> metrics = new ArrayList<>();
        metrics.add(new Metric("handoff_success", "handoff success", sum(runs, RunMetrics::handoffs), 95, false));
        metrics.add(new Metric("plan_accuracy", "plan accuracy", sum(runs, RunMetrics::planUnchanged), 90, false));
        metrics.add(new Metric("time_saved", "time saved (measured)", sum(runs, RunMetrics::timeSaved), 40, false));
        metrics.add(new Metric("time_saved_estimated", "time saved (estimates)",
            sum(runs, RunMetrics::timeSavedEstimated), 40, false));
        metrics.add(new Metric("gate_compliance", "gate compliance", sum(runs, RunMetrics::gates), 100, true));
        metrics.add(new Metric("execution_success", "execution success", sum(runs, RunMetrics::execution), 95,
            false));
        metrics.add(new Metric("automatic_recovery", "automatic recovery", sum(runs, RunMetrics::recovery), 90,
            false));
        return new SuccessMetrics(runs.size(), metrics);
    }

    /**
     * @param key a metric's key.
     * @return the metric.
     * @throws IllegalArgumentException when there is none.
     */
    public Metric metric(final String key)
    {
        return metrics.stream().filter(m -> m.key().equals(key)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no success metric '" + key + "'"));
    }

    /**
     * @return as JSON-ready values: key to {@code {"percent": 96.8 or null, "of": n, "total": m, "target": "> 95 %",
     * "meets_target": true|false|null}}.
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (final Metric metric : metrics)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("percent", metric.ratio().percent().isPresent() ?
                Math.round(metric.ratio().percent().getAsDouble() * 10.0) / 10.0 : null);
            entry.put("of", metric.ratio().numerator());
            entry.put("total", metric.ratio().denominator());
            entry.put("target", metric.targetText());
            entry.put("meets_target", metric.meetsTarget());
            map.put(metric.key(), entry);
        }
        return map;
    }

    /**
     * @param indent put before each line.
     * @return one line per metric: title, value with its counts (or "not measured"), target and whether it is met.
     */
    public String table(final String indent)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Metric metric : metrics)
        {
            final Boolean meets = metric.meetsTarget();
            sb.append(indent).append(String.format(Locale.ROOT, "%-24s %-28s target %-7s %s%n", metric.title(),
                metric.ratio(), metric.targetText(), meets == null ? "" : meets ? "met" : "NOT met"));
        }
        return sb.toString();
    }

    private static Ratio sum(final List<RunMetrics> runs, final Function<RunMetrics, Ratio> part)
    {
        Ratio total = Ratio.NONE;
        for (final RunMetrics run : runs)
        {
            total = total.plus(part.apply(run));
        }
        return total;
    }
}
