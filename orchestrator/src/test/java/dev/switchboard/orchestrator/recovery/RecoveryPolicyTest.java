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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** R retry after backoff, N re-run now, A another agent, D decompose, S skip, E escalate. */
    private static String letter(final RecoveryAction action)
    {
        return switch (action)
        {
            case RecoveryAction.Retry retry -> retry.delay().isZero() ? "N" : "R";
            case RecoveryAction.RetryWithAlternativeAgent _ -> "A";
            case RecoveryAction.Decompose _ -> "D";
            case RecoveryAction.SkipOptional _ -> "S";
            case RecoveryAction.Escalate _ -> "E";
        };
    }

    /**
     * Every class in five situations: first attempt with everything available; the agent's attempts used up with
     * another agent free; no other agent and a decomposable task; no other agent, optional, not decomposable; the
     * same but required.
     */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "UNREACHABLE,         TRANSIENT,           R, A, E, S, E",
        "AGENT_FAILED,        TRANSIENT,           R, A, E, S, E",
        "SOMETHING_NEW,       TRANSIENT,           R, A, E, S, E",
        "AGENT_CRASHED,       AGENT_FAILURE,       A, A, E, S, E",
        "AGENT_LOST,          AGENT_FAILURE,       A, A, E, S, E",
        "CAPABILITY_MISMATCH, CAPABILITY_MISMATCH, A, A, E, S, E",
        "TOO_COMPLEX,         TOO_COMPLEX,         D, D, D, S, E",
        "TASK_TIMEOUT,        TIMEOUT,             A, A, D, S, E",
        "AGENT_TIMED_OUT,     TIMEOUT,             A, A, D, S, E",
        "MERGE_CONFLICT,      MERGE_CONFLICT,      N, A, E, S, E",
        "QUALITY_GATE_FAILED, GATE_FAILURE,        E, E, E, E, E",
        "INVALID_RESULT,      PERMANENT,           A, A, E, S, E",
        "AUTH,                PERMANENT,           A, A, E, S, E"})
    void everyClassFollowsItsLadder(final String kind, final FailureClass expectedClass, final String first,
        final String exhausted, final String noAgentDecomposable, final String nothingLeftOptional,
        final String nothingLeftRequired)
    {
        assertEquals(expectedClass, OPTIONS.classOf(kind));
        final List<RecoveryAction> actions = List.of(
            POLICY.decide(failure(kind, 1, false, true), history(true)),
            POLICY.decide(failure(kind, 4, false, true), history(true)),
            POLICY.decide(failure(kind, 4, false, true), history(false)),
            POLICY.decide(failure(kind, 4, true, false), history(false)),
            POLICY.decide(failure(kind, 4, false, false), history(false)));
        assertEquals(List.of(first, exhausted, noAgentDecomposable, nothingLeftOptional, nothingLeftRequired),
            actions.stream().map(RecoveryPolicyTest::letter).toList(), actions.toString());
        for (final RecoveryAction action : actions)
        {
            assertTrue(action.reason().startsWith(expectedClass.label() + ": " + kind + " on coder"), action.reason());
        }
    }

    @Test
    void transientFailureIsRetriedWithExponentialCappedDelays()
    {
        final List<RecoveryAction> actions = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            actions.add(POLICY.decide(failure("UNREACHABLE", attempt, false, false), history(true)));
        }
        assertAll(
            () -> assertEquals(new RecoveryAction.Retry(Duration.ofMillis(100), 2,
                "TRANSIENT (transient): UNREACHABLE on coder, attempt 1 of 4; retrying on coder after 100 ms"),
                actions.get(0)),
            () -> assertEquals(Duration.ofMillis(300), ((RecoveryAction.Retry)actions.get(1)).delay()),
            () -> assertEquals(Duration.ofMillis(500), ((RecoveryAction.Retry)actions.get(2)).delay()),
            () -> assertEquals(4, ((RecoveryAction.Retry)actions.get(2)).nextAttempt()));
    }

    @Test
    void mergeConflictIsReRunAtOnceFromTheMergedHead()
    {
        final RecoveryAction action = POLICY.decide(
            new Failure("api", "MERGE_CONFLICT", "conflict in Api.java", 1, "Constructor", false, false),
            history(true));

        assertEquals(new RecoveryAction.Retry(Duration.ZERO, 2, "MERGE_CONFLICT (merge conflict): MERGE_CONFLICT " +
            "on Constructor, attempt 1 of 4; re-running on Constructor from the merged head"), action);
    }

    @Test
    void exhaustedAttemptsMoveToAnAlternativeAgentExcludingEveryAgentTried()
    {
        final RecoveryAction action = POLICY.decide(failure("UNREACHABLE", 4, false, true), history(true));
        assertEquals(new RecoveryAction.RetryWithAlternativeAgent(Set.of("coder", "reviewer"),
            "TRANSIENT (transient): UNREACHABLE on coder; coder used all 4 attempts; trying another agent"), action);
    }

    @Test
    void capabilityMismatchIsNeverRetriedOnTheSameAgent()
    {
        final RecoveryAction action = POLICY.decide(failure("CAPABILITY_MISMATCH", 1, false, false), history(true));
        assertEquals(new RecoveryAction.RetryWithAlternativeAgent(Set.of("coder", "reviewer"),
            "CAPABILITY_MISMATCH (capability mismatch): CAPABILITY_MISMATCH on coder, not retried on coder; " +
                "trying another agent"), action);
    }

    @Test
    void nonRetryableKindWithNoOtherRecourseGoesStraightToEscalation()
    {
        final RecoveryAction action = POLICY.decide(failure("AUTH", 1, false, false), history(false));
        assertEquals(new RecoveryAction.Escalate("PERMANENT (permanent): AUTH on coder, not retried on coder; " +
            "no alternative agent; " +
            "task task-7 is required: boom"), action);
    }

    @Test
    void timeoutWithNoOtherAgentDecomposesTheTaskIntoSmallerScopes()
    {
        final RecoveryAction action = POLICY.decide(failure("TASK_TIMEOUT", 1, true, true), history(false));
        assertEquals(new RecoveryAction.Decompose("task-7", "TIMEOUT (timeout): TASK_TIMEOUT on coder, not retried " +
            "on coder; no alternative agent; decomposing task-7 into smaller scopes"), action);
    }

    @Test
    void tooComplexTaskIsDecomposedBeforeAnotherAgentTriesIt()
    {
        assertInstanceOf(RecoveryAction.Decompose.class,
            POLICY.decide(failure("TOO_COMPLEX", 1, false, true), history(true)));
        assertInstanceOf(RecoveryAction.RetryWithAlternativeAgent.class,
            POLICY.decide(failure("TOO_COMPLEX", 1, false, true), new TaskHistory(Set.of(), true, true)));
    }

    @Test
    void alreadyDecomposedTaskIsNotDecomposedAgain()
    {
        final RecoveryAction action = POLICY.decide(failure("TASK_TIMEOUT", 1, true, true),
            new TaskHistory(Set.of(), false, true));
        assertEquals(new RecoveryAction.SkipOptional("task-7", "TIMEOUT (timeout): TASK_TIMEOUT on coder, not " +
            "retried on coder; no alternative agent; already decomposed; skipping optional task"), action);
    }

    @Test
    void requiredTaskWithNothingLeftIsEscalated()
    {
        final RecoveryAction action = POLICY.decide(failure("UNREACHABLE", 4, false, false), history(false));
        assertEquals(new RecoveryAction.Escalate("TRANSIENT (transient): UNREACHABLE on coder; coder used all 4 " +
            "attempts; no alternative agent; task task-7 is required: boom"), action);
    }

    @Test
    void unlimitedAttemptsAlwaysRetryATransientFailure()
    {
        final RecoveryPolicy policy = new RecoveryPolicy(OPTIONS.toBuilder().setMaximumAttempts(0).build());
        final RecoveryAction action = policy.decide(failure("UNREACHABLE", 1_000, false, false), history(true));
        assertAll(
            () -> assertEquals(Duration.ofMillis(500), assertInstanceOf(RecoveryAction.Retry.class, action).delay()),
            () -> assertTrue(action.reason().contains("attempt 1000 of unlimited"), action.reason()));
    }

    @Test
    void blockingGateFailureIsEscalatedWithTheGateSummaryNotRetried()
    {
        final GateReport report = GateEvaluator.evaluate(QualityGates.defaults(),
            Map.of(Metric.TEST_COVERAGE_PERCENT, 79.9, Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0,
                Metric.DUPLICATION_PERCENT, 0.0, Metric.CRITICAL_VULNERABILITIES, 0.0,
                Metric.HIGH_VULNERABILITIES, 0.0));
        assertFalse(report.passed());
        final Failure failure = new Failure("task-7", GateReport.ERROR_KIND, report.summary(), 1, "coder", true,
            true);

        final RecoveryAction action = POLICY.decide(failure, history(true));

        assertInstanceOf(RecoveryAction.Escalate.class, action);
        assertTrue(action.reason().startsWith("GATE_FAILURE (gate failure): "), action.reason());
        assertTrue(action.reason().endsWith(report.summary()), action.reason());
    }

    @Test
    void classifyingAKindOverridesTheBuiltInTable()
    {
        final RecoveryPolicy policy = new RecoveryPolicy(RetryOptions.newBuilder()
            .classify("AGENT_FAILED", FailureClass.PERMANENT)
            .classify("RATE_LIMITED", FailureClass.TRANSIENT)
            .classify(GateReport.ERROR_KIND, FailureClass.TRANSIENT)
            .build());

        assertInstanceOf(RecoveryAction.RetryWithAlternativeAgent.class,
            policy.decide(failure("AGENT_FAILED", 1, false, false), history(true)));
        assertInstanceOf(RecoveryAction.Retry.class,
            policy.decide(failure("RATE_LIMITED", 1, false, false), history(true)));
        assertInstanceOf(RecoveryAction.Retry.class,
            policy.decide(failure(GateReport.ERROR_KIND, 1, false, false), history(true)));
    }

    @Test
    void fullLadderReplaysToTheSameDecisions()
    {
        final List<RecoveryAction> first = ladder("UNREACHABLE");
        assertEquals(first, ladder("UNREACHABLE"));
        assertEquals(List.of(RecoveryAction.Retry.class, RecoveryAction.Retry.class, RecoveryAction.Retry.class,
                RecoveryAction.RetryWithAlternativeAgent.class, RecoveryAction.Retry.class, RecoveryAction.Retry.class,
                RecoveryAction.Retry.class, RecoveryAction.Escalate.class),
            first.stream().map(Object::getClass).toList());
        assertEquals(List.of(RecoveryAction.RetryWithAlternativeAgent.class, RecoveryAction.Decompose.class),
            ladder("TASK_TIMEOUT").stream().map(Object::getClass).toList());
    }

    /** Drives a required, decomposable task through two agents until the policy stops running it. */
    private static List<RecoveryAction> ladder(final String kind)
    {
        final List<RecoveryAction> actions = new ArrayList<>();
        final List<String> agents = List.of("coder", "coder-2");
        final List<String> tried = new ArrayList<>();
        for (final String agent : agents)
        {
            final boolean alternative = tried.size() + 1 < agents.size();
            for (int attempt = 1; ; attempt++)
            {
                final Failure failure = new Failure("task-7", kind, "boom", attempt, agent, false, true);
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
