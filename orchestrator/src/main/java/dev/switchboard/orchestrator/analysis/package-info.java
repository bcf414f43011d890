/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * Static analysis of a repository on disk, and the gaps it shows against the quality gates.
 * <ul>
 *   <li>{@link dev.switchboard.orchestrator.analysis.RepositoryAnalyzer}: walks a repository once (bounded by
 *       {@link dev.switchboard.orchestrator.analysis.RepositoryAnalyzer.Limits}) and returns an immutable
 *       {@link dev.switchboard.orchestrator.analysis.RepositoryAnalysis}: project types, structure, declared
 *       dependencies, test files, coverage from JaCoCo, Cobertura or lcov reports, Javadoc coverage of the public
 *       Java API and cyclomatic complexity (both with JavaParser), and line-window duplication.</li>
 *   <li>{@link dev.switchboard.orchestrator.analysis.RepositoryAnalysis#metrics()}: the measured values under the
 *       metric names the gate evaluator reads.</li>
 *   <li>{@link dev.switchboard.orchestrator.analysis.GapDetector}: compares an analysis with
 *       {@link dev.switchboard.orchestrator.analysis.GapDetector.Thresholds} and names the agents
 *       ({@link dev.switchboard.orchestrator.analysis.AgentCapabilities}) that would close each
 *       {@link dev.switchboard.orchestrator.analysis.Gap}.</li>
 * </ul>
 * Reads files only: never runs a build, never follows a symbolic link, never writes. Unparseable files are
 * counted in the analysis, not thrown.
 */
package dev.switchboard.orchestrator.analysis;
