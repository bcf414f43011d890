/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Groups tasks into tracks that can run in parallel.
 *
 * <p>Definition: a <em>track</em> is a weakly connected component of the dependency graph restricted to
 * the given tasks: two tasks share a track when a chain of "depends on" edges, followed in either
 * direction, links them. Tasks in different tracks share no dependency, so the tracks can run side by side;
 * within a track tasks are listed in a topological order (every task after all it depends on), ties broken
 * by the order the tasks were given. Tracks are ordered by their earliest-given task.
 *
 * <p>Dependencies on tasks not in the given list are ignored: they are taken to be finished already or to
 * be someone else's concern. A task with no edges is a track of its own. This is deliberately coarse: a
 * diamond or a shared ancestor puts all its tasks in one track even though some of them could overlap in
 * time; a scheduler that wants more concurrency can still start any task whose dependencies are done.
 *
 * <p>Thread-safety: stateless, safe from any thread. Allocation: per call, O(tasks + edges).
 */
public final class ParallelTracks
{
    private ParallelTracks()
    {
    }

    /**
     * @param taskIds   the tasks, unique.
     * @param dependsOn task id to the ids it depends on; tasks missing from the map depend on nothing.
     * @return the tracks, each in topological order.
     * @throws IllegalArgumentException if a task id repeats or the dependencies among the tasks form a cycle.
     */
    public static List<List<String>> tracks(final List<String> taskIds, final Map<String, Set<String>> dependsOn)
    {
        Objects.requireNonNull(taskIds, "taskIds");
        Objects.requireNonNull(dependsOn, "dependsOn");
        final int n = taskIds.size();
        final Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            final String id = Objects.requireNonNull(taskIds.get(i), "task id");
            if (index.putIfAbsent(id, i) != null)
            {
                throw new IllegalArgumentException("task id '" + id + "' appears more than once");
            }
        }

        final List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            dependents.add(new ArrayList<>());
        }
        final int[] unmetDependencies = new int[n];
        final int[] component = new int[n];
        for (int i = 0; i < n; i++)
        {
            component[i] = i;
        }
        for (int i = 0; i < n; i++)
        {
            for (final String dependency : dependsOn.getOrDefault(taskIds.get(i), Set.of()))
            {
                final Integer d = index.get(dependency);
                if (d != null)
                {
                    dependents.get(d).add(i);
                    unmetDependencies[i]++;
                    union(component, d, i);
                }
            }
        }

        // Kahn's algorithm over the whole graph; each task lands in its component's track as it is released.
        final Map<Integer, List<String>> trackByRoot = new HashMap<>();
        final List<List<String>> tracks = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final int root = find(component, i);
            if (!trackByRoot.containsKey(root))
            {
                final List<String> track = new ArrayList<>();
                trackByRoot.put(root, track);
                tracks.add(track);
            }
        }

        final PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++)
        {
            if (unmetDependencies[i] == 0)
            {
                ready.add(i);
            }
        }
        int released = 0;
        while (!ready.isEmpty())
        {
            final int task = ready.poll();
            released++;
            trackByRoot.get(find(component, task)).add(taskIds.get(task));
            for (final int dependent : dependents.get(task))
            {
                if (--unmetDependencies[dependent] == 0)
                {
                    ready.add(dependent);
                }
            }
        }

        if (released < n)
        {
            final List<String> inCycle = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                if (unmetDependencies[i] > 0)
                {
                    inCycle.add(taskIds.get(i));
                }
            }
            throw new IllegalArgumentException(
                "dependencies form a cycle; these tasks are on or behind it and can never start: " + inCycle);
        }

        final List<List<String>> result = new ArrayList<>(tracks.size());
        for (final List<String> track : tracks)
        {
            result.add(List.copyOf(track));
        }
        return List.copyOf(result);
    }

    private static int find(final int[] parent, final int i)
    {
        int root = i;
        while (parent[root] != root)
        {
            root = parent[root];
        }
        int node = i;
        while (parent[node] != root)
        {
            final int next = parent[node];
            parent[node] = root;
            node = next;
        }
        return root;
    }

    private static void union(final int[] parent, final int a, final int b)
    {
        final int rootA = find(parent, a);
        final int rootB = find(parent, b);
        if (rootA != rootB)
        {
            // The earlier task becomes the root, which keeps the choice deterministic.
            parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
        }
    }
}
