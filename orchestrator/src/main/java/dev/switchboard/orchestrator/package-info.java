/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The orchestrator's library: workflows, agents, gates, recovery and the runtime that runs them, in the packages
 * below this one. This package holds only {@link dev.switchboard.orchestrator.OrchestratorContext}, the one place the
 * library reads its settings from the environment.
 */
package dev.switchboard.orchestrator;
