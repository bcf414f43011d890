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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;

/**
 * {@code ./switchboard soak [--minutes N] [--seed S]}: a bounded soak with real processes. A router runs as a child JVM
 * ({@link dev.switchboard.router.process.RouterMain}, see {@link SoakRouter}); a sink agent runs in this process as an ordinary
 * client (reconnection on, the default); one sender process per {@link SoakStream} (CRITICAL, HIGH and NORMAL
 * point-to-point, LOW, HIGH and NORMAL publishes to a topic the sink subscribes to, and a WORK producer) sends
 * sequence numbers at a fixed rate, and work-queue consumer processes forward each work item to the sink before acking
 * it. On a schedule drawn from the seed, a random sender or worker is killed with SIGKILL and restarted a moment later,
 * and, on a schedule of its own, so is the router ({@code --router-kills on}, the default): it is restarted after a
 * short random delay, and the senders, the workers and the sink reconnect, register again and subscribe (or consume)
 * again by themselves: they have no soak code for it, only the client's reconnection.
 *
 * <p>At the end every sender stops (and flushes), the sink drains, and {@link SoakLedger} prints (and writes as JSON)
 * per stream: sent, delivered, in flight at a sender kill, in flight at a router kill, published before the sink had
 * subscribed again, lost, duplicated, reordered, and what the senders' sends returned while the router was gone; then
 * the router kills and restarts and every client's reconnections. What a router kill may cost is stated per stream
 * ({@link SoakStream#throughRouter()}): nothing on CRITICAL (ring), LOW (durable queue) and the point-to-point links;
 * on the topics and the work queue only what the router can have held (see {@link SoakLedger}). Exit code 0 when every
 * guarantee held, 1 when one was violated (a loss beyond those bounds, a duplicate or reordering outside WORK, a routed
 * send that returned OK while its client said the router was gone, a client that did not come back, a sender that did
 * not send again after a restart, a router that exited by itself), 2 for bad arguments.
 *
 * <p>Not here: disk full and /dev/shm full.
 *
 * <p>{@code ./switchboard soak} parses its options with picocli ({@code dev.switchboard.cli.SoakCommand}, with the
 * command line's help, version and exit codes) and calls {@link #soak}; {@link #main} and {@link Options#parse} run the
 * same soak with a parser of their own, for a JVM started on this class.
 *
 * <p>Thread-safety: one thread. Allocation: not a hot path.
 */
public final class SoakMain
{
    static final String SINK = "soak-sink";
    static final String QUEUE = "soak-work";
    static final String TOPIC = "soak-topic";
    /** How long, before the stop, every client gets to be back and every sender to send again after the last restart. */
    static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

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
        catch (final IOException | InterruptedException | RuntimeException ex)
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
     * @return the per-stream results, the violations, the kills and the reconnections.
     * @throws IOException          when the runtime dir or the report cannot be written.
     * @throws InterruptedException when interrupted.
     */
    public static Result soak(final Options options, final PrintStream out) throws IOException, InterruptedException
    {
        final Run run = new Run(options, out, Files.createTempDirectory("sb-soak"));
        try
        {
            run.start();
            run.soak();
            run.settle();
            run.stopAndDrain();
            return run.report();
        }
        finally
        {
            run.close();
        }
    }

    /** One soak: its processes, its sink, its schedules and what it has seen so far. */
    private static final class Run implements AutoCloseable
    {
        final Options options;
        final PrintStream out;
        final Path dir;
        final IpcContext ipc;
        final SplittableRandom random;
        final SoakLedger ledger = new SoakLedger();
        final List<Child> children = new ArrayList<>();
        final Map<SoakStream, Child> senders = new EnumMap<>(SoakStream.class);
        final List<String> violations = new ArrayList<>();
        final List<Long> comebackMs = new ArrayList<>();
        final List<Long> outageMs = new ArrayList<>();
        final SinkListener sinkListener = new SinkListener();
        final dev.switchboard.client.MessageHandler handler;
        final SoakRouter router;
        SwitchboardClient sink;
        int kills;
        int unexpectedExits;
        long startNs;
        /** When the last restarted router came to listen, until every client is back from its kill; 0 otherwise. */
        long upSinceNs;
        /** When the router was last found dead. */
        long diedAtNs;

