/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.orchestrator.BugfixTeam;
import dev.switchboard.bench.harness.orchestrator.HandoffRecorder;
import dev.switchboard.bench.harness.orchestrator.SyntheticRepository;
import dev.switchboard.bench.harness.orchestrator.TaskAgentsMain;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.plan.AgentPlanWriter;
import dev.switchboard.orchestrator.runtime.RunResult;
import dev.switchboard.orchestrator.runtime.TaskAgent;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.HdrHistogram.Histogram;

/**
 * The report's orchestrator section ({@link OrchestratorResult}), run in the harness's JVM after the transport cases:
 * <ul>
 *   <li><b>Workflows back to back.</b> For each configuration, {@link Settings#workflows} bugfix workflows (4 tasks,
 *       3 phases) run one after another through {@link WorkflowRuntime}, each a new runtime (connect, register,
 *       discover the agents, run, close), on {@link BugfixTeam}'s three agents whose tasks succeed at once. Warm-up
 *       workflows first, unmeasured. Configurations: agents in this process on an in-process router
 *       ({@code orchestrator-inprocess}); agents in another JVM ({@link TaskAgentsMain}) over IPC to a
 *       {@link RouterProcess} in this one, work items at NORMAL (the runtime's default), HIGH or CRITICAL
 *       ({@code orchestrator-normal}, {@code -high}, {@code -critical}).</li>
 *   <li><b>Hand-off latency</b>, measured in the same workflows: every task's work item, from the runtime's client
 *       stamping it as it enqueues it to the agent's poll callback ({@link HandoffRecorder}), into an HdrHistogram
 *       log {@code hdr/<id>.handoff.hlog}.</li>
 *   <li><b>Plan generation</b> ({@code orchestrator-plan}): a generated repository ({@link SyntheticRepository}),
 *       then {@link RepositoryAnalyzer#analyze} + {@link GapDetector#detect} + {@link AgentPlanWriter#writeTo} timed
 *       together, warm-up runs first.</li>
 * </ul>
 * A configuration that fails is reported with why (and the run exits 1); it never stops the others.
 *
 * <p>Not thread-safe: one run, one thread. Allocates freely: nothing here is a hot path.
 */
final class OrchestratorRunner
{
    /** Ids start with this; {@code --cases 'orchestrator-*'} selects them all. */
    static final String PREFIX = "orchestrator-";
    static final String IN_PROCESS = PREFIX + "inprocess";
    static final String NORMAL = PREFIX + "normal";
    static final String HIGH = PREFIX + "high";
    static final String CRITICAL = PREFIX + "critical";
    static final String PLAN = PREFIX + "plan";
    /** Every id, in run order. */
    static final List<String> IDS = List.of(IN_PROCESS, NORMAL, HIGH, CRITICAL, PLAN);
    /** Seed of the generated repository: the same files every run. */
    static final long REPOSITORY_SEED = 20251126L;

    private static final Duration WORKFLOW_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The runtime's task timeout: a work item or report that never arrives fails the task with TASK_TIMEOUT and
     * recovery re-assigns it, as in production; the report counts these ({@code timedOutTasks}).
     */
    static final Duration TASK_TIMEOUT = Duration.ofSeconds(10);
    private static final long AGENTS_READY_S = 60;
    private static final long TAKE_TIMEOUT_S = 30;

    /**
     * How much a profile measures.
     *
     * @param warmupWorkflows unmeasured workflows per configuration.
     * @param workflows       measured workflows per configuration.
     * @param planFiles       files in the generated repository.
     * @param planWarmups     unmeasured plan generations.
     * @param planRuns        measured plan generations.
     */
    record Settings(int warmupWorkflows, int workflows, int planFiles, int planWarmups, int planRuns)
    {
        static Settings of(final Profile profile)
        {
            return switch (profile.name())
            {
                case "smoke" -> new Settings(2, 10, 60, 0, 1);
                case "full" -> new Settings(100, 2_000, 1_000, 2, 10);
                default -> new Settings(20, 300, 1_000, 1, 3);
            };
        }
    }

    private final Settings settings;
    private final Path runDir;
    private final List<String> ids;
    private final PrintStream console;
    private final List<String> notes = new ArrayList<>();

