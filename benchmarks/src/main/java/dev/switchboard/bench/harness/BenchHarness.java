/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.model.RunResult;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;

/**
 * {@code ./switchboard bench}: runs the C floor, every case of {@link Cases} across processes, and the JMH suites,
 * in one run, then writes {@code benchmarks/results/<timestamp>/} (harness.json, HdrHistogram logs, jmh.json, the
 * Markdown report and its plots). Progress is printed as it goes.
 *
 * <pre>
 *   BenchHarness [--profile smoke|short|full | --full | --smoke] [--cases id,id,...|prefix-*] [--no-jmh] [--no-floor]
 *                [--jmh REGEX] [--out DIR] [--report RUN_DIR]
 * </pre>
 *
 * Each case runs in up to three fresh JVMs (server, responder, initiator). The responder's and the initiator's
 * measuring threads pin themselves to one CPU each ({@link ThreadPinning}) where the machine has two; the JVMs' other
 * threads (JIT, GC) and the servers stay unpinned.
 */
public final class BenchHarness
{
    private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\\S+)");
    private static final long READY_TIMEOUT_S = 60;
    private static final String CRITICAL = "sb-critical";
    private static final long CRITICAL_ONE_WAY_P99_TARGET_NS = 200;

    private final Profile profile;
    private final Path projectRoot;
    private final Path runDir;
    private final List<String> caseFilter;
    private final boolean runJmh;
    private final boolean runFloor;
    private final String jmhRegex;
    private final PrintStream console;
    private final List<String> cpus;
    private final long startedNs = System.nanoTime();

    BenchHarness(
        final Profile profile, final Path projectRoot, final Path runDir, final List<String> caseFilter,
        final boolean runJmh, final boolean runFloor, final String jmhRegex, final PrintStream console)
    {
        this.profile = profile;
        this.projectRoot = projectRoot;
        this.runDir = runDir;
        this.caseFilter = caseFilter;
        this.runJmh = runJmh;
        this.runFloor = runFloor;
        this.jmhRegex = jmhRegex;
        this.console = console;
        this.cpus = Machine.pinnableCpus();
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        try
        {
            final int status = run(args, System.out);
            System.exit(status);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
        catch (final Exception e)
        {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * Parse the arguments and run.
     *
     * @param args    command line.
     * @param console where progress goes.
     * @return exit status: 0 when every case ran and the report was written, 1 when a case failed.
     * @throws Exception when the run cannot proceed.
     */
    public static int run(final String[] args, final PrintStream console) throws Exception
    {
        Profile profile = Profile.SHORT;
        List<String> cases = List.of();
        boolean jmh = true;
        boolean floor = true;
        String jmhRegex = "dev\\.switchboard\\.bench\\..*Benchmark";
        Path out = null;
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            switch (a)
            {
                case "--profile" -> profile = Profile.named(value(args, ++i, a));
                case "--full" -> profile = Profile.FULL;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--short" -> profile = Profile.SHORT;
                case "--cases" -> cases = List.of(value(args, ++i, a).split(","));
                case "--no-jmh" -> jmh = false;
                case "--no-floor" -> floor = false;
                case "--jmh" -> jmhRegex = value(args, ++i, a);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--report" ->
                {
                    final Path report = dev.switchboard.bench.harness.report.ReportWriter.write(
                        Path.of(value(args, ++i, a)));
                    console.println("report: " + report);
                    return 0;
                }
                case "--list" ->
                {
                    for (final BenchCase c : Cases.all())
                    {
                        console.printf("%-16s %s%n", c.id(), c.label());
                    }
                    for (final String id : OrchestratorRunner.IDS)
                    {
                        console.printf("%-16s %s%n", id, OrchestratorRunner.PLAN.equals(id) ?
                            "orchestrator: plan generation on a generated ~1,000-file repository" :
                            "orchestrator: workflows back to back and task hand-off latency");
                    }
                    return 0;
                }
                case "-h", "--help" ->
                {
                    console.println("usage: bench [--profile smoke|short|full | --full | --smoke] " +
                        "[--cases id,id,...|prefix-*] [--no-jmh] [--no-floor] [--jmh REGEX] [--out DIR] " +
                        "[--report RUN_DIR] [--list]");
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (--help lists them)");
            }
        }
        cases = expandCaseIds(cases);
        final Path root = Machine.projectRoot();
        final Path results = out != null ? out : root.resolve("benchmarks").resolve("results");
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC)
            .format(Instant.now());
        final Path runDir = results.resolve(stamp);
        Files.createDirectories(runDir.resolve("hdr"));
        return new BenchHarness(profile, root, runDir, cases, jmh, floor, jmhRegex, console).run();
    }

    /**
     * @param requested ids from {@code --cases}; one ending in {@code *} selects every id starting with the rest.
     * @return the ids selected, case ids and orchestrator ids, in the order given; empty when none was requested.
     * @throws IllegalArgumentException naming a request that selects nothing.
     */
    static List<String> expandCaseIds(final List<String> requested)
    {
        final List<String> known = new ArrayList<>(Cases.all().stream().map(BenchCase::id).toList());
        known.addAll(OrchestratorRunner.IDS);
        final List<String> selected = new ArrayList<>();
        for (final String id : requested)
        {
            final List<String> matches = id.endsWith("*") ?
                known.stream().filter(k -> k.startsWith(id.substring(0, id.length() - 1))).toList() :
                known.stream().filter(id::equals).toList();
            if (matches.isEmpty())
            {
                throw new IllegalArgumentException("unknown case '" + id + "' (--list lists them)");
            }
            matches.stream().filter(m -> !selected.contains(m)).forEach(selected::add);
        }
        return selected;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    int run() throws Exception
    {
        final String startedAt = Instant.now().toString();
        final List<BenchCase> selected = Cases.all().stream()
            .filter(c -> caseFilter.isEmpty() || caseFilter.contains(c.id())).toList();
        console.printf("bench: profile %s, %d cases%s%s -> %s%n", profile.name(), selected.size() +
            OrchestratorRunner.IDS.stream().filter(id -> caseFilter.isEmpty() || caseFilter.contains(id)).count(),
            runFloor ? " + C floor" : "", runJmh ? " + JMH" : "", runDir);
        console.printf("bench: pinning %s%n", pinningDescription());
        final List<CaseResult> results = new ArrayList<>();
        final FloorRunner floor = runFloor ? new FloorRunner(projectRoot, runDir, profile, cpus, console) : null;
        if (floor != null)
        {
            results.add(floor.run("c-floor", "C: one cache line, two processes (floor)"));
        }
        int index = 0;
        boolean anyFailed = false;
        for (final BenchCase c : selected)
        {
            index++;
            console.printf("[%d/%d] %s — %s%n", index, selected.size(), c.id(), c.label());
            final CaseResult r = runCase(c, profile, true, true, true, profile.syscallRoundTrips(), List.of());
            anyFailed |= r.skipped() != null && r.skipped().startsWith("failed");
            results.add(r);
        }
        if (floor != null)
        {
            results.add(floor.run("c-floor-end", "C: one cache line, two processes (floor, again at the end)"));
        }
        final List<RunResult.ProfileSummary> profiles = profileMissedTargets(results, selected);
        final List<String> orchestratorIds = OrchestratorRunner.IDS.stream()
            .filter(id -> caseFilter.isEmpty() || caseFilter.contains(id)).toList();
        OrchestratorResult orchestrator = null;
        if (!orchestratorIds.isEmpty())
        {
            orchestrator = new OrchestratorRunner(OrchestratorRunner.Settings.of(profile), runDir, orchestratorIds,
                console).run();
            anyFailed |= orchestrator.workflows().stream().anyMatch(w -> w.failed() != null) ||
                (orchestrator.plan() != null && orchestrator.plan().failed() != null);
        }
        String jmhJson = null;
        if (runJmh)
        {
            jmhJson = new JmhRunner(runDir, profile, jmhRegex, console).run();
            anyFailed |= jmhJson == null;
        }
        final RunResult run = new RunResult(startedAt, profile.name(), Machine.describe(pinningDescription()),
            profile.settings(), results, jmhJson, profiles, (System.nanoTime() - startedNs) / 1e9, orchestrator);
        writeJson(run, runDir.resolve("harness.json"));
        final Path report = dev.switchboard.bench.harness.report.ReportWriter.write(runDir);
        console.printf("bench: done in %.0f s; report %s%n", run.elapsedSeconds(), report);
        return anyFailed ? 1 : 0;
    }

    static void writeJson(final RunResult run, final Path file) throws IOException
    {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), run);
    }

    private String pinningDescription()
    {
        return cpus.size() >= 2 ? "measuring threads pinned with taskset: initiator CPU " + cpus.get(0) +
            ", responder CPU " + cpus.get(1) + " (in-process cases too); the JVMs' other threads and the servers " +
            "unpinned" :
            "not pinned (" + (Machine.hasTaskset() ? "fewer than 2 CPUs" : "taskset not found") + ")";
    }

    /**
     * When CRITICAL misses its one-way target, run its one-way phase again with JFR in both processes and keep the
     * hottest frames: the report shows where the time went.
     */
    private List<RunResult.ProfileSummary> profileMissedTargets(final List<CaseResult> results,
        final List<BenchCase> selected) throws Exception
    {
        final List<RunResult.ProfileSummary> summaries = new ArrayList<>();
        final CaseResult critical = results.stream().filter(r -> r.id().equals(CRITICAL)).findFirst().orElse(null);
        final BenchCase criticalCase = selected.stream().filter(c -> c.id().equals(CRITICAL)).findFirst().orElse(null);
        if (critical == null || criticalCase == null || critical.skipped() != null)
        {
            return summaries;
        }
        final LatencyResult oneWay = critical.latency().stream()
            .filter(l -> l.method() == LatencyResult.Method.ONE_WAY_FIXED_RATE).findFirst().orElse(null);
        if (oneWay == null || oneWay.p99Ns() <= CRITICAL_ONE_WAY_P99_TARGET_NS)
        {
            return summaries;
        }
        console.printf("[profile] %s one-way p99 %s misses %d ns: recording it with JFR%n", CRITICAL,
            InitiatorDriver.ns(oneWay.p99Ns()), CRITICAL_ONE_WAY_P99_TARGET_NS);
        final Path jfrDir = runDir.resolve("jfr");
        Files.createDirectories(jfrDir);
        final Map<String, String> jfrFiles = new LinkedHashMap<>();
        for (final String role : List.of("initiator", "responder"))
        {
            jfrFiles.put(role, "jfr/" + CRITICAL + "-" + role + ".jfr");
        }
        final CaseResult rerun = runCase(criticalCase, profile, false, true, false, 0, List.of(jfrFiles));
        if (rerun.skipped() != null)
        {
            console.println("[profile] the JFR run failed: " + rerun.skipped());
            return summaries;
        }
        for (final Map.Entry<String, String> e : jfrFiles.entrySet())
        {
            final Path file = runDir.resolve(e.getValue());
            if (Files.exists(file))
            {
                summaries.add(new RunResult.ProfileSummary(CRITICAL, e.getKey(), e.getValue(),
                    dev.switchboard.bench.harness.report.JfrSummary.topFrames(file, 10)));
            }
        }
        return summaries;
    }

    /**
     * Run one case: start its processes, relay progress, collect the results.
     *
     * @param jfrFiles empty, or one map of role to JFR file (relative to the run dir) to record.
     */
    private CaseResult runCase(
        final BenchCase c, final Profile p, final boolean pingPong, final boolean oneWay, final boolean throughput,
        final long syscallRoundTrips, final List<Map<String, String>> jfrFiles) throws Exception
    {
        final String placement = placement(c);
        final String unavailable = unavailable(c);
        if (unavailable != null)
        {
            console.printf("  %s skipped: %s%n", c.id(), unavailable);
            return new CaseResult(c.id(), c.label(), c.kind().name(), placement, List.of(), List.of(), null,
                unavailable, List.of());
        }
        final int maxPayload = p.payloads().stream().max(Integer::compare).orElse(32);
        final Path workDir = Files.createTempDirectory("switchboard-bench-" + c.id() + "-");
        final Path shmDir = Machine.shmDir(c.id());
        final CaseEnv env = new CaseEnv(c.id(), workDir, shmDir, maxPayload, Math.min(p.producers(), c.maxProducers()));
        final boolean countSyscalls = syscallRoundTrips > 0 && !c.inProcess() &&
            SyscallCounter.unavailableReason() == null;
        final ChildPlan plan = new ChildPlan(c.getClass().getName(), env, runDir, p, pingPong, oneWay, throughput,
            countSyscalls ? syscallRoundTrips : 0);
        plan.write();
        final BlockingQueue<ChildProcess.Line> lines = ChildProcess.newQueue();
        final Path logDir = runDir.resolve("logs").resolve(c.id() + (jfrFiles.isEmpty() ? "" : "-jfr"));
        final List<ChildProcess> children = new ArrayList<>();
        final Map<String, SyscallCounter> counters = new LinkedHashMap<>();
        final CaseCollector collector = new CaseCollector(c, runDir);
        try
        {
            ChildProcess server = null;
            if (c.needsServer())
            {
                server = launch("server", c, plan, null, logDir, lines, children, counters, countSyscalls, null);
                awaitReady(server, lines, collector);
            }
            if (c.inProcess())
            {
                launch("both", c, plan, cpus.size() >= 2 ? cpus.get(0) + "," + cpus.get(1) : null, logDir, lines,
                    children, counters, false, null);
            }
            else
            {
                final ChildProcess responder = launch("responder", c, plan, cpus.size() >= 2 ? cpus.get(1) : null,
                    logDir, lines, children, counters, countSyscalls, jfr(jfrFiles, "responder"));
                awaitReady(responder, lines, collector);
                launch("initiator", c, plan, cpus.size() >= 2 ? cpus.get(0) : null, logDir, lines, children,
                    counters, countSyscalls, jfr(jfrFiles, "initiator"));
            }
            final ChildProcess driver = children.getLast();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds(p));
            int ended = 0;
            final int sides = c.inProcess() ? 1 : 2;
            while (ended < sides)
            {
                final ChildProcess.Line line = lines.poll(1, TimeUnit.SECONDS);
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("timed out after " + timeoutSeconds(p) + " s");
                }
                if (line == null)
                {
                    continue;
                }
                if (line.isEnd())
                {
                    if (!line.from().role.equals("server"))
                    {
                        ended++;
                    }
                    continue;
                }
                handle(line, collector, counters, driver);
            }
            for (final ChildProcess child : children)
            {
                if (!child.role.equals("server"))
                {
                    if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0)
                    {
                        throw new IllegalStateException(child.role + " exited " +
                            (child.isAlive() ? "(still running)" : child.exitValue()) + ": " + child.stderrTail());
                    }
                }
            }
            if (server != null)
            {
                server.closeStdin();
                server.waitFor(20, TimeUnit.SECONDS);
            }
            SyscallResult syscalls = null;
            if (countSyscalls)
            {
                final Map<String, Map<String, Double>> perProcess = new LinkedHashMap<>();
                for (final Map.Entry<String, SyscallCounter> e : counters.entrySet())
                {
                    perProcess.put(e.getKey(), e.getValue().perRoundTrip(syscallRoundTrips));
                }
                syscalls = new SyscallResult(syscallRoundTrips, perProcess,
                    "perf stat on the syscall tracepoints, " + syscallRoundTrips + " ping-pong round trips of " +
                    p.payloads().getFirst() + " B; every thread of each JVM counted");
            }
            else if (syscallRoundTrips > 0 && !c.inProcess())
            {
                syscalls = new SyscallResult(0, Map.of(), "not counted: " + SyscallCounter.unavailableReason());
            }
            return collector.result(placement, syscalls);
        }
        catch (final Exception e)
        {
            final StringBuilder why = new StringBuilder("failed: ").append(e.getMessage());
            for (final ChildProcess child : children)
            {
                if (!child.isAlive() && child.exitValue() != 0)
                {
                    why.append("; ").append(child.role).append(" exited ").append(child.exitValue())
                        .append(": ").append(child.stderrTail().lines().reduce((a, b) -> b).orElse(""));
                }
            }
            console.printf("  %s %s (logs: %s)%n", c.id(), why, runDir.relativize(logDir));
            return new CaseResult(c.id(), c.label(), c.kind().name(), placement, collector.latency(),
                collector.throughput(), null, why.toString(), collector.notes());
        }
        finally
        {
            for (final ChildProcess child : children.reversed())
            {
                child.close();
            }
            counters.values().forEach(SyscallCounter::close);
            Machine.deleteTree(workDir);
            Machine.deleteTree(shmDir);
        }
    }

    private static String jfr(final List<Map<String, String>> jfrFiles, final String role)
    {
        return jfrFiles.isEmpty() ? null : jfrFiles.getFirst().get(role);
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

    private String placement(final BenchCase c)
    {
        if (c.inProcess())
        {
            return "2 threads, 1 process" + (cpus.size() >= 2 ? ", CPU " + cpus.get(0) + " / " + cpus.get(1) : "");
        }
        return "2 processes" + (cpus.size() >= 2 ? ", CPU " + cpus.get(0) + " / " + cpus.get(1) : ", unpinned") +
            (c.needsServer() ? " + server process" : "");
    }

    private static long timeoutSeconds(final Profile p)
    {
        final double pingPong = p.payloads().size() * (p.warmupSeconds() + p.pingPongMaxSeconds() + 5);
        final double oneWay = 2 * p.warmupSeconds() + p.oneWaySeconds() + 10;
        final double throughput = 3 * (p.warmupSeconds() + p.throughputSeconds() + 10);
        return (long)(60 + pingPong + oneWay + throughput + (p.syscallRoundTrips() > 0 ? 60 : 0));
    }

    private void handle(final ChildProcess.Line line, final CaseCollector collector,
        final Map<String, SyscallCounter> counters, final ChildProcess driver) throws IOException
    {
        final String text = line.text();
        if (text.startsWith("PROGRESS "))
        {
            console.printf("  %-14s %s%n", collector.caseId(), text.substring("PROGRESS ".length()));
        }
        else if (text.startsWith("RESULT "))
        {
            collector.onResult(text.substring("RESULT ".length()), keyValues(text));
        }
        else if (text.startsWith("NOTE "))
        {
            collector.onNote(line.from().role, text.substring("NOTE ".length()));
        }
        else if (text.startsWith("ERROR "))
        {
            throw new IllegalStateException(line.from().role + ": " + text.substring("ERROR ".length()));
        }
        else if (text.startsWith("SYSCALLS_READY"))
        {
            for (final SyscallCounter counter : counters.values())
            {
                counter.enable();
            }
            driver.send("go");
        }
        else if (text.startsWith("SYSCALLS_DONE"))
        {
            for (final SyscallCounter counter : counters.values())
            {
                counter.disable();
            }
            driver.send("go");
        }
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

    private void awaitReady(final ChildProcess child, final BlockingQueue<ChildProcess.Line> lines,
        final CaseCollector collector) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
        final List<ChildProcess.Line> others = new ArrayList<>();
        try
        {
            while (System.nanoTime() < deadline)
            {
                final ChildProcess.Line line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null)
                {
                    continue;
                }
                if (line.from() == child && "READY".equals(line.text()))
                {
                    return;
                }
                if (line.from() == child && (line.isEnd() || line.text().startsWith("ERROR ")))
                {
                    child.waitFor(5, TimeUnit.SECONDS);
                    throw new IllegalStateException(child.role + " did not start: " +
                        (line.isEnd() ? "exited" : line.text()) + "; " + child.stderrTail());
                }
                others.add(line);
            }
            throw new IllegalStateException(child.role + " not ready within " + READY_TIMEOUT_S + " s: " +
                child.stderrTail());
        }
        finally
        {
            lines.addAll(others);
        }
    }

    private ChildProcess launch(
        final String role, final BenchCase c, final ChildPlan plan, final String cpu, final Path logDir,
        final BlockingQueue<ChildProcess.Line> lines, final List<ChildProcess> children,
        final Map<String, SyscallCounter> counters, final boolean countSyscalls, final String jfrFile)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        if (countSyscalls)
        {
            final SyscallCounter counter = SyscallCounter.prepare(plan.env().dir(), role);
            counters.put(role, counter);
            command.addAll(counter.commandPrefix());
        }
        command.add(Machine.javaBinary());
        command.addAll(Machine.CHILD_JVM_FLAGS);
        command.addAll(c.jvmOptions());
        if (cpu != null)
        {
            // The measuring thread pins itself (ThreadPinning); "a,b" is an in-process case: initiator a, responder b.
            final String[] cpus = cpu.split(",");
            command.add("-D" + ThreadPinning.CPU_PROPERTY + "=" + cpus[0]);
            if (cpus.length > 1)
            {
                command.add("-D" + ThreadPinning.RESPONDER_CPU_PROPERTY + "=" + cpus[1]);
            }
        }
        if (jfrFile != null)
        {
            command.add("-XX:StartFlightRecording=filename=" + runDir.resolve(jfrFile) + ",settings=profile," +
                "dumponexit=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HarnessChild.class.getName(), role,
            plan.file().toString()));
        final ChildProcess child = ChildProcess.start(role, command, logDir, lines);
        children.add(child);
        return child;
    }

    /** Assembles one case's result from its children's RESULT and NOTE lines. */
    private static final class CaseCollector
    {
        private final BenchCase benchCase;
        private final Path runDir;
        private final List<LatencyResult> latency = new ArrayList<>();
        private final List<ThroughputResult> throughput = new ArrayList<>();
        private final Map<String, Long> backPressuredByProducers = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        CaseCollector(final BenchCase benchCase, final Path runDir)
        {
            this.benchCase = benchCase;
            this.runDir = runDir;
        }

        String caseId()
        {
            return benchCase.id();
        }

        void onResult(final String text, final Map<String, String> kv) throws IOException
        {
            final String what = text.split(" ", 2)[0];
            switch (what)
            {
                case "PING_PONG_RTT", "ONE_WAY_FIXED_RATE" ->
                {
                    final LatencyResult.Method method = LatencyResult.Method.valueOf(what);
                    final String hlog = kv.get("hlog");
                    final long rate = kv.containsKey("rate") ? Long.parseLong(kv.get("rate")) : 0;
                    latency.add(HdrLogs.summarise(method, Integer.parseInt(kv.get("payload")), rate,
                        HdrLogs.read(runDir.resolve(hlog)), hlog));
                    if (kv.containsKey("negative") && !"0".equals(kv.get("negative")))
                    {
                        notes.add(kv.get("negative") + " one-way samples were negative (clock) and recorded as 0");
                    }
                }
                case "ONE_WAY_SENDER" ->
                {
                    if (!"0".equals(kv.get("lateSends")))
                    {
                        notes.add("one-way: " + kv.get("lateSends") + " of " + kv.get("sent") + " sends left more " +
                            "than one interval late (charged to the latency: CO corrected)");
                    }
                }
                case "THROUGHPUT" -> throughput.add(new ThroughputResult(Integer.parseInt(kv.get("producers")),
                    Integer.parseInt(kv.get("payload")), Long.parseLong(kv.get("messages")),
                    Double.parseDouble(kv.get("seconds")),
                    Long.parseLong(kv.get("messages")) / Math.max(1e-9, Double.parseDouble(kv.get("seconds"))),
                    backPressuredByProducers.getOrDefault(kv.get("producers"), 0L)));
                case "THROUGHPUT_SENDER" ->
                    backPressuredByProducers.put(kv.get("producers"), Long.parseLong(kv.get("backPressured")));
                default ->
                {
                    // a line from a newer child: ignored
                }
            }
        }

        void onNote(final String role, final String note)
        {
            if (!notes.contains(note))
            {
                notes.add(note);
            }
        }

        List<LatencyResult> latency()
        {
            return List.copyOf(latency);
        }

        List<ThroughputResult> throughput()
        {
            // THROUGHPUT (responder) and THROUGHPUT_SENDER (initiator) lines arrive in either order: join them here.
            final List<ThroughputResult> joined = new ArrayList<>();
            for (final ThroughputResult t : throughput)
            {
                joined.add(new ThroughputResult(t.producers(), t.payloadLength(), t.messages(), t.seconds(),
                    t.msgsPerSecond(), backPressuredByProducers.getOrDefault(Integer.toString(t.producers()),
                    t.backPressured())));
            }
            joined.sort(Comparator.comparingInt(ThroughputResult::producers));
            return joined;
        }

        List<String> notes()
        {
            return List.copyOf(notes);
        }

        CaseResult result(final String placement, final SyscallResult syscalls)
        {
            return new CaseResult(benchCase.id(), benchCase.label(), benchCase.kind().name(), placement, latency(),
                throughput(), syscalls, null, notes());
        }
    }
}
