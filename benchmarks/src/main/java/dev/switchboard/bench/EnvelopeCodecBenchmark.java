/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Cost of writing and reading one data-plane frame: SBE message header + {@code Envelope} + a 32-byte payload, over
 * {@link SegmentBuffer}s on native memory, as the CRITICAL tier does it when it writes into an inbox.
 * <p>
 * Each benchmark thread owns its buffers and flyweights ({@link Scope#Thread}); the measured methods allocate
 * nothing, which {@code -prof gc} should confirm as {@code gc.alloc.rate.norm} of about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EnvelopeCodecBenchmark
{
    private static final int PAYLOAD_LENGTH = 32;
    private static final int FRAME_CAPACITY = 256;
    private static final int CACHE_LINE = 64;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();

    private Arena arena;
    private SegmentBuffer encodeFrame;
    private SegmentBuffer decodeFrame;
    private SegmentBuffer payloadIn;
    private SegmentBuffer payloadOut;
    private long sequence;

    /**
     * Allocates the native buffers and encodes the frame that {@link #decode(Blackhole)} reads.
     */
    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        encodeFrame = new SegmentBuffer(arena.allocate(FRAME_CAPACITY, CACHE_LINE));
        decodeFrame = new SegmentBuffer(arena.allocate(FRAME_CAPACITY, CACHE_LINE));
        payloadIn = new SegmentBuffer(arena.allocate(PAYLOAD_LENGTH, CACHE_LINE));
        payloadOut = new SegmentBuffer(arena.allocate(PAYLOAD_LENGTH, CACHE_LINE));

        final MemorySegment payload = payloadIn.segment();
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload.set(ValueLayout.JAVA_BYTE, i, (byte)('a' + i % 26));
        }

        final int length = encodeInto(decodeFrame, 42L);
        if (length != MessageHeaderEncoder.ENCODED_LENGTH + EnvelopeEncoder.BLOCK_LENGTH +
            EnvelopeEncoder.payloadHeaderLength() + PAYLOAD_LENGTH)
        {
            throw new IllegalStateException("unexpected encoded length " + length);
        }
    }

    /**
     * Frees the native buffers.
     */
    @TearDown
    public void tearDown()
    {
        arena.close();
    }

    /**
     * Header, envelope fields and a 32-byte payload copy.
     *
     * @return the encoded frame length, so the work cannot be eliminated.
     */
    @Benchmark
    public int encode()
    {
        return encodeInto(encodeFrame, ++sequence);
    }

    /**
     * Header check, every envelope field and a 32-byte payload copy out.
     *
     * @param bh sinks the decoded fields.
     */
    @Benchmark
    public void decode(final Blackhole bh)
    {
        headerDecoder.wrap(decodeFrame, 0);
        if (headerDecoder.templateId() != EnvelopeDecoder.TEMPLATE_ID ||
            headerDecoder.schemaId() != EnvelopeDecoder.SCHEMA_ID)
        {
            throw new IllegalStateException("not an envelope");
        }

        final EnvelopeDecoder decoder = envelopeDecoder.wrap(
            decodeFrame, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());

        bh.consume(decoder.sourceAgentId());
        bh.consume(decoder.targetId());
        bh.consume(decoder.correlationId());
        bh.consume(decoder.timestampNs());
        bh.consume(decoder.flags());
        bh.consume(decoder.targetKind());
        bh.consume(decoder.pattern());
        bh.consume(decoder.priority());
        bh.consume(decoder.getPayload(payloadOut, 0, decoder.payloadLength()));
    }

    private int encodeInto(final SegmentBuffer frame, final long correlationId)
    {
        envelopeEncoder.wrapAndApplyHeader(frame, 0, headerEncoder)
            .sourceAgentId(7L)
            .targetId(11L)
            .correlationId(correlationId)
            .timestampNs(correlationId)
            .flags(0L)
            .targetKind(TargetKind.AGENT)
            .pattern(Pattern.SEND)
            .priority(Priority.CRITICAL)
            .putPayload(payloadIn, 0, PAYLOAD_LENGTH);

        return MessageHeaderEncoder.ENCODED_LENGTH + envelopeEncoder.encodedLength();
    }
}
