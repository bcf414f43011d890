/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.TaskDefinition;

/**
 * One entry of a workflow's history. A closed set of immutable records: the {@link WorkflowEngine}'s state is a
 * fold of these events, so replaying a journal rebuilds it exactly.
 *
 * <p>Two kinds share the history:
 * <ul>
 *   <li><b>Inputs</b> ({@link #isInput()}), reported by the host to {@link WorkflowEngine#onEvent}:
 *       {@link TaskStarted}, {@link TaskProgress}, {@link TaskCompleted}, {@link TaskFailed},
 *       {@link RetryTimerFired}, {@link DirectorDecided}, {@link DirectorGuidance}, {@link PhaseMeasured},
 *       {@link WorkspaceRecorded}.</li>
 *   <li><b>Decisions</b>, recorded by the engine itself: {@link WorkflowStarted}, {@link TaskAssigned},
 *       {@link RetryScheduled}, {@link GatesRequested}, {@link GateEvaluated}, {@link RemediationPlanned},
 *       {@link TaskSkipped}, {@link Escalated},
 *       {@link WorkflowCompleted}, {@link WorkflowFailed}. Recording them is what makes replay independent of
 *       anything live (agent loads, the Director, the selector's scoring).</li>
 * </ul>
 * Every event carries a logical timestamp in milliseconds supplied by the caller; the engine never reads a clock.
 * A decision carries the timestamp of the input that caused it.
 *
 * <p>Serialised as JSON with a {@code "type"} tag (the record's simple name) by {@link EventCodec}.
 * Immutable and thread-safe.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(WorkflowEvent.WorkflowStarted.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskAssigned.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskStarted.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskProgress.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskCompleted.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskFailed.class),
    @JsonSubTypes.Type(WorkflowEvent.AgentDeparted.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskRequeued.class),
    @JsonSubTypes.Type(WorkflowEvent.RetryScheduled.class),
    @JsonSubTypes.Type(WorkflowEvent.RetryTimerFired.class),
    @JsonSubTypes.Type(WorkflowEvent.GateEvaluated.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskSkipped.class),
    @JsonSubTypes.Type(WorkflowEvent.Escalated.class),
    @JsonSubTypes.Type(WorkflowEvent.TaskDecomposed.class),
    @JsonSubTypes.Type(WorkflowEvent.DirectorDecided.class),
    @JsonSubTypes.Type(WorkflowEvent.DirectorGuidance.class),
    @JsonSubTypes.Type(WorkflowEvent.GatesRequested.class),
    @JsonSubTypes.Type(WorkflowEvent.PhaseMeasured.class),
    @JsonSubTypes.Type(WorkflowEvent.RemediationPlanned.class),
    @JsonSubTypes.Type(WorkflowEvent.WorkspaceRecorded.class),
    @JsonSubTypes.Type(WorkflowEvent.WorkflowCompleted.class),
    @JsonSubTypes.Type(WorkflowEvent.WorkflowFailed.class)})
public sealed interface WorkflowEvent
{
    /** @return the logical time of the event, in milliseconds; never negative. */
    long timestampMs();

    /** @return true for events the host reports, false for the engine's own recorded decisions. */
    default boolean isInput()
    {
        return false;
    }

    /**
     * The workflow began. Recorded by {@link WorkflowEngine#start(long)}; always the journal's first event.
     *
     * @param timestampMs    logical time.
     * @param workflowId     the workflow instance.
     * @param definitionName the {@code WorkflowDefinition} name; checked on recovery.
     * @param candidates     the agents as they were at start: replay scores against this snapshot, not the live
     *                       registry.
     */
    record WorkflowStarted(long timestampMs, String workflowId, String definitionName, List<Candidate> candidates)
        implements WorkflowEvent
    {
        /** Validates and copies. */
        public WorkflowStarted
        {
            requireTime(timestampMs);
            requireText(workflowId, "workflowId");
            requireText(definitionName, "definitionName");
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Decision: the task goes to an agent.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param agentName   the agent.
     * @param attempt     the attempt on that agent, from 1.
     */
    record TaskAssigned(long timestampMs, String taskId, String agentName, int attempt) implements WorkflowEvent
    {
        /** Validates. */
        public TaskAssigned
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            requireText(agentName, "agentName");
            if (attempt < 1)
            {
                throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt + " for " + taskId);
            }
        }
    }

    /**
     * Input: the agent began work on the task.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     */
    record TaskStarted(long timestampMs, String taskId) implements WorkflowEvent
    {
        /** Validates. */
        public TaskStarted
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Input: how far the agent has got.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param percent     0 to 100.
     */
    record TaskProgress(long timestampMs, String taskId, int percent) implements WorkflowEvent
    {
        /** Validates. */
        public TaskProgress
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            if (percent < 0 || percent > 100)
            {
                throw new IllegalArgumentException("progress of " + taskId + " must be in [0, 100], was " + percent);
            }
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Input: the task succeeded. The metrics are what the agent reported about its own work: kept in the journal and
     * the report as "reported", never read by a quality gate (the host measures the phase's merged tree itself,
     * {@link PhaseMeasured}).
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param metrics     values the agent reported; copied; may be empty.
     * @param output      what the task leaves for the tasks that depend on it (summary, changed files, artifacts);
     *                    null in journals written before outputs were recorded, read as none.
     */
    record TaskCompleted(long timestampMs, String taskId, Map<Metric, Double> metrics, TaskOutput output)
        implements WorkflowEvent
    {
        /** Validates and copies. */
        public TaskCompleted
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            metrics = Map.copyOf(metrics);
            output = output == null ? new TaskOutput(taskId, "", List.of(), List.of()) : output;
        }

        /**
         * A completion without output.
         *
         * @param timestampMs logical time.
         * @param taskId      the task.
         * @param metrics     values the agent reported.
         */
        public TaskCompleted(final long timestampMs, final String taskId, final Map<Metric, Double> metrics)
        {
            this(timestampMs, taskId, metrics, null);
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Input: the attempt failed.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param errorKind   a stable classifier, matched against the retry options' non-retryable kinds.
     * @param message     what went wrong, for people.
     */
    record TaskFailed(long timestampMs, String taskId, String errorKind, String message) implements WorkflowEvent
    {
        /** Validates. */
        public TaskFailed
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            requireText(errorKind, "errorKind");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Input: an agent left the registry (deregistered, or its lease expired because its process died). Its tasks in
     * hand fail with {@link #AGENT_LOST} and go through recovery, which never retries them on it; it gets no more
     * work in this workflow.
     *
     * @param timestampMs logical time.
     * @param agentName   the agent.
     * @param reason      how it left, for people.
     */
    record AgentDeparted(long timestampMs, String agentName, String reason) implements WorkflowEvent
    {
        /** Error kind of the failures of the tasks a departed agent held. */
        public static final String AGENT_LOST = "AGENT_LOST";

        /** Validates. */
        public AgentDeparted
        {
            requireTime(timestampMs);
            requireText(agentName, "agentName");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Decision: the agent of a task departed and every other capable agent is busy; the task waits, pending, for
     * the next free one, at attempt 1.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param reason      why.
     */
    record TaskRequeued(long timestampMs, String taskId, String reason) implements WorkflowEvent
    {
        /** Validates. */
        public TaskRequeued
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Decision: the task will run again on the same agent once the host reports {@link RetryTimerFired}.
     *
     * @param timestampMs logical time of the failure.
     * @param taskId      the task.
     * @param attempt     the number the next attempt will carry.
     * @param atMs        when the retry is due: failure time plus the backoff.
     */
    record RetryScheduled(long timestampMs, String taskId, int attempt, long atMs) implements WorkflowEvent
    {
        /** Validates. */
        public RetryScheduled
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            if (atMs < timestampMs || attempt < 2)
            {
                throw new IllegalArgumentException("a retry of " + taskId + " needs atMs >= timestampMs and attempt >= 2" +
                    ", was atMs=" + atMs + " timestampMs=" + timestampMs + " attempt=" + attempt);
            }
        }
    }

    /**
     * Input: the host's timer for a {@link RetryScheduled} went off.
     *
     * @param timestampMs logical time; at least the retry's {@code atMs}.
     * @param taskId      the task.
     */
    record RetryTimerFired(long timestampMs, String taskId) implements WorkflowEvent
    {
        /** Validates. */
        public RetryTimerFired
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Decision: every task of a phase is done; the host is to merge the phase's work and measure the merged tree
     * for the phase's gates ({@link EngineCommand.MeasurePhase}), then report {@link PhaseMeasured}.
     *
     * @param timestampMs logical time.
     * @param phaseId     the phase.
     * @param round       1 for the phase's first measurement, one more after each remediation or merge conflict.
     */
    record GatesRequested(long timestampMs, String phaseId, int round) implements WorkflowEvent
    {
        /** Validates. */
        public GatesRequested
        {
            requireTime(timestampMs);
            requireText(phaseId, "phaseId");
        }
    }

    /**
     * Input: the host merged a phase's work and measured the merged tree. Either some tasks' work conflicted with
     * work merged before it ({@code conflicts}: each of those tasks fails with {@code MERGE_CONFLICT} and recovery
     * runs it again from the merged head; nothing was measured), or the tree was measured ({@code metrics}).
     *
     * @param timestampMs logical time.
     * @param phaseId     the phase.
     * @param conflicts   task id to what conflicted; empty when every task merged.
     * @param metrics     what the host measured, one entry per metric the phase's gates need (a metric it could
     *                    not measure says why); empty when there were conflicts.
     */
    record PhaseMeasured(long timestampMs, String phaseId, Map<String, String> conflicts, List<MeasuredMetric> metrics)
        implements WorkflowEvent
    {
        /** Validates and copies. */
        public PhaseMeasured
        {
            requireTime(timestampMs);
            requireText(phaseId, "phaseId");
            conflicts = Map.copyOf(conflicts);
            metrics = List.copyOf(metrics);
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * One metric as the host measured it, as the journal keeps it.
     *
     * @param metric  the metric.
     * @param value   the value; null when it was not measured.
     * @param note    where the value came from, or why there is none.
     * @param details the specifics (uncovered classes, complex methods with file:line, findings); may be empty.
     */
    record MeasuredMetric(Metric metric, Double value, String note, List<String> details)
    {
        /** Validates and copies. */
        public MeasuredMetric
        {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(note, "note");
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /**
     * Decision: the quality gates of a phase were evaluated on what the host measured ({@link PhaseMeasured}).
     *
     * @param timestampMs logical time.
     * @param phaseId     the phase.
     * @param passed      false when a blocking gate failed.
     * @param summary     one line per gate.
     * @param remediating true when a {@link RemediationPlanned} follows; false when a failed gate fails the phase's
     *                    last completed task instead (no remediation left, or journals written before remediation).
     */
    record GateEvaluated(long timestampMs, String phaseId, boolean passed, String summary, boolean remediating)
        implements WorkflowEvent
    {
        /** Validates. */
        public GateEvaluated
        {
            requireTime(timestampMs);
            requireText(phaseId, "phaseId");
            Objects.requireNonNull(summary, "summary");
        }

        /**
         * An evaluation with no remediation.
         *
         * @param timestampMs logical time.
         * @param phaseId     the phase.
         * @param passed      false when a blocking gate failed.
         * @param summary     one line per gate.
         */
        public GateEvaluated(final long timestampMs, final String phaseId, final boolean passed, final String summary)
        {
            this(timestampMs, phaseId, passed, summary, false);
        }
    }

    /**
     * Decision: a phase's blocking gate failed on measured values, and these tasks, each for the specialist of one
     * shortfall with the measurement as its context, join the phase; the phase is measured again once they are done.
     * Recorded whole, so replay does not depend on the remediation rules in force.
     *
     * @param timestampMs logical time.
     * @param phaseId     the phase.
     * @param round       1 for the phase's first remediation.
     * @param tasks       the remediation tasks.
     * @param reason      the gate summary that asked for them.
     */
    record RemediationPlanned(long timestampMs, String phaseId, int round, List<TaskDefinition> tasks, String reason)
        implements WorkflowEvent
    {
        /** Validates and copies. */
        public RemediationPlanned
        {
            requireTime(timestampMs);
            requireText(phaseId, "phaseId");
            tasks = List.copyOf(tasks);
            if (tasks.isEmpty())
            {
                throw new IllegalArgumentException("a remediation of phase " + phaseId + " needs at least one task");
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Input: something the host did to the repository for the workflow (a phase's start commit recorded, a task's
     * worktree started or committed, a merge, a conflict aborted, a rollback), kept in the journal so that a person,
     * or a restarted run, can see and undo it. It changes no engine state.
     *
     * @param timestampMs logical time.
     * @param action      what was done, e.g. {@code PhaseStarted}, {@code TaskMerged}, {@code RolledBack}.
     * @param phaseId     the phase, or empty.
     * @param taskId      the task, or empty.
     * @param commit      the commit it concerns, or empty.
     * @param detail      for people.
     */
    record WorkspaceRecorded(long timestampMs, String action, String phaseId, String taskId, String commit,
        String detail) implements WorkflowEvent
    {
        /** Validates. */
        public WorkspaceRecorded
        {
            requireTime(timestampMs);
            requireText(action, "action");
            phaseId = phaseId == null ? "" : phaseId;
            taskId = taskId == null ? "" : taskId;
            commit = commit == null ? "" : commit;
            detail = detail == null ? "" : detail;
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Decision: the workflow goes on without the task.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param reason      why.
     */
    record TaskSkipped(long timestampMs, String taskId, String reason) implements WorkflowEvent
    {
        /** Validates. */
        public TaskSkipped
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Decision: recovery split a failed decomposable task into subtasks, which replace it in the plan; the task
     * completes when every subtask is done. The subtasks are recorded whole, so replay does not depend on the
     * decomposer in force.
     *
     * @param timestampMs logical time.
     * @param taskId      the task split.
     * @param subtasks    its parts, never decomposable themselves.
     * @param reason      why recovery split it.
     */
    record TaskDecomposed(long timestampMs, String taskId, List<TaskDefinition> subtasks, String reason)
        implements WorkflowEvent
    {
        /** Validates and copies. */
        public TaskDecomposed
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            subtasks = List.copyOf(subtasks);
            if (subtasks.isEmpty())
            {
                throw new IllegalArgumentException("task '" + taskId + "' decomposed into no subtask");
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Decision: recovery is exhausted; the task waits for the Director.
     *
     * @param timestampMs logical time.
     * @param taskId      the task.
     * @param reason      why recovery gave up.
     */
    record Escalated(long timestampMs, String taskId, String reason) implements WorkflowEvent
    {
        /** Validates. */
        public Escalated
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Input: the Director's answer to an escalation; replay applies it without asking the Director again.
     *
     * @param timestampMs logical time.
     * @param taskId      the escalated task.
     * @param decision    RETRY (the task returns to the queue at attempt 1), SKIP, ABORT (the workflow fails),
     *                    REASSIGN (the task goes to the named agent, or the best other one) or REPLAN (the task
     *                    returns to the queue with every agent allowed again).
     */
    record DirectorDecided(long timestampMs, String taskId, DirectorDecision decision) implements WorkflowEvent
    {
        /** Validates. */
        public DirectorDecided
        {
            requireTime(timestampMs);
            requireText(taskId, "taskId");
            Objects.requireNonNull(decision, "decision");
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * Input: guidance the Director sent, applied from now on; replay applies it again without the Director. What a
     * message leaves out stays as it was.
     *
     * @param timestampMs       logical time.
     * @param priorities        phase or task id to rank (1 first); ready tasks are assigned in rank order, a task
     *                          taking the better of its own rank and its phase's, unranked tasks last in plan order.
     * @param maxParallelTasks  the most tasks the engine keeps assigned at once; null leaves the limit as it was,
     *                          0 removes it.
     * @param parallelExecution false allows one task at a time; null leaves it as it was.
     * @param gateOverrides     gates whose enforcement changes for every phase not yet evaluated.
     * @param riskNotes         for the record and the reports.
     */
    record DirectorGuidance(long timestampMs, Map<String, Integer> priorities, Integer maxParallelTasks,
        Boolean parallelExecution, List<GateOverride> gateOverrides, List<String> riskNotes) implements WorkflowEvent
    {
        /** Validates and copies; null collections read as empty. */
        public DirectorGuidance
        {
            requireTime(timestampMs);
            priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
            if (maxParallelTasks != null && maxParallelTasks < 0)
            {
                throw new IllegalArgumentException("maxParallelTasks must be 0 (no limit) or more, was " +
                    maxParallelTasks);
            }
            gateOverrides = gateOverrides == null ? List.of() : List.copyOf(gateOverrides);
            riskNotes = riskNotes == null ? List.of() : List.copyOf(riskNotes);
        }

        @Override
        public boolean isInput()
        {
            return true;
        }
    }

    /**
     * One gate's enforcement as the Director set it.
     *
     * @param gate        the gate's name, e.g. {@code performance}.
     * @param enforcement BLOCKING or WARNING.
     * @param reason      why, for the record; never blank.
     */
    record GateOverride(String gate, Enforcement enforcement, String reason)
    {
        /** Validates. */
        public GateOverride
        {
            requireText(gate, "gate");
            Objects.requireNonNull(enforcement, "enforcement");
            requireText(reason, "the reason of a gate override");
        }
    }

    /**
     * Decision: every task completed or was skipped and every phase's gates passed.
     *
     * @param timestampMs logical time.
     */
    record WorkflowCompleted(long timestampMs) implements WorkflowEvent
    {
        /** Validates. */
        public WorkflowCompleted
        {
            requireTime(timestampMs);
        }
    }

    /**
     * Decision: the workflow stopped without completing.
     *
     * @param timestampMs logical time.
     * @param reason      why.
     */
    record WorkflowFailed(long timestampMs, String reason) implements WorkflowEvent
    {
        /** Validates. */
        public WorkflowFailed
        {
            requireTime(timestampMs);
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static void requireTime(final long timestampMs)
    {
        if (timestampMs < 0)
        {
            throw new IllegalArgumentException("event timestamps are logical milliseconds >= 0, was " + timestampMs);
        }
    }

    private static void requireText(final String value, final String what)
    {
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException(what + " must not be blank, was " +
                (value == null ? "null" : "'" + value + "'"));
        }
    }
}
