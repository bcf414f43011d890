/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link RecoveryPolicy} decides to do about a {@link Failure}. A closed set of values: switch over it,
 * the compiler checks every case is handled.
 *
 * <p>Every implementation is an immutable record, thread-safe.
 */
public sealed interface RecoveryAction
{
    /**
     * @return why this action was chosen, for logs and for the Director.
     */
    String reason();

    /**
     * Run the task again on the same agent after {@code delay}.
     *
     * @param delay       the backoff to wait first.
     * @param nextAttempt the number the new attempt will carry.
     * @param reason      why.
     */
    record Retry(Duration delay, int nextAttempt, String reason) implements RecoveryAction
    {
        /** Validates. */
        public Retry
        {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
            if (delay.isNegative() || nextAttempt < 2)
            {
                throw new IllegalArgumentException(
                    "a retry needs a non-negative delay and attempt >= 2, was " + delay + " and " + nextAttempt);
            }
        }
    }

    /**
     * Run the task on another agent, starting again at attempt 1.
     *
     * @param excludedAgents agents that must not be chosen (every agent tried so far, the failing one included).
     * @param reason         why.
     */
    record RetryWithAlternativeAgent(Set<String> excludedAgents, String reason) implements RecoveryAction
    {
        /** Copies {@code excludedAgents}. */
        public RetryWithAlternativeAgent
        {
            excludedAgents = Set.copyOf(excludedAgents);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Split the task into subtasks; how is the planner's decision.
     *
     * @param taskId the task to split.
     * @param reason why.
     */
    record Decompose(String taskId, String reason) implements RecoveryAction
    {
        /** Validates. */
        public Decompose
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Go on without the task, which is optional.
     *
     * @param taskId the task skipped.
     * @param reason why.
     */
    record SkipOptional(String taskId, String reason) implements RecoveryAction
    {
        /** Validates. */
        public SkipOptional
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Nothing automatic is left: hand the failure to the {@link Director}.
     *
     * @param reason why, including what was exhausted.
     */
    record Escalate(String reason) implements RecoveryAction
    {
        /** Validates. */
        public Escalate
        {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
