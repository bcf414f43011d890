/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.engine.EngineCommand.AssignTask;
import dev.switchboard.orchestrator.engine.EngineCommand.CompleteWorkflow;
import dev.switchboard.orchestrator.engine.EngineCommand.EscalateToDirector;
import dev.switchboard.orchestrator.engine.EngineCommand.EvaluateGates;
import dev.switchboard.orchestrator.engine.EngineCommand.FailWorkflow;
import dev.switchboard.orchestrator.engine.EngineCommand.MeasurePhase;
import dev.switchboard.orchestrator.engine.EngineCommand.ScheduleRetry;
import dev.switchboard.orchestrator.engine.WorkflowEvent.AgentDeparted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.DirectorDecided;
import dev.switchboard.orchestrator.engine.WorkflowEvent.DirectorGuidance;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GateOverride;
import dev.switchboard.orchestrator.engine.WorkflowEvent.Escalated;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GateEvaluated;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GatesRequested;
import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RemediationPlanned;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RetryScheduled;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RetryTimerFired;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskAssigned;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskCompleted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskDecomposed;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskFailed;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskProgress;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskRequeued;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskSkipped;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskStarted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.WorkflowCompleted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.WorkflowFailed;
import dev.switchboard.orchestrator.engine.WorkflowEvent.WorkflowStarted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.WorkspaceRecorded;
import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.recovery.ContextUnits;
import dev.switchboard.orchestrator.recovery.EscalationRequest;
import dev.switchboard.orchestrator.recovery.Failure;
import dev.switchboard.orchestrator.recovery.GateRemediation;
import dev.switchboard.orchestrator.recovery.RecoveryAction;
import dev.switchboard.orchestrator.recovery.RecoveryPolicy;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.recovery.TaskDecomposer;
import dev.switchboard.orchestrator.recovery.TaskHistory;
import dev.switchboard.orchestrator.selection.AgentSelector;
import dev.switchboard.orchestrator.selection.Assignment;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.selection.TaskDemand;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

/**
 * Runs one workflow: events in, commands out. The host reports what its agents did
 * ({@link #onEvent}); the engine answers with {@link EngineCommand}s and records both the input and its own
 * decisions as {@link WorkflowEvent}s in an {@link EventJournal}, so that {@link #recover} rebuilds it exactly.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Assignment.</b> A pending task is ready when each dependency is skipped, or completed and either in
 *       the same phase or in a phase whose gates passed. Ready tasks are assigned in one {@link AgentSelector}
 *       round against the agents of the start snapshot, their load being the start load plus the tasks the
 *       engine has on them. A ready task of an optional phase that no agent is capable of is skipped; any other
 *       unplaced task waits and is reported as blocked by {@link #progress()}.</li>
 *   <li><b>Failure.</b> A failed task goes through {@link RecoveryPolicy}: a retry keeps the agent's slot and is
 *       due at failure time + backoff ({@link EngineCommand.ScheduleRetry}, answered by
 *       {@link RetryTimerFired}); an alternative agent is assigned at once with attempt 1; an optional task is
 *       skipped; otherwise the task is escalated to the Director, whose {@link DirectorDecided} RETRY returns it to
 *       the queue at attempt 1, SKIP skips it and ABORT fails the workflow; REASSIGN assigns it at attempt 1 to the
 *       agent it names when that agent is in the snapshot, has not departed, is capable and has a free slot, else
 *       returns it to the queue for the best other agent (the task's note says why); REPLAN returns it to the queue
 *       with its tried agents forgotten, so recovery may use every agent again. A task is a task of an optional
 *       phase when its phase is optional.</li>
 *   <li><b>Guidance.</b> A {@link DirectorGuidance} changes, from then on: the enforcement of the gates it names
 *       (for every phase evaluated after it: an evaluation already made stays), the most tasks assigned at once
 *       ({@code maxParallelTasks}; {@code parallelExecution:false} means one), and the order ready tasks are
 *       assigned in (by rank, one selection per task, while slots remain).</li>
 *   <li><b>Departure.</b> When an agent leaves ({@link AgentDeparted}), the tasks it held (assigned, running or
 *       waiting for a retry on it) fail with {@link AgentDeparted#AGENT_LOST}; recovery moves them to another agent
 *       ({@link TaskRequeued}: back to pending when every other capable agent is busy) or escalates, never retrying
 *       on the departed agent, which gets no further work.</li>
 *   <li><b>Decomposition.</b> A task defined {@code decomposable} that recovery decides to split
 *       ({@link RecoveryAction.Decompose}, after retries and alternative agents) is handed to the
 *       {@link TaskDecomposer}; its subtasks, recorded in {@link TaskDecomposed}, join the task's phase with its
 *       dependencies and go through assignment and recovery like any task, except that they are never split again.
 *       The task itself is {@link TaskState#DECOMPOSED} until every subtask is done, then COMPLETED with their
 *       merged metrics (later subtasks overriding earlier ones), or SKIPPED if every subtask was skipped. Tasks that
 *       depend on it wait for that. Progress counts the subtasks instead of the task.</li>
 *   <li><b>Gates, measured by the host.</b> When every task of a phase is done, the engine asks the host to merge
 *       the phase's work and measure the merged tree ({@link GatesRequested}, {@link MeasurePhase} with the
 *       metrics of the phase's gates: its gate names that exist in the {@link QualityGates}). What agents reported
 *       in {@link TaskCompleted} is kept but never evaluated. The host answers {@link PhaseMeasured}: tasks whose
 *       merge conflicted fail with {@link #MERGE_CONFLICT} and go through recovery (the phase is measured again
 *       when it is done again); otherwise the gates are evaluated on the measurements ({@link GateEvaluated}). A
 *       failed blocking gate with a measured shortfall gets remediation ({@link RemediationPlanned}, at most
 *       {@link Builder#remediationRounds} rounds per phase): one task per shortfall, for the specialist of that
 *       metric, with the measurement as its context ({@link GateRemediation}); they join the phase and it is
 *       measured again once they are done. A gate that fails on a metric nobody could measure, or after the last
 *       round, fails the phase's last completed task with error kind {@link GateReport#ERROR_KIND}, which goes
 *       through recovery. A phase whose tasks were all skipped passes without measurement; a phase with no
 *       matching gate passes once merged.</li>
 *   <li><b>Completion.</b> When every task is done and every phase passed: {@link CompleteWorkflow}.</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * The state is a fold of the journal: {@code apply} is the only code that changes it, and every decision is
 * recorded as an event before its command is returned. Decisions read nothing but the state and the settings
 * (no clock, no randomness, no live registry: agents come from the {@link WorkflowStarted} snapshot), and
 * decision events take the logical timestamp of the input that caused them.
 *
 * <p>Thread-safety: not thread-safe; one thread drives an engine. Allocation: each event allocates its commands,
 * decision events and, when tasks become ready, one selection round.
 */
