/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * Agent plans: {@link dev.switchboard.orchestrator.plan.AgentPlanWriter} turns a repository analysis, a workflow,
 * the gaps found and the quality gates into {@code AGENT_PLAN.md}, a Markdown document a person or an agent can
 * follow step by step; {@link dev.switchboard.orchestrator.plan.GateMeasurements} maps the analysis' metrics onto
 * the gates' {@link dev.switchboard.orchestrator.gates.Metric metrics}.
 * Owns no state: every function is pure and its output deterministic, so a plan can be compared with a previous one.
 */
package dev.switchboard.orchestrator.plan;
