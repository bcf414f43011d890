/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * Runs a {@link dev.switchboard.orchestrator.engine.WorkflowEngine} over the router: the
 * {@link dev.switchboard.orchestrator.runtime.WorkflowRuntime} (agent "Orchestrator") turns engine commands into
 * work items on {@code tasks.<agent>} queues and agents' reports into engine events, on one thread;
 * {@link dev.switchboard.orchestrator.runtime.TaskAgent}s take the items and run a
 * {@link dev.switchboard.orchestrator.runtime.TaskHandler} (scripted, or an OS command). Messages are one line of
 * JSON each ({@link dev.switchboard.orchestrator.runtime.WorkItem}, {@link dev.switchboard.orchestrator.runtime.TaskReport}):
 * the control traffic of a workflow is a few messages per task, so readability wins over compactness here.
 */
package dev.switchboard.orchestrator.runtime;
