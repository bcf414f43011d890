/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.Objects;
import java.util.Set;

import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.recovery.EscalationRequest;

/**
 * What the {@link WorkflowEngine} asks its host to do. A closed set of immutable records; each is the outward face
 * of one decision event the engine recorded, so the same history always yields the same commands.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface EngineCommand
{
    /**
     * Give the task to the agent. The host reports back {@code TaskStarted}, {@code TaskProgress},
     * {@code TaskCompleted} or {@code TaskFailed}.
     *
     * @param taskId     the task.
     * @param agentName  the agent.
     * @param capability the capability the task needs.
     * @param attempt    the attempt on that agent, from 1.
     */
    record AssignTask(String taskId, String agentName, String capability, int attempt) implements EngineCommand
    {
        /** Validates. */
        public AssignTask
        {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(agentName, "agentName");
            Objects.requireNonNull(capability, "capability");
        }
    }

    /**
     * Report {@code RetryTimerFired(atMs, taskId)} when the logical clock reaches {@code atMs}.
     *
     * @param taskId the task to retry.
     * @param atMs   when the retry is due.
     */
    record ScheduleRetry(String taskId, long atMs) implements EngineCommand
    {
        /** Validates. */
        public ScheduleRetry
        {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /**
     * Every task of the phase is done: merge the phase's work (each task's worktree into the phase's branch, in git)
     * and measure the merged tree for {@code metrics} with the real tools, then report {@code PhaseMeasured}: the
     * tasks whose merge conflicted, or one measured value (or the reason it could not be measured) per metric.
     * Nothing an agent reported is a measurement.
     *
     * @param phaseId the phase.
     * @param round   1 for the first measurement of the phase, one more after each remediation or conflict.
     * @param gates   the phase's gates, as they will be evaluated.
     * @param metrics the metrics those gates read; may be empty (the phase is only merged).
     */
    record MeasurePhase(String phaseId, int round, QualityGates gates, Set<Metric> metrics) implements EngineCommand
    {
        /** Validates and copies. */
        public MeasurePhase
        {
            Objects.requireNonNull(phaseId, "phaseId");
            Objects.requireNonNull(gates, "gates");
            metrics = Set.copyOf(metrics);
        }
    }

    /**
     * The engine evaluated the quality gates of a phase on what the host measured; the outcome is in the journal
     * ({@code GateEvaluated}) and in {@link WorkflowEngine#progress()}. The host publishes it.
     *
     * @param phaseId the phase.
     */
    record EvaluateGates(String phaseId) implements EngineCommand
    {
        /** Validates. */
        public EvaluateGates
        {
            Objects.requireNonNull(phaseId, "phaseId");
        }
    }

    /**
     * Ask the {@code Director} what to do with a task recovery gave up on; report its answer as
     * {@code DirectorDecided}.
     *
     * @param request the failure, the agents tried and why recovery gave up.
     */
    record EscalateToDirector(EscalationRequest request) implements EngineCommand
    {
        /** Validates. */
        public EscalateToDirector
        {
            Objects.requireNonNull(request, "request");
        }
    }

    /** The workflow is done: every task completed or was skipped, every phase's gates passed. */
    record CompleteWorkflow() implements EngineCommand
    {
    }

    /**
     * The workflow stopped without completing.
     *
     * @param reason why.
     */
    record FailWorkflow(String reason) implements EngineCommand
    {
        /** Validates. */
        public FailWorkflow
        {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
