/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The frame the data plane moves, built once in setup: an SBE message header, an {@code Envelope} block and the
 * payload's length field (the "prefix", which {@code SwitchboardClient} encodes into its send buffer), then a
 * payload of {@link #PAYLOAD_LENGTH} bytes. Ring benchmarks offer the two parts as one record, as the client does.
 * <p>
 * Static helpers only; they allocate, and are for {@code @Setup} methods.
 */
final class EnvelopeFrames
{
    /**
     * Payload of every benchmark message.
     */
    static final int PAYLOAD_LENGTH = 32;

    /**
     * Header + envelope block + payload length field: the bytes in front of the payload.
     */
    static final int PREFIX_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + EnvelopeEncoder.BLOCK_LENGTH + EnvelopeEncoder.payloadHeaderLength();

    /**
     * Whole frame: prefix + payload.
     */
    static final int FRAME_LENGTH = PREFIX_LENGTH + PAYLOAD_LENGTH;

    private static final int CACHE_LINE = 64;

    private EnvelopeFrames()
    {
    }

    /**
     * A native buffer holding the envelope prefix of a 32-byte CRITICAL send from agent 7 to agent 11.
     *
     * @param arena owns the memory.
     * @return buffer of {@link #PREFIX_LENGTH} bytes.
     */
    static SegmentBuffer prefix(final Arena arena)
    {
        final SegmentBuffer buffer = new SegmentBuffer(arena.allocate(PREFIX_LENGTH, CACHE_LINE));
        encodePrefix(buffer, 0);
        return buffer;
    }

    /**
     * A native buffer holding a {@link #PAYLOAD_LENGTH}-byte payload of printable bytes.
     *
     * @param arena owns the memory.
     * @return the payload buffer.
     */
    static SegmentBuffer payload(final Arena arena)
    {
        final MemorySegment segment = arena.allocate(PAYLOAD_LENGTH, CACHE_LINE);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte)('a' + i % 26));
        }
        return new SegmentBuffer(segment);
    }

    /**
     * A native buffer holding one whole frame (prefix then payload), for single-part offers.
     *
     * @param arena owns the memory.
     * @return buffer of {@link #FRAME_LENGTH} bytes.
     */
    static SegmentBuffer frame(final Arena arena)
    {
        final SegmentBuffer buffer = new SegmentBuffer(arena.allocate(FRAME_LENGTH, CACHE_LINE));
        encodePrefix(buffer, 0);
        buffer.putBytes(PREFIX_LENGTH, payload(arena), 0, PAYLOAD_LENGTH);
        return buffer;
    }

    private static void encodePrefix(final SegmentBuffer buffer, final int offset)
    {
        new EnvelopeEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .sourceAgentId(7L)
            .targetId(11L)
            .correlationId(0L)
            .timestampNs(0L)
            .flags(0L)
            .targetKind(TargetKind.AGENT)
            .pattern(Pattern.SEND)
            .priority(Priority.CRITICAL);
        buffer.putInt(
            offset + PREFIX_LENGTH - EnvelopeEncoder.payloadHeaderLength(), PAYLOAD_LENGTH, ByteOrder.LITTLE_ENDIAN);
    }
}
