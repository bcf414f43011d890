package dev.switchboard.codecs;

import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data path's promise: once warm, encoding, validating and decoding an Envelope over {@link SegmentBuffer}s
 * allocates nothing on the heap.
 */
class AllocationTest
{
    private static final int ITERATIONS = 100_000;
    private static final int WARM_UP_ROUNDS = 20;

    private final Arena arena = Arena.ofConfined();
    private final SegmentBuffer frame = SegmentBuffer.allocate(arena, 1024);
    private final SegmentBuffer payload = SegmentBuffer.allocate(arena, 256);
    private final SegmentBuffer received = SegmentBuffer.allocate(arena, 256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeEncoder encoder = new EnvelopeEncoder();
    private final EnvelopeDecoder decoder = new EnvelopeDecoder();
    private final FrameRejections rejections = new FrameRejections();
    private final FrameValidator validator = new FrameValidator(1024, rejections);
    private final int payloadLength = payload.putStringWithoutLengthUtf8(0, "allocation-free payload: 32 bytes");
    private final long targetId = NameIds.of("orders");

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @Test
    void envelopeEncodeValidateDecodeAllocatesNothingOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();

        long checksum = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            checksum += run(ITERATIONS);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        checksum += run(ITERATIONS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(0, allocated, "bytes allocated by " + ITERATIONS + " Envelope round trips");
        assertEquals(0, rejections.total());
        assertEquals((WARM_UP_ROUNDS + 1) * (long)ITERATIONS * expectedPerIteration(), checksum);
    }

    private long expectedPerIteration()
    {
        return 42 + payloadLength + EnvelopeDecoder.TEMPLATE_ID;
    }

    private long run(final int iterations)
    {
        long checksum = 0;
        for (int i = 0; i < iterations; i++)
        {
            encoder.wrapAndApplyHeader(frame, 0, headerEncoder)
                .sourceAgentId(42)
                .targetId(targetId)
                .correlationId(i)
                .timestampNs(i)
                .flags(0)
                .targetKind(TargetKind.AGENT)
                .pattern(Pattern.SEND)
                .priority(Priority.CRITICAL)
                .putPayload(payload, 0, payloadLength);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

            final int templateId = validator.validate(frame, 0, length);
            decoder.wrapAndApplyHeader(frame, 0, headerDecoder);
            checksum += decoder.sourceAgentId() + templateId;
            checksum += decoder.getPayload(received, 0, received.capacity());
            checksum += decoder.targetId() == targetId && NameIds.of(received, 0, payloadLength) != 0 ? 0 : 1_000_000;
        }

        return checksum;
    }
}
