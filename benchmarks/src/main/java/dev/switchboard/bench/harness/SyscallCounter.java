/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts the system calls of one child process over a window the harness opens and closes, with {@code perf stat}
 * on the syscall tracepoints. The child is started under {@code perf stat -D -1 --control fifo:...} (counters
 * disabled), and {@link #enable()} / {@link #disable()} write to perf's control fifo: attaching perf to a running
 * process ({@code -p}) counts nothing in this kind of VM, a command started under perf does.
 *
 * <p>Counts cover every thread of the JVM in the window (the JIT and GC threads too), so they are an upper bound on
 * what the transport itself makes. Not thread-safe: one harness thread drives it.
 */
final class SyscallCounter implements AutoCloseable
{
    /** The syscalls reported by name beside the total. */
    static final List<String> SYSCALLS = List.of(
        "io_uring_enter", "read", "write", "readv", "writev", "sendmsg", "recvmsg", "sendto", "recvfrom", "futex",
        "epoll_wait", "epoll_pwait", "poll", "ppoll", "sched_yield", "nanosleep", "clock_nanosleep");

    private static final String TOTAL_EVENT = "raw_syscalls:sys_enter";
    private static List<String> events;

    private final Path output;
    private final Path control;
    private final Path ack;
    private OutputStream controlOut;
    private java.io.InputStream ackIn;

    private SyscallCounter(final Path dir, final String role)
    {
        this.output = dir.resolve("perf-" + role + ".csv");
        this.control = dir.resolve("perf-" + role + ".ctl");
        this.ack = dir.resolve("perf-" + role + ".ack");
    }

    /**
     * @return null when perf can count syscall tracepoints here, else why not.
     */
    static synchronized String unavailableReason()
    {
        return events().isEmpty() ? "perf stat cannot count the raw_syscalls:sys_enter tracepoint here " +
            "(perf missing, or not allowed: run as root or lower kernel.perf_event_paranoid)" : null;
    }

    private static synchronized List<String> events()
    {
        if (events == null)
        {
            final List<String> ok = new ArrayList<>();
            if (works(TOTAL_EVENT))
            {
                ok.add(TOTAL_EVENT);
                for (final String name : SYSCALLS)
                {
                    if (works("syscalls:sys_enter_" + name))
                    {
                        ok.add("syscalls:sys_enter_" + name);
                    }
                }
            }
            events = List.copyOf(ok);
        }
        return events;
    }

    private static boolean works(final String event)
    {
        try
        {
            final Process p = new ProcessBuilder("perf", "stat", "-x", ",", "-e", event, "--", "true")
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains(event) &&
                !out.contains("<not supported>");
        }
        catch (final IOException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Make the fifos and the command prefix for one child.
     *
     * @param dir  where the fifos and the output go.
     * @param role the child's role (file names).
     * @return the counter; its {@link #commandPrefix()} goes before the child's command.
     * @throws IOException when the fifos cannot be made.
     */
    static SyscallCounter prepare(final Path dir, final String role) throws IOException
    {
        final SyscallCounter c = new SyscallCounter(dir, role);
        for (final Path fifo : List.of(c.control, c.ack))
        {
            Files.deleteIfExists(fifo);
            final Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
            try
            {
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
                {
                    throw new IOException("mkfifo " + fifo + " failed");
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return c;
    }

    /**
     * @return {@code perf stat ... --} to put before the child's command.
     */
    List<String> commandPrefix()
    {
        return List.of("perf", "stat", "-D", "-1", "--control", "fifo:" + control + "," + ack, "-x", ",",
            "-o", output.toString(), "-e", String.join(",", events()), "--");
    }

    /**
     * Start counting (blocks until perf acknowledges).
     *
     * @throws IOException when perf does not answer.
     */
    void enable() throws IOException
    {
        if (controlOut == null)
        {
            controlOut = Files.newOutputStream(control);
            ackIn = Files.newInputStream(ack);
        }
        command("enable");
    }

    /**
     * Stop counting (blocks until perf acknowledges).
     *
     * @throws IOException when perf does not answer.
     */
    void disable() throws IOException
    {
        command("disable");
    }

    private void command(final String what) throws IOException
    {
        controlOut.write((what + "\n").getBytes(StandardCharsets.US_ASCII));
        controlOut.flush();
        final byte[] reply = new byte[5];
        int n = 0;
        while (n < reply.length)
        {
            final int r = ackIn.read(reply, n, reply.length - n);
            if (r < 0)
            {
                throw new IOException("perf closed its ack fifo");
            }
            n += r;
        }
    }

    /**
     * Read the counts once the child (and so perf) has exited.
     *
     * @param roundTrips round trips made while counting was enabled.
     * @return syscall name ("total" for all) to calls per round trip.
     * @throws IOException when perf wrote nothing.
     */
    Map<String, Double> perRoundTrip(final long roundTrips) throws IOException
    {
        final Map<String, Double> result = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(output, StandardCharsets.UTF_8))
        {
            final String[] f = line.split(",");
            if (f.length < 3 || line.startsWith("#"))
            {
                continue;
            }
            final String event = f[2];
            final long count = f[0].startsWith("<") ? 0 : Long.parseLong(f[0].trim());
            final String name = event.equals(TOTAL_EVENT) ? "total" : event.replace("syscalls:sys_enter_", "");
            if (count > 0 || name.equals("total"))
            {
                result.put(name, (double)count / roundTrips);
            }
        }
        if (result.isEmpty())
        {
            throw new IOException("perf wrote no counts to " + output);
        }
        return result;
    }

    @Override
    public void close()
    {
        try
        {
            if (controlOut != null)
            {
                controlOut.close();
                ackIn.close();
            }
        }
        catch (final IOException ignored)
        {
            // perf has gone; nothing to release
        }
    }
}
