package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts a child JVM with the same java binary and class path as the test JVM, stdout and stderr going to
 * files (no pipe to drain, nothing lost when the child is killed). {@link #close()} kills it (SIGKILL).
 */
final class ChildJvm implements AutoCloseable
{
    /** Ceiling for every wait on a child: generous, the machine is small and noisy. */
    static final long WAIT_MS = 90_000;

    private final String label;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(final String label, final Process process, final Path stdout, final Path stderr)
    {
        this.label = label;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param dir      where {@code <label>.out} and {@code <label>.err} go.
     * @param label    names the files and the child in failure messages.
     * @param jvmFlags JVM options (e.g. {@link DurableQueues#JVM_FLAGS}), or an empty list.
     * @param main     the main class.
     * @param args     its arguments.
     * @return the running child.
     * @throws IOException if it cannot start.
     */
    static ChildJvm start(
        final Path dir, final String label, final List<String> jvmFlags, final Class<?> main, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        final Path out = dir.resolve(label + ".out");
        final Path err = dir.resolve(label + ".err");
        final Process process = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        return new ChildJvm(label, process, out, err);
    }

    /**
     * The flags a LOW process starts with, but without the analytics property on the command line, to show
     * that the code sets it by itself.
     */
    static List<String> chronicleFlagsWithoutAnalyticsProperty()
    {
        final List<String> flags = new ArrayList<>(DurableQueues.JVM_FLAGS);
        flags.removeIf((f) -> f.startsWith("-D" + DurableQueues.ANALYTICS_DISABLE_PROP));
        return flags;
    }

    Process process()
    {
        return process;
    }

    long pid()
    {
        return process.pid();
    }

    /** kill -9 and wait until the OS has reaped it. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS))
        {
            fail(label + " did not die after SIGKILL");
        }
    }

    /**
     * Wait for the child to exit by itself.
     *
     * @return its exit code.
     */
    int awaitExit() throws InterruptedException
    {
        if (!process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS))
        {
            fail(label + " did not exit within " + WAIT_MS + " ms; " + describe());
        }
        return process.exitValue();
    }

    List<String> stdoutLines()
    {
        return readLines(stdout);
    }

    /** @return a summary for failure messages: exit state and the end of stdout and stderr. */
    String describe()
    {
        return label + " pid " + process.pid() + (process.isAlive() ? " running" : " exit " + process.exitValue()) +
            "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
    }

    String stderrText()
    {
        return String.join("\n", readLines(stderr));
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Poll {@code condition} every few milliseconds until it holds, failing after {@link #WAIT_MS}, or at once
     * if {@code child} (when given) has exited and the condition still does not hold.
     */
    static void await(final BooleanSupplier condition, final String what, final ChildJvm child)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (child != null && !child.process().isAlive() && !condition.getAsBoolean())
            {
                fail("child exited while waiting for " + what + "; " + child.describe());
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for " + what + (child != null ? "; " + child.describe() : ""));
            }
            Thread.sleep(2);
        }
    }

    static List<String> readLines(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        }
        catch (final IOException ex)
        {
            return List.of("(unreadable: " + ex + ")");
        }
    }

    private static String tail(final Path file)
    {
        final List<String> lines = readLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
