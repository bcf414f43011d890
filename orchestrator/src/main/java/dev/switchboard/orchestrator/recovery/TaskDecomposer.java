/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;

/**
 * Splits a decomposable task that recovery could not finish otherwise ({@link RecoveryAction.Decompose}) into
 * subtasks. The engine records the subtasks it gets in its journal, so a decomposer need not be deterministic for
 * replay; it must return at least one subtask, each with an id unused in the workflow, and never a decomposable one
 * (a subtask is not split again).
 *
 * <p>Implementations must be thread-safe; the engine calls them on its own thread.
 */
@FunctionalInterface
public interface TaskDecomposer
{
    /** Parts {@link #inParts} makes by default. */
    int DEFAULT_PARTS = 2;

    /**
     * @param task the task to split.
     * @return its subtasks, in order.
     */
    List<TaskDefinition> decompose(TaskDefinition task);

    /**
     * The default: {@code parts} subtasks of the same capability, ids {@code <id>.part-<i>}, names
     * {@code <name> (part i of n)}, the same dependencies, and the estimate divided between them (rounded up). The
     * agent sees the part in the task id it is handed.
     *
     * @param parts how many, 2..16.
     * @return the decomposer.
     */
    static TaskDecomposer inParts(final int parts)
    {
        if (parts < 2 || parts > 16)
        {
            throw new IllegalArgumentException("a task is decomposed into 2..16 parts, not " + parts);
        }
        return task ->
        {
            final List<TaskDefinition> subtasks = new ArrayList<>(parts);
            for (int i = 1; i <= parts; i++)
            {
                subtasks.add(new TaskDefinition(task.id() + ".part-" + i,
                    task.name() + " (part " + i + " of " + parts + ")", task.capability(), task.dependsOn(),
                    (task.estimatedMinutes() + parts - 1) / parts, false, part(task.instructions(), i, parts)));
            }
            return subtasks;
        };
    }

    /** The whole task's instructions, with the part this subtask is said first. */
    private static TaskInstructions part(final TaskInstructions whole, final int part, final int parts)
    {
        if (whole.isEmpty())
        {
            return whole;
        }
        final String which = "Part " + part + " of " + parts + " of a task split after it failed or overran: do " +
            "your share of the following, so that the parts together do all of it.";
        return new TaskInstructions(whole.description().isEmpty() ? which : which + "\n\n" + whole.description(),
            whole.context(), whole.acceptanceCriteria());
    }
}
