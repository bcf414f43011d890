/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The selector's exact path, capacity slots included, against every possible placement of the tasks.
 */
class ExactSelectionBruteForceTest
{
    private static final List<String> CAPABILITIES = List.of("java", "python", "rust");

    private final AgentScorer scorer = new AgentScorer();

    @Test
    void exactSelectionMatchesBruteForceWithCapacities()
    {
        final Random random = new Random(7L);
        final AgentSelector selector = new AgentSelector(scorer);
        for (int trial = 0; trial < 200; trial++)
        {
            final List<Candidate> agents = new ArrayList<>();
            final int agentCount = 1 + random.nextInt(3);
            for (int i = 0; i < agentCount; i++)
            {
                final int capacity = 1 + random.nextInt(3);
                agents.add(new Candidate("agent-" + i, i, new HashSet<>(List.of(pick(random), pick(random))),
                    random.nextInt(capacity + 1), capacity, random.nextInt(5), random.nextInt(5)));
            }
            final List<TaskDemand> tasks = new ArrayList<>();
            final int taskCount = 1 + random.nextInt(5);
            for (int i = 0; i < taskCount; i++)
            {
                tasks.add(new TaskDemand("task-" + i, pick(random), Set.of(pick(random)), 1 + random.nextInt(3)));
            }

            final Assignment assignment = selector.assign(tasks, agents);
            double weighted = 0.0;
            for (final TaskDemand task : tasks)
            {
                weighted += assignment.placementFor(task.taskId()).map(p -> p.score() * task.priority()).orElse(0.0);
            }
            final double[] best = bruteForce(tasks, agents, new int[tasks.size()], 0);

            assertEquals(Assignment.Algorithm.HUNGARIAN, assignment.algorithm());
            assertEquals((int)best[0], assignment.placements().size(), "trial " + trial + " placed count");
            assertEquals(best[1], weighted, 1e-9, "trial " + trial + " weighted score");
        }
    }

    private static String pick(final Random random)
    {
        return CAPABILITIES.get(random.nextInt(CAPABILITIES.size()));
    }

    /** Best {count, weighted score} over every map of tasks to agents (or none) within free slots. */
    private double[] bruteForce(
        final List<TaskDemand> tasks, final List<Candidate> agents, final int[] agentOf, final int t)
    {
        if (t == tasks.size())
        {
            return evaluate(tasks, agents, agentOf);
        }
        agentOf[t] = -1;
        double[] best = bruteForce(tasks, agents, agentOf, t + 1);
        for (int a = 0; a < agents.size(); a++)
        {
            if (agents.get(a).hasCapability(tasks.get(t).requiredCapability()))
            {
                agentOf[t] = a;
                final double[] option = bruteForce(tasks, agents, agentOf, t + 1);
                if (option[0] > best[0] || (option[0] == best[0] && option[1] > best[1]))
                {
                    best = option;
                }
            }
        }
        agentOf[t] = -1;
        return best;
    }

    /**
     * Slot k of an agent costs the same headroom for every task, so the best use of an agent's slots
     * gives the lowest slots to the highest priorities.
     */
    private double[] evaluate(final List<TaskDemand> tasks, final List<Candidate> agents, final int[] agentOf)
    {
        double count = 0;
        double value = 0;
        for (int a = 0; a < agents.size(); a++)
        {
            final List<TaskDemand> mine = new ArrayList<>();
            for (int t = 0; t < tasks.size(); t++)
            {
                if (agentOf[t] == a)
                {
                    mine.add(tasks.get(t));
                }
            }
            final Candidate agent = agents.get(a);
            if (mine.size() > agent.freeSlots())
            {
                return new double[] {-1, 0};
            }
            mine.sort(Comparator.comparingDouble(TaskDemand::priority).reversed());
            for (int k = 0; k < mine.size(); k++)
            {
                count++;
                value += mine.get(k).priority() * scorer.scoreAtLoad(mine.get(k), agent, agent.load() + k);
            }
        }
        return new double[] {count, value};
    }
}