public final class WorkflowEngine
{
    /** Error kind of a completed task whose work conflicted with work merged before it. */
    public static final String MERGE_CONFLICT = "MERGE_CONFLICT";

    private final WorkflowDefinition definition;
    private final QualityGates qualityGates;
    private final RecoveryPolicy recoveryPolicy;
    private final AgentSelector selector;
    private final TaskDecomposer decomposer;
    private final EventJournal journal;
    private final String configuredWorkflowId;
    private final List<Candidate> configuredCandidates;

    private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
    private final Map<String, GateState> gates = new LinkedHashMap<>();
    private final Map<String, String> gateSummaries = new HashMap<>();
    private final Map<String, Integer> successes = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, List<String>> phaseExtras = new HashMap<>();
    private final Map<String, Integer> measureRounds = new HashMap<>();
    private final Map<String, Integer> remediationRounds = new HashMap<>();
    private final Map<String, List<MeasuredMetric>> measuredPhases = new HashMap<>();
    private final Map<String, Boolean> gatesRemediating = new HashMap<>();
    private final Map<String, GateOverride> gateOverrides = new LinkedHashMap<>();
    private final Map<String, Integer> priorities = new HashMap<>();
    private final List<String> riskNotes = new ArrayList<>();
    private int maxParallelTasks;
    private boolean parallelExecution = true;
    private final int maxRemediationRounds;
    private List<Candidate> candidates = List.of();
    private final Set<String> departed = new TreeSet<>();
    private WorkflowStatus status = WorkflowStatus.NOT_STARTED;
    private String workflowId;
    private long startedAtMs = -1;
    private long lastEventMs = -1;
    private String abortReason;
    private String failureReason = "";

    private WorkflowEngine(final Builder builder, final EventJournal journal)
    {
        this.definition = builder.definition;
        this.qualityGates = builder.qualityGates;
        this.recoveryPolicy = builder.recoveryPolicy;
        this.selector = builder.selector;
        this.decomposer = builder.decomposer;
        this.maxRemediationRounds = builder.remediationRounds;
        this.configuredWorkflowId = builder.workflowId;
        this.configuredCandidates = List.copyOf(builder.candidates);
        this.journal = journal;
        TaskGraph.of(definition); // rejects a broken DAG here, with every problem named
        for (final PhaseDefinition phase : definition.phases())
        {
            gates.put(phase.id(), GateState.PENDING);
            for (final TaskDefinition task : phase.tasks())
            {
                tasks.put(task.id(), new TaskRecord(task, phase));
            }
        }
    }

    /**
     * @param definition the workflow to run.
     * @return a builder with the default gates ({@link QualityGates#defaults()}), recovery
     * ({@link RetryOptions#defaults()}), selector, no candidates and an {@link InMemoryJournal}.
     */
    public static Builder builder(final WorkflowDefinition definition)
    {
        return new Builder(definition);
    }

    /**
     * Rebuilds an engine from its journal: every event is applied again, no decision is remade and no command is
     * produced. Call {@link #resume()} next to re-issue what was in flight. The engine goes on appending to
     * {@code journal}.
     *
     * @param journal  the history, whose first event is the {@link WorkflowStarted} of {@code settings}' workflow.
     * @param settings the definition and settings the engine ran with; its journal and candidates are not used
     *                 (the candidates come from the journal).
     * @return the engine, in the state it had after the last event.
     * @throws IllegalStateException when the journal is empty, does not start with {@link WorkflowStarted}, or
     *                               was written for another definition.
     */
    public static WorkflowEngine recover(final EventJournal journal, final Builder settings)
    {
        Objects.requireNonNull(journal, "journal");
        final WorkflowEngine engine = new WorkflowEngine(settings, journal);
        journal.replay(event ->
        {
            if (engine.status == WorkflowStatus.NOT_STARTED && !(event instanceof WorkflowStarted))
            {
                throw new IllegalStateException("a workflow journal must start with WorkflowStarted, found " + event);
            }
            if (event instanceof WorkflowStarted started && !started.definitionName().equals(engine.definition.name()))
            {
                throw new IllegalStateException("journal of workflow '" + started.workflowId() + "' was written for " +
                    "definition '" + started.definitionName() + "', not '" + engine.definition.name() + "'");
            }
            engine.apply(event);
        });
        if (engine.status == WorkflowStatus.NOT_STARTED)
        {
            throw new IllegalStateException("cannot recover from an empty journal: it has no WorkflowStarted");
        }
        return engine;
    }

    /**
     * Starts the workflow: records {@link WorkflowStarted} with the candidates snapshot and assigns the tasks that
     * have no dependencies.
     *
     * @param nowMs the logical time.
     * @return the commands.
     * @throws IllegalStateException when already started.
     */
    public List<EngineCommand> start(final long nowMs)
    {
        if (status != WorkflowStatus.NOT_STARTED)
        {
            throw new IllegalStateException("workflow '" + workflowId + "' is already started (" + status + ")");
        }
        final List<EngineCommand> commands = new ArrayList<>();
        decide(new WorkflowStarted(nowMs, configuredWorkflowId, definition.name(), configuredCandidates), commands);
        advance(nowMs, commands);
        return List.copyOf(commands);
    }

    /**
     * Takes one input event, records it, and decides what follows.
     *
     * @param event an input ({@link WorkflowEvent#isInput()}), not older than the latest event.
     * @return the commands, in the order the decisions were made; often empty.
     * @throws IllegalArgumentException when the event is a decision, older than the latest event, names an unknown
     *                                  task, or does not fit the task's state (e.g. completing a pending task).
     * @throws IllegalStateException    when the workflow is not running.
     */
    public List<EngineCommand> onEvent(final WorkflowEvent event)
    {
        Objects.requireNonNull(event, "event");
        if (status != WorkflowStatus.RUNNING)
        {
            throw new IllegalStateException("workflow '" + workflowId + "' is " + status + "; cannot take " + event);
        }
        if (!event.isInput())
        {
            throw new IllegalArgumentException(event.getClass().getSimpleName() +
                " is a decision the engine records itself, not an input: " + event);
        }
        validateInput(event);
        final List<EngineCommand> commands = new ArrayList<>();
        record(event);
        advance(event.timestampMs(), commands);
        return List.copyOf(commands);
    }

