/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentSelectorTest
{
    private final AgentSelector selector = new AgentSelector();

    private static Candidate agent(final String name, final int load, final int capacity, final String... capabilities)
    {
        return new Candidate(name, name.hashCode(), Set.of(capabilities), load, capacity, 0, 0);
    }

    @Test
    void exactSolverPlacesBothTasksWhereGreedyStrandsOne()
    {
        // "a" scores best on x, but only x can run "b"; the optimum sends "a" to y.
        final List<TaskDemand> tasks = List.of(new TaskDemand("a", "java"), new TaskDemand("b", "rust"));
        final List<Candidate> agents = List.of(
            new Candidate("x", 1, Set.of("java", "rust"), 0, 1, 9, 0),
            new Candidate("y", 2, Set.of("java"), 0, 1, 0, 9));

        final Assignment exact = selector.assign(tasks, agents);
        final Assignment greedy = new AgentSelector(new AgentScorer(), 0).assign(tasks, agents);

        assertEquals(Assignment.Algorithm.HUNGARIAN, exact.algorithm());
        assertEquals("y", exact.placements().get("a").agentName());
        assertEquals("x", exact.placements().get("b").agentName());
        assertEquals(Assignment.Algorithm.GREEDY, greedy.algorithm());
        assertEquals("x", greedy.placements().get("a").agentName());
        assertEquals(Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY, greedy.unassigned().get("b").reason());
    }

    @Test
    void agentTakesUpToItsFreeSlots()
    {
        final List<TaskDemand> tasks =
            List.of(new TaskDemand("t1", "java"), new TaskDemand("t2", "java"), new TaskDemand("t3", "java"));

        final Assignment assignment = selector.assign(tasks, List.of(agent("solo", 1, 3, "java")));

        assertEquals(2, assignment.placements().size());
        assertEquals(1, assignment.unassigned().size());
        final Assignment.Unassigned left = assignment.unassigned().values().iterator().next();
        assertEquals(Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY, left.reason());
        assertTrue(left.message().contains("went to other tasks"), left.message());
    }

    @Test
    void secondSlotOfAnAgentScoresItsReducedHeadroom()
    {
        final List<TaskDemand> tasks = List.of(new TaskDemand("t1", "java"), new TaskDemand("t2", "java"));

        final Assignment assignment = selector.assign(tasks, List.of(agent("solo", 0, 2, "java")));
        final AgentScorer scorer = new AgentScorer();

        final Set<Double> scores = new HashSet<>();
        assignment.placements().values().forEach(p -> scores.add(p.score()));
        assertEquals(Set.of(
            scorer.score(tasks.get(0), agent("solo", 0, 2, "java")),
            scorer.score(tasks.get(0), agent("solo", 1, 2, "java"))), scores);
    }

    @Test
    void workSpreadsOverEquallyGoodAgents()
    {
        final List<TaskDemand> tasks = List.of(new TaskDemand("t1", "java"), new TaskDemand("t2", "java"));

        final Assignment assignment =
            selector.assign(tasks, List.of(agent("p", 0, 2, "java"), agent("q", 0, 2, "java")));

        assertTrue(!assignment.placements().get("t1").agentName()
            .equals(assignment.placements().get("t2").agentName()), assignment.toString());
    }

    @Test
    void higherPriorityTaskWinsTheOnlySlot()
    {
        final List<TaskDemand> tasks = List.of(
            new TaskDemand("routine", "java", Set.of(), 1.0),
            new TaskDemand("urgent", "java", Set.of(), 5.0));

        final Assignment assignment = selector.assign(tasks, List.of(agent("solo", 0, 1, "java")));

        assertEquals(Set.of("urgent"), assignment.placements().keySet());
        assertEquals(Set.of("routine"), assignment.unassigned().keySet());
    }

    @Test
    void taskWithoutCapableAgentIsUnassignedNamingTheCapability()
    {
        final Assignment assignment =
            selector.assign(List.of(new TaskDemand("t", "go")), List.of(agent("j", 0, 1, "java")));

        final Assignment.Unassigned unassigned = assignment.unassigned().get("t");
        assertEquals(Assignment.Reason.NO_CAPABLE_AGENT, unassigned.reason());
        assertTrue(unassigned.message().contains("no agent has capability 'go'"), unassigned.message());
    }

    @Test
    void taskWhoseCapableAgentsAreFullIsUnassignedAtCapacity()
    {
        final Assignment assignment = selector.assign(List.of(new TaskDemand("t", "java")),
            List.of(agent("busy", 2, 2, "java"), agent("idle", 0, 2, "python")));

        final Assignment.Unassigned unassigned = assignment.unassigned().get("t");
        assertEquals(Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY, unassigned.reason());
        assertTrue(unassigned.message().startsWith("all capable agents at capacity"), unassigned.message());
    }

    @Test
    void exactSolverIsUsedUpToTheLimitAndGreedyAbove()
    {
        final List<Candidate> agents = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            agents.add(new Candidate("agent-" + i, i, Set.of("java"), 0, 1, i % 7, i % 3));
        }
        final List<TaskDemand> tasks = new ArrayList<>();
        for (int i = 0; i < 101; i++)
        {
            tasks.add(new TaskDemand("task-" + i, "java"));
        }

        final Assignment atLimit = selector.assign(tasks.subList(0, 100), agents);
        final Assignment aboveLimit = selector.assign(tasks, agents);

        assertEquals(Assignment.Algorithm.HUNGARIAN, atLimit.algorithm());
        assertEquals(100, atLimit.placements().size());
        assertEquals(Assignment.Algorithm.GREEDY, aboveLimit.algorithm());
        assertEquals(100, aboveLimit.placements().size());
        assertEquals(1, aboveLimit.unassigned().size());
    }

    @Test
    void greedyAssignmentOfALargeRoundIsFeasible()
    {
        final Random random = new Random(42L);
        final List<String> capabilities = List.of("java", "python", "rust", "go", "sql", "cobol");
        final List<Candidate> agents = new ArrayList<>();
        for (int i = 0; i < 80; i++)
        {
            final Set<String> held = new HashSet<>();
            // "cobol" is never held, so some tasks have no capable agent.
            held.add(capabilities.get(random.nextInt(5)));
            held.add(capabilities.get(random.nextInt(5)));
            final int capacity = 1 + random.nextInt(4);
            agents.add(new Candidate("agent-" + i, i, held, random.nextInt(capacity + 1), capacity,
                random.nextInt(20), random.nextInt(20)));
        }
        final List<TaskDemand> tasks = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            tasks.add(new TaskDemand("task-" + i, capabilities.get(random.nextInt(capabilities.size())),
                Set.of(capabilities.get(random.nextInt(5))), 1 + random.nextInt(3)));
        }

        final Assignment assignment = selector.assign(tasks, agents);

        assertEquals(Assignment.Algorithm.GREEDY, assignment.algorithm());
        assertEquals(tasks.size(), assignment.placements().size() + assignment.unassigned().size());
        final Map<String, Candidate> byName = new HashMap<>();
        agents.forEach(a -> byName.put(a.name(), a));
        final Map<String, Integer> taken = new HashMap<>();
        for (final TaskDemand task : tasks)
        {
            final Optional<Assignment.Placement> placement = assignment.placementFor(task.taskId());
            if (placement.isPresent())
            {
                final Candidate agent = byName.get(placement.get().agentName());
                assertTrue(agent.hasCapability(task.requiredCapability()), task + " on " + agent);
                assertTrue(placement.get().score() >= 0.0 && placement.get().score() <= 1.0);
                taken.merge(agent.name(), 1, Integer::sum);
            }
        }
        taken.forEach((name, count) ->
            assertTrue(count <= byName.get(name).freeSlots(), name + " took " + count + " tasks"));
        for (final Assignment.Unassigned unassigned : assignment.unassigned().values())
        {
            final String capability = tasks.get(Integer.parseInt(unassigned.taskId().substring(5))).requiredCapability();
            for (final Candidate agent : agents)
            {
                if (agent.hasCapability(capability))
                {
                    assertEquals(Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY, unassigned.reason());
                    assertEquals(agent.freeSlots(), (int)taken.getOrDefault(agent.name(), 0), unassigned.toString());
                }
            }
        }
        assertTrue(assignment.unassigned().values().stream()
            .anyMatch(u -> u.reason() == Assignment.Reason.NO_CAPABLE_AGENT));
    }

    @Test
    void alternativeForSkipsExcludedAgents()
    {
        final TaskDemand task = new TaskDemand("t", "java");
        final List<Candidate> agents = List.of(
            new Candidate("best", 1, Set.of("java"), 0, 1, 9, 0),
            new Candidate("second", 2, Set.of("java"), 0, 1, 0, 0),
            new Candidate("full", 3, Set.of("java"), 1, 1, 9, 0));

        assertEquals("best", selector.alternativeFor(task, agents, Set.of()).orElseThrow().agentName());
        assertEquals("second", selector.alternativeFor(task, agents, Set.of("best")).orElseThrow().agentName());
        assertEquals(Optional.empty(), selector.alternativeFor(task, agents, Set.of("best", "second")));
    }

    @Test
    void duplicateTaskIdsAndAgentNamesAreRejected()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> selector.assign(
            List.of(new TaskDemand("t", "java"), new TaskDemand("t", "go")), List.of()));
        assertTrue(e.getMessage().contains("'t'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> selector.assign(
            List.of(), List.of(agent("a", 0, 1), agent("a", 0, 1))));
    }

    @Test
    void emptyRoundAssignsNothing()
    {
        final Assignment assignment = selector.assign(List.of(), List.of(agent("a", 0, 1, "java")));

        assertTrue(assignment.placements().isEmpty() && assignment.unassigned().isEmpty());
    }
}
