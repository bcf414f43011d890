/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.switchboard.orchestrator.gates.Metric;

/** How a {@link TaskHandler} finished a task. Immutable. */
public sealed interface TaskOutcome
{
    /**
     * @param metrics what the agent says it measured: reported and journaled, never read by a quality gate (the
     *                orchestrator measures the merged tree itself).
     * @return a success with no output.
     */
    static TaskOutcome success(final Map<Metric, Double> metrics)
    {
        return new Success(metrics, "", List.of(), List.of());
    }

    /**
     * @param summary      what was done, for people and the tasks that depend on this one.
     * @param changedFiles the files the agent says it changed (in git the runtime lists them itself).
     * @param artifacts    other outputs.
     * @return a success with that output and no metrics.
     */
    static TaskOutcome success(final String summary, final List<String> changedFiles, final List<String> artifacts)
    {
        return new Success(Map.of(), summary, changedFiles, artifacts);
    }

    /**
     * @param errorKind what kind of failure, e.g. {@code COMMAND_FAILED}; retry options match on it.
     * @param message   for people.
     * @return a failure.
     */
    static TaskOutcome failure(final String errorKind, final String message)
    {
        return new Failure(errorKind, message);
    }

    /**
     * @param metrics      what the agent reported about its own work.
     * @param summary      what was done; may be empty.
     * @param changedFiles files the agent says it changed.
     * @param artifacts    other outputs.
     */
    record Success(Map<Metric, Double> metrics, String summary, List<String> changedFiles, List<String> artifacts)
        implements TaskOutcome
    {
        /** Copies. */
        public Success
        {
            metrics = Map.copyOf(metrics);
            summary = summary == null ? "" : summary;
            changedFiles = changedFiles == null ? List.of() : List.copyOf(changedFiles);
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        }
    }

    /**
     * @param errorKind what kind of failure.
     * @param message   for people.
     */
    record Failure(String errorKind, String message) implements TaskOutcome
    {
        /** Validates. */
        public Failure
        {
            Objects.requireNonNull(errorKind, "errorKind");
            Objects.requireNonNull(message, "message");
            if (errorKind.isBlank())
            {
                throw new IllegalArgumentException("a failure needs an error kind (message: " + message + ")");
            }
        }
    }
}
