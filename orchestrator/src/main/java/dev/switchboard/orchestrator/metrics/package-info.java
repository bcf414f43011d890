/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The specification's success metrics, measured on what runs did, never assumed:
 * <ul>
 *   <li>{@link dev.switchboard.orchestrator.metrics.JournalMetrics} reads one run's journal
 *       ({@link dev.switchboard.orchestrator.engine.WorkflowEvent}s) into a
 *       {@link dev.switchboard.orchestrator.metrics.RunMetrics}: the counts each metric is a ratio of;</li>
 *   <li>{@link dev.switchboard.orchestrator.metrics.SuccessMetrics} turns one or many runs into the six metrics,
 *       each beside its target, "not measured" when the runs give it no basis;</li>
 *   <li>{@link dev.switchboard.orchestrator.metrics.MetricsFile} keeps one record per run, a line of JSON each, in a
 *       file only its owner can read.</li>
 * </ul>
 */
package dev.switchboard.orchestrator.metrics;
