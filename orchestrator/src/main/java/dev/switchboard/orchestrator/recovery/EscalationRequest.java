/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the {@link Director} is told about an escalated task.
 *
 * <p>Immutable and thread-safe.
 *
 * @param failure     the last failure.
 * @param agentsTried every agent that ran the task, the failing one included.
 * @param reason      why recovery gave up, from {@link RecoveryAction.Escalate#reason()}.
 */
public record EscalationRequest(Failure failure, Set<String> agentsTried, String reason)
{
    /** Validates and copies. */
    public EscalationRequest
    {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(reason, "reason");
        agentsTried = Set.copyOf(agentsTried);
    }

    /**
     * @param failure  the last failure.
     * @param history  the task's history.
     * @param escalate the policy's decision.
     * @return the request for that escalation.
     */
    public static EscalationRequest of(final Failure failure, final TaskHistory history,
        final RecoveryAction.Escalate escalate)
    {
        final Set<String> agents = new HashSet<>(history.agentsTried());
        agents.add(failure.agentName());
        return new EscalationRequest(failure, agents, escalate.reason());
    }
}
