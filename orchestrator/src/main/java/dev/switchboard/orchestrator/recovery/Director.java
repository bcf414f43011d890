/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

/**
 * Where a failure goes when {@link RecoveryPolicy} has nothing automatic left
 * ({@link RecoveryAction.Escalate}): a person at a console, a supervising agent, or a rule.
 *
 * <p>Implementations say their own thread-safety; the orchestrator calls {@link #escalate} from one thread at a
 * time per workflow. The decision is recorded in the workflow's history, so replay uses the recorded decision
 * and does not call the Director again.
 */
@FunctionalInterface
public interface Director
{
    /**
     * Decides what happens to an escalated task.
     *
     * @param request the failure, what recovery tried, and why it gave up.
     * @return RETRY, SKIP, ABORT, REASSIGN (with an agent) or REPLAN, with a note; never null.
     */
    DirectorDecision escalate(EscalationRequest request);
}
