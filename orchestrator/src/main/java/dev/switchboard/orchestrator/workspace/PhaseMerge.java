/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.util.List;
import java.util.Objects;

/**
 * How a phase's finished tasks came back into the phase's branch at {@link TaskWorktrees#endPhase}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param phaseId   the phase.
 * @param merged    tasks merged, in merge order.
 * @param unchanged tasks that finished without changing anything: nothing to merge.
 * @param conflicts tasks whose merge conflicted: each is a task failure of kind {@link MergeConflict#ERROR_KIND}.
 * @param discarded tasks that had a worktree but never finished; removed unmerged.
 * @param head      the phase's branch head after the merges.
 */
public record PhaseMerge(
    String phaseId,
    List<WorkspaceAction.TaskMerged> merged,
    List<String> unchanged,
    List<MergeConflict> conflicts,
    List<String> discarded,
    String head)
{
    /** Validates and copies. */
    public PhaseMerge
    {
        Objects.requireNonNull(phaseId, "phaseId");
        merged = List.copyOf(merged);
        unchanged = List.copyOf(unchanged);
        conflicts = List.copyOf(conflicts);
        discarded = List.copyOf(discarded);
        Objects.requireNonNull(head, "head");
    }

    /** @return whether every finished task merged. */
    public boolean clean()
    {
        return conflicts.isEmpty();
    }
}
