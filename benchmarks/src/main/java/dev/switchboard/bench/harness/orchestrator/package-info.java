/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * The pieces of the benchmark report's "Orchestrator" section: how fast the workflow orchestrator hands a task to an
 * agent (assignment enqueued → work item in the agent's poll callback, {@link
 * dev.switchboard.bench.harness.orchestrator.HandoffRecorder}), the agents the workflows run on ({@link
 * dev.switchboard.bench.harness.orchestrator.BugfixTeam}, in their own JVM through {@link
 * dev.switchboard.bench.harness.orchestrator.TaskAgentsMain}), and the generated repository plan generation is
 * timed on ({@link dev.switchboard.bench.harness.orchestrator.SyntheticRepository}). The harness's
 * {@code OrchestratorRunner} runs them and writes the results.
 */
package dev.switchboard.bench.harness.orchestrator;
