/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.Objects;
import java.util.Set;

/**
 * What recovery needs to know about a task beyond its latest {@link Failure}. Recorded with the decision so that
 * replay sees the same facts: whether an alternative agent existed is captured here as a value, never looked up
 * live by the policy.
 *
 * <p>Immutable and thread-safe.
 *
 * @param agentsTried                agents that have already run this task (before the current one); copied.
 * @param alternativeAgentAvailable  whether some capable agent outside {@code agentsTried} and the failing agent
 *                                   exists.
 * @param decomposed                 whether this task is already the product of a decomposition, or has been
 *                                   decomposed once; it is not split again.
 */
public record TaskHistory(Set<String> agentsTried, boolean alternativeAgentAvailable, boolean decomposed)
{
    /** Copies {@code agentsTried}. */
    public TaskHistory
    {
        agentsTried = Set.copyOf(Objects.requireNonNull(agentsTried, "agentsTried"));
    }

    /**
     * @param alternativeAgentAvailable whether another capable agent exists.
     * @return the history of a task on its first agent, not decomposed.
     */
    public static TaskHistory firstAgent(final boolean alternativeAgentAvailable)
    {
        return new TaskHistory(Set.of(), alternativeAgentAvailable, false);
    }
}
