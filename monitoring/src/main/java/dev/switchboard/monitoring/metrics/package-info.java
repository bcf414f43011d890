/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * {@code /metrics}: the counters files, the router's state and the orchestrator's as Prometheus metric families, made
 * at scrape time ({@link dev.switchboard.monitoring.metrics.SwitchboardCollector}); every family's name is in
 * {@link dev.switchboard.monitoring.metrics.MetricNames}.
 */
package dev.switchboard.monitoring.metrics;