        Run(final Options options, final PrintStream out, final Path dir)
        {
            this.options = options;
            this.out = out;
            this.dir = dir;
            this.ipc = new IpcContext().underDirectory(dir);
            this.random = new SplittableRandom(options.seed);
            this.handler = m ->
                ledger.onDelivered((int)m.buffer().getLong(m.payloadOffset()), m.buffer().getLong(m.payloadOffset() + 8));
            this.router = new SoakRouter(dir, childJvmOptions(false), random.split(), options, this::pollSink, out);
        }

        void pollSink()
        {
            if (sink != null)
            {
                sink.poll(handler);
            }
        }

        /** The router, the sink (registered, subscribed), then every child, until all of them run. */
        void start() throws IOException, InterruptedException
        {
            out.printf(Locale.ROOT, "soak: %d s, seed %d, %d msgs/s per stream, %d workers, kill every %d-%d ms, " +
                    "router kills %s; dir %s%n", options.durationMs / 1000, options.seed, options.rate, options.workers,
                options.killMinMs, options.killMaxMs, options.routerKills ? "every " + options.routerKillMinMs + "-" +
                    options.routerKillMaxMs + " ms, down " + options.routerDownMinMs + "-" + options.routerDownMaxMs +
                    " ms" : "off", dir);
            router.startAndAwait();
            sink = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)).listener(sinkListener));
            // Back from a router kill, the sink has its subscription again: from here a publish reaches it.
            sinkListener.onBack = () -> ledger.onSinkResubscribed(attempted());
            sink.register(SINK, "soak");
            sink.subscribe(TOPIC);
            out.println("soak: router pid " + router.pid() + ", sink is agent " + sink.agentId());
            for (final SoakStream stream : SoakStream.values())
            {
                final Child child = new Child(dir, "sender-" + stream.name().toLowerCase(Locale.ROOT), stream, this::pollSink);
                children.add(child);
                senders.put(stream, child);
            }
            for (int i = 0; i < options.workers; i++)
            {
                children.add(new Child(dir, "soak-worker-" + i, null, this::pollSink));
            }
            for (final Child child : children)
            {
                child.start(options);
            }
            // JVMs start slowly on a loaded machine: the clock and the kill schedules start once every child runs.
            final long readyDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!children.stream().allMatch(Child::isReady))
            {
                if (System.nanoTime() > readyDeadlineNs)
                {
                    throw new IllegalStateException("children not ready within 180 s: " + children);
                }
                sink.idleStrategy().idle(sink.poll(handler));
            }
        }

        /** The timed part: traffic, the children's kill schedule and the router's. */
        void soak() throws IOException, InterruptedException
        {
            startNs = System.nanoTime();
            final long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(options.durationMs);
            long nextKillNs = startNs + nextKillDelayNs(random, options);
            long nextReportNs = startNs + TimeUnit.SECONDS.toNanos(10);
            router.scheduleNextKill(startNs);
            while (System.nanoTime() < endNs)
            {
                final int work = sink.poll(handler);
                final long now = System.nanoTime();
                tendChildren(now);
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
                if (tendRouter(now, true))
                {
                    router.scheduleNextKill(System.nanoTime());
                    out.println("soak: every client back at " + SoakClients.now());
                }
                if (now >= nextReportNs)
                {
                    out.printf(Locale.ROOT, "soak: %d s, %d delivered, %d kills, %d router kills%n",
                        TimeUnit.NANOSECONDS.toSeconds(now - startNs), ledger.deliveries(), kills, router.kills());
                    nextReportNs = now + TimeUnit.SECONDS.toNanos(10);
                }
                sink.idleStrategy().idle(work);
            }
        }

        /**
         * Move the router's schedule on and account for what it did.
         *
         * @return true when every client just came back from the last router kill.
         */
        boolean tendRouter(final long now, final boolean mayKill) throws IOException, InterruptedException
        {
            final SoakRouter.Event event = router.tend(now, mayKill && sinkListener.isBack());
            if (event == SoakRouter.Event.DIED)
            {
                diedAtNs = System.nanoTime();
                ledger.onRouterKilled(attempted());
                children.forEach(Child::onRouterKilled);
                out.printf(Locale.ROOT, "soak: %d s, router found dead at %s (%d kills)%n",
                    TimeUnit.NANOSECONDS.toSeconds(now - startNs), SoakClients.now(), router.kills());
            }
            else if (event == SoakRouter.Event.LISTENING)
            {
                upSinceNs = System.nanoTime();
                out.println("soak: router " + router.pid() + " listening at " + SoakClients.now());
            }
            if (upSinceNs != 0 && router.isUp() && sinkListener.isBack() && allBack())
            {
                // Every client registered again (the sink subscribed again): how long that took, and what each sender
                // had attempted when its client said the router was gone.
                comebackMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upSinceNs));
                outageMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - diedAtNs));
                upSinceNs = 0;
                ledger.onSendersSawRouterGo(attemptedAtDisconnect());
                children.forEach(Child::onComeback);
                return true;
            }
            return false;
        }

        /**
         * Before the stop: bring the router up if it is down, then wait until every client is back and every sender has
         * sent again since; what has not happened within {@link #SETTLE_TIMEOUT_NS} is a violation (a client that never
         * comes back, a sender stuck after a restart).
         */
        void settle() throws IOException, InterruptedException
        {
            while (!router.isUp())
            {
                sink.idleStrategy().idle(sink.poll(handler));
                tendChildren(System.nanoTime());
                tendRouter(System.nanoTime(), false);
            }
            final Map<Child, Long> confirmedAtStart = new java.util.HashMap<>();
            for (final Child child : children)
            {
                confirmedAtStart.put(child, child.progress.confirmed());
            }
            final long deadline = System.nanoTime() + SETTLE_TIMEOUT_NS;
            while (true)
            {
                sink.idleStrategy().idle(sink.poll(handler));
                tendChildren(System.nanoTime());
                tendRouter(System.nanoTime(), false);
                final List<String> stuck = new ArrayList<>();
                for (final Child child : children)
                {
                    if (child.stream != null && child.progress.confirmed() <= confirmedAtStart.get(child))
                    {
                        stuck.add(child.name);
                    }
                }
                if (upSinceNs == 0 && stuck.isEmpty())
                {
                    return;
                }
                if (System.nanoTime() > deadline)
                {
                    final String within = " within " + TimeUnit.NANOSECONDS.toSeconds(SETTLE_TIMEOUT_NS) + " s";
                    if (upSinceNs != 0)
                    {
                        ledger.onSendersSawRouterGo(attemptedAtDisconnect());
                    }
                    if (!sinkListener.isBack())
                    {
                        violations.add("the sink did not register again" + within + " of the last router restart");
                    }
                    for (final Child child : children)
                    {
                        if (!child.isBack())
                        {
                            violations.add(child.name + " did not reconnect" + within + " of the last router restart: " +
                                child.stderrTail());
                        }
                    }
                    for (final String name : stuck)
                    {
                        violations.add(name + " sent nothing" + within + " before the stop");
                    }
                    return;
                }
            }
        }

        /**
         * The senders stop by themselves (their socket buffers flushed, so none of their tail may be missing), killed
         * workers come back, and the sink drains; then the router stops (SIGTERM) and prints its counters.
         */
        void stopAndDrain() throws IOException, InterruptedException
        {
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
            long nextCheckNs = System.nanoTime();
            while (System.nanoTime() < drainEndNs)
            {
                sink.idleStrategy().idle(sink.poll(handler));
                tendRouter(System.nanoTime(), false);
                if (System.nanoTime() - nextCheckNs >= 0)
                {
                    // Done when every number is delivered or explained by a kill: nothing more can come.
                    if (ledger.results(progress()).stream().allMatch(r -> r.lost() == 0))
                    {
                        break;
                    }
                    nextCheckNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                if (ledger.deliveries() != lastDeliveries || !router.isUp() || !sinkListener.isBack() ||
                    !children.stream().allMatch(c -> c.stream != null || c.isReady()))
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
                    child.process = null;
                }
            }
        }

        /** Judge, print, write the JSON. */
        Result report() throws IOException, InterruptedException
        {
            final long unblocked = sink.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED);
            sink.close();
            sink = null;
            router.stop();

            final List<SoakLedger.StreamResult> results = ledger.results(progress());
            for (final SoakLedger.StreamResult r : results)
            {
                if (r.violation() != null)
                {
                    violations.add(r.violation());
                }
            }
            long workerReconnects = 0;
            long workRedelivered = 0;
            for (final Child child : children)
            {
                if (child.stream == null)
                {
                    workerReconnects += child.progress.reconnects();
                    workRedelivered += child.progress.redelivered();
                }
            }
            final RouterKills routerKills = new RouterKills(router.kills(), router.restarts(), router.exitedByItself(),
                sinkListener.disconnects, sinkListener.reconnects, workerReconnects, List.copyOf(comebackMs),
                List.copyOf(outageMs));
            violations.addAll(routerKills.violations());
            final Result result = new Result(results, violations, kills, unexpectedExits, routerKills, unblocked,
                workRedelivered, options.seed);
            print(out, result);
            out.print("router counters (the last router, at its stop):\n" + router.lastStopReport());
            final Path json = options.json != null ? options.json : dir.resolve("soak-result.json");
            Files.writeString(json, result.toJson(), StandardCharsets.UTF_8);
            out.println("soak: JSON in " + json.toAbsolutePath());
            return result;
        }

        /** Restart children whose time has come; show, account and restart one that exited by itself. */
        void tendChildren(final long now) throws IOException, InterruptedException
        {
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
        }

        /** @return whether every running child's client is registered (it came back from every router kill it saw). */
        boolean allBack()
        {
            for (final Child child : children)
            {
                if (!child.isBack())
                {
                    return false;
                }
            }
            return true;
        }

        /** @return per stream, the sender's progress file. */
        Map<SoakStream, SoakProgress> progress()
        {
            final Map<SoakStream, SoakProgress> progress = new EnumMap<>(SoakStream.class);
            senders.forEach((stream, child) -> progress.put(stream, child.progress));
            return progress;
        }

        /** @return per stream, the sender's last attempted sequence number now (its progress file). */
        Map<SoakStream, Long> attempted()
        {
            final Map<SoakStream, Long> attempted = new EnumMap<>(SoakStream.class);
            senders.forEach((stream, child) -> attempted.put(stream, child.progress.attempted()));
            return attempted;
        }

        /**
         * @return per stream, what the sender had attempted when its client said the last killed router was gone, or -1
         * when it has not said so since that kill.
         */
        Map<SoakStream, Long> attemptedAtDisconnect()
        {
            final Map<SoakStream, Long> attempted = new EnumMap<>(SoakStream.class);
            senders.forEach((stream, child) -> attempted.put(stream,
                child.progress.disconnects() > child.disconnectsBaseline ? child.progress.attemptedAtDisconnect() : -1L));
            return attempted;
        }

        @Override
        public void close()
        {
            for (final Child child : children)
            {
                if (child.process != null && child.process.isAlive())
                {
                    child.process.destroyForcibly();
                }
                child.progress.close();
            }
            if (sink != null)
            {
                sink.close();
            }
            router.destroy();
        }
    }

    /**
     * JVM options for a child: what the transports need, small and quick JVMs for agents, and every
     * {@code switchboard.*} system property of this process (so {@code SWITCHBOARD_JVM_OPTS} reaches them too).
     */
    static List<String> childJvmOptions(final boolean agent)
    {
        final List<String> options = new ArrayList<>();
        options.addAll(JvmFlags.router());
        options.add("-XX:+UseSerialGC");
        if (agent)
        {
            // Small, quick JVMs: the soak starts many on a small machine.
            options.add("-XX:TieredStopAtLevel=1");
            options.add("-Xmx96m");
        }
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("switchboard.") && !name.equals("switchboard.home") &&
                !name.equals(StopSignals.PARENT_PROPERTY))
            {
                options.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        // Every child stops within the stop timeout once this process is gone, however it went (a kill -9 of the soak
        // leaves no router, sender or worker behind).
        options.add("-D" + StopSignals.PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        return options;
    }

    /** @return "min/median/max" of the values, or "-" when there are none. */
    static String summary(final List<Long> values)
    {
        if (values.isEmpty())
        {
            return "-";
        }
        final List<Long> sorted = values.stream().sorted().toList();
        return sorted.getFirst() + "/" + sorted.get(sorted.size() / 2) + "/" + sorted.getLast();
    }

    private static long nextKillDelayNs(final SplittableRandom random, final Options options)
    {
        return TimeUnit.MILLISECONDS.toNanos(random.nextLong(options.killMinMs, options.killMaxMs + 1));
    }

    private static void print(final PrintStream out, final Result result)
    {
        out.printf(Locale.ROOT, "%-12s %-7s %8s %6s %9s %7s %7s %6s %5s %4s %4s %5s %7s %7s %7s %5s %4s%n",
            "stream", "path", "sent", "uncert", "delivered", "@kill", "@router", "nosub", "lost", "dup", "reord",
            "most", "backpr", "notconn", "ok-down", "recon", "runs");
        for (final SoakLedger.StreamResult r : result.streams())
        {
            out.printf(Locale.ROOT, "%-12s %-7s %8d %6d %9d %7d %7d %6d %5d %4d %5d %5d %7d %7d %7d %5d %4d%n",
                r.stream(), r.stream().path(), r.sent(), r.uncertain(), r.delivered(), r.inFlightAtKill(),
                r.inFlightAtRouterKill(), r.beforeResubscribe(), r.lost(), r.duplicated(), r.reordered(),
                r.mostAtOneRouterKill(), r.backPressured(), r.notConnected(), r.okWhileDisconnected(), r.reconnects(),
                r.incarnations());
        }
        out.println("(@kill: in flight at a sender kill; @router: in flight at a router kill; nosub: published to a " +
            "restarted router before the sink subscribed again; most: most at one router kill; ok-down: sends that " +
            "returned OK while the sender's client said the router was gone; recon: the sender's reconnections)");
        final RouterKills rk = result.routerKills();
        out.printf(Locale.ROOT, "kills %d, unexpected exits %d, CRITICAL records unblocked %d, work items redelivered %d%n",
            result.kills(), result.unexpectedExits(), result.unblocked(), result.workRedelivered());
        out.printf(Locale.ROOT, "router kills %d, restarts %d, exited by itself %d; sink disconnects %d, reconnects %d; " +
                "workers' reconnects %d%nevery client registered again %s ms after the new router listened, %s ms after " +
                "the old one died (min/median/max)%n", rk.kills(), rk.restarts(), rk.exitedByItself(), rk.sinkDisconnects(),
            rk.sinkReconnects(), rk.workerReconnects(), summary(rk.comebackMs()), summary(rk.outageMs()));
        if (result.violations().isEmpty())
        {
            out.println("soak: every guarantee held (nothing lost beyond what each kill can cost; no duplicate or " +
                "reordering outside WORK; every client came back by itself)");
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
     * The router's kills and what the clients did about them.
     *
     * @param kills            kill -9s of the router by the schedule.
     * @param restarts         restarted routers that came to listen.
     * @param exitedByItself   times the router exited without being killed (a violation).
     * @param sinkDisconnects  the sink's {@code onDisconnected} calls.
     * @param sinkReconnects   the sink's {@code onReconnected} calls (registered and subscribed again).
     * @param workerReconnects the workers' {@code onReconnected} calls, over all incarnations.
     * @param comebackMs       per restart, ms from the new router listening (as seen by the soak, which looks every few
     *                         ms) to every running client registered again.
     * @param outageMs         per restart, ms from the old router found dead to every running client registered again.
     */
    public record RouterKills(
        int kills,
        int restarts,
        int exitedByItself,
        long sinkDisconnects,
        long sinkReconnects,
        long workerReconnects,
        List<Long> comebackMs,
        List<Long> outageMs)
    {
        /** @return what is wrong with the router's kills and the clients' returns, empty when all is well. */
        public List<String> violations()
        {
            final List<String> v = new ArrayList<>();
            if (exitedByItself > 0)
            {
                v.add("the router exited by itself " + exitedByItself + " times");
            }
            if (sinkReconnects != kills + exitedByItself)
            {
                v.add("the sink came back " + sinkReconnects + " times from " + (kills + exitedByItself) +
                    " router deaths");
            }
            return v;
        }

        String toJson()
        {
            return "{\"kills\":" + kills + ",\"restarts\":" + restarts + ",\"exited_by_itself\":" + exitedByItself +
                ",\"sink_disconnects\":" + sinkDisconnects + ",\"sink_reconnects\":" + sinkReconnects +
                ",\"worker_reconnects\":" + workerReconnects + ",\"comeback_after_listening_ms\":" + comebackMs +
                ",\"outage_ms\":" + outageMs + "}";
        }
    }

    /**
     * What a soak found.
     *
     * @param streams         per-stream accounts.
     * @param violations      violated guarantees, empty when all held.
     * @param kills           SIGKILLs of senders and workers during the run (the final stop not counted).
     * @param unexpectedExits children that exited by themselves (each is shown with its stderr, then restarted).
     * @param routerKills     the router's kills and the clients' reconnections.
     * @param unblocked       CRITICAL inbox records the sink unblocked (a sender killed between claim and commit).
     * @param workRedelivered work items the workers received flagged as redelivered.
     * @param seed            the seed.
     */
    public record Result(
        List<SoakLedger.StreamResult> streams,
        List<String> violations,
        int kills,
        int unexpectedExits,
        RouterKills routerKills,
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
                .append(",\"router\":").append(routerKills.toJson())
                .append(",\"critical_records_unblocked\":").append(unblocked)
                .append(",\"work_redelivered\":").append(workRedelivered)
                .append(",\"ok\":").append(violations.isEmpty()).append(",\"violations\":[");
            for (int i = 0; i < violations.size(); i++)
            {
                sb.append(i == 0 ? "" : ",").append('"').append(violations.get(i).replace("\"", "'")
                    .replace("\n", " ").replace("\\", "/")).append('"');
            }
            sb.append("],\"streams\":[");
            for (int i = 0; i < streams.size(); i++)
            {
                sb.append(i == 0 ? "" : ",").append(streams.get(i).toJson());
            }
            return sb.append("]}\n").toString();
        }
    }

    /** The sink's news from its client: disconnections and reconnections (with its subscription back). */
    private static final class SinkListener implements dev.switchboard.client.ClientListener
    {
        Runnable onBack = () ->
        {
        };
        long disconnects;
        long reconnects;

        boolean isBack()
        {
            return disconnects == reconnects;
        }

        @Override
        public void onDisconnected(final String reason)
        {
            disconnects++;
            System.err.println(SoakClients.now() + " sink: router gone: " + reason);
        }

        @Override
        public void onReconnected(final long previousAgentId, final long agentId)
        {
            reconnects++;
            System.err.println(SoakClients.now() + " sink: reconnected: agent " + previousAgentId + " is now " + agentId);
            onBack.run();
        }

        @Override
        public void onError(final long correlationId, final dev.switchboard.codecs.sbe.ErrorCode code, final String text)
        {
            System.err.println(SoakClients.now() + " sink: error (correlation " + correlationId + "): " + code + ": " +
                text);
        }
    }

    /** The soak's settings. */
    public static final class Options
    {
        static final String USAGE = """
            Usage: ./switchboard soak [--minutes N | --seconds N] [--seed S] [--rate MSGS_PER_S] [--workers N]
                                      [--kill-ms MIN:MAX] [--router-kills on|off] [--router-kill-ms MIN:MAX]
                                      [--router-down-ms MIN:MAX] [--json FILE]
              --minutes N          how long to send (default 10); --seconds N for short runs
              --seed S             seeds the kill schedules (default 1): the same seed kills in the same order
              --rate R             messages per second per stream (default 500)
              --workers N          work-queue consumer processes (default 2)
              --kill-ms A:B        a random sender or worker is killed with SIGKILL every A..B ms (default 2000:5000)
              --router-kills X     on (default): the router (a child JVM) is killed with SIGKILL too; off: never
              --router-kill-ms A:B the router is killed A..B ms after every client is back from the last kill
                                   (default 15000:30000)
              --router-down-ms A:B and restarted A..B ms after it died (default 100:1000)
              --json FILE          where to write the result (default <runtime dir>/soak-result.json)
            Exit code: 0 every guarantee held, 1 a guarantee was violated, 2 bad arguments.""";

        long durationMs = TimeUnit.MINUTES.toMillis(10);
        long seed = 1;
        long rate = 500;
        int workers = 2;
        long killMinMs = 2000;
        long killMaxMs = 5000;
        boolean routerKills = true;
        long routerKillMinMs = 15_000;
        long routerKillMaxMs = 30_000;
        long routerDownMinMs = 100;
        long routerDownMaxMs = 1000;
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
                            final long[] range = range(v);
                            o.killMinMs = range[0];
                            o.killMaxMs = range[1];
                        }
                        case "--router-kills" ->
                        {
                            if (!v.equals("on") && !v.equals("off"))
                            {
                                throw new IllegalArgumentException("--router-kills must be on or off: " + v);
                            }
                            o.routerKills = v.equals("on");
                        }
                        case "--router-kill-ms" ->
                        {
                            final long[] range = range(v);
                            o.routerKillMinMs = range[0];
                            o.routerKillMaxMs = range[1];
                        }
                        case "--router-down-ms" ->
                        {
                            final long[] range = range(v);
                            o.routerDownMinMs = range[0];
                            o.routerDownMaxMs = range[1];
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
            return o.check();
        }

        /**
         * Checks the settings against their limits (the checks {@link #parse} makes once every argument is read).
         *
         * @return this.
         * @throws IllegalArgumentException naming the option, its limits and the value seen.
         */
        public Options check()
        {
            if (durationMs < 1000 || durationMs > TimeUnit.HOURS.toMillis(24))
            {
                throw new IllegalArgumentException("duration must be between 1 s and 24 h: " + durationMs + " ms");
            }
            if (rate < 1 || rate > 100_000)
            {
                throw new IllegalArgumentException("--rate must be between 1 and 100000: " + rate);
            }
            if (workers < 1 || workers > 16)
            {
                throw new IllegalArgumentException("--workers must be between 1 and 16: " + workers);
            }
            if (killMinMs < 100 || killMaxMs < killMinMs)
            {
                throw new IllegalArgumentException("--kill-ms needs 100 <= MIN <= MAX: " + killMinMs + ":" + killMaxMs);
            }
            if (routerKillMinMs < 1000 || routerKillMaxMs < routerKillMinMs)
            {
                throw new IllegalArgumentException("--router-kill-ms needs 1000 <= MIN <= MAX: " + routerKillMinMs +
                    ":" + routerKillMaxMs);
            }
            if (routerDownMinMs < 0 || routerDownMaxMs < routerDownMinMs || routerDownMaxMs > 60_000)
            {
                throw new IllegalArgumentException("--router-down-ms needs 0 <= MIN <= MAX <= 60000: " +
                    routerDownMinMs + ":" + routerDownMaxMs);
            }
            return this;
        }

        // Setters for a parser of its own (./switchboard soak parses with picocli); check() holds them to the limits.

        /**
         * @param value how long to send, in milliseconds ({@code --minutes}, {@code --seconds}).
         * @return this.
         */
        public Options durationMs(final long value)
        {
            durationMs = value;
            return this;
        }

        /**
         * @param value the seed of the kill schedules ({@code --seed}).
         * @return this.
         */
        public Options seed(final long value)
        {
            seed = value;
            return this;
        }

        /**
         * @param value messages per second per stream ({@code --rate}).
         * @return this.
         */
        public Options rate(final long value)
        {
            rate = value;
            return this;
        }

        /**
         * @param value work-queue consumer processes ({@code --workers}).
         * @return this.
         */
        public Options workers(final int value)
        {
            workers = value;
            return this;
        }

        /**
         * @param min shortest time between two kills of a sender or worker, in milliseconds ({@code --kill-ms}).
         * @param max longest.
         * @return this.
         */
        public Options killMs(final long min, final long max)
        {
            killMinMs = min;
            killMaxMs = max;
            return this;
        }

        /**
         * @param value whether the router is killed too ({@code --router-kills on|off}).
         * @return this.
         */
        public Options routerKills(final boolean value)
        {
            routerKills = value;
            return this;
        }

        /**
         * @param min shortest time from every client back to the next router kill, in ms ({@code --router-kill-ms}).
         * @param max longest.
         * @return this.
         */
        public Options routerKillMs(final long min, final long max)
        {
            routerKillMinMs = min;
            routerKillMaxMs = max;
            return this;
        }

        /**
         * @param min shortest time a killed router stays down, in milliseconds ({@code --router-down-ms}).
         * @param max longest.
         * @return this.
         */
        public Options routerDownMs(final long min, final long max)
        {
            routerDownMinMs = min;
            routerDownMaxMs = max;
            return this;
        }

        /**
         * @param value where the result goes as JSON ({@code --json}); null for the runtime directory.
         * @return this.
         */
        public Options json(final Path value)
        {
            json = value;
            return this;
        }

        @Override
        public String toString()
        {
            return "duration " + durationMs + " ms, seed " + seed + ", rate " + rate + ", workers " + workers +
                ", kill-ms " + killMinMs + ":" + killMaxMs + ", router kills " + (routerKills ? "on" : "off") +
                ", router-kill-ms " + routerKillMinMs + ":" + routerKillMaxMs + ", router-down-ms " + routerDownMinMs +
                ":" + routerDownMaxMs + ", json " + json;
        }

        /** "A:B" (or "A" for A:A) as two numbers. */
        private static long[] range(final String v)
        {
            final String[] parts = v.split(":");
            return new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[parts.length - 1])};
        }
    }

    /** One child process (a sender or a worker), its progress file and its restarts. */
    private static final class Child
    {
        final Path dir;
        final String name;
        final SoakStream stream;
        final Path progressFile;
        /** Mapped for the whole soak: read while the child runs (router kills) and after it died. */
        final SoakProgress progress;
        final Runnable whileWaiting;
        Process process;
        long start;
        long restartAtNs;
        int launches;
        long outSizeAtLaunch;
        /** Disconnections not (yet) followed by a reconnection when this incarnation started: left by dead ones. */
        long awayAtLaunch;
        /**
         * Its disconnections when every client was last back from a router kill, or when this incarnation started if
         * later: a router kill after that shows as one more (it cannot be read just before the kill, since the child may
         * notice the kill before the soak has seen the router go).
         */
        long disconnectsBaseline;
        /** At the last router death: the launch count, and whether this incarnation was running and registered. */
        int launchesAtKill;
        boolean readyAtKill;

        Child(final Path dir, final String name, final SoakStream stream, final Runnable whileWaiting)
        {
            this.whileWaiting = whileWaiting;
            this.dir = dir;
            this.name = name;
            this.stream = stream;
            this.progressFile = dir.resolve(name + ".progress");
            this.progress = SoakProgress.open(progressFile);
        }

        void start(final Options options) throws IOException
        {
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElseThrow());
            command.addAll(childJvmOptions(true));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            final String dirArg = dir.toString();
            if (stream != null)
            {
                start = progress.nextSequence();
                command.add(SoakSender.class.getName());
                command.addAll(List.of(dirArg, progressFile.toString(), stream.name(), String.valueOf(options.rate), SINK, QUEUE,
                    TOPIC, dir.resolve("stop").toString()));
            }
            else
            {
                command.add(SoakWorker.class.getName());
                command.addAll(List.of(dirArg, name, SINK, QUEUE, progressFile.toString()));
            }
            launches++;
            awayAtLaunch = progress.disconnects() - progress.reconnects();
            disconnectsBaseline = progress.disconnects();
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

        void onRouterKilled()
        {
            launchesAtKill = launches;
            readyAtKill = isReady();
        }

        void onComeback()
        {
            disconnectsBaseline = progress.disconnects();
        }

        /**
         * @return true unless this child runs and its client is not registered with the router: it saw the last router
         * kill (if it ran then) and every disconnection its current incarnation saw was followed by a reconnection (a
         * child that is down, or still starting, is not waited for: it registers afresh).
         */
        boolean isBack()
        {
            if (process == null || !isReady())
            {
                return true;
            }
            if (launches == launchesAtKill && readyAtKill && progress.disconnects() == disconnectsBaseline)
            {
                return false; // has not noticed the kill yet
            }
            return progress.disconnects() - progress.reconnects() == awayAtLaunch;
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
                ledger.onIncarnationEnded(stream, start, progress, true);
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
            ledger.onIncarnationEnded(stream, start, progress, false);
        }

        String stderrTail()
        {
            return SoakRouter.tail(dir.resolve(name + ".err"));
        }
    }
}
