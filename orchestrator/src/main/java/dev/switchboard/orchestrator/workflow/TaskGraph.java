/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;

/**
 * The tasks of a {@link WorkflowDefinition} as a checked dependency DAG, with the scheduling views the
 * orchestrator needs: a topological order, the tasks ready to run, and the parallel tracks.
 * <p>
 * An edge {@code a → b} means "task {@code a} depends on task {@code b}": {@code b} must complete before
 * {@code a} may start. Dependencies may cross phases in either direction; phase order is not an implicit
 * dependency.
 * <p>
 * <b>Parallel tracks.</b> The <em>depth</em> of a task is 0 if it has no dependencies, else one more than the
 * greatest depth among its dependencies (the length of the longest dependency chain below it). Track {@code n}
 * holds every task of depth {@code n}. No task depends on another in its own track (a dependency is always
 * strictly shallower), so a track's tasks can run in parallel once every earlier track has completed. Running
 * track by track is a safe, simple schedule; {@link #ready(Set)} gives the finer-grained one, starting a task
 * as soon as its own dependencies are done.
 * <p>
 * Immutable and thread-safe; the views are computed once, at construction.
 */
public final class TaskGraph
{
    private final WorkflowDefinition definition;
    private final Map<String, TaskDefinition> tasksById;
    private final List<TaskDefinition> topologicalOrder;
    private final Map<String, Integer> depthById;
    private final List<Track> tracks;

    /**
     * Tasks that may run in parallel: all the tasks of one depth. See the class comment for the definition.
     *
     * @param depth the depth shared by the tasks, from 0.
     * @param tasks the tasks, in declaration order; never empty.
     */
    public record Track(int depth, List<TaskDefinition> tasks)
    {
        /**
         * @param depth the depth shared by the tasks.
         * @param tasks the tasks.
         */
        public Track
        {
            tasks = List.copyOf(tasks);
        }

        /**
         * @return the ids of the tasks, in declaration order.
         */
        public List<String> taskIds()
        {
            return tasks.stream().map(TaskDefinition::id).toList();
        }
    }

    /**
     * What the DAG check needs to know of a task, whichever way it was declared.
     *
     * @param id        the task id.
     * @param dependsOn the ids it depends on.
     * @param path      where the task is declared, e.g. {@code phases[1].tasks[0]}.
     */
    record Node(String id, List<String> dependsOn, String path)
    {
    }

    private TaskGraph(final WorkflowDefinition definition)
    {
        this.definition = definition;
        final Map<String, TaskDefinition> byId = new LinkedHashMap<>();
        definition.tasks().forEach(task -> byId.put(task.id(), task));
        this.tasksById = byId;
        this.topologicalOrder = sortTopologically(definition.tasks());

        final Map<String, Integer> depths = new HashMap<>();
        int maxDepth = -1;
        for (final TaskDefinition task : topologicalOrder)
        {
            int depth = 0;
            for (final String dependency : task.dependsOn())
            {
                depth = Math.max(depth, depths.get(dependency) + 1);
            }
            depths.put(task.id(), depth);
            maxDepth = Math.max(maxDepth, depth);
        }
        this.depthById = Map.copyOf(depths);

        final List<List<TaskDefinition>> levels = new ArrayList<>();
        for (int i = 0; i <= maxDepth; i++)
        {
            levels.add(new ArrayList<>());
        }
        for (final TaskDefinition task : byId.values())
        {
            levels.get(depths.get(task.id())).add(task);
        }
        final List<Track> result = new ArrayList<>();
        for (int i = 0; i <= maxDepth; i++)
        {
            result.add(new Track(i, levels.get(i)));
        }
        this.tracks = List.copyOf(result);
    }

