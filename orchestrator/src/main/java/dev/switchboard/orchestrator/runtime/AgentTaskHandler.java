/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import dev.switchboard.orchestrator.agents.AgentInvocation;
import dev.switchboard.orchestrator.prompt.TaskPrompt;

/**
 * The {@link TaskHandler} of a named agent from an agents file: runs the agent's command
 * ({@link AgentInvocation}) on the work item's prompt, in the item's work directory (the task's worktree), with the
 * item's run directory for the prompt file, result file and logs. Success carries the agent's summary, changed files
 * and artifacts, and no metrics (the orchestrator measures). Failures keep the invocation's error kinds
 * ({@code AGENT_FAILED}, {@code AGENT_CRASHED}, {@code AGENT_TIMED_OUT}, {@code INVALID_RESULT}); an interrupt
 * (the task cancelled, the agent closing) kills the command's process tree. Thread-safe: the invocation limits the
 * tasks at once to the agent's concurrency.
 */
public final class AgentTaskHandler implements TaskHandler
{
    /** Error kind of an item without a prompt or a work directory (not from a runtime that has agents). */
    public static final String NO_PROMPT = "NO_PROMPT";

    private final AgentInvocation invocation;

    /**
     * @param invocation runs the agent.
     */
    public AgentTaskHandler(final AgentInvocation invocation)
    {
        this.invocation = Objects.requireNonNull(invocation, "invocation");
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability)
    {
        return TaskOutcome.failure(NO_PROMPT, "agent " + invocation.agent().name() + " was given task " + taskId +
            " without a prompt");
    }

    @Override
    public TaskOutcome handle(final WorkItem item, final ProgressReporter progress) throws InterruptedException
    {
        if (item.prompt().isBlank() || item.workDirectory().isBlank() || item.runDirectory().isBlank())
        {
            return handle(item.taskId(), item.capability());
        }
        final AgentInvocation.Outcome outcome;
        try
        {
            outcome = invocation.run(new TaskPrompt(item.taskId(), item.prompt()), Path.of(item.workDirectory()),
                Path.of(item.runDirectory()));
        }
        catch (final IOException ex)
        {
            return TaskOutcome.failure(AgentInvocation.AGENT_FAILED, "agent " + invocation.agent().name() +
                " could not set up task " + item.taskId() + " in " + item.runDirectory() + ": " + ex.getMessage());
        }
        if (!outcome.succeeded())
        {
            return TaskOutcome.failure(outcome.errorKind(), outcome.message());
        }
        return TaskOutcome.success(outcome.output().summary(), outcome.output().changedFiles(),
            outcome.output().artifacts());
    }
}
