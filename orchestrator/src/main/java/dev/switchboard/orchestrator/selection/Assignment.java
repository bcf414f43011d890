/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link AgentSelector#assign} round: where each task goes, why the others go nowhere,
 * and which solver decided. Every task of the round appears in exactly one of the two maps, both in the
 * order the tasks were given.
 *
 * <p>Thread-safety: immutable, safe to share. Allocation: the constructor copies both maps; accessors
 * allocate nothing except {@link #placementFor}'s {@code Optional} and {@link #totalScore()}'s iterator.
 *
 * @param algorithm  the solver that made the decision.
 * @param placements task id to placement, for the tasks that got an agent.
 * @param unassigned task id to the reason it got none.
 */
public record Assignment(Algorithm algorithm, Map<String, Placement> placements, Map<String, Unassigned> unassigned)
{
    /** Which solver an {@link AgentSelector} used. */
    public enum Algorithm
    {
        /** {@link HungarianAssignment}: the assignment is optimal. */
        HUNGARIAN,
        /** {@link GreedyAssignment}: feasible, not necessarily optimal; used above the exact limit. */
        GREEDY
    }

    /** Why a task got no agent. */
    public enum Reason
    {
        /** No candidate has the task's required capability. */
        NO_CAPABLE_AGENT,
        /** Candidates have the capability, but every one of their slots is taken (before or during the round). */
        ALL_CAPABLE_AGENTS_AT_CAPACITY
    }

    /**
     * A task placed on an agent.
     *
     * @param taskId    the task.
     * @param agentName the agent's name.
     * @param agentId   the agent's registry id.
     * @param score     the {@link AgentScorer} score of the pair, at the load the agent had when this slot
     *                  was filled (so a second task on one agent scores its reduced headroom).
     */
    public record Placement(String taskId, String agentName, long agentId, double score)
    {
        /**
         * @throws NullPointerException if an id or name is null.
         */
        public Placement
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(agentName, "agentName");
        }
    }

    /**
     * A task that got no agent.
     *
     * @param taskId  the task.
     * @param reason  the reason, for programs.
     * @param message the reason, for people: names the capability and the agents' state.
     */
    public record Unassigned(String taskId, Reason reason, String message)
    {
        /**
         * @throws NullPointerException if an argument is null.
         */
        public Unassigned
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @throws NullPointerException     if an argument is null.
     * @throws IllegalArgumentException if a task appears in both maps.
     */
    public Assignment
    {
        Objects.requireNonNull(algorithm, "algorithm");
        placements = Collections.unmodifiableMap(new LinkedHashMap<>(placements));
        unassigned = Collections.unmodifiableMap(new LinkedHashMap<>(unassigned));
        for (final String taskId : placements.keySet())
        {
            if (unassigned.containsKey(taskId))
            {
                throw new IllegalArgumentException("task '" + taskId + "' is both placed and unassigned");
            }
        }
    }

    /**
     * @param taskId a task of this round.
     * @return its placement, or empty if it was not placed.
     */
    public Optional<Placement> placementFor(final String taskId)
    {
        return Optional.ofNullable(placements.get(taskId));
    }

    /**
     * @return the sum of the placements' (unweighted) scores.
     */
    public double totalScore()
    {
        double total = 0.0;
        for (final Placement placement : placements.values())
        {
            total += placement.score();
        }
        return total;
    }
}
