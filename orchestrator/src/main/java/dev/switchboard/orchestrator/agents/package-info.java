/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * Named agents that are real programs: an {@link dev.switchboard.orchestrator.agents.AgentsFile} (YAML) declares
 * each {@link dev.switchboard.orchestrator.agents.AgentSpec} (capabilities, a
 * {@link dev.switchboard.orchestrator.agents.CommandTemplate} that receives the prompt as a file, on standard input or
 * as an argument, concurrency, timeout), and {@link dev.switchboard.orchestrator.agents.AgentInvocation} runs one on
 * one {@link dev.switchboard.orchestrator.prompt.TaskPrompt}: it writes the prompt into the run directory, runs the
 * command, kills its whole process tree on timeout or cancellation
 * ({@link dev.switchboard.orchestrator.agents.ProcessTree}) and reads the
 * {@link dev.switchboard.orchestrator.agents.ResultFile} the agent wrote. Any coding-agent CLI plugs in this way.
 * Knows nothing of the router or the workflow engine.
 */
package dev.switchboard.orchestrator.agents;
