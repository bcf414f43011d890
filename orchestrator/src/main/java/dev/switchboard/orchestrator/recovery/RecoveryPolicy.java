/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Decides the next {@link RecoveryAction} for a {@link Failure}, trying in this order and taking the first that
 * applies:
 * <ol>
 *   <li><b>Retry</b> on the same agent after {@link RetryOptions#delayForAttempt backoff}, when the error kind is
 *       retryable and {@link RetryOptions#maximumAttempts()} allows another attempt.</li>
 *   <li><b>Alternative agent</b>, when {@link TaskHistory#alternativeAgentAvailable()}; every agent tried so far
 *       is excluded. The new agent starts at attempt 1 with a fresh retry budget. A non-retryable error kind skips
 *       step 1 only: another agent may not hit the same error.</li>
 *   <li><b>Decompose</b>, when {@link Failure#decomposable()} and the task has not been decomposed already.</li>
 *   <li><b>Skip</b>, when {@link Failure#optional()}.</li>
 *   <li><b>Escalate</b> to the {@link Director}, with a reason saying what was exhausted.</li>
 * </ol>
 * Cheapest and most local first: a retry costs one delay; a new agent loses the first agent's context;
 * decomposition changes the plan; skipping loses the task's result; escalation needs a person or the Director.
 *
 * <p>Deterministic: {@link #decide} is a pure function of the options, the failure and the history (no clock, no
 * randomness, no live lookups), so replaying a recorded history reproduces every decision. Thread-safe
 * (immutable); allocates the action.
 */
public final class RecoveryPolicy
{
    private final RetryOptions retryOptions;

    /**
     * @param retryOptions how retries on the same agent are paced and bounded.
     */
    public RecoveryPolicy(final RetryOptions retryOptions)
    {
        this.retryOptions = Objects.requireNonNull(retryOptions, "retryOptions");
    }

    /** @return the retry options this policy applies. */
    public RetryOptions retryOptions()
    {
        return retryOptions;
    }

    /**
     * The next action for {@code failure}.
     *
     * @param failure the attempt that failed.
     * @param history what else is known about the task.
     * @return the action; never null.
     */
    public RecoveryAction decide(final Failure failure, final TaskHistory history)
    {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(history, "history");

        final boolean retryable = retryOptions.isRetryable(failure.errorKind());
        if (retryable && retryOptions.allowsAttemptAfter(failure.attempt()))
        {
            final int next = failure.attempt() + 1;
            return new RecoveryAction.Retry(retryOptions.delayForAttempt(next), next,
                failure.errorKind() + " on " + failure.agentName() + ": attempt " + failure.attempt() + " of " +
                attemptsText() + " failed, retrying");
        }

        final String exhausted = retryable ?
            failure.agentName() + (retryOptions.maximumAttempts() == 1 ?
                " used its only attempt" : " used all " + retryOptions.maximumAttempts() + " attempts") :
            failure.errorKind() + " is not retryable";

        if (history.alternativeAgentAvailable())
        {
            final Set<String> excluded = new HashSet<>(history.agentsTried());
            excluded.add(failure.agentName());
            return new RecoveryAction.RetryWithAlternativeAgent(excluded, exhausted + "; trying another agent");
        }
        final String noAgent = exhausted + "; no alternative agent";

        if (failure.decomposable() && !history.decomposed())
        {
            return new RecoveryAction.Decompose(failure.taskId(), noAgent + "; decomposing " + failure.taskId());
        }
        final String noSplit = noAgent + "; " +
            (failure.decomposable() ? "already decomposed" : "not decomposable");

        if (failure.optional())
        {
            return new RecoveryAction.SkipOptional(failure.taskId(), noSplit + "; skipping optional task");
        }
        return new RecoveryAction.Escalate(noSplit + "; task " + failure.taskId() + " is required: " +
            failure.message());
    }

    private String attemptsText()
    {
        return retryOptions.maximumAttempts() == RetryOptions.UNLIMITED_ATTEMPTS ?
            "unlimited" : Integer.toString(retryOptions.maximumAttempts());
    }
}
