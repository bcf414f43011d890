/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.Tier;

/**
 * The demo's second part: a router reachable over its Unix socket ({@link RouterProcess}) in this JVM, and two
 * agents in JVMs of their own ({@link DemoAgentProcess}): Constructor makes request/response round trips to
 * Testbed on CRITICAL, HIGH, NORMAL and LOW in turn. Every number printed is measured in the run, by the
 * Constructor process; the tiers are the ones the messages arrived on, so a fallback shows as such.
 *
 * <p>Everything lives under a fresh temporary runtime dir, deleted at the end; the child processes are stopped in any
 * case, before the router ({@link StopSignals#terminate}: SIGTERM, then SIGKILL after a grace), and stop on their own
 * if this process dies. On a stop ({@link StopSignals}) the run ends at its next wait with a
 * {@link java.util.concurrent.CancellationException}, after stopping the children and the router and printing the
 * router's counters. Thread-safety: call {@link #run} from one thread at a time.
 */
public final class CrossProcessDemo
{
    /**
     * Flags each agent JVM gets, so that every tier can run in it (HIGH needs native access, LOW Chronicle's), and so
     * that it stops when this process exits, however it exits ({@link StopSignals#PARENT_PROPERTY}).
     */
    static final List<String> CHILD_JVM_FLAGS;

