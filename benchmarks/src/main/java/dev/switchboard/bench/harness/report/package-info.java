/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The benchmark harness's report: turns a run directory ({@code harness.json}, the HdrHistogram logs under
 * {@code hdr/}, JMH's {@code jmh.json}) into {@code report.md} and {@code plots/*.png}.
 * <ul>
 *   <li>{@link dev.switchboard.bench.harness.report.ReportWriter}: the entry point, also runnable as
 *       {@code ReportWriter <runDir>} to regenerate a report.</li>
 *   <li>{@link dev.switchboard.bench.harness.report.Targets}: the issue's targets, each judged PASS, MISS, info
 *       or n/a (with why) from the run's numbers.</li>
 *   <li>{@link dev.switchboard.bench.harness.report.JfrSummary}: the hottest top frames of a JFR recording, for
 *       the coordinator's profiles of missed targets.</li>
 * </ul>
 * Reads the run directory, writes only {@code report.md} and {@code plots/}; measures nothing. Not thread-safe:
 * one report at a time per run directory.
 */
package dev.switchboard.bench.harness.report;
