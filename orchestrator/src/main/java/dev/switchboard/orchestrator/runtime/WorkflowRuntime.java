/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
import dev.switchboard.orchestrator.engine.EngineCommand;
import dev.switchboard.orchestrator.engine.EventJournal;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.recovery.Director;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs one workflow over the router. Registers as agent {@value TaskAgent#ORCHESTRATOR}, finds the agents able to do
 * the workflow's capabilities in the registry, and drives a {@link WorkflowEngine} from one loop:
 * <ul>
 *   <li>{@code AssignTask} → a {@link WorkItem} enqueued on {@code tasks.<agent>} (a task timeout starts, if set);</li>
 *   <li>{@code ScheduleRetry} → a timer of the loop that later feeds {@code RetryTimerFired};</li>
 *   <li>{@code EscalateToDirector} → the {@link Director}, whose answer is fed back as {@code DirectorDecided};</li>
 *   <li>{@code CompleteWorkflow} / {@code FailWorkflow} → the run ends;</li>
 *   <li>a {@link TaskReport} from an agent → {@code TaskStarted}/{@code TaskProgress}/{@code TaskCompleted}/
 *       {@code TaskFailed}, stamped with the runtime's clock. Reports about an assignment the runtime no longer
 *       holds (another agent or attempt since, e.g. after a timeout) are dropped and counted.</li>
 * </ul>
 * The runtime watches the registry: when an agent of the workflow deregisters or its lease expires (its process
 * died), the engine is told ({@code AgentDeparted}) and its tasks in hand are recovered on other agents.
 * A task that does not finish within the task timeout fails with error kind {@link #TASK_TIMEOUT}, and recovery
 * takes it from there. The engine journals every event.
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

    private record Assignment(String agentName, int attempt, long deadlineMs)
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
                work += fireTimers();
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
            return new RunResult(engine.progress(), timedOut, stopped, endReason);
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
        final Set<String> needed = new TreeSet<>();
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
                        Set.copyOf(agent.capabilities()), 0, settings.agentCapacity, 0, 0));
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
        final TaskReport report = TaskReport.fromBytes(message.payloadBytes());
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
            final long nowMs = now();
            final WorkflowEvent event = switch (report.kind())
            {
                case STARTED -> new WorkflowEvent.TaskStarted(nowMs, report.taskId());
                case PROGRESS -> new WorkflowEvent.TaskProgress(nowMs, report.taskId(),
                    Math.clamp(report.percent(), 0, 100));
                case COMPLETED -> new WorkflowEvent.TaskCompleted(nowMs, report.taskId(), report.typedMetrics());
                case FAILED -> new WorkflowEvent.TaskFailed(nowMs, report.taskId(),
                    report.errorKind().isBlank() ? "UNKNOWN" : report.errorKind(), report.message());
            };
            if (report.kind() == TaskReport.Kind.COMPLETED || report.kind() == TaskReport.Kind.FAILED)
            {
                assignments.remove(report.taskId());
            }
            feed(event);
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
            assignments.values().removeIf(a -> a.agentName().equals(name));
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
            if (engine.status() == WorkflowStatus.RUNNING)
            {
                feed(new WorkflowEvent.TaskFailed(now(), taskId, TASK_TIMEOUT, a.agentName() + " did not finish " +
                    taskId + " (attempt " + a.attempt() + ") within " + settings.taskTimeout));
            }
        }
        return due.size() + overdue.size();
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
                case EngineCommand.EvaluateGates gates ->
                {
                    // the outcome is in the journal and the progress the listener gets
                }
                case EngineCommand.EscalateToDirector escalate ->
                {
                    final DirectorDecision decision = settings.director.escalate(escalate.request());
                    commands.addAll(engine.onEvent(new WorkflowEvent.DirectorDecided(now(),
                        escalate.request().failure().taskId(), decision)));
                }
                case EngineCommand.CompleteWorkflow complete -> endReason = "";
                case EngineCommand.FailWorkflow fail -> endReason = fail.reason();
            }
        }
        settings.progressListener.accept(engine.progress());
    }

    private void assign(final EngineCommand.AssignTask assign)
    {
        final long deadlineMs = settings.taskTimeout == null ? Long.MAX_VALUE :
            System.currentTimeMillis() + settings.taskTimeout.toMillis();
        assignments.put(assign.taskId(), new Assignment(assign.agentName(), assign.attempt(), deadlineMs));
        final byte[] bytes = new WorkItem(workflowId, assign.taskId(), assign.capability(), assign.attempt())
            .toBytes();
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
                assign.agentName(), assign.attempt(), 0, Map.of(), "UNREACHABLE",
                "enqueue on " + WorkItem.queueOf(assign.agentName()) + " returned " + status));
        }
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
        private List<Candidate> candidates;
        private Priority priority = Priority.NORMAL;
        private Consumer<Progress> progressListener = p -> { };
        private Consumer<Resumption> resumeListener = r -> { };
        private Consumer<String> departureListener = d -> { };
        private BooleanSupplier stopWhen = () -> false;

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

        /** @return a runtime, not yet run. */
        public WorkflowRuntime build()
        {
            return new WorkflowRuntime(this);
        }
    }
}
