/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link TaskWorktrees} did to the repository, in the order it did it: the record a journal keeps so that a
 * phase's start commit, each task's commit and merge and every rollback can be told afterwards (and a rollback is
 * a fact, not advice). A closed set of immutable records.
 */
public sealed interface WorkspaceAction
{
    /**
     * A phase started: the commit its tasks branch from and the one a rollback returns to.
     *
     * @param phaseId the phase.
     * @param branch  the branch the phase's tasks are merged into ({@code HEAD} when detached).
     * @param commit  the full id of the phase's base commit.
     */
    record PhaseStarted(String phaseId, String branch, String commit) implements WorkspaceAction
    {
        /** Validates. */
        public PhaseStarted
        {
            Objects.requireNonNull(phaseId, "phaseId");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(commit, "commit");
        }
    }

    /**
     * A task got its own worktree and branch.
     *
     * @param taskId    the task.
     * @param phaseId   its phase.
     * @param branch    its branch, created at the phase's base commit.
     * @param directory where its agent works.
     */
    record TaskStarted(String taskId, String phaseId, String branch, Path directory) implements WorkspaceAction
    {
        /** Validates. */
        public TaskStarted
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(phaseId, "phaseId");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(directory, "directory");
        }
    }

    /**
     * A task finished: what its agent changed is committed on its branch.
     *
     * @param taskId    the task.
     * @param agentName the agent that did it.
     * @param commit    the branch's head afterwards; the phase's base commit when nothing changed.
     * @param changed   whether the branch holds anything the base does not.
     */
    record TaskCommitted(String taskId, String agentName, String commit, boolean changed) implements WorkspaceAction
    {
        /** Validates. */
        public TaskCommitted
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(agentName, "agentName");
            Objects.requireNonNull(commit, "commit");
        }
    }

    /**
     * A task's branch was merged into the phase's branch.
     *
     * @param taskId      the task.
     * @param taskCommit  the head of the task's branch that was merged.
     * @param mergeCommit the merge commit made.
     */
    record TaskMerged(String taskId, String taskCommit, String mergeCommit) implements WorkspaceAction
    {
        /** Validates. */
        public TaskMerged
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(taskCommit, "taskCommit");
            Objects.requireNonNull(mergeCommit, "mergeCommit");
        }
    }

    /**
     * A task's branch could not be merged: the merge was aborted, the phase's branch is as it was before it, and
     * the task fails with {@link MergeConflict#ERROR_KIND}.
     *
     * @param conflict what conflicted.
     */
    record MergeAborted(MergeConflict conflict) implements WorkspaceAction
    {
        /** Validates. */
        public MergeAborted
        {
            Objects.requireNonNull(conflict, "conflict");
        }
    }

    /**
     * A task's worktree was removed without merging (it failed, was abandoned, or its phase was rolled back).
     *
     * @param taskId the task.
     * @param reason why.
     */
    record TaskDiscarded(String taskId, String reason) implements WorkspaceAction
    {
        /** Validates. */
        public TaskDiscarded
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@code git reset --hard} ran: the phase's branch is back at the phase's start.
     *
     * @param phaseId    the phase rolled back.
     * @param fromCommit the head before.
     * @param toCommit   the phase's base commit, the head now.
     * @param discarded  tasks of the phase whose worktrees were removed unmerged.
     */
    record RolledBack(String phaseId, String fromCommit, String toCommit, List<String> discarded)
        implements WorkspaceAction
    {
        /** Validates and copies. */
        public RolledBack
        {
            Objects.requireNonNull(phaseId, "phaseId");
            Objects.requireNonNull(fromCommit, "fromCommit");
            Objects.requireNonNull(toCommit, "toCommit");
            discarded = List.copyOf(discarded);
        }
    }
}
