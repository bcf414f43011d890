/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * Where a workflow's tasks do their work, and how parallel work stays apart.
 * <ul>
 *   <li>In a git repository, {@link dev.switchboard.orchestrator.workspace.TaskWorktrees}: a worktree and branch
 *       per task from its phase's base commit, a commit of each task's work, merges at the phase's end with
 *       conflicts reported as task failures ({@link dev.switchboard.orchestrator.workspace.MergeConflict}), and
 *       rollback as an executed {@code git reset --hard} to the phase's recorded start. Everything done is a
 *       {@link dev.switchboard.orchestrator.workspace.WorkspaceAction}, for the journal. It shells out to the
 *       {@code git} binary.</li>
 *   <li>Outside git, {@link dev.switchboard.orchestrator.workspace.PathLocks}: tasks share the directory, and a task
 *       runs only when no running task holds a path its declared globs
 *       ({@link dev.switchboard.orchestrator.workspace.PathClaim}) could overlap.</li>
 * </ul>
 * The package decides nothing about the workflow: the runtime calls it at phase start, task start, task end, phase
 * end and rollback, and turns what it reports into engine events.
 */
package dev.switchboard.orchestrator.workspace;
