/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One process of a case: its stdout lines are queued for the harness (and copied to a log), its stderr goes to a log
 * file, its stdin stays open for {@code go} lines and is closed to stop a server. {@link #close()} kills it if it is
 * still running.
 */
final class ChildProcess implements AutoCloseable
{
    /** A line the child printed, or the end of its output. */
    record Line(ChildProcess from, String text)
    {
        boolean isEnd()
        {
            return text == null;
        }
    }

    final String role;
    /** The child printed READY (the coordinator's thread reads and writes it). */
    boolean ready;
    /** The child's output ended (the coordinator's thread reads and writes it). */
    boolean ended;
    private final Process process;
    private final OutputStream stdin;
    private final Path stderrLog;
    private final Thread reader;

    private ChildProcess(final String role, final Process process, final Path stdoutLog, final Path stderrLog,
        final BlockingQueue<Line> lines)
    {
        this.role = role;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderrLog = stderrLog;
        this.reader = Thread.ofPlatform().daemon().name("child-" + role).start(() ->
        {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(stdoutLog, StandardCharsets.UTF_8), true))
            {
                String line;
                while ((line = r.readLine()) != null)
                {
                    log.println(line);
                    lines.add(new Line(this, line));
                }
            }
            catch (final IOException ignored)
            {
                // the process went away; the end marker below says so
            }
            lines.add(new Line(this, null));
        });
    }

    static ChildProcess start(final String role, final List<String> command, final Path logDir,
        final BlockingQueue<Line> lines) throws IOException
    {
        Files.createDirectories(logDir);
        final Path out = logDir.resolve(role + ".out");
        final Path err = logDir.resolve(role + ".err");
        final ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        return new ChildProcess(role, pb.start(), out, err, lines);
    }

    static BlockingQueue<Line> newQueue()
    {
        return new LinkedBlockingQueue<>();
    }

    void send(final String line) throws IOException
    {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeStdin()
    {
        try
        {
            stdin.close();
        }
        catch (final IOException ignored)
        {
            // already gone
        }
    }

    boolean waitFor(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return process.waitFor(timeout, unit);
    }

    int exitValue()
    {
        return process.exitValue();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    String stderrTail()
    {
        try
        {
            final List<String> all = Files.readAllLines(stderrLog, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
        }
        catch (final IOException e)
        {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        closeStdin();
        if (process.isAlive())
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
