/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

/**
 * How much each component counts in {@link AgentScorer#score}: capability match, load headroom and past
 * success. Each weight lies in [0, 1] and the three sum to 1 (within {@link #SUM_TOLERANCE}), so a score is
 * always in [0, 1].
 *
 * <p>Defaults ({@link #DEFAULT}): capability match {@value #DEFAULT_CAPABILITY_MATCH}, load headroom
 * {@value #DEFAULT_LOAD_HEADROOM}, past success {@value #DEFAULT_PAST_SUCCESS}. Capability counts most
 * because a better-equipped agent usually produces a better result; headroom outweighs history slightly
 * because an overloaded agent delays every task it holds.
 *
 * <p>Thread-safety: immutable, safe to share. Allocation: none after construction.
 *
 * @param capabilityMatch weight of the capability-match component.
 * @param loadHeadroom    weight of the load-headroom component.
 * @param pastSuccess     weight of the past-success component.
 */
public record ScoringWeights(double capabilityMatch, double loadHeadroom, double pastSuccess)
{
    /** Default weight of the capability-match component. */
    public static final double DEFAULT_CAPABILITY_MATCH = 0.5;
    /** Default weight of the load-headroom component. */
    public static final double DEFAULT_LOAD_HEADROOM = 0.3;
    /** Default weight of the past-success component. */
    public static final double DEFAULT_PAST_SUCCESS = 0.2;
    /** How far the weights' sum may stray from 1 (floating-point rounding in callers' arithmetic). */
    public static final double SUM_TOLERANCE = 1e-9;

    /** The documented defaults. */
    public static final ScoringWeights DEFAULT =
        new ScoringWeights(DEFAULT_CAPABILITY_MATCH, DEFAULT_LOAD_HEADROOM, DEFAULT_PAST_SUCCESS);

    /**
     * @throws IllegalArgumentException if a weight is not a finite number in [0, 1] or the weights do not
     *                                  sum to 1.
     */
    public ScoringWeights
    {
        requireUnitInterval("capabilityMatch", capabilityMatch);
        requireUnitInterval("loadHeadroom", loadHeadroom);
        requireUnitInterval("pastSuccess", pastSuccess);
        final double sum = capabilityMatch + loadHeadroom + pastSuccess;
        if (Math.abs(sum - 1.0) > SUM_TOLERANCE)
        {
            throw new IllegalArgumentException("scoring weights must sum to 1 (tolerance " + SUM_TOLERANCE +
                "), but capabilityMatch=" + capabilityMatch + " + loadHeadroom=" + loadHeadroom +
                " + pastSuccess=" + pastSuccess + " = " + sum);
        }
    }

    private static void requireUnitInterval(final String name, final double value)
    {
        if (!(value >= 0.0 && value <= 1.0))
        {
            throw new IllegalArgumentException("scoring weight " + name + " must be in [0, 1], but was " + value);
        }
    }
}
