/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * The workflow model: a {@link dev.switchboard.orchestrator.workflow.WorkflowDefinition} is an ordered list of
 * {@link dev.switchboard.orchestrator.workflow.PhaseDefinition phases}, each holding
 * {@link dev.switchboard.orchestrator.workflow.TaskDefinition tasks} that form one dependency DAG across the
 * whole workflow. {@link dev.switchboard.orchestrator.workflow.TaskGraph} checks that DAG and answers the
 * scheduling questions (topological order, ready tasks, parallel tracks). A task carries
 * {@link dev.switchboard.orchestrator.workflow.TaskInstructions} (description, context, acceptance criteria) as text
 * with {@link dev.switchboard.orchestrator.workflow.Placeholders}, checked when the workflow is built or loaded and
 * filled in when the task is handed to an agent.
 * <p>
 * Definitions come from the built-in {@link dev.switchboard.orchestrator.workflow.WorkflowTemplates} or from a
 * YAML/JSON file read by {@link dev.switchboard.orchestrator.workflow.WorkflowLoader}, which reports every
 * problem it finds at once in a {@link dev.switchboard.orchestrator.workflow.WorkflowValidationException}.
 * <p>
 * Everything here is an immutable value and safe to share between threads once built; builders are not.
 */
package dev.switchboard.orchestrator.workflow;
