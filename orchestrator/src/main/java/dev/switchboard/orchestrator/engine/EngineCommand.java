/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.Objects;

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
     * The engine evaluated the quality gates of a phase on the metrics its tasks reported; the outcome is in the
     * journal ({@code GateEvaluated}) and in {@link WorkflowEngine#progress()}. The host publishes it (and may run
     * checks of its own, reported as task metrics).
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
