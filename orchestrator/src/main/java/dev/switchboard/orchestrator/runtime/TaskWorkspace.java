/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.orchestrator.workflow.TaskDefinition;

/**
 * Where a workflow's tasks do their work, and how a phase's work comes together before the orchestrator measures
 * it. Two kinds: {@link GitTaskWorkspace} (a git repository: each task in its own worktree and branch from the
 * phase's base commit, merged at phase end, conflicts reported, rollback an executed {@code git reset}) and
 * {@link SharedTaskWorkspace} (any other directory: tasks share it, and tasks whose declared paths could overlap do
 * not run at once).
 *
 * <p>Called by the {@link WorkflowRuntime}'s loop thread, and by its measurement thread for {@link #endPhase},
 * {@link #checkout} and {@link #release}: implementations are thread-safe.
 */
public interface TaskWorkspace extends AutoCloseable
{
    /**
     * How a task may start.
     */
    sealed interface Start
    {
    }

    /**
     * The task may start.
     *
     * @param directory where its agent works.
     */
    record Ready(Path directory) implements Start
    {
    }

    /**
     * The task must wait (another running task holds paths it could touch).
     *
     * @param reason why, for people.
     */
    record Waiting(String reason) implements Start
    {
    }

    /**
     * @param phaseId the task's phase.
     * @param task    the task.
     * @return where it works, or why it must wait.
     */
    Start start(String phaseId, TaskDefinition task);

    /**
     * The task's agent succeeded: keep its work for the phase's end.
     *
     * @param taskId    the task.
     * @param agentName its agent.
     * @return the files it changed, as the workspace sees them; empty when the workspace cannot tell.
     */
    Optional<List<String>> finish(String taskId, String agentName);

    /**
     * The task's attempt failed or was given up: nothing of it is kept.
     *
     * @param taskId the task.
     * @param reason why.
     */
    void discard(String taskId, String reason);

    /**
     * Brings the phase's finished work together.
     *
     * @param phaseId the phase.
     * @return task id to what conflicted, for tasks whose work could not be merged; empty when all merged.
     */
    Map<String, String> endPhase(String phaseId);

    /**
     * @param name a name for the checkout.
     * @return a directory holding the merged work, to measure; the workspace's own directory when it has no
     *         separate checkouts.
     */
    Path checkout(String name);

    /**
     * @param name a checkout's name, from {@link #checkout}.
     */
    void release(String name);

    /**
     * Undoes a phase: what was merged since it started is removed.
     *
     * @param phaseId the phase.
     * @return what was done, e.g. {@code git reset --hard 1a2b3c (was 4d5e6f)}; empty when this workspace cannot
     *         roll back (no version control).
     */
    Optional<String> rollback(String phaseId);

    /** @return the directory the work is about: the scope in the repository. */
    Path root();

    /** Removes what the workspace left (worktrees, checkouts); the merged work stays. */
    @Override
    void close();
}
