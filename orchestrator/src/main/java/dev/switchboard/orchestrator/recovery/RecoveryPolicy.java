/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides the next {@link RecoveryAction} for a {@link Failure} by its {@link FailureClass}: each class has its own
 * ladder of steps, tried in order, the first that applies taken.
 *
 * <table>
 *   <caption>The ladder of each class</caption>
 *   <tr><th>class</th><th>steps</th></tr>
 *   <tr><td>TRANSIENT</td><td>retry after backoff, alternative agent, skip, escalate</td></tr>
 *   <tr><td>AGENT_FAILURE</td><td>alternative agent, skip, escalate</td></tr>
 *   <tr><td>CAPABILITY_MISMATCH</td><td>alternative agent, skip, escalate</td></tr>
 *   <tr><td>TOO_COMPLEX</td><td>decompose, alternative agent, skip, escalate</td></tr>
 *   <tr><td>TIMEOUT</td><td>alternative agent, decompose, skip, escalate</td></tr>
 *   <tr><td>MERGE_CONFLICT</td><td>re-run at once, alternative agent, skip, escalate</td></tr>
 *   <tr><td>GATE_FAILURE</td><td>escalate</td></tr>
 *   <tr><td>PERMANENT</td><td>alternative agent, skip, escalate</td></tr>
 * </table>
 * <ul>
 *   <li><b>Retry</b> on the same agent after {@link RetryOptions#delayForAttempt backoff}, while
 *       {@link RetryOptions#maximumAttempts()} allows another attempt. Only transient failures wait and try
 *       again: nothing else changes between two attempts but time.</li>
 *   <li><b>Re-run at once</b> on the same agent, bounded by the same attempts: a merge conflict's next attempt
 *       starts from the merged head, so it sees the work that beat it; waiting would change nothing.</li>
 *   <li><b>Alternative agent</b>, when {@link TaskHistory#alternativeAgentAvailable()}; every agent tried so far
 *       is excluded. The new agent starts at attempt 1 with a fresh budget.</li>
 *   <li><b>Decompose</b>, when {@link Failure#decomposable()} and the task has not been decomposed already: into
 *       subtasks of smaller scope, by {@link TaskDecomposer}.</li>
 *   <li><b>Skip</b>, when {@link Failure#optional()}.</li>
 *   <li><b>Escalate</b> to the {@link Director}, with a reason saying what was exhausted. A gate failure goes
 *       there at once with the gate summary: gates are remediated by the engine (remediation tasks), and a gate
 *       failure that reaches the policy is one the engine did not remediate.</li>
 * </ul>
 * Every reason starts with the class, e.g. {@code MERGE_CONFLICT (merge conflict): re-running on Constructor from
 * the merged head}, so the journal, the Director and the report say why recovery chose what it did.
 *
 * <p>Deterministic: {@link #decide} is a pure function of the options, the failure and the history (no clock, no
 * randomness, no live lookups), so replaying a recorded history reproduces every decision. Thread-safe
 * (immutable); allocates the action.
 */
public final class RecoveryPolicy
{
    /** One rung of a class's ladder. */
    private enum Step
    {
        RETRY_AFTER_BACKOFF,
        RERUN_AT_ONCE,
        ALTERNATIVE_AGENT,
        DECOMPOSE,
        SKIP_OPTIONAL,
        ESCALATE
    }

    private final RetryOptions retryOptions;

    /**
     * @param retryOptions how retries on the same agent are paced and bounded, and how error kinds are classified.
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
     * @param failure a failed attempt.
     * @return its class, by {@link RetryOptions#classOf}.
     */
    public FailureClass classify(final Failure failure)
    {
        return retryOptions.classOf(failure.errorKind());
    }

    /**
     * The next action for {@code failure}.
     *
     * @param failure the attempt that failed.
     * @param history what else is known about the task.
     * @return the action, its reason starting with the failure's class; never null.
     */
    public RecoveryAction decide(final Failure failure, final TaskHistory history)
    {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(history, "history");

        final FailureClass failureClass = classify(failure);
        final StringBuilder why = new StringBuilder(failureClass.label()).append(": ")
            .append(failure.errorKind()).append(" on ").append(failure.agentName());
        if (!failureClass.retriesOnSameAgent() && failureClass != FailureClass.GATE_FAILURE)
        {
            why.append(", not retried on ").append(failure.agentName());
        }
        for (final Step step : ladder(failureClass))
        {
            final RecoveryAction action = attempt(step, failureClass, failure, history, why);
            if (action != null)
            {
                return action;
            }
        }
        throw new IllegalStateException("every ladder ends in ESCALATE; " + failureClass + " did not");
    }

    private static List<Step> ladder(final FailureClass failureClass)
    {
        return switch (failureClass)
        {
            case TRANSIENT -> List.of(Step.RETRY_AFTER_BACKOFF, Step.ALTERNATIVE_AGENT, Step.SKIP_OPTIONAL,
                Step.ESCALATE);
            case AGENT_FAILURE, CAPABILITY_MISMATCH, PERMANENT -> List.of(Step.ALTERNATIVE_AGENT, Step.SKIP_OPTIONAL,
                Step.ESCALATE);
            case TOO_COMPLEX -> List.of(Step.DECOMPOSE, Step.ALTERNATIVE_AGENT, Step.SKIP_OPTIONAL, Step.ESCALATE);
            case TIMEOUT -> List.of(Step.ALTERNATIVE_AGENT, Step.DECOMPOSE, Step.SKIP_OPTIONAL, Step.ESCALATE);
            case MERGE_CONFLICT -> List.of(Step.RERUN_AT_ONCE, Step.ALTERNATIVE_AGENT, Step.SKIP_OPTIONAL,
                Step.ESCALATE);
            case GATE_FAILURE -> List.of(Step.ESCALATE);
        };
    }

    /**
     * Takes {@code step} when it applies; otherwise appends why it did not to {@code why} and returns null.
     */
    private RecoveryAction attempt(final Step step, final FailureClass failureClass, final Failure failure,
        final TaskHistory history, final StringBuilder why)
    {
        final String agent = failure.agentName();
        switch (step)
        {
            case RETRY_AFTER_BACKOFF, RERUN_AT_ONCE ->
            {
                if (retryOptions.allowsAttemptAfter(failure.attempt()))
                {
                    final int next = failure.attempt() + 1;
                    final boolean backoff = step == Step.RETRY_AFTER_BACKOFF;
                    final Duration delay = backoff ? retryOptions.delayForAttempt(next) : Duration.ZERO;
                    why.append(", attempt ").append(failure.attempt()).append(" of ").append(attemptsText())
                        .append(backoff ? "; retrying on " + agent + " after " + text(delay) :
                            "; re-running on " + agent + " from the merged head");
                    return new RecoveryAction.Retry(delay, next, why.toString());
                }
                why.append("; ").append(agent).append(retryOptions.maximumAttempts() == 1 ?
                    " used its only attempt" : " used all " + retryOptions.maximumAttempts() + " attempts");
                return null;
            }
            case ALTERNATIVE_AGENT ->
            {
                if (history.alternativeAgentAvailable())
                {
                    final Set<String> excluded = new HashSet<>(history.agentsTried());
                    excluded.add(agent);
                    why.append("; trying another agent");
                    return new RecoveryAction.RetryWithAlternativeAgent(excluded, why.toString());
                }
                why.append("; no alternative agent");
                return null;
            }
            case DECOMPOSE ->
            {
                if (failure.decomposable() && !history.decomposed())
                {
                    why.append("; decomposing ").append(failure.taskId()).append(" into smaller scopes");
                    return new RecoveryAction.Decompose(failure.taskId(), why.toString());
                }
                why.append(failure.decomposable() ? "; already decomposed" : "; not decomposable");
                return null;
            }
            case SKIP_OPTIONAL ->
            {
                if (failure.optional())
                {
                    return new RecoveryAction.SkipOptional(failure.taskId(), why + "; skipping optional task");
                }
                return null;
            }
            case ESCALATE ->
            {
                if (failureClass == FailureClass.GATE_FAILURE)
                {
                    why.append("; gates are remediated, not retried");
                }
                return new RecoveryAction.Escalate(why + "; task " + failure.taskId() + " is " +
                    (failure.optional() ? "optional but was not skipped" : "required") + ": " + failure.message());
            }
            default -> throw new IllegalStateException("unknown step " + step);
        }
    }

    private String attemptsText()
    {
        return retryOptions.maximumAttempts() == RetryOptions.UNLIMITED_ATTEMPTS ?
            "unlimited" : Integer.toString(retryOptions.maximumAttempts());
    }

    private static String text(final Duration delay)
    {
        return delay.toMillis() % 1000 == 0 ? delay.toSeconds() + " s" : delay.toMillis() + " ms";
    }
}