    /**
     * Checks the DAG of {@code definition} and builds its graph.
     *
     * @param definition the workflow.
     * @return the graph.
     * @throws WorkflowValidationException listing every duplicate task id, unknown dependency, self-dependency
     *                                     and cycle, each at its path, e.g. {@code phases[1].tasks[0].dependsOn[0]}.
     */
    public static TaskGraph of(final WorkflowDefinition definition)
    {
        Objects.requireNonNull(definition, "definition");
        final List<Node> nodes = new ArrayList<>();
        final List<PhaseDefinition> phases = definition.phases();
        for (int p = 0; p < phases.size(); p++)
        {
            final List<TaskDefinition> tasks = phases.get(p).tasks();
            for (int t = 0; t < tasks.size(); t++)
            {
                final TaskDefinition task = tasks.get(t);
                nodes.add(new Node(task.id(), task.dependsOn(), "phases[" + p + "].tasks[" + t + "]"));
            }
        }
        final List<Problem> problems = check(nodes);
        if (!problems.isEmpty())
        {
            throw new WorkflowValidationException("workflow '" + definition.name() + "'", problems);
        }
        return new TaskGraph(definition);
    }

    /**
     * @return the workflow this graph was built from.
     */
    public WorkflowDefinition definition()
    {
        return definition;
    }

    /**
     * @return the number of tasks.
     */
    public int size()
    {
        return tasksById.size();
    }

    /**
     * @param id a task id.
     * @return the task.
     * @throws IllegalArgumentException if there is no such task.
     */
    public TaskDefinition task(final String id)
    {
        final TaskDefinition task = tasksById.get(id);
        if (task == null)
        {
            throw new IllegalArgumentException("no task '" + id + "' in workflow '" + definition.name()
                + "'; task ids: " + String.join(", ", tasksById.keySet()));
        }
        return task;
    }

    /**
     * @param id a task id.
     * @return the task's depth: 0 with no dependencies, else one more than its deepest dependency.
     * @throws IllegalArgumentException if there is no such task.
     */
    public int depth(final String id)
    {
        task(id);
        return depthById.get(id);
    }

    /**
     * Every task, each after all of its dependencies. Among tasks free to go next, the one declared first goes
     * first, so the order is deterministic and follows the file where the dependencies allow.
     *
     * @return the tasks in topological order.
     */
    public List<TaskDefinition> topologicalOrder()
    {
        return topologicalOrder;
    }

    /**
     * The parallel tracks: track {@code n} holds the tasks of depth {@code n}. See the class comment.
     *
     * @return the tracks, by increasing depth.
     */
    public List<Track> parallelTracks()
    {
        return tracks;
    }

    /**
     * The tasks that may start now: not yet completed, with every dependency completed. Allocates a new list.
     *
     * @param completed ids of the completed (or skipped) tasks.
     * @return the ready tasks in declaration order; empty when all are complete.
     * @throws IllegalArgumentException if {@code completed} names a task not in this graph.
     */
    public List<TaskDefinition> ready(final Set<String> completed)
    {
        for (final String id : completed)
        {
            if (!tasksById.containsKey(id))
            {
                throw new IllegalArgumentException("completed task '" + id + "' is not in workflow '"
                    + definition.name() + "'; task ids: " + String.join(", ", tasksById.keySet()));
            }
        }
        final List<TaskDefinition> ready = new ArrayList<>();
        for (final TaskDefinition task : tasksById.values())
        {
            if (!completed.contains(task.id()) && completed.containsAll(task.dependsOn()))
            {
                ready.add(task);
            }
        }
        return ready;
    }

    /**
     * The DAG rules, shared with {@link WorkflowLoader} so a file's structural and DAG problems are reported
     * together: duplicate ids, unknown dependencies, self-dependencies and cycles, each reported once.
     *
     * @param nodes the tasks in declaration order.
     * @return the problems found, in declaration order; empty if the DAG is valid.
     */
    static List<Problem> check(final List<Node> nodes)
    {
        final List<Problem> problems = new ArrayList<>();
        final Map<String, Node> byId = new LinkedHashMap<>();
        for (final Node node : nodes)
        {
            final Node first = byId.putIfAbsent(node.id(), node);
            if (first != null)
            {
                problems.add(new Problem(node.path() + ".id",
                    "duplicate task id '" + node.id() + "', first declared at " + first.path()));
            }
        }

        final Map<String, List<String>> edges = new LinkedHashMap<>();
        for (final Node node : byId.values())
        {
            final List<String> valid = new ArrayList<>();
            for (int i = 0; i < node.dependsOn().size(); i++)
            {
                final String dependency = node.dependsOn().get(i);
                final String path = node.path() + ".dependsOn[" + i + "]";
                if (dependency.equals(node.id()))
                {
                    problems.add(new Problem(path, "task '" + node.id() + "' depends on itself"));
                }
                else if (!byId.containsKey(dependency))
                {
                    problems.add(new Problem(path, "unknown task '" + dependency + "'; task ids: "
                        + String.join(", ", byId.keySet())));
                }
                else
                {
                    valid.add(dependency);
                }
            }
            edges.put(node.id(), valid);
        }

        new CycleFinder(edges, byId, problems).run();
        return problems;
    }

