/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DirectorTest
{
    /** Answers from a script and records every request. */
    private static final class ScriptedDirector implements Director
    {
        private final Deque<DirectorDecision> script;
        private final List<EscalationRequest> requests = new ArrayList<>();

        ScriptedDirector(final DirectorDecision... decisions)
        {
            script = new ArrayDeque<>(List.of(decisions));
        }

        @Override
        public DirectorDecision escalate(final EscalationRequest request)
        {
            requests.add(request);
            return script.removeFirst();
        }
    }

    @Test
    void escalationReachesTheDirectorWithEveryAgentTriedAndTheReason()
    {
        final RecoveryPolicy policy = new RecoveryPolicy(RetryOptions.newBuilder().setMaximumAttempts(1).build());
        final Failure failure = new Failure("task-9", "CRASH", "agent exited 137", 1, "coder-2", false, false);
        final TaskHistory history = new TaskHistory(Set.of("coder"), false, false);
        final RecoveryAction.Escalate escalate =
            assertInstanceOf(RecoveryAction.Escalate.class, policy.decide(failure, history));

        final ScriptedDirector director = new ScriptedDirector(DirectorDecision.abort("needs a human"));
        final DirectorDecision decision = director.escalate(EscalationRequest.of(failure, history, escalate));

        final EscalationRequest request = director.requests.getFirst();
        assertAll(
            () -> assertEquals(new DirectorDecision(DirectorDecision.Verdict.ABORT, "needs a human"), decision),
            () -> assertEquals(Set.of("coder", "coder-2"), request.agentsTried()),
            () -> assertEquals(failure, request.failure()),
            () -> assertEquals("TRANSIENT (transient): CRASH on coder-2; coder-2 used its only attempt; " +
                "no alternative agent; task task-9 is required: agent exited 137", request.reason()));
    }

    @Test
    void directorVerdictsAreRetrySkipAndAbort()
    {
        assertAll(
            () -> assertEquals(DirectorDecision.Verdict.RETRY, DirectorDecision.retry("new agent").verdict()),
            () -> assertEquals(DirectorDecision.Verdict.SKIP, DirectorDecision.skip("not needed").verdict()),
            () -> assertEquals(DirectorDecision.Verdict.ABORT, DirectorDecision.abort("stop").verdict()));
    }

    @Test
    void failureRejectsAttemptZeroAndBlankNames()
    {
        assertAll(
            () -> assertEquals("attempt numbers start at 1, was 0 for task t", assertThrows(
                IllegalArgumentException.class, () -> new Failure("t", "K", "m", 0, "a", false, false)).getMessage()),
            () -> assertEquals("taskId, errorKind and agentName must not be blank, were 't', ' ', 'a'", assertThrows(
                IllegalArgumentException.class, () -> new Failure("t", " ", "m", 1, "a", false, false)).getMessage()));
    }
}
