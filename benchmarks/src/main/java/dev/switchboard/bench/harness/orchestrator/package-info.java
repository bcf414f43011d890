/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * The benchmark report's "Orchestrator" section: how fast the workflow orchestrator hands a task to an agent
 * (assignment enqueued → work item in the agent's poll callback, an HdrHistogram per configuration), how many small
 * workflows it runs per second back to back, and how long repository analysis + gap detection + {@code AGENT_PLAN.md}
 * take on a generated repository of about 1,000 files. {@link dev.switchboard.bench.harness.orchestrator.OrchestratorBench}
 * runs it inside the harness's JVM; agents "in another process" run in {@link
 * dev.switchboard.bench.harness.orchestrator.TaskAgentsMain}.
 */
package dev.switchboard.bench.harness.orchestrator;
