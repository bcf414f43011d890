/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process of a test, its stdout and stderr together in a log file (read at any time, so a test can wait for a
 * line while the process runs). The environment starts from this JVM's, minus the {@code JAVA_TOOL_OPTIONS} family,
 * with {@code environment} applied; a null value removes a variable.
 */
final class ProcessRun
{
    private final List<String> command;
    private final Process process;
    private final Path log;

    private ProcessRun(final List<String> command, final Process process, final Path log)
    {
        this.command = command;
        this.process = process;
        this.log = log;
    }

    static ProcessRun start(final List<String> command, final Path workingDirectory,
        final Map<String, String> environment, final Path log) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        final Map<String, String> env = builder.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("MAVEN_OPTS");
        env.remove("JAVA_HOME");
        env.remove("SWITCHBOARD_JVM_OPTS");
        environment.forEach((name, value) ->
        {
            if (value == null)
            {
                env.remove(name);
            }
            else
            {
                env.put(name, value);
            }
        });
        return new ProcessRun(command, builder.start(), log);
    }

    /**
     * Waits for the exit; past the timeout, kills the process (and its children) and says so.
     *
     * @throws AssertionError when the process had to be killed, with its output.
     */
    ProcessRun awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            stop();
            throw new AssertionError(String.join(" ", command) + " did not exit within " + timeoutMs + " ms; " +
                "its output:\n" + output());
        }
        return this;
    }

    /**
     * Waits until the output holds {@code text}.
     *
     * @throws AssertionError when the process exited first or the timeout passed, with its output.
     */
    void awaitOutput(final String text, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!output().contains(text))
        {
            if (!process.isAlive())
            {
                throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() +
                    " before printing '" + text + "'; its output:\n" + output());
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(String.join(" ", command) + " did not print '" + text + "' within " +
                    timeoutMs + " ms; its output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to what is left after 10 s. */
    void stop() throws InterruptedException
    {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    int exitStatus()
    {
        return process.exitValue();
    }

    /** @return everything the process printed so far. */
    String output()
    {
        try
        {
            // not readString: a child may print bytes that are not UTF-8, which must not fail the test's report
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + log, ex);
        }
    }

    @Override
    public String toString()
    {
        return String.join(" ", command);
    }
}
