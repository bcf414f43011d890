/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.RouterProcess;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.RouterContext;

/**
 * {@code ./switchboard soak [--minutes N] [--seed S]}: a bounded soak with real processes. A router and a sink agent
 * run in this process; one sender process per {@link SoakStream} (CRITICAL, HIGH, NORMAL, LOW, and a WORK producer)
 * sends sequence numbers to the sink at a fixed rate, and work-queue consumer processes forward each work item to the
 * sink before acking it. On a schedule drawn from the seed, a random sender or worker is killed with SIGKILL and
 * restarted a moment later. At the end every sender stops (and flushes), the sink drains, and {@link SoakLedger} prints (and
 * writes as JSON) per tier: sent, delivered, in flight at kill, lost, duplicated, reordered. Exit code 0 when every
 * guarantee held, 1 when one was violated, 2 for bad arguments.
 *
 * <p>Not here: killing the router (see {@code KilledRouterTest} in ipc-native), disk full and /dev/shm full.
 *
 * <p>Thread-safety: one thread. Allocation: not a hot path.
 */
public final class SoakMain
{
    static final String SINK = "soak-sink";
    static final String QUEUE = "soak-work";

    private SoakMain()
    {
    }

    /**
     * @param args see {@link Options#parse}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Run the soak, printing to {@code out}.
     *
     * @param args arguments.
     * @param out  where the report goes.
     * @param err  where usage errors go.
     * @return the exit code: 0 guarantees held, 1 violated, 2 bad arguments.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("soak: " + ex.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        if (options == null)
        {
            out.println(Options.USAGE);
            return 0;
        }
        try
        {
            final Result result = soak(options, out);
            return result.violations().isEmpty() ? 0 : 1;
        }
        catch (final IOException | InterruptedException ex)
        {
            err.println("soak: " + ex);
            return 1;
        }
    }

    /**
     * Run the soak.
     *
     * @param options settings.
     * @param out     where progress and the report go.
     * @return the per-stream results, the violations and the kill count.
     * @throws IOException          when the runtime dir or the report cannot be written.
     * @throws InterruptedException when interrupted.
     */
    public static Result soak(final Options options, final PrintStream out) throws IOException, InterruptedException
    {
        final Path dir = Files.createTempDirectory("sb-soak");
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final SplittableRandom random = new SplittableRandom(options.seed);
        final SoakLedger ledger = new SoakLedger();
        final List<Child> children = new ArrayList<>();
        int kills = 0;
        int unexpectedExits = 0;
        out.printf(Locale.ROOT, "soak: %d s, seed %d, %d msgs/s per tier, %d workers, kill every %d-%d ms; dir %s%n",
            options.durationMs / 1000, options.seed, options.rate, options.workers, options.killMinMs, options.killMaxMs, dir);

        // A 10 s lease: JVMs starting on a loaded machine can stall for seconds between two control calls. A killed
        // agent is still deregistered at once (its socket closes); the lease only judges hung ones.
        final RouterContext routerContext = new RouterContext().defaultLeaseNs(TimeUnit.SECONDS.toNanos(10));
        try (RouterProcess router = RouterProcess.launch(routerContext, ipc);
            SwitchboardClient sink = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            sink.register(SINK, "soak");
            final dev.switchboard.client.MessageHandler handler =
                m -> ledger.onDelivered((int)m.buffer().getLong(m.payloadOffset()), m.buffer().getLong(m.payloadOffset() + 8));
            final Runnable pollSink = () -> sink.poll(handler);
            out.println("soak: sink is agent " + sink.agentId());
            for (final SoakStream stream : SoakStream.values())
            {
                children.add(new Child(dir, "sender-" + stream.name().toLowerCase(Locale.ROOT), stream, pollSink));
            }
            for (int i = 0; i < options.workers; i++)
            {
                children.add(new Child(dir, "soak-worker-" + i, null, pollSink));
            }
            for (final Child child : children)
            {
                child.start(options);
            }
            // JVMs start slowly on a loaded machine: the clock and the kill schedule start once every child runs.
            final long readyDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!children.stream().allMatch(Child::isReady))
            {
                if (System.nanoTime() > readyDeadlineNs)
                {
                    throw new IllegalStateException("children not ready within 180 s: " + children);
                }
                sink.idleStrategy().idle(sink.poll(handler));
            }

            final long startNs = System.nanoTime();
            final long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(options.durationMs);
            long nextKillNs = startNs + nextKillDelayNs(random, options);
            long nextReportNs = startNs + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < endNs)
            {
                final int work = sink.poll(handler);
                final long now = System.nanoTime();
                for (final Child child : children)
                {
                    if (child.process == null && now >= child.restartAtNs)
                    {
                        child.start(options);
                    }
                    else if (child.process != null && !child.process.isAlive())
                    {
                        // Not a kill of ours: accounted as one (its unflushed tail may be gone), shown, restarted.
                        out.println("soak: " + child.name + " exited by itself (" + child.process.exitValue() + "): " +
                            child.stderrTail());
                        child.kill(ledger);
                        child.restartAtNs = now + TimeUnit.MILLISECONDS.toNanos(500);
                        unexpectedExits++;
                    }
                }
                if (now >= nextKillNs)
                {
                    final Child victim = children.get(random.nextInt(children.size()));
                    // Only a child that is running (past JVM start-up): a kill must cut traffic, not a JVM start.
                    if (victim.process != null && victim.isReady())
                    {
                        victim.kill(ledger);
                        victim.restartAtNs = System.nanoTime() +
                            TimeUnit.MILLISECONDS.toNanos(random.nextLong(100, 1000));
                        kills++;
                    }
                    nextKillNs = now + nextKillDelayNs(random, options);
                }
                if (now >= nextReportNs)
                {
                    out.printf(Locale.ROOT, "soak: %d s, %d delivered, %d kills%n",
                        TimeUnit.NANOSECONDS.toSeconds(now - startNs), ledger.deliveries(), kills);
                    nextReportNs = now + TimeUnit.SECONDS.toNanos(10);
                }
                sink.idleStrategy().idle(work);
            }

