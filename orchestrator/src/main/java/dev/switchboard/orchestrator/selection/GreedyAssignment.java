/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fast, feasible but not necessarily optimal assignment for rounds too large for
 * {@link HungarianAssignment}: tasks are served by descending priority, then by descending best score
 * (the task with the strongest fit first, so it is not crowded out), then in the order given; each takes
 * the free agent slot that scores highest for it right now (ties go to the earlier candidate), and that
 * agent's load goes up by one for the tasks after it. Infeasible pairs are never assigned.
 *
 * <p>Cost: O(T · C) scorings plus an O(T log T) sort, for T tasks and C candidates; no task × slot matrix
 * is built, so it scales to rounds with many slots.
 *
 * <p>Thread-safety: stateless, safe from any thread. Allocation: per call, O(T + C) working arrays and
 * the result map.
 */
public final class GreedyAssignment
{
    private GreedyAssignment()
    {
    }

    /**
     * @param tasks      the tasks of the round, ids unique.
     * @param candidates the agents, names unique.
     * @param scorer     how pairs are scored.
     * @return task id to placement for the tasks placed, in the order the tasks were given; a task absent
     *         from the map found no feasible slot when its turn came.
     */
    public static Map<String, Assignment.Placement> assign(
        final List<TaskDemand> tasks, final List<Candidate> candidates, final AgentScorer scorer)
    {
        final int taskCount = tasks.size();
        final int candidateCount = candidates.size();
        final int[] load = new int[candidateCount];
        for (int c = 0; c < candidateCount; c++)
        {
            load[c] = candidates.get(c).load();
        }

        final double[] bestInitialScore = new double[taskCount];
        for (int t = 0; t < taskCount; t++)
        {
            double best = AgentScorer.INFEASIBLE;
            for (int c = 0; c < candidateCount; c++)
            {
                best = Math.max(best, scorer.score(tasks.get(t), candidates.get(c)));
            }
            bestInitialScore[t] = best;
        }

        final Integer[] order = new Integer[taskCount];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator
            .comparingDouble((Integer t) -> -tasks.get(t).priority())
            .thenComparingDouble(t -> -bestInitialScore[t])
            .thenComparingInt(t -> t));

        final Assignment.Placement[] placed = new Assignment.Placement[taskCount];
        for (final int t : order)
        {
            final TaskDemand task = tasks.get(t);
            int bestCandidate = -1;
            double bestScore = AgentScorer.INFEASIBLE;
            for (int c = 0; c < candidateCount; c++)
            {
                final double score = scorer.scoreAtLoad(task, candidates.get(c), load[c]);
                if (score > bestScore)
                {
                    bestScore = score;
                    bestCandidate = c;
                }
            }
            if (bestCandidate >= 0)
            {
                load[bestCandidate]++;
                final Candidate agent = candidates.get(bestCandidate);
                placed[t] = new Assignment.Placement(task.taskId(), agent.name(), agent.agentId(), bestScore);
            }
        }

        final Map<String, Assignment.Placement> result = new LinkedHashMap<>();
        for (final Assignment.Placement placement : placed)
        {
            if (placement != null)
            {
                result.put(placement.taskId(), placement);
            }
        }
        return result;
    }
}
