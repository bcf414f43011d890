package dev.switchboard.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM process started with the same java binary and class path as the test, and the JVM options
 * given (none by default: agent processes need no flags). Output goes to files so a chatty child never
 * blocks on a full pipe. Always closed by the test: close() kills it (SIGKILL) if it is still running.
 */
final class ChildJvm implements AutoCloseable
{
    final Process process;
    final Path stdout;
    final Path stderr;

    private ChildJvm(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ChildJvm start(final Path dir, final List<String> jvmOptions, final Class<?> main, final String... args)
        throws IOException
    {
        return start(dir, jvmOptions, System.getProperty("java.class.path"), main, args);
    }

    /**
     * As {@link #start(Path, List, Class, String...)} with a class path of the caller's choosing (a subset of the
     * test's, to prove what a process runs without).
     */
    static ChildJvm start(final Path dir, final List<String> jvmOptions, final String classPath, final Class<?> main,
        final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        final Path out = Files.createTempFile(dir, main.getSimpleName(), ".out");
        final Path err = Files.createTempFile(dir, main.getSimpleName(), ".err");
        final ProcessBuilder pb = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        return new ChildJvm(pb.start(), out, err);
    }

    int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("child did not exit within " + timeoutMs + " ms; stderr: " + stderrText());
        }
        return process.exitValue();
    }

    String stdoutText()
    {
        return read(stdout);
    }

    String stderrText()
    {
        return read(stderr);
    }

    boolean stdoutContains(final String text)
    {
        return stdoutText().contains(text);
    }

    private static String read(final Path p)
    {
        try
        {
            return Files.readString(p, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            return "<" + e + ">";
        }
    }

    void killHard()
    {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
