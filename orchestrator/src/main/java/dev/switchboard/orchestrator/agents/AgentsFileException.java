/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.util.List;

/**
 * An agents file could not be accepted. Carries every problem found, each starting with {@code file:line:}, so a
 * user can fix the file in one pass.
 */
public final class AgentsFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /**
     * @param problems at least one problem, each {@code file:line: message}.
     */
    public AgentsFileException(final List<String> problems)
    {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty())
        {
            throw new IllegalArgumentException("an AgentsFileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in file order; never empty. */
    public List<String> problems()
    {
        return problems;
    }
}
