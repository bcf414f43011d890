/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.TaskState;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workspace.MergeConflict;
import dev.switchboard.orchestrator.workspace.PhaseMerge;
import dev.switchboard.orchestrator.workspace.TaskWorktrees;
import dev.switchboard.orchestrator.workspace.WorkspaceAction;

/**
 * A {@link TaskWorkspace} over a git repository ({@link TaskWorktrees}): a phase's first task records the phase's
 * start commit; each task works in its own worktree and branch from the phase's base; a finished task's work is
 * committed (the files it changed come from {@code git diff}, not from the agent); at phase end the finished tasks
 * are merged ({@code merge --no-ff}, task-id order) and a conflicting merge is aborted and reported; the merged head
 * is checked out, detached, for measuring, so no build output lands in the user's work tree; a rollback is an
 * executed {@code git reset --hard} to the phase's start. Every step is a {@link WorkspaceAction} given to the
 * recorder (the runtime journals it). Thread-safe ({@link TaskWorktrees} serialises its calls).
 */
public final class GitTaskWorkspace implements TaskWorkspace
{
    private final TaskWorktrees worktrees;
    private final Path root;

    private GitTaskWorkspace(final TaskWorktrees worktrees, final Path root)
    {
        this.worktrees = worktrees;
        this.root = root;
    }

    /**
     * @param scope        a directory inside a git work tree.
     * @param runDirectory the run's directory; worktrees and checkouts go under it.
     * @param workflowId   names the branches.
     * @param recorder     told of every action, on the thread that did it.
     * @return the workspace.
     */
    public static GitTaskWorkspace open(final Path scope, final Path runDirectory, final String workflowId,
        final Consumer<WorkspaceAction> recorder)
    {
        return new GitTaskWorkspace(TaskWorktrees.open(scope, runDirectory, workflowId, recorder),
            scope.toAbsolutePath().normalize());
    }

    @Override
    public Start start(final String phaseId, final TaskDefinition task)
    {
        worktrees.startPhase(phaseId);
        return new Ready(worktrees.startTask(phaseId, task.id()));
    }

    @Override
    public Optional<List<String>> finish(final String taskId, final String agentName)
    {
        final WorkspaceAction.TaskCommitted committed = worktrees.finishTask(taskId, agentName);
        return Optional.of(committed.changed() ? worktrees.changedFiles(taskId) : List.of());
    }

    @Override
    public void discard(final String taskId, final String reason)
    {
        try
        {
            worktrees.discardTask(taskId, reason);
        }
        catch (final IllegalStateException ex)
        {
            // never started here (e.g. it failed before its work item went out): nothing to discard
        }
    }

    @Override
    public Map<String, String> endPhase(final String phaseId)
    {
        if (worktrees.startCommit(phaseId).isEmpty())
        {
            return Map.of(); // no task of the phase ever started here (a resumed run whose tasks were done)
        }
        final PhaseMerge merge = worktrees.endPhase(phaseId);
        final Map<String, String> conflicts = new LinkedHashMap<>();
        for (final MergeConflict conflict : merge.conflicts())
        {
            conflicts.put(conflict.taskId(), conflict.message());
        }
        return conflicts;
    }

    @Override
    public Path checkout(final String name)
    {
        return worktrees.checkoutHead(name);
    }

    @Override
    public void release(final String name)
    {
        worktrees.removeCheckout(name);
    }

    @Override
    public Optional<String> rollback(final String phaseId)
    {
        if (worktrees.startCommit(phaseId).isEmpty())
        {
            return Optional.empty();
        }
        final WorkspaceAction.RolledBack rolledBack = worktrees.rollback(phaseId);
        return Optional.of("git reset --hard " + rolledBack.toCommit() + " (was " + rolledBack.fromCommit() + ")");
    }

    /**
     * After a restart: takes back the work of tasks the journal shows committed on their branches but not merged
     * (the earlier run stopped or was killed before their phase's end), so the phase's merge includes it.
     *
     * @param journal the workflow's journal.
     * @param engine  the engine recovered from it.
     * @return the tasks taken back.
     */
    List<String> adoptUnmerged(final dev.switchboard.orchestrator.engine.EventJournal journal,
        final WorkflowEngine engine)
    {
        final Map<String, String> phaseStarts = new LinkedHashMap<>();
        final Map<String, WorkflowEvent.WorkspaceRecorded> lastByTask = new LinkedHashMap<>();
        journal.replay(event ->
        {
            if (event instanceof WorkflowEvent.WorkspaceRecorded recorded)
            {
                if ("PhaseStarted".equals(recorded.action()))
                {
                    phaseStarts.put(recorded.phaseId(), recorded.commit());
                }
                else if (!recorded.taskId().isEmpty())
                {
                    lastByTask.put(recorded.taskId(), recorded);
                }
            }
        });
        final List<String> adopted = new java.util.ArrayList<>();
        lastByTask.forEach((taskId, last) ->
        {
            if (!"TaskCommitted".equals(last.action()) || last.detail().endsWith("no change"))
            {
                return; // merged, discarded, conflicted, started again or unchanged: nothing to take back
            }
            final WorkflowEngine.PlacedTask placed = engine.task(taskId);
            final String start = phaseStarts.get(placed.phase().id());
            final var snapshot = engine.snapshot().task(taskId);
            if (start != null && snapshot.state() == TaskState.COMPLETED &&
                engine.gateState(placed.phase().id()) != GateState.PASSED &&
                worktrees.adoptFinished(placed.phase().id(), start, taskId, snapshot.agentName(), last.commit()))
            {
                adopted.add(taskId);
            }
        });
        return adopted;
    }

    @Override
    public Path root()
    {
        return root;
    }

    @Override
    public void close()
    {
        worktrees.close();
    }

    /** @return the worktrees underneath, for tests and messages. */
    TaskWorktrees worktrees()
    {
        return Objects.requireNonNull(worktrees);
    }
}
