/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.IdleResult;
import dev.switchboard.bench.harness.model.SyscallResult;

/**
 * Runs a group of cases in alternating rounds: every case's processes are started first (server, responder,
 * initiator), each holds after proving its path, and then the cases take turns step by step. A step is one round of
 * a phase ({@link Step}); the cases that announced the same step run it one after the other, in the group's order in
 * even rounds and in reverse order in odd ones (A B, B A, A B, ...), so neither is always the one that runs right
 * after a pause, and a drift of the machine between rounds (this VM's floor flips between regimes) hits every case of
 * the group alike. While one case runs a step, the others' processes are blocked (an initiator waiting for
 * {@code go} on stdin, a responder told to {@code pause}, on a semaphore): they use no CPU. A Switchboard router stays
 * up and idles under its own idle strategy. The protocol, per step of a case: {@code resume} to the responder,
 * {@code go} to the initiator, wait for its {@code STEP_DONE} and next {@code STEP}, then {@code pause} to the
 * responder and wait for its {@code PAUSED} (see {@link ChildControl}).
 *
 * <p>A group of one case is simply run step by step. A case that fails is stopped and reported as failed; the rest
 * of its group carries on.
 *
 * <p>Not thread-safe: one harness thread runs one group at a time.
 */
final class GroupRunner
{
    private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\\S+)");
    private static final long READY_TIMEOUT_S = 90;

    /**
     * What to run of each case.
     *
     * @param pingPong          ping-pong phases.
     * @param oneWay            the one-way phase.
     * @param throughput        the throughput phases.
     * @param syscallRoundTrips round trips counted under perf (0: none).
     * @param jfrFiles          role to JFR file (relative to the run dir) to record, or empty.
     * @param logSuffix         appended to each case's log directory name.
     */
    record Flags(
        boolean pingPong, boolean oneWay, boolean throughput, long syscallRoundTrips, Map<String, String> jfrFiles,
        String logSuffix)
    {
    }

    private final Profile profile;
    private final Path runDir;
    private final List<String> cpus;
    private final PrintStream console;
    private final List<String> extraSwitchboardFlags;
    private final BlockingQueue<ChildProcess.Line> lines = ChildProcess.newQueue();
    private final Map<ChildProcess, CaseRun> owners = new LinkedHashMap<>();

    /**
     * @param profile               the numbers.
     * @param runDir                the run directory.
     * @param cpus                  CPUs to pin the measuring threads to (empty: unpinned).
     * @param console               progress.
     * @param extraSwitchboardFlags JVM options added to every process of a Switchboard case
     *                              ({@code -Dswitchboard.client.idle=...}).
     */
    GroupRunner(
        final Profile profile, final Path runDir, final List<String> cpus, final PrintStream console,
        final List<String> extraSwitchboardFlags)
    {
        this.profile = profile;
        this.runDir = runDir;
        this.cpus = cpus;
        this.console = console;
        this.extraSwitchboardFlags = extraSwitchboardFlags;
    }

    /**
     * Run the group.
     *
     * @param group the cases, in group order.
     * @param flags what to run.
     * @return one result per case, in group order (failed or skipped ones say why).
     * @throws Exception when the harness itself cannot go on (not a case failing: that is a result).
     */
    List<CaseResult> run(final List<BenchCase> group, final Flags flags) throws Exception
    {
        final List<String> ids = group.stream().map(BenchCase::id).toList();
        final List<CaseRun> runs = new ArrayList<>();
        final List<CaseResult> results = new ArrayList<>();
        try
        {
            for (final BenchCase c : group)
            {
                final CaseRun run = new CaseRun(c, flags);
                runs.add(run);
                if (null == run.skipped)
                {
                    start(run);
                }
            }
            schedule(runs);
            for (final CaseRun run : runs)
            {
                // perf writes a process's counts when the process exits: stop the server before reading them.
                run.stopServer();
                results.add(run.result(ids));
            }
            return results;
        }
        finally
        {
            for (final CaseRun run : runs)
            {
                run.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // starting

    private void start(final CaseRun run)
    {
        final BenchCase c = run.benchCase;
        try
        {
            run.setUp = c.setUp(run.env, run.logDir);
            if (c.needsServer())
            {
                run.server = launch(run, "server", null, run.countSyscalls, null);
                await(run, "the server to be ready", () -> run.server.ready, READY_TIMEOUT_S);
            }
            if (c.inProcess())
            {
                run.initiator = launch(run, "both", cpus.size() >= 2 ? cpus.get(0) + "," + cpus.get(1) : null, false,
                    null);
                run.responder = run.initiator;
            }
            else
            {
                run.responder = launch(run, "responder", cpus.size() >= 2 ? cpus.get(1) : null, run.countSyscalls,
                    run.flags.jfrFiles().get("responder"));
                await(run, "the responder to be ready", () -> run.responder.ready, READY_TIMEOUT_S);
                run.initiator = launch(run, "initiator", cpus.size() >= 2 ? cpus.get(0) : null, run.countSyscalls,
                    run.flags.jfrFiles().get("initiator"));
            }
            // The initiator proves the path (one exchange) and announces its first step; then the responder holds.
            await(run, "the first exchange", () -> null != run.announced, READY_TIMEOUT_S);
            pauseResponder(run);
        }
        catch (final Exception e)
        {
            fail(run, e.getMessage());
        }
    }

    private ChildProcess launch(
        final CaseRun run, final String role, final String cpu, final boolean countSyscalls, final String jfrFile)
        throws IOException
    {
        final List<String> command = new ArrayList<>(run.benchCase.commandPrefix(run.env, role));
        if (countSyscalls)
        {
            final SyscallCounter counter = SyscallCounter.prepare(run.env.dir(), role);
            run.counters.put(role, counter);
            command.addAll(counter.commandPrefix());
        }
        command.add(Machine.javaBinary());
        command.addAll(Machine.CHILD_JVM_FLAGS);
        command.addAll(run.benchCase.jvmOptions());
        if (BenchCase.Kind.SWITCHBOARD == run.benchCase.kind())
        {
            command.addAll(extraSwitchboardFlags);
        }
        if (cpu != null)
        {
            // The measuring thread pins itself (ThreadPinning); "a,b" is an in-process case: initiator a, responder b.
            final String[] pinned = cpu.split(",");
            command.add("-D" + ThreadPinning.CPU_PROPERTY + "=" + pinned[0]);
            if (pinned.length > 1)
            {
                command.add("-D" + ThreadPinning.RESPONDER_CPU_PROPERTY + "=" + pinned[1]);
            }
        }
        if (jfrFile != null)
        {
            command.add("-XX:StartFlightRecording=filename=" + runDir.resolve(jfrFile) + ",settings=profile," +
                "dumponexit=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HarnessChild.class.getName(), role,
            run.plan.file().toString()));
        final ChildProcess child = ChildProcess.start(role, command, run.logDir, lines);
        owners.put(child, run);
        run.children.add(child);
        return child;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the rounds

    private void schedule(final List<CaseRun> runs)
    {
        while (true)
        {
            final List<CaseRun> active = runs.stream().filter(CaseRun::active).toList();
            if (active.isEmpty())
            {
                return;
            }
            final String key = active.getFirst().announced;
            final List<CaseRun> turn = new ArrayList<>(active.stream().filter(r -> key.equals(r.announced)).toList());
            if (Step.roundOf(key) % 2 == 1)
            {
                java.util.Collections.reverse(turn);
            }
            for (final CaseRun run : turn)
            {
                if (run.active())
                {
                    step(run, key);
                }
            }
        }
    }

    private void step(final CaseRun run, final String key)
    {
        run.announced = null;
        run.stepDone = false;
        run.paused = false;
        run.finishing = Step.isFinish(key);
        try
        {
            run.responder.send("resume");
            run.initiator.send("go");
            if (Step.isFinish(key))
            {
                await(run, "the case to finish", () -> run.responder.ended && run.initiator.ended, stepTimeoutSeconds());
                for (final ChildProcess child : run.children)
                {
                    if (child == run.server)
                    {
                        continue;
                    }
                    if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0)
                    {
                        throw new IllegalStateException(child.role + " exited " +
                            (child.isAlive() ? "(still running)" : child.exitValue()) + ": " + child.stderrTail());
                    }
                }
                run.finished = true;
                return;
            }
            await(run, "step " + key, () -> run.stepDone && null != run.announced, stepTimeoutSeconds());
            pauseResponder(run);
        }
        catch (final Exception e)
        {
            fail(run, "step " + key + ": " + e.getMessage());
        }
    }

    /**
     * Ask the responder to hold and wait until it does. Only after the initiator said its step is done: it got the
     * responder's last message, so nothing the responder sent is still waiting in a transport's buffer for a poll.
     */
    private void pauseResponder(final CaseRun run) throws Exception
    {
        run.paused = false;
        run.responder.send("pause");
        await(run, "the responder to pause", () -> run.paused, READY_TIMEOUT_S);
    }

    private long stepTimeoutSeconds()
    {
        return (long)(300 + 2 * profile.pingPongMaxSeconds() + profile.oneWaySeconds() + profile.throughputSeconds() +
            profile.idleSeconds() + profile.wakeUpSamples() * profile.wakeUpIntervalUs() * 1.2e-6);
    }

    /**
     * Read lines (of any case of the group) until {@code condition} holds for {@code run}.
     *
     * @throws IllegalStateException when the run fails, or the time is up.
     */
    private void await(final CaseRun run, final String what, final BooleanSupplier condition, final long timeoutS)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!condition.getAsBoolean())
        {
            if (null != run.failed)
            {
                throw new IllegalStateException(run.failed);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out after " + timeoutS + " s waiting for " + what);
            }
            final ChildProcess.Line line = lines.poll(1, TimeUnit.SECONDS);
            if (null != line)
            {
                handle(line);
            }
        }
        if (null != run.failed)
        {
            throw new IllegalStateException(run.failed);
        }
    }

    private void handle(final ChildProcess.Line line)
    {
        final CaseRun run = owners.get(line.from());
        if (null == run || null != run.failed)
        {
            return;
        }
        final ChildProcess from = line.from();
        try
        {
            if (line.isEnd())
            {
                from.ended = true;
                if (from != run.server && !run.finishing)
                {
                    from.waitFor(5, TimeUnit.SECONDS);
                    fail(run, from.role + " exited " + (from.isAlive() ? "" : from.exitValue()) + " before the case " +
                        "finished: " + from.stderrTail().lines().reduce((a, b) -> b).orElse(""));
                }
                return;
            }
            final String text = line.text();
            final int space = text.indexOf(' ');
            final String verb = space < 0 ? text : text.substring(0, space);
            final String rest = space < 0 ? "" : text.substring(space + 1);
            switch (verb)
            {
                case "READY" -> from.ready = true;
                case "PROGRESS" -> console.printf("  %-16s %s%n", run.benchCase.id(), rest);
                case "RESULT" -> run.collector.onResult(rest, keyValues(rest));
                case "NOTE" -> run.collector.onNote(rest);
                case "SETTING" -> run.collector.onSetting(rest);
                case "TID" ->
                {
                    final String[] f = rest.split(" ");
                    run.tids.put(Long.parseLong(f[1]), f[0]);
                }
                case "PID" ->
                {
                    final String[] f = rest.split(" ");
                    run.pids.put(f[0], Long.parseLong(f[1]));
                }
                case "ERROR" -> fail(run, from.role + ": " + rest);
                case "STEP" -> run.announced = rest;
                case "STEP_DONE" -> run.stepDone = true;
                case "PAUSED" -> run.paused = true;
                case "SYSCALLS_READY" -> syscallsReady(run);
                case "SYSCALLS_DONE" -> syscallsDone(run);
                case "IDLE_WINDOW" -> idleWindow(run);
                default ->
                {
                    // a line of a newer child, or stray output: ignored (it is in the log)
                }
            }
        }
        catch (final Exception e)
        {
            fail(run, "while handling '" + line.text() + "' from " + from.role + ": " + e);
        }
    }

    private void syscallsReady(final CaseRun run) throws IOException
    {
        for (final SyscallCounter counter : run.counters.values())
        {
            counter.enable();
        }
        if (run.countThreads && !run.tids.isEmpty())
        {
            try
            {
                run.threadCounter = SyscallCounter.attach(run.env.dir(), run.tids);
                run.threadCounter.enable();
            }
            catch (final IOException e)
            {
                run.threadCountFailure = "perf could not attach to the measuring threads: " + e.getMessage();
                if (null != run.threadCounter)
                {
                    run.threadCounter.close();
                    run.threadCounter = null;
                }
            }
        }
        run.initiator.send("go");
    }

    private void syscallsDone(final CaseRun run) throws IOException
    {
        for (final SyscallCounter counter : run.counters.values())
        {
            counter.disable();
        }
        if (null != run.threadCounter)
        {
            run.threadCounter.disable();
            try
            {
                run.perThread = run.threadCounter.perThread(run.plan.syscallRoundTrips());
            }
            catch (final IOException e)
            {
                run.threadCountFailure = e.getMessage();
            }
            run.threadCounter.close();
            run.threadCounter = null;
        }
        run.initiator.send("go");
    }

    private void idleWindow(final CaseRun run) throws Exception
    {
        final Long agentPid = run.pids.get(run.benchCase.inProcess() ? "both" : "responder");
        final Long serverPid = run.pids.get("server");
        final long agentTid = run.tids.entrySet().stream().filter(e -> e.getValue().equals("responder"))
            .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
        if (null == agentPid)
        {
            throw new IllegalStateException("the responder did not say its pid");
        }
        console.printf("  %-16s idle window: %.1f s, reading /proc of the idle agent%s%n", run.benchCase.id(),
            profile.idleSeconds(), null == serverPid ? "" : " and of the router");
        final ProcStats.Sample agentBefore = ProcStats.sample(agentPid);
        final ProcStats.Sample serverBefore = null == serverPid ? null : ProcStats.sample(serverPid);
        Thread.sleep((long)(profile.idleSeconds() * 1e3));
        final ProcStats.Sample agentAfter = ProcStats.sample(agentPid);
        final ProcStats.Sample serverAfter = null == serverPid ? null : ProcStats.sample(serverPid);
        final Map<String, Double> agentThreads = agentBefore.wakeUpsPerSecond(agentAfter);
        final double agentThreadWakeUps = agentThreads.entrySet().stream()
            .filter(e -> e.getKey().endsWith("-" + agentTid)).mapToDouble(Map.Entry::getValue).findFirst()
            .orElse(Double.NaN);
        double routerWakeUps = Double.NaN;
        double jvmWakeUps = Double.NaN;
        double serverCpu = Double.NaN;
        final Map<String, Double> routerThreads = new LinkedHashMap<>();
        if (null != serverBefore)
        {
            routerWakeUps = 0;
            jvmWakeUps = 0;
            for (final Map.Entry<String, Double> e : serverBefore.wakeUpsPerSecond(serverAfter).entrySet())
            {
                if (ProcStats.isJvmThread(e.getKey()))
                {
                    jvmWakeUps += e.getValue();
                }
                else
                {
                    routerWakeUps += e.getValue();
                    routerThreads.put(e.getKey(), e.getValue());
                }
            }
            serverCpu = serverBefore.cpuPercent(serverAfter);
        }
        final String strategy = run.collector.settingValue("responder: client idle strategy");
        run.collector.idle(new IdleResult((agentAfter.nanoTime() - agentBefore.nanoTime()) / 1e9,
            agentBefore.cpuPercent(agentAfter), agentBefore.threadCpuPercent(agentAfter, agentTid), agentThreadWakeUps,
            serverCpu, routerWakeUps, jvmWakeUps, routerThreads, strategy,
            "/proc/<pid>/stat and /proc/<pid>/task/<tid>/stat (utime+stime, CLK_TCK " +
            ProcStats.clockTicksPerSecond() + "), /proc/<pid>/task/<tid>/status voluntary_ctxt_switches"));
        console.printf("  %-16s idle agent %s %% CPU (its thread %s %%, %s wake-ups/s); router %s %% CPU, %s " +
            "wake-ups/s of its own threads (JVM threads %s/s)%n", run.benchCase.id(),
            ProcStats.format(agentBefore.cpuPercent(agentAfter)),
            ProcStats.format(agentBefore.threadCpuPercent(agentAfter, agentTid)), ProcStats.format(agentThreadWakeUps),
            ProcStats.format(serverCpu), ProcStats.format(routerWakeUps), ProcStats.format(jvmWakeUps));
        run.initiator.send("go");
    }

    static Map<String, String> keyValues(final String text)
    {
        final Map<String, String> kv = new LinkedHashMap<>();
        final Matcher m = KEY_VALUE.matcher(text);
        while (m.find())
        {
            kv.put(m.group(1), m.group(2));
        }
        return kv;
    }

    private void fail(final CaseRun run, final String why)
    {
        if (null != run.failed)
        {
            return;
        }
        final StringBuilder text = new StringBuilder(null == why ? "failed" : why);
        for (final ChildProcess child : run.children)
        {
            if (!child.isAlive() && child.exitValue() != 0 && !text.toString().contains(child.role + " exited"))
            {
                text.append("; ").append(child.role).append(" exited ").append(child.exitValue()).append(": ")
                    .append(child.stderrTail().lines().reduce((a, b) -> b).orElse(""));
            }
        }
        run.failed = text.toString();
        console.printf("  %s failed: %s (logs: %s)%n", run.benchCase.id(), run.failed, runDir.relativize(run.logDir));
        run.killChildren();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private String placement(final BenchCase c)
    {
        if (c.inProcess())
        {
            return "2 threads, 1 process" + (cpus.size() >= 2 ? ", CPU " + cpus.get(0) + " / " + cpus.get(1) : "");
        }
        return "2 processes" + (cpus.size() >= 2 ? ", CPU " + cpus.get(0) + " / " + cpus.get(1) : ", unpinned") +
            (c.needsServer() ? " + server process" : "");
    }

    private static String unavailable(final BenchCase c)
    {
        try
        {
            return c.unavailableReason();
        }
        catch (final RuntimeException | LinkageError e)
        {
            return "cannot run here: " + e;
        }
    }

    /** One case of the group: its processes, what they said, its state in the rounds. */
    private final class CaseRun implements AutoCloseable
    {
        final BenchCase benchCase;
        final Flags flags;
        final String placement;
        final List<ChildProcess> children = new ArrayList<>();
        final Map<String, SyscallCounter> counters = new LinkedHashMap<>();
        final Map<Long, String> tids = new LinkedHashMap<>();
        final Map<String, Long> pids = new LinkedHashMap<>();
        final CaseCollector collector;
        String skipped;
        CaseEnv env;
        ChildPlan plan;
        Path workDir;
        Path shmDir;
        Path logDir;
        boolean countSyscalls;
        boolean countThreads;
        AutoCloseable setUp;
        ChildProcess server;
        ChildProcess responder;
        ChildProcess initiator;
        String announced;
        boolean stepDone;
        boolean paused;
        boolean finishing;
        boolean finished;
        String failed;
        SyscallCounter threadCounter;
        Map<String, Map<String, Double>> perThread;
        String threadCountFailure;

        CaseRun(final BenchCase c, final Flags flags) throws IOException
        {
            this.benchCase = c;
            this.flags = flags;
            this.placement = placement(c);
            this.collector = new CaseCollector(c, runDir);
            this.logDir = runDir.resolve("logs").resolve(c.id() + flags.logSuffix());
            this.skipped = unavailable(c);
            if (null != skipped)
            {
                console.printf("  %s skipped: %s%n", c.id(), skipped);
                return;
            }
            final int maxPayload = profile.payloads().stream().max(Integer::compare).orElse(32);
            workDir = Files.createTempDirectory("switchboard-bench-" + c.id() + "-");
            shmDir = Machine.shmDir(c.id());
            env = new CaseEnv(c.id(), workDir, shmDir, maxPayload, Math.min(profile.producers(), c.maxProducers()));
            final boolean perf = flags.syscallRoundTrips() > 0 && SyscallCounter.unavailableReason() == null;
            countSyscalls = perf && !c.inProcess();
            countThreads = perf;
            plan = new ChildPlan(c.getClass().getName(), env, runDir, profile, flags.pingPong(), flags.oneWay(),
                flags.throughput(), perf ? flags.syscallRoundTrips() : 0);
            plan.write();
        }

        boolean active()
        {
            return null == skipped && null == failed && !finished;
        }

        CaseResult result(final List<String> group)
        {
            if (null != skipped)
            {
                return new CaseResult(benchCase.id(), benchCase.label(), benchCase.kind().name(), placement,
                    List.of(), List.of(), null, skipped, List.of(), group, List.of(), null);
            }
            SyscallResult syscalls = null;
            if (null == failed && plan.syscallRoundTrips() > 0)
            {
                final Map<String, Map<String, Double>> perProcess = new LinkedHashMap<>();
                try
                {
                    for (final Map.Entry<String, SyscallCounter> e : counters.entrySet())
                    {
                        perProcess.put(e.getKey(), e.getValue().perRoundTrip(plan.syscallRoundTrips()));
                    }
                }
                catch (final IOException e)
                {
                    collector.onNote("system calls not read: " + e.getMessage());
                }
                syscalls = new SyscallResult(plan.syscallRoundTrips(), perProcess,
                    benchCase.inProcess() ? "not counted per process: both sides are threads of one process" :
                    perProcess.isEmpty() ? "not counted per process: perf wrote no counts (see the notes)" :
                    "perf stat on the syscall tracepoints, " + plan.syscallRoundTrips() + " ping-pong round trips of " +
                    profile.payloads().getFirst() + " B; every thread of each JVM counted",
                    perThread, null != perThread ? "perf stat --per-thread -t <measuring threads>, attached for the " +
                    "same window; task-clock counted beside the calls proves the counter was attached" :
                    null == threadCountFailure ? "measuring threads not counted" : threadCountFailure);
            }
            else if (null == failed && flags.syscallRoundTrips() > 0 && !benchCase.inProcess())
            {
                syscalls = new SyscallResult(0, Map.of(), "not counted: " + SyscallCounter.unavailableReason(),
                    null, null);
            }
            return collector.result(placement, syscalls, null == failed ? null : "failed: " + failed, group);
        }

        void killChildren()
        {
            for (final ChildProcess child : children.reversed())
            {
                child.close();
            }
        }

        /** Close the server's stdin (it stops) and wait for it, so perf prints its counts. */
        void stopServer()
        {
            if (null != server && server.isAlive())
            {
                server.closeStdin();
                try
                {
                    server.waitFor(20, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close()
        {
            stopServer();
            killChildren();
            if (null != setUp)
            {
                try
                {
                    setUp.close();
                }
                catch (final Exception e)
                {
                    console.printf("  %s: cannot remove what its set-up made: %s%n", benchCase.id(), e);
                }
            }
            counters.values().forEach(SyscallCounter::close);
            if (null != threadCounter)
            {
                threadCounter.close();
            }
            Machine.deleteTree(workDir);
            Machine.deleteTree(shmDir);
        }
    }
}
