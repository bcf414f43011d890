/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code git} command that failed: it could not start, did not finish in time, or exited with a status the caller
 * did not expect. The message names the command, the directory, the exit status and git's own error output, which
 * is what a person needs to act on it.
 */
public final class GitException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Exit status when git did not run to the end (could not start, timed out, interrupted). */
    public static final int NO_EXIT_STATUS = -1;

    private final transient List<String> command;
    private final int exitStatus;
    private final String stderr;

    GitException(final List<String> command, final Path directory, final int exitStatus, final String stderr,
        final String why)
    {
        super(why + ": git " + String.join(" ", command) + " in " + directory +
            (exitStatus == NO_EXIT_STATUS ? "" : " exited with " + exitStatus) +
            (stderr.isBlank() ? "" : "; git said: " + stderr.strip()));
        this.command = List.copyOf(command);
        this.exitStatus = exitStatus;
        this.stderr = stderr;
    }

    /** @return git's arguments, without the program name. */
    public List<String> command()
    {
        return command;
    }

    /** @return git's exit status, or {@link #NO_EXIT_STATUS}. */
    public int exitStatus()
    {
        return exitStatus;
    }

    /** @return what git wrote to its error output. */
    public String stderr()
    {
        return stderr;
    }
}
