/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.List;
import java.util.Objects;

import dev.switchboard.orchestrator.workflow.TaskDefinition;

/**
 * The pieces of the repository a task's context concerns (files, modules, methods), in a stable order, for
 * {@link TaskDecomposer#byContext} to split the task along. {@link RepositoryContextUnits} finds them from a
 * repository analysis; {@link #NONE} knows of none, so only tasks that declare their paths can be split.
 *
 * <p>Implementations must be thread-safe and should be deterministic: the same task gives the same units.
 */
@FunctionalInterface
public interface ContextUnits
{
    /** Knows of no unit: a task is split only by its declared {@link TaskDefinition#paths() paths}. */
    ContextUnits NONE = task -> List.of();

    /**
     * @param task a task to split.
     * @return the units its context concerns, in order; empty when none is known.
     */
    List<Unit> of(TaskDefinition task);

    /** What a unit is. */
    enum Kind
    {
        /** One file. */
        FILE,
        /** A directory holding a build of its own (a Maven module, an npm or Python package) or a source tree. */
        MODULE,
        /** One method, in its file. */
        METHOD
    }

    /**
     * One piece of a task's scope. Immutable.
     *
     * @param kind  what it is.
     * @param path  relative to the repository, with {@code /}: the file, the module's directory, the method's file,
     *              or a declared glob.
     * @param label how people and agents name it: the path, or {@code Type#method(..)} for a method.
     */
    record Unit(Kind kind, String path, String label)
    {
        /** Validates. */
        public Unit
        {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(label, "label");
            if (path.isBlank())
            {
                throw new IllegalArgumentException("a unit's path must not be blank, label '" + label + "'");
            }
        }

        /** @return the glob a subtask working on this unit may touch: the file, or everything under a module. */
        public String glob()
        {
            return kind == Kind.MODULE && !path.endsWith("**") ? path + "/**" : path;
        }

        /** @return the label, with its file for a method: {@code Api#parse(String) in src/Api.java}. */
        public String describe()
        {
            return kind == Kind.METHOD ? label + " in " + path : label;
        }
    }
}
