/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Objects;

/**
 * Scores how well one agent suits one task, as a weighted sum of three components, each in [0, 1]:
 * <ul>
 *   <li><b>capability match</b> {@code (1 + p) / (1 + P)}, where {@code P} is the number of the task's
 *       preferred capabilities and {@code p} how many of them the agent has: the required capability counts
 *       as one, each preferred one as another (1 when the task prefers nothing);</li>
 *   <li><b>load headroom</b> {@code 1 - load / capacity};</li>
 *   <li><b>past success</b> the Laplace-smoothed rate {@code (s + 1) / (s + f + 2)}
 *       ({@link Candidate#smoothedSuccessRate()}).</li>
 * </ul>
 * A pair is <em>infeasible</em>, scored {@link #INFEASIBLE}, when the agent lacks the required capability
 * or has no free slot. With weights summing to 1 every feasible score is in [0, 1].
 *
 * <p>Thread-safety: immutable, safe to share. Allocation: none.
 */
public final class AgentScorer
{
    /** The score of a pair that must never be assigned: {@link Double#NEGATIVE_INFINITY}. */
    public static final double INFEASIBLE = Double.NEGATIVE_INFINITY;

    private final ScoringWeights weights;

    /**
     * A scorer with {@link ScoringWeights#DEFAULT}.
     */
    public AgentScorer()
    {
        this(ScoringWeights.DEFAULT);
    }

    /**
     * @param weights how much each component counts.
     */
    public AgentScorer(final ScoringWeights weights)
    {
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    /**
     * @return the weights this scorer applies.
     */
    public ScoringWeights weights()
    {
        return weights;
    }

    /**
     * @param score a value returned by {@link #score}.
     * @return whether it marks a pair that may be assigned.
     */
    public static boolean isFeasible(final double score)
    {
        return score != INFEASIBLE;
    }

    /**
     * @param task      the task.
     * @param candidate the agent, at its current load.
     * @return the score in [0, 1], or {@link #INFEASIBLE}.
     */
    public double score(final TaskDemand task, final Candidate candidate)
    {
        return scoreAtLoad(task, candidate, candidate.load());
    }

    /**
     * Scores the pair as if the agent were running {@code load} tasks; the solvers use this to price an
     * agent's second, third... free slot lower than its first, which spreads work when scores are close.
     *
     * @param task      the task.
     * @param candidate the agent.
     * @param load      the load to assume, at least 0.
     * @return the score in [0, 1], or {@link #INFEASIBLE} if the agent lacks the required capability or
     *         {@code load >= capacity}.
     */
    double scoreAtLoad(final TaskDemand task, final Candidate candidate, final int load)
    {
        if (!candidate.hasCapability(task.requiredCapability()) || load >= candidate.capacity())
        {
            return INFEASIBLE;
        }

        int preferredHeld = 0;
        for (final String preferred : task.preferredCapabilities())
        {
            if (candidate.hasCapability(preferred))
            {
                preferredHeld++;
            }
        }
        final double capabilityMatch = (1.0 + preferredHeld) / (1.0 + task.preferredCapabilities().size());
        final double headroom = 1.0 - (double)load / candidate.capacity();
        final double success = candidate.smoothedSuccessRate();

        return weights.capabilityMatch() * capabilityMatch +
            weights.loadHeadroom() * headroom +
            weights.pastSuccess() * success;
    }
}