    /**
     * After {@link #recover}: the commands for work in flight (assignments not yet finished, retries not yet due,
     * escalations not yet answered, phases being measured), then whatever decisions the journal lacks (a crash
     * between recording an input and its decisions), made and recorded now. Idempotent hosts may call it at any time.
     *
     * @return the commands.
     */
    public List<EngineCommand> resume()
    {
        final List<EngineCommand> commands = new ArrayList<>();
        if (status != WorkflowStatus.RUNNING)
        {
            return List.of();
        }
        for (final TaskRecord task : tasks.values())
        {
            switch (task.state)
            {
                case ASSIGNED, RUNNING -> commands.add(
                    new AssignTask(task.id(), task.agent, task.definition.capability(), task.attempt));
                case WAITING_RETRY ->
                {
                    if (!task.retryDue)
                    {
                        commands.add(new ScheduleRetry(task.id(), task.retryAtMs));
                    }
                }
                case ESCALATED -> commands.add(new EscalateToDirector(task.escalation));
                default ->
                {
                }
            }
        }
        for (final PhaseDefinition phase : definition.phases())
        {
            if (gates.get(phase.id()) == GateState.MEASURING && !measuredPhases.containsKey(phase.id()))
            {
                // the host was merging and measuring when the journal ended: ask again
                final QualityGates selected = phaseGates(phase);
                commands.add(new MeasurePhase(phase.id(), measureRounds.getOrDefault(phase.id(), 1), selected,
                    selected.metrics()));
            }
        }
        advance(lastEventMs, commands);
        return List.copyOf(commands);
    }

    /** @return the agents of the start snapshot, departed ones included. */
    public List<Candidate> candidates()
    {
        return candidates;
    }

    /** @return the state as a value; equal for engines that saw the same history. */
    public EngineSnapshot snapshot()
    {
        final List<EngineSnapshot.TaskSnapshot> taskSnapshots = new ArrayList<>();
        for (final TaskRecord task : tasks.values())
        {
            taskSnapshots.add(new EngineSnapshot.TaskSnapshot(task.id(), task.phase.id(), task.state, task.agent,
                task.attempt, List.copyOf(task.agentsTried), task.percent, task.metrics, task.retryAtMs, task.note));
        }
        return new EngineSnapshot(workflowId, status, startedAtMs, lastEventMs, taskSnapshots, gates, failureReason);
    }

    /**
     * Progress at the latest event's logical time; see {@link Progress} for how each figure is computed.
     *
     * @return the progress.
     */
    public Progress progress()
    {
        return ProgressCalculator.compute(this);
    }

    /** @return the workflow's status. */
    public WorkflowStatus status()
    {
        return status;
    }

    /**
     * What each completed task left for the tasks that depend on it, in completion order of the journal.
     *
     * @return task id to output; a decomposed task's output gathers its subtasks'.
     */
    public Map<String, TaskOutput> outputs()
    {
        final Map<String, TaskOutput> outputs = new LinkedHashMap<>();
        for (final TaskRecord task : tasks.values())
        {
            if (task.state == TaskState.COMPLETED && task.output != null)
            {
                outputs.put(task.id(), task.output);
            }
        }
        return outputs;
    }

    /**
     * @param taskId a task of the workflow, a subtask or a remediation task.
     * @return its definition and the phase it belongs to.
     * @throws IllegalArgumentException when there is no such task.
     */
    public PlacedTask task(final String taskId)
    {
        final TaskRecord task = tasks.get(taskId);
        if (task == null)
        {
            throw new IllegalArgumentException("no task '" + taskId + "' in workflow '" + definition.name() + "'");
        }
        return new PlacedTask(task.definition, task.phase, task.parentId);
    }

    /**
     * A task with the phase it runs in.
     *
     * @param definition the task, as the agent is to do it.
     * @param phase      its phase.
     * @param parentId   the task it is a part of after decomposition, or null.
     */
    public record PlacedTask(TaskDefinition definition, PhaseDefinition phase, String parentId)
    {
    }

    /**
     * @param phaseId a phase.
     * @return its gate state.
     */
    public GateState gateState(final String phaseId)
    {
        return gates.get(phaseId);
    }

    /**
     * @param phaseId a phase.
     * @return the summary of its latest gate evaluation; empty before one.
     */
    public String gateSummary(final String phaseId)
    {
        return gateSummaries.getOrDefault(phaseId, "");
    }

    /**
     * @param phaseId a phase.
     * @return whether its latest gate evaluation failed with remediation tasks to follow (false when it passed, or
     *         failed with nothing left to remediate).
     */
    public boolean gateRemediating(final String phaseId)
    {
        return gatesRemediating.getOrDefault(phaseId, false);
    }

    /**
     * @param phaseId a phase.
     * @return the remediation tasks its failed gates added, in order.
     */
    public List<String> remediationTasks(final String phaseId)
    {
        return List.copyOf(phaseExtras.getOrDefault(phaseId, List.of()));
    }

    /** @return the definition being run. */
    public WorkflowDefinition definition()
    {
        return definition;
    }

    // ------------------------------------------------------------------------------------------------ deciding

    private void advance(final long nowMs, final List<EngineCommand> commands)
    {
        boolean changed = true;
        while (changed && status == WorkflowStatus.RUNNING)
        {
            changed = false;
            if (abortReason != null)
            {
                decide(new WorkflowFailed(nowMs, abortReason), commands);
                return;
            }
            for (final TaskRecord task : List.copyOf(tasks.values()))
            {
                if (task.state == TaskState.FAILED)
                {
                    recover(task, nowMs, commands);
                    changed = true;
                }
                else if (task.state == TaskState.WAITING_RETRY && task.retryDue)
                {
                    decide(new TaskAssigned(nowMs, task.id(), task.agent, task.retryAttempt), commands);
                    changed = true;
                }
            }
            for (final PhaseDefinition phase : definition.phases())
            {
                changed |= advanceGates(phase, nowMs, commands);
            }
            changed |= assignReadyTasks(nowMs, commands);
            if (!changed && allDone())
            {
                decide(new WorkflowCompleted(nowMs), commands);
            }
        }
    }

    private void recover(final TaskRecord task, final long nowMs, final List<EngineCommand> commands)
    {
        final Failure failure = task.lastFailure;
        final TaskDemand demand = demandOf(task);
        final Set<String> excluded = new TreeSet<>(task.agentsTried);
        excluded.add(task.agent);
        final boolean alternative = selector.alternativeFor(demand, currentCandidates(), excluded).isPresent();
        final TaskHistory history = new TaskHistory(task.agentsTried, alternative,
            task.decomposed || task.parentId != null);
        final RecoveryAction decided = recoveryPolicy.decide(failure, history);
        final boolean lost = departed.contains(task.agent);
        if (lost && !alternative && anyCapable(task))
        {
            // the others are busy: wait for one rather than give up
            decide(new TaskRequeued(nowMs, task.id(), task.agent + " departed; waiting for a free capable agent"),
                commands);
            return;
        }
        // a departed agent is never retried: its retry becomes a move to another agent, or an escalation
        final RecoveryAction action = decided instanceof RecoveryAction.Retry && lost ?
            (alternative ? new RecoveryAction.RetryWithAlternativeAgent(excluded, task.agent + " departed") :
                new RecoveryAction.Escalate(task.agent + " departed and no other agent can take " + task.id())) :
            decided;
        switch (action)
        {
            case RecoveryAction.Retry retry -> decide(new RetryScheduled(nowMs, task.id(), retry.nextAttempt(),
                nowMs + retry.delay().toMillis()), commands);
            case RecoveryAction.RetryWithAlternativeAgent alt ->
            {
                final Optional<Assignment.Placement> placement =
                    selector.alternativeFor(demand, currentCandidates(), alt.excludedAgents());
                if (placement.isPresent())
                {
                    decide(new TaskAssigned(nowMs, task.id(), placement.get().agentName(), 1), commands);
                }
                else
                {
                    decide(new Escalated(nowMs, task.id(), alt.reason() + "; but no alternative agent is free"),
                        commands);
                }
            }
            case RecoveryAction.Decompose decompose -> decompose(task, decompose.reason(), nowMs, commands);
            case RecoveryAction.SkipOptional skip -> decide(new TaskSkipped(nowMs, task.id(), skip.reason()), commands);
            case RecoveryAction.Escalate escalate -> decide(new Escalated(nowMs, task.id(), escalate.reason()), commands);
        }
    }

