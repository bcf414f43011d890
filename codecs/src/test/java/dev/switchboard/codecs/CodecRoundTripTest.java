package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.SampleMessage;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CodecRoundTripTest
{
    /** Odd on purpose: every field is then read and written unaligned. */
    private static final int FRAME_OFFSET = 13;

    private final Arena arena = Arena.ofConfined();
    private final SegmentBuffer buffer = SegmentBuffer.allocate(arena, 4096);
    private final FrameValidator validator = new FrameValidator(4096, new FrameRejections());

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @ParameterizedTest(name = "{0} round-trips over a SegmentBuffer")
    @EnumSource(SampleMessage.class)
    void everyMessageRoundTripsOverSegmentBuffer(final SampleMessage message)
    {
        final int length = message.encode(buffer, FRAME_OFFSET);

        assertEquals(message.templateId(), validator.validate(buffer, FRAME_OFFSET, length), validator::lastErrorText);
        assertNull(validator.lastError());
        message.verify(buffer, FRAME_OFFSET, length);
    }

    @Test
    void envelopeRoundTripsWithPayloadCopiedFromAnotherSegmentBuffer()
    {
        final SegmentBuffer payload = SegmentBuffer.allocate(arena, 64);
        final int payloadLength = payload.putStringWithoutLengthUtf8(0, SampleMessage.ENVELOPE_PAYLOAD);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final EnvelopeEncoder encoder = new EnvelopeEncoder()
            .wrapAndApplyHeader(buffer, FRAME_OFFSET, header)
            .sourceAgentId(SampleMessage.ENVELOPE_SOURCE_AGENT_ID)
            .targetId(SampleMessage.ENVELOPE_TARGET_ID)
            .correlationId(SampleMessage.ENVELOPE_CORRELATION_ID)
            .timestampNs(SampleMessage.ENVELOPE_TIMESTAMP_NS)
            .flags(SampleMessage.ENVELOPE_FLAGS)
            .targetKind(TargetKind.TOPIC)
            .pattern(Pattern.PUBLISH)
            .priority(Priority.CRITICAL)
            .putPayload(payload, 0, payloadLength);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        SampleMessage.ENVELOPE.verify(buffer, FRAME_OFFSET, length);
    }
}
