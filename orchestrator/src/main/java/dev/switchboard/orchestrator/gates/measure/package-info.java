/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The orchestrator's own measurement of a tree, the only source of the values quality gates are held to:
 * {@link dev.switchboard.orchestrator.gates.measure.TreeMeasurement} runs the real tools (Maven with JaCoCo, PMD,
 * SpotBugs + FindSecBugs, by full coordinates; for a Python project pytest under coverage.py and pyflakes) in child
 * processes with a time limit, reads their reports, and adds
 * plain-Java scans (secrets, README, comment ratio), a dependency audit against a configured advisory file and the
 * timing of a named command. Whatever cannot be measured comes back as "not measured" with why, never as a default
 * number. Each measurement carries the details to act on (files and lines, tests, findings). Owns no state between
 * measurements.
 */
package dev.switchboard.orchestrator.gates.measure;
