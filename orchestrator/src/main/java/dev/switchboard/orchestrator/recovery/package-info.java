/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * What to do when a task fails: the recovery ladder and its settings.
 * <ul>
 *   <li>{@link dev.switchboard.orchestrator.recovery.RetryOptions}: immutable retry settings made by a builder, in
 *       the shape of Temporal's (initial interval, backoff coefficient, maximum interval, maximum attempts,
 *       non-retryable error kinds), and the backoff delay of each attempt.</li>
 *   <li>{@link dev.switchboard.orchestrator.recovery.RecoveryPolicy}: from a
 *       {@link dev.switchboard.orchestrator.recovery.Failure} and the task's
 *       {@link dev.switchboard.orchestrator.recovery.TaskHistory}, the next
 *       {@link dev.switchboard.orchestrator.recovery.RecoveryAction}: retry, re-run, alternative agent, decompose,
 *       skip or escalate, in the order the failure's
 *       {@link dev.switchboard.orchestrator.recovery.FailureClass} gives them.</li>
 *   <li>{@link dev.switchboard.orchestrator.recovery.TaskDecomposer}: splits a task into subtasks of distinct,
 *       smaller scopes, by its declared paths or the
 *       {@link dev.switchboard.orchestrator.recovery.ContextUnits units} its context concerns.</li>
 *   <li>{@link dev.switchboard.orchestrator.recovery.Director}: the interface an escalation goes to, answering
 *       with a {@link dev.switchboard.orchestrator.recovery.DirectorDecision}.</li>
 * </ul>
 * Decisions are values and a pure function of their inputs, never of clocks, randomness or live registry state:
 * replaying a recorded history reproduces every decision. Carrying an action out (sleeping, re-dispatching,
 * planning subtasks) is the orchestrator's job, not this package's.
 */
package dev.switchboard.orchestrator.recovery;
