/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One named agent of an {@link AgentsFile}. Immutable.
 *
 * @param name         unique in its file, e.g. {@code Testbed}; the name {@code invoke} and plans use.
 * @param capabilities the {@link dev.switchboard.orchestrator.workflow.Capabilities} it takes tasks for.
 * @param command      what runs for a task.
 * @param prompt       how the command receives the prompt.
 * @param concurrency  tasks it may hold at once, at least 1.
 * @param timeout      longest one task may run before the agent's process tree is killed.
 * @param declaredAt   {@code file:line} of its entry, for messages.
 */
public record AgentSpec(String name, Set<String> capabilities, CommandTemplate command, PromptDelivery prompt,
    int concurrency, Duration timeout, String declaredAt)
{
    /** Concurrency when the file gives none. */
    public static final int DEFAULT_CONCURRENCY = 1;
    /** Timeout when the file gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /** Validates and copies. */
    public AgentSpec
    {
        Objects.requireNonNull(name, "name");
        capabilities = Set.copyOf(capabilities);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(prompt, "prompt");
        if (concurrency < 1)
        {
            throw new IllegalArgumentException("concurrency of agent " + name + " must be at least 1, was " +
                concurrency);
        }
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("timeout of agent " + name + " must be positive, was " + timeout);
        }
        Objects.requireNonNull(declaredAt, "declaredAt");
    }
}
