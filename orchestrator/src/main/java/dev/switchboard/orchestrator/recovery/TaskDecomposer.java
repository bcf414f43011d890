/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;
import dev.switchboard.orchestrator.workspace.PathClaim;

/**
 * Splits a decomposable task that recovery could not finish otherwise ({@link RecoveryAction.Decompose}) into
 * subtasks. The engine records the subtasks it gets in its journal, so a decomposer need not be deterministic for
 * replay; it must return at least one subtask, each with an id unused in the workflow, and never a decomposable one
 * (a subtask is not split again). It throws {@link IllegalArgumentException} when the task cannot be split; the
 * engine escalates with the message.
 *
 * <p>Implementations must be thread-safe; the engine calls them on its own thread.
 */
@FunctionalInterface
public interface TaskDecomposer
{
    /** Parts {@link #byContext} makes at most by default. */
    int DEFAULT_PARTS = 4;
    /** The most parts a task is split into. */
    int MAX_PARTS = 16;

    /**
     * @param task the task to split.
     * @return its subtasks, in order.
     * @throws IllegalArgumentException when the task cannot be split; the message says why.
     */
    List<TaskDefinition> decompose(TaskDefinition task);

    /**
     * Splits a task into subtasks with distinct, smaller scopes, so that no part redoes another's work.
     * <ul>
     *   <li>A task that declares two or more {@link TaskDefinition#paths() paths} is split by them.</li>
     *   <li>Otherwise by the units {@code units} names for it (files, modules, methods); when the task declares one
     *       path, only the units under it count.</li>
     * </ul>
     * The units, in their order, are cut into {@code min(maxParts, units)} runs of nearly equal length (the first
     * runs one longer when they do not divide evenly), so neighbours (the methods of one file) stay together. Part
     * {@code i} of {@code n}: id {@code <id>.part-<i>}, name {@code <name> (part i of n: <what>)}, the same
     * capability and dependencies, the estimate divided (rounded up), not decomposable, {@code paths} its share
     * (a module as {@code dir/**}), and its description prefixed with {@code Part i of n: only these files: ...}.
     *
     * @param units    the units a task's context concerns; {@link ContextUnits#NONE} to split by declared paths
     *                 only.
     * @param maxParts most parts, 2..{@value #MAX_PARTS}.
     * @return the decomposer; it throws {@link IllegalArgumentException} for a task with fewer than two units.
     */
    static TaskDecomposer byContext(final ContextUnits units, final int maxParts)
    {
        Objects.requireNonNull(units, "units");
        if (maxParts < 2 || maxParts > MAX_PARTS)
        {
            throw new IllegalArgumentException("a task is decomposed into 2.." + MAX_PARTS + " parts, not " + maxParts);
        }
        return task -> split(task, unitsOf(task, units), maxParts);
    }

    /** The units to split {@code task} by, each once, in order. */
    private static List<ContextUnits.Unit> unitsOf(final TaskDefinition task, final ContextUnits units)
    {
        final Set<ContextUnits.Unit> found = new LinkedHashSet<>();
        if (task.paths().size() >= 2)
        {
            for (final String path : task.paths())
            {
                found.add(new ContextUnits.Unit(ContextUnits.Kind.FILE, path, path));
            }
            return List.copyOf(found);
        }
        final PathClaim declared = task.paths().isEmpty() ? null : PathClaim.of(task.paths().getFirst());
        for (final ContextUnits.Unit unit : units.of(task))
        {
            if (declared == null || declared.overlaps(PathClaim.of(unit.path())))
            {
                found.add(unit);
            }
        }
        return List.copyOf(found);
    }

    private static List<TaskDefinition> split(final TaskDefinition task, final List<ContextUnits.Unit> units,
        final int maxParts)
    {
        if (units.size() < 2)
        {
            throw new IllegalArgumentException("task '" + task.id() + "' cannot be split: " + (units.isEmpty() ?
                "it declares fewer than 2 paths and its context names no file, module or method" :
                "its context names one " + units.getFirst().kind().name().toLowerCase(java.util.Locale.ROOT) +
                    " (" + units.getFirst().describe() + ")"));
        }
        final int parts = Math.min(maxParts, units.size());
        final List<TaskDefinition> subtasks = new ArrayList<>(parts);
        int from = 0;
        for (int i = 1; i <= parts; i++)
        {
            final int size = units.size() / parts + (i <= units.size() % parts ? 1 : 0);
            final List<ContextUnits.Unit> share = units.subList(from, from + size);
            from += size;
            final Set<String> globs = new LinkedHashSet<>();
            final List<String> described = new ArrayList<>(share.size());
            for (final ContextUnits.Unit unit : share)
            {
                globs.add(unit.glob());
                described.add(unit.describe());
            }
            final String what = share.size() == 1 ? described.getFirst() :
                described.getFirst() + " and " + (share.size() - 1) + " more";
            subtasks.add(new TaskDefinition(task.id() + ".part-" + i,
                task.name() + " (part " + i + " of " + parts + ": " + what + ")", task.capability(), task.dependsOn(),
                (task.estimatedMinutes() + parts - 1) / parts, false,
                part(task.instructions(), i, parts, kindsOf(share), described), List.copyOf(globs)));
        }
        return subtasks;
    }

    private static String kindsOf(final List<ContextUnits.Unit> share)
    {
        final Set<ContextUnits.Kind> kinds = new LinkedHashSet<>();
        share.forEach(unit -> kinds.add(unit.kind()));
        if (kinds.size() > 1)
        {
            return "files and methods";
        }
        return switch (kinds.iterator().next())
        {
            case FILE -> "files";
            case MODULE -> "modules";
            case METHOD -> "methods";
        };
    }

    /** The whole task's instructions, its description prefixed with this part's share. */
    private static TaskInstructions part(final TaskInstructions whole, final int part, final int parts,
        final String kinds, final List<String> share)
    {
        final String which = "Part " + part + " of " + parts + ": only these " + kinds + ": " +
            String.join(", ", share) + ". Other parts cover the rest; leave everything else as it is.";
        return new TaskInstructions(whole.description().isEmpty() ? which : which + "\n\n" + whole.description(),
            whole.context(), whole.acceptanceCriteria());
    }
}
