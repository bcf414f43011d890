/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A repository directory given on the command line, relative to the working directory the user ran from. */
final class RepositoryArgument
{
    private RepositoryArgument()
    {
    }

    /**
     * @param dir         the directory as given.
     * @param commandLine the command, for usage errors.
     * @return the analysis of the directory.
     * @throws ParameterException when {@code dir} is not a directory.
     * @throws IOException        when the walk fails.
     */
    static RepositoryAnalysis analyze(final Path dir, final CommandLine commandLine) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new ParameterException(commandLine, "'" + dir + "' is not a directory (working directory " +
                Path.of("").toAbsolutePath() + ")");
        }
        return RepositoryAnalyzer.analyze(dir);
    }
}
