/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Pins the calling thread (not its whole process) to one CPU with {@code taskset -p -c CPU TID}, without native
 * calls: the thread id is read from {@code /proc/thread-self}.
 *
 * <p>Why a thread and not the process: a JVM pinned whole to one CPU makes its JIT compiler and GC threads share
 * that CPU with the spinning thread, and on a 2-CPU machine the first seconds of a case then measured the C2
 * compiler (seconds of CPU per JVM), not the transport. Pinned this way the measuring thread keeps its CPU to itself
 * as far as the scheduler allows, and the JVM's other threads run wherever there is room.
 */
final class ThreadPinning
{
    /** System property naming the CPU the harness asks a child's measuring thread to take. */
    static final String CPU_PROPERTY = "switchboard.bench.cpu";
    /** System property naming the CPU of an in-process case's responder thread. */
    static final String RESPONDER_CPU_PROPERTY = "switchboard.bench.responder.cpu";

    private ThreadPinning()
    {
    }

    /**
     * @return the calling thread's kernel thread id (from {@code /proc/thread-self}), or -1 where there is none.
     */
    static long currentThreadId()
    {
        try
        {
            final String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(self.substring(self.lastIndexOf('/') + 1));
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /**
     * Pin the calling thread to the CPU in the given system property, if it is set.
     *
     * @param property {@link #CPU_PROPERTY} or {@link #RESPONDER_CPU_PROPERTY}.
     * @return what was done, for the log ("pinned thread 1234 to CPU 1", or why not).
     */
    static String pinCurrentThread(final String property)
    {
        final String cpu = System.getProperty(property);
        if (cpu == null || cpu.isBlank())
        {
            return "not pinned";
        }
        try
        {
            final String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            final String tid = self.substring(self.lastIndexOf('/') + 1);
            final Process p = new ProcessBuilder("taskset", "-p", "-c", cpu, tid).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                return "could not pin thread " + tid + " to CPU " + cpu + ": " + out;
            }
            return "pinned thread " + tid + " to CPU " + cpu;
        }
        catch (final IOException e)
        {
            return "could not pin to CPU " + cpu + ": " + e.getMessage();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted while pinning";
        }
    }
}
