/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.switchboard.bench.harness.model.RunResult;
import dev.switchboard.codecs.JvmFlags;

/**
 * Facts about the machine the harness runs on, and the few file and process chores it needs.
 */
final class Machine
{
    /** Heap and headless settings of every child JVM, before its flags. */
    static final List<String> CHILD_JVM_SETTINGS = List.of("-Xms256m", "-Xmx512m", "-Djava.awt.headless=true");

    /**
     * Every child JVM: the group bench of jvm.flags (Agrona's Unsafe access, FFM without warnings, JMH's and
     * Chronicle's sun.misc.Unsafe), then {@link #CHILD_JVM_SETTINGS}; each case adds its own group's flags.
     */
    static final List<String> CHILD_JVM_FLAGS = Stream.concat(JvmFlags.of(JvmFlags.Group.BENCH).stream(),
        CHILD_JVM_SETTINGS.stream()).toList();

    private Machine()
    {
    }

    static String javaBinary()
    {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString());
    }

    /**
     * @return the project root: {@code switchboard.home} when set (./switchboard sets it), else the nearest
     * directory above the working directory that holds {@code native/floor}.
     */
    static Path projectRoot()
    {
        final String home = System.getProperty("switchboard.home");
        if (home != null)
        {
            return Path.of(home);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            if (Files.isDirectory(dir.resolve("native").resolve("floor")))
            {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the project root (a directory with native/floor) above " +
            Path.of("").toAbsolutePath() + "; set -Dswitchboard.home");
    }

    static boolean hasTaskset()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, "taskset")))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the CPUs this process may run on (from /proc/self/status), when taskset exists; else empty.
     */
    static List<String> pinnableCpus()
    {
        if (!hasTaskset())
        {
            return List.of();
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("Cpus_allowed_list:"))
                {
                    return expand(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        catch (final IOException ignored)
        {
            // not Linux: no pinning
        }
        return List.of();
    }

    static List<String> expand(final String list)
    {
        final List<String> cpus = new ArrayList<>();
        for (final String part : list.split(","))
        {
            if (part.contains("-"))
            {
                final String[] r = part.split("-");
                for (int i = Integer.parseInt(r[0]); i <= Integer.parseInt(r[1]); i++)
                {
                    cpus.add(Integer.toString(i));
                }
            }
            else if (!part.isBlank())
            {
                cpus.add(part.trim());
            }
        }
        return cpus;
    }

    /**
     * @param caseId the case.
     * @return a fresh directory for the case's shared-memory files, under /dev/shm when it exists, named
     * {@link #shmPrefix()}{@code <case>-<random>} so that a check for leftovers can tell this run's from another's.
     * @throws IOException when it cannot be made.
     */
    static Path shmDir(final String caseId) throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(base, shmPrefix() + caseId + "-");
    }

    /**
     * @return the start of the name of every shared-memory directory this harness process makes:
     * {@code switchboard-bench-<pid>-}.
     */
    static String shmPrefix()
    {
        return "switchboard-bench-" + ProcessHandle.current().pid() + "-";
    }

    static void deleteTree(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        // Best effort, and never a failure of the run: a process that is still exiting (an agent JVM, a router) may
        // delete its own files while the walk reads the tree (the walk then throws UncheckedIOException). Walked again,
        // a few times, until the tree is gone.
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++)
        {
            try (Stream<Path> s = Files.walk(dir))
            {
                s.sorted(Comparator.reverseOrder()).forEach(p ->
                {
                    try
                    {
                        Files.deleteIfExists(p);
                    }
                    catch (final IOException ignored)
                    {
                        // a temp file left behind is not a failure
                    }
                });
            }
            catch (final IOException | UncheckedIOException ignored)
            {
                // walked again
            }
        }
    }

    static RunResult.Machine describe(final String pinning)
    {
        String cpu = "unknown";
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown");
        }
        catch (final IOException ignored)
        {
            // not Linux
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new RunResult.Machine(cpu, Runtime.getRuntime().availableProcessors(), kernel,
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"), pinning);
    }
}
