/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.transport.OfferStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CRITICAL tier's send cost on one thread: {@link InboxFile#offer} of an envelope prefix and a 32-byte payload
 * into a real inbox file mapped from {@code /dev/shm} (the ring write plus the closed/parked checks a sender makes
 * after it), then the owner's read of that frame. {@link InboxRingBenchmark} measures the same ring on plain native
 * memory; the difference is the mapping and the sender's checks.
 *
 * <p>Allocation: none in the measured method.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CriticalInboxBenchmark
{
    private static final int MSG_TYPE_ID = 1;

    /** Record area capacity; the default is the inbox default ({@code switchboard.inbox.capacity}). */
    @Param({ "1048576" })
    int capacity;

    private Path dir;
    private InboxFile inbox;
    private Arena arena;
    private SegmentBuffer prefix;
    private SegmentBuffer payload;
    private final InboxRingBenchmark.FrameSink sink = new InboxRingBenchmark.FrameSink();

    /**
     * Create the inbox under /dev/shm (the temp dir where there is none).
     *
     * @throws IOException when the directory cannot be made.
     */
    @Setup
    public void setUp() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
            "switchboard-bench-inbox-");
        inbox = InboxFile.create(dir, "bench", capacity);
        arena = Arena.ofShared();
        prefix = EnvelopeFrames.prefix(arena);
        payload = EnvelopeFrames.payload(arena);
    }

    /**
     * Close the inbox and delete its directory.
     *
     * @throws IOException when the directory cannot be deleted.
     */
    @TearDown
    public void tearDown() throws IOException
    {
        inbox.close();
        arena.close();
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Offer one frame (prefix + 32-byte payload) into the mapped inbox, then read it back as the owner.
     *
     * @return frames read (1).
     */
    @Benchmark
    public int offerThenRead()
    {
        final int status = inbox.offer(
            MSG_TYPE_ID, prefix, 0, EnvelopeFrames.PREFIX_LENGTH, payload, 0, EnvelopeFrames.PAYLOAD_LENGTH);
        if (status != OfferStatus.OK)
        {
            throw new IllegalStateException("offer into a drained inbox failed: " + OfferStatus.name(status));
        }
        int read;
        while ((read = inbox.ring().read(sink, 1)) == 0)
        {
            // the read may consume only a wrap's padding record
        }
        return read;
    }
}
