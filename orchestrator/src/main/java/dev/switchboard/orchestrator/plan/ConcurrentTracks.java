/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;

/**
 * The tracks a workflow's tasks can be run in: the fewest sequences of tasks that cover every task, each sequence
 * ordered by dependency, so that one agent can work through a track while other agents work through the others.
 * Their number is the workflow's width, the most tasks that can ever run at once (Dilworth's theorem: a minimum
 * cover by chains of the dependency order is as large as its largest set of mutually independent tasks). Two tasks
 * can run alongside each other when there is no dependency path between them, in either direction; unlike the
 * graph's {@linkplain TaskGraph#parallelTracks() depth levels}, this also pairs tasks at different depths (a unit
 * test task after the core implementation can run while the API is still being implemented).
 *
 * <p>Computed once by {@link #of}; immutable afterwards, thread-safe. The computation is O(n³) in the number of
 * tasks, which is fine for workflows of tens of tasks.
 *
 * @param tracks the tracks, each a list of task ids in dependency order; tracks ordered by their first task in
 *               topological order.
 * @param alongside for each task id, the ids of the tasks it can run alongside (no dependency path either way), in
 *                  topological order.
 */
public record ConcurrentTracks(List<List<String>> tracks, Map<String, List<String>> alongside)
{
    /** Copies. */
    public ConcurrentTracks
    {
        tracks = tracks.stream().map(List::copyOf).toList();
        alongside = Map.copyOf(alongside);
    }

    /**
     * @param graph a checked workflow graph.
     * @return its minimum cover by tracks, and which tasks can run alongside which.
     */
    public static ConcurrentTracks of(final TaskGraph graph)
    {
        final List<TaskDefinition> order = graph.topologicalOrder();
        final int n = order.size();
        final Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            index.put(order.get(i).id(), i);
        }
        // reaches[i][j]: a dependency path leads from task i to task j (j runs after i); i < j in topological order.
        final boolean[][] reaches = new boolean[n][n];
        for (int j = 0; j < n; j++)
        {
            for (final String dependency : order.get(j).dependsOn())
            {
                final int i = index.get(dependency);
                reaches[i][j] = true;
                for (int k = 0; k < n; k++)
                {
                    if (reaches[k][i])
                    {
                        reaches[k][j] = true;
                    }
                }
            }
        }
        // Minimum chain cover: a maximum matching from "task i" to "task j after i" in the transitive closure.
        final int[] next = new int[n];
        final int[] previous = new int[n];
        Arrays.fill(next, -1);
        Arrays.fill(previous, -1);
        for (int i = 0; i < n; i++)
        {
            augment(i, reaches, next, previous, new boolean[n]);
        }
        final List<List<String>> tracks = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            if (previous[i] < 0)
            {
                final List<String> track = new ArrayList<>();
                for (int t = i; t >= 0; t = next[t])
                {
                    track.add(order.get(t).id());
                }
                tracks.add(track);
            }
        }
        final Map<String, List<String>> alongside = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            final List<String> concurrent = new ArrayList<>();
            for (int j = 0; j < n; j++)
            {
                if (i != j && !reaches[i][j] && !reaches[j][i])
                {
                    concurrent.add(order.get(j).id());
                }
            }
            alongside.put(order.get(i).id(), concurrent);
        }
        return new ConcurrentTracks(tracks, alongside);
    }

    /** Kuhn's augmenting path from left vertex {@code i}; true when the matching grew. */
    private static boolean augment(final int i, final boolean[][] reaches, final int[] next, final int[] previous,
        final boolean[] seen)
    {
        for (int j = 0; j < reaches.length; j++)
        {
            if (reaches[i][j] && !seen[j])
            {
                seen[j] = true;
                if (previous[j] < 0 || augment(previous[j], reaches, next, previous, seen))
                {
                    next[i] = j;
                    previous[j] = i;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return the most tasks that can run at once: the number of tracks.
     */
    public int width()
    {
        return tracks.size();
    }

    /**
     * @param track a track's index.
     * @return the indexes of the other tracks holding a task that can run alongside one of this track's tasks.
     */
    public Set<Integer> runsAlongside(final int track)
    {
        final Set<Integer> others = new LinkedHashSet<>();
        for (int other = 0; other < tracks.size(); other++)
        {
            if (other != track)
            {
                for (final String id : tracks.get(track))
                {
                    if (tracks.get(other).stream().anyMatch(alongside.get(id)::contains))
                    {
                        others.add(other);
                        break;
                    }
                }
            }
        }
        return others;
    }

    /**
     * @param index a track's index, from 0.
     * @return its letter: A, B, ..., Z, then AA, AB, ...
     */
    public static String letter(final int index)
    {
        return index < 26 ? String.valueOf((char)('A' + index)) : letter(index / 26 - 1) + letter(index % 26);
    }
}
