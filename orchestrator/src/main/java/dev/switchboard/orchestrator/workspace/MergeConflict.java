/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.util.List;
import java.util.Objects;

/**
 * A finished task whose branch does not merge into its phase's branch. For the workflow it is a failure of the
 * task, of kind {@link #ERROR_KIND}, with its own recovery: run again from the phase's new head, where the work
 * merged before it is already present.
 *
 * <p>Immutable and thread-safe.
 *
 * @param taskId    the task.
 * @param agentName the agent whose work conflicted.
 * @param branch    the task's branch, kept so a person can look at it (until the task runs again).
 * @param paths     the conflicting paths, relative to the repository's root, sorted; never empty.
 */
public record MergeConflict(String taskId, String agentName, String branch, List<String> paths)
{
    /** Error kind of the task failure a merge conflict is. */
    public static final String ERROR_KIND = "MERGE_CONFLICT";

    /** Validates and copies. */
    public MergeConflict
    {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(branch, "branch");
        paths = List.copyOf(paths);
        if (paths.isEmpty())
        {
            throw new IllegalArgumentException("a merge conflict of task " + taskId + " names no path");
        }
    }

    /** @return {@link #ERROR_KIND}, the kind of the task failure to report. */
    public String errorKind()
    {
        return ERROR_KIND;
    }

    /** @return the failure message: which task, whose work, which paths and where to look. */
    public String message()
    {
        return "the work of " + agentName + " on task " + taskId + " conflicts with work merged before it in " +
            paths + "; the merge was aborted, branch " + branch + " keeps the task's commit";
    }
}
