/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.transport.OfferStatus;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The CRITICAL inbox cost on one thread: offer one envelope frame (prefix + 32-byte payload) into a
 * {@link ManyToOneRing}, the VarHandle-over-{@code MemorySegment} ring every inbox is made of (in process memory
 * here; the same class maps the {@code /dev/shm} inbox files), then read it. Its peer in the same run is Agrona's
 * {@link ManyToOneRingBuffer} over an {@link UnsafeBuffer} with the same layout and protocol, so the two scores
 * give the price of running without {@code Unsafe}.
 * <ul>
 *   <li>{@code ring*}: {@link ManyToOneRing}; sources are {@link SegmentBuffer}s, as the client's are.</li>
 *   <li>{@code agrona*}: {@link ManyToOneRingBuffer}; sources are {@link UnsafeBuffer}s, its natural peer.</li>
 *   <li>{@code *TwoPart}: prefix and payload copied in separately (what the client and the router's ingress do:
 *   {@code offer(type, a, .., b, ..)}, or {@code tryClaim} + two {@code putBytes} + {@code commit} for Agrona);
 *   {@code *OnePart}: the whole frame from one buffer ({@code offer} / {@code write}).</li>
 * </ul>
 * Allocation: none in the measured methods; {@code -prof gc} should show about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class InboxRingBenchmark
{
    private static final int MSG_TYPE_ID = 1;
    private static final int CACHE_LINE = 64;

    /**
     * Record area capacity of both rings; the default is {@code RouterContext}'s default inbox capacity.
     */
    @Param({ "1048576" })
    int capacity;

    private Arena arena;
    private ManyToOneRing ring;
    private SegmentBuffer prefix;
    private SegmentBuffer payload;
    private SegmentBuffer frame;

    private ManyToOneRingBuffer agrona;
    private UnsafeBuffer agronaBuffer;
    private UnsafeBuffer unsafePrefix;
    private UnsafeBuffer unsafePayload;
    private UnsafeBuffer unsafeFrame;

    private final FrameSink sink = new FrameSink();

    /**
     * Create both rings, each in its own cache-line-aligned native memory, and the source buffers.
     */
    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        ring = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(capacity), 128));
        prefix = EnvelopeFrames.prefix(arena);
        payload = EnvelopeFrames.payload(arena);
        frame = EnvelopeFrames.frame(arena);

        final MemorySegment agronaSegment = arena.allocate(capacity + RingBufferDescriptor.TRAILER_LENGTH, 128);
        agronaBuffer = new UnsafeBuffer(agronaSegment.address(), (int)agronaSegment.byteSize());
        agrona = new ManyToOneRingBuffer(agronaBuffer);
        unsafePrefix = copyOf(prefix);
        unsafePayload = copyOf(payload);
        unsafeFrame = copyOf(frame);
    }

    /**
     * Free the rings and buffers.
     */
    @TearDown
    public void tearDown()
    {
        arena.close();
    }

    /**
     * {@link ManyToOneRing}: prefix and payload offered as one record, then read.
     *
     * @return frames read (1).
     */
    @Benchmark
    public int ringTwoPart()
    {
        check(ring.offer(
            MSG_TYPE_ID, prefix, 0, EnvelopeFrames.PREFIX_LENGTH, payload, 0, EnvelopeFrames.PAYLOAD_LENGTH));
        return readOne(ring);
    }

    /**
     * {@link ManyToOneRing}: the whole frame offered from one buffer, then read.
     *
     * @return frames read (1).
     */
    @Benchmark
    public int ringOnePart()
    {
        check(ring.offer(MSG_TYPE_ID, frame, 0, EnvelopeFrames.FRAME_LENGTH));
        return readOne(ring);
    }

    /**
     * Agrona {@link ManyToOneRingBuffer}: claim, copy prefix and payload, commit, then read.
     *
     * @return frames read (1).
     */
    @Benchmark
    public int agronaTwoPart()
    {
        final int index = agrona.tryClaim(MSG_TYPE_ID, EnvelopeFrames.FRAME_LENGTH);
        if (index < 0)
        {
            throw new IllegalStateException("claim on a drained ring failed: " + index);
        }
        agronaBuffer.putBytes(index, unsafePrefix, 0, EnvelopeFrames.PREFIX_LENGTH);
        agronaBuffer.putBytes(index + EnvelopeFrames.PREFIX_LENGTH, unsafePayload, 0, EnvelopeFrames.PAYLOAD_LENGTH);
        agrona.commit(index);
        return readOne(agrona);
    }

    /**
     * Agrona {@link ManyToOneRingBuffer}: the whole frame written from one buffer, then read.
     *
     * @return frames read (1).
     */
    @Benchmark
    public int agronaOnePart()
    {
        if (!agrona.write(MSG_TYPE_ID, unsafeFrame, 0, EnvelopeFrames.FRAME_LENGTH))
        {
            throw new IllegalStateException("write into a drained ring failed");
        }
        return readOne(agrona);
    }

    /**
     * Read the one message offered. When the offer wrapped, the first read consumes only the padding record at the
     * end of the area and stops there (it reads one contiguous block), so read again: otherwise a backlog of one
     * message per wrap would build up until the ring is full.
     */
    private int readOne(final ManyToOneRing target)
    {
        final int read = target.read(sink, 1);
        return 0 != read ? read : target.read(sink, 1);
    }

    private int readOne(final ManyToOneRingBuffer target)
    {
        final int read = target.read(sink, 1);
        return 0 != read ? read : target.read(sink, 1);
    }

    private static void check(final int status)
    {
        if (OfferStatus.OK != status)
        {
            throw new IllegalStateException("offer into a drained ring failed: " + OfferStatus.name(status));
        }
    }

    private UnsafeBuffer copyOf(final SegmentBuffer source)
    {
        final MemorySegment copy = arena.allocate(source.capacity(), CACHE_LINE);
        MemorySegment.copy(source.segment(), 0, copy, 0, source.capacity());
        return new UnsafeBuffer(copy.address(), source.capacity());
    }

    /**
     * Reads each frame's first byte and length, so the frame is touched, as a real handler would.
     */
    static final class FrameSink implements MessageHandler
    {
        long bytes;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            bytes += buffer.getByte(index) + length;
        }
    }
}
