/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.orchestrator.engine.ChronicleJournal;
import dev.switchboard.orchestrator.engine.EventJournal;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.ProgressReport;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.gates.QualityGates;
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
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard coordinate}: runs a workflow in this JVM, over an embedded router, with {@code --agents} task
 * agents that can each do every capability the workflow needs. Their work is scripted (it succeeds with metrics
 * that pass the gates) unless {@code --command CAPABILITY=CMD} says to run {@code sh -c CMD} in the scope directory
 * for that capability. Progress bars go to standard error, the final JSON progress report to standard output.
 * Exit 0 when the workflow completes, 1 when it fails or runs out of time, 2 on bad arguments.
 *
 * <p>With {@code --journal DIR} every event goes to a Chronicle queue in {@code DIR}; when {@code DIR} already holds
 * a workflow (the orchestrator was killed), the run resumes it from the journal instead of starting again, and
 * completed tasks are not run again.
 */
@Command(name = "switchboard coordinate",
    description = "Run a workflow over an embedded router with task agents; print progress and the JSON report.")
final class CoordinateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    @Option(names = "--workflow", paramLabel = "NAME|FILE", required = true,
        description = "feature, bugfix, optimization, or a .yaml/.yml/.json workflow file")
    private String workflow;

    @Option(names = "--scope", paramLabel = "DIR", defaultValue = ".",
        description = "the directory the work is about; commands run there (default: ${DEFAULT-VALUE})")
    private Path scope;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "3",
        description = "task agents to start (default: ${DEFAULT-VALUE})")
    private int agents;

    @Option(names = "--parallel-tracks", paramLabel = "N", defaultValue = "1",
        description = "tasks each agent may hold at once (default: ${DEFAULT-VALUE})")
    private int parallelTracks;

    @Option(names = "--quality-gates", paramLabel = "PROFILE", defaultValue = "standard",
        description = "strict, standard or lenient (default: ${DEFAULT-VALUE})")
    private String qualityGates;

    @Option(names = "--issues", paramLabel = "LIST", split = ",",
        description = "issue ids this run addresses; recorded in the workflow id")
    private List<String> issues = new ArrayList<>();

    @Option(names = "--priority", paramLabel = "LEVEL", defaultValue = "normal",
        description = "priority of the work items: critical, high, normal or low (default: ${DEFAULT-VALUE})")
    private String priority;

    @Option(names = "--command", paramLabel = "CAPABILITY=CMD",
        description = "run 'sh -c CMD' in the scope for tasks needing CAPABILITY (repeatable); exit 0 succeeds, " +
            "stdout lines 'METRIC NAME VALUE' are its metrics")
    private Map<String, String> commands = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "longest the workflow may run (default: ${DEFAULT-VALUE})")
    private long timeoutSeconds;

    @Option(names = "--task-timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "longest one task may run before it fails and is recovered; 0 for none (default: ${DEFAULT-VALUE})")
    private long taskTimeoutSeconds;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "record every event in a Chronicle queue in DIR; resume the workflow DIR already holds")
    private Path journalDirectory;

    @Option(names = "--task-duration-ms", paramLabel = "MS", defaultValue = "0",
        description = "how long each scripted task takes, for demos and crash tests (default: ${DEFAULT-VALUE})")
    private long taskDurationMs;

    @Override
    public Integer call() throws Exception
    {
        final WorkflowDefinition definition;
        try
        {
            definition = WorkflowArgument.resolve(workflow, spec.commandLine());
        }
        catch (final WorkflowValidationException ex)
        {
            WorkflowArgument.printProblems(ex, spec.commandLine().getErr());
            return Main.EXIT_FAILED;
        }
        final QualityGates gates = gates();
        final Priority workPriority = priority();
        requireAtLeast("--agents", agents, 1);
        requireAtLeast("--parallel-tracks", parallelTracks, 1);
        requireAtLeast("--timeout", timeoutSeconds, 1);
        requireAtLeast("--task-timeout", taskTimeoutSeconds, 0);
        requireAtLeast("--task-duration-ms", taskDurationMs, 0);
        if (journalDirectory != null && Files.exists(journalDirectory) && !Files.isDirectory(journalDirectory))
        {
            throw new ParameterException(spec.commandLine(), "--journal '" + journalDirectory +
                "' exists and is not a directory");
        }
        if (!Files.isDirectory(scope))
        {
            throw new ParameterException(spec.commandLine(), "--scope '" + scope + "' is not a directory " +
                "(working directory " + Path.of("").toAbsolutePath() + ")");
        }
        final List<String> capabilities = new ArrayList<>(new TreeSet<>(
            definition.tasks().stream().map(TaskDefinition::capability).toList()));
        final TaskHandler handler = handler();
        final String workflowId = issues.isEmpty() ? definition.name() :
            definition.name() + "[" + String.join(",", issues) + "]";

        final EventJournal journal = openJournal(definition);
        final Router router = Router.launch(new RouterContext());
        final List<TaskAgent> started = new ArrayList<>();
        try
        {
            final InProcessHub hub = new InProcessHub(router);
            for (int i = 1; i <= agents; i++)
            {
                started.add(new TaskAgent(hub, "agent-" + i, capabilities, handler).start());
            }
            final WorkflowRuntime runtime = WorkflowRuntime.builder(definition, hub)
                .workflowId(workflowId)
                .qualityGates(gates)
                .agentCapacity(parallelTracks)
                .priority(workPriority)
                .taskTimeout(taskTimeoutSeconds == 0 ? null : Duration.ofSeconds(taskTimeoutSeconds))
                .journal(journal)
                .resumeListener(this::reportResumption)
                .progressListener(new ProgressBar(spec.commandLine().getErr(), false))
                .build();
            final RunResult result = runtime.run(Duration.ofSeconds(timeoutSeconds));
            spec.commandLine().getOut().println(ProgressReport.of(result.progress()).toJson());
            spec.commandLine().getOut().flush();
            if (result.completed())
            {
                return Main.EXIT_OK;
            }
            spec.commandLine().getErr().println("switchboard coordinate: workflow '" + runtime.workflowId() + "' " +
                (result.timedOut() ? "timed out" : "failed") + ": " + result.failureReason());
            spec.commandLine().getErr().flush();
            return Main.EXIT_FAILED;
        }
        finally
        {
            started.forEach(TaskAgent::close);
            router.close();
            if (journal instanceof ChronicleJournal chronicle)
            {
                chronicle.close();
            }
        }
    }

    /** An in-memory journal, or the Chronicle journal of {@code --journal}, checked to hold this definition. */
    private EventJournal openJournal(final WorkflowDefinition definition)
    {
        if (journalDirectory == null)
        {
            return new InMemoryJournal();
        }
        final ChronicleJournal journal;
        try
        {
            journal = ChronicleJournal.open(journalDirectory);
        }
        catch (final IllegalStateException ex)
        {
            throw new ParameterException(spec.commandLine(), "--journal: " + ex.getMessage(), ex);
        }
        final WorkflowEvent.WorkflowStarted recorded = WorkflowRuntime.recordedStart(journal);
        if (recorded != null && !recorded.definitionName().equals(definition.name()))
        {
            journal.close();
            throw new ParameterException(spec.commandLine(), "--journal '" + journalDirectory + "' holds workflow '" +
                recorded.workflowId() + "' of definition '" + recorded.definitionName() + "', not '" +
                definition.name() + "'; use another directory or --workflow " + recorded.definitionName());
        }
        return journal;
    }

    private void reportResumption(final Resumption resumption)
    {
        spec.commandLine().getErr().println("resuming workflow " + resumption.workflowId() + " from " +
            journalDirectory + ": " + resumption.progress().tasksDone() + " of " + resumption.progress().tasksTotal() +
            " tasks already complete");
        spec.commandLine().getErr().flush();
    }

    /** Scripted success for every capability, except those given a command. */
    private TaskHandler handler()
    {
        final TaskHandler scripted = ScriptedTaskHandler.succeeding(ScriptedTaskHandler.PASSING_METRICS)
            .takingTime(Duration.ofMillis(taskDurationMs));
        if (commands.isEmpty())
        {
            return scripted;
        }
        final Map<String, List<String>> shell = new LinkedHashMap<>();
        commands.forEach((capability, command) -> shell.put(capability, List.of("sh", "-c", command)));
        final TaskHandler commanded = new CommandTaskHandler(shell, scope.toAbsolutePath(), Duration.ofHours(2));
        return (taskId, capability) -> shell.containsKey(capability) ?
            commanded.handle(taskId, capability) : scripted.handle(taskId, capability);
    }

    private QualityGates gates()
    {
        try
        {
            return QualityGates.profile(qualityGates);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--quality-gates: " + ex.getMessage(), ex);
        }
    }

    private Priority priority()
    {
        return switch (priority.trim().toLowerCase(Locale.ROOT))
        {
            case "critical" -> Priority.CRITICAL;
            case "high" -> Priority.HIGH;
            case "normal" -> Priority.NORMAL;
            case "low" -> Priority.LOW;
            default -> throw new ParameterException(spec.commandLine(),
                "--priority '" + priority + "': expected critical, high, normal or low");
        };
    }

    private void requireAtLeast(final String option, final long value, final long minimum)
    {
        if (value < minimum)
        {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + minimum + ", was " + value);
        }
    }
}