    private boolean anyCapable(final TaskRecord task)
    {
        for (final Candidate candidate : currentCandidates())
        {
            if (candidate.capabilities().contains(task.definition.capability()))
            {
                return true;
            }
        }
        return false;
    }

    private void decompose(final TaskRecord task, final String reason, final long nowMs,
        final List<EngineCommand> commands)
    {
        final List<TaskDefinition> subtasks;
        try
        {
            subtasks = List.copyOf(decomposer.decompose(task.definition));
            if (subtasks.isEmpty())
            {
                throw new IllegalArgumentException("the decomposer returned no subtask");
            }
            final Set<String> ids = new TreeSet<>();
            for (final TaskDefinition subtask : subtasks)
            {
                if (tasks.containsKey(subtask.id()) || !ids.add(subtask.id()))
                {
                    throw new IllegalArgumentException("subtask id '" + subtask.id() + "' is already taken");
                }
                if (subtask.decomposable())
                {
                    throw new IllegalArgumentException("subtask '" + subtask.id() + "' is decomposable");
                }
            }
        }
        catch (final RuntimeException ex)
        {
            decide(new Escalated(nowMs, task.id(), reason + "; but decomposing failed: " + ex.getMessage()), commands);
            return;
        }
        decide(new TaskDecomposed(nowMs, task.id(), subtasks, reason), commands);
    }

    /** Asks for a measurement of a finished phase, or evaluates the one that came; true when it decided. */
    private boolean advanceGates(final PhaseDefinition phase, final long nowMs, final List<EngineCommand> commands)
    {
        final GateState state = gates.get(phase.id());
        if (state == GateState.PASSED)
        {
            return false;
        }
        if (state == GateState.MEASURING)
        {
            final List<MeasuredMetric> measured = measuredPhases.get(phase.id());
            if (measured == null)
            {
                return false; // the host is still merging and measuring
            }
            evaluateGates(phase, measured, nowMs, commands);
            return true;
        }
        if (!phaseTasksDone(phase))
        {
            return false;
        }
        if (phaseTasks(phase).stream().noneMatch(task -> task.state == TaskState.COMPLETED))
        {
            decide(new GateEvaluated(nowMs, phase.id(), true, "every task skipped; no quality gate evaluated"),
                commands);
            return true;
        }
        decide(new GatesRequested(nowMs, phase.id(), measureRounds.getOrDefault(phase.id(), 0) + 1), commands);
        return true;
    }

    /** The gates of the profile that the phase names. */
    private QualityGates phaseGates(final PhaseDefinition phase)
    {
        final List<QualityGate> selected = new ArrayList<>();
        for (final QualityGate gate : qualityGates)
        {
            if (phase.gates().contains(gate.name()))
            {
                final GateOverride override = gateOverrides.get(gate.name());
                selected.add(override == null ? gate : gate.withEnforcement(override.enforcement()));
            }
        }
        return QualityGates.of(selected);
    }

    private void evaluateGates(final PhaseDefinition phase, final List<MeasuredMetric> measured, final long nowMs,
        final List<EngineCommand> commands)
    {
        final QualityGates selected = phaseGates(phase);
        if (selected.gates().isEmpty())
        {
            decide(new GateEvaluated(nowMs, phase.id(), true, "merged; no quality gate configured for " +
                phase.gates()), commands);
            return;
        }
        final Measurements measurements = toMeasurements(measured);
        final GateReport report = GateEvaluator.evaluate(selected, measurements);
        if (report.passed())
        {
            decide(new GateEvaluated(nowMs, phase.id(), true, report.summary()), commands);
            return;
        }
        final int round = remediationRounds.getOrDefault(phase.id(), 0) + 1;
        final List<TaskDefinition> remediation = round > maxRemediationRounds ? List.of() :
            GateRemediation.plan(phase.id(), round, report, evidence(measured), availableCapabilities(),
                tasks.keySet());
        if (remediation.isEmpty())
        {
            final String why = round > maxRemediationRounds ? "; no remediation round left (" +
                maxRemediationRounds + " ran)" : "; no measured shortfall a task could fix";
            decide(new GateEvaluated(nowMs, phase.id(), false, report.summary() + why, false), commands);
            return;
        }
        decide(new GateEvaluated(nowMs, phase.id(), false, report.summary(), true), commands);
        decide(new RemediationPlanned(nowMs, phase.id(), round, remediation, report.summary()), commands);
    }

    /** Each metric's measurement as a remediation task's context: value, source, details. */
    private static Map<Metric, String> evidence(final List<MeasuredMetric> measured)
    {
        final Map<Metric, String> evidence = new HashMap<>();
        for (final MeasuredMetric m : measured)
        {
            final StringBuilder text = new StringBuilder().append(m.metric()).append(": ")
                .append(m.value() == null ? "not measured" : m.metric().format(m.value())).append(" (")
                .append(m.note()).append(')');
            for (final String detail : m.details())
            {
                text.append("\n- ").append(detail);
            }
            evidence.put(m.metric(), text.toString());
        }
        return evidence;
    }

    /** The journal's measurements as the evaluator reads them. */
    static Measurements toMeasurements(final List<MeasuredMetric> measured)
    {
        final List<Measurement> list = new ArrayList<>(measured.size());
        for (final MeasuredMetric m : measured)
        {
            list.add(new Measurement(m.metric(), m.value() == null ? OptionalDouble.empty() :
                OptionalDouble.of(m.value()), m.note().isBlank() ? "no note" : m.note()));
        }
        return Measurements.of(list);
    }

    private Set<String> availableCapabilities()
    {
        final Set<String> capabilities = new TreeSet<>();
        for (final Candidate candidate : currentCandidates())
        {
            capabilities.addAll(candidate.capabilities());
        }
        return capabilities;
    }

    private boolean assignReadyTasks(final long nowMs, final List<EngineCommand> commands)
    {
        final List<TaskRecord> ready = readyTasks();
        if (ready.isEmpty())
        {
            return false;
        }
        if (taskLimit() > 0 || !priorities.isEmpty() || ready.stream().anyMatch(task -> task.reassignTo != null))
        {
            return assignInRankOrder(ready, nowMs, commands);
        }
        final List<TaskDemand> demands = ready.stream().map(WorkflowEngine::demandOf).toList();
        final Assignment assignment = selector.assign(demands, currentCandidates());
        boolean changed = false;
        for (final TaskRecord task : ready)
        {
            changed |= placeOrSkip(task, assignment, nowMs, commands);
        }
        return changed;
    }

