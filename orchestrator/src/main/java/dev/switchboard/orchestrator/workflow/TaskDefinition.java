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
 */
public record TaskDefinition(
    String id,
    String name,
    String capability,
    List<String> dependsOn,
    int estimatedMinutes,
    boolean decomposable,
    TaskInstructions instructions)
{
    /**
     * Checks and copies the components.
     *
     * @throws IllegalArgumentException if an id or name is blank, the capability is unknown, a dependency is
     *                                  blank or the estimate is negative.
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
        this(id, name, capability, dependsOn, estimatedMinutes, decomposable, TaskInstructions.NONE);
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
         * @return the task.
         * @throws IllegalArgumentException as {@link TaskDefinition#TaskDefinition} does.
         */
        public TaskDefinition build()
        {
            return new TaskDefinition(id, name == null ? id : name, capability, dependsOn, estimatedMinutes,
                decomposable, new TaskInstructions(description, context, acceptanceCriteria));
        }
    }
}
