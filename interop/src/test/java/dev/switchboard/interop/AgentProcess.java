/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

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
 * A C or Python agent run by a test as a real process: its output goes to files (never a pipe a chatty child could
 * fill), {@link #awaitLine} waits for a line it prints, {@link #close()} kills it with SIGKILL and reaps it.
 *
 * <p>Thread-safety: one test thread.
 */
final class AgentProcess implements AutoCloseable
{
    /** The longest a test waits on an agent: generous, the machine is small and shared. */
    static final Duration WAIT = Duration.ofSeconds(120);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AgentProcess(final String name, final Process process, final Path stdout, final Path stderr)
    {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param dir         where its {@code name.out} and {@code name.err} go.
     * @param name        its name in messages and file names.
     * @param environment variables added to this JVM's.
     * @param command     the command line.
     * @return the running process.
     * @throws IOException when it cannot start.
     */
    static AgentProcess start(
        final Path dir, final String name, final Map<String, String> environment, final List<String> command)
        throws IOException
    {
        final Path out = dir.resolve(name + ".out");
        final Path err = dir.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new AgentProcess(name, builder.start(), out, err);
    }

    /**
     * @return the process.
     */
    Process process()
    {
        return process;
    }

    /**
     * @return everything it printed to standard output so far.
     */
    String stdoutText()
    {
        return read(stdout);
    }

    /**
     * Wait until its standard output holds a line starting with {@code prefix}.
     *
     * @param prefix what the line starts with.
     * @return the whole line.
     * @throws AssertionError when it exited first or did not print it within {@link #WAIT}.
     */
    String awaitLine(final String prefix)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (true)
        {
            final boolean exited = !process.isAlive();
            for (final String line : stdoutText().split("\n"))
            {
                if (line.startsWith(prefix))
                {
                    return line;
                }
            }
            if (exited)
            {
                throw new AssertionError(name + " exited without printing '" + prefix + "'; " + describe());
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(name + " did not print '" + prefix + "' within " + WAIT + "; " + describe());
            }
            sleep();
        }
    }

    /**
     * @return its exit code, once it exited by itself.
     * @throws AssertionError when it is still running after {@link #WAIT}.
     */
    int awaitExit()
    {
        try
        {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new AssertionError(name + " did not exit within " + WAIT + "; " + describe());
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} is {@code kill -9} on Linux) and reap it.
     */
    void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return for failure messages: name, pid, state and the end of its output.
     */
    String describe()
    {
        return name + " pid " + process.pid() + (process.isAlive() ? " running" : " exit " + process.exitValue()) +
            "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
    }

    @Override
    public void close()
    {
        kill();
    }

    private static String tail(final Path file)
    {
        final String[] lines = read(file).split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return "<" + ex + ">";
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(5);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }
}
