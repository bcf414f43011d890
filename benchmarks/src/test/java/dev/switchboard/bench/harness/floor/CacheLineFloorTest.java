/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.floor;

import dev.switchboard.bench.harness.HdrLogs;
import dev.switchboard.bench.harness.floor.CacheLineFloor.FloorRun;
import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floor program builds, runs as two real processes in both modes, and its samples come back complete in a
 * readable HdrHistogram log. Nothing here asserts speed: the numbers depend on the machine and its neighbours.
 */
@Tag("slow")
class CacheLineFloorTest
{
    private static final long SAMPLES = 20_000;
    private static final long WARMUP = 2_000;
    private static final long RATE_PER_SECOND = 100_000;

    @TempDir
    static Path buildDir;

    private static Path binary;

    @BeforeAll
    static void buildTheProgram() throws IOException
    {
        binary = CacheLineFloor.build(projectRoot(), buildDir);
    }

    @Test
    void pingPongRecordsEveryRoundTripInAReadableLog(@TempDir final Path runDir) throws IOException
    {
        final FloorRun run = CacheLineFloor.pingPong(
            binary, runDir, "floor/pingpong.hlog", SAMPLES, WARMUP, cpus(), CacheLineFloor.LINE_BYTES);

        final LatencyResult result = run.result();
        assertEquals(LatencyResult.Method.PING_PONG_RTT, result.method());
        assertEquals(CacheLineFloor.LINE_BYTES, result.payloadLength());
        assertEquals(0, result.ratePerSecond());
        assertEquals(0, run.missed());
        assertDistributionIsComplete(runDir, result);
        assertTrue(run.summaryLine().startsWith("mode=pingpong samples=" + SAMPLES + " "), run.summaryLine());
    }

    @Test
    void oneWayRecordsEveryMessageSentAtTheFixedRate(@TempDir final Path runDir) throws IOException
    {
        final FloorRun run = CacheLineFloor.oneWay(
            binary, runDir, "floor/oneway.hlog", SAMPLES, RATE_PER_SECOND, cpus());

        final LatencyResult result = run.result();
        assertEquals(LatencyResult.Method.ONE_WAY_FIXED_RATE, result.method());
        assertEquals(CacheLineFloor.LINE_BYTES, result.payloadLength());
        assertEquals(RATE_PER_SECOND, result.ratePerSecond());
        assertEquals(0, run.missed(), "the sender waits for the slot, so no message is lost: " + run.summaryLine());
        assertDistributionIsComplete(runDir, result);
        assertTrue(run.summaryLine().startsWith("mode=oneway samples=" + SAMPLES + " "), run.summaryLine());
    }

    @Test
    void pinnedIsReportedOnlyWhenAskedFor(@TempDir final Path runDir) throws IOException
    {
        final FloorRun run = CacheLineFloor.pingPong(
            binary, runDir, "unpinned.hlog", 1_000, 0, CacheLineFloor.UNPINNED, CacheLineFloor.LINE_BYTES);

        assertFalse(run.pinned(), run.summaryLine());
        assertTrue(run.summaryLine().contains(" pinned=no "), run.summaryLine());
    }

    @Test
    void programRejectsANegativeSampleCountWithAMessage(@TempDir final Path dir) throws Exception
    {
        final Process process = new ProcessBuilder(List.of(
            binary.toString(), "pingpong", "--samples", "-5", "--cpus", "none", "--out", dir.resolve("x").toString()))
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the program did not exit");

        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains("--samples must be between 1 and"), output);
        assertTrue(output.contains("-5"), output);
    }

    @Test
    void payloadOtherThanOneCacheLineIsRefused(@TempDir final Path runDir)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CacheLineFloor.pingPong(binary, runDir, "x.hlog", 10, 0, CacheLineFloor.UNPINNED, 32));
        assertTrue(ex.getMessage().contains("was 32"), ex.getMessage());
    }

    @Test
    void buildReusesABinaryNewerThanTheSource() throws IOException
    {
        final FileTime marker = FileTime.fromMillis(System.currentTimeMillis() + 60_000);
        Files.setLastModifiedTime(binary, marker);

        final Path again = CacheLineFloor.build(projectRoot(), buildDir);

        assertEquals(binary, again);
        assertEquals(marker, Files.getLastModifiedTime(again), "the binary was rebuilt");
    }

    private static void assertDistributionIsComplete(final Path runDir, final LatencyResult result) throws IOException
    {
        assertEquals(SAMPLES, result.samples());
        assertTrue(result.p50Ns() > 0, "p50 " + result.p50Ns());
        assertTrue(result.p50Ns() <= result.p99Ns(), result.toString());
        assertTrue(result.p99Ns() <= result.maxNs(), result.toString());

        final Path hlog = runDir.resolve(result.hlogFile());
        assertTrue(Files.isRegularFile(hlog), "no log at " + hlog);
        final Histogram fromLog = HdrLogs.read(hlog);
        assertEquals(SAMPLES, fromLog.getTotalCount());
        assertEquals(result.p50Ns(), fromLog.getValueAtPercentile(50.0));
        assertEquals(result.maxNs(), fromLog.getMaxValue());
        try (var left = Files.list(runDir))
        {
            assertEquals(List.of("floor"), left.map(p -> p.getFileName().toString()).toList(),
                "scratch files were left in the run directory");
        }
    }

    private static String cpus()
    {
        return Runtime.getRuntime().availableProcessors() >= 2 ? "0,1" : CacheLineFloor.UNPINNED;
    }

    /** Surefire runs in the module directory; walk up to the checkout, whatever the working directory is. */
    private static Path projectRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); null != dir; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(CacheLineFloor.SOURCE)))
            {
                return dir;
            }
        }
        throw new IllegalStateException(
            "no " + CacheLineFloor.SOURCE + " above " + Path.of("").toAbsolutePath() + ": not run in the checkout?");
    }
}
