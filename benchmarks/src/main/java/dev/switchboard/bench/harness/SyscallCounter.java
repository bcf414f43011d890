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
 * Counts system calls over a window the harness opens and closes, with {@code perf stat} on the syscall tracepoints,
 * in two ways:
 * <ul>
 *   <li>A whole process ({@link #prepare}): the child is started under {@code perf stat -D -1 --control fifo:...}
 *       (counters disabled, inherited by every thread it starts), and {@link #enable()} / {@link #disable()} write to
 *       perf's control fifo. The count covers every thread of the JVM (the JIT and GC threads too): an upper bound on
 *       what the transport itself makes.</li>
 *   <li>Given threads ({@link #attach}): {@code perf stat --per-thread -t tid,...} attached to the measuring threads
 *       (the pinned threads that poll and send), counting them alone. The threads' {@code task-clock} is counted
 *       beside the calls, so a counter that did not attach (a zero that means nothing) is told apart from a thread
 *       that made no call (its task-clock covers the window).</li>
 * </ul>
 * Besides every call ({@code raw_syscalls:sys_enter}) and the calls of {@link #SYSCALLS} by name, the reads that
 * returned {@code EAGAIN} (nothing to read: an empty poll that went to the kernel) are counted for {@link #EMPTY_READS}
 * with a tracepoint filter on the exit's return value. Not thread-safe: one harness thread drives it.
 */
final class SyscallCounter implements AutoCloseable
{
    /** The syscalls reported by name beside the total. */
    static final List<String> SYSCALLS = List.of(
        "io_uring_enter", "read", "write", "readv", "writev", "sendmsg", "recvmsg", "sendto", "recvfrom", "futex",
        "epoll_wait", "epoll_pwait", "poll", "ppoll", "sched_yield", "nanosleep", "clock_nanosleep");

    /** The read-like calls whose {@code EAGAIN} returns are counted. */
    static final List<String> EMPTY_READS = List.of("read", "readv", "recvmsg", "recvfrom");

    /** {@code -EAGAIN} on Linux. */
    static final int EAGAIN = -11;

    private static final String TOTAL_EVENT = "raw_syscalls:sys_enter";
    private static final String TASK_CLOCK = "task-clock";
    private static final String EXIT_PREFIX = "syscalls:sys_exit_";
    private static List<String> events;
    private static List<String> eagainEvents;

    private final Path output;
    private final Path control;
    private final Path ack;
    private OutputStream controlOut;
    private java.io.InputStream ackIn;
    private Process attached;
    private Map<Long, String> roleByTid = Map.of();

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
            final List<String> eagain = new ArrayList<>();
            if (!ok.isEmpty())
            {
                for (final String name : EMPTY_READS)
                {
                    if (works(EXIT_PREFIX + name, "ret == " + EAGAIN))
                    {
                        eagain.add(EXIT_PREFIX + name);
                    }
                }
            }
            eagainEvents = List.copyOf(eagain);
        }
        return events;
    }

    /**
     * @return the {@code -e} (and {@code --filter}) arguments for every event counted.
     */
    private static List<String> eventArgs()
    {
        final List<String> args = new ArrayList<>();
        for (final String event : events())
        {
            args.add("-e");
            args.add(event);
        }
        for (final String event : eagainEvents)
        {
            args.add("-e");
            args.add(event);
            args.add("--filter");
            args.add("ret == " + EAGAIN);
        }
        return args;
    }

    /**
     * @return true when {@code EAGAIN} returns of read-like calls can be counted here.
     */
    static synchronized boolean countsEmptyReads()
    {
        events();
        return !eagainEvents.isEmpty();
    }

    private static boolean works(final String event)
    {
        return works(event, null);
    }

    private static boolean works(final String event, final String filter)
    {
        try
        {
            final List<String> command = new ArrayList<>(List.of("perf", "stat", "-x", ",", "-e", event));
            if (null != filter)
            {
                command.addAll(List.of("--filter", filter));
            }
            command.addAll(List.of("--", "true"));
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        c.makeFifos();
        return c;
    }

    /**
     * Attach a counter, disabled, to running threads: {@link #enable()} starts it, {@link #disable()} stops it and
     * {@link #perThread} reads it (and ends perf).
     *
     * @param dir        where the fifos and the output go.
     * @param roleByTid  thread id to the role it is reported under ("initiator", "responder").
     * @return the counter, attached.
     * @throws IOException when perf cannot be started.
     */
    static SyscallCounter attach(final Path dir, final Map<Long, String> roleByTid) throws IOException
    {
        final SyscallCounter c = new SyscallCounter(dir, "threads");
        c.makeFifos();
        c.roleByTid = Map.copyOf(roleByTid);
        final List<String> command = new ArrayList<>(List.of("perf", "stat", "--per-thread", "-t",
            String.join(",", roleByTid.keySet().stream().map(String::valueOf).toList()), "-D", "-1", "--control",
            "fifo:" + c.control + "," + c.ack, "-x", ",", "-o", c.output.toString(), "-e", TASK_CLOCK));
        command.addAll(eventArgs());
        c.attached = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("perf-threads.log").toFile()).start();
        return c;
    }

    private void makeFifos() throws IOException
    {
        for (final Path fifo : List.of(control, ack))
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
    }

    /**
     * @return {@code perf stat ... --} to put before the child's command.
     */
    List<String> commandPrefix()
    {
        final List<String> command = new ArrayList<>(List.of("perf", "stat", "-D", "-1", "--control",
            "fifo:" + control + "," + ack, "-x", ",", "-o", output.toString()));
        command.addAll(eventArgs());
        command.add("--");
        return command;
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
        final Map<String, Double> result = parse(Files.readAllLines(output, StandardCharsets.UTF_8), false, roundTrips)
            .getOrDefault(ALL_THREADS, Map.of());
        if (result.isEmpty())
        {
            throw new IOException("perf wrote no counts to " + output);
        }
        return result;
    }

    /**
     * Stop an {@link #attach attached} counter (perf prints its counts on SIGINT) and read them.
     *
     * @param roundTrips round trips made while counting was enabled.
     * @return role to syscall key to calls per round trip, with {@link dev.switchboard.bench.harness.model
     * .SyscallResult#TASK_CLOCK_MS} the thread's CPU time per round trip.
     * @throws IOException when perf does not stop or wrote nothing.
     */
    Map<String, Map<String, Double>> perThread(final long roundTrips) throws IOException
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-INT", Long.toString(attached.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            if (!attached.waitFor(20, TimeUnit.SECONDS))
            {
                attached.destroyForcibly();
                throw new IOException("perf attached to the measuring threads did not stop on SIGINT");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        final Map<String, Map<String, Double>> byTid =
            parse(Files.readAllLines(output, StandardCharsets.UTF_8), true, roundTrips);
        final Map<String, Map<String, Double>> byRole = new LinkedHashMap<>();
        for (final Map.Entry<Long, String> e : roleByTid.entrySet())
        {
            final Map<String, Double> counts = byTid.get(Long.toString(e.getKey()));
            if (null != counts)
            {
                byRole.put(e.getValue(), counts);
            }
        }
        if (byRole.isEmpty())
        {
            throw new IOException("perf wrote no per-thread counts to " + output);
        }
        return byRole;
    }

    /** Key of {@link #parse}'s result for output without a per-thread column. */
    static final String ALL_THREADS = "";

    /**
     * Read perf stat's CSV output ({@code -x ,}).
     *
     * @param lines      the output.
     * @param perThread  true when each line starts with a {@code comm-tid} column ({@code --per-thread}).
     * @param roundTrips the divisor.
     * @return thread id (or {@link #ALL_THREADS}) to key ("total", a syscall's name, "eagain:name",
     * {@code task-clock-ms}) to count per round trip. A syscall counted 0 times is left out; "total" and the
     * "eagain:" keys never are.
     */
    static Map<String, Map<String, Double>> parse(
        final List<String> lines, final boolean perThread, final long roundTrips)
    {
        final Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        for (final String line : lines)
        {
            final String[] f = line.split(",");
            final int at = perThread ? 1 : 0;
            if (line.startsWith("#") || f.length < at + 3)
            {
                continue;
            }
            final String thread = perThread ? f[0].substring(f[0].lastIndexOf('-') + 1) : ALL_THREADS;
            final String event = f[at + 2];
            final String value = f[at].trim();
            final double count;
            try
            {
                count = value.startsWith("<") || value.isEmpty() ? 0 : Double.parseDouble(value);
            }
            catch (final NumberFormatException e)
            {
                continue;
            }
            final String key;
            if (event.equals(TOTAL_EVENT))
            {
                key = dev.switchboard.bench.harness.model.SyscallResult.TOTAL;
            }
            else if (event.equals(TASK_CLOCK))
            {
                key = dev.switchboard.bench.harness.model.SyscallResult.TASK_CLOCK_MS;
            }
            else if (event.startsWith(EXIT_PREFIX))
            {
                key = dev.switchboard.bench.harness.model.SyscallResult.EAGAIN_PREFIX +
                    event.substring(EXIT_PREFIX.length());
            }
            else if (event.startsWith("syscalls:sys_enter_"))
            {
                key = event.substring("syscalls:sys_enter_".length());
            }
            else
            {
                continue;
            }
            final Map<String, Double> counts = result.computeIfAbsent(thread, t -> new LinkedHashMap<>());
            // Zero counts are left out, except the total and the EAGAIN counts (their presence says they were counted).
            if (count > 0 || key.equals(dev.switchboard.bench.harness.model.SyscallResult.TOTAL) ||
                key.startsWith(dev.switchboard.bench.harness.model.SyscallResult.EAGAIN_PREFIX))
            {
                counts.put(key, count / roundTrips);
            }
        }
        return result;
    }

    @Override
    public void close()
    {
        if (null != attached && attached.isAlive())
        {
            attached.destroyForcibly();
        }
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
