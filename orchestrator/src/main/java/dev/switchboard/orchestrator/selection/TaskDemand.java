/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Objects;
import java.util.Set;

/**
 * What a task asks of an agent: one capability it cannot run without, some it would benefit from, and
 * how much the task matters relative to others in the same selection round.
 *
 * <p>The priority is a weight: the exact solver maximises the sum of {@code priority × score}, and the
 * greedy solver serves higher priorities first. Use 1 when all tasks matter equally.
 *
 * <p>Thread-safety: immutable (the preferred set is copied), safe to share. Allocation: the constructor
 * copies the preferred set.
 *
 * @param taskId                 the task's id, unique within a selection round; not blank.
 * @param requiredCapability     the capability an agent must have to be considered; not blank.
 * @param preferredCapabilities  capabilities that raise an agent's score; copied, no nulls.
 * @param priority               the task's weight; finite and greater than 0.
 */
public record TaskDemand(String taskId, String requiredCapability, Set<String> preferredCapabilities, double priority)
{
    /** The priority of a task made with {@link #TaskDemand(String, String)}. */
    public static final double DEFAULT_PRIORITY = 1.0;

    /**
     * @throws NullPointerException     if an argument (or an element of the preferred set) is null.
     * @throws IllegalArgumentException if an id or capability is blank or the priority is not a finite
     *                                  number greater than 0.
     */
    public TaskDemand
    {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(requiredCapability, "requiredCapability");
        Objects.requireNonNull(preferredCapabilities, "preferredCapabilities");
        if (taskId.isBlank())
        {
            throw new IllegalArgumentException("task id must not be blank");
        }
        if (requiredCapability.isBlank())
        {
            throw new IllegalArgumentException("task '" + taskId + "': required capability must not be blank");
        }
        preferredCapabilities = Set.copyOf(preferredCapabilities);
        if (!(priority > 0.0 && priority < Double.POSITIVE_INFINITY))
        {
            throw new IllegalArgumentException(
                "task '" + taskId + "': priority must be a finite number greater than 0, but was " + priority);
        }
    }

    /**
     * A task with no preferred capabilities and {@link #DEFAULT_PRIORITY}.
     *
     * @param taskId             the task's id.
     * @param requiredCapability the capability an agent must have.
     */
    public TaskDemand(final String taskId, final String requiredCapability)
    {
        this(taskId, requiredCapability, Set.of(), DEFAULT_PRIORITY);
    }
}