    /**
     * Assigns the task where the selection placed it, or skips it when it belongs to an optional phase that no agent
     * is capable of; otherwise it waits.
     *
     * @return whether a decision was made.
     */
    private boolean placeOrSkip(final TaskRecord task, final Assignment assignment, final long nowMs,
        final List<EngineCommand> commands)
    {
        final Optional<Assignment.Placement> placement = assignment.placementFor(task.id());
        if (placement.isPresent())
        {
            decide(new TaskAssigned(nowMs, task.id(), placement.get().agentName(), 1), commands);
            return true;
        }
        final Assignment.Unassigned why = assignment.unassigned().get(task.id());
        if (why.reason() == Assignment.Reason.NO_CAPABLE_AGENT && task.phase.optional())
        {
            decide(new TaskSkipped(nowMs, task.id(), "optional phase '" + task.phase.id() + "': " + why.message()),
                commands);
            return true;
        }
        return false;
    }

    /**
     * Part of {@link #assignReadyTasks} under the Director's guidance: one task at a time, best rank first (plan
     * order among equals), while the limit leaves a slot; a task the Director reassigned goes to its agent.
     */
    private boolean assignInRankOrder(final List<TaskRecord> ready, final long nowMs,
        final List<EngineCommand> commands)
    {
        final List<TaskRecord> ranked = new ArrayList<>(ready);
        ranked.sort(java.util.Comparator.comparingInt(this::rankOf)); // stable: plan order among equal ranks
        boolean changed = false;
        for (final TaskRecord task : ranked)
        {
            final int limit = taskLimit();
            if (limit > 0 && heldTasks() >= limit)
            {
                break;
            }
            if (task.reassignTo != null && reassignable(task, task.reassignTo).isEmpty())
            {
                decide(new TaskAssigned(nowMs, task.id(), task.reassignTo, 1), commands);
                changed = true;
                continue;
            }
            final Assignment assignment = selector.assign(List.of(demandOf(task)), currentCandidates());
            changed |= placeOrSkip(task, assignment, nowMs, commands);
        }
        return changed;
    }

    /** The better of the task's rank and its phase's; unranked tasks come last. */
    private int rankOf(final TaskRecord task)
    {
        return Math.min(priorities.getOrDefault(task.id(), Integer.MAX_VALUE),
            priorities.getOrDefault(task.phase.id(), Integer.MAX_VALUE));
    }

    private int heldTasks()
    {
        int held = 0;
        for (final TaskRecord task : tasks.values())
        {
            if (task.state.holdsAgent())
            {
                held++;
            }
        }
        return held;
    }

    /**
     * @return the most tasks the engine keeps assigned at once under the Director's guidance: 1 when parallel
     * execution is off, else {@code maxParallelTasks}; 0 for no limit.
     */
    public int taskLimit()
    {
        return parallelExecution ? maxParallelTasks : 1;
    }

    /**
     * Why {@code agentName} cannot take the task now, or empty when it can.
     */
    private String reassignable(final TaskRecord task, final String agentName)
    {
        for (final Candidate candidate : currentCandidates())
        {
            if (candidate.name().equals(agentName))
            {
                if (!candidate.capabilities().contains(task.definition.capability()))
                {
                    return agentName + " is not capable of " + task.definition.capability();
                }
                return candidate.load() >= candidate.capacity() ? agentName + " is busy (" + candidate.load() +
                    " of " + candidate.capacity() + " slots taken)" : "";
            }
        }
        return departed.contains(agentName) ? agentName + " has departed" : "no agent '" + agentName +
            "' in the workflow (agents: " + candidates.stream().map(Candidate::name).toList() + ")";
    }

    /** @return the Director's gate overrides in force, by gate name, in the order they were first given. */
    public Map<String, GateOverride> gateOverrides()
    {
        return Map.copyOf(gateOverrides);
    }

    /** @return the risk notes the Director sent, in order. */
    public List<String> riskNotes()
    {
        return List.copyOf(riskNotes);
    }

