package dev.switchboard.ipc.shm;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started with NO JVM flags unless given (same java binary and class path as this test JVM), as an
 * agent process is: its stdout is read line by line, its stderr goes to a file so a test can check it is empty (a JDK warning
 * about Unsafe or native access would show there). Always {@link #close()}d, which kills it forcibly.
 */
final class ChildJvm implements AutoCloseable
{
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);

    private ChildJvm(final Process process, final Path stderr)
    {
        this.process = process;
        this.stderr = stderr;
        final Thread reader = new Thread(this::pumpStdout, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(final Path workDir, final Class<?> main, final String... args) throws IOException
    {
        return start(workDir, List.of(), main, args);
    }

    /**
     * Start a child with the given JVM flags (for example {@code --enable-native-access=ALL-UNNAMED}, which an agent
     * that wants the futex adds) and nothing else.
     */
    static ChildJvm start(final Path workDir, final List<String> jvmFlags, final Class<?> main, final String... args)
        throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));

        final Path stderr = Files.createTempFile(workDir, "child-stderr", ".txt");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        // Options injected through the environment would be JVM flags by the back door.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        return new ChildJvm(builder.start(), stderr);
    }

    long pid()
    {
        return process.pid();
    }

    Process process()
    {
        return process;
    }

    /**
     * Next stdout line, waiting at most {@code timeout}.
     *
     * @return the line.
     * @throws AssertionError if none came in time or the child ended first (with its stderr).
     */
    String readLine(final Duration timeout) throws InterruptedException, IOException
    {
        final String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (null == line || EOF.equals(line))
        {
            throw new AssertionError("child " + process.pid() + (null == line ? " printed nothing within " + timeout :
                " ended") + "; stderr: " + stderr());
        }
        return line;
    }

    /**
     * Wait for the child to exit.
     *
     * @return its exit code.
     * @throws AssertionError if it did not exit in time.
     */
    int waitFor(final Duration timeout) throws InterruptedException, IOException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("child " + process.pid() + " did not exit within " + timeout + "; stderr: " +
                stderr());
        }
        return process.exitValue();
    }

    String stderr() throws IOException
    {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /**
     * SIGKILL the child and wait (at most 30 s) until it is gone.
     */
    void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    public void close()
    {
        kill();
    }

    private void pumpStdout()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                lines.put(line);
            }
        }
        catch (final IOException | InterruptedException ignore)
        {
            // the child is gone
        }
        lines.offer(EOF);
    }
}
