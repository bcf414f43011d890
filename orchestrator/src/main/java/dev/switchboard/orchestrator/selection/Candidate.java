/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Objects;
import java.util.Set;

/**
 * A registered agent as the selector sees it: what it can do, how busy it is and how it has fared.
 *
 * <p>Thread-safety: immutable (the capability set is copied), safe to share. Allocation: the constructor
 * copies the capability set; accessors allocate nothing.
 *
 * @param name         the agent's unique name; not blank.
 * @param agentId      the agent's registry id.
 * @param capabilities what the agent can do; copied, no nulls.
 * @param load         tasks the agent is running now; in [0, capacity].
 * @param capacity     the most tasks the agent may run at once; at least 1.
 * @param successes    tasks the agent has completed successfully; not negative.
 * @param failures     tasks the agent has failed; not negative.
 */
public record Candidate(
    String name, long agentId, Set<String> capabilities, int load, int capacity, long successes, long failures)
{
    /**
     * @throws NullPointerException     if name or capabilities (or one of its elements) is null.
     * @throws IllegalArgumentException if a field is outside the range documented on the record.
     */
    public Candidate
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capabilities, "capabilities");
        if (name.isBlank())
        {
            throw new IllegalArgumentException("candidate name must not be blank (agentId " + agentId + ")");
        }
        capabilities = Set.copyOf(capabilities);
        if (capacity < 1)
        {
            throw new IllegalArgumentException(
                "candidate '" + name + "': capacity must be at least 1, but was " + capacity);
        }
        if (load < 0 || load > capacity)
        {
            throw new IllegalArgumentException(
                "candidate '" + name + "': load must be in [0, capacity=" + capacity + "], but was " + load);
        }
        if (successes < 0 || failures < 0)
        {
            throw new IllegalArgumentException("candidate '" + name +
                "': success history must not be negative, but was successes=" + successes + " failures=" + failures);
        }
    }

    /**
     * @return how many more tasks the agent may take now: {@code capacity - load}.
     */
    public int freeSlots()
    {
        return capacity - load;
    }

    /**
     * @param capability a capability name.
     * @return whether the agent has it.
     */
    public boolean hasCapability(final String capability)
    {
        return capabilities.contains(capability);
    }

    /**
     * The Laplace-smoothed success rate {@code (successes + 1) / (successes + failures + 2)}: 0.5 for an
     * agent with no history, tending to the observed rate as history grows, never exactly 0 or 1.
     *
     * @return the smoothed success rate in (0, 1).
     */
    public double smoothedSuccessRate()
    {
        return (successes + 1.0) / (successes + failures + 2.0);
    }
}
