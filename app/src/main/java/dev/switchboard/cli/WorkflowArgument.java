/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowLoader;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A {@code --workflow} value as the commands take it: a template name ({@code feature}, {@code bugfix},
 * {@code optimization}) or a {@code .yaml}, {@code .yml} or {@code .json} file, relative to the working directory.
 * A name that is neither, or a file that does not exist, is a usage error; a file that exists but describes an
 * invalid workflow is a failure of the command, reported with every problem and its path.
 */
final class WorkflowArgument
{
    private WorkflowArgument()
    {
    }

    /**
     * @param value       the option's value.
     * @param commandLine the command, for usage errors.
     * @return the workflow.
     * @throws ParameterException          when the value names no template and no existing workflow file.
     * @throws WorkflowValidationException when the file describes an invalid workflow.
     * @throws IOException                 when the file cannot be read.
     */
    static WorkflowDefinition resolve(final String value, final CommandLine commandLine) throws IOException
    {
        if (isFileName(value))
        {
            return load(Path.of(value), commandLine);
        }
        try
        {
            return WorkflowTemplates.byName(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, ex.getMessage() + ", or a .yaml, .yml or .json file", ex);
        }
    }

    /**
     * @param file        a workflow file.
     * @param commandLine the command, for usage errors.
     * @return the workflow it describes.
     * @throws ParameterException          when the file is missing or its extension unsupported.
     * @throws WorkflowValidationException when the file describes an invalid workflow.
     * @throws IOException                 when the file cannot be read.
     */
    static WorkflowDefinition load(final Path file, final CommandLine commandLine) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new ParameterException(commandLine, "workflow file '" + file + "' not found (working directory " +
                Path.of("").toAbsolutePath() + ")");
        }
        try
        {
            WorkflowLoader.Format.of(file);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, ex.getMessage(), ex);
        }
        return WorkflowLoader.load(file);
    }

    /**
     * Prints each problem on its own line, path first.
     *
     * @param ex  the validation failure.
     * @param err where to print.
     */
    static void printProblems(final WorkflowValidationException ex, final PrintWriter err)
    {
        err.println("workflow " + ex.source() + " is invalid: " + ex.problems().size() + " problem(s)");
        for (final WorkflowValidationException.Problem problem : ex.problems())
        {
            err.println("  " + problem);
        }
    }

    private static boolean isFileName(final String value)
    {
        final String lower = value.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") ||
            value.contains("/") || value.contains(java.io.File.separator);
    }
}