    /**
     * @param settings how much to measure.
     * @param runDir   where hlogs and logs go.
     * @param ids      the configurations to run, a subset of {@link #IDS}.
     * @param console  progress.
     */
    OrchestratorRunner(final Settings settings, final Path runDir, final List<String> ids, final PrintStream console)
    {
        this.settings = settings;
        this.runDir = runDir;
        this.ids = ids;
        this.console = console;
    }

    /** @return every configuration asked for, each measured or failed with why. */
    OrchestratorResult run()
    {
        final String loadBefore = loadAverage();
        final List<OrchestratorResult.WorkflowRun> workflows = new ArrayList<>();
        if (ids.contains(IN_PROCESS))
        {
            workflows.add(inProcess());
        }
        final List<String> crossProcess = ids.stream().filter(List.of(NORMAL, HIGH, CRITICAL)::contains).toList();
        if (!crossProcess.isEmpty())
        {
            workflows.addAll(crossProcess(crossProcess));
        }
        final OrchestratorResult.PlanRun plan = ids.contains(PLAN) ? plan() : null;
        notes.add("Each workflow is the bugfix template (diagnose → fix → regression-tests + review-fix: " +
            "4 tasks, " +
            "3 phases, gates checked) on 3 agents whose tasks succeed at once, each run by a new WorkflowRuntime " +
            "(connect, register, discover the agents, run, close). " + settings.warmupWorkflows() + " warm-up " +
            "workflows per configuration are not counted.");
        notes.add("Hand-off: the runtime's client stamps the work item's envelope with System.nanoTime() as it " +
            "enqueues it; the agent reads System.nanoTime() on entering its poll callback. The runtime and the " +
            "agents idle with BackoffIdleStrategy (park up to 1 ms) between messages, as they ship.");
        notes.add("Machine load (/proc/loadavg, 1/5/15 min) before this section: " + loadBefore + "; after: " +
            loadAverage() + ". Above the CPU count, every time here includes waiting for a CPU.");
        return new OrchestratorResult(workflows, plan, List.copyOf(notes));
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (" + Runtime.getRuntime().availableProcessors() +
                " CPUs)";
        }
        catch (final IOException | RuntimeException e)
        {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private OrchestratorResult.WorkflowRun inProcess()
    {
        final String label = "agents in the runtime's process, in-process router, NORMAL";
        console.printf("[orchestrator] %s: %s%n", IN_PROCESS, label);
        final HandoffRecorder receipts = new HandoffRecorder();
        try (Router router = Router.launch(new RouterContext()); InProcessHub hub = new InProcessHub(router))
        {
            final List<TaskAgent> agents = BugfixTeam.start(
                () -> SwitchboardClient.connect(new ClientContext().connection(hub.connect())), receipts);
            try
            {
                return workflows(IN_PROCESS, label, "same process", Priority.NORMAL, hub, () -> takeLocal(receipts));
            }
            finally
            {
                agents.forEach(TaskAgent::close);
            }
        }
        catch (final RuntimeException e)
        {
            return failed(IN_PROCESS, label, "same process", Priority.NORMAL, e);
        }
    }

    private List<OrchestratorResult.WorkflowRun> crossProcess(final List<String> wanted)
    {
        final List<OrchestratorResult.WorkflowRun> runs = new ArrayList<>();
        Path workDir = null;
        Path shmDir = null;
        ChildProcess agents = null;
        try
        {
            workDir = Files.createTempDirectory("switchboard-bench-orchestrator-");
            shmDir = Machine.shmDir("orchestrator");
            final IpcContext ipc = new IpcContext().underDirectory(workDir.resolve("switchboard")).shmDir(shmDir);
            try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
                InProcessHub hub = new InProcessHub(router.router()))
            {
                final BlockingQueue<ChildProcess.Line> lines = ChildProcess.newQueue();
                final List<String> command = new ArrayList<>();
                command.add(Machine.javaBinary());
                command.addAll(Machine.CHILD_JVM_FLAGS);
                command.addAll(DurableQueues.JVM_FLAGS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), TaskAgentsMain.class.getName(),
                    ipc.runtimeDir().toString(), shmDir.toString()));
                final long beforeNs = System.nanoTime();
                agents = ChildProcess.start("agents", command, runDir.resolve("logs").resolve("orchestrator"), lines);
                final String ready = await(agents, lines, "READY ", AGENTS_READY_S);
                final long afterNs = System.nanoTime();
                checkClock(Long.parseLong(ready.substring("READY ".length()).trim()), beforeNs, afterNs);
                final ChildProcess child = agents;
                for (final String id : wanted)
                {
                    final Priority priority = Priority.valueOf(id.substring(PREFIX.length()).toUpperCase());
                    final String label = "agents in another process (3 TaskAgents, 1 JVM), router in the " +
                        "runtime's process, " + priority;
                    console.printf("[orchestrator] %s: %s%n", id, label);
                    try
                    {
                        runs.add(workflows(id, label, "another process", priority, hub,
                            () -> takeFromChild(child, lines, id)));
                    }
                    catch (final RuntimeException e)
                    {
                        runs.add(failed(id, label, "another process", priority, e));
                    }
                }
            }
        }
        catch (final Exception e)
        {
            for (final String id : wanted)
            {
                if (runs.stream().noneMatch(r -> r.id().equals(id)))
                {
                    runs.add(failed(id, "agents in another process", "another process",
                        Priority.valueOf(id.substring(PREFIX.length()).toUpperCase()), e));
                }
            }
        }
        finally
        {
            if (agents != null)
            {
                agents.close();
            }
            Machine.deleteTree(workDir);
            Machine.deleteTree(shmDir);
        }
        return runs;
    }

    /**
     * Both processes must read one clock for a cross-process delta to mean anything: the child's reading, taken
     * after it started, must lie between ours before we started it and after it said so.
     */
    private void checkClock(final long childNs, final long beforeNs, final long afterNs)
    {
        if (childNs < beforeNs || childNs > afterNs)
        {
            throw new IllegalStateException("the agents' System.nanoTime() (" + childNs + ") is not between the " +
                "harness's readings before launching them (" + beforeNs + ") and after they were ready (" + afterNs +
                "): the two processes do not share a clock, so cross-process hand-off times would be meaningless");
        }
        notes.add(String.format("Clock check: the agents' JVM read System.nanoTime() = %,d ns, between the " +
            "harness's readings before launching it (%,d) and after it reported ready (%,d, %.1f s later): both read " +
            "one system-wide clock (CLOCK_MONOTONIC on Linux), so cross-process hand-off deltas are valid.",
            childNs, beforeNs, afterNs, (afterNs - beforeNs) / 1e9));
    }

    private OrchestratorResult.WorkflowRun workflows(
        final String id, final String label, final String placement, final Priority priority, final InProcessHub hub,
        final Supplier<Taken> take)
    {
        final WorkflowDefinition definition = BugfixTeam.workflow();
        int timedOutTasks = 0;
        try
        {
            for (int i = 0; i < settings.warmupWorkflows(); i++)
            {
                timedOutTasks += runOne(definition, hub, id + "-warmup-" + i, priority);
            }
        }
        catch (final IllegalStateException e)
        {
            throw withReceipts(e, take);
        }
        take.get(); // drop the warm-up's samples
        final long startNs = System.nanoTime();
        try
        {
            for (int i = 0; i < settings.workflows(); i++)
            {
                timedOutTasks += runOne(definition, hub, id + "-" + i, priority);
            }
        }
        catch (final IllegalStateException e)
        {
            throw withReceipts(e, take);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final Taken taken = take.get();
        final long tasks = (long)settings.workflows() * definition.tasks().size();
        final Histogram h = taken.histogram();
        final OrchestratorResult.Handoff handoff = new OrchestratorResult.Handoff(h.getTotalCount(), taken.hlog(),
            h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean(), taken.tiers(), taken.negative());
        if (h.getTotalCount() < tasks)
        {
            throw new IllegalStateException(id + ": " + tasks + " tasks completed but the agents recorded only " +
                h.getTotalCount() + " receipts");
        }
        final OrchestratorResult.WorkflowRun run = new OrchestratorResult.WorkflowRun(id, label, placement,
            priority.name(), settings.workflows(), tasks, seconds, settings.workflows() / seconds, tasks / seconds,
            handoff, timedOutTasks, null);
        console.printf("  %-24s %,d workflows in %.2f s: %.1f workflows/s (%,.0f/hour), %.1f tasks/s; hand-off " +
            "p50 %s, p99 %s, max %s (%s)%n", id, run.workflows(), seconds, run.workflowsPerSecond(),
            run.workflowsPerSecond() * 3600, run.tasksPerSecond(), InitiatorDriver.ns(handoff.p50Ns()),
            InitiatorDriver.ns(handoff.p99Ns()), InitiatorDriver.ns(handoff.maxNs()), handoff.tiers());
        if (timedOutTasks > 0)
        {
            console.printf("  %-24s %d task(s) timed out after %s and were re-assigned (warm-up included)%n", id,
                timedOutTasks, TASK_TIMEOUT);
        }
        return run;
    }

    /** What the agents had received by the time a workflow failed: tells a lost work item from a lost report. */
    private static IllegalStateException withReceipts(final IllegalStateException e, final Supplier<Taken> take)
    {
        String received;
        try
        {
            final Taken taken = take.get();
            received = taken.histogram().getTotalCount() + " work items since the last measurement (" +
                (taken.tiers().isEmpty() ? "none" : taken.tiers()) + ")";
        }
        catch (final RuntimeException again)
        {
            received = "unknown (" + again.getMessage() + ")";
        }
        return new IllegalStateException(e.getMessage() + "; the agents had received " + received, e);
    }

    /** @return tasks of the workflow that timed out (and were re-assigned by recovery). */
    private static int runOne(final WorkflowDefinition definition, final InProcessHub hub, final String workflowId,
        final Priority priority)
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final WorkflowRuntime runtime = WorkflowRuntime.builder(definition, hub).workflowId(workflowId)
            .priority(priority).qualityGates(QualityGates.of(java.util.List.of())).taskTimeout(TASK_TIMEOUT)
            .journal(journal)
            .build();
        final RunResult result = runtime.run(WORKFLOW_TIMEOUT);
        if (!result.completed())
        {
            throw new IllegalStateException("workflow " + workflowId + " ended " + result.status() +
                (result.timedOut() ? " (timed out after " + WORKFLOW_TIMEOUT + ")" : "") + ": " +
                result.failureReason() + "; progress " + result.progress().percentComplete() + " %, " +
                runtime.staleReports() + " stale reports");
        }
        return (int)journal.events().stream().filter(e -> e instanceof WorkflowEvent.TaskFailed f &&
            WorkflowRuntime.TASK_TIMEOUT.equals(f.errorKind())).count();
    }

    /** The samples of one measured configuration, written to its hlog. */
    private record Taken(Histogram histogram, String hlog, String tiers, long negative)
    {
    }

    private Taken takeLocal(final HandoffRecorder receipts)
    {
        final HandoffRecorder.Taken taken = receipts.take();
        final String hlog = "hdr/" + IN_PROCESS + ".handoff.hlog";
        try
        {
            HdrLogs.write(taken.histogram(), runDir.resolve(hlog), "handoff");
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot write " + hlog + ": " + e.getMessage(), e);
        }
        return new Taken(taken.histogram(), hlog, taken.tiers(), taken.negative());
    }

    private Taken takeFromChild(final ChildProcess child, final BlockingQueue<ChildProcess.Line> lines,
        final String id)
    {
        final String hlog = "hdr/" + id + ".handoff.hlog";
        try
        {
            child.send("TAKE " + runDir.resolve(hlog).toAbsolutePath());
            final String taken = await(child, lines, "TAKEN ", TAKE_TIMEOUT_S);
            final Map<String, String> kv = GroupRunner.keyValues(taken);
            return new Taken(HdrLogs.read(runDir.resolve(hlog)), hlog, "-".equals(kv.get("tiers")) ? "" :
                kv.get("tiers"), Long.parseLong(kv.get("negative")));
        }
        catch (final IOException | InterruptedException e)
        {
            throw new IllegalStateException("cannot collect the agents' hand-off samples: " + e, e);
        }
    }

    private static String await(final ChildProcess child, final BlockingQueue<ChildProcess.Line> lines,
        final String prefix, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline)
        {
            final ChildProcess.Line line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null)
            {
                continue;
            }
            if (line.isEnd() || line.text().startsWith("ERROR "))
            {
                child.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("the agents' process " + (line.isEnd() ? "exited" : line.text()) +
                    ": " + child.stderrTail());
            }
            if (line.text().startsWith(prefix))
            {
                return line.text();
            }
        }
        throw new IllegalStateException("the agents' process did not answer " + prefix.trim() + " within " +
            timeoutSeconds + " s: " + child.stderrTail());
    }

    private OrchestratorResult.WorkflowRun failed(final String id, final String label, final String placement,
        final Priority priority, final Exception e)
    {
        console.printf("  %-24s failed: %s%n", id, e.getMessage());
        return new OrchestratorResult.WorkflowRun(id, label, placement, priority.name(), 0, 0, 0, 0, 0, null, 0,
            "failed: " + e.getMessage());
    }

    private OrchestratorResult.PlanRun plan()
    {
        console.printf("[orchestrator] %s: analyse + gaps + AGENT_PLAN.md on a generated %,d-file repository, %d " +
            "warm-up + %d measured runs%n", PLAN, settings.planFiles(), settings.planWarmups(), settings.planRuns());
        Path dir = null;
        try
        {
            dir = Files.createTempDirectory("switchboard-bench-plan-");
            final Path repository = dir.resolve("repository");
            final int files = SyntheticRepository.generate(repository, settings.planFiles(), REPOSITORY_SEED);
            final Path out = dir.resolve("plan");
            final WorkflowDefinition workflow = WorkflowTemplates.feature();
            final double[] ms = new double[settings.planRuns()];
            final double[] cpuMs = new double[settings.planRuns()];
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            RepositoryAnalysis analysis = null;
            int gaps = 0;
            for (int i = 0; i < settings.planWarmups() + settings.planRuns(); i++)
            {
                final long startCpuNs = threads.getCurrentThreadCpuTime();
                final long startNs = System.nanoTime();
                analysis = RepositoryAnalyzer.analyze(repository);
                final var found = GapDetector.detect(analysis);
                AgentPlanWriter.writeTo(out, analysis, workflow, found, QualityGates.defaults());
                final long elapsedNs = System.nanoTime() - startNs;
                final long cpuNs = threads.getCurrentThreadCpuTime() - startCpuNs;
                gaps = found.size();
                if (i >= settings.planWarmups())
                {
                    ms[i - settings.planWarmups()] = elapsedNs / 1e6;
                    cpuMs[i - settings.planWarmups()] = cpuNs / 1e6;
                }
            }
            Arrays.sort(ms);
            Arrays.sort(cpuMs);
            final double p50 = ms[(ms.length - 1) / 2];
            final int analysed = analysis.structure().totalFiles();
            final int javaFiles = analysis.structure().byExtension().getOrDefault("java", 0);
            final long planBytes = Files.size(out.resolve(AgentPlanWriter.FILE_NAME));
            final OrchestratorResult.PlanRun run = new OrchestratorResult.PlanRun(files, analysed, javaFiles,
                settings.planWarmups(), settings.planRuns(), p50, ms[ms.length - 1], ms[0],
                cpuMs[(cpuMs.length - 1) / 2], analysed / (p50 / 1e3), gaps, planBytes, null);
            console.printf("  %-24s %,d files: p50 %.0f ms (CPU %.0f ms), max %.0f ms (%,.0f files/s), %d gaps, " +
                "plan %,d B%n", PLAN, analysed, p50, run.p50CpuMs(), run.maxMs(), run.filesPerSecond(), gaps,
                planBytes);
            return run;
        }
        catch (final IOException | RuntimeException e)
        {
            console.printf("  %-24s failed: %s%n", PLAN, e);
            return new OrchestratorResult.PlanRun(settings.planFiles(), 0, 0, settings.planWarmups(),
                settings.planRuns(), 0, 0, 0, 0, 0, 0, 0, "failed: " + e);
        }
        finally
        {
            Machine.deleteTree(dir);
        }
    }
}
