/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JfrSummaryTest
{
    private static final String BURNER = JfrSummaryTest.class.getName() + ".burnCpu";

    @TempDir
    Path dir;

    static volatile long sink;

    @Test
    void topFramesNameTheMethodThatBurnedTheCpu() throws IOException
    {
        final Path jfr = dir.resolve("burn.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable(JfrSummary.EXECUTION_SAMPLE).withPeriod(Duration.ofMillis(10));
            recording.start();
            sink = burnCpu(System.nanoTime() + Duration.ofSeconds(1).toNanos());
            recording.stop();
            recording.dump(jfr);
        }

        final List<String> top = JfrSummary.topFrames(jfr, 5);

        assertTrue(top.stream().anyMatch(f -> f.startsWith(BURNER + " (")), () -> BURNER + " not in " + top);
        assertTrue(top.getFirst().matches(".+ \\(\\d+\\.\\d %\\)"), top::toString);
    }

    @Test
    void topFramesIsEmptyForARecordingWithoutExecutionSamples() throws IOException
    {
        final Path jfr = dir.resolve("quiet.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable("jdk.JVMInformation");
            recording.start();
            recording.stop();
            recording.dump(jfr);
        }

        assertEquals(List.of(), JfrSummary.topFrames(jfr, 5));
    }

    /**
     * Spins on integer arithmetic, with no calls a JIT could inline into it but the clock, until the deadline.
     */
    private static long burnCpu(final long deadlineNanos)
    {
        long x = 0x9E3779B97F4A7C15L;
        while (true)
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            if (System.nanoTime() >= deadlineNanos)
            {
                return x;
            }
        }
    }
}