            // Stop: senders stop by themselves (their socket buffers flushed, so none of their tail may be missing),
            // killed workers come back, and the sink drains.
            Files.createFile(dir.resolve("stop"));
            for (final Child child : children)
            {
                if (child.stream != null && child.process != null)
                {
                    child.stop(ledger);
                }
                else if (child.stream == null && child.process == null)
                {
                    child.start(options);
                }
            }
            final long drainEndNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds);
            long lastDeliveries = -1;
            long quietSinceNs = System.nanoTime();
            while (System.nanoTime() < drainEndNs && !ledger.allDelivered())
            {
                sink.idleStrategy().idle(sink.poll(handler));
                if (ledger.deliveries() != lastDeliveries || !children.stream().allMatch(c -> c.stream != null || c.isReady()))
                {
                    lastDeliveries = ledger.deliveries();
                    quietSinceNs = System.nanoTime();
                }
                else if (System.nanoTime() - quietSinceNs > TimeUnit.SECONDS.toNanos(5))
                {
                    break;
                }
            }
            for (final Child child : children)
            {
                if (child.process != null)
                {
                    child.process.destroyForcibly();
                    child.process.waitFor(10, TimeUnit.SECONDS);
                }
            }

            final List<SoakLedger.StreamResult> results = ledger.results();
            final List<String> violations = new ArrayList<>();
            for (final SoakLedger.StreamResult r : results)
            {
                if (r.violation() != null)
                {
                    violations.add(r.violation());
                }
            }
            final long unblocked = sink.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED);
            final long redelivered = router.router().counters().block().get(RouterCounter.WORK_REDELIVERED);
            final Result result = new Result(results, violations, kills, unexpectedExits, unblocked, redelivered, options.seed);
            print(out, result);
            out.print("router counters:\n" + router.router().counters().report());
            final Path json = options.json != null ? options.json : dir.resolve("soak-result.json");
            Files.writeString(json, result.toJson(), StandardCharsets.UTF_8);
            out.println("soak: JSON in " + json.toAbsolutePath());
            return result;
        }
        finally
        {
            for (final Child child : children)
            {
                if (child.process != null && child.process.isAlive())
                {
                    child.process.destroyForcibly();
                }
            }
        }
    }

    private static long nextKillDelayNs(final SplittableRandom random, final Options options)
    {
        return TimeUnit.MILLISECONDS.toNanos(random.nextLong(options.killMinMs, options.killMaxMs + 1));
    }

    private static void print(final PrintStream out, final Result result)
    {
        out.printf(Locale.ROOT, "%-9s %10s %9s %10s %10s %6s %10s %9s %10s %5s%n", "tier", "sent", "uncertain",
            "delivered", "inflight@k", "lost", "duplicated", "reordered", "backpress", "runs");
        for (final SoakLedger.StreamResult r : result.streams())
        {
            out.printf(Locale.ROOT, "%-9s %10d %9d %10d %10d %6d %10d %9d %10d %5d%n", r.stream(), r.sent(), r.uncertain(),
                r.delivered(), r.inFlightAtKill(), r.lost(), r.duplicated(), r.reordered(), r.backPressured(),
                r.incarnations());
        }
        out.printf(Locale.ROOT, "kills %d, unexpected exits %d, CRITICAL records unblocked %d, work items redelivered %d%n",
            result.kills(), result.unexpectedExits(), result.unblocked(), result.workRedelivered());
        if (result.violations().isEmpty())
        {
            out.println("soak: every guarantee held (lost 0 on every tier; no duplicate or reordering outside WORK)");
        }
        else
        {
            for (final String v : result.violations())
            {
                out.println("soak: VIOLATION " + v);
            }
        }
    }

    /**
     * What a soak found.
     *
     * @param streams         per-stream accounts.
     * @param violations      violated guarantees, empty when all held.
     * @param kills           SIGKILLs during the run (the final stop not counted).
     * @param unexpectedExits children that exited by themselves (each is shown with its stderr, then restarted).
     * @param unblocked       CRITICAL inbox records the sink unblocked (a sender killed between claim and commit).
     * @param workRedelivered work items the router redelivered.
     * @param seed            the seed.
     */
    public record Result(
        List<SoakLedger.StreamResult> streams,
        List<String> violations,
        int kills,
        int unexpectedExits,
        long unblocked,
        long workRedelivered,
        long seed)
    {
        /** @return the result as JSON. */
        public String toJson()
        {
            final StringBuilder sb = new StringBuilder();
            sb.append("{\"seed\":").append(seed).append(",\"kills\":").append(kills)
                .append(",\"unexpected_exits\":").append(unexpectedExits)
                .append(",\"critical_records_unblocked\":").append(unblocked)
                .append(",\"work_redelivered\":").append(workRedelivered)
                .append(",\"ok\":").append(violations.isEmpty()).append(",\"violations\":[");
            for (int i = 0; i < violations.size(); i++)
            {
                sb.append(i == 0 ? "" : ",").append('"').append(violations.get(i).replace("\"", "'")).append('"');
            }
            sb.append("],\"tiers\":[");
            for (int i = 0; i < streams.size(); i++)
            {
                sb.append(i == 0 ? "" : ",").append(streams.get(i).toJson());
            }
            return sb.append("]}\n").toString();
        }
    }

    /** The soak's settings. */
    public static final class Options
    {
        static final String USAGE = """
            Usage: ./switchboard soak [--minutes N | --seconds N] [--seed S] [--rate MSGS_PER_S] [--workers N]
                                      [--kill-ms MIN:MAX] [--json FILE]
              --minutes N    how long to send (default 10); --seconds N for short runs
              --seed S       seeds the kill schedule (default 1): the same seed kills in the same order
              --rate R       messages per second per tier (default 500)
              --workers N    work-queue consumer processes (default 2)
              --kill-ms A:B  a random process is killed with SIGKILL every A..B ms (default 2000:5000)
              --json FILE    where to write the result (default <runtime dir>/soak-result.json)
            Exit code: 0 every guarantee held, 1 a guarantee was violated, 2 bad arguments.""";

        long durationMs = TimeUnit.MINUTES.toMillis(10);
        long seed = 1;
        long rate = 500;
        int workers = 2;
        long killMinMs = 2000;
        long killMaxMs = 5000;
        long drainSeconds = 60;
        Path json;

        /**
         * @param args command-line arguments.
         * @return the options, or null when help was asked for.
         * @throws IllegalArgumentException naming the bad argument.
         */
        public static Options parse(final String[] args)
        {
            final Options o = new Options();
            for (int i = 0; i < args.length; i++)
            {
                final String a = args[i];
                if (a.equals("-h") || a.equals("--help"))
                {
                    return null;
                }
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unknown argument " + a);
                }
                final String v = args[++i];
                try
                {
                    switch (a)
                    {
                        case "--minutes" -> o.durationMs = (long)(Double.parseDouble(v) * 60_000);
                        case "--seconds" -> o.durationMs = (long)(Double.parseDouble(v) * 1000);
                        case "--seed" -> o.seed = Long.parseLong(v);
                        case "--rate" -> o.rate = Long.parseLong(v);
                        case "--workers" -> o.workers = Integer.parseInt(v);
                        case "--kill-ms" ->
                        {
                            final String[] parts = v.split(":");
                            o.killMinMs = Long.parseLong(parts[0]);
                            o.killMaxMs = Long.parseLong(parts[parts.length - 1]);
                        }
                        case "--json" -> o.json = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown argument " + a);
                    }
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException(a + " needs a number: " + v);
                }
            }
            if (o.durationMs < 1000 || o.durationMs > TimeUnit.HOURS.toMillis(24))
            {
                throw new IllegalArgumentException("duration must be between 1 s and 24 h: " + o.durationMs + " ms");
            }
            if (o.rate < 1 || o.rate > 100_000)
            {
                throw new IllegalArgumentException("--rate must be between 1 and 100000: " + o.rate);
            }
            if (o.workers < 1 || o.workers > 16)
            {
                throw new IllegalArgumentException("--workers must be between 1 and 16: " + o.workers);
            }
            if (o.killMinMs < 100 || o.killMaxMs < o.killMinMs)
            {
                throw new IllegalArgumentException("--kill-ms needs 100 <= MIN <= MAX: " + o.killMinMs + ":" + o.killMaxMs);
            }
            return o;
        }
    }

    /** One child process and its restarts. */
    private static final class Child
    {
        final Path dir;
        final String name;
        final SoakStream stream;
        final Path progressFile;
        final Runnable whileWaiting;
        Process process;
        long start;
        long restartAtNs;
        int launches;
        long outSizeAtLaunch;

        Child(final Path dir, final String name, final SoakStream stream, final Runnable whileWaiting)
        {
            this.whileWaiting = whileWaiting;
            this.dir = dir;
            this.name = name;
            this.stream = stream;
            this.progressFile = dir.resolve(name + ".progress");
        }

        void start(final Options options) throws IOException
        {
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElseThrow());
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(DurableQueues.JVM_FLAGS);
            // Small, quick JVMs: the soak starts many on a small machine.
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Xmx96m");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            final String dirArg = dir.toString();
            if (stream != null)
            {
                try (SoakProgress progress = SoakProgress.open(progressFile))
                {
                    start = progress.nextSequence();
                }
                command.add(SoakSender.class.getName());
                command.addAll(List.of(dirArg, progressFile.toString(), stream.name(), String.valueOf(options.rate), SINK, QUEUE,
                    dir.resolve("stop").toString()));
            }
            else
            {
                command.add(SoakWorker.class.getName());
                command.addAll(List.of(dirArg, name, SINK, QUEUE));
            }
            launches++;
            outSizeAtLaunch = Files.exists(outFile()) ? Files.size(outFile()) : 0;
            final ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".err").toFile()));
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            process = pb.start();
        }

        /**
         * Wait for the process to exit while the sink keeps polling: a sink that stops polling for a lease is
         * deregistered, and the router then drops what is routed to it.
         */
        boolean awaitExit(final long timeoutNs) throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeoutNs;
            while (!process.waitFor(1, TimeUnit.MILLISECONDS))
            {
                whileWaiting.run();
                if (System.nanoTime() > deadline)
                {
                    return false;
                }
            }
            return true;
        }

        /** @return whether the current incarnation has printed its ready line (it sends or consumes). */
        boolean isReady()
        {
            try
            {
                return process != null && Files.size(outFile()) > outSizeAtLaunch;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        Path outFile()
        {
            return dir.resolve(name + ".out");
        }

        @Override
        public String toString()
        {
            return name + (isReady() ? " ready" : " starting");
        }

        void kill(final SoakLedger ledger) throws InterruptedException
        {
            process.destroyForcibly();
            if (!awaitExit(TimeUnit.SECONDS.toNanos(10)))
            {
                throw new IllegalStateException(name + " survived SIGKILL for 10 s");
            }
            process = null;
            if (stream != null)
            {
                try (SoakProgress progress = SoakProgress.open(progressFile))
                {
                    ledger.onIncarnationEnded(stream, start, progress, true);
                }
            }
        }

        /** Let a sender stop by itself (the stop file exists); kill it if it has not within 30 s. */
        void stop(final SoakLedger ledger) throws InterruptedException
        {
            if (!awaitExit(TimeUnit.SECONDS.toNanos(30)))
            {
                kill(ledger);
                return;
            }
            process = null;
            try (SoakProgress progress = SoakProgress.open(progressFile))
            {
                ledger.onIncarnationEnded(stream, start, progress, false);
            }
        }

        String stderrTail()
        {
            try
            {
                final List<String> lines = Files.readAllLines(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            }
            catch (final IOException ex)
            {
                return ex.toString();
            }
        }
    }
}
