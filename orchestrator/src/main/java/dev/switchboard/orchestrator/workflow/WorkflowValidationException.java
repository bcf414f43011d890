/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;
import java.util.Objects;

/**
 * A workflow could not be accepted. Carries every {@link Problem} found, not just the first, each located by a
 * path into the document such as {@code phases[2].tasks[0].capability}, so a user can fix a file in one pass.
 */
public final class WorkflowValidationException extends RuntimeException
{
    /** The path used for problems that concern the whole document rather than one field. */
    public static final String ROOT = "(root)";

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<Problem> problems;

    /**
     * One thing wrong with a workflow.
     *
     * @param path    where it is, e.g. {@code phases[1].tasks[0].dependsOn[0]}, or {@link #ROOT}.
     * @param message what is wrong, naming the value seen and what was expected.
     */
    public record Problem(String path, String message)
    {
        /**
         * @param path    where it is.
         * @param message what is wrong.
         */
        public Problem
        {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString()
        {
            return path + ": " + message;
        }
    }

    /**
     * @param source   what was being validated, e.g. a file name or {@code "workflow 'feature'"}.
     * @param problems at least one problem.
     * @throws IllegalArgumentException if {@code problems} is empty.
     */
    public WorkflowValidationException(final String source, final List<Problem> problems)
    {
        super(describe(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /**
     * @return what was being validated, as given to the constructor.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return every problem found, in document order where there is one; never empty.
     */
    public List<Problem> problems()
    {
        return problems;
    }

    private static String describe(final String source, final List<Problem> problems)
    {
        if (problems.isEmpty())
        {
            throw new IllegalArgumentException("a WorkflowValidationException needs at least one problem");
        }
        final StringBuilder sb = new StringBuilder()
            .append(source).append(": ").append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems");
        for (final Problem problem : problems)
        {
            sb.append(System.lineSeparator()).append("  ").append(problem);
        }
        return sb.toString();
    }
}
