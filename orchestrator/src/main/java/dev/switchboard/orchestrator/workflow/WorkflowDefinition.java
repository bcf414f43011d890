/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workflow: a name, a description and its phases in order. Immutable and thread-safe.
 * <p>
 * A definition checks its own fields but not the dependency DAG across its tasks; {@link TaskGraph#of} does
 * that (unknown or duplicate ids, self-dependencies, cycles). Definitions from {@link WorkflowTemplates} and
 * {@link WorkflowLoader} have already passed that check.
 *
 * @param name        the workflow's name, e.g. {@code "feature"}.
 * @param description one line on what the workflow is for; may be empty.
 * @param phases      the phases in order, at least one, with distinct ids.
 */
public record WorkflowDefinition(String name, String description, List<PhaseDefinition> phases)
{
    /**
     * Checks and copies the components.
     *
     * @throws IllegalArgumentException if the name is blank, there are no phases or two phases share an id.
     */
    public WorkflowDefinition
    {
        TaskDefinition.requireNonBlank(name, "workflow name");
        Objects.requireNonNull(description, "description");
        phases = List.copyOf(Objects.requireNonNull(phases, "phases"));
        if (phases.isEmpty())
        {
            throw new IllegalArgumentException("workflow '" + name + "' must have at least one phase but has none");
        }
        final Set<String> ids = new HashSet<>();
        for (final PhaseDefinition phase : phases)
        {
            if (!ids.add(phase.id()))
            {
                throw new IllegalArgumentException(
                    "workflow '" + name + "' declares phase '" + phase.id() + "' twice");
            }
        }
    }

    /**
     * Starts a builder with an empty description.
     *
     * @param name the workflow's name.
     * @return a new builder.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /**
     * Every task of every phase, in declaration order. Allocates a new list per call.
     *
     * @return the tasks.
     */
    public List<TaskDefinition> tasks()
    {
        final List<TaskDefinition> tasks = new ArrayList<>();
        phases.forEach(phase -> tasks.addAll(phase.tasks()));
        return List.copyOf(tasks);
    }

    /**
     * @param id a phase id.
     * @return the phase with that id, if any.
     */
    public Optional<PhaseDefinition> phase(final String id)
    {
        return phases.stream().filter(phase -> phase.id().equals(id)).findFirst();
    }

    /**
     * @return the phase ids in order.
     */
    public List<String> phaseIds()
    {
        return phases.stream().map(PhaseDefinition::id).toList();
    }

    /**
     * Mutable builder for a {@link WorkflowDefinition}; not thread-safe.
     */
    public static final class Builder
    {
        private final String name;
        private String description = "";
        private final List<PhaseDefinition> phases = new ArrayList<>();

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * @param description one line on what the workflow is for.
         * @return this.
         */
        public Builder description(final String description)
        {
            this.description = description;
            return this;
        }

        /**
         * @param phase a phase, appended after those given before.
         * @return this.
         */
        public Builder phase(final PhaseDefinition phase)
        {
            phases.add(Objects.requireNonNull(phase, "phase"));
            return this;
        }

        /**
         * @return the definition, whose DAG is not yet checked; see {@link #buildChecked()}.
         * @throws IllegalArgumentException as {@link WorkflowDefinition#WorkflowDefinition} does.
         */
        public WorkflowDefinition build()
        {
            return new WorkflowDefinition(name, description, phases);
        }

        /**
         * Builds the definition and checks its task DAG.
         *
         * @return the definition.
         * @throws IllegalArgumentException     as {@link #build()} does.
         * @throws WorkflowValidationException if the DAG is invalid, as {@link TaskGraph#of} reports it.
         */
        public WorkflowDefinition buildChecked()
        {
            final WorkflowDefinition definition = build();
            TaskGraph.of(definition);
            return definition;
        }
    }
}
