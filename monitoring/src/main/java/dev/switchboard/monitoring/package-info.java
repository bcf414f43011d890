/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The router's HTTP side: {@link dev.switchboard.monitoring.MonitoringServer} serves {@code /metrics} (Prometheus),
 * {@code /health/live}, {@code /health/ready} and a live status page, all read at request time from what the
 * processes publish: their counters files in shared memory ({@link dev.switchboard.monitoring.CountersSource}), the
 * router's own state ({@link dev.switchboard.monitoring.RouterView}) and the orchestrator's
 * ({@link dev.switchboard.monitoring.OrchestratorView}). Its settings are in
 * {@link dev.switchboard.monitoring.MonitoringContext}. The router and orchestrator do not know this package: the
 * application starts the server beside them and adapts their state to the two views.
 */
package dev.switchboard.monitoring;
