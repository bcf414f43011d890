/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.orchestrator.director.BusDirector;
import dev.switchboard.orchestrator.director.DirectorCodec;
import dev.switchboard.orchestrator.director.DirectorMessage;
import dev.switchboard.orchestrator.director.ReportFrequency;
import dev.switchboard.orchestrator.engine.EngineCommand;
import dev.switchboard.orchestrator.engine.EngineSnapshot;
import dev.switchboard.orchestrator.engine.EventJournal;
import dev.switchboard.orchestrator.engine.TaskState;
import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import dev.switchboard.orchestrator.recovery.Director;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workspace.WorkspaceAction;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs one workflow over the router. Registers as agent {@value TaskAgent#ORCHESTRATOR}, finds the agents able to do
 * the workflow's capabilities in the registry, and drives a {@link WorkflowEngine} from one loop:
 * <ul>
 *   <li>{@code AssignTask} → the task's place in the {@link TaskWorkspace} (its own git worktree, or the shared
 *       directory once no running task holds paths it could touch: until then the item waits), its complete prompt
 *       ({@link TaskPrompt}: instructions, scope, analysis facts, the outputs of the tasks it depends on) and a run
 *       directory, in a {@link WorkItem} enqueued on {@code tasks.<agent>} (a task timeout starts, if set);</li>
 *   <li>{@code MeasurePhase} → on the measurement thread (the loop keeps serving agents meanwhile): the workspace
 *       merges the phase ({@link TaskWorkspace#endPhase}), and either the conflicts or what the
 *       {@link PhaseMeasurer} measured on a checkout of the merged work come back as {@code PhaseMeasured};</li>
 *   <li>{@code ScheduleRetry} → a timer of the loop that later feeds {@code RetryTimerFired};</li>
 *   <li>{@code EscalateToDirector} → with a {@link BusDirector} (the Director is an agent on the bus), an
 *       {@code escalation} request to it; the loop keeps serving the other tasks, and its {@code decision}, or the
 *       default once the Director's timeout passes, is fed back as {@code DirectorDecided} (a REPLAN also sends the
 *       Director a {@code request} of kind REPLAN); without one, the {@link Director} is called on the loop thread
 *       and its answer fed back at once;</li>
 *   <li>{@code CompleteWorkflow} / {@code FailWorkflow} → the run ends;</li>
 *   <li>a {@link TaskReport} from an agent → {@code TaskStarted}/{@code TaskProgress}/{@code TaskCompleted}/
 *       {@code TaskFailed}, stamped with the runtime's clock; a completed task's work is kept by the workspace
 *       (committed on its branch; its changed files come from git), a failed one's discarded. Reports about an
 *       assignment the runtime no longer holds (another agent or attempt since, e.g. after a timeout) are dropped
 *       and counted.</li>
 * </ul>
 * A {@code guidance} message the Director sends agent {@value TaskAgent#ORCHESTRATOR} is fed as
 * {@code DirectorGuidance} (journaled; one the engine refuses is said in a notice). With a {@link BusDirector}, the
 * Director is also sent a {@code request}: RESOURCES when tasks newly wait for a capable free agent,
 * GATE_EXEMPTION when a phase's blocking gate failed with no remediation left, EMERGENCY when the workflow fails. Reports go to topic {@value BusDirector#REPORT_TOPIC} at the {@link ReportFrequency}.
 * What the workspace does to the repository is journaled ({@code WorkspaceRecorded}). When the workflow fails, the
 * earliest phase that had not passed its gates is rolled back (an executed {@code git reset --hard} to its recorded
 * start), so the repository keeps only work that passed.
 * The runtime watches the registry: when an agent of the workflow deregisters or its lease expires (its process
 * died), the engine is told ({@code AgentDeparted}) and its tasks in hand are recovered on other agents.
 * A task that does not finish within the task timeout fails with error kind {@link #TASK_TIMEOUT}, and recovery
 * takes it from there, and the agent is sent a {@link TaskCancel} that stops the attempt (its process tree). The
 * engine journals every event.
 *
 * <p>Starting from a journal that already holds a workflow (a restart after a crash, or after {@code kill -9}), the
 * runtime does not start a new one: it {@linkplain WorkflowEngine#recover recovers} the engine by replaying the
 * journal, keeps the workflow id recorded there, tells the {@linkplain Builder#resumeListener resume listener},
 * and dispatches what {@link WorkflowEngine#resume()} returns: the work that was in flight is handed out again, to
 * the agents the journal names, and tasks the journal shows complete are never dispatched again.
 *
 * <p>Thread-safety: {@link #run} drives everything on the caller's thread, once per runtime; the progress listener
 * and the Director are called on that thread. Allocation: per message and per engine event.
 */
public final class WorkflowRuntime
{
    /** Error kind of a task that did not finish within the task timeout. */
    public static final String TASK_TIMEOUT = "TASK_TIMEOUT";
    private static final long WAIT_RETRY_MS = 50;

    /** Error kind of a task whose work item could not be enqueued on its agent's queue. */
    public static final String UNREACHABLE = "UNREACHABLE";
    /** Error kind of a task the workspace could not give a place to work, or whose work it could not keep. */
    public static final String WORKSPACE_ERROR = "WORKSPACE_ERROR";
    /** Name prefix of the second client that talks to a Director in another process. */
    public static final String DIRECTOR_LINK = "Orchestrator-director";

    private final Builder settings;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);

    // owned by the run loop thread
    private final ArrayDeque<TaskReport> reports = new ArrayDeque<>();
    private final ArrayDeque<String> departures = new ArrayDeque<>();
    private final Map<String, Long> retryTimers = new LinkedHashMap<>();
    private final Map<String, Assignment> assignments = new HashMap<>();
    private WorkflowEngine engine;
    private String workflowId;
    private SwitchboardClient client;
    private long lastEventMs;
    private int staleReports;
    private String endReason = "";
    private final List<EngineCommand.AssignTask> waiting = new ArrayList<>();
    private final Map<String, String> waitReasons = new HashMap<>();
    private final ConcurrentLinkedQueue<Measured> measured = new ConcurrentLinkedQueue<>();
    private final Map<String, AnalysisFacts> factsByPhase = new HashMap<>();
    private final Set<String> startedPhases = new java.util.LinkedHashSet<>();
    private ExecutorService measuring;
    private long nextWaitRetryMs;
    private final ArrayDeque<DirectorMessage.Guidance> guidance = new ArrayDeque<>();
    private final Set<String> reportedPhases = new java.util.HashSet<>();
    private final Set<String> resourceRequested = new java.util.HashSet<>();
    private int reportedTasksDone = -1;
    private long nextReportMs;
    private int reportsPublished;
    private SwitchboardClient directorClient;

    private record Assignment(String agentName, int attempt, long deadlineMs, WorkItem item)
    {
    }

    /** A phase's merge and measurement, done on the measurement thread, fed to the engine by the loop. */
    private record Measured(String phaseId, Map<String, String> conflicts,
        List<WorkflowEvent.MeasuredMetric> metrics)
    {
    }

    private WorkflowRuntime(final Builder settings)
    {
        this.settings = settings;
    }

    /**
     * @param definition the workflow to run.
     * @param hub        the router, in-process.
     * @return settings for a runtime.
     */
    public static Builder builder(final WorkflowDefinition definition, final InProcessHub hub)
    {
        Objects.requireNonNull(hub, "hub");
        return new Builder(definition, hub::connect);
    }

    /**
     * @param definition the workflow to run.
     * @param connector  opens the runtime's connection to the router, e.g. {@code () -> IpcConnection.connect(ipc)}
     *                   for a router in another process; called once, on the thread that calls {@link #run}.
     * @return settings for a runtime.
     */
    public static Builder builder(final WorkflowDefinition definition,
        final Supplier<? extends RouterConnection> connector)
    {
        return new Builder(definition, connector);
    }

    /**
     * Runs the workflow until it completes, fails, {@code timeout} passes, or {@link Builder#stopWhen} says stop.
     *
     * @param timeout the longest the run may take.
     * @return how it ended.
     * @throws IllegalStateException when called twice, or the router refuses the registration.
     */
    public RunResult run(final Duration timeout)
    {
        if (client != null)
        {
            throw new IllegalStateException("a WorkflowRuntime runs once; this one already ran '" +
                workflowId + "'");
        }
        final WorkflowEvent.WorkflowStarted recorded = recordedStart(settings.journal);
        workflowId = recorded != null ? recorded.workflowId() : settings.workflowId;
        final long deadlineMs = System.currentTimeMillis() + timeout.toMillis();
        client = SwitchboardClient.connect(new ClientContext().requestedLeaseMs(TaskAgent.LEASE_MS)
            .connection(settings.connector.get())
            .listener(new ClientListener()
            {
                @Override
                public void onAgentEvent(final long agentId, final AgentEventKind kind, final String name)
                {
                    if (kind != AgentEventKind.REGISTERED)
                    {
                        departures.addLast(name + " " + kind.name().toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }));
        try (SwitchboardClient owned = client)
        {
            client.register(TaskAgent.ORCHESTRATOR, "orchestration");
            client.watchRegistry();
            final WorkflowEngine.Builder engineSettings = WorkflowEngine.builder(settings.definition)
                .workflowId(workflowId)
                .qualityGates(settings.qualityGates)
                .retryOptions(settings.retryOptions)
                .journal(settings.journal);
            if (settings.decomposer != null)
            {
                engineSettings.decomposer(settings.decomposer);
            }
            if (recorded == null)
            {
                engine = engineSettings
                    .candidates(settings.candidates != null ? settings.candidates : discoverCandidates())
                    .build();
                execute(engine.start(now()));
            }
            else
            {
                // the candidates come from the journal's WorkflowStarted, so replay scores as the first run did
                engine = WorkflowEngine.recover(settings.journal, engineSettings);
                if (settings.workspace instanceof GitTaskWorkspace git)
                {
                    final List<String> adopted = git.adoptUnmerged(settings.journal, engine);
                    if (!adopted.isEmpty())
                    {
                        settings.noticeListener.accept("taken back from the earlier run, to merge at their phase's " +
                            "end: " + adopted);
                    }
                }
                lastEventMs = Math.max(lastEventMs, engine.snapshot().lastEventMs()); // never older than the journal
                settings.resumeListener.accept(new Resumption(workflowId, engine.progress()));
                execute(engine.resume());
            }
            boolean stopped = false;
            while (engine.status() == WorkflowStatus.RUNNING && System.currentTimeMillis() < deadlineMs)
            {
                if (settings.stopWhen.getAsBoolean())
                {
                    stopped = true;
                    break;
                }
                int work = client.poll(this::onMessage);
                work += drainDepartures();
                work += drainReports();
                work += drainMeasured();
                work += drainWorkspaceActions();
                work += fireTimers();
                work += retryWaiting();
                work += drainDirector();
                idle.idle(work);
            }
            final boolean timedOut = engine.status() == WorkflowStatus.RUNNING && !stopped;
            if (timedOut)
            {
                endReason = "workflow '" + workflowId + "' did not finish within " + timeout +
                    "; blocked: " + engine.progress().blocked();
            }
            else if (stopped)
            {
                endReason = "workflow '" + workflowId + "' stopped before it finished";
            }
            if (engine.status() == WorkflowStatus.FAILED)
            {
                rollBackFailedPhase();
                requestDirector(BusDirector.EMERGENCY, "workflow '" + workflowId + "' failed: " + endReason);
            }
            reportAtTheEnd();
            return new RunResult(engine.progress(), timedOut, stopped, endReason);
        }
        finally
        {
            if (measuring != null)
            {
                measuring.shutdownNow(); // a tool still running is stopped
                try
                {
                    measuring.awaitTermination(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            drainWorkspaceActionsAfterTheEnd();
            if (directorClient != null)
            {
                directorClient.close();
            }
        }
    }

    /** @return reports dropped because they named an assignment the runtime no longer held. */
    public int staleReports()
    {
        return staleReports;
    }

    /**
     * @return the workflow instance id: the one recorded in the journal when the run resumed one, else the
     *         configured one; null before {@link #run}.
     */
    public String workflowId()
    {
        return workflowId;
    }

    /**
     * The first {@code WorkflowStarted} of a journal, which names the workflow it holds.
     *
     * @param journal a journal, possibly empty.
     * @return the event, or null when the journal holds no workflow yet.
     */
    public static WorkflowEvent.WorkflowStarted recordedStart(final EventJournal journal)
    {
        final WorkflowEvent.WorkflowStarted[] first = new WorkflowEvent.WorkflowStarted[1];
        journal.replay(event ->
        {
            if (first[0] == null && event instanceof WorkflowEvent.WorkflowStarted started)
            {
                first[0] = started;
            }
        });
        return first[0];
    }

    /** @return the journal the engine records into. */
    public EventJournal journal()
    {
        return settings.journal;
    }

    private List<Candidate> discoverCandidates()
    {
        // every capability, not only the definition's: a failed gate's remediation goes to the specialist of its
        // metric (testing, documentation, ...), who may have no task of the workflow's own
        final Set<String> needed = new TreeSet<>(dev.switchboard.orchestrator.workflow.Capabilities.known());
        for (final TaskDefinition task : settings.definition.tasks())
        {
            needed.add(task.capability());
        }
        final Map<String, Candidate> byName = new LinkedHashMap<>();
        for (final String capability : needed)
        {
            for (final AgentInfo agent : client.lookupByCapability(capability))
            {
                if (!TaskAgent.ORCHESTRATOR.equals(agent.name()))
                {
                    byName.putIfAbsent(agent.name(), new Candidate(agent.name(), agent.agentId(),
                        Set.copyOf(agent.capabilities()), 0,
                        settings.agentCapacities.getOrDefault(agent.name(), settings.agentCapacity), 0, 0));
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    private void onMessage(final Message message)
    {
        if (message.pattern() != Pattern.SEND)
        {
            return;
        }
        final byte[] payload = message.payloadBytes();
        if (DirectorCodec.fromBytes(payload) instanceof DirectorMessage.Guidance sent)
        {
            guidance.addLast(sent); // fed to the engine after poll returns, like the reports
            return;
        }
        final TaskReport report = TaskReport.fromBytes(payload);
        if (report != null)
        {
            reports.addLast(report); // fed to the engine after poll returns, outside the client's callback
        }
    }

    private int drainReports()
    {
        int work = 0;
        TaskReport report;
        while (engine.status() == WorkflowStatus.RUNNING && (report = reports.pollFirst()) != null)
        {
            work++;
            final Assignment held = assignments.get(report.taskId());
            if (held == null || !held.agentName().equals(report.agentName()) || held.attempt() != report.attempt() ||
                !workflowId.equals(report.workflowId()))
            {
                staleReports++;
                continue;
            }
            final WorkflowEvent event = switch (report.kind())
            {
                case STARTED -> new WorkflowEvent.TaskStarted(now(), report.taskId());
                case PROGRESS -> new WorkflowEvent.TaskProgress(now(), report.taskId(),
                    Math.clamp(report.percent(), 0, 100));
                case COMPLETED -> completed(report);
                case FAILED ->
                {
                    settings.noticeListener.accept(report.agentName() + " failed " + report.taskId() + " (attempt " +
                        report.attempt() + ", " + report.errorKind() + "): " + ToolPhaseMeasurer.firstLine(report.message()));
                    discard(report.taskId(), report.agentName() + " failed: " + report.errorKind());
                    yield new WorkflowEvent.TaskFailed(now(), report.taskId(),
                        report.errorKind().isBlank() ? "UNKNOWN" : report.errorKind(), report.message());
                }
            };
            if (report.kind() == TaskReport.Kind.COMPLETED || report.kind() == TaskReport.Kind.FAILED)
            {
                assignments.remove(report.taskId());
            }
            feed(event);
        }
        return work;
    }

    /** Keeps a completed task's work (committed on its branch) and says what it changed. */
    private WorkflowEvent completed(final TaskReport report)
    {
        List<String> changed = report.changedFiles();
        if (settings.workspace != null)
        {
            try
            {
                changed = settings.workspace.finish(report.taskId(), report.agentName()).orElse(changed);
            }
            catch (final RuntimeException ex)
            {
                discard(report.taskId(), "its work could not be kept");
                return new WorkflowEvent.TaskFailed(now(), report.taskId(), WORKSPACE_ERROR, "the work of " +
                    report.agentName() + " on " + report.taskId() + " could not be kept: " + ex.getMessage());
            }
        }
        return new WorkflowEvent.TaskCompleted(now(), report.taskId(), report.typedMetrics(),
            new TaskOutput(report.taskId(), report.summary(), changed, report.artifacts()));
    }

    private void discard(final String taskId, final String reason)
    {
        if (settings.workspace != null)
        {
            try
            {
                settings.workspace.discard(taskId, reason);
            }
            catch (final RuntimeException ex)
            {
                settings.noticeListener.accept("could not discard the work of " + taskId + ": " + ex.getMessage());
            }
        }
    }

    /** Merges and measures a finished phase off the loop thread; the result comes back through {@link #measured}. */
    private void measure(final EngineCommand.MeasurePhase command)
    {
        final var phase = settings.definition.phase(command.phaseId()).orElseThrow();
        final Map<String, TaskOutput> outputs = new LinkedHashMap<>();
        engine.outputs().forEach((id, output) ->
        {
            if (engine.task(id).phase().id().equals(command.phaseId()))
            {
                outputs.put(id, output);
            }
        });
        settings.noticeListener.accept("phase " + command.phaseId() + " done" + (command.round() > 1 ? " again" : "") +
            ": " + (settings.workspace instanceof GitTaskWorkspace ? "merging its tasks, then " : "") +
            (command.metrics().isEmpty() ? "no gate to measure" : "measuring " + new TreeSet<>(command.metrics())));
        if (settings.workspace == null && command.metrics().isEmpty())
        {
            measured.add(new Measured(command.phaseId(), Map.of(), List.of())); // nothing to merge or measure
            return;
        }
        if (measuring == null)
        {
            measuring = Executors.newSingleThreadExecutor(r -> new Thread(r, "measure-" + workflowId));
        }
        measuring.submit(() ->
        {
            Map<String, String> conflicts = Map.of();
            List<WorkflowEvent.MeasuredMetric> metrics;
            final String checkout = command.phaseId() + "-" + command.round();
            try
            {
                if (settings.workspace != null)
                {
                    conflicts = settings.workspace.endPhase(command.phaseId());
                }
                if (!conflicts.isEmpty())
                {
                    metrics = List.of();
                }
                else if (command.metrics().isEmpty())
                {
                    metrics = List.of();
                }
                else
                {
                    final Path tree = settings.workspace == null ? Path.of("").toAbsolutePath() :
                        settings.workspace.checkout(checkout);
                    try
                    {
                        metrics = settings.measurer.measure(new PhaseMeasurer.Request(settings.definition.name(),
                            command.phaseId(), phase.name(), command.round(), tree, command.metrics(), outputs,
                            settings.scopeText, phase.performanceCommand()));
                    }
                    finally
                    {
                        if (settings.workspace != null)
                        {
                            settings.workspace.release(checkout);
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                return null; // the run is over
            }
            catch (final RuntimeException ex)
            {
                metrics = PhaseMeasurer.notMeasured(command.metrics(), "the phase could not be merged or " +
                    "measured: " + ex.getMessage());
            }
            measured.add(new Measured(command.phaseId(), conflicts, metrics));
            return null;
        });
    }

    private int drainMeasured()
    {
        int work = 0;
        Measured result;
        while (engine.status() == WorkflowStatus.RUNNING && (result = measured.poll()) != null)
        {
            work++;
            if (!result.conflicts().isEmpty())
            {
                settings.noticeListener.accept("phase " + result.phaseId() + ": merge conflicts, the tasks run " +
                    "again from the merged head: " + result.conflicts());
            }
            if (!result.metrics().isEmpty())
            {
                final StringBuilder text = new StringBuilder("phase " + result.phaseId() + " measured on its merged " +
                    "work:");
                for (final WorkflowEvent.MeasuredMetric m : result.metrics())
                {
                    text.append("\n  ").append(m.metric()).append(": ").append(m.value() == null ? "not measured" :
                        m.metric().format(m.value())).append(" (").append(m.note()).append(')');
                }
                settings.noticeListener.accept(text.toString());
            }
            feed(new WorkflowEvent.PhaseMeasured(now(), result.phaseId(), result.conflicts(), result.metrics()));
        }
        return work;
    }

    private int drainWorkspaceActions()
    {
        int work = 0;
        WorkspaceAction action;
        while (engine.status() == WorkflowStatus.RUNNING && (action = settings.actions.poll()) != null)
        {
            work++;
            feed(recorded(action));
        }
        return work;
    }

    /** Actions done after the engine stopped (a rollback, the worktrees removed) go to the journal directly. */
    private void drainWorkspaceActionsAfterTheEnd()
    {
        WorkspaceAction action;
        while ((action = settings.actions.poll()) != null)
        {
            if (engine != null)
            {
                settings.journal.append(recorded(action));
            }
        }
    }

    private WorkflowEvent.WorkspaceRecorded recorded(final WorkspaceAction action)
    {
        return switch (action)
        {
            case WorkspaceAction.PhaseStarted a -> new WorkflowEvent.WorkspaceRecorded(now(), "PhaseStarted",
                a.phaseId(), "", a.commit(), "on branch " + a.branch());
            case WorkspaceAction.TaskStarted a -> new WorkflowEvent.WorkspaceRecorded(now(), "TaskStarted",
                a.phaseId(), a.taskId(), "", "worktree " + a.directory() + " on branch " + a.branch());
            case WorkspaceAction.TaskCommitted a -> new WorkflowEvent.WorkspaceRecorded(now(), "TaskCommitted", "",
                a.taskId(), a.commit(), a.changed() ? "by " + a.agentName() : "by " + a.agentName() + ", no change");
            case WorkspaceAction.TaskMerged a -> new WorkflowEvent.WorkspaceRecorded(now(), "TaskMerged", "",
                a.taskId(), a.mergeCommit(), "merged " + a.taskCommit());
            case WorkspaceAction.MergeAborted a -> new WorkflowEvent.WorkspaceRecorded(now(), "MergeAborted", "",
                a.conflict().taskId(), "", a.conflict().message());
            case WorkspaceAction.TaskDiscarded a -> new WorkflowEvent.WorkspaceRecorded(now(), "TaskDiscarded", "",
                a.taskId(), "", a.reason());
            case WorkspaceAction.RolledBack a -> new WorkflowEvent.WorkspaceRecorded(now(), "RolledBack",
                a.phaseId(), "", a.toCommit(), "git reset --hard " + a.toCommit() + " (was " + a.fromCommit() +
                "); discarded " + a.discarded());
        };
    }

    /** After a failure: the earliest phase that started here and did not pass is undone in the repository. */
    private void rollBackFailedPhase()
    {
        if (settings.workspace == null || !settings.rollbackOnFailure)
        {
            return;
        }
        for (final String phaseId : startedPhases)
        {
            if (engine.gateState(phaseId) != GateState.PASSED)
            {
                try
                {
                    settings.workspace.rollback(phaseId).ifPresent(done ->
                    {
                        endReason = endReason + "; phase " + phaseId + " rolled back: " + done;
                        settings.noticeListener.accept("rolled phase " + phaseId + " back: " + done);
                    });
                }
                catch (final RuntimeException ex)
                {
                    endReason = endReason + "; rolling phase " + phaseId + " back failed: " + ex.getMessage();
                }
                return;
            }
        }
    }

    /** Tries the items that wait for a path lock again, every {@value #WAIT_RETRY_MS} ms. */
    private int retryWaiting()
    {
        final long nowMs = System.currentTimeMillis();
        if (waiting.isEmpty() || nowMs < nextWaitRetryMs)
        {
            return 0;
        }
        nextWaitRetryMs = nowMs + WAIT_RETRY_MS;
        final List<EngineCommand.AssignTask> again = new ArrayList<>(waiting);
        waiting.clear();
        int work = 0;
        final EngineSnapshot snapshot = engine.snapshot();
        for (final EngineCommand.AssignTask assign : again)
        {
            final EngineSnapshot.TaskSnapshot task = snapshot.task(assign.taskId());
            if (engine.status() != WorkflowStatus.RUNNING || task.state() != TaskState.ASSIGNED ||
                !assign.agentName().equals(task.agentName()) || task.attempt() != assign.attempt())
            {
                continue; // given to someone else since, or the run ended
            }
            final int before = waiting.size();
            assign(assign);
            work += waiting.size() > before ? 0 : 1;
        }
        return work;
    }

    private int drainDepartures()
    {
        int work = 0;
        String departure;
        while (engine.status() == WorkflowStatus.RUNNING && (departure = departures.pollFirst()) != null)
        {
            work++;
            final int space = departure.indexOf(' ');
            final String name = departure.substring(0, space);
            if (!isCandidate(name))
            {
                continue; // not an agent of this workflow
            }
            assignments.entrySet().removeIf(entry ->
            {
                if (entry.getValue().agentName().equals(name))
                {
                    discard(entry.getKey(), name + " departed");
                    return true;
                }
                return false;
            });
            waiting.removeIf(assign -> assign.agentName().equals(name));
            settings.departureListener.accept(departure);
            feed(new WorkflowEvent.AgentDeparted(now(), name, departure.substring(space + 1)));
        }
        return work;
    }

    private boolean isCandidate(final String name)
    {
        return engine.candidates().stream().anyMatch(c -> c.name().equals(name));
    }

    private int fireTimers()
    {
        final long nowMs = System.currentTimeMillis();
        final List<String> due = new ArrayList<>();
        retryTimers.forEach((taskId, atMs) ->
        {
            if (atMs <= nowMs)
            {
                due.add(taskId);
            }
        });
        final List<String> overdue = new ArrayList<>();
        assignments.forEach((taskId, a) ->
        {
            if (a.deadlineMs() <= nowMs)
            {
                overdue.add(taskId);
            }
        });
        for (final String taskId : due)
        {
            retryTimers.remove(taskId);
            if (engine.status() == WorkflowStatus.RUNNING)
            {
                feed(new WorkflowEvent.RetryTimerFired(now(), taskId));
            }
        }
        for (final String taskId : overdue)
        {
            final Assignment a = assignments.remove(taskId);
            settings.noticeListener.accept(a.agentName() + " did not finish " + taskId + " (attempt " + a.attempt() +
                ") within " + settings.taskTimeout + ": " + TASK_TIMEOUT + "; the attempt is cancelled on its agent");
            cancel(a);
            discard(taskId, "timed out");
            if (engine.status() == WorkflowStatus.RUNNING)
            {
                feed(new WorkflowEvent.TaskFailed(now(), taskId, TASK_TIMEOUT, a.agentName() + " did not finish " +
                    taskId + " (attempt " + a.attempt() + ") within " + settings.taskTimeout));
            }
        }
        return due.size() + overdue.size();
    }

    /** Tells the agent to stop an attempt the runtime gave up on, so its retry does not wait behind it. */
    private void cancel(final Assignment assignment)
    {
        final byte[] bytes = TaskCancel.of(assignment.item()).toBytes();
        final int status = client.send(assignment.agentName(), Priority.NORMAL, Json.buffer(bytes), 0, bytes.length);
        if (status != OfferStatus.OK)
        {
            settings.noticeListener.accept("could not cancel " + assignment.item().taskId() + " on " +
                assignment.agentName() + " (send returned " + status + "); its next item waits for it");
        }
    }

    private void feed(final WorkflowEvent event)
    {
        try
        {
            execute(engine.onEvent(event));
        }
        catch (final IllegalArgumentException ex)
        {
            staleReports++; // does not fit the task's state any more (e.g. a late report); the engine is unchanged
        }
    }

    private void execute(final List<EngineCommand> first)
    {
        final ArrayDeque<EngineCommand> commands = new ArrayDeque<>(first);
        EngineCommand command;
        while ((command = commands.pollFirst()) != null)
        {
            switch (command)
            {
                case EngineCommand.AssignTask assign -> assign(assign);
                case EngineCommand.ScheduleRetry retry -> retryTimers.put(retry.taskId(), retry.atMs());
                case EngineCommand.MeasurePhase measure -> measure(measure);
                case EngineCommand.EvaluateGates gates -> noticeGates(gates.phaseId());
                case EngineCommand.EscalateToDirector escalate ->
                {
                    final String taskId = escalate.request().failure().taskId();
                    if (settings.busDirector != null)
                    {
                        settings.noticeListener.accept(taskId + " escalated to the Director '" +
                            settings.busDirector.name() + "' (waiting up to " +
                            settings.busDirector.timeout().toSeconds() + " s): " + escalate.request().reason());
                        settings.busDirector.escalate(directorClient(), workflowId, escalate.request());
                    }
                    else
                    {
                        final DirectorDecision decision = settings.director.escalate(escalate.request());
                        noticeDecision(taskId, decision);
                        commands.addAll(engine.onEvent(new WorkflowEvent.DirectorDecided(now(), taskId, decision)));
                    }
                }
                case EngineCommand.CompleteWorkflow complete -> endReason = "";
                case EngineCommand.FailWorkflow fail -> endReason = fail.reason();
            }
        }
        final Progress progress = engine.progress();
        settings.progressListener.accept(progress);
        reportAfterChange(progress);
        requestResources(progress);
    }

    // ------------------------------------------------------------------------------------------------ Director

    /** Feeds the Director's decisions and guidance that came in; sends reports that are due by the clock. */
    private int drainDirector()
    {
        int work = 0;
        if (directorClient != null)
        {
            work += directorClient.poll(message -> { }); // answers come through the BusDirector's response handler
        }
        if (settings.busDirector != null)
        {
            BusDirector.Decided decided;
            while (engine.status() == WorkflowStatus.RUNNING && (decided = settings.busDirector.pollDecided()) != null)
            {
                work++;
                noticeDecision(decided.taskId(), decided.decision());
                feed(new WorkflowEvent.DirectorDecided(now(), decided.taskId(), decided.decision()));
            }
        }
        DirectorMessage.Guidance sent;
        while (engine.status() == WorkflowStatus.RUNNING && (sent = guidance.pollFirst()) != null)
        {
            work++;
            try
            {
                final WorkflowEvent.DirectorGuidance event = DirectorCodec.guidance(now(), sent);
                execute(engine.onEvent(event));
                settings.noticeListener.accept("guidance from the Director applied: " + describe(event));
            }
            catch (final IllegalArgumentException ex)
            {
                settings.noticeListener.accept("guidance from the Director refused: " + ex.getMessage());
            }
        }
        if (settings.reportFrequency.kind() == ReportFrequency.Kind.PERIODIC && engine.status() ==
            WorkflowStatus.RUNNING && System.currentTimeMillis() >= nextReportMs)
        {
            nextReportMs = System.currentTimeMillis() + settings.reportFrequency.every().toMillis();
            publishReport(engine.progress());
            work++;
        }
        return work;
    }

    private static String describe(final WorkflowEvent.DirectorGuidance guidance)
    {
        final List<String> parts = new ArrayList<>();
        guidance.gateOverrides().forEach(o -> parts.add("gate " + o.gate() + " " + o.enforcement() + " (" +
            o.reason() + ")"));
        if (guidance.maxParallelTasks() != null)
        {
            parts.add("at most " + guidance.maxParallelTasks() + " tasks at once");
        }
        if (guidance.parallelExecution() != null)
        {
            parts.add("parallel execution " + (guidance.parallelExecution() ? "on" : "off"));
        }
        if (!guidance.priorities().isEmpty())
        {
            parts.add("priorities " + new java.util.TreeMap<>(guidance.priorities()));
        }
        guidance.riskNotes().forEach(note -> parts.add("risk: " + note));
        return parts.isEmpty() ? "nothing to change" : String.join("; ", parts);
    }

    private void noticeDecision(final String taskId, final DirectorDecision decision)
    {
        settings.noticeListener.accept("the Director decided " + decision.verdict() +
            (decision.agent().isEmpty() ? "" : " " + decision.agent()) + " for " + taskId +
            (decision.note().isEmpty() ? "" : ": " + decision.note()));
        if (decision.verdict() == DirectorDecision.Verdict.REPLAN)
        {
            requestDirector(BusDirector.REPLAN, "task '" + taskId + "' returns to the queue with every agent " +
                "allowed; send guidance to change the plan: " + decision.note());
        }
    }

    /** Reports due after an engine change: a phase passed (PHASE) or a task finished (TASK). */
    private void reportAfterChange(final Progress progress)
    {
        switch (settings.reportFrequency.kind())
        {
            case PHASE ->
            {
                boolean passed = false;
                for (final Map.Entry<String, GateState> gate : progress.gates().entrySet())
                {
                    passed |= gate.getValue() == GateState.PASSED && reportedPhases.add(gate.getKey());
                }
                if (passed)
                {
                    publishReport(progress);
                }
            }
            case TASK ->
            {
                if (reportedTasksDone >= 0 && progress.tasksDone() > reportedTasksDone)
                {
                    publishReport(progress);
                }
                reportedTasksDone = progress.tasksDone();
            }
            default ->
            {
            }
        }
    }

    /** The last report: the only one on completion; after a failure or a stop for the others. */
    private void reportAtTheEnd()
    {
        final Progress progress = engine.progress();
        final boolean last = switch (settings.reportFrequency.kind())
        {
            case NONE -> false;
            case ON_COMPLETION, PERIODIC -> true;
            case PHASE, TASK -> progress.status() != WorkflowStatus.COMPLETED; // a completion was reported already
        };
        if (last)
        {
            publishReport(progress);
        }
    }

    private void publishReport(final Progress progress)
    {
        final DirectorMessage.Report report = BusDirector.report(workflowId, progress,
            engine.gateOverrides().values(), engine.riskNotes());
        final byte[] bytes = DirectorCodec.toBytes(report);
        final int status = client.publish(NameIds.of(BusDirector.REPORT_TOPIC), Priority.NORMAL, Json.buffer(bytes),
            0, bytes.length);
        if (status == OfferStatus.OK)
        {
            reportsPublished++;
        }
        else
        {
            settings.noticeListener.accept("the report to the Director was not published: publish returned " +
                OfferStatus.name(status));
        }
    }

    /** Asks the Director for resources when tasks newly wait for a capable free agent. */
    private void requestResources(final Progress progress)
    {
        if (settings.busDirector == null)
        {
            return;
        }
        final List<String> waitingForAgents = new ArrayList<>();
        for (final Progress.BlockedTask blocked : progress.blocked())
        {
            if (blocked.cause() == Progress.Cause.NO_AGENT && resourceRequested.add(blocked.taskId()))
            {
                waitingForAgents.add(blocked.taskId() + " needs '" + blocked.capability() + "': " + blocked.detail());
            }
        }
        if (!waitingForAgents.isEmpty())
        {
            requestDirector(BusDirector.RESOURCES, String.join("; ", waitingForAgents));
        }
    }

    private void requestDirector(final String kind, final String detail)
    {
        if (settings.busDirector == null)
        {
            return;
        }
        final int status = settings.busDirector.send(directorClient(), new DirectorMessage.Request(kind, workflowId,
            detail));
        settings.noticeListener.accept("request " + kind + " to the Director" + (status == OfferStatus.OK ? "" :
            " not delivered (" + OfferStatus.name(status) + ")") + ": " + detail);
    }

    /**
     * The client that talks to the Director: the runtime's own, or with a {@link Builder#directorConnector} a
     * second one, registered as {@value #DIRECTOR_LINK}, opened on first use and closed with the run.
     */
    private SwitchboardClient directorClient()
    {
        if (settings.directorConnector == null)
        {
            return client;
        }
        if (directorClient == null)
        {
            directorClient = SwitchboardClient.connect(new ClientContext().requestedLeaseMs(TaskAgent.LEASE_MS)
                .connection(settings.directorConnector.get()));
            directorClient.register(DIRECTOR_LINK + "." + workflowId, "orchestration");
        }
        return directorClient;
    }

    /** @return the reports published to the Director so far. */
    public int reportsPublished()
    {
        return reportsPublished;
    }

    /** @return the Director's gate overrides in force at the end of the run (empty before it). */
    public Map<String, WorkflowEvent.GateOverride> gateOverrides()
    {
        return engine == null ? Map.of() : engine.gateOverrides();
    }

    private void noticeGates(final String phaseId)
    {
        final GateState state = engine.gateState(phaseId);
        final List<String> remediation = engine.remediationTasks(phaseId);
        settings.noticeListener.accept("phase " + phaseId + " gates " + (state == GateState.PASSED ? "PASSED" :
            "FAILED") + ":\n  " + engine.gateSummary(phaseId).replace("\n", "\n  ") +
            (state == GateState.PASSED || remediation.isEmpty() ? "" : "\n  remediation tasks: " + remediation));
        if (state == GateState.FAILED && !engine.gateRemediating(phaseId))
        {
            requestDirector(BusDirector.GATE_EXEMPTION, "phase " + phaseId + ": " +
                engine.gateSummary(phaseId).replace('\n', ' '));
        }
    }

    private void assign(final EngineCommand.AssignTask assign)
    {
        final WorkflowEngine.PlacedTask placed = engine.task(assign.taskId());
        Path workDirectory = settings.workspace == null ? null : settings.workspace.root();
        if (settings.workspace != null)
        {
            final TaskWorkspace.Start start;
            try
            {
                start = settings.workspace.start(placed.phase().id(), placed.definition());
            }
            catch (final RuntimeException ex)
            {
                reports.addLast(new TaskReport(TaskReport.Kind.FAILED, workflowId, assign.taskId(),
                    assign.agentName(), assign.attempt(), 0, Map.of(), WORKSPACE_ERROR,
                    "no place to work on " + assign.taskId() + ": " + ex.getMessage()));
                assignments.put(assign.taskId(), new Assignment(assign.agentName(), assign.attempt(), Long.MAX_VALUE,
                    new WorkItem(workflowId, assign.taskId(), assign.capability(), assign.attempt())));
                return;
            }
            if (start instanceof TaskWorkspace.Waiting wait)
            {
                waiting.add(assign);
                if (!wait.reason().equals(waitReasons.put(assign.taskId(), wait.reason())))
                {
                    settings.noticeListener.accept(assign.taskId() + " waits: " + wait.reason());
                }
                return;
            }
            waitReasons.remove(assign.taskId());
            workDirectory = ((TaskWorkspace.Ready) start).directory();
            startedPhases.add(placed.phase().id());
        }
        final WorkItem item = workItem(assign, placed, workDirectory);
        final long deadlineMs = settings.taskTimeout == null ? Long.MAX_VALUE :
            System.currentTimeMillis() + settings.taskTimeout.toMillis();
        assignments.put(assign.taskId(), new Assignment(assign.agentName(), assign.attempt(), deadlineMs, item));
        final byte[] bytes = item.toBytes();
        final SegmentBuffer buffer = Json.buffer(bytes);
        final long queueId = NameIds.of(WorkItem.queueOf(assign.agentName()));
        int status;
        while ((status = client.enqueue(queueId, settings.priority, buffer, 0, bytes.length)) ==
            OfferStatus.BACK_PRESSURED)
        {
            client.keepAlive();
            Thread.onSpinWait();
        }
        if (status != OfferStatus.OK)
        {
            // the agent cannot be reached: a failure recovery can act on at once
            reports.addLast(new TaskReport(TaskReport.Kind.FAILED, workflowId, assign.taskId(),
                assign.agentName(), assign.attempt(), 0, Map.of(), UNREACHABLE,
                "enqueue on " + WorkItem.queueOf(assign.agentName()) + " returned " + status));
        }
    }

    /** The item: the task's prompt (rendered now, with the outputs so far) and where to work and keep its files. */
    private WorkItem workItem(final EngineCommand.AssignTask assign, final WorkflowEngine.PlacedTask placed,
        final Path workDirectory)
    {
        if (settings.runDirectory == null)
        {
            return new WorkItem(workflowId, assign.taskId(), assign.capability(), assign.attempt());
        }
        final Path repository = workDirectory != null ? workDirectory : settings.runDirectory;
        final AnalysisFacts facts = factsByPhase.computeIfAbsent(placed.phase().id(),
            phase -> settings.facts.apply(repository));
        final String prompt = TaskPrompt.render(settings.definition.name(), placed.definition(),
            new TaskPrompt.Scope(settings.scopeText, repository, settings.issuesText), facts, engine.outputs()).text();
        final Path runDirectory = settings.runDirectory.resolve("tasks").resolve(safe(assign.taskId()))
            .resolve(assign.attempt() + "-" + safe(assign.agentName()) + "-" + System.currentTimeMillis());
        try
        {
            Files.createDirectories(runDirectory);
        }
        catch (final IOException ex)
        {
            settings.noticeListener.accept("cannot create " + runDirectory + ": " + ex.getMessage());
        }
        return new WorkItem(workflowId, assign.taskId(), assign.capability(), assign.attempt(), prompt,
            repository.toString(), runDirectory.toString());
    }

    private static String safe(final String name)
    {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Engine timestamps never go backwards, even if the wall clock does. */
    private long now()
    {
        lastEventMs = Math.max(lastEventMs, settings.clock.getAsLong());
        return lastEventMs;
    }

    /** The runtime's settings; not thread-safe. */
    public static final class Builder
    {
        private final WorkflowDefinition definition;
        private final Supplier<? extends RouterConnection> connector;
        private String workflowId;
        private QualityGates qualityGates = QualityGates.defaults();
        private RetryOptions retryOptions = RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50)).build();
        private Director director = request -> DirectorDecision.abort("no Director configured: " + request.reason());
        private EventJournal journal = new InMemoryJournal();
        private LongSupplier clock = System::currentTimeMillis;
        private Duration taskTimeout;
        private int agentCapacity = 1;
        private Map<String, Integer> agentCapacities = Map.of();
        private List<Candidate> candidates;
        private Priority priority = Priority.NORMAL;
        private Consumer<Progress> progressListener = p -> { };
        private Consumer<Resumption> resumeListener = r -> { };
        private Consumer<String> departureListener = d -> { };
        private BooleanSupplier stopWhen = () -> false;
        private TaskWorkspace workspace;
        private PhaseMeasurer measurer = PhaseMeasurer.NONE;
        private Path runDirectory;
        private String scopeText = "";
        private String issuesText = "";
        private Function<Path, AnalysisFacts> facts = repository -> AnalysisFacts.NONE;
        private Consumer<String> noticeListener = n -> { };
        private boolean rollbackOnFailure = true;
        private dev.switchboard.orchestrator.recovery.TaskDecomposer decomposer;
        private BusDirector busDirector;
        private ReportFrequency reportFrequency = ReportFrequency.NONE;
        private Supplier<? extends RouterConnection> directorConnector;

        private final ConcurrentLinkedQueue<WorkspaceAction> actions = new ConcurrentLinkedQueue<>();

        private Builder(final WorkflowDefinition definition, final Supplier<? extends RouterConnection> connector)
        {
            this.definition = Objects.requireNonNull(definition, "definition");
            this.connector = Objects.requireNonNull(connector, "connector");
            this.workflowId = definition.name();
        }

        /** @param workflowId the instance id; defaults to the definition's name. @return this. */
        public Builder workflowId(final String workflowId)
        {
            this.workflowId = Objects.requireNonNull(workflowId, "workflowId");
            return this;
        }

        /** @param qualityGates gates checked on phase metrics; defaults to the standard profile. @return this. */
        public Builder qualityGates(final QualityGates qualityGates)
        {
            this.qualityGates = Objects.requireNonNull(qualityGates, "qualityGates");
            return this;
        }

        /** @param retryOptions retry settings; defaults to 3 attempts from 50 ms, doubling. @return this. */
        public Builder retryOptions(final RetryOptions retryOptions)
        {
            this.retryOptions = Objects.requireNonNull(retryOptions, "retryOptions");
            return this;
        }

        /** @param director asked about tasks recovery gave up on; defaults to abort. @return this. */
        public Builder director(final Director director)
        {
            this.director = Objects.requireNonNull(director, "director");
            return this;
        }

        /**
         * @param busDirector the Director as an agent on the bus, asked without blocking the loop; when set, it is
         *                    used instead of {@link #director} and receives the requests. None by default.
         * @return this.
         */
        public Builder busDirector(final BusDirector busDirector)
        {
            this.busDirector = busDirector;
            return this;
        }

        /**
         * @param connector opens a second connection for the Director's traffic (escalations, requests), needed
         *                  when the runtime's own cannot reach the Director point to point (an in-process runtime,
         *                  a Director in another process); by default the runtime's own client is used.
         * @return this.
         */
        public Builder directorConnector(final Supplier<? extends RouterConnection> connector)
        {
            this.directorConnector = connector;
            return this;
        }

        /**
         * @param frequency when reports go to topic {@value BusDirector#REPORT_TOPIC}; none by default.
         * @return this.
         */
        public Builder reportFrequency(final ReportFrequency frequency)
        {
            this.reportFrequency = Objects.requireNonNull(frequency, "frequency");
            return this;
        }

        /**
         * @param journal where the engine records events; defaults to in memory. When it already holds a workflow,
         *                {@link WorkflowRuntime#run} resumes that workflow instead of starting one.
         * @return this.
         */
        public Builder journal(final EventJournal journal)
        {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** @param clock logical time of events, in ms; defaults to the wall clock. @return this. */
        public Builder clock(final LongSupplier clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param taskTimeout how long an assignment may go unfinished before it fails; none by default. @return this. */
        public Builder taskTimeout(final Duration taskTimeout)
        {
            this.taskTimeout = taskTimeout;
            return this;
        }

        /** @param agentCapacity tasks an agent may hold at once (discovered agents); defaults to 1. @return this. */
        public Builder agentCapacity(final int agentCapacity)
        {
            if (agentCapacity < 1)
            {
                throw new IllegalArgumentException("agent capacity must be at least 1, was " + agentCapacity);
            }
            this.agentCapacity = agentCapacity;
            return this;
        }

        /**
         * @param capacities tasks each named agent may hold at once (an agents file's concurrency); agents not named
         *                   get {@link #agentCapacity}.
         * @return this.
         */
        public Builder agentCapacities(final Map<String, Integer> capacities)
        {
            this.agentCapacities = Map.copyOf(capacities);
            return this;
        }

        /** @param candidates the agents to use instead of those in the registry. @return this. */
        public Builder candidates(final List<Candidate> candidates)
        {
            this.candidates = List.copyOf(candidates);
            return this;
        }

        /** @param priority of the work items; defaults to NORMAL. @return this. */
        public Builder priority(final Priority priority)
        {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** @param listener called with the progress after each change, on the run loop's thread. @return this. */
        public Builder progressListener(final Consumer<Progress> listener)
        {
            this.progressListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param listener told, on the run loop's thread, when the run resumes a workflow its journal already
         *                 holds, before work in flight is handed out again; not called for a fresh start.
         * @return this.
         */
        public Builder resumeListener(final Consumer<Resumption> listener)
        {
            this.resumeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param listener told, on the run loop's thread, "NAME deregistered" or "NAME expired" when an agent of the
         *                 workflow leaves, before its tasks are recovered.
         * @return this.
         */
        public Builder departureListener(final Consumer<String> listener)
        {
            this.departureListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param stopWhen asked on every turn of the run loop (so it must be cheap, e.g. a volatile read): when it says
         *                 true, {@link WorkflowRuntime#run} returns at once with the progress so far
         *                 ({@link RunResult#stopped()}); the journal keeps the workflow for a later run to resume.
         *                 Never, by default.
         * @return this.
         */
        public Builder stopWhen(final BooleanSupplier stopWhen)
        {
            this.stopWhen = Objects.requireNonNull(stopWhen, "stopWhen");
            return this;
        }

        /**
         * @param workspace where tasks work and how a phase's work is merged ({@link GitTaskWorkspace} or
         *                  {@link SharedTaskWorkspace}); none by default (work items carry no directory and nothing
         *                  is merged). The caller closes it after the run.
         * @return this.
         */
        public Builder workspace(final TaskWorkspace workspace)
        {
            this.workspace = workspace;
            return this;
        }

        /**
         * @param measurer measures each finished phase's merged work for its gates; by default
         *                 {@link PhaseMeasurer#NONE}, under which every gate metric is "not measured" and a blocking
         *                 gate fails with that reason.
         * @return this.
         */
        public Builder measurer(final PhaseMeasurer measurer)
        {
            this.measurer = Objects.requireNonNull(measurer, "measurer");
            return this;
        }

        /**
         * @param runDirectory where each task attempt gets a directory for its prompt, result and logs
         *                     ({@code tasks/<task>/<attempt>-<agent>-<ms>/}); with none, work items carry no prompt.
         * @return this.
         */
        public Builder runDirectory(final Path runDirectory)
        {
            this.runDirectory = runDirectory == null ? null : runDirectory.toAbsolutePath();
            return this;
        }

        /**
         * @param scopeText what the run is about, in words ({@code "authentication system"}); the prompts' scope.
         * @return this.
         */
        public Builder scopeText(final String scopeText)
        {
            this.scopeText = scopeText == null ? "" : scopeText;
            return this;
        }

        /**
         * @param issuesText the issues the run addresses, resolved to their text; every task's prompt gets it
         *                   ({@code ${issues}}, or its context section). Empty for none.
         * @return this builder.
         */
        public Builder issuesText(final String issuesText)
        {
            this.issuesText = issuesText == null ? "" : issuesText;
            return this;
        }

        /**
         * @param facts the analysis facts of a directory (the first task's work directory in each phase), for the
         *              prompts' {@code ${context.NAME}}; none by default.
         * @return this.
         */
        public Builder facts(final Function<Path, AnalysisFacts> facts)
        {
            this.facts = Objects.requireNonNull(facts, "facts");
            return this;
        }

        /**
         * @param listener told, on the run loop's thread, what happens to the repository and the gates: a phase
         *                 merged and measured, gate results, remediation tasks, conflicts, waits, rollbacks.
         * @return this.
         */
        public Builder noticeListener(final Consumer<String> listener)
        {
            this.noticeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param decomposer splits tasks recovery decides to decompose, e.g. by the files their context names;
         *                   the engine's default (declared paths only) when not set.
         * @return this.
         */
        public Builder decomposer(final dev.switchboard.orchestrator.recovery.TaskDecomposer decomposer)
        {
            this.decomposer = Objects.requireNonNull(decomposer, "decomposer");
            return this;
        }

        /**
         * @param rollback whether a failed workflow rolls back the earliest phase that did not pass (default true).
         * @return this.
         */
        public Builder rollbackOnFailure(final boolean rollback)
        {
            this.rollbackOnFailure = rollback;
            return this;
        }

        /**
         * @return a consumer for the workspace's actions, to give {@link GitTaskWorkspace#open}: they are journaled
         *         as {@code WorkspaceRecorded} by the runtime this builder builds.
         */
        public Consumer<WorkspaceAction> workspaceRecorder()
        {
            return actions::add;
        }

        /** @return a runtime, not yet run. */
        public WorkflowRuntime build()
        {
            return new WorkflowRuntime(this);
        }
    }
}
