/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.orchestrator.OrchestratorContext;
import dev.switchboard.orchestrator.director.BusDirector;
import dev.switchboard.orchestrator.director.ReportFrequency;
import dev.switchboard.orchestrator.journal.ChronicleJournal;
import dev.switchboard.orchestrator.engine.EventJournal;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.ProgressReport;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.metrics.JournalMetrics;
import dev.switchboard.orchestrator.metrics.MetricsFile;
import dev.switchboard.orchestrator.metrics.RunMetrics;
import dev.switchboard.orchestrator.metrics.SuccessMetrics;
import dev.switchboard.orchestrator.agents.AgentInvocation;
import dev.switchboard.orchestrator.agents.AgentSpec;
import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.agents.AgentsFileException;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.recovery.ContextUnits;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RepositoryContextUnits;
import dev.switchboard.orchestrator.recovery.TaskDecomposer;
import dev.switchboard.orchestrator.runtime.AgentProcesses;
import dev.switchboard.orchestrator.runtime.AgentTaskHandler;
import dev.switchboard.orchestrator.runtime.GitTaskWorkspace;
import dev.switchboard.orchestrator.runtime.SharedTaskWorkspace;
import dev.switchboard.orchestrator.runtime.TaskWorkspace;
import dev.switchboard.orchestrator.runtime.ToolPhaseMeasurer;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workspace.TaskWorktrees;
import dev.switchboard.orchestrator.runtime.CommandTaskHandler;
import dev.switchboard.orchestrator.runtime.ProgressBar;
import dev.switchboard.orchestrator.runtime.Resumption;
import dev.switchboard.orchestrator.runtime.RunResult;
import dev.switchboard.orchestrator.runtime.ScriptedTaskHandler;
import dev.switchboard.orchestrator.runtime.TaskAgent;
import dev.switchboard.orchestrator.runtime.TaskHandler;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs one workflow for a command: checks the {@link RunOptions}; with {@code --agents-file} starts one task agent per
 * named agent (its handler runs the agent's command on the task's prompt, {@link AgentTaskHandler}), else scripted
 * agents that change nothing; gives the tasks a {@link TaskWorkspace} over {@code --repo} (git worktrees, or path
 * locks outside git) and has each finished phase measured with the real tools ({@link ToolPhaseMeasurer}, a reviewer
 * agent for the review gate) against the specification's complete gates; embeds a router (a {@link RouterProcess} in a
 * private runtime directory, so agent processes can reach it over its Unix socket; the runtime itself connects
 * in-process), starts the agents, runs the {@link WorkflowRuntime} with progress bars on standard error, and prints
 * the JSON progress report on standard output. Exit 0 when the workflow completes, 1 when it fails or runs out of
 * time; bad options throw a {@link ParameterException} (exit 2). On SIGINT or SIGTERM ({@link StopSignals}, installed
 * by {@link Main#main}) the run stops where it is: the JSON report of the progress so far, the agents stopped (agent
 * processes get SIGTERM and deregister, then are killed if still there after {@link StopSignals#CHILD_GRACE_MS}),
 * then the router, whose counters are printed; the runtime directory is deleted; exit 130 (SIGINT) or 143 (SIGTERM),
 * since the workflow did not complete (with {@code --journal}, a later run resumes it).
 */
final class WorkflowRun
{
    private final RunOptions options;
    private final CommandLine commandLine;
    private AgentsFile agents;
    private RouterProcess launched;
    private String issuesText = "";
    private TargetArgument target;
    private Measurement targetBefore;
    private WorkflowDefinition definition;

    WorkflowRun(final RunOptions options, final CommandLine commandLine)
    {
        this.options = options;
        this.commandLine = commandLine;
    }

    /**
     * Starts the run's router now, in {@code --router-dir}, before the workflow is known: {@code receive --from}
     * asks the Director for the plan over it. {@link #run} then uses it, and closes it.
     *
     * @return the router.
     * @throws ParameterException without {@code --router-dir}.
     */
    RouterProcess launchRouterEarly()
    {
        if (options.routerDirectory == null)
        {
            throw new ParameterException(commandLine, "the plan is asked for over the bus: give the router's " +
                "directory with --router-dir DIR (the Director connects there: switchboard director --router-dir " +
                "DIR), or the plan with --plan FILE");
        }
        if (launched == null)
        {
            launched = RouterProcess.launch(new RouterContext(), new IpcContext().underDirectory(routerDirectory(
                null)).countersRole(CountersSnapshot.Role.ORCHESTRATOR).countersName("orchestrator"));
        }
        return launched;
    }

    /** Closes a router {@link #launchRouterEarly} started when the run never came to use it. */
    void closeEarlyRouter()
    {
        if (launched != null)
        {
            launched.close();
            launched = null;
        }
    }

    /** Checks the options that need no workflow; throws {@link ParameterException} naming the option. */
    void check()
    {
        checkAgentsOption();
        requireAtLeast("--parallel-tracks", options.parallelTracks, 1);
        requireAtLeast("--timeout", options.timeoutSeconds, 1);
        requireAtLeast("--task-timeout", options.taskTimeoutSeconds, 0);
        requireAtLeast("--task-duration-ms", options.taskDurationMs, 0);
        gates();
        priority();
        requireAtLeast("--director-timeout", options.directorTimeoutSeconds, 1);
        directorDefault();
        reportFrequency();
        if (options.director != null && options.director.isBlank())
        {
            throw new ParameterException(commandLine, "--director needs the Director's agent name, e.g. " +
                BusDirector.DEFAULT_NAME);
        }
        if (options.routerDirectory != null && Files.exists(options.routerDirectory) &&
            !Files.isDirectory(options.routerDirectory))
        {
            throw new ParameterException(commandLine, "--router-dir '" + options.routerDirectory +
                "' exists and is not a directory");
        }
        if (options.journalDirectory != null && Files.exists(options.journalDirectory) &&
            !Files.isDirectory(options.journalDirectory))
        {
            throw new ParameterException(commandLine, "--journal '" + options.journalDirectory +
                "' exists and is not a directory");
        }
        if (!Files.isDirectory(options.repo))
        {
            throw new ParameterException(commandLine, "--repo '" + options.repo + "' is not a directory " +
                "(working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (options.agentsFile != null && (options.agentProcesses || !options.commands.isEmpty()))
        {
            throw new ParameterException(commandLine, "--agents-file names the agents and their commands; it does " +
                "not go with --agent-processes or --command");
        }
        options.measure.toOptions(commandLine);
        if (!options.agentScripts.isEmpty() && !options.agentProcesses)
        {
            throw new ParameterException(commandLine, "--agent-script needs --agent-processes (a scripted crash " +
                "would take this JVM down with it)");
        }
        for (final String name : options.agentScripts.keySet())
        {
            if (!agentNames().contains(name))
            {
                throw new ParameterException(commandLine, "--agent-script names '" + name + "', but the agents are " +
                    agentNames());
            }
        }
    }

    /** @return the names the agents get: agent-1 .. agent-N. */
    List<String> agentNames()
    {
        final List<String> names = new ArrayList<>();
        for (int i = 1; i <= agentCount(); i++)
        {
            names.add("agent-" + i);
        }
        return names;
    }

    /**
     * @param definition the workflow.
     * @param workflowId its instance id.
     * @return the exit code.
     */
    int run(final WorkflowDefinition definition, final String workflowId)
    {
        defaultAgentsFile();
        check();
        final TargetArgument target = TargetArgument.of(options, definition, commandLine);
        final IssuesArgument.Resolved issues = IssuesArgument.resolve(options.issues, options.repo,
            options.issuesFile, commandLine);
        final AgentsFile agentsFile;
        try
        {
            agentsFile = options.agentsFile == null ? null : selectedAgents(AgentsFile.load(options.agentsFile));
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            throw new ParameterException(commandLine, "no agents file '" + options.agentsFile + "' (working " +
                "directory " + Path.of("").toAbsolutePath() + ")");
        }
        catch (final AgentsFileException ex)
        {
            ex.problems().forEach(problem -> commandLine.getErr().println(commandName() + ": " +
                problem));
            commandLine.getErr().flush();
            return ExitCodes.FAILED;
        }
        catch (final IOException ex)
        {
            throw new ParameterException(commandLine, "cannot read --agents-file '" + options.agentsFile + "': " +
                ex.getMessage());
        }
        requireCleanRepository();
        this.agents = agentsFile;
        this.issuesText = issues.text();
        reportIssues(issues);
        final Measurement before = target == null ? null : measureTarget(target, "before the workflow");
        if (target != null && target.baseline() == null && before != null && !before.measured())
        {
            commandLine.getErr().println(commandName() + ": the baseline of " + target.describe() +
                " could not be measured: " + before.note());
            commandLine.getErr().flush();
            return ExitCodes.FAILED;
        }
        this.target = target;
        this.targetBefore = before;
        final List<String> capabilities = new ArrayList<>(new TreeSet<>(
            definition.tasks().stream().map(TaskDefinition::capability).toList()));
        final EventJournal journal = openJournal(definition);
        final Path runtimeDir = tempDirectory();
        RouterProcess router = launched;
        dev.switchboard.monitoring.MonitoringServer monitoring = null;
        try
        {
            if (router == null)
            {
                router = RouterProcess.launch(new RouterContext(), new IpcContext().underDirectory(routerDirectory(
                    runtimeDir)).countersRole(CountersSnapshot.Role.ORCHESTRATOR).countersName(definition.name()));
            }
            else
            {
                router.countersFile().rename(definition.name()); // launched before the workflow was known
            }
            this.definition = definition;
            final WorkflowTracker tracked = new WorkflowTracker(definition, workflowId, journal);
            monitoring = RouterMonitoring.start(router, tracked.view(new KeptSuccessMetrics(metricsPath())),
                commandName(), commandLine.getErr(), commandLine.getErr());
            return run(definition, workflowId, capabilities, tracked, runtimeDir, router);
        }
        finally
        {
            if (monitoring != null)
            {
                monitoring.close();
            }
            if (router != null)
            {
                closeRouter(router);
            }
            if (journal instanceof ChronicleJournal chronicle)
            {
                chronicle.close();
            }
            deleteTree(runtimeDir);
        }
    }

    /** Starts the agents, runs the workflow, and stops the agents before the router goes. */
    private int run(final WorkflowDefinition definition, final String workflowId, final List<String> capabilities,
        final EventJournal journal, final Path runtimeDir, final RouterProcess router)
    {
        final PrintWriter out = commandLine.getOut();
        final PrintWriter err = commandLine.getErr();
        final List<TaskAgent> threads = new ArrayList<>();
        AgentProcesses processes = null;
        TaskWorkspace workspace = null;
        final Path workDir = workDirectory(runtimeDir);
        try
        {
            final InProcessHub hub = new InProcessHub(router.router());
            if (options.agentProcesses)
            {
                final List<AgentProcesses.Spec> specs = new ArrayList<>();
                for (final String name : agentNames())
                {
                    specs.add(new AgentProcesses.Spec(name, capabilities,
                        options.agentScripts.getOrDefault(name, "succeed"), options.taskDurationMs, options.commands));
                }
                err.println("starting " + specs.size() + " agent processes (" + router.ipcContext().socketPath() + ")");
                err.flush();
                processes = AgentProcesses.start(routerDirectory(runtimeDir), runtimeDir.resolve("agents"),
                    options.repo, specs, Duration.ofSeconds(60));
            }
            else if (agents != null)
            {
                for (final AgentSpec agent : agents.agents())
                {
                    threads.add(new TaskAgent(hub, agent.name(), List.copyOf(new TreeSet<>(agent.capabilities())),
                        new AgentTaskHandler(invocation(agent, workDir)), agent.concurrency()).start());
                }
                err.println("agents of " + options.agentsFile + ": " + String.join(", ",
                    agents.agents().stream().map(AgentSpec::name).toList()));
                uncovered(capabilities).ifPresent(err::println);
            }
            else
            {
                final TaskHandler handler = handler();
                for (final String name : agentNames())
                {
                    threads.add(new TaskAgent(hub, name, capabilities, handler).start());
                }
                err.println(agentNames().size() + " scripted agents (no --agents-file): they report success and " +
                    "change nothing, so only gates the repository already passes are passed");
            }
            err.flush();
            final WorkflowRuntime.Builder settings = WorkflowRuntime.builder(definition, hub);
            // the Director runs in another process, which an in-process client cannot reach point to point: the
            // runtime asks it through a second client on the router's socket
            settings.directorConnector(() -> dev.switchboard.ipc.IpcConnection.connect(router.ipcContext()));
            workspace = openWorkspace(workflowId, workDir, settings, err);
            final WorkflowRuntime runtime = settings
                .workflowId(workflowId)
                .qualityGates(gates())
                .agentCapacity(options.parallelTracks)
                .priority(priority())
                .taskTimeout(options.taskTimeoutSeconds == 0 ? null : Duration.ofSeconds(options.taskTimeoutSeconds))
                .journal(journal)
                .resumeListener(this::reportResumption)
                .departureListener(departure ->
                {
                    err.println("agent " + departure + ": its tasks go to other agents");
                    err.flush();
                })
                .progressListener(new ProgressBar(err, false))
                .workspace(workspace)
                .agentCapacities(capacities())
                .runDirectory(workDir)
                .scopeText(options.scope)
                .issuesText(issuesText)
                .facts(WorkflowRun::facts)
                .decomposer(decomposer())
                .measurer(new ToolPhaseMeasurer(options.measure.toOptions(commandLine), reviewer(workDir),
                    workDir))
                .noticeListener(notice ->
                {
                    err.println(notice);
                    err.flush();
                })
                .stopWhen(StopSignals.current()::isStopRequested)
                .reportFrequency(reportFrequency())
                .build();
            directing(settings, err);
            final RunResult result = runtime.run(Duration.ofSeconds(options.timeoutSeconds));
            // a failed workflow's completed phases stay merged (a failed phase is rolled back): measured as well
            final Measurement after = target != null && !result.stopped() ? measureTarget(target,
                result.completed() ? "after the workflow, on the merged repository" :
                    "after the failed workflow, on what it merged") : null;
            ProgressReport report = ProgressReport.of(result.progress())
                .withSuccessMetrics(keepMetrics(journal).toMap());
            if (target != null)
            {
                report = report.withTarget(target.report(targetBefore, after));
            }
            out.println(finalReport(report, runtime));
            out.flush();
            if (result.completed() && target != null)
            {
                return targetOutcome(after);
            }
            if (result.completed())
            {
                return ExitCodes.OK;
            }
            if (result.stopped())
            {
                err.println(commandName() + ": stopped by " + StopSignals.current().reason() + " with " +
                    result.progress().tasksDone() + " of " + result.progress().tasksTotal() + " tasks complete" +
                    (options.journalDirectory == null ? "" : "; run it again on --journal " +
                        options.journalDirectory + " to resume"));
                err.flush();
                return ExitCodes.stopped();
            }
            err.println(commandName() + ": workflow '" + runtime.workflowId() + "' " +
                (result.timedOut() ? "timed out" : "failed") + ": " + result.failureReason());
            err.flush();
            return ExitCodes.FAILED;
        }
        finally
        {
            threads.forEach(TaskAgent::close);
            if (processes != null)
            {
                processes.close();
            }
            if (workspace != null)
            {
                try
                {
                    workspace.close();
                }
                catch (final RuntimeException ex)
                {
                    err.println(commandName() + ": " + ex.getMessage());
                }
            }
            if (agents != null || options.runDirectory != null)
            {
                err.println("prompts, results and logs of every task are in " + workDir);
                err.flush();
            }
        }
    }

    // --- the specification's integration options: agents by name, issues, an optimization target, the metrics

    /**
     * Without --agents-file (and without --agent-processes or --command, which go with scripted agents), the
     * repository's agents.yaml, else the working directory's; none is said on standard error.
     */
    private void defaultAgentsFile()
    {
        if (options.agentsFile != null || options.agentProcesses || !options.commands.isEmpty())
        {
            return;
        }
        for (final Path candidate : List.of(options.repo.resolve(AgentsFile.DEFAULT_FILE),
            Path.of(AgentsFile.DEFAULT_FILE)))
        {
            if (Files.isRegularFile(candidate))
            {
                options.agentsFile = candidate;
                commandLine.getErr().println("agents file: " + candidate.toAbsolutePath().normalize() +
                    " (found; --agents-file FILE to choose another)");
                commandLine.getErr().flush();
                return;
            }
        }
        if (!isAgentCount())
        {
            throw new ParameterException(commandLine, "--agents '" + options.agents + "' names agents, but there " +
                "is no agents file: no --agents-file, and no " + AgentsFile.DEFAULT_FILE + " in " +
                options.repo.toAbsolutePath().normalize() + " nor in " + Path.of("").toAbsolutePath());
        }
    }

    /** --agents is a count, or a comma list of the agents file's names. */
    private void checkAgentsOption()
    {
        if (isAgentCount())
        {
            requireAtLeast("--agents", agentCount(), 1);
        }
        else if (options.agentsFile == null)
        {
            throw new ParameterException(commandLine, "--agents '" + options.agents + "' names agents; that needs " +
                "an agents file (--agents-file FILE, or " + AgentsFile.DEFAULT_FILE + " in the repository)");
        }
    }

    private boolean isAgentCount()
    {
        return options.agents.strip().matches("-?\\d+");
    }

    private int agentCount()
    {
        return isAgentCount() ? Integer.parseInt(options.agents.strip()) : 0;
    }

    /** The agents of the file that --agents names (all of them for a count); an unknown name is a usage error. */
    private AgentsFile selectedAgents(final AgentsFile file)
    {
        if (isAgentCount())
        {
            return file;
        }
        final List<String> known = file.agents().stream().map(AgentSpec::name).toList();
        final List<AgentSpec> selected = new ArrayList<>();
        for (final String raw : options.agents.split(","))
        {
            final String name = raw.strip();
            final AgentSpec agent = file.agents().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new ParameterException(commandLine, "--agents names '" + name + "', which is " +
                    "not an agent of " + options.agentsFile + "; its agents are " + String.join(", ", known)));
            if (!selected.contains(agent))
            {
                selected.add(agent);
            }
        }
        return new AgentsFile(file.source(), selected);
    }

    /** Says where each issue id was found, and which were not. */
    private void reportIssues(final IssuesArgument.Resolved issues)
    {
        if (options.issues.isEmpty())
        {
            return;
        }
        final PrintWriter err = commandLine.getErr();
        err.println("issues " + String.join(", ", options.issues) + " looked up in " + issues.source() +
            (issues.unresolved().isEmpty() ? ": all resolved, in every task's prompt" :
                "; unresolved (the prompts say so): " + String.join(", ", issues.unresolved())));
        err.flush();
    }

    /** Measures the target on the repository as it is now, and says what was measured. */
    private Measurement measureTarget(final TargetArgument measured, final String when)
    {
        final PrintWriter err = commandLine.getErr();
        err.println("measuring " + measured.describe() + " " + when + " ...");
        err.flush();
        Measurement measurement;
        try
        {
            measurement = measured.measure(options.repo);
        }
        catch (final IOException ex)
        {
            measurement = Measurement.notMeasured(dev.switchboard.orchestrator.gates.Metric.P95_RESPONSE_MS,
                "cannot measure: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            measurement = Measurement.notMeasured(dev.switchboard.orchestrator.gates.Metric.P95_RESPONSE_MS,
                "interrupted");
        }
        err.println("  " + when + ": " + measurement);
        err.flush();
        return measurement;
    }

    /** Exit status of a completed workflow held to its target: failed unless the improvement reaches the goal. */
    private int targetOutcome(final Measurement after)
    {
        final Double improvement = target.improvement(targetBefore, after);
        final PrintWriter err = commandLine.getErr();
        if (improvement == null)
        {
            err.println(commandName() + ": " + target.describe() + ": not measured after the " +
                "workflow (" + (after == null ? "nothing ran" : after.note()) + "); the goal is not shown to be met");
            err.flush();
            return ExitCodes.FAILED;
        }
        final String line = String.format(java.util.Locale.ROOT, "%s: improved %.1f %%, goal %.0f %%",
            target.describe(), improvement * 100.0, target.goal() * 100.0);
        if (improvement >= target.goal())
        {
            err.println(line + ": met");
            err.flush();
            return ExitCodes.OK;
        }
        err.println(commandName() + ": " + line + ": NOT met; the workflow fails");
        err.flush();
        return ExitCodes.FAILED;
    }

    /**
     * Computes the run's success metrics from its journal, appends them to the metrics file (a failure to write is
     * said, not fatal: the run's work is done), and returns them.
     */
    private SuccessMetrics keepMetrics(final EventJournal journal)
    {
        final List<WorkflowEvent> events = new ArrayList<>();
        journal.replay(events::add);
        final RunMetrics run = JournalMetrics.of(definition, gates(), events, java.time.Instant.now());
        final MetricsFile file = new MetricsFile(metricsPath());
        try
        {
            file.append(run);
        }
        catch (final IOException | RuntimeException ex)
        {
            commandLine.getErr().println(commandName() + ": cannot keep the run's metrics in " +
                file.path() + ": " + ex.getMessage());
            commandLine.getErr().flush();
        }
        return SuccessMetrics.over(List.of(run));
    }

    /** @return where the runs' success metrics are kept: {@code --metrics-file}, else the default. */
    private Path metricsPath()
    {
        return options.metricsFile != null ? options.metricsFile : new OrchestratorContext().metricsFile();
    }

    /** Each named agent's concurrency, as the tasks it may hold at once; none without an agents file. */
    private Map<String, Integer> capacities()
    {
        final Map<String, Integer> capacities = new LinkedHashMap<>();
        if (agents != null)
        {
            agents.agents().forEach(agent -> capacities.put(agent.name(), agent.concurrency()));
        }
        return capacities;
    }

    /** Worktrees in git (the actions journaled), path locks in a plain directory. */
    private TaskWorkspace openWorkspace(final String workflowId, final Path workDir,
        final WorkflowRuntime.Builder settings, final PrintWriter err)
    {
        if (TaskWorktrees.isInsideGitWorkTree(options.repo))
        {
            err.println("repository " + options.repo.toAbsolutePath().normalize() + " is in git: each task works " +
                "in a worktree of its own, merged at its phase's end");
            return GitTaskWorkspace.open(options.repo, workDir, workflowId, settings.workspaceRecorder());
        }
        err.println("repository " + options.repo.toAbsolutePath().normalize() + " is not in git: tasks share it, " +
            "and tasks whose declared paths could overlap do not run at once");
        return new SharedTaskWorkspace(options.repo);
    }

    /** A task's tracked files must be committed: a task works from the phase's commit, and a rollback resets. */
    private void requireCleanRepository()
    {
        if (!TaskWorktrees.isInsideGitWorkTree(options.repo))
        {
            return;
        }
        try
        {
            final Process git = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                .directory(options.repo.toFile()).redirectErrorStream(true).start();
            final String changes = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor() == 0 && !changes.isEmpty())
            {
                throw new ParameterException(commandLine, "--repo '" + options.repo + "' has uncommitted changes " +
                    "to tracked files; commit or stash them first (the tasks work from the last commit, and a " +
                    "rollback resets to it):\n" + changes);
            }
        }
        catch (final IOException ex)
        {
            throw new ParameterException(commandLine, "cannot run git in '" + options.repo + "': " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ParameterException(commandLine, "interrupted while checking '" + options.repo + "'");
        }
    }

    private AgentInvocation invocation(final AgentSpec agent, final Path workDir)
    {
        final Path agentsDirectory = options.agentsFile.toAbsolutePath().getParent();
        return new AgentInvocation(agent, agentsDirectory, workDir);
    }

    /** The first agent declaring capability review evaluates the review gates; null when none does. */
    private AgentInvocation reviewer(final Path workDir)
    {
        if (agents == null)
        {
            return null;
        }
        return agents.agents().stream().filter(a -> a.capabilities().contains(Capabilities.REVIEW)).findFirst()
            .map(a -> invocation(a, workDir)).orElse(null);
    }

    /** A line naming the capabilities of the workflow that no agent of the file has, if any. */
    private java.util.Optional<String> uncovered(final List<String> capabilities)
    {
        final List<String> missing = new ArrayList<>();
        for (final String capability : capabilities)
        {
            if (agents.agents().stream().noneMatch(a -> a.capabilities().contains(capability)))
            {
                missing.add(capability);
            }
        }
        return missing.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("no agent of " +
            options.agentsFile + " declares " + missing + ": tasks needing it wait (or are skipped in an " +
            "optional phase)");
    }

    /** Splits a task by the files, methods or modules of --repo its context names. */
    private TaskDecomposer decomposer()
    {
        try
        {
            return TaskDecomposer.byContext(new RepositoryContextUnits(RepositoryAnalyzer.analyze(options.repo)),
                TaskDecomposer.DEFAULT_PARTS);
        }
        catch (final IOException | RuntimeException ex)
        {
            return TaskDecomposer.byContext(ContextUnits.NONE, TaskDecomposer.DEFAULT_PARTS);
        }
    }

    /** The analysis facts of a directory, for the prompts; none when the analysis fails. */
    private static AnalysisFacts facts(final Path directory)
    {
        try
        {
            final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(directory);
            return AnalysisFacts.of(analysis, GapDetector.detect(analysis));
        }
        catch (final IOException | RuntimeException ex)
        {
            return AnalysisFacts.NONE;
        }
    }

    /** Closes the embedded router; after a stop, prints its counters (as {@code ./switchboard router} does). */
    private void closeRouter(final RouterProcess router)
    {
        router.close();
        if (StopSignals.current().isStopRequested())
        {
            final PrintWriter err = commandLine.getErr();
            err.println(commandName() + ": embedded router stopped; counters:");
            err.print(router.router().counters().report());
            err.flush();
        }
    }

    /** An in-memory journal, or the Chronicle journal of {@code --journal}, checked to hold this definition. */
    private EventJournal openJournal(final WorkflowDefinition definition)
    {
        if (options.journalDirectory == null)
        {
            return new InMemoryJournal();
        }
        final ChronicleJournal journal;
        try
        {
            journal = ChronicleJournal.open(options.journalDirectory);
        }
        catch (final IllegalStateException ex)
        {
            throw new ParameterException(commandLine, "--journal: " + ex.getMessage(), ex);
        }
        final WorkflowEvent.WorkflowStarted recorded = WorkflowRuntime.recordedStart(journal);
        if (recorded != null && !recorded.definitionName().equals(definition.name()))
        {
            journal.close();
            throw new ParameterException(commandLine, "--journal '" + options.journalDirectory + "' holds workflow '" +
                recorded.workflowId() + "' of definition '" + recorded.definitionName() + "', not '" +
                definition.name() + "'; use another directory or the workflow it holds");
        }
        return journal;
    }

    private void reportResumption(final Resumption resumption)
    {
        commandLine.getErr().println("resuming workflow " + resumption.workflowId() + " from " +
            options.journalDirectory + ": " + resumption.progress().tasksDone() + " of " +
            resumption.progress().tasksTotal() + " tasks already complete");
        commandLine.getErr().flush();
    }

    /** Scripted success for every capability, except those given a command. */
    private TaskHandler handler()
    {
        final TaskHandler scripted = ScriptedTaskHandler.succeeding(java.util.Map.of())
            .takingTime(Duration.ofMillis(options.taskDurationMs));
        if (options.commands.isEmpty())
        {
            return scripted;
        }
        final Map<String, List<String>> shell = new LinkedHashMap<>();
        options.commands.forEach((capability, command) -> shell.put(capability, List.of("sh", "-c", command)));
        final TaskHandler commanded = new CommandTaskHandler(shell, options.repo.toAbsolutePath(),
            Duration.ofHours(2));
        return TaskHandler.byCapability(shell.keySet(), commanded, scripted);
    }

    /**
     * The Director: with --director, an agent on the bus asked without blocking the run (the default decision after
     * --director-timeout); without, every escalation gets the default at once, as a warning says.
     */
    private void directing(final WorkflowRuntime.Builder settings, final PrintWriter err)
    {
        final DirectorDecision.Verdict fallback = directorDefault();
        if (options.director == null)
        {
            err.println("warning: no --director: an escalated task gets the default decision, " + fallback +
                ", at once (--director-default)");
            settings.director(request -> new DirectorDecision(fallback, "the default decision (" + fallback +
                "): no Director on the bus (--director not given); " + request.reason()));
            return;
        }
        settings.busDirector(new BusDirector(options.director.strip(),
            Duration.ofSeconds(options.directorTimeoutSeconds), fallback));
        err.println("escalations go to the Director '" + options.director.strip() + "' (waiting up to " +
            options.directorTimeoutSeconds + " s, then " + fallback + "); reports go to topic '" +
            BusDirector.REPORT_TOPIC + "' at " + options.reportFrequency);
    }

    /** The progress report, with the Director's gate overrides when there are any. */
    private static String finalReport(final ProgressReport progressReport, final WorkflowRuntime runtime)
    {
        final String json = progressReport.toJson();
        final Map<String, WorkflowEvent.GateOverride> overrides = runtime.gateOverrides();
        if (overrides.isEmpty())
        {
            return json;
        }
        try
        {
            final com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
            final com.fasterxml.jackson.databind.node.ObjectNode report =
                (com.fasterxml.jackson.databind.node.ObjectNode)mapper.readTree(json);
            final com.fasterxml.jackson.databind.node.ArrayNode list = report.putArray("gate_overrides");
            for (final WorkflowEvent.GateOverride override : new java.util.TreeMap<>(overrides).values())
            {
                list.addObject().put("gate", override.gate()).put("enforcement", override.enforcement().name())
                    .put("reason", override.reason());
            }
            return mapper.writeValueAsString(report);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot add the gate overrides to the report: " + ex.getMessage(), ex);
        }
    }

    private DirectorDecision.Verdict directorDefault()
    {
        try
        {
            return BusDirector.defaultVerdict(options.directorDefault);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, "--director-default: " + ex.getMessage(), ex);
        }
    }

    private ReportFrequency reportFrequency()
    {
        try
        {
            return ReportFrequency.parse(options.reportFrequency);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, "--report-frequency: " + ex.getMessage(), ex);
        }
    }

    /** --router-dir, created 0700 when missing; else the router's place in the run's private directory. */
    private Path routerDirectory(final Path runtimeDir)
    {
        if (options.routerDirectory == null)
        {
            return runtimeDir.resolve("router");
        }
        final Path dir = options.routerDirectory.toAbsolutePath();
        try
        {
            if (!Files.isDirectory(dir))
            {
                Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            return dir;
        }
        catch (final IOException ex)
        {
            throw new ParameterException(commandLine, "cannot create --router-dir '" + dir + "': " + ex.getMessage());
        }
    }

    QualityGates gates()
    {
        try
        {
            return QualityGates.completeProfile(options.qualityGates);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, "--quality-gates: " + ex.getMessage(), ex);
        }
    }

    /** @return how messages name the command, e.g. {@code switchboard coordinate}. */
    private String commandName()
    {
        return commandLine.getCommandSpec().qualifiedName();
    }

    private Priority priority()
    {
        return switch (options.priority.trim().toLowerCase(Locale.ROOT))
        {
            case "critical" -> Priority.CRITICAL;
            case "high" -> Priority.HIGH;
            case "normal" -> Priority.NORMAL;
            case "low" -> Priority.LOW;
            default -> throw new ParameterException(commandLine,
                "--priority '" + options.priority + "': expected critical, high, normal or low");
        };
    }

    private void requireAtLeast(final String option, final long value, final long minimum)
    {
        if (value < minimum)
        {
            throw new ParameterException(commandLine, option + " must be at least " + minimum + ", was " + value);
        }
    }

    /**
     * Where the tasks' files go: --run-dir; with an agents file a new temporary directory kept after the run (the
     * prompts, results and agents' logs are for the user to read); else one inside the run's runtime directory,
     * removed with it (scripted agents leave nothing worth keeping).
     */
    private Path workDirectory(final Path runtimeDir)
    {
        try
        {
            if (options.runDirectory != null)
            {
                return Files.createDirectories(options.runDirectory).toAbsolutePath();
            }
            return agents != null ? Files.createTempDirectory("switchboard-work-") :
                Files.createDirectories(runtimeDir.resolve("work"));
        }
        catch (final IOException ex)
        {
            throw new ParameterException(commandLine, "cannot create the run directory: " + ex.getMessage());
        }
    }

    private static Path tempDirectory()
    {
        try
        {
            return Files.createTempDirectory("switchboard-run");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a runtime directory: " + ex.getMessage(), ex);
        }
    }

    private static void deleteTree(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ignored)
        {
            // a temporary directory; what cannot be removed now is left to the OS
        }
    }
}