    private static List<TaskDefinition> sortTopologically(final List<TaskDefinition> tasks)
    {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> pending = new HashMap<>();
        final Map<String, List<TaskDefinition>> dependents = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++)
        {
            final TaskDefinition task = tasks.get(i);
            index.put(task.id(), i);
            pending.put(task.id(), task.dependsOn().size());
            for (final String dependency : task.dependsOn())
            {
                dependents.computeIfAbsent(dependency, ignored -> new ArrayList<>()).add(task);
            }
        }
        final PriorityQueue<TaskDefinition> free =
            new PriorityQueue<>((a, b) -> Integer.compare(index.get(a.id()), index.get(b.id())));
        tasks.stream().filter(task -> task.dependsOn().isEmpty()).forEach(free::add);
        final List<TaskDefinition> order = new ArrayList<>(tasks.size());
        while (!free.isEmpty())
        {
            final TaskDefinition task = free.poll();
            order.add(task);
            for (final TaskDefinition dependent : dependents.getOrDefault(task.id(), List.of()))
            {
                if (pending.merge(dependent.id(), -1, Integer::sum) == 0)
                {
                    free.add(dependent);
                }
            }
        }
        return List.copyOf(order);
    }

    /**
     * Depth-first search reporting each cycle found through a back edge, rotated to start at the task declared
     * first so the message does not depend on where the search began.
     */
    private static final class CycleFinder
    {
        private final Map<String, List<String>> edges;
        private final Map<String, Node> byId;
        private final List<Problem> problems;
        private final Set<String> done = new HashSet<>();
        private final List<String> stack = new ArrayList<>();
        private final Set<Set<String>> reported = new HashSet<>();
        private final Map<String, Integer> declarationIndex = new HashMap<>();

        CycleFinder(final Map<String, List<String>> edges, final Map<String, Node> byId, final List<Problem> problems)
        {
            this.edges = edges;
            this.byId = byId;
            this.problems = problems;
            for (final String id : byId.keySet())
            {
                declarationIndex.put(id, declarationIndex.size());
            }
        }

        void run()
        {
            for (final String id : edges.keySet())
            {
                visit(id);
            }
        }

        private void visit(final String id)
        {
            if (done.contains(id))
            {
                return;
            }
            stack.add(id);
            for (final String dependency : edges.get(id))
            {
                final int onStack = stack.indexOf(dependency);
                if (onStack >= 0)
                {
                    report(stack.subList(onStack, stack.size()));
                }
                else
                {
                    visit(dependency);
                }
            }
            stack.removeLast();
            done.add(id);
        }

        private void report(final List<String> cycle)
        {
            if (!reported.add(Set.copyOf(cycle)))
            {
                return;
            }
            int start = 0;
            for (int i = 1; i < cycle.size(); i++)
            {
                if (declarationIndex.get(cycle.get(i)) < declarationIndex.get(cycle.get(start)))
                {
                    start = i;
                }
            }
            final List<String> path = new ArrayList<>(cycle.size() + 1);
            for (int i = 0; i <= cycle.size(); i++)
            {
                path.add(cycle.get((start + i) % cycle.size()));
            }
            final Node first = byId.get(path.getFirst());
            problems.add(new Problem(first.path() + ".dependsOn",
                "cycle in task dependencies: " + String.join(" → ", path) + " (each task depends on the next)"));
        }
    }
}
