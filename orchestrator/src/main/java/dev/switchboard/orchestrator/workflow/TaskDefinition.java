/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One unit of work given to one agent. Immutable and thread-safe.
 *
 * @param id               unique within the workflow; other tasks name it in {@code dependsOn}.
 * @param name             human-readable title.
 * @param capability       the one {@link Capabilities known capability} an agent needs to take this task.
 * @param dependsOn        ids of tasks that must complete first; they may live in this phase or an earlier one.
 * @param estimatedMinutes the planning estimate, zero when unknown; never negative.
 * @param decomposable     whether recovery may split this task into subtasks when it fails or overruns.
 * @param instructions     what the agent is asked to do, as text with {@link Placeholders}; {@code null} (a journal
 *                         written before tasks had instructions) reads as {@link TaskInstructions#NONE}.
 * @param paths            globs relative to the repository (or the workflow's scope) that the task may touch, such
 *                         as {@code src/main/java/com/acme/auth/**} or {@code docs/auth.md}; empty when the task
 *                         declares none (it may then touch anything); {@code null} (a journal written before tasks
 *                         had paths) reads as empty. Never absolute, never climbing out with {@code ..}.
 */
public record TaskDefinition(
    String id,
    String name,
    String capability,
    List<String> dependsOn,
    int estimatedMinutes,
    boolean decomposable,
    TaskInstructions instructions,
    List<String> paths)
{
    /**
     * Checks and copies the components.
     *
     * @throws IllegalArgumentException if an id or name is blank, the capability is unknown, a dependency is
     *                                  blank, the estimate is negative or a path is blank, absolute or climbs out
     *                                  with {@code ..}.
     */
    public TaskDefinition
    {
        requireNonBlank(id, "task id");
        requireNonBlank(name, "name of task '" + id + "'");
        Capabilities.requireKnown(capability, "task '" + id + "'");
        dependsOn = List.copyOf(Objects.requireNonNull(dependsOn, "dependsOn"));
        for (final String dependency : dependsOn)
        {
            requireNonBlank(dependency, "dependency of task '" + id + "'");
        }
        if (estimatedMinutes < 0)
        {
            throw new IllegalArgumentException(
                "estimatedMinutes of task '" + id + "' must be >= 0 but was " + estimatedMinutes);
        }
        instructions = instructions == null ? TaskInstructions.NONE : instructions;
        paths = paths == null ? List.of() : List.copyOf(paths);
        for (final String path : paths)
        {
            final String problem = pathProblem(path);
            if (problem != null)
            {
                throw new IllegalArgumentException("path of task '" + id + "' " + problem);
            }
        }
    }

    /**
     * A task that declares no paths.
     *
     * @param id               unique within the workflow.
     * @param name             human-readable title.
     * @param capability       the capability an agent needs.
     * @param dependsOn        ids of tasks that must complete first.
     * @param estimatedMinutes the planning estimate.
     * @param decomposable     whether recovery may split this task.
     * @param instructions     what the agent is asked to do.
     */
    public TaskDefinition(final String id, final String name, final String capability, final List<String> dependsOn,
        final int estimatedMinutes, final boolean decomposable, final TaskInstructions instructions)
    {
        this(id, name, capability, dependsOn, estimatedMinutes, decomposable, instructions, List.of());
    }

    /**
     * A task without instructions beyond its name.
     *
     * @param id               unique within the workflow.
     * @param name             human-readable title.
     * @param capability       the capability an agent needs.
     * @param dependsOn        ids of tasks that must complete first.
     * @param estimatedMinutes the planning estimate.
     * @param decomposable     whether recovery may split this task.
     */
    public TaskDefinition(final String id, final String name, final String capability, final List<String> dependsOn,
        final int estimatedMinutes, final boolean decomposable)
    {
        this(id, name, capability, dependsOn, estimatedMinutes, decomposable, TaskInstructions.NONE, List.of());
    }

    /**
     * What is wrong with a declared path, for {@link #paths()}: blank, absolute (a leading {@code /} or {@code \},
     * or a drive such as {@code C:}) or climbing out of the repository with a {@code ..} segment.
     *
     * @param path a declared path glob.
     * @return the problem, phrased to follow the path's name ("'/etc' is absolute ..."), or null when it is valid.
     */
    public static String pathProblem(final String path)
    {
        if (path == null || path.isBlank())
        {
            return "must be a non-blank glob but was " + (path == null ? "null" : "'" + path + "'");
        }
        final String stripped = path.strip();
        if (stripped.startsWith("/") || stripped.startsWith("\\") ||
            (stripped.length() >= 2 && stripped.charAt(1) == ':' && Character.isLetter(stripped.charAt(0))))
        {
            return "'" + path + "' is absolute; paths are globs relative to the repository";
        }
        for (final String segment : stripped.split("[/\\\\]"))
        {
            if (segment.equals(".."))
            {
                return "'" + path + "' climbs out of the repository with '..'; paths stay inside it";
            }
        }
        return null;
    }

    /**
     * Starts a builder; the name defaults to the id.
     *
     * @param id         the task id.
     * @param capability the capability the task needs.
     * @return a new builder.
     */
    public static Builder builder(final String id, final String capability)
    {
        return new Builder(id, capability);
    }

    static String requireNonBlank(final String value, final String what)
    {
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException(what + " must be a non-blank string but was "
                + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    /**
     * Mutable builder for a {@link TaskDefinition}; not thread-safe.
     */
    public static final class Builder
    {
        private final String id;
        private final String capability;
        private String name;
        private final List<String> dependsOn = new ArrayList<>();
        private int estimatedMinutes;
        private boolean decomposable;
        private String description = "";
        private String context = "";
        private final List<String> acceptanceCriteria = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();

        private Builder(final String id, final String capability)
        {
            this.id = id;
            this.capability = capability;
        }

        /**
         * @param name human-readable title; defaults to the id.
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * @param taskIds tasks that must complete first; adds to any given before.
         * @return this.
         */
        public Builder dependsOn(final String... taskIds)
        {
            dependsOn.addAll(List.of(taskIds));
            return this;
        }

        /**
         * @param minutes planning estimate, {@code >= 0}.
         * @return this.
         */
        public Builder estimatedMinutes(final int minutes)
        {
            this.estimatedMinutes = minutes;
            return this;
        }

        /**
         * @param decomposable whether recovery may split the task into subtasks.
         * @return this.
         */
        public Builder decomposable(final boolean decomposable)
        {
            this.decomposable = decomposable;
            return this;
        }

        /**
         * @param description what to do, with {@link Placeholders}.
         * @return this.
         */
        public Builder description(final String description)
        {
            this.description = description;
            return this;
        }

        /**
         * @param context what the agent should know beforehand, with {@link Placeholders}.
         * @return this.
         */
        public Builder context(final String context)
        {
            this.context = context;
            return this;
        }

        /**
         * @param criteria what must hold when the task is done; adds to any given before.
         * @return this.
         */
        public Builder acceptance(final String... criteria)
        {
            acceptanceCriteria.addAll(List.of(criteria));
            return this;
        }

        /**
         * @param globs paths the task may touch, relative to the repository; adds to any given before.
         * @return this.
         */
        public Builder paths(final String... globs)
        {
            paths.addAll(List.of(globs));
            return this;
        }

        /**
         * @return the task.
         * @throws IllegalArgumentException as {@link TaskDefinition#TaskDefinition} does.
         */
        public TaskDefinition build()
        {
            return new TaskDefinition(id, name == null ? id : name, capability, dependsOn, estimatedMinutes,
                decomposable, new TaskInstructions(description, context, acceptanceCriteria), paths);
        }
    }
}
