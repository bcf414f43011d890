/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * Agent plans: {@link dev.switchboard.orchestrator.plan.AgentPlanWriter} turns a repository analysis, a workflow,
 * the gaps found and the quality gates into {@code AGENT_PLAN.md}, a Markdown document a person or an agent can
 * follow step by step in the specification's format, with the gaps merged into the workflow as tasks by
 * {@link dev.switchboard.orchestrator.plan.GapTasks} and its tracks from
 * {@link dev.switchboard.orchestrator.plan.ConcurrentTracks}; {@link dev.switchboard.orchestrator.plan.MarkdownPlan}
 * and {@link dev.switchboard.orchestrator.plan.StrategicPlan} read a plan's workflow back from Markdown or JSON;
 * {@link dev.switchboard.orchestrator.plan.DirectorPlanRequest} asks the Director for one over the bus (the one
 * class here that does I/O); {@link dev.switchboard.orchestrator.plan.GateMeasurements} maps the analysis' metrics onto
 * the gates' {@link dev.switchboard.orchestrator.gates.Metric metrics}.
 * Owns no state: every writer is pure and its output deterministic, so a plan can be compared with a previous one.
 */
package dev.switchboard.orchestrator.plan;
