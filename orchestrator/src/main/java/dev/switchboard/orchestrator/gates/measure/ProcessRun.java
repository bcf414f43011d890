/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to completion or to a time limit, its output in a log file (never a pipe that could fill and
 * stall it). On the time limit the process and its descendants are destroyed.
 *
 * @param exitCode the exit code; -1 when it did not start or was stopped at the limit.
 * @param failure  why it did not run to its end ({@code could not start: ...}, {@code did not finish within ...}),
 *                 empty when it did.
 * @param log      the combined standard output and error.
 * @param nanos    the wall time from start to exit.
 */
record ProcessRun(int exitCode, String failure, Path log, long nanos)
{
    /**
     * @param command the command and its arguments.
     * @param dir     the working directory.
     * @param log     where its output goes (replaced).
     * @param limit   the longest it may run.
     * @return how it ended.
     * @throws InterruptedException when interrupted while waiting (the process is destroyed first).
     */
    static ProcessRun run(final List<String> command, final Path dir, final Path log, final Duration limit)
        throws InterruptedException
    {
        return run(command, dir, log, limit, Map.of());
    }

    /**
     * @param command     the command and its arguments.
     * @param dir         the working directory.
     * @param log         where its output goes (replaced).
     * @param limit       the longest it may run.
     * @param environment variables set for it, on top of this process' environment.
     * @return how it ended.
     * @throws InterruptedException when interrupted while waiting (the process is destroyed first).
     */
    static ProcessRun run(final List<String> command, final Path dir, final Path log, final Duration limit,
        final Map<String, String> environment) throws InterruptedException
    {
        final long start = System.nanoTime();
        final Process process;
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().putAll(environment);
            process = builder.start();
        }
        catch (final IOException ex)
        {
            return new ProcessRun(-1, "could not start " + command.getFirst() + ": " + ex.getMessage(), log, 0);
        }
        try
        {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS))
            {
                stop(process);
                return new ProcessRun(-1, command.getFirst() + " did not finish within " + limit.toSeconds() +
                    " s (stopped)", log, System.nanoTime() - start);
            }
        }
        catch (final InterruptedException ex)
        {
            stop(process);
            throw ex;
        }
        return new ProcessRun(process.exitValue(), "", log, System.nanoTime() - start);
    }

    /** @return true when the process ran to its end with exit code 0. */
    boolean succeeded()
    {
        return failure.isEmpty() && exitCode == 0;
    }

    /**
     * Why the run failed, in one line: the failure, or the exit code with the first error lines of the log
     * ({@code [ERROR]} lines for Maven, else the last lines).
     *
     * @param name what ran, for example {@code mvn}.
     * @return the reason, or {@code ""} when it succeeded.
     */
    String reason(final String name)
    {
        if (!failure.isEmpty())
        {
            return failure;
        }
        if (exitCode == 0)
        {
            return "";
        }
        return name + " exited with " + exitCode + ": " + excerpt();
    }

    private String excerpt()
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(its output could not be read: " + ex.getMessage() + ")";
        }
        final List<String> errors = new ArrayList<>();
        for (final String line : lines)
        {
            final String error = line.startsWith("[ERROR]") ? line.substring(7).replace("-> [Help 1]", "").strip() : "";
            if (!error.isEmpty() && errors.size() < 3 && !error.startsWith("To see the full stack trace") &&
                !error.startsWith("Re-run Maven") && !error.startsWith("For more information") &&
                !error.startsWith("[Help 1]"))
            {
                errors.add(error);
            }
        }
        final List<String> chosen = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 3), lines.size()) :
            errors;
        final String text = String.join(" | ", chosen).strip();
        return text.length() > 400 ? text.substring(0, 400) + "..." : text.isEmpty() ? "(no output)" : text;
    }

    private static java.io.File nullDevice()
    {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void stop(final Process process) throws InterruptedException
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