    /** Records a decision, applies it, and adds the command it stands for. */
    private void decide(final WorkflowEvent decision, final List<EngineCommand> commands)
    {
        record(decision);
        switch (decision)
        {
            case TaskAssigned assigned -> commands.add(new AssignTask(assigned.taskId(), assigned.agentName(),
                tasks.get(assigned.taskId()).definition.capability(), assigned.attempt()));
            case RetryScheduled retry -> commands.add(new ScheduleRetry(retry.taskId(), retry.atMs()));
            case GateEvaluated evaluated -> commands.add(new EvaluateGates(evaluated.phaseId()));
            case GatesRequested requested ->
            {
                final QualityGates selected = phaseGates(definition.phase(requested.phaseId()).orElseThrow());
                commands.add(new MeasurePhase(requested.phaseId(), requested.round(), selected, selected.metrics()));
            }
            case Escalated escalated -> commands.add(new EscalateToDirector(tasks.get(escalated.taskId()).escalation));
            case WorkflowCompleted completed -> commands.add(new CompleteWorkflow());
            case WorkflowFailed failed -> commands.add(new FailWorkflow(failed.reason()));
            default ->
            {
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private void record(final WorkflowEvent event)
    {
        journal.append(event);
        apply(event);
    }

    private void validateInput(final WorkflowEvent event)
    {
        if (event.timestampMs() < lastEventMs)
        {
            throw new IllegalArgumentException("event at " + event.timestampMs() + " ms is older than the latest " +
                "event at " + lastEventMs + " ms: " + event);
        }
        if (event instanceof AgentDeparted || event instanceof WorkspaceRecorded)
        {
            return; // any agent, any time; one that is not in the workflow changes nothing
        }
        if (event instanceof DirectorGuidance guidance)
        {
            validateGuidance(guidance);
            return;
        }
        if (event instanceof PhaseMeasured measured)
        {
            validateMeasured(measured);
            return;
        }
        final TaskRecord task = switch (event)
        {
            case TaskStarted e -> requireState(e.taskId(), event, TaskState.ASSIGNED);
            case TaskProgress e -> requireState(e.taskId(), event, TaskState.ASSIGNED, TaskState.RUNNING);
            case TaskCompleted e -> requireState(e.taskId(), event, TaskState.ASSIGNED, TaskState.RUNNING);
            case TaskFailed e -> requireState(e.taskId(), event, TaskState.ASSIGNED, TaskState.RUNNING);
            case RetryTimerFired e -> requireState(e.taskId(), event, TaskState.WAITING_RETRY);
            case DirectorDecided e -> requireState(e.taskId(), event, TaskState.ESCALATED);
            default -> throw new IllegalArgumentException("not an input event: " + event);
        };
        if (event instanceof RetryTimerFired fired && (task.retryDue || fired.timestampMs() < task.retryAtMs))
        {
            throw new IllegalArgumentException("retry timer of task '" + task.id() + "' fired at " +
                fired.timestampMs() + " ms but is due at " + task.retryAtMs + " ms" +
                (task.retryDue ? " and has already fired" : ""));
        }
    }

    private void validateGuidance(final DirectorGuidance guidance)
    {
        for (final GateOverride override : guidance.gateOverrides())
        {
            if (qualityGates.gate(override.gate()).isEmpty())
            {
                throw new IllegalArgumentException("the Director overrode gate '" + override.gate() + "', but the " +
                    "workflow's gates are " + qualityGates.gates().stream().map(QualityGate::name).toList());
            }
        }
        guidance.priorities().forEach((id, rank) ->
        {
            if (!tasks.containsKey(id) && definition.phase(id).isEmpty())
            {
                throw new IllegalArgumentException("the Director ranked '" + id + "', which is neither a phase nor " +
                    "a task of workflow '" + definition.name() + "'");
            }
        });
    }

    private void validateMeasured(final PhaseMeasured measured)
    {
        final GateState state = gates.get(measured.phaseId());
        if (state != GateState.MEASURING || measuredPhases.containsKey(measured.phaseId()))
        {
            throw new IllegalArgumentException("phase '" + measured.phaseId() + "' is not being measured (" + state +
                "): " + measured);
        }
        for (final MeasuredMetric metric : measured.metrics())
        {
            if (metric.value() != null && !Double.isFinite(metric.value()))
            {
                throw new IllegalArgumentException(metric.metric() + " of phase '" + measured.phaseId() +
                    "' must be a finite number or not measured (null), was " + metric.value());
            }
        }
        for (final String taskId : measured.conflicts().keySet())
        {
            final TaskRecord task = requireState(taskId, measured, TaskState.COMPLETED);
            if (!task.phase.id().equals(measured.phaseId()))
            {
                throw new IllegalArgumentException("task '" + taskId + "' is in phase '" + task.phase.id() +
                    "', not '" + measured.phaseId() + "': " + measured);
            }
        }
    }

    private TaskRecord requireState(final String taskId, final WorkflowEvent event, final TaskState... allowed)
    {
        final TaskRecord task = tasks.get(taskId);
        if (task == null)
        {
            throw new IllegalArgumentException("no task '" + taskId + "' in workflow '" + definition.name() +
                "'; tasks: " + tasks.keySet());
        }
        for (final TaskState state : allowed)
        {
            if (task.state == state)
            {
                return task;
            }
        }
        throw new IllegalArgumentException(event.getClass().getSimpleName() + " needs task '" + taskId + "' in " +
            List.of(allowed) + " but it is " + task.state + ": " + event);
    }

    /** The only code that changes the state: a pure fold step, run live and on replay alike. */
    private void apply(final WorkflowEvent event)
    {
        lastEventMs = Math.max(lastEventMs, event.timestampMs());
        switch (event)
        {
            case WorkflowStarted e ->
            {
                status = WorkflowStatus.RUNNING;
                workflowId = e.workflowId();
                startedAtMs = e.timestampMs();
                candidates = e.candidates();
            }
            case TaskAssigned e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                if (task.agent != null && !task.agent.equals(e.agentName()))
                {
                    task.agentsTried.add(task.agent);
                }
                task.agent = e.agentName();
                task.attempt = e.attempt();
                task.state = TaskState.ASSIGNED;
                task.percent = 0;
                task.retryDue = false;
                task.retryAtMs = -1;
                task.escalation = null;
                task.reassignTo = null;
                task.note = task.reassignNote == null ? "" : task.reassignNote; // what the Director's choice became
                task.reassignNote = null;
            }
            case TaskStarted e -> tasks.get(e.taskId()).state = TaskState.RUNNING;
            case TaskProgress e -> tasks.get(e.taskId()).percent = e.percent();
            case TaskCompleted e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.state = TaskState.COMPLETED;
                task.percent = 100;
                task.metrics = e.metrics();
                task.output = e.output();
                successes.merge(task.agent, 1, Integer::sum);
                settleParent(task);
            }
            case TaskFailed e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.fail(e.errorKind(), e.message());
                failures.merge(task.agent, 1, Integer::sum);
            }
            case RetryScheduled e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.state = TaskState.WAITING_RETRY;
                task.retryAttempt = e.attempt();
                task.retryAtMs = e.atMs();
            }
            case RetryTimerFired e -> tasks.get(e.taskId()).retryDue = true;
            case GateEvaluated e ->
            {
                gates.put(e.phaseId(), e.passed() ? GateState.PASSED : GateState.FAILED);
                gateSummaries.put(e.phaseId(), e.summary());
                gatesRemediating.put(e.phaseId(), e.remediating());
                measuredPhases.remove(e.phaseId());
                if (!e.passed() && !e.remediating())
                {
                    lastCompletedTask(e.phaseId()).fail(GateReport.ERROR_KIND, e.summary());
                }
            }
            case GatesRequested e ->
            {
                gates.put(e.phaseId(), GateState.MEASURING);
                measureRounds.put(e.phaseId(), e.round());
                measuredPhases.remove(e.phaseId());
            }
            case PhaseMeasured e ->
            {
                if (e.conflicts().isEmpty())
                {
                    measuredPhases.put(e.phaseId(), e.metrics());
                }
                else
                {
                    gates.put(e.phaseId(), GateState.PENDING);
                    e.conflicts().forEach((taskId, why) ->
                    {
                        final TaskRecord task = tasks.get(taskId);
                        task.fail(MERGE_CONFLICT, why);
                        failures.merge(task.agent, 1, Integer::sum);
                        if (task.parentId != null)
                        {
                            tasks.get(task.parentId).state = TaskState.DECOMPOSED; // done again with the subtask
                        }
                    });
                }
            }
            case RemediationPlanned e ->
            {
                remediationRounds.put(e.phaseId(), e.round());
                final TaskRecord anchor = phaseTasks(definition.phase(e.phaseId()).orElseThrow()).getFirst();
                for (final TaskDefinition remedy : e.tasks())
                {
                    tasks.put(remedy.id(), new TaskRecord(remedy, anchor.phase));
                    phaseExtras.computeIfAbsent(e.phaseId(), id -> new ArrayList<>()).add(remedy.id());
                }
            }
            case WorkspaceRecorded e ->
            {
                // a record for people and restarts; the engine's state does not depend on the repository
            }
            case TaskSkipped e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.state = TaskState.SKIPPED;
                task.note = e.reason();
                settleParent(task);
            }
            case Escalated e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.state = TaskState.ESCALATED;
                task.note = e.reason();
                final Set<String> tried = new TreeSet<>(task.agentsTried);
                tried.add(task.agent);
                task.escalation = new EscalationRequest(task.lastFailure, tried, e.reason());
            }
            case DirectorDecided e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.escalation = null;
                switch (e.decision().verdict())
                {
                    case RETRY -> requeue(task, "");
                    case REPLAN ->
                    {
                        requeue(task, "replanned by the Director: " + e.decision().note());
                        task.agentsTried.clear(); // every agent is allowed again
                    }
                    case REASSIGN ->
                    {
                        requeue(task, "");
                        final String agent = e.decision().agent();
                        final String why = reassignable(task, agent);
                        task.reassignTo = why.isEmpty() ? agent : null;
                        task.note = why.isEmpty() ? "reassigned by the Director to " + agent : "the Director " +
                            "reassigned it to " + agent + ", but " + why + "; the best other agent takes it";
                        task.reassignNote = task.note;
                    }
                    case SKIP ->
                    {
                        task.state = TaskState.SKIPPED;
                        task.note = "skipped by the Director: " + e.decision().note();
                        settleParent(task);
                    }
                    case ABORT ->
                    {
                        task.state = TaskState.FAILED;
                        task.note = "aborted by the Director: " + e.decision().note();
                        abortReason = "the Director aborted the workflow at task '" + task.id() + "': " +
                            e.decision().note();
                    }
                }
            }
            case DirectorGuidance e ->
            {
                e.gateOverrides().forEach(override -> gateOverrides.put(override.gate(), override));
                priorities.putAll(e.priorities());
                if (e.maxParallelTasks() != null)
                {
                    maxParallelTasks = e.maxParallelTasks();
                }
                if (e.parallelExecution() != null)
                {
                    parallelExecution = e.parallelExecution();
                }
                riskNotes.addAll(e.riskNotes());
            }
            case TaskDecomposed e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.state = TaskState.DECOMPOSED;
                task.decomposed = true;
                task.note = e.reason();
                for (final TaskDefinition subtask : e.subtasks())
                {
                    final TaskRecord part = new TaskRecord(subtask, task.phase);
                    part.parentId = task.id();
                    task.subtaskIds.add(subtask.id());
                    tasks.put(subtask.id(), part);
                }
            }
            case TaskRequeued e ->
            {
                final TaskRecord task = tasks.get(e.taskId());
                task.agentsTried.add(task.agent);
                task.agent = null;
                task.attempt = 0;
                task.state = TaskState.PENDING;
                task.note = e.reason();
            }
            case AgentDeparted e ->
            {
                departed.add(e.agentName());
                for (final TaskRecord task : tasks.values())
                {
                    if (task.state.holdsAgent() && e.agentName().equals(task.agent))
                    {
                        task.fail(AgentDeparted.AGENT_LOST, e.agentName() + " departed: " + e.reason());
                        failures.merge(task.agent, 1, Integer::sum);
                    }
                }
            }
            case WorkflowCompleted e -> status = WorkflowStatus.COMPLETED;
            case WorkflowFailed e ->
            {
                status = WorkflowStatus.FAILED;
                failureReason = e.reason();
            }
        }
    }

    /** Part of {@link #apply}: the task goes back to the queue at attempt 1, its last agent counted as tried. */
    private static void requeue(final TaskRecord task, final String note)
    {
        if (task.agent != null)
        {
            task.agentsTried.add(task.agent);
        }
        task.agent = null;
        task.attempt = 0;
        task.state = TaskState.PENDING;
        task.note = note;
    }

    /** Part of {@link #apply}: a decomposed task is done once all its subtasks are. */
    private void settleParent(final TaskRecord subtask)
    {
        if (subtask.parentId == null)
        {
            return;
        }
        final TaskRecord parent = tasks.get(subtask.parentId);
        final Map<Metric, Double> merged = new HashMap<>();
        boolean anyCompleted = false;
        for (final String id : parent.subtaskIds)
        {
            final TaskRecord part = tasks.get(id);
            if (!part.state.isDone())
            {
                return;
            }
            if (part.state == TaskState.COMPLETED)
            {
                anyCompleted = true;
                merged.putAll(part.metrics);
            }
        }
        parent.state = anyCompleted ? TaskState.COMPLETED : TaskState.SKIPPED;
        parent.percent = 100;
        parent.metrics = Map.copyOf(merged);
        final StringBuilder summary = new StringBuilder();
        final Set<String> changed = new TreeSet<>();
        final Set<String> artifacts = new TreeSet<>();
        for (final String id : parent.subtaskIds)
        {
            final TaskOutput output = tasks.get(id).output;
            if (output != null)
            {
                if (!output.summary().isEmpty())
                {
                    summary.append(summary.isEmpty() ? "" : "\n").append(id).append(": ").append(output.summary());
                }
                changed.addAll(output.changedFiles());
                artifacts.addAll(output.artifacts());
            }
        }
        parent.output = new TaskOutput(parent.id(), summary.toString(), List.copyOf(changed), List.copyOf(artifacts));
        parent.note = anyCompleted ? "completed in " + parent.subtaskIds.size() + " subtasks" :
            "every subtask was skipped";
    }

    // ------------------------------------------------------------------------------------------------ queries

    private List<TaskRecord> readyTasks()
    {
        final List<TaskRecord> ready = new ArrayList<>();
        for (final TaskRecord task : tasks.values())
        {
            if (task.state == TaskState.PENDING && unmetDependencies(task).isEmpty())
            {
                ready.add(task);
            }
        }
        return ready;
    }

    /** Dependencies not yet usable: a dependency in another phase also waits for that phase's gates. */
    List<String> unmetDependencies(final TaskRecord task)
    {
        final List<String> unmet = new ArrayList<>();
        for (final String dependencyId : task.definition.dependsOn())
        {
            final TaskRecord dependency = tasks.get(dependencyId);
            final boolean met = dependency.state == TaskState.SKIPPED || dependency.state == TaskState.COMPLETED &&
                (dependency.phase == task.phase || gates.get(dependency.phase.id()) == GateState.PASSED);
            if (!met)
            {
                unmet.add(dependencyId);
            }
        }
        return unmet;
    }

    private boolean phaseTasksDone(final PhaseDefinition phase)
    {
        for (final TaskRecord task : phaseTasks(phase))
        {
            if (!task.state.isDone())
            {
                return false;
            }
        }
        return true;
    }

    /** The phase's tasks: those of the definition, then its remediation tasks (subtasks are under their parent). */
    private List<TaskRecord> phaseTasks(final PhaseDefinition phase)
    {
        final List<TaskRecord> records = new ArrayList<>();
        for (final TaskDefinition task : phase.tasks())
        {
            records.add(tasks.get(task.id()));
        }
        for (final String id : phaseExtras.getOrDefault(phase.id(), List.of()))
        {
            records.add(tasks.get(id));
        }
        return records;
    }

    private boolean allDone()
    {
        for (final GateState gate : gates.values())
        {
            if (gate != GateState.PASSED)
            {
                return false;
            }
        }
        return tasks.values().stream().allMatch(task -> task.state.isDone());
    }

    private TaskRecord lastCompletedTask(final String phaseId)
    {
        final List<TaskRecord> phaseTasks = phaseTasks(definition.phase(phaseId).orElseThrow());
        for (int i = phaseTasks.size() - 1; i >= 0; i--)
        {
            final TaskRecord task = phaseTasks.get(i);
            if (task.state == TaskState.COMPLETED)
            {
                return task;
            }
        }
        throw new IllegalStateException("phase '" + phaseId + "' failed its gates but has no completed task");
    }

    /** The start snapshot with each agent's load, successes and failures brought up to date. */
    List<Candidate> currentCandidates()
    {
        final Map<String, Integer> held = new HashMap<>();
        for (final TaskRecord task : tasks.values())
        {
            if (task.state.holdsAgent())
            {
                held.merge(task.agent, 1, Integer::sum);
            }
        }
        final List<Candidate> current = new ArrayList<>(candidates.size());
        for (final Candidate c : candidates)
        {
            if (departed.contains(c.name()))
            {
                continue;
            }
            final int load = Math.min(c.capacity(), c.load() + held.getOrDefault(c.name(), 0));
            current.add(new Candidate(c.name(), c.agentId(), c.capabilities(), load, c.capacity(),
                c.successes() + successes.getOrDefault(c.name(), 0), c.failures() + failures.getOrDefault(c.name(), 0)));
        }
        return current;
    }

    private static TaskDemand demandOf(final TaskRecord task)
    {
        return new TaskDemand(task.id(), task.definition.capability());
    }

    Map<String, TaskRecord> tasks()
    {
        return tasks;
    }

    Map<String, GateState> gates()
    {
        return gates;
    }

    Map<String, String> gateSummaries()
    {
        return gateSummaries;
    }

    AgentSelector selector()
    {
        return selector;
    }

    String workflowId()
    {
        return workflowId;
    }

    long startedAtMs()
    {
        return startedAtMs;
    }

    long lastEventMs()
    {
        return lastEventMs;
    }

    /** One task's mutable state; changed only by {@link #apply}. */
    static final class TaskRecord
    {
        final TaskDefinition definition;
        final PhaseDefinition phase;
        final Set<String> agentsTried = new TreeSet<>();
        TaskState state = TaskState.PENDING;
        String agent;
        int attempt;
        int percent;
        Map<Metric, Double> metrics = Map.of();
        TaskOutput output;
        int retryAttempt;
        long retryAtMs = -1;
        boolean retryDue;
        Failure lastFailure;
        EscalationRequest escalation;
        String note = "";
        String parentId;
        boolean decomposed;
        /** The agent the Director reassigned the task to, until it is assigned. */
        String reassignTo;
        /** What became of the Director's REASSIGN, kept as the note of the assignment that follows it. */
        String reassignNote;
        final List<String> subtaskIds = new ArrayList<>();

        TaskRecord(final TaskDefinition definition, final PhaseDefinition phase)
        {
            this.definition = definition;
            this.phase = phase;
        }

        String id()
        {
            return definition.id();
        }

        void fail(final String errorKind, final String message)
        {
            state = TaskState.FAILED;
            lastFailure = new Failure(id(), errorKind, message, attempt, agent, phase.optional(),
                definition.decomposable() && parentId == null && !decomposed);
        }
    }

    /**
     * The engine's settings. Not thread-safe; {@link #build()} may be called more than once, each engine getting
     * its own state.
     */
    public static final class Builder
    {
        private final WorkflowDefinition definition;
        private String workflowId;
        private QualityGates qualityGates = QualityGates.defaults();
        private RecoveryPolicy recoveryPolicy = new RecoveryPolicy(RetryOptions.defaults());
        private AgentSelector selector = new AgentSelector();
        private TaskDecomposer decomposer = TaskDecomposer.byContext(ContextUnits.NONE, TaskDecomposer.DEFAULT_PARTS);
        private List<Candidate> candidates = List.of();
        private EventJournal journal;
        private int remediationRounds = 2;

        private Builder(final WorkflowDefinition definition)
        {
            this.definition = Objects.requireNonNull(definition, "definition");
            this.workflowId = definition.name();
        }

        /**
         * @param workflowId the instance id recorded in {@link WorkflowStarted}; defaults to the definition name.
         * @return this.
         */
        public Builder workflowId(final String workflowId)
        {
            this.workflowId = Objects.requireNonNull(workflowId, "workflowId");
            return this;
        }

        /**
         * @param qualityGates the gates phases are checked against; a phase uses those its gate names match.
         * @return this.
         */
        public Builder qualityGates(final QualityGates qualityGates)
        {
            this.qualityGates = Objects.requireNonNull(qualityGates, "qualityGates");
            return this;
        }

        /**
         * @param retryOptions the retry options of a {@link RecoveryPolicy}.
         * @return this.
         */
        public Builder retryOptions(final RetryOptions retryOptions)
        {
            return recoveryPolicy(new RecoveryPolicy(retryOptions));
        }

        /**
         * @param recoveryPolicy what to do about failures.
         * @return this.
         */
        public Builder recoveryPolicy(final RecoveryPolicy recoveryPolicy)
        {
            this.recoveryPolicy = Objects.requireNonNull(recoveryPolicy, "recoveryPolicy");
            return this;
        }

        /**
         * @param selector how ready tasks are matched to agents.
         * @return this.
         */
        public Builder selector(final AgentSelector selector)
        {
            this.selector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /**
         * @param decomposer splits decomposable tasks recovery could not finish otherwise; defaults to
         *                   {@link TaskDecomposer#byContext} of the declared paths, at most
         *                   {@value TaskDecomposer#DEFAULT_PARTS} parts.
         * @return this.
         */
        public Builder decomposer(final TaskDecomposer decomposer)
        {
            this.decomposer = Objects.requireNonNull(decomposer, "decomposer");
            return this;
        }

        /**
         * @param rounds how many times a phase whose blocking gate failed on a measured shortfall gets remediation
         *               tasks before the failure goes to recovery; 0 for none; defaults to 2.
         * @return this.
         */
        public Builder remediationRounds(final int rounds)
        {
            if (rounds < 0)
            {
                throw new IllegalArgumentException("remediation rounds must be at least 0, was " + rounds);
            }
            this.remediationRounds = rounds;
            return this;
        }

        /**
         * @param candidates the agents at start; recorded in {@link WorkflowStarted}; names unique.
         * @return this.
         */
        public Builder candidates(final List<Candidate> candidates)
        {
            this.candidates = List.copyOf(candidates);
            return this;
        }

        /**
         * @param journal where events are recorded; defaults to a new {@link InMemoryJournal} per engine.
         * @return this.
         */
        public Builder journal(final EventJournal journal)
        {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * @return a new engine, not started.
         * @throws dev.switchboard.orchestrator.workflow.WorkflowValidationException when the definition's DAG is
         *                                                                           invalid.
         */
        public WorkflowEngine build()
        {
            return new WorkflowEngine(this, journal != null ? journal : new InMemoryJournal());
        }
    }
}
