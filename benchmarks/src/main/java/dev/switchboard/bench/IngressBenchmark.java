/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.router.Ingress;
import dev.switchboard.transport.OfferStatus;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
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
import java.util.concurrent.TimeUnit;

/**
 * The router's MPSC {@link Ingress}: a producer offers one envelope frame (prefix + 32-byte payload, as two parts,
 * as {@code SwitchboardClient} does) and the consumer reads it through the ingress ring's {@code controlledRead},
 * the call the router's duty cycle makes ({@code Ingress.read} itself is package-private).
 * <ul>
 *   <li>{@link #offerThenRead}: one thread, offer then read: the uncontended cost of a frame through the ingress.</li>
 *   <li>{@code spsc} group ({@link #spscOffer}, {@link #spscRead}): one producer thread and one consumer thread
 *   at once, for throughput; back-pressured offers and frames read are reported as auxiliary counters.</li>
 * </ul>
 * Allocation: none in the measured methods; {@code -prof gc} should show about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IngressBenchmark
{
    private static final int SESSION_ID = 1;

    /**
     * One ingress with its frame parts and read handler; per thread in {@link #offerThenRead}, shared by the
     * producer and consumer threads of the {@code spsc} group.
     */
    @State(Scope.Group)
    public static class IngressState
    {
        /**
         * Ingress data capacity; the default is {@code RouterContext}'s default ingress capacity.
         */
        @Param({ "4194304" })
        int capacity;

        Arena arena;
        Ingress ingress;
        RingBuffer ring;
        SegmentBuffer prefix;
        SegmentBuffer payload;
        final FrameSink sink = new FrameSink();

        /**
         * Build the ingress and the frame.
         */
        @Setup
        public void setUp()
        {
            arena = Arena.ofShared();
            ingress = new Ingress(capacity, new SwitchboardCounters().block());
            ring = ingress.ring();
            prefix = EnvelopeFrames.prefix(arena);
            payload = EnvelopeFrames.payload(arena);
        }

        /**
         * Free the frame buffers.
         */
        @TearDown
        public void tearDown()
        {
            arena.close();
        }
    }

    /**
     * Per-thread copy of {@link IngressState} for the single-thread case (JMH states are scoped per class).
     */
    @State(Scope.Thread)
    public static class ThreadIngressState extends IngressState
    {
    }

    /**
     * Counts per producer or consumer thread of the {@code spsc} group, reported by JMH next to the throughput.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class GroupCounters
    {
        /**
         * Offers that returned {@code BACK_PRESSURED} (the ring was full); the producer retries on its next call.
         */
        public long backPressured;

        /**
         * Offers that returned {@code OK}.
         */
        public long offered;

        /**
         * Frames the consumer read.
         */
        public long read;

        /**
         * Zero the counts before each iteration (JMH reports them per iteration).
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            backPressured = 0;
            offered = 0;
            read = 0;
        }
    }

    /**
     * Offer one frame, then read it.
     *
     * @param s the thread's ingress.
     * @return frames read (1), so the work cannot be eliminated.
     */
    @Benchmark
    public int offerThenRead(final ThreadIngressState s)
    {
        final int status = s.ingress.offer(
            SESSION_ID, s.prefix, 0, EnvelopeFrames.PREFIX_LENGTH, s.payload, 0, EnvelopeFrames.PAYLOAD_LENGTH);
        if (OfferStatus.OK != status)
        {
            throw new IllegalStateException("offer into a drained ingress failed: " + OfferStatus.name(status));
        }
        final int read = s.ring.controlledRead(s.sink, 1);
        // After a wrap the first read consumes only the padding at the end of the area (one contiguous block per
        // read): read again, or a backlog of one frame per wrap would build up until the ingress is full.
        return 0 != read ? read : s.ring.controlledRead(s.sink, 1);
    }

    /**
     * Producer of the {@code spsc} group: one offer per call; a back-pressured offer is counted, not retried here.
     *
     * @param s the shared ingress.
     * @param c this thread's counts.
     * @return the offer status.
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    public int spscOffer(final IngressState s, final GroupCounters c)
    {
        final int status = s.ingress.offer(
            SESSION_ID, s.prefix, 0, EnvelopeFrames.PREFIX_LENGTH, s.payload, 0, EnvelopeFrames.PAYLOAD_LENGTH);
        if (OfferStatus.OK == status)
        {
            c.offered++;
        }
        else if (OfferStatus.BACK_PRESSURED == status)
        {
            c.backPressured++;
        }
        else
        {
            throw new IllegalStateException("offer failed: " + OfferStatus.name(status));
        }
        return status;
    }

    /**
     * Consumer of the {@code spsc} group: one read of up to 256 frames (the router's default fragment limit).
     *
     * @param s the shared ingress.
     * @param c this thread's counts.
     * @return frames read.
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    public int spscRead(final IngressState s, final GroupCounters c)
    {
        final int frames = s.ring.controlledRead(s.sink, 256);
        c.read += frames;
        return frames;
    }

    /**
     * Reads each frame's length (so the frame is touched) and lets the ring move on.
     */
    static final class FrameSink implements ControlledMessageHandler
    {
        long bytes;

        @Override
        public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            bytes += buffer.getByte(index) + length;
            return Action.CONTINUE;
        }
    }
}
