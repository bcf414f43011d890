package dev.switchboard.ipc.uring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM with the test's java binary and class path; output to files so it never blocks on a pipe. The
 * test closes it in a finally: {@link #close()} kills it if still running.
 */
final class UringChild implements AutoCloseable
{
    final Process process;
    final Path stdout;
    final Path stderr;

    private UringChild(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static UringChild start(
        final Path dir, final List<String> prefix, final List<String> jvmOptions, final Class<?> main, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));

        final Path out = Files.createTempFile(dir, main.getSimpleName(), ".out");
        final Path err = Files.createTempFile(dir, main.getSimpleName(), ".err");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        return new UringChild(builder.start(), out, err);
    }

    int waitFor(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (!process.waitFor(timeout, unit))
        {
            throw new AssertionError("child did not exit within " + timeout + " " + unit + "; stderr: " + stderrText());
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

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "<" + ex + ">";
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
