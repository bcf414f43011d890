/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.util.List;
import java.util.Map;

/**
 * What the orchestrator in this process knows: its workflows (with their task graph, progress and quality gates) and
 * the specification's success metrics over the runs kept. The application adapts the orchestrator's own types to
 * these records, so that this module does not depend on the orchestrator. Absent when no orchestrator runs here.
 *
 * <p>Thread-safety: called from the server's threads while the orchestrator runs on its own; an implementation
 * returns values that it published safely.
 */
public interface OrchestratorView
{
    /**
     * @return the workflows of this process, running or finished; null when this process runs none (a router alone,
     * which serves the success metrics kept but no workflow).
     */
    List<Workflow> workflows();

    /**
     * @return the success metrics over the runs kept, each measured or not; none when they cannot be read (the
     * reason in {@link SuccessMetrics#problem()}).
     */
    SuccessMetrics successMetrics();

    /**
     * A workflow.
     *
     * @param id         its instance id.
     * @param status     where it stands ({@code NOT_STARTED}, {@code RUNNING}, {@code COMPLETED}, {@code FAILED}).
     * @param phase      its current phase.
     * @param percent    how far it has got, 0 to 100.
     * @param tasksDone  tasks completed or skipped.
     * @param tasksTotal every task.
     * @param tasks      its task graph, in declaration order.
     * @param gates      each phase's quality gates, in phase order.
     */
    record Workflow(String id, String status, String phase, double percent, int tasksDone, int tasksTotal,
        List<Task> tasks, List<Gate> gates)
    {
        /** Copies. */
        public Workflow
        {
            tasks = List.copyOf(tasks);
            gates = List.copyOf(gates);
        }
    }

    /**
     * A task of a workflow: a node of its graph.
     *
     * @param id         the task.
     * @param phase      its phase.
     * @param capability the capability it needs.
     * @param dependsOn  the tasks it waits for: the graph's edges.
     * @param state      where it stands ({@code PENDING}, {@code RUNNING}, {@code COMPLETED}...).
     * @param agent      the agent it is (or was last) on; null if never assigned.
     * @param percent    its latest reported progress, 0 to 100.
     */
    record Task(String id, String phase, String capability, List<String> dependsOn, String state, String agent,
        int percent)
    {
        /** Copies. */
        public Task
        {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    /**
     * A phase's quality gates.
     *
     * @param phase   the phase.
     * @param state   {@code PENDING}, {@code MEASURING}, {@code PASSED} or {@code FAILED}.
     * @param passed  evaluations that passed so far.
     * @param failed  evaluations that failed so far.
     * @param summary the latest evaluation's summary; empty before one.
     */
    record Gate(String phase, String state, long passed, long failed, String summary)
    {
    }

    /**
     * The success metrics over the runs kept.
     *
     * @param runs    how many runs they are over.
     * @param metrics each metric; a metric with no case has no value.
     * @param problem why they could not be read; empty when they were.
     */
    record SuccessMetrics(int runs, List<SuccessMetric> metrics, String problem)
    {
        /** Copies. */
        public SuccessMetrics
        {
            metrics = List.copyOf(metrics);
        }

        /**
         * @param problem why the metrics could not be read.
         * @return no metrics, and why.
         */
        public static SuccessMetrics unreadable(final String problem)
        {
            return new SuccessMetrics(0, List.of(), problem);
        }
    }

    /**
     * One success metric: a count of successes out of a count of cases, beside its target.
     *
     * @param key           its name ({@code handoff_success}...).
     * @param title         for people.
     * @param successes     the successes.
     * @param cases         the cases; 0 when not measured.
     * @param targetPercent the target, in percent.
     * @param atLeast       true when the target itself meets it, false when the value must exceed it.
     */
    record SuccessMetric(String key, String title, long successes, long cases, double targetPercent, boolean atLeast)
    {
        /** @return whether it has a value: at least one case. */
        public boolean measured()
        {
            return cases > 0;
        }

        /** @return successes / cases, 0 to 1; NaN when not measured (callers check {@link #measured()}). */
        public double ratio()
        {
            return cases == 0 ? Double.NaN : (double)successes / cases;
        }

        /** @return the metric as JSON-ready values; its percent absent when not measured. */
        public Map<String, Object> toMap()
        {
            final Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("key", key);
            map.put("title", title);
            map.put("percent", measured() ? Math.round(ratio() * 1000.0) / 10.0 : null);
            map.put("successes", successes);
            map.put("cases", cases);
            map.put("target", (atLeast ? "" : "> ") + Math.round(targetPercent) + " %");
            map.put("meetsTarget", measured() ? (atLeast ? ratio() * 100 >= targetPercent :
                ratio() * 100 > targetPercent) : null);
            return map;
        }
    }
}
