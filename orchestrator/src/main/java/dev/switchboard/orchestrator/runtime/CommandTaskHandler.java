/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.orchestrator.gates.Metric;

/**
 * The generic command agent's handler: runs the OS command configured for the task's capability (e.g.
 * {@code testing → mvn -B test}) in a working directory, with a timeout. Exit code 0 is a success whose metrics are
 * the stdout lines {@code METRIC NAME VALUE} ({@code NAME} a {@link Metric}); a line {@code PROGRESS N} reports N %
 * done while it runs; any other exit code, a timeout or a
 * command that cannot start is a failure of kind {@link #COMMAND_FAILED} carrying the tail of the output.
 *
 * <p>Thread-safe (immutable); each call starts a process and allocates its output.
 */
public final class CommandTaskHandler implements TaskHandler
{
    /** Error kind of a command that failed, timed out or could not start. */
    public static final String COMMAND_FAILED = "COMMAND_FAILED";
    /** Error kind when no command is configured for the capability. */
    public static final String NO_COMMAND = "NO_COMMAND";
    /** Output lines kept for a failure's message. */
    public static final int TAIL_LINES = 20;

    private static final String METRIC_PREFIX = "METRIC ";
    private static final String PROGRESS_PREFIX = "PROGRESS ";

    private final Map<String, List<String>> commandsByCapability;
    private final Path workingDirectory;
    private final Duration timeout;

    /**
     * @param commandsByCapability the command line (program and arguments) per capability.
     * @param workingDirectory     where commands run.
     * @param timeout              how long a command may run before it is killed.
     */
    public CommandTaskHandler(
        final Map<String, List<String>> commandsByCapability, final Path workingDirectory, final Duration timeout)
    {
        this.commandsByCapability = Map.copyOf(commandsByCapability);
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability) throws InterruptedException
    {
        return handle(taskId, capability, ProgressReporter.NONE);
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability, final ProgressReporter progress)
        throws InterruptedException
    {
        return run(taskId, capability, workingDirectory, progress);
    }

    /** Runs in the item's work directory (its task's worktree) when it names one, else in the configured one. */
    @Override
    public TaskOutcome handle(final WorkItem item, final ProgressReporter progress) throws InterruptedException
    {
        return run(item.taskId(), item.capability(), item.workDirectory().isEmpty() ? workingDirectory :
            Path.of(item.workDirectory()), progress);
    }

    private TaskOutcome run(final String taskId, final String capability, final Path directory,
        final ProgressReporter progress) throws InterruptedException
    {
        final List<String> command = commandsByCapability.get(capability);
        if (command == null)
        {
            return TaskOutcome.failure(NO_COMMAND, "no command for capability '" + capability + "' (task " + taskId +
                "); configured: " + commandsByCapability.keySet());
        }
        final Process process;
        try
        {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        }
        catch (final IOException ex)
        {
            return TaskOutcome.failure(COMMAND_FAILED, "cannot start " + command + " in " + workingDirectory + ": " +
                ex.getMessage());
        }
        final Deque<String> tail = new ArrayDeque<>();
        final Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        final Thread reader = Thread.ofVirtual().start(() -> readOutput(process.getInputStream(), tail, metrics,
            progress));
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                reader.join(1_000);
                return TaskOutcome.failure(COMMAND_FAILED, command + " did not finish within " + timeout +
                    "; last output:\n" + tail(tail));
            }
            reader.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            throw ex;
        }
        final int exit = process.exitValue();
        if (exit != 0)
        {
            return TaskOutcome.failure(COMMAND_FAILED, command + " exited with " + exit + "; last output:\n" +
                tail(tail));
        }
        synchronized (metrics)
        {
            return TaskOutcome.success(metrics);
        }
    }

    private static void readOutput(final InputStream in, final Deque<String> tail, final Map<Metric, Double> metrics,
        final ProgressReporter progress)
    {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                synchronized (tail)
                {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES)
                    {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith(PROGRESS_PREFIX))
                {
                    parseProgress(line, progress);
                }
                else if (line.startsWith(METRIC_PREFIX))
                {
                    synchronized (metrics)
                    {
                        parseMetric(line, metrics);
                    }
                }
            }
        }
        catch (final IOException ignored)
        {
            // the process was killed; what was read is kept
        }
    }

    private static void parseProgress(final String line, final ProgressReporter progress)
    {
        try
        {
            progress.report((int)Math.round(Double.parseDouble(line.substring(PROGRESS_PREFIX.length()).trim())));
        }
        catch (final NumberFormatException ignored)
        {
            // not a progress line after all: plain output
        }
    }

    private static void parseMetric(final String line, final Map<Metric, Double> metrics)
    {
        final String[] parts = line.trim().split("\\s+");
        if (parts.length == 3)
        {
            try
            {
                metrics.put(Metric.valueOf(parts[1]), Double.parseDouble(parts[2]));
            }
            catch (final IllegalArgumentException ignored)
            {
                // not a metric line after all: plain output
            }
        }
    }

    private static String tail(final Deque<String> tail)
    {
        synchronized (tail)
        {
            return String.join("\n", tail);
        }
    }
}
