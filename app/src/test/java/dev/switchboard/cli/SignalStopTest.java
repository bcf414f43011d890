/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, SIGINT and SIGKILL to {@code ./switchboard demo} and {@code coordinate}, each a real JVM with real agent
 * JVMs under it, signalled while those agents run: the command stops within the stop timeout (the demo with 0, coordinate with 130 or 143), its
 * agent processes are gone, its embedded router's counters are printed, and the temporary directories it made (its
 * {@code java.io.tmpdir} is the test's) are removed; a second signal during the stop exits at once; after a
 * {@code kill -9} of the command, its agent processes stop on their own.
 */
@Tag("slow")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SignalStopTest
{
    private static final long CHILD_TIMEOUT_MS = 60_000;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final List<ProcessHandle> agents = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        agents.forEach(ProcessHandle::destroyForcibly);
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void demoStoppedBySigtermWhileItsAgentProcessesRunStopsThemAndItsRouterRemovesItsFilesAndExits0()
        throws Exception
    {
        final Process demo = start("demo");
        awaitAgentProcesses(demo, 2);

        final long stopMs = signalAndWait(demo, "TERM");
        System.out.println("demo: SIGTERM to exit " + stopMs + " ms");
        final String out = read("demo.out");
        assertEquals(0, demo.exitValue(), out + read("demo.err"));
        assertTrue(stopMs < StopSignals.DEFAULT_TIMEOUT_MS, "stopped within the stop timeout: " + stopMs + " ms");
        assertTrue(out.contains("stopped (SIGTERM): agent processes stopped, router closed; router counters:"), out);
        assertTrue(out.contains("registrations"), "the router's counters: " + out);
        assertTrue(out.contains("switchboard demo: stopped by SIGTERM"), out);
        assertAgentProcessesGone();
        assertTemporaryFilesRemoved();
    }

    @Test
    void aSecondSignalDuringTheDemosStopExitsAtOnceAndKillsItsAgentProcesses() throws Exception
    {
        final Process demo = start("demo");
        awaitAgentProcesses(demo, 2);
        for (final ProcessHandle agent : agents)
        {
            kill("STOP", agent.pid()); // they cannot answer the demo's SIGTERM: its stop waits for them
        }
        kill("TERM", demo.pid());
        Thread.sleep(500);
        assertTrue(demo.isAlive(), "the first signal's stop waits up to " + StopSignals.CHILD_GRACE_MS +
            " ms for the stopped agents");

        final long secondMs = signalAndWait(demo, "INT");
        System.out.println("demo: second signal (SIGINT) to exit " + secondMs + " ms");
        assertEquals(130, demo.exitValue(), read("demo.err"));
        assertTrue(secondMs < StopSignals.CHILD_GRACE_MS - 500, "at once, not after the agents' grace: " + secondMs +
            " ms");
        assertTrue(read("demo.err").contains("SIGINT while stopping (SIGTERM): exiting now with status 130"),
            read("demo.err"));
        assertAgentProcessesGone();
    }

    @Test
    void theDemosAgentProcessesStopOnTheirOwnWhenTheDemoIsKilledWithSigkill() throws Exception
    {
        final Process demo = start("demo");
        awaitAgentProcesses(demo, 2);

        final long killedNs = System.nanoTime();
        demo.destroyForcibly();
        assertTrue(demo.waitFor(CHILD_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        while (agents.stream().anyMatch(SignalStopTest::running))
        {
            assertTrue(System.nanoTime() - killedNs < TimeUnit.MILLISECONDS.toNanos(StopSignals.DEFAULT_TIMEOUT_MS),
                "agent processes still running " + StopSignals.DEFAULT_TIMEOUT_MS + " ms after their parent's kill -9: " +
                    agents.stream().filter(SignalStopTest::running).toList());
            Thread.sleep(10);
        }
        System.out.println("demo killed: its agent processes gone after " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs) + " ms");
        // nobody is left to delete the demo's runtime dir after a kill -9: the agents' own words are in it
        try (Stream<Path> files = Files.walk(dir.resolve("tmp")))
        {
            final List<Path> errs = files.filter(f -> f.toString().endsWith(".err")).toList();
            assertEquals(2, errs.size(), "Testbed.err and Constructor.err: " + errs);
            for (final Path err : errs)
            {
                final String text = Files.readString(err);
                assertTrue(text.contains("stopped by parent process " + demo.pid() + " exited"), err + ": " + text);
            }
        }
    }

    @Test
    void coordinateStoppedBySigintPrintsItsReportAndRouterCountersStopsItsAgentProcessesAndExits130()
        throws Exception
    {
        final Path scope = Files.createDirectories(dir.resolve("scope"));
        final Process coordinate = start("coordinate", "--workflow", "feature", "--repo", scope.toString(),
            "--agents", "2", "--agent-processes", "--task-duration-ms", "60000");
        awaitAgentProcesses(coordinate, 2);
        awaitText("coordinate.err", "(0/7 tasks)", coordinate); // the workflow runs: a task is assigned

        final long stopMs = signalAndWait(coordinate, "INT");
        System.out.println("coordinate: SIGINT to exit " + stopMs + " ms");
        final String err = read("coordinate.err");
        assertEquals(130, coordinate.exitValue(), err);
        assertTrue(stopMs < StopSignals.DEFAULT_TIMEOUT_MS, "stopped within the stop timeout: " + stopMs + " ms");
        assertTrue(read("coordinate.out").contains("\"status\":\"RUNNING\""), "the report so far: " +
            read("coordinate.out"));
        assertTrue(err.contains("switchboard coordinate: stopped by SIGINT with 0 of 7 tasks complete"), err);
        assertTrue(err.contains("embedded router stopped; counters:"), err);
        // each agent stopped on SIGTERM by itself (coordinate relays the agents' own stop lines, and says so when it
        // had to kill one after the grace, with the tail of its error output: their log directory is gone by now)
        for (final String agent : List.of("agent-1", "agent-2"))
        {
            // relayed through the log (one line per record: time, level, logger, then the line)
            assertTrue(err.lines().anyMatch(l -> l.matches(".*agent process " + agent + ": " + agent +
                " stopped \\(SIGTERM\\) in \\d+ ms")), agent + "'s stop line: " + err);
        }
        // the two agents and the runtime each deregistered: none was dropped with its connection
        assertTrue(err.lines().anyMatch(l -> l.matches("deregistrations\\s+3")), err);
        assertTrue(err.lines().noneMatch(l -> l.startsWith("connections closed ")), err);
        assertAgentProcessesGone();
        assertTemporaryFilesRemoved();
    }

    /** {@code Main COMMAND ARGS} in a JVM of its own, its temporary files under {@code dir/tmp}. */
    private Process start(final String command, final String... args) throws IOException
    {
        Files.createDirectories(dir.resolve("tmp"));
        final List<String> line = new ArrayList<>(List.of(command));
        line.addAll(List.of(args));
        final Process process = ChildJvm.builder(Main.class).jvmOptions(JvmFlags.router())
            .jvmOptions("-Djava.io.tmpdir=" + dir.resolve("tmp")).output(dir, command).args(line).start().process();
        started.add(process);
        return process;
    }

    /** Waits until the command runs {@code count} agent JVMs, and records them. */
    private void awaitAgentProcesses(final Process command, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_TIMEOUT_MS);
        List<ProcessHandle> children = List.of();
        while (children.size() < count)
        {
            if (!command.isAlive() || System.nanoTime() > deadline)
            {
                fail("never saw " + count + " agent processes; exit " + (command.isAlive() ? "none" :
                    command.exitValue()) + "; stdout and stderr in " + dir);
            }
            Thread.sleep(20);
            children = command.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
        }
        agents.addAll(children);
    }

    /** Sends {@code kill -SIGNAL} and waits for the command's exit. @return ms from the signal to the exit. */
    private static long signalAndWait(final Process command, final String signal) throws Exception
    {
        final long signalledNs = System.nanoTime();
        kill(signal, command.pid());
        if (!command.waitFor(CHILD_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            fail("still running " + CHILD_TIMEOUT_MS + " ms after SIG" + signal);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledNs);
    }

    private static void kill(final String signal, final long pid) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor());
    }

    private void assertAgentProcessesGone() throws InterruptedException
    {
        assertTrue(agents.size() >= 2, "agent processes seen: " + agents);
        // the command waited for them (or killed them) before it exited: at most the kernel's bookkeeping is left
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (agents.stream().anyMatch(SignalStopTest::running))
        {
            assertTrue(System.nanoTime() < deadline, "agent processes outlived their command: " +
                agents.stream().filter(SignalStopTest::running).toList());
            Thread.sleep(10);
        }
    }

    /**
     * Whether a process still runs: alive to {@link ProcessHandle} and not a zombie. An orphan that exited stays a
     * zombie until init reaps it, which here can take seconds; the exit is what is measured.
     */
    private static boolean running(final ProcessHandle process)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            final char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return process.isAlive() && state != 'Z' && state != 'X';
        }
        catch (final IOException | RuntimeException gone)
        {
            return false;
        }
    }

    private void assertTemporaryFilesRemoved() throws IOException
    {
        try (Stream<Path> left = Files.list(dir.resolve("tmp")))
        {
            final List<Path> files = left.toList();
            assertTrue(files.isEmpty(), "left in the command's temporary directory: " + files);
        }
    }

    private void awaitText(final String file, final String text, final Process command) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_TIMEOUT_MS);
        while (!read(file).contains(text))
        {
            if (!command.isAlive() || System.nanoTime() > deadline)
            {
                fail("never printed '" + text + "': " + read(file));
            }
            Thread.sleep(20);
        }
    }

    private String read(final String file) throws IOException
    {
        final Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }
}
