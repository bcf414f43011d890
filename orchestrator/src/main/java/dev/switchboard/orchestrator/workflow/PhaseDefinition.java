/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named stage of a workflow: what it needs, what it produces, which quality gates must pass before it counts
 * as done, and its tasks. Immutable and thread-safe.
 * <p>
 * Phase order is the order work is presented and reported in; the order tasks may <em>run</em> in is given
 * only by their {@link TaskDefinition#dependsOn() dependencies} (see {@link TaskGraph}).
 *
 * @param id                   unique within the workflow, e.g. {@code "implementation"}.
 * @param name                 human-readable title.
 * @param requiredCapabilities every {@link Capabilities known capability} the phase needs; always includes the
 *                             capability of each of its tasks. Iterates in insertion order.
 * @param outputs              what the phase produces, e.g. {@code "design document"}.
 * @param gates                names of the quality gates evaluated on the phase's results, e.g.
 *                             {@code "code-quality"}, {@code "security"}, {@code "performance"}.
 * @param optional             whether the workflow may skip this phase.
 * @param tasks                the phase's tasks, at least one.
 * @param performanceCommand   a command ({@code sh -c}, in the measured tree) whose p95 wall time and peak memory
 *                             the orchestrator measures for the phase's performance gate; empty for none (then the
 *                             run's {@code --perf-command}, if any).
 */
public record PhaseDefinition(
    String id,
    String name,
    Set<String> requiredCapabilities,
    List<String> outputs,
    List<String> gates,
    boolean optional,
    List<TaskDefinition> tasks,
    String performanceCommand)
{
    /**
     * A phase without a performance command of its own.
     *
     * @param id                   unique within the workflow.
     * @param name                 human-readable title.
     * @param requiredCapabilities the capabilities the phase needs.
     * @param outputs              what the phase produces.
     * @param gates                names of its quality gates.
     * @param optional             whether the workflow may skip it.
     * @param tasks                its tasks.
     */
    public PhaseDefinition(final String id, final String name, final Set<String> requiredCapabilities,
        final List<String> outputs, final List<String> gates, final boolean optional, final List<TaskDefinition> tasks)
    {
        this(id, name, requiredCapabilities, outputs, gates, optional, tasks, "");
    }

    /**
     * Checks and copies the components; adds each task's capability to the required capabilities.
     *
     * @throws IllegalArgumentException if an id, name, output or gate is blank, a capability is unknown, or
     *                                  there are no tasks.
     */
    public PhaseDefinition
    {
        TaskDefinition.requireNonBlank(id, "phase id");
        TaskDefinition.requireNonBlank(name, "name of phase '" + id + "'");
        final Set<String> capabilities = new LinkedHashSet<>();
        for (final String capability : Objects.requireNonNull(requiredCapabilities, "requiredCapabilities"))
        {
            capabilities.add(Capabilities.requireKnown(capability, "phase '" + id + "'"));
        }
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
        if (tasks.isEmpty())
        {
            throw new IllegalArgumentException("phase '" + id + "' must have at least one task but has none");
        }
        for (final TaskDefinition task : tasks)
        {
            capabilities.add(task.capability());
        }
        requiredCapabilities = Collections.unmodifiableSet(capabilities);
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        outputs.forEach(output -> TaskDefinition.requireNonBlank(output, "output of phase '" + id + "'"));
        gates = List.copyOf(Objects.requireNonNull(gates, "gates"));
        gates.forEach(gate -> TaskDefinition.requireNonBlank(gate, "gate of phase '" + id + "'"));
        performanceCommand = performanceCommand == null ? "" : performanceCommand.strip();
        final Set<String> taskIds = new HashSet<>();
        for (final TaskDefinition task : tasks)
        {
            if (!taskIds.add(task.id()))
            {
                throw new IllegalArgumentException("phase '" + id + "' declares task '" + task.id() + "' twice");
            }
        }
    }

    /**
     * Starts a builder; the name defaults to the id.
     *
     * @param id the phase id.
     * @return a new builder.
     */
    public static Builder builder(final String id)
    {
        return new Builder(id);
    }

    /**
     * Mutable builder for a {@link PhaseDefinition}; not thread-safe.
     */
    public static final class Builder
    {
        private final String id;
        private String name;
        private final Set<String> requiredCapabilities = new LinkedHashSet<>();
        private final List<String> outputs = new ArrayList<>();
        private final List<String> gates = new ArrayList<>();
        private boolean optional;
        private String performanceCommand = "";
        private final List<TaskDefinition> tasks = new ArrayList<>();

        private Builder(final String id)
        {
            this.id = id;
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
         * @param capabilities capabilities needed beyond those of the tasks; adds to any given before.
         * @return this.
         */
        public Builder requires(final String... capabilities)
        {
            requiredCapabilities.addAll(List.of(capabilities));
            return this;
        }

        /**
         * @param outputs what the phase produces; adds to any given before.
         * @return this.
         */
        public Builder outputs(final String... outputs)
        {
            this.outputs.addAll(List.of(outputs));
            return this;
        }

        /**
         * @param gates quality gate names; adds to any given before.
         * @return this.
         */
        public Builder gates(final String... gates)
        {
            this.gates.addAll(List.of(gates));
            return this;
        }

        /**
         * @param command the command whose p95 and peak memory the phase's performance gate measures.
         * @return this.
         */
        public Builder performanceCommand(final String command)
        {
            this.performanceCommand = command == null ? "" : command;
            return this;
        }

        /**
         * @param optional whether the phase may be skipped.
         * @return this.
         */
        public Builder optional(final boolean optional)
        {
            this.optional = optional;
            return this;
        }

        /**
         * @param task a task, appended after those given before.
         * @return this.
         */
        public Builder task(final TaskDefinition task)
        {
            tasks.add(Objects.requireNonNull(task, "task"));
            return this;
        }

        /**
         * @return the phase.
         * @throws IllegalArgumentException as {@link PhaseDefinition#PhaseDefinition} does.
         */
        public PhaseDefinition build()
        {
            return new PhaseDefinition(id, name == null ? id : name, requiredCapabilities, outputs, gates,
                optional, tasks, performanceCommand);
        }
    }
}
