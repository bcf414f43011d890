/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.router.process.RouterMain;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.router.RouterContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./switchboard router} ({@link RouterMain}) in a child JVM of its own, so that a router that crashes or hangs
 * under attack is observed (its exit status, its stderr, a JVM error file) instead of taking the campaign down. It runs
 * with this JVM's java and class path, on the engine asked for, with every path under one runtime dir. Its stdout and
 * stderr go to files in the log dir; {@link #stop} sends SIGTERM, as an operator would, and reads the counters the
 * router prints as it stops.
 * <p>
 * Thread-safety: start and stop from one thread; {@link #isAlive()} from any.
 */
final class RouterChild implements AutoCloseable
{
    /** What {@link RouterMain} prints when it serves. */
    private static final String LISTENING = "switchboard router listening";
    /** What {@link RouterMain} prints before its counters when it stops. */
    private static final String COUNTERS = "switchboard router stopped; counters:";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String engine;

    private RouterChild(final Process process, final Path stdout, final Path stderr, final String engine)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.engine = engine;
    }

    /**
     * Start a router and wait until it listens.
     *
     * @param runtimeDir  its runtime dir (sockets; short enough for a socket path), with {@code shm} and {@code data}.
     * @param logDir      where its stdout, stderr and any JVM error file go.
     * @param engine      {@code uring} or {@code nio}.
     * @param context     settings passed on as system properties (the campaign's own view of them must agree).
     * @param extraJvm    more JVM options, after the campaign's.
     * @param timeoutMs   how long it may take to listen.
     * @return the running router.
     * @throws IOException if it cannot start or does not listen in time (the message holds its stderr).
     * @throws InterruptedException if interrupted while waiting.
     */
    static RouterChild start(
        final Path runtimeDir,
        final Path logDir,
        final String engine,
        final RouterContext context,
        final List<String> extraJvm,
        final long timeoutMs) throws IOException, InterruptedException
    {
        Files.createDirectories(logDir);
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JvmFlags.router());
        command.add("-Xmx512m");
        command.add("-XX:ErrorFile=" + logDir.resolve("hs_err_pid%p.log"));
        command.add("-Dswitchboard.router.engine=" + engine);
        command.add("-Dswitchboard.runtime.dir=" + runtimeDir);
        command.add("-Dswitchboard.shm.dir=" + runtimeDir.resolve("shm"));
        command.add("-Dswitchboard.data.dir=" + runtimeDir.resolve("data"));
        command.add("-Dswitchboard.ingress.capacity=" + context.ingressCapacity());
        command.add("-Dswitchboard.router.handshake.buffer.bytes=" + context.handshakeBufferBytes());
        command.add("-Dswitchboard.router.handshake.timeout.ms=" +
            TimeUnit.NANOSECONDS.toMillis(context.handshakeTimeoutNs()));
        command.add("-Dswitchboard.lease.ms=" + TimeUnit.NANOSECONDS.toMillis(context.defaultLeaseNs()));
        // the router stops within its stop timeout once the campaign is gone, however it went
        command.add("-D" + StopSignals.PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        command.addAll(extraJvm);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RouterMain.class.getName());
        final Path out = logDir.resolve("router-" + engine + ".out");
        final Path err = logDir.resolve("router-" + engine + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        final RouterChild child = new RouterChild(builder.start(), out, err, engine);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!child.stdoutText().contains(LISTENING))
        {
            if (!child.process.isAlive())
            {
                throw new IOException("the " + engine + " router exited " + child.process.exitValue() +
                    " before listening: " + tail(child.stderrText(), 2000));
            }
            if (System.nanoTime() - deadline > 0)
            {
                child.close();
                throw new IOException("the " + engine + " router did not listen within " + timeoutMs + " ms: " +
                    tail(child.stderrText(), 2000));
            }
            Thread.sleep(20);
        }
        return child;
    }

    /**
     * @return the router's process id.
     */
    long pid()
    {
        return process.pid();
    }

    /**
     * @return true while the router process runs.
     */
    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Whether the router exits within a short time: what a connection saw may be the router dying (the kernel closes
     * its sockets before its parent learns it exited), which is one crash, not one finding per connection.
     *
     * @param timeoutMs how long to wait.
     * @return true when it has exited.
     * @throws InterruptedException if interrupted.
     */
    boolean exitsWithin(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @return the exit status, once it has exited.
     */
    int exitValue()
    {
        return process.exitValue();
    }

    /**
     * The router's threads, as {@code jcmd <pid> Thread.print} shows them (the JDK's jcmd beside this JVM's java):
     * what a hung router was doing.
     *
     * @return the dump, or why there is none.
     */
    String threadDump()
    {
        final Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        final Path jcmd = java.resolveSibling("jcmd");
        try
        {
            final Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                .redirectErrorStream(true).start();
            final byte[] text = dump.getInputStream().readAllBytes();
            dump.waitFor(30, TimeUnit.SECONDS);
            return new String(text, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            return "no thread dump: " + e;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /**
     * @return the line in which the router named its engine, or "" before it listens.
     */
    String listeningLine()
    {
        return stdoutText().lines().filter(l -> l.contains(LISTENING)).findFirst().orElse("");
    }

    /**
     * Stop the router with SIGTERM, as an operator would, and wait for it.
     *
     * @param timeoutMs how long it may take (its own stop timeout is 5 s); then it is killed.
     * @return its exit status, or -1 if it had to be killed.
     * @throws InterruptedException if interrupted while waiting.
     */
    int stop(final long timeoutMs) throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return -1;
            }
        }
        return process.exitValue();
    }

    /**
     * @return the counters the router printed as it stopped, by label (empty if it printed none).
     */
    Map<String, Long> counters()
    {
        final Map<String, Long> counters = new LinkedHashMap<>();
        boolean inCounters = false;
        for (final String line : stdoutText().lines().toList())
        {
            if (line.startsWith(COUNTERS))
            {
                inCounters = true;
                continue;
            }
            if (!inCounters)
            {
                continue;
            }
            // "%-48s %,d": the label, padding, then the value with grouping commas.
            final int space = line.lastIndexOf(' ');
            if (space <= 0)
            {
                continue;
            }
            try
            {
                counters.put(line.substring(0, space).trim(),
                    Long.parseLong(line.substring(space + 1).replace(",", "")));
            }
            catch (final NumberFormatException e)
            {
                inCounters = false; // the counters end where the lines stop being "label value"
            }
        }
        return counters;
    }

    /**
     * @return what the router wrote to stderr so far.
     */
    String stderrText()
    {
        return read(stderr);
    }

    String stdoutText()
    {
        return read(stdout);
    }

    /**
     * @return the engine asked for.
     */
    String engine()
    {
        return engine;
    }

    static String tail(final String text, final int chars)
    {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }

    private static String read(final Path path)
    {
        try
        {
            return Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            return "<" + e + ">";
        }
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
