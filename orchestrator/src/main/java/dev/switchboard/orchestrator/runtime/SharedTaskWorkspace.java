/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workspace.PathClaim;
import dev.switchboard.orchestrator.workspace.PathLocks;

/**
 * A {@link TaskWorkspace} over a directory without version control: every task works in the directory itself, so
 * tasks whose declared paths ({@link TaskDefinition#paths()}) could overlap never run at once ({@link PathLocks});
 * a task that declares none claims everything and runs alone. Nothing is merged (the work is already in place),
 * the directory is measured where it is, and there is no rollback. Thread-safe.
 */
public final class SharedTaskWorkspace implements TaskWorkspace
{
    private final Path root;
    private final PathLocks locks = new PathLocks();

    /**
     * @param root the directory the tasks share.
     */
    public SharedTaskWorkspace(final Path root)
    {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Start start(final String phaseId, final TaskDefinition task)
    {
        final PathClaim claim = task.paths().isEmpty() ? PathClaim.everything() :
            PathClaim.of(task.paths().toArray(String[]::new));
        locks.release(task.id()); // a retry's earlier attempt let go already; never wait for oneself
        final PathLocks.Admission admission = locks.tryAcquire(task.id(), claim);
        return admission instanceof PathLocks.Blocked blocked ? new Waiting(blocked.reason()) : new Ready(root);
    }

    @Override
    public Optional<List<String>> finish(final String taskId, final String agentName)
    {
        locks.release(taskId);
        return Optional.empty();
    }

    @Override
    public void discard(final String taskId, final String reason)
    {
        locks.release(taskId);
    }

    @Override
    public Map<String, String> endPhase(final String phaseId)
    {
        return Map.of();
    }

    @Override
    public Path checkout(final String name)
    {
        return root;
    }

    @Override
    public void release(final String name)
    {
        // the directory itself was measured: nothing to remove
    }

    @Override
    public Optional<String> rollback(final String phaseId)
    {
        return Optional.empty();
    }

    @Override
    public Path root()
    {
        return root;
    }

    @Override
    public void close()
    {
        // nothing of its own
    }

    /** @return the claims held now, by task id. */
    Map<String, PathClaim> held()
    {
        return locks.held();
    }
}
