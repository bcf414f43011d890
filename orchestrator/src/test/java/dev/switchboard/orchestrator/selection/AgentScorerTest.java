/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentScorerTest
{
    private final AgentScorer scorer = new AgentScorer();

    private static Candidate agent(final Set<String> capabilities, final int load, final int capacity,
        final long successes, final long failures)
    {
        return new Candidate("a", 1, capabilities, load, capacity, successes, failures);
    }

    @Test
    void candidateWithoutRequiredCapabilityIsInfeasible()
    {
        final double score = scorer.score(new TaskDemand("t", "java"), agent(Set.of("python"), 0, 1, 0, 0));

        assertEquals(AgentScorer.INFEASIBLE, score);
        assertFalse(AgentScorer.isFeasible(score));
    }

    @Test
    void candidateAtCapacityIsInfeasible()
    {
        assertEquals(AgentScorer.INFEASIBLE, scorer.score(new TaskDemand("t", "java"), agent(Set.of("java"), 2, 2, 0, 0)));
    }

    @Test
    void idleCapableAgentWithoutHistoryScoresTheDocumentedWeightedSum()
    {
        final double score = scorer.score(new TaskDemand("t", "java"), agent(Set.of("java"), 0, 4, 0, 0));

        assertEquals(0.5 * 1.0 + 0.3 * 1.0 + 0.2 * 0.5, score, 1e-12);
    }

    @Test
    void preferredCapabilitiesRaiseTheScoreByFraction()
    {
        final TaskDemand task = new TaskDemand("t", "java", Set.of("maven", "junit", "gradle"), 1.0);
        final double none = scorer.score(task, agent(Set.of("java"), 0, 1, 0, 0));
        final double one = scorer.score(task, agent(Set.of("java", "maven"), 0, 1, 0, 0));
        final double all = scorer.score(task, agent(Set.of("java", "maven", "junit", "gradle"), 0, 1, 0, 0));

        assertTrue(none < one && one < all, none + " < " + one + " < " + all);
        assertEquals(0.5 * (2.0 / 4.0), one - (0.3 + 0.2 * 0.5), 1e-12);
    }

    @Test
    void scoreFallsMonotonicallyAsLoadRises()
    {
        final TaskDemand task = new TaskDemand("t", "java");
        double previous = Double.POSITIVE_INFINITY;
        for (int load = 0; load < 5; load++)
        {
            final double score = scorer.score(task, agent(Set.of("java"), load, 5, 3, 3));
            assertTrue(score < previous, "load " + load + " scored " + score + ", not below " + previous);
            previous = score;
        }
    }

    @Test
    void scoreRisesWithSuccessesAndFallsWithFailures()
    {
        final TaskDemand task = new TaskDemand("t", "java");
        final double base = scorer.score(task, agent(Set.of("java"), 0, 1, 5, 5));

        assertTrue(scorer.score(task, agent(Set.of("java"), 0, 1, 6, 5)) > base);
        assertTrue(scorer.score(task, agent(Set.of("java"), 0, 1, 5, 6)) < base);
    }

    @Test
    void successRateIsLaplaceSmoothed()
    {
        assertEquals(0.5, agent(Set.of(), 0, 1, 0, 0).smoothedSuccessRate(), 1e-12);
        assertEquals(4.0 / 5.0, agent(Set.of(), 0, 1, 3, 0).smoothedSuccessRate(), 1e-12);
    }

    @Test
    void customWeightsAreApplied()
    {
        final AgentScorer historyOnly = new AgentScorer(new ScoringWeights(0.0, 0.0, 1.0));

        assertEquals(10.0 / 12.0,
            historyOnly.score(new TaskDemand("t", "java"), agent(Set.of("java"), 3, 4, 9, 1)), 1e-12);
    }

    @Test
    void weightsThatDoNotSumToOneAreRejectedWithTheSum()
    {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new ScoringWeights(0.5, 0.5, 0.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void negativeWeightIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new ScoringWeights(1.2, -0.2, 0.0));
    }

    @Test
    void candidateRejectsLoadAboveCapacity()
    {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> agent(Set.of(), 3, 2, 0, 0));
        assertTrue(e.getMessage().contains("capacity=2") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void candidateRejectsZeroCapacityAndNegativeHistory()
    {
        assertThrows(IllegalArgumentException.class, () -> agent(Set.of(), 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> agent(Set.of(), 0, 1, -1, 0));
    }

    @Test
    void taskDemandRejectsNonPositivePriority()
    {
        assertThrows(IllegalArgumentException.class, () -> new TaskDemand("t", "java", Set.of(), 0.0));
        assertThrows(IllegalArgumentException.class, () -> new TaskDemand("t", "java", Set.of(), Double.NaN));
    }
}
