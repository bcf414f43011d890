/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.floor;

import dev.switchboard.bench.harness.HdrLogs;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hardware floor: {@code native/floor/cacheline_pingpong.c}, two processes moving one 64-byte cache line between
 * two CPUs with nothing else on the path. {@link #build} compiles it with gcc; {@link #pingPong} and {@link #oneWay}
 * run it, load its raw samples (int64 little-endian ns) into a {@link HdrLogs#newHistogram() harness histogram},
 * write that as an HdrHistogram log in the run directory and return a {@link FloorRun}.
 *
 * <p>One-way samples are corrected for coordinated omission by the program itself: each message carries its
 * intended send time, and the sender waits for the one-line slot to be free before that time, so a stalled
 * receiver makes later messages late and is charged for it. Values are recorded raw here
 * ({@code recordValueWithExpectedInterval} would count the correction twice). Ping-pong records raw round trips.
 *
 * <p>Stateless; the methods are thread-safe, but two floor runs at once would measure each other. Each run starts
 * two spinning processes pinned as {@code cpus} says, and allocates its samples (8 bytes each) in the C program.
 */
public final class CacheLineFloor
{
    /** Bytes the floor moves per message: one cache line. */
    public static final int LINE_BYTES = 64;

    /** The C program, relative to the project root. */
    public static final String SOURCE = "native/floor/cacheline_pingpong.c";

    /** The binary's file name in the build directory. */
    public static final String BINARY_NAME = "cacheline_pingpong";

    /** gcc options; the same as {@code native/floor/Makefile}'s {@code CFLAGS}. */
    public static final List<String> CFLAGS = List.of("-std=c11", "-O2", "-Wall", "-Wextra", "-Werror");

    /** {@code cpus} value that leaves both processes unpinned. */
    public static final String UNPINNED = "none";

    /** Largest fraction of one-way messages the receiver may miss before a run is refused: 0.1 %. */
    public static final double MAX_MISSED_FRACTION = 0.001;

    /** Warm-up before the measured one-way messages, as time at the rate (capped at the measured count). */
    public static final double ONE_WAY_WARMUP_SECONDS = 0.1;

    private static final Duration BASE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(120);
    /** Allowance per ping-pong iteration beyond the base timeout: 20 us, about 50 times a slow round trip here. */
    private static final long PING_PONG_ALLOWANCE_NS = 20_000;

    /**
     * One run of the floor program.
     *
     * @param result      the distribution, as the run's JSON carries it ({@code samples} counts the values recorded).
     * @param missed      one-way messages the receiver never saw (0 by design, since the sender waits for the slot;
     *                    a run with more than {@link #MAX_MISSED_FRACTION} of them is refused); 0 for ping-pong.
     * @param pinned      true when both processes were pinned to the CPUs asked for; false when asked not to, or
     *                    when pinning failed (then {@code warnings} says why).
     * @param summaryLine the program's own summary ({@code mode=pingpong samples=.. p50=.. ...}), exact percentiles
     *                    from the sorted samples, for the log.
     * @param warnings    what the program wrote on stderr (such as why it could not pin); empty when nothing.
     */
    public record FloorRun(LatencyResult result, long missed, boolean pinned, String summaryLine, String warnings)
    {
    }

    private CacheLineFloor()
    {
    }

    /**
     * Compiles {@link #SOURCE} with the gcc found on {@code PATH}, unless the binary in {@code outDir} is already
     * newer than the source. The binary is compiled under a temporary name and moved into place, so a concurrent
     * caller never runs a half-written file.
     *
     * @param projectRoot the Switchboard checkout (the directory holding {@code native/}).
     * @param outDir      where the binary goes; created when missing.
     * @return the binary.
     * @throws IOException when the source is missing, gcc is not installed, or compiling fails (gcc's output in
     *                     the message).
     */
    public static Path build(final Path projectRoot, final Path outDir) throws IOException
    {
        final Path source = projectRoot.resolve(SOURCE).toAbsolutePath();
        if (!Files.isRegularFile(source))
        {
            throw new IOException("the floor's C source is not at " + source + ": projectRoot (" + projectRoot +
                ") must be the Switchboard checkout, the directory holding native/");
        }
        final Path binary = outDir.resolve(BINARY_NAME).toAbsolutePath();
        if (Files.isExecutable(binary) &&
            Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0)
        {
            return binary;
        }

        final Path gcc = findOnPath("gcc");
        if (null == gcc)
        {
            throw new IOException("gcc is not on PATH (" + System.getenv("PATH") + "): the hardware floor is a C " +
                "program (" + SOURCE + ") compiled at run time. Install build-essential " +
                "(apt-get install build-essential; .ci/run does).");
        }

        Files.createDirectories(outDir);
        final Path partial = outDir.resolve(BINARY_NAME + ".partial-" + ProcessHandle.current().pid())
            .toAbsolutePath();
        final List<String> command = new ArrayList<>();
        command.add(gcc.toString());
        command.addAll(CFLAGS);
        command.addAll(List.of("-o", partial.toString(), source.toString()));
        final Outcome compile = execute(command, outDir, COMPILE_TIMEOUT);
        if (0 != compile.exitCode)
        {
            Files.deleteIfExists(partial);
            throw new IOException("gcc could not compile " + source + " (exit " + compile.exitCode + "):\n" +
                compile.stderr + compile.stdout);
        }
        Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }

    /**
     * Round trips of one cache line: the parent writes a sequence number into the line and spins until the child
     * has echoed it; each measured round trip (two clock reads around it included) is one value.
     *
     * @param binary        from {@link #build}.
     * @param runDir        the run directory; the log goes to {@code runDir/hlogRelPath}, scratch files to a
     *                      temporary directory in it that is removed afterwards.
     * @param hlogRelPath   the log's path relative to {@code runDir} (recorded in the result).
     * @param samples       measured round trips, at least 1.
     * @param warmup        unrecorded round trips before them.
     * @param cpus          "A,B" (parent on CPU A, child on B) or {@link #UNPINNED}.
     * @param payloadLength must be {@link #LINE_BYTES}: the floor moves one line, and the result records it.
     * @return the run; {@code missed} is 0.
     * @throws IOException when the program cannot run, fails, times out, or its output does not add up.
     */
    public static FloorRun pingPong(
        final Path binary, final Path runDir, final String hlogRelPath, final long samples, final long warmup,
        final String cpus, final int payloadLength) throws IOException
    {
        if (LINE_BYTES != payloadLength)
        {
            throw new IllegalArgumentException(
                "the floor moves one " + LINE_BYTES + "-byte cache line: payloadLength must be " + LINE_BYTES +
                ", was " + payloadLength);
        }
        requireAtLeast("samples", samples, 1);
        requireAtLeast("warmup", warmup, 0);

        final Duration timeout = BASE_TIMEOUT.plusNanos(Math.multiplyExact(samples + warmup, PING_PONG_ALLOWANCE_NS));
        final List<String> arguments = List.of(
            "pingpong", "--samples", Long.toString(samples), "--warmup", Long.toString(warmup), "--cpus", cpus);
        return run(binary, runDir, hlogRelPath, arguments, Method.PING_PONG_RTT, 0, samples, timeout,
            "c-floor.pingpong." + LINE_BYTES);
    }

    /**
     * One-way messages at a fixed rate: message i is due at start + i / rate; the sender waits for the one-line
     * slot to be free, spins until the due time, and stores the due time and i; the receiver records now - due time.
     * Preceded by {@link #ONE_WAY_WARMUP_SECONDS} worth of unrecorded messages (at most {@code samples}).
     *
     * @param binary        from {@link #build}.
     * @param runDir        the run directory (see {@link #pingPong}).
     * @param hlogRelPath   the log's path relative to {@code runDir}.
     * @param samples       measured messages, at least 1.
     * @param ratePerSecond messages a second, at least 1.
     * @param cpus          "A,B" (sender on CPU A, receiver on B) or {@link #UNPINNED}.
     * @return the run, payload {@link #LINE_BYTES}.
     * @throws IOException when the program cannot run, fails, times out, its output does not add up, or the
     *                     receiver missed more than {@link #MAX_MISSED_FRACTION} of the messages.
     */
    public static FloorRun oneWay(
        final Path binary, final Path runDir, final String hlogRelPath, final long samples, final long ratePerSecond,
        final String cpus) throws IOException
    {
        requireAtLeast("samples", samples, 1);
        requireAtLeast("ratePerSecond", ratePerSecond, 1);

        final long warmup = Math.min(samples, Math.max(1, (long)(ratePerSecond * ONE_WAY_WARMUP_SECONDS)));
        final double sendingSeconds = (samples + warmup) / (double)ratePerSecond;
        final Duration timeout = BASE_TIMEOUT.plusMillis((long)Math.ceil(3_000 * sendingSeconds));
        final List<String> arguments = List.of(
            "oneway", "--samples", Long.toString(samples), "--warmup", Long.toString(warmup),
            "--rate", Long.toString(ratePerSecond), "--cpus", cpus);
        return run(binary, runDir, hlogRelPath, arguments, Method.ONE_WAY_FIXED_RATE, ratePerSecond, samples, timeout,
            "c-floor.oneway." + ratePerSecond);
    }

    private static FloorRun run(
        final Path binary, final Path runDir, final String hlogRelPath, final List<String> arguments,
        final Method method, final long ratePerSecond, final long samplesAsked, final Duration timeout,
        final String tag) throws IOException
    {
        if (!Files.isExecutable(binary))
        {
            throw new IOException("the floor program " + binary + " is missing or not executable: build it first");
        }
        if (Path.of(hlogRelPath).isAbsolute())
        {
            throw new IllegalArgumentException("hlogRelPath must be relative to the run directory, was " + hlogRelPath);
        }

        Files.createDirectories(runDir);
        final Path scratch = Files.createTempDirectory(runDir, "c-floor-");
        final Path raw = scratch.resolve("samples.bin");
        try
        {
            final List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(arguments);
            command.addAll(List.of("--out", raw.toString()));

            final long startMs = System.currentTimeMillis();
            final Outcome outcome = execute(command, scratch, timeout);
            final long endMs = System.currentTimeMillis();
            if (0 != outcome.exitCode)
            {
                throw new IOException(String.join(" ", command) + " exited with status " + outcome.exitCode + ":\n" +
                    outcome.stderr + outcome.stdout);
            }

            final String summaryLine = outcome.stdout.lines()
                .filter(line -> line.startsWith("mode="))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IOException(
                    "the floor program printed no summary line (mode=...); stdout:\n" + outcome.stdout +
                    "stderr:\n" + outcome.stderr));
            final Map<String, String> summary = parseSummary(summaryLine);
            final long recorded = longField(summary, "samples", summaryLine);
            final long missed = longField(summary, "missed", summaryLine);
            final boolean pinned = "yes".equals(summary.get("pinned"));

            if (missed > MAX_MISSED_FRACTION * samplesAsked)
            {
                throw new IOException("the floor's receiver missed " + missed + " of " + samplesAsked +
                    " messages, more than the " + MAX_MISSED_FRACTION * 100 + " % allowed: " + summaryLine);
            }
            if (recorded + missed != samplesAsked)
            {
                throw new IOException("the floor program recorded " + recorded + " and missed " + missed +
                    " samples, but " + samplesAsked + " were asked for: " + summaryLine);
            }

            final Histogram histogram = readSamples(raw, recorded);
            histogram.setStartTimeStamp(startMs);
            histogram.setEndTimeStamp(endMs);
            HdrLogs.write(histogram, runDir.resolve(hlogRelPath), tag);
            final LatencyResult result = HdrLogs.summarise(method, LINE_BYTES, ratePerSecond, histogram, hlogRelPath);
            return new FloorRun(result, missed, pinned, summaryLine, outcome.stderr.strip());
        }
        finally
        {
            deleteScratch(scratch);
        }
    }

    private static Histogram readSamples(final Path raw, final long expected) throws IOException
    {
        final long size = Files.size(raw);
        if (size != expected * Long.BYTES)
        {
            throw new IOException(raw + " holds " + size + " bytes; " + expected + " samples of 8 bytes were expected");
        }

        final Histogram histogram = HdrLogs.newHistogram();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        long index = 0;
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.READ))
        {
            while (index < expected && channel.read(buffer) >= 0)
            {
                buffer.flip();
                while (buffer.remaining() >= Long.BYTES)
                {
                    final long value = buffer.getLong();
                    if (value < 0 || value > histogram.getHighestTrackableValue())
                    {
                        throw new IOException("sample " + index + " of " + raw + " is " + value +
                            " ns, outside the histogram's 0.." + histogram.getHighestTrackableValue() + " ns");
                    }
                    histogram.recordValue(value);
                    index++;
                }
                buffer.compact();
            }
        }
        if (index != expected)
        {
            throw new IOException("read " + index + " samples from " + raw + ", expected " + expected);
        }
        return histogram;
    }

    private static Map<String, String> parseSummary(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String token : line.trim().split("\\s+"))
        {
            final int equals = token.indexOf('=');
            if (equals > 0)
            {
                fields.put(token.substring(0, equals), token.substring(equals + 1));
            }
        }
        return fields;
    }

    private static long longField(final Map<String, String> fields, final String key, final String line)
        throws IOException
    {
        final String value = fields.get(key);
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("the floor's summary has no whole number for '" + key + "': " + line, ex);
        }
    }

    private static void requireAtLeast(final String name, final long value, final long min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }

    private record Outcome(int exitCode, String stdout, String stderr)
    {
    }

    /**
     * Runs a command with stdout and stderr going to files in {@code dir} (so neither pipe can fill and stall it),
     * and kills it when it outlives {@code timeout}. The floor program's child dies with it (PR_SET_PDEATHSIG).
     */
    private static Outcome execute(final List<String> command, final Path dir, final Duration timeout)
        throws IOException
    {
        final Path stdout = Files.createTempFile(dir, "stdout-", ".txt");
        final Path stderr = Files.createTempFile(dir, "stderr-", ".txt");
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
            try
            {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IOException(String.join(" ", command) + " did not finish within " +
                        timeout.toSeconds() + " s and was killed; stderr:\n" + Files.readString(stderr));
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + String.join(" ", command), ex);
            }
            return new Outcome(
                process.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static void deleteScratch(final Path scratch) throws IOException
    {
        try (var files = Files.list(scratch))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(scratch);
    }

    private static Path findOnPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (null != path)
        {
            for (final String dir : path.split(File.pathSeparator))
            {
                if (!dir.isEmpty())
                {
                    final Path candidate = Path.of(dir, program);
                    if (Files.isExecutable(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }
        return null;
    }
}
