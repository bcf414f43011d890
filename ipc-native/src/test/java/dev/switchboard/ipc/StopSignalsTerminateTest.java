/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.testing.LogCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StopSignals#terminate}: a child that ignores SIGTERM is killed after the grace, and the kill is told (a
 * silent kill hid why an agent never deregistered); a child that stops on SIGTERM is not.
 */
@Timeout(30)
class StopSignalsTerminateTest
{
    private static Process ignoringSigterm() throws Exception
    {
        // The shell says it set its trap in a file, not on a pipe: Process.destroy() closes the pipes, and a shell
        // that wrote to a closed one would die of SIGPIPE (exit 141) instead of the SIGKILL under test.
        final java.nio.file.Path up = java.nio.file.Files.createTempFile("trap", ".up");
        final Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; echo up > \"$0\"; sleep 30", up.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (java.nio.file.Files.size(up) == 0) // SIGTERM before the trap would kill it
        {
            assertTrue(System.nanoTime() < deadline, "the shell never set its trap");
            Thread.sleep(1);
        }
        java.nio.file.Files.delete(up);
        return p;
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGraceAndReportedAndOneThatStopsIsNot() throws Exception
    {
        final Process stubborn = ignoringSigterm();
        final Process polite = new ProcessBuilder("sleep", "30").start();
        final List<Process> killed = new CopyOnWriteArrayList<>();

        final long startNs = System.nanoTime();
        StopSignals.terminate(List.of(polite, stubborn), TimeUnit.MILLISECONDS.toNanos(300), killed::add);

        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(300), "waited the grace");
        assertEquals(List.of(stubborn), killed);
        assertFalse(stubborn.isAlive());
        assertFalse(polite.isAlive());
        assertEquals(143, polite.exitValue(), "SIGTERM");
        assertEquals(137, stubborn.exitValue(), "SIGKILL");
    }

    @Test
    void withoutAListenerTheKillIsOneWarningNamingThePid() throws Exception
    {
        final Process stubborn = ignoringSigterm();
        try (LogCapture log = LogCapture.of(StopSignals.class.getName()))
        {
            StopSignals.terminate(List.of(stubborn), TimeUnit.MILLISECONDS.toNanos(200));
            assertFalse(stubborn.isAlive());
            assertEquals(List.of("WARNING switchboard: process " + stubborn.pid() + " did not exit within 200 ms of " +
                "SIGTERM: killed (SIGKILL)"), log.lines());
        }
    }
}
