/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.List;

/**
 * The name of every metric family {@code /metrics} serves, as Prometheus sees it (counters with their {@code _total},
 * histograms as the base name of their {@code _bucket}, {@code _sum} and {@code _count} series). The Grafana
 * dashboard names only these, and a test holds it to that.
 *
 * <p>Labels: every per-process family carries {@code role} ({@code router}, {@code agent}, {@code orchestrator}),
 * {@code name} (the process's name) and {@code pid}.
 */
public final class MetricNames
{
    /** Counter: messages by {@code tier}, {@code pattern} and {@code kind} (sent, delivered, back_pressured, rejected). */
    public static final String MESSAGES = "switchboard_messages_total";
    /** Counter: every other counter of a counters file, by {@code event} (its label as an identifier). */
    public static final String EVENTS = "switchboard_events_total";
    /** Histogram: latencies in seconds, by {@code histogram} (what it measures, e.g. {@code request_response}). */
    public static final String LATENCY = "switchboard_latency_seconds";
    /** Counter: occurrences of each distinct error, by {@code kind}. */
    public static final String ERRORS = "switchboard_errors_total";
    /** Gauge: 1 while the process that writes a counters file is alive, 0 when it is not. */
    public static final String UP = "switchboard_up";
    /** Gauge: seconds since the process's last heartbeat in its counters file. */
    public static final String HEARTBEAT_AGE = "switchboard_heartbeat_age_seconds";
    /** Gauge: when the process created its counters file (Unix time, seconds). */
    public static final String START_TIME = "switchboard_start_time_seconds";

    /** Gauge: 1 while the router this server runs in accepts agents (its duty cycle runs), else 0. */
    public static final String ROUTER_ACCEPTING = "switchboard_router_accepting";
    /** Gauge: by {@code tier}, 1 when the router's probe found it runs here, 0 when it falls back or is disabled. */
    public static final String TIER_AVAILABLE = "switchboard_tier_available";
    /** Gauge: 1 when {@code /health/ready} would answer 200, else 0. */
    public static final String READY = "switchboard_ready";

    /** Gauge: workflows of this process by {@code status}. */
    public static final String WORKFLOWS = "switchboard_workflows";
    /** Gauge: by {@code workflow}, how far it has got (0 to 100). */
    public static final String WORKFLOW_PROGRESS = "switchboard_workflow_progress_percent";
    /** Gauge: tasks by {@code workflow} and {@code state}. */
    public static final String WORKFLOW_TASKS = "switchboard_workflow_tasks";
    /** Gauge: by {@code workflow}, {@code phase} and {@code state}, 1 for each phase's current gate state. */
    public static final String GATE_STATE = "switchboard_gate_state";
    /** Counter: quality gate evaluations by {@code workflow}, {@code phase} and {@code result} (passed, failed). */
    public static final String GATE_EVALUATIONS = "switchboard_gate_evaluations_total";
    /** Gauge: by {@code metric}, a success metric's value (0 to 1); absent while it has no case. */
    public static final String SUCCESS_RATIO = "switchboard_success_ratio";
    /** Gauge: by {@code metric}, its target (0 to 1). */
    public static final String SUCCESS_TARGET = "switchboard_success_target_ratio";
    /** Gauge: by {@code metric}, the cases it is measured on. */
    public static final String SUCCESS_CASES = "switchboard_success_cases";
    /** Gauge: the runs the success metrics are over. */
    public static final String SUCCESS_RUNS = "switchboard_success_runs";

    /** Counter: scrapes or samples whose counters files could not be read (their metrics were left out). */
    public static final String READ_FAILURES = "switchboard_monitoring_read_failures_total";

    /** Every family above. */
    public static final List<String> ALL = List.of(MESSAGES, EVENTS, LATENCY, ERRORS, UP, HEARTBEAT_AGE, START_TIME,
        ROUTER_ACCEPTING, TIER_AVAILABLE, READY, WORKFLOWS, WORKFLOW_PROGRESS, WORKFLOW_TASKS, GATE_STATE,
        GATE_EVALUATIONS, SUCCESS_RATIO, SUCCESS_TARGET, SUCCESS_CASES, SUCCESS_RUNS, READ_FAILURES);

    private MetricNames()
    {
    }

    /**
     * @param name a family's name as served.
     * @return the name a Prometheus Java client snapshot takes: without the {@code _total} that the exposition adds.
     */
    static String base(final String name)
    {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }
}
