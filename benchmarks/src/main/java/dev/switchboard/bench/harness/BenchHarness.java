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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.model.RunResult;

/**
 * {@code ./switchboard bench}: runs the C floor, every case of {@link Cases} across processes, and the JMH suites,
 * in one run, then writes {@code benchmarks/results/<timestamp>/} (harness.json, HdrHistogram logs, jmh.json, the
 * Markdown report and its plots). Progress is printed as it goes.
 *
 * <pre>
 *   BenchHarness [--profile smoke|short|full | --full | --smoke] [--cases id,id,...|prefix-*] [--no-jmh] [--no-floor]
 *                [--jmh REGEX] [--out DIR] [--report RUN_DIR] [--syscalls N] [--client-idle NAME] [--relay-spin-us N]
 *                [--list]
 * </pre>
 *
 * Each case runs in up to three fresh JVMs (server, responder, initiator). The responder's and the initiator's
 * measuring threads pin themselves to one CPU each ({@link ThreadPinning}) where the machine has two; the JVMs' other
 * threads (JIT, GC) and the servers stay unpinned. The cases of a group ({@link Cases#groups}: a Switchboard case and
 * its raw peer) run in alternating rounds ({@link GroupRunner}).
 */
public final class BenchHarness
{
    private static final String CRITICAL = "sb-critical";
    private static final String AGRONA = "agrona-shm";
    /** A CRITICAL latency over this multiple of agrona-shm's (pooled) sends it to the JFR re-run. */
    private static final double CRITICAL_PROFILE_RATIO = 1.2;

    private final Profile profile;
    private final Path projectRoot;
    private final Path runDir;
    private final List<String> caseFilter;
    private final boolean runJmh;
    private final boolean runFloor;
    private final String jmhRegex;
    private final PrintStream console;
    private final List<String> cpus;
    private final List<String> switchboardFlags;
    private final long startedNs = System.nanoTime();

    BenchHarness(
        final Profile profile, final Path projectRoot, final Path runDir, final List<String> caseFilter,
        final boolean runJmh, final boolean runFloor, final String jmhRegex, final PrintStream console,
        final List<String> switchboardFlags)
    {
        this.switchboardFlags = switchboardFlags;
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
        long syscalls = -1;
        final List<String> switchboardFlags = new ArrayList<>();
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
                case "--syscalls" -> syscalls = Long.parseLong(value(args, ++i, a));
                case "--client-idle" -> switchboardFlags.add("-Dswitchboard.client.idle=" + value(args, ++i, a));
                case "--relay-spin-us" -> System.setProperty("switchboard.bench.relay.spin.us",
                    Long.toString(Long.parseLong(value(args, ++i, a))));
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
                        console.printf("%-20s %s%n", c.id(), c.label());
                    }
                    for (final String id : OrchestratorRunner.IDS)
                    {
                        console.printf("%-20s %s%n", id, OrchestratorRunner.PLAN.equals(id) ?
                            "orchestrator: plan generation on a generated ~1,000-file repository" :
                            "orchestrator: workflows back to back and task hand-off latency");
                    }
                    return 0;
                }
                case "-h", "--help" ->
                {
                    console.println("usage: bench [--profile smoke|short|full | --full | --smoke] " +
                        "[--cases id,id,...|prefix-*] [--no-jmh] [--no-floor] [--jmh REGEX] [--out DIR] " +
                        "[--report RUN_DIR] [--syscalls N] [--client-idle NAME] [--relay-spin-us N] [--list]");
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (--help lists them)");
            }
        }
        if (syscalls >= 0)
        {
            profile = profile.withSyscallRoundTrips(syscalls);
        }
        cases = expandCaseIds(cases);
        final Path root = Machine.projectRoot();
        final Path results = out != null ? out : root.resolve("benchmarks").resolve("results");
        final String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC)
            .format(Instant.now());
        final Path runDir = results.resolve(stamp);
        Files.createDirectories(runDir.resolve("hdr"));
        return new BenchHarness(profile, root, runDir, cases, jmh, floor, jmhRegex, console, switchboardFlags).run();
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
        final GroupRunner runner = new GroupRunner(profile, runDir, cpus, console, switchboardFlags);
        final GroupRunner.Flags all = new GroupRunner.Flags(true, true, true, profile.syscallRoundTrips(), Map.of(), "");
        for (final List<BenchCase> group : Cases.groups(selected))
        {
            console.printf("[%s/%d] %s%s%n", group.size() == 1 ? Integer.toString(index + 1) :
                (index + 1) + "-" + (index + group.size()), selected.size(),
                String.join(" + ", group.stream().map(c -> c.id() + " (" + c.label() + ")").toList()),
                group.size() > 1 ? ", in alternating rounds" : "");
            index += group.size();
            for (final CaseResult r : runner.run(group, all))
            {
                anyFailed |= r.skipped() != null && r.skipped().startsWith("failed");
                results.add(r);
            }
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
     * When CRITICAL is slower than its raw peer beyond the targets' ratio (one-way p99 or round-trip p50, pooled
     * rounds), run its one-way phase again with JFR in both processes and keep the hottest frames: the report shows
     * where the time went.
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
        final CaseResult agrona = results.stream().filter(r -> r.id().equals(AGRONA)).findFirst().orElse(null);
        final String slower = slowerThanPeer(critical, agrona);
        if (slower == null)
        {
            return summaries;
        }
        console.printf("[profile] %s %s: recording its one-way phase with JFR%n", CRITICAL, slower);
        final Path jfrDir = runDir.resolve("jfr");
        Files.createDirectories(jfrDir);
        final Map<String, String> jfrFiles = new LinkedHashMap<>();
        for (final String role : List.of("initiator", "responder"))
        {
            jfrFiles.put(role, "jfr/" + CRITICAL + "-" + role + ".jfr");
        }
        final CaseResult rerun = new GroupRunner(profile, runDir, cpus, console, switchboardFlags)
            .run(List.of(criticalCase), new GroupRunner.Flags(false, true, false, 0, jfrFiles, "-jfr")).getFirst();
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
     * @param critical sb-critical's result.
     * @param peer     agrona-shm's result, or null.
     * @return what CRITICAL misses against its peer (pooled rounds: a trigger, not a verdict), or null.
     */
    static String slowerThanPeer(final CaseResult critical, final CaseResult peer)
    {
        if (null == peer || null != peer.skipped())
        {
            return null;
        }
        for (final LatencyResult.Method method : List.of(LatencyResult.Method.ONE_WAY_FIXED_RATE,
            LatencyResult.Method.PING_PONG_RTT))
        {
            final LatencyResult a = critical.latency().stream().filter(l -> l.method() == method).findFirst()
                .orElse(null);
            final LatencyResult b = peer.latency().stream().filter(l -> l.method() == method).findFirst().orElse(null);
            if (null == a || null == b)
            {
                continue;
            }
            final boolean oneWay = method == LatencyResult.Method.ONE_WAY_FIXED_RATE;
            final long mine = oneWay ? a.p99Ns() : a.p50Ns();
            final long theirs = oneWay ? b.p99Ns() : b.p50Ns();
            if (theirs > 0 && mine > CRITICAL_PROFILE_RATIO * theirs)
            {
                return (oneWay ? "one-way p99 " : "round-trip p50 ") + InitiatorDriver.ns(mine) + " is over " +
                    CRITICAL_PROFILE_RATIO + "x " + AGRONA + "'s " + InitiatorDriver.ns(theirs);
            }
        }
        return null;
    }
}
