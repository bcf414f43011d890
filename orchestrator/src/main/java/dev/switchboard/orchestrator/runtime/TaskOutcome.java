/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.Map;
import java.util.Objects;

import dev.switchboard.orchestrator.gates.Metric;

/** How a {@link TaskHandler} finished a task. Immutable. */
public sealed interface TaskOutcome
{
    /**
     * @param metrics what the task measured; checked against the phase's quality gates.
     * @return a success.
     */
    static TaskOutcome success(final Map<Metric, Double> metrics)
    {
        return new Success(metrics);
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

    /** @param metrics what the task measured. */
    record Success(Map<Metric, Double> metrics) implements TaskOutcome
    {
        /** Copies. */
        public Success
        {
            metrics = Map.copyOf(metrics);
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
