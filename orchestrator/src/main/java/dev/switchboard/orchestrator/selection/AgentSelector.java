/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which agent runs which task in one round.
 *
 * <p>An agent with {@code f} free slots may take up to {@code f} tasks of the round. The exact solver sees
 * each free slot as its own column, the {@code k}-th (from 0) scored as if the agent already ran
 * {@code load + k} tasks, and maximises first the number of tasks placed, then the sum of
 * {@code priority × score}. It is used while <em>assignable tasks × slots</em> is at most the exact limit
 * ({@link #EXACT_LIMIT} by default: about 100 tasks × 100 slots, solved in a few milliseconds, since the
 * Hungarian algorithm's cost grows with the cube of the side). Above it the {@link GreedyAssignment} is
 * used, whose cost grows only with tasks × candidates. The {@link Assignment} says which one decided.
 *
 * <p>A task gets no agent when no candidate has its required capability
 * ({@link Assignment.Reason#NO_CAPABLE_AGENT}), or when every capable candidate's slots are taken, whether
 * already before the round or by other tasks of it ({@link Assignment.Reason#ALL_CAPABLE_AGENTS_AT_CAPACITY}).
 * Both solvers leave a task unplaced only in those cases: the exact one because placing as many tasks as
 * possible comes first, the greedy one because slots are never given back.
 *
 * <p>Thread-safety: immutable, safe to share; calls do not interfere. Allocation: per call, the result and
 * working state; with the exact solver, a matrix of assignable tasks × slots doubles (at most the exact
 * limit).
 */
public final class AgentSelector
{
    /** Default largest number of task × slot cells solved exactly: 10,000, i.e. about 100 × 100. */
    public static final int EXACT_LIMIT = 10_000;

    private final AgentScorer scorer;
    private final int exactLimit;

    /**
     * A selector with the default {@link AgentScorer} and {@link #EXACT_LIMIT}.
     */
    public AgentSelector()
    {
        this(new AgentScorer(), EXACT_LIMIT);
    }

    /**
     * @param scorer how pairs are scored.
     */
    public AgentSelector(final AgentScorer scorer)
    {
        this(scorer, EXACT_LIMIT);
    }

    /**
     * @param scorer     how pairs are scored.
     * @param exactLimit the largest number of task × slot cells solved exactly; 0 always uses the greedy
     *                   solver (except for rounds with nothing to place).
     * @throws IllegalArgumentException if exactLimit is negative.
     */
    public AgentSelector(final AgentScorer scorer, final int exactLimit)
    {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        if (exactLimit < 0)
        {
            throw new IllegalArgumentException("exactLimit must not be negative, but was " + exactLimit);
        }
        this.exactLimit = exactLimit;
    }

    /**
     * @return the largest number of task × slot cells this selector solves exactly.
     */
    public int exactLimit()
    {
        return exactLimit;
    }

    /**
     * Assigns the round's tasks to the candidates.
     *
     * @param tasks      the tasks, ids unique.
     * @param candidates the agents, names unique.
     * @return where each task goes or why it goes nowhere, and the solver used.
     * @throws IllegalArgumentException if a task id or candidate name repeats.
     */
    public Assignment assign(final List<TaskDemand> tasks, final List<Candidate> candidates)
    {
        requireUnique(tasks, candidates);

        final Map<String, Assignment.Unassigned> unassigned = new LinkedHashMap<>();
        final List<TaskDemand> assignable = new ArrayList<>();
        for (final TaskDemand task : tasks)
        {
            final Assignment.Unassigned reason = unassignableBeforeRound(task, candidates);
            if (reason == null)
            {
                assignable.add(task);
            }
            else
            {
                unassigned.put(task.taskId(), reason);
            }
        }

        final List<Slot> slots = slots(assignable, candidates);
        final long cells = (long)assignable.size() * slots.size();
        final Assignment.Algorithm algorithm;
        final Map<String, Assignment.Placement> solved;
        if (cells <= exactLimit)
        {
            algorithm = Assignment.Algorithm.HUNGARIAN;
            solved = solveExactly(assignable, slots);
        }
        else
        {
            algorithm = Assignment.Algorithm.GREEDY;
            solved = GreedyAssignment.assign(assignable, candidates, scorer);
        }

        final Map<String, Assignment.Placement> placements = new LinkedHashMap<>();
        for (final TaskDemand task : assignable)
        {
            final Assignment.Placement placement = solved.get(task.taskId());
            if (placement != null)
            {
                placements.put(task.taskId(), placement);
            }
            else
            {
                unassigned.put(task.taskId(), slotsTakenDuringRound(task, candidates));
            }
        }

        // Report both maps in the order the tasks were given.
        final Map<String, Assignment.Unassigned> orderedUnassigned = new LinkedHashMap<>();
        for (final TaskDemand task : tasks)
        {
            final Assignment.Unassigned reason = unassigned.get(task.taskId());
            if (reason != null)
            {
                orderedUnassigned.put(task.taskId(), reason);
            }
        }
        return new Assignment(algorithm, placements, orderedUnassigned);
    }

    /**
     * The best candidate for a task other than the excluded ones, at current loads: what recovery offers
     * when a task's agent failed or refused. Ties go to the earlier candidate.
     *
     * @param task          the task.
     * @param candidates    the agents.
     * @param excludedNames names of agents not to offer (e.g. the one that failed).
     * @return the best feasible other candidate as a placement, or empty if none is capable with a free slot.
     */
    public Optional<Assignment.Placement> alternativeFor(
        final TaskDemand task, final List<Candidate> candidates, final Set<String> excludedNames)
    {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(excludedNames, "excludedNames");
        Candidate best = null;
        double bestScore = AgentScorer.INFEASIBLE;
        for (final Candidate candidate : candidates)
        {
            if (excludedNames.contains(candidate.name()))
            {
                continue;
            }
            final double score = scorer.score(task, candidate);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best == null ?
            Optional.empty() :
            Optional.of(new Assignment.Placement(task.taskId(), best.name(), best.agentId(), bestScore));
    }

    private Map<String, Assignment.Placement> solveExactly(final List<TaskDemand> tasks, final List<Slot> slots)
    {
        final double[][] values = new double[tasks.size()][slots.size()];
        final double[][] scores = new double[tasks.size()][slots.size()];
        for (int t = 0; t < tasks.size(); t++)
        {
            final TaskDemand task = tasks.get(t);
            for (int s = 0; s < slots.size(); s++)
            {
                final Slot slot = slots.get(s);
                final double score = scorer.scoreAtLoad(task, slot.candidate, slot.load);
                scores[t][s] = score;
                values[t][s] = AgentScorer.isFeasible(score) ? task.priority() * score : AgentScorer.INFEASIBLE;
            }
        }

        final int[] slotOf = HungarianAssignment.maximize(values);
        final Map<String, Assignment.Placement> placements = new LinkedHashMap<>();
        for (int t = 0; t < tasks.size(); t++)
        {
            final int s = slotOf[t];
            if (s != HungarianAssignment.UNASSIGNED)
            {
                final Candidate agent = slots.get(s).candidate;
                final String taskId = tasks.get(t).taskId();
                placements.put(taskId, new Assignment.Placement(taskId, agent.name(), agent.agentId(), scores[t][s]));
            }
        }
        return placements;
    }

    /**
     * The free slots worth modelling: a candidate never takes more tasks than there are assignable tasks it
     * is capable of, so its columns stop there even if its capacity is larger.
     */
    private static List<Slot> slots(final List<TaskDemand> assignable, final List<Candidate> candidates)
    {
        final List<Slot> slots = new ArrayList<>();
        for (final Candidate candidate : candidates)
        {
            int capableTasks = 0;
            for (final TaskDemand task : assignable)
            {
                if (candidate.hasCapability(task.requiredCapability()))
                {
                    capableTasks++;
                }
            }
            final int columns = Math.min(candidate.freeSlots(), capableTasks);
            for (int k = 0; k < columns; k++)
            {
                slots.add(new Slot(candidate, candidate.load() + k));
            }
        }
        return slots;
    }

    private static Assignment.Unassigned unassignableBeforeRound(final TaskDemand task, final List<Candidate> candidates)
    {
        int capable = 0;
        for (final Candidate candidate : candidates)
        {
            if (candidate.hasCapability(task.requiredCapability()))
            {
                capable++;
                if (candidate.freeSlots() > 0)
                {
                    return null;
                }
            }
        }
        if (capable == 0)
        {
            return new Assignment.Unassigned(task.taskId(), Assignment.Reason.NO_CAPABLE_AGENT,
                "no agent has capability '" + task.requiredCapability() + "' (" + candidates.size() +
                " candidate(s) considered)");
        }
        return new Assignment.Unassigned(task.taskId(), Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY,
            "all capable agents at capacity: " + capable + " agent(s) have capability '" +
            task.requiredCapability() + "' and none has a free slot");
    }

    private static Assignment.Unassigned slotsTakenDuringRound(final TaskDemand task, final List<Candidate> candidates)
    {
        int capable = 0;
        int freeSlots = 0;
        for (final Candidate candidate : candidates)
        {
            if (candidate.hasCapability(task.requiredCapability()))
            {
                capable++;
                freeSlots += candidate.freeSlots();
            }
        }
        return new Assignment.Unassigned(task.taskId(), Assignment.Reason.ALL_CAPABLE_AGENTS_AT_CAPACITY,
            "all capable agents at capacity: the " + freeSlots + " free slot(s) of the " + capable +
            " agent(s) with capability '" + task.requiredCapability() + "' went to other tasks of this round");
    }

    private static void requireUnique(final List<TaskDemand> tasks, final List<Candidate> candidates)
    {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(candidates, "candidates");
        final Set<String> taskIds = new HashSet<>();
        for (final TaskDemand task : tasks)
        {
            if (!taskIds.add(Objects.requireNonNull(task, "task").taskId()))
            {
                throw new IllegalArgumentException("task id '" + task.taskId() + "' appears more than once");
            }
        }
        final Set<String> names = new HashSet<>();
        for (final Candidate candidate : candidates)
        {
            if (!names.add(Objects.requireNonNull(candidate, "candidate").name()))
            {
                throw new IllegalArgumentException("candidate name '" + candidate.name() + "' appears more than once");
            }
        }
    }

    /** One free slot of a candidate, priced at the load the candidate would have when it is filled. */
    private record Slot(Candidate candidate, int load)
    {
    }
}
