/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Isolation outside git: tasks work in one shared directory, so a task is admitted only when no running task holds
 * a {@link PathClaim} that overlaps its own. A task that is not admitted waits (the caller tries again when a task
 * releases its claim); nothing is queued here, so the caller's order of ready tasks is the admission order.
 *
 * <p>Locks are held across phases, not per phase: when phases overlap, their tasks still share the one directory.
 * A task that declares nothing should be given {@link PathClaim#everything()}: it then runs alone.
 *
 * <p>Thread-safe (calls are serialised); {@link #tryAcquire} allocates its answer.
 */
public final class PathLocks
{
    private final Map<String, PathClaim> held = new LinkedHashMap<>();

    /**
     * The answer of {@link #tryAcquire}: a value, not an exception, since waiting for a lock is expected.
     */
    public sealed interface Admission
    {
        /** @return whether the task may run now. */
        boolean admitted();
    }

    /**
     * The task holds its claim and may run.
     *
     * @param taskId the task.
     */
    public record Admitted(String taskId) implements Admission
    {
        @Override
        public boolean admitted()
        {
            return true;
        }
    }

    /**
     * The task must wait: a running task holds an overlapping path.
     *
     * @param taskId  the task that waits.
     * @param holder  the running task in its way (the earliest admitted, when several are).
     * @param wanted  the task's pattern that overlaps.
     * @param heldBy  the holder's pattern it overlaps.
     */
    public record Blocked(String taskId, String holder, String wanted, String heldBy) implements Admission
    {
        @Override
        public boolean admitted()
        {
            return false;
        }

        /** @return why, for people: which task, which patterns. */
        public String reason()
        {
            return "task " + taskId + " waits for task " + holder + ": '" + wanted + "' overlaps '" + heldBy + "'";
        }
    }

    /**
     * Admits the task when no running task's claim overlaps {@code claim}.
     *
     * @param taskId the task.
     * @param claim  the paths it may touch.
     * @return {@link Admitted} (the claim is now held) or {@link Blocked}.
     * @throws IllegalStateException when the task already holds a claim.
     */
    public synchronized Admission tryAcquire(final String taskId, final PathClaim claim)
    {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(claim, "claim");
        if (held.containsKey(taskId))
        {
            throw new IllegalStateException("task " + taskId + " already holds " + held.get(taskId).patterns());
        }
        for (final Map.Entry<String, PathClaim> running : held.entrySet())
        {
            final Optional<List<String>> overlap = claim.overlapWith(running.getValue());
            if (overlap.isPresent())
            {
                return new Blocked(taskId, running.getKey(), overlap.get().get(0), overlap.get().get(1));
            }
        }
        held.put(taskId, claim);
        return new Admitted(taskId);
    }

    /**
     * Releases the task's claim, when it holds one: it finished, failed or was abandoned.
     *
     * @param taskId the task.
     * @return whether it held one.
     */
    public synchronized boolean release(final String taskId)
    {
        return held.remove(taskId) != null;
    }

    /** @return the claims held now, by task, in admission order. */
    public synchronized Map<String, PathClaim> held()
    {
        return Collections.unmodifiableMap(new LinkedHashMap<>(held));
    }
}
