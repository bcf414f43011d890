/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} binary in one directory. Every command runs with the orchestrator's identity as author and
 * committer ({@value #IDENTITY_NAME} &lt;{@value #IDENTITY_EMAIL}&gt;, so no user configuration is needed), with
 * commit signing and terminal prompts off (a prompt would hang an unattended run) and in the C locale (git's
 * messages are quoted to people, not parsed, but stay stable).
 *
 * <p>Thread-safe (immutable); each call starts a process and allocates its output.
 */
final class Git
{
    /** Author and committer name of every commit the orchestrator makes. */
    static final String IDENTITY_NAME = "Switchboard orchestrator";
    /** Author and committer e-mail of every commit the orchestrator makes. */
    static final String IDENTITY_EMAIL = "orchestrator@switchboard.invalid";
    /** How long one git command may run: local operations only, so anything longer is a hang. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final Map<String, String> ENVIRONMENT = Map.of(
        "GIT_AUTHOR_NAME", IDENTITY_NAME,
        "GIT_AUTHOR_EMAIL", IDENTITY_EMAIL,
        "GIT_COMMITTER_NAME", IDENTITY_NAME,
        "GIT_COMMITTER_EMAIL", IDENTITY_EMAIL,
        "GIT_TERMINAL_PROMPT", "0",
        "GIT_EDITOR", "true",
        "LC_ALL", "C");

    private final Path directory;

    /**
     * @param directory where the commands run (a work tree or a directory inside one).
     */
    Git(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** @return where the commands run. */
    Path directory()
    {
        return directory;
    }

    /**
     * What one git command did.
     *
     * @param exitStatus its exit status.
     * @param stdout     its output.
     * @param stderr     its error output.
     */
    record Result(int exitStatus, String stdout, String stderr)
    {
        boolean succeeded()
        {
            return exitStatus == 0;
        }
    }

    /**
     * Runs {@code git args} and requires it to succeed.
     *
     * @param why  what the command is for, the start of the error message if it fails.
     * @param args git's arguments.
     * @return its standard output, stripped of surrounding white space.
     * @throws GitException when it does not exit with 0.
     */
    String run(final String why, final String... args)
    {
        final Result result = attempt(why, args);
        if (!result.succeeded())
        {
            throw failure(why, result, args);
        }
        return result.stdout().strip();
    }

    /**
     * Runs {@code git args} and hands back whatever it did, a non-zero exit status included.
     *
     * @param why  what the command is for, the start of the error message if it cannot run at all.
     * @param args git's arguments.
     * @return the result.
     * @throws GitException when git cannot start, does not finish within {@link #TIMEOUT} or the wait is
     *                      interrupted (the interrupt flag is kept).
     */
    Result attempt(final String why, final String... args)
    {
        final List<String> command = new ArrayList<>(args.length + 5);
        command.add("git");
        command.add("-c");
        command.add("commit.gpgSign=false");
        command.add("-c");
        command.add("core.hooksPath=/dev/null"); // a repository's hooks are not the orchestrator's to run
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(ENVIRONMENT);
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            throw new GitException(List.of(args), directory, GitException.NO_EXIT_STATUS, ex.getMessage(),
                why + ": cannot start git (is it installed and on the PATH?)");
        }
        // both streams drained off this thread, so a full pipe never stalls git and the timeout always applies;
        // join() makes what the readers appended visible here
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        final Thread outputReader = Thread.ofVirtual().start(() -> stdout.append(readAll(process.getInputStream())));
        final Thread errorReader = Thread.ofVirtual().start(() -> stderr.append(readAll(process.getErrorStream())));
        try
        {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new GitException(List.of(args), directory, GitException.NO_EXIT_STATUS, "",
                    why + ": git did not finish within " + TIMEOUT);
            }
            outputReader.join();
            errorReader.join();
            return new Result(process.exitValue(), stdout.toString(), stderr.toString());
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GitException(List.of(args), directory, GitException.NO_EXIT_STATUS, "",
                why + ": interrupted while git ran");
        }
    }

    /**
     * @param why    what the command was for.
     * @param result what it did.
     * @param args   its arguments.
     * @return the exception saying so.
     */
    GitException failure(final String why, final Result result, final String... args)
    {
        return new GitException(List.of(args), directory, result.exitStatus(), result.stderr(), why);
    }

    private static String readAll(final InputStream in)
    {
        try (in)
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(git's output could not be read: " + ex.getMessage() + ")";
        }
    }
}
