/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stops a process and everything it started. Killing only the process an agent's command started is not enough: a
 * shell wrapper, a Node CLI or a build tool leaves its children running, and they go on editing the repository
 * after the task was given up. So the tree is listed ({@link ProcessHandle#descendants()}) <em>before</em> anything
 * is signalled, since a child whose parent has died is re-parented and drops out of the tree; every process in it
 * gets SIGTERM, and those still running after the grace get SIGKILL, together with anything they started meanwhile.
 * <p>
 * What this cannot catch: a process that forks between the last listing and its own SIGKILL, or that escaped the
 * tree before the listing (a daemon that re-parented itself). Running the command in a process group or cgroup of its
 * own would close that gap. Stateless and thread-safe.
 */
public final class ProcessTree
{
    private static final long POLL_MS = 10;

    private ProcessTree()
    {
    }

    /**
     * SIGTERM to the process and all its descendants, then after {@code grace} SIGKILL to whatever of them still runs
     * (and to its own descendants). Waits up to a second for the killed ones to go.
     *
     * @param root  the process an agent's command started.
     * @param grace how long the tree may take to stop on SIGTERM; zero goes straight to SIGKILL.
     * @return the processes that had to be killed with SIGKILL, empty when SIGTERM was enough.
     */
    public static List<ProcessHandle> kill(final ProcessHandle root, final Duration grace)
    {
        final Set<ProcessHandle> tree = list(root);
        if (!grace.isZero())
        {
            tree.forEach(ProcessHandle::destroy);
            awaitGone(tree, grace);
        }
        final Set<ProcessHandle> stubborn = new LinkedHashSet<>();
        for (final ProcessHandle process : List.copyOf(tree))
        {
            if (isRunning(process))
            {
                stubborn.addAll(list(process)); // with what it started since the first listing
            }
        }
        stubborn.forEach(ProcessHandle::destroyForcibly);
        awaitGone(stubborn, Duration.ofSeconds(1));
        return List.copyOf(stubborn);
    }

    /**
     * Whether a process still runs: alive and not a zombie. A killed orphan stays a zombie until its new parent
     * reaps it, and in a container whose first process reaps nothing that is forever, while
     * {@link ProcessHandle#isAlive()} keeps saying true.
     *
     * @param process a process.
     * @return whether it runs.
     */
    public static boolean isRunning(final ProcessHandle process)
    {
        if (!process.isAlive())
        {
            return false;
        }
        final Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try
        {
            final String text = Files.readString(stat);
            final int end = text.lastIndexOf(')');
            final char state = end < 0 || end + 2 >= text.length() ? 'R' : text.charAt(end + 2);
            return state != 'Z' && state != 'X';
        }
        catch (final IOException ex)
        {
            return Files.exists(stat.getParent()); // no /proc at all: trust isAlive; gone: not running
        }
    }

    /** The process and its descendants, children before grandchildren. */
    private static Set<ProcessHandle> list(final ProcessHandle root)
    {
        final Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void awaitGone(final Set<ProcessHandle> processes, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<ProcessHandle> left = new ArrayList<>(processes);
        while (!left.isEmpty() && System.nanoTime() < deadline)
        {
            left.removeIf(p -> !isRunning(p));
            if (!left.isEmpty())
            {
                try
                {
                    Thread.sleep(POLL_MS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt(); // keep the flag for the caller; stop waiting, go on killing
                    return;
                }
            }
        }
    }
}
