package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An idle agent does not burn a core: an agent process ({@link IdleAgentMain}) idling under the default strategy
 * (spin-park) with a duty every 100 ms uses less than 1 % of one CPU over 10 s, on the futex (native access) and on
 * the doorbell (no flags). Measured for the whole process (every JVM thread) from {@code /proc/<pid>/stat}
 * ({@code utime + stime}, in USER_HZ ticks of 10 ms: Linux's user ABI fixes USER_HZ at 100), after a 1 s settle.
 * This is a resource measurement with a generous bound, not a speed claim: a spinning agent would show ~100 %.
 */
@Tag("slow")
class IdleCpuTest
{
    private static final long WINDOW_MS = 10_000;
    private static final long SETTLE_MS = 1_000;
    private static final double TICK_MS = 10;

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FUTEX, NATIVE", "DOORBELL, ''"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anIdleAgentUsesLessThanOnePercentOfACpu(final String mode, final String flagGroup) throws Exception
    {
        final List<String> flags = flagGroup.isEmpty() ? List.of() : JvmFlags.of(JvmFlags.Group.valueOf(flagGroup));
        try (ChildJvm agent = ChildJvm.start(tempDir, flags, IdleAgentMain.class, tempDir.resolve("shm").toString()))
        {
            assertEquals("idling " + mode, agent.readLine(Duration.ofSeconds(60)));
            Thread.sleep(SETTLE_MS);
            final long ticksBefore = cpuTicks(agent.pid());
            final long wallStart = System.nanoTime();
            Thread.sleep(WINDOW_MS);
            final long ticks = cpuTicks(agent.pid()) - ticksBefore;
            final double wallMs = (System.nanoTime() - wallStart) / 1e6;

            final double share = ticks * TICK_MS / wallMs;
            System.out.printf("idle agent (%s): %d ticks = %.0f ms CPU over %.0f ms wall = %.3f %% of one CPU%n",
                mode, ticks, ticks * TICK_MS, wallMs, share * 100);
            assertTrue(agent.process().isAlive(), "the agent kept running: " + agent.stderrText());
            assertTrue(share < 0.01, "idle agent used " + share * 100 + " % of a CPU");
        }
    }

    @org.junit.jupiter.api.Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theMeasurementSeesABusySpinningAgent() throws Exception
    {
        // The control: the same agent told to busy-spin (Agrona alias "spin") must show up as a CPU's worth, or the
        // measurement is wrong.
        try (ChildJvm agent = ChildJvm.start(tempDir, List.of("-Dswitchboard.client.idle=busy-spin"),
            IdleAgentMain.class, tempDir.resolve("shm").toString()))
        {
            assertEquals("idling spin", agent.readLine(Duration.ofSeconds(60)));
            final long ticksBefore = cpuTicks(agent.pid());
            final long wallStart = System.nanoTime();
            Thread.sleep(2_000);
            final long ticks = cpuTicks(agent.pid()) - ticksBefore;
            final double share = ticks * TICK_MS / ((System.nanoTime() - wallStart) / 1e6);
            System.out.printf("busy-spinning agent: %.1f %% of one CPU%n", share * 100);
            assertTrue(share > 0.2, "a busy-spinning agent measured at only " + share * 100 + " % of a CPU");
        }
    }

    /**
     * {@code utime + stime} of a process: fields 14 and 15 of {@code /proc/<pid>/stat}, counted after the command
     * name's closing parenthesis (the name may hold spaces).
     */
    private static long cpuTicks(final long pid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
