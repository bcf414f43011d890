/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryPolicyTest
{
    private static final RetryOptions OPTIONS = RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofMillis(100))
        .setBackoffCoefficient(3.0)
        .setMaximumInterval(Duration.ofMillis(500))
        .setMaximumAttempts(4)
        .setNonRetryableErrorKinds("AUTH")
        .build();
    private static final RecoveryPolicy POLICY = new RecoveryPolicy(OPTIONS);

    private static Failure failure(final String kind, final int attempt, final boolean optional,
        final boolean decomposable)
    {
        return new Failure("task-7", kind, "boom", attempt, "coder", optional, decomposable);
    }

    private static TaskHistory history(final boolean alternative)
    {
        return new TaskHistory(Set.of("reviewer"), alternative, false);
    }

    @Test
    void retryableFailureIsRetriedWithExponentialCappedDelays()
    {
        final List<RecoveryAction> actions = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            actions.add(POLICY.decide(failure("TIMEOUT", attempt, false, false), history(true)));
        }
        assertAll(
            () -> assertEquals(new RecoveryAction.Retry(Duration.ofMillis(100), 2,
                "TIMEOUT on coder: attempt 1 of 4 failed, retrying"), actions.get(0)),
            () -> assertEquals(Duration.ofMillis(300), ((RecoveryAction.Retry)actions.get(1)).delay()),
            () -> assertEquals(Duration.ofMillis(500), ((RecoveryAction.Retry)actions.get(2)).delay()),
            () -> assertEquals(4, ((RecoveryAction.Retry)actions.get(2)).nextAttempt()));
    }

    @Test
    void exhaustedAttemptsMoveToAnAlternativeAgentExcludingEveryAgentTried()
    {
        final RecoveryAction action = POLICY.decide(failure("TIMEOUT", 4, false, true), history(true));
        assertEquals(new RecoveryAction.RetryWithAlternativeAgent(Set.of("coder", "reviewer"),
            "coder used all 4 attempts; trying another agent"), action);
    }

    @Test
    void nonRetryableKindGoesStraightToAnAlternativeAgent()
    {
        final RecoveryAction action = POLICY.decide(failure("AUTH", 1, false, false), history(true));
        assertEquals(new RecoveryAction.RetryWithAlternativeAgent(Set.of("coder", "reviewer"),
            "AUTH is not retryable; trying another agent"), action);
    }

    @Test
    void nonRetryableKindWithNoOtherRecourseGoesStraightToEscalation()
    {
        final RecoveryAction action = POLICY.decide(failure("AUTH", 1, false, false), history(false));
        assertEquals(new RecoveryAction.Escalate("AUTH is not retryable; no alternative agent; not decomposable; " +
            "task task-7 is required: boom"), action);
    }

    @Test
    void noAlternativeAgentDecomposesADecomposableTask()
    {
        final RecoveryAction action = POLICY.decide(failure("TIMEOUT", 4, true, true), history(false));
        assertEquals(new RecoveryAction.Decompose("task-7",
            "coder used all 4 attempts; no alternative agent; decomposing task-7"), action);
    }

    @Test
    void alreadyDecomposedTaskIsNotDecomposedAgain()
    {
        final RecoveryAction action = POLICY.decide(failure("TIMEOUT", 4, true, true),
            new TaskHistory(Set.of(), false, true));
        assertEquals(new RecoveryAction.SkipOptional("task-7",
            "coder used all 4 attempts; no alternative agent; already decomposed; skipping optional task"), action);
    }

    @Test
    void notDecomposableOptionalTaskIsSkipped()
    {
        final RecoveryAction action = POLICY.decide(failure("TIMEOUT", 4, true, false), history(false));
        assertEquals(new RecoveryAction.SkipOptional("task-7",
            "coder used all 4 attempts; no alternative agent; not decomposable; skipping optional task"), action);
    }

    @Test
    void requiredTaskWithNothingLeftIsEscalated()
    {
        final RecoveryAction action = POLICY.decide(failure("TIMEOUT", 4, false, false), history(false));
        assertEquals(new RecoveryAction.Escalate("coder used all 4 attempts; no alternative agent; " +
            "not decomposable; task task-7 is required: boom"), action);
    }

    @Test
    void unlimitedAttemptsAlwaysRetryARetryableFailure()
    {
        final RecoveryPolicy policy = new RecoveryPolicy(OPTIONS.toBuilder().setMaximumAttempts(0).build());
        final RecoveryAction action = policy.decide(failure("TIMEOUT", 1_000, false, false), history(true));
        assertAll(
            () -> assertEquals(Duration.ofMillis(500), assertInstanceOf(RecoveryAction.Retry.class, action).delay()),
            () -> assertTrue(action.reason().contains("attempt 1000 of unlimited"), action.reason()));
    }

    @Test
    void fullLadderReplaysToTheSameDecisions()
    {
        final List<RecoveryAction> first = ladder();
        final List<RecoveryAction> replay = ladder();
        assertEquals(first, replay);
        assertEquals(List.of(RecoveryAction.Retry.class, RecoveryAction.Retry.class, RecoveryAction.Retry.class,
                RecoveryAction.RetryWithAlternativeAgent.class, RecoveryAction.Retry.class, RecoveryAction.Retry.class,
                RecoveryAction.Retry.class, RecoveryAction.Decompose.class),
            first.stream().map(Object::getClass).toList());
    }

    @Test
    void blockingGateFailureEntersTheRetryStrategy()
    {
        final GateReport report = GateEvaluator.evaluate(QualityGates.defaults(),
            Map.of(Metric.TEST_COVERAGE_PERCENT, 79.9, Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0,
                Metric.DUPLICATION_PERCENT, 0.0, Metric.CRITICAL_VULNERABILITIES, 0.0,
                Metric.HIGH_VULNERABILITIES, 0.0));
        assertFalse(report.passed());
        final Failure failure = new Failure("task-7", GateReport.ERROR_KIND, report.summary(), 1, "coder", false,
            false);
        assertEquals(Duration.ofMillis(100),
            assertInstanceOf(RecoveryAction.Retry.class, POLICY.decide(failure, history(false))).delay());
    }

    /** Drives a required, decomposable task through two agents until the policy stops retrying. */
    private static List<RecoveryAction> ladder()
    {
        final List<RecoveryAction> actions = new ArrayList<>();
        final List<String> agents = List.of("coder", "coder-2");
        final List<String> tried = new ArrayList<>();
        for (final String agent : agents)
        {
            final boolean alternative = tried.size() + 1 < agents.size();
            for (int attempt = 1; ; attempt++)
            {
                final Failure failure = new Failure("task-7", "TIMEOUT", "boom", attempt, agent, false, true);
                final RecoveryAction action = POLICY.decide(failure, new TaskHistory(Set.copyOf(tried), alternative,
                    false));
                actions.add(action);
                if (!(action instanceof RecoveryAction.Retry))
                {
                    break;
                }
            }
            tried.add(agent);
        }
        return actions;
    }
}
