/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code /proc} says about a process and its threads, read without privileges: CPU time ({@code utime +
 * stime} of {@code stat}, in clock ticks) and voluntary context switches ({@code voluntary_ctxt_switches} of
 * {@code status}: each time a thread blocked, so each later wake-up counts one).
 *
 * <p>Two {@link Sample}s of one process, taken at the ends of a window, give its CPU use and its threads' wake-ups
 * over the window. Allocates; not for a measured loop.
 */
final class ProcStats
{
    /**
     * Thread names (as {@code /proc/<pid>/task/<tid>/comm} gives them, at most 15 characters) of the JVM's own
     * threads: the compiler, the collector, the VM thread and its periodic tasks, signal, reference and cleaner
     * threads, and {@code java} (the main thread; in the harness's server process it only waits on stdin). Every
     * other thread of a server process is the server's own.
     */
    static final List<String> JVM_THREAD_PREFIXES = List.of(
        "java", "VM ", "GC Thread", "G1 ", "C1 CompilerThre", "C2 CompilerThre", "Signal Dispatch", "Finalizer",
        "Reference Handl", "Common-Cleaner", "Notification Th", "Attach Listener", "Monitor Deflati",
        "Service Thread", "Sweeper thread", "JFR ", "process reaper", "Unsafe", "JVMCI", "Parallel GC", "ZGC",
        "Shenandoah");

    private static volatile long clockTicksPerSecond;

    private ProcStats()
    {
    }

    /**
     * One thread at one moment.
     *
     * @param name     its name, from {@code comm}.
     * @param cpuTicks {@code utime + stime}, clock ticks.
     * @param wakeUps  {@code voluntary_ctxt_switches}.
     */
    record ThreadSample(String name, long cpuTicks, long wakeUps)
    {
    }

    /**
     * A process and its threads at one moment.
     *
     * @param pid      the process.
     * @param nanoTime {@link System#nanoTime()} when taken.
     * @param cpuTicks the whole process's {@code utime + stime}, clock ticks.
     * @param threads  thread id to its sample.
     */
    record Sample(long pid, long nanoTime, long cpuTicks, Map<Long, ThreadSample> threads)
    {
        /**
         * @param later a later sample of the same process.
         * @return percent of one CPU the process used between the two.
         */
        double cpuPercent(final Sample later)
        {
            return percent(later.cpuTicks - cpuTicks, later.nanoTime - nanoTime);
        }

        /**
         * @param later a later sample of the same process.
         * @param tid   one of its threads.
         * @return percent of one CPU the thread used between the two (NaN when it is in neither sample).
         */
        double threadCpuPercent(final Sample later, final long tid)
        {
            final ThreadSample a = threads.get(tid);
            final ThreadSample b = later.threads.get(tid);
            return null == a || null == b ? Double.NaN : percent(b.cpuTicks - a.cpuTicks, later.nanoTime - nanoTime);
        }

        /**
         * @param later a later sample of the same process.
         * @return each thread alive at the later sample ("name-tid") with its wake-ups per second between the two
         * (a thread started in between counts from its start).
         */
        Map<String, Double> wakeUpsPerSecond(final Sample later)
        {
            final double seconds = (later.nanoTime - nanoTime) / 1e9;
            final Map<String, Double> rates = new LinkedHashMap<>();
            for (final Map.Entry<Long, ThreadSample> e : later.threads.entrySet())
            {
                final ThreadSample before = threads.get(e.getKey());
                final long delta = e.getValue().wakeUps() - (null == before ? 0 : before.wakeUps());
                rates.put(e.getValue().name() + "-" + e.getKey(), delta / Math.max(1e-9, seconds));
            }
            return rates;
        }
    }

    /**
     * @param threadKey "name-tid" as {@link Sample#wakeUpsPerSecond} gives it.
     * @return true when the thread is one of the JVM's own ({@link #JVM_THREAD_PREFIXES}).
     */
    static boolean isJvmThread(final String threadKey)
    {
        final String name = threadKey.substring(0, Math.max(0, threadKey.lastIndexOf('-')));
        return JVM_THREAD_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * @param pid a process.
     * @return it and its threads now.
     * @throws IOException when {@code /proc/<pid>} cannot be read (the process is gone, or this is not Linux).
     */
    static Sample sample(final long pid) throws IOException
    {
        final long now = System.nanoTime();
        final Path proc = Path.of("/proc", Long.toString(pid));
        final long total = cpuTicks(Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8));
        final Map<Long, ThreadSample> threads = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task")))
        {
            for (final Path task : tasks.toList())
            {
                try
                {
                    final long tid = Long.parseLong(task.getFileName().toString());
                    final String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    final long ticks = cpuTicks(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8));
                    final long wakeUps = voluntarySwitches(Files.readString(task.resolve("status"),
                        StandardCharsets.UTF_8));
                    threads.put(tid, new ThreadSample(name, ticks, wakeUps));
                }
                catch (final IOException | RuntimeException gone)
                {
                    // the thread ended while it was read: it is not in this sample
                }
            }
        }
        return new Sample(pid, now, total, threads);
    }

    /**
     * @param stat the text of a {@code stat} file.
     * @return {@code utime + stime} (fields 14 and 15), clock ticks.
     */
    static long cpuTicks(final String stat)
    {
        // The second field is the name in parentheses and may hold spaces: count fields after its closing one.
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * @param status the text of a {@code status} file.
     * @return its {@code voluntary_ctxt_switches}.
     */
    static long voluntarySwitches(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("voluntary_ctxt_switches:"))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalArgumentException("no voluntary_ctxt_switches in status");
    }

    private static double percent(final long ticks, final long nanos)
    {
        return 100.0 * ticks / clockTicksPerSecond() / Math.max(1e-9, nanos / 1e9);
    }

    /**
     * @return {@code getconf CLK_TCK}: the unit of {@code stat}'s times (100 on Linux almost everywhere).
     */
    static long clockTicksPerSecond()
    {
        long ticks = clockTicksPerSecond;
        if (ticks == 0)
        {
            ticks = 100;
            try
            {
                final Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
                {
                    ticks = Long.parseLong(out);
                }
            }
            catch (final IOException | RuntimeException e)
            {
                // keep Linux's usual 100
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            clockTicksPerSecond = ticks;
        }
        return ticks;
    }

    /**
     * @param value a percentage or rate.
     * @return it with two decimals, for logs.
     */
    static String format(final double value)
    {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