    static
    {
        final List<String> flags = new ArrayList<>(JvmFlags.of(JvmFlags.Group.AGENT));
        flags.add("-D" + StopSignals.PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        CHILD_JVM_FLAGS = List.copyOf(flags);
    }

    private static final long CHILD_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(20);
    private static final long READY_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(15);

    /**
     * @param warmup   unmeasured round trips per priority, before the measured ones.
     * @param requests measured round trips per priority.
     */
    public record Sizes(int warmup, int requests)
    {
        /** What {@code ./switchboard demo} runs. */
        public static final Sizes DEFAULT = new Sizes(500, 2_000);
    }

    /**
     * One priority's round trips.
     *
     * @param priority     the priority Constructor gave.
     * @param expectedTier the tier that priority maps to when every tier is available.
     * @param requestTier  the tier the requests arrived on, at Testbed.
     * @param replyTier    the tier the responses arrived on, at Constructor.
     * @param roundTrips   measured round trips completed.
     * @param served       requests Testbed answered (warm-up included).
     * @param p50Ns        round trip, median.
     * @param p99Ns        round trip, 99th percentile.
     */
    public record TierRun(
        Priority priority, Tier expectedTier, Tier requestTier, Tier replyTier, long roundTrips, long served,
        long p50Ns, long p99Ns)
    {
    }

    /**
     * @param runs      one per priority, in the order run.
     * @param elapsedNs from starting the router to the children's exit.
     */
    public record Report(List<TierRun> runs, long elapsedNs)
    {
        /**
         * @param priority a priority the demo ran.
         * @return its run.
         */
        public TierRun run(final Priority priority)
        {
            return runs.stream().filter(r -> r.priority() == priority).findFirst().orElseThrow();
        }
    }

    private CrossProcessDemo()
    {
    }

    /**
     * Start the router and the two agent processes, run the round trips, print the table, clean up.
     *
     * @param sizes how many round trips.
     * @param out   where the table goes.
     * @return what was measured.
     * @throws IllegalStateException when a child fails, times out or reports less than it should.
     */
    public static Report run(final Sizes sizes, final PrintStream out)
    {
        return run(sizes, out, List.of(), "");
    }

    /**
     * As {@link #run(Sizes, PrintStream)}, on a machine made to lack tiers: the paths the product claims to survive
     * (no liburing, io_uring disabled, a full {@code /dev/shm}) are tested this way.
     *
     * @param sizes          how many round trips.
     * @param out            where the table goes.
     * @param childJvmArgs   extra options for the two agent JVMs (e.g. {@code -Dswitchboard.liburing.path=/nowhere}).
     * @param disabledTiers  tiers the router may not use ({@code switchboard.tiers.disable}), e.g. {@code HIGH}.
     * @return what was measured.
     * @throws IllegalStateException when a child fails, times out or reports less than it should.
     */
    public static Report run(
        final Sizes sizes, final PrintStream out, final List<String> childJvmArgs, final String disabledTiers)
    {
        final long startNs = System.nanoTime();
        final Path dir = createTempDir();
        try
        {
            out.println();
            out.println("Across processes: router in this JVM (Unix socket), Testbed and Constructor in JVMs of their own");
            final IpcContext ipc = new IpcContext().underDirectory(dir).disabledTiers(disabledTiers);
            final RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            try
            {
                final List<TierRun> runs = roundTrips(dir, sizes, childJvmArgs);
                final long elapsedNs = System.nanoTime() - startNs;
                print(out, sizes, runs, elapsedNs);
                return new Report(runs, elapsedNs);
            }
            finally
            {
                router.close();
                if (StopSignals.current().isStopRequested())
                {
                    out.println("stopped (" + StopSignals.current().reason() + "): agent processes stopped, router " +
                        "closed; router counters:");
                    out.print(router.router().counters().report());
                }
            }
        }
        finally
        {
            deleteRecursively(dir);
        }
    }

    /** Starts the two agent processes, collects what they measured, and stops them in any case. */
    private static List<TierRun> roundTrips(final Path dir, final Sizes sizes, final List<String> childJvmArgs)
    {
        final List<Child> children = new ArrayList<>();
        try
        {
            final Child testbed = Child.start(dir, DemoAgentProcess.TESTBED, sizes, childJvmArgs);
            children.add(testbed);
            testbed.awaitLine("READY " + DemoAgentProcess.TESTBED, READY_TIMEOUT_MS);
            final Child constructor = Child.start(dir, DemoAgentProcess.CONSTRUCTOR, sizes, childJvmArgs);
            children.add(constructor);
            constructor.awaitExit(CHILD_TIMEOUT_MS);
            testbed.awaitExit(CHILD_TIMEOUT_MS);

            final Map<Priority, Map<String, String>> results = constructor.lines("RESULT");
            final Map<Priority, Map<String, String>> served = testbed.lines("SERVED");
            final List<TierRun> runs = new ArrayList<>();
            for (final Priority priority : DemoAgentProcess.PRIORITIES)
            {
                final Map<String, String> r = results.get(priority);
                final Map<String, String> s = served.get(priority);
                if (r == null || s == null)
                {
                    throw new IllegalStateException("no result for " + priority + "; Constructor said: " +
                        constructor.stdout() + "; Testbed said: " + testbed.stdout());
                }
                runs.add(new TierRun(priority, Tier.valueOf(priority.name()), Tier.valueOf(r.get("tier")),
                    Tier.valueOf(r.get("replyTier")), Long.parseLong(r.get("n")), Long.parseLong(s.get("n")),
                    Long.parseLong(r.get("p50")), Long.parseLong(r.get("p99"))));
                final TierRun run = runs.getLast();
                if (run.roundTrips() != sizes.requests() || run.served() != sizes.warmup() + sizes.requests())
                {
                    throw new IllegalStateException(priority + ": " + run.roundTrips() + " of " + sizes.requests() +
                        " round trips measured, " + run.served() + " of " + (sizes.warmup() + sizes.requests()) +
                        " requests served");
                }
            }
            return List.copyOf(runs);
        }
        finally
        {
            // before the router closes, so that they deregister rather than lose their router
            StopSignals.terminate(children.stream().map(c -> c.process).toList(),
                TimeUnit.MILLISECONDS.toNanos(StopSignals.CHILD_GRACE_MS));
        }
    }

    private static void print(final PrintStream out, final Sizes sizes, final List<TierRun> runs, final long elapsedNs)
    {
        out.println(String.format(Locale.ROOT, "  %-28s %-9s %-22s %6s %10s %10s", "pattern", "priority", "tier",
            "n", "p50 RTT", "p99 RTT"));
        for (final TierRun r : runs)
        {
            final String tier = r.requestTier() == r.replyTier() ? r.requestTier().name() :
                r.requestTier() + "/" + r.replyTier();
            final String note = r.requestTier() == r.expectedTier() && r.replyTier() == r.expectedTier() ? "" :
                " (fallback from " + r.expectedTier() + ")";
            out.println(String.format(Locale.ROOT, "  %-28s %-9s %-22s %6d %10s %10s",
                r.priority() == Priority.BATCH ? "zero-copy 64 KiB C<->T" : "request/response C<->T", r.priority(), tier + note, r.roundTrips(), Account.micros(r.p50Ns()),
                Account.micros(r.p99Ns())));
        }
        out.println(String.format(Locale.ROOT,
            "  C = Constructor, T = Testbed, each its own JVM; %d measured round trips per priority after %d warm-up, " +
            "one at a time; tier = what the requests and responses arrived on; took %.1f s",
            sizes.requests(), sizes.warmup(), elapsedNs / 1e9));
    }

    private static Path createTempDir()
    {
        try
        {
            return Files.createTempDirectory("switchboard-demo-");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a temporary runtime dir", e);
        }
    }

    static void deleteRecursively(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException e)
        {
            System.err.println("switchboard demo: could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** One agent JVM; its output goes to files so it never blocks on a full pipe. */
    private static final class Child
    {
        private final String role;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private Child(final String role, final Process process, final Path stdout, final Path stderr)
        {
            this.role = role;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Child start(final Path dir, final String role, final Sizes sizes, final List<String> extraJvmArgs)
        {
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this JVM")));
            command.addAll(CHILD_JVM_FLAGS);
            command.addAll(extraJvmArgs);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(DemoAgentProcess.class.getName());
            command.add(role);
            command.add(dir.toString());
            command.add(String.valueOf(sizes.warmup()));
            command.add(String.valueOf(sizes.requests()));
            final Path out = dir.resolve(role + ".out");
            final Path err = dir.resolve(role + ".err");
            final ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("_JAVA_OPTIONS");
            try
            {
                return new Child(role, pb.start(), out, err);
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot start the " + role + " process", e);
            }
        }

        void awaitLine(final String line, final long timeoutMs)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!stdout().lines().anyMatch(line::equals))
            {
                StopSignals.current().throwIfStopRequested();
                if (!process.isAlive())
                {
                    throw new IllegalStateException(role + " exited with " + process.exitValue() + " before saying '" +
                        line + "'; " + stderrTail());
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException(role + " did not say '" + line + "' within " + timeoutMs + " ms; " +
                        stderrTail());
                }
                sleep(10);
            }
        }

        void awaitExit(final long timeoutMs)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            try
            {
                while (!process.waitFor(10, TimeUnit.MILLISECONDS))
                {
                    StopSignals.current().throwIfStopRequested();
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException(role + " did not finish within " + timeoutMs + " ms; it said: " +
                            stdout() + "; " + stderrTail());
                    }
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + role, e);
            }
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(role + " exited with " + process.exitValue() + "; " + stderrTail());
            }
        }

        /** Lines "PREFIX PRIORITY k=v k=v ...", by priority. */
        Map<Priority, Map<String, String>> lines(final String prefix)
        {
            final Map<Priority, Map<String, String>> byPriority = new LinkedHashMap<>();
            for (final String line : stdout().lines().toList())
            {
                final String[] words = line.trim().split("\\s+");
                if (words.length < 2 || !words[0].equals(prefix))
                {
                    continue;
                }
                final Map<String, String> values = new LinkedHashMap<>();
                for (int i = 2; i < words.length; i++)
                {
                    final int eq = words[i].indexOf('=');
                    if (eq > 0)
                    {
                        values.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                    }
                }
                byPriority.put(Priority.valueOf(words[1]), values);
            }
            return byPriority;
        }

        String stdout()
        {
            return read(stdout);
        }

        String stderrTail()
        {
            final List<String> lines = read(stderr).lines().toList();
            return "stderr: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        }

        private static String read(final Path p)
        {
            try
            {
                return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
            }
            catch (final IOException e)
            {
                return "<" + e + ">";
            }
        }

        private static void sleep(final long ms)
        {
            try
            {
                Thread.sleep(ms);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
