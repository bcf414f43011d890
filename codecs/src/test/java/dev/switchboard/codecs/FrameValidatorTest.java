package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.SampleMessage;
import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.TaskAssignDecoder;
import dev.switchboard.codecs.sbe.TaskProgressDecoder;
import dev.switchboard.codecs.sbe.TaskResultDecoder;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.WakeDecoder;
import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.util.Random;

import static dev.switchboard.codecs.FrameValidator.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FrameValidatorTest
{
    private static final int MAX_FRAME_LENGTH = 65536;
    /** Where the Envelope's uint32 payload length sits in a frame. */
    private static final int PAYLOAD_LENGTH_OFFSET = HEADER_LENGTH + EnvelopeDecoder.BLOCK_LENGTH;

    private final Arena arena = Arena.ofConfined();
    private final SegmentBuffer buffer = SegmentBuffer.allocate(arena, 2 * MAX_FRAME_LENGTH);
    private final FrameRejections rejections = new FrameRejections();
    private final FrameValidator validator = new FrameValidator(MAX_FRAME_LENGTH, rejections);

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SampleMessage.class)
    void acceptsEveryMessageOfTheSchema(final SampleMessage message)
    {
        final int length = message.encode(buffer, 0);

        assertEquals(message.templateId(), validator.validate(buffer, 0, length), validator::lastErrorText);
        assertNull(validator.lastError());
        assertEquals("no frame rejected", validator.lastErrorText());
        assertEquals(0, rejections.total());
    }

    @Test
    void acceptsAFrameOfAnEarlierSchemaVersion()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putShort(FrameValidator.VERSION_OFFSET, (short)0);

        assertEquals(EnvelopeDecoder.TEMPLATE_ID, validator.validate(buffer, 0, length));
    }

    @Test
    void rejectsUnknownSchemaId()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putShort(FrameValidator.SCHEMA_ID_OFFSET, (short)77);

        assertRejected(FrameError.UNKNOWN_SCHEMA, length, "frame rejected: schema id 77 is not Switchboard's 21314");
    }

    @Test
    void rejectsNewerSchemaVersion()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putShort(FrameValidator.VERSION_OFFSET, (short)9);

        assertRejected(
            FrameError.UNSUPPORTED_VERSION, length, "frame rejected: version 9 is newer than this decoder's " + dev.switchboard.codecs.sbe.MessageHeaderDecoder.SCHEMA_VERSION);
    }

    @Test
    void rejectsFrameShorterThanTheHeader()
    {
        SampleMessage.ENVELOPE.encode(buffer, 0);

        assertRejected(
            FrameError.TRUNCATED, 5, "frame rejected: truncated: 5 bytes is shorter than the 8-byte message header");
    }

    @Test
    void rejectsTruncatedFrame()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);

        assertRejected(FrameError.TRUNCATED, length - 3,
            "frame rejected (Envelope): truncated: header says payload is 18 bytes but only 15 remain");
    }

    @Test
    void rejectsPayloadLengthThatClaimsMoreThanTheFrameHolds()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putInt(PAYLOAD_LENGTH_OFFSET, 4096);

        assertRejected(FrameError.TRUNCATED, length,
            "frame rejected (Envelope): truncated: header says payload is 4096 bytes but only 18 remain");
    }

    @Test
    void rejectsPayloadLengthOverTheMaximumFrameLength()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putInt(PAYLOAD_LENGTH_OFFSET, 70_000);

        assertRejected(FrameError.TOO_LARGE, length, "frame rejected (Envelope): too large: header says payload is " +
            "70000 bytes, which exceeds the maximum frame length 65536");
    }

    @Test
    void rejectsPayloadLengthThatDoesNotFitAnInt()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putInt(PAYLOAD_LENGTH_OFFSET, -1);

        assertRejected(FrameError.TOO_LARGE, length, "frame rejected (Envelope): too large: header says payload is " +
            "4294967295 bytes, which exceeds the maximum frame length 65536");
    }

    @Test
    void rejectsFrameOverTheMaximumFrameLength()
    {
        final int payloadLength = 70_000 - HEADER_LENGTH - EnvelopeDecoder.BLOCK_LENGTH - 4;
        final EnvelopeEncoder encoder = new EnvelopeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(Priority.BATCH)
            .putPayload(new byte[payloadLength], 0, payloadLength);
        final int length = HEADER_LENGTH + encoder.encodedLength();
        assertEquals(70_000, length);

        assertRejected(FrameError.TOO_LARGE, length,
            "frame rejected (Envelope): too large: 70000 bytes exceeds the maximum frame length 65536");
    }

    @Test
    void rejectsUnknownTemplateId()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putShort(FrameValidator.TEMPLATE_ID_OFFSET, (short)99);

        assertRejected(
            FrameError.UNKNOWN_TEMPLATE, length, "frame rejected: template id 99 is not a message of schema 21314");
    }

    @ParameterizedTest(name = "{0} = {2}")
    @CsvSource({ "targetKind, TargetKind, 9", "pattern, Pattern, 200", "priority, Priority, 255" })
    void rejectsUnknownEnumValueInEnvelope(final String field, final String type, final int value)
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        final int offset = switch (field)
        {
            case "targetKind" -> EnvelopeDecoder.targetKindEncodingOffset();
            case "pattern" -> EnvelopeDecoder.patternEncodingOffset();
            default -> EnvelopeDecoder.priorityEncodingOffset();
        };
        buffer.putByte(HEADER_LENGTH + offset, (byte)value);

        assertRejected(FrameError.MALFORMED, length,
            "frame rejected (Envelope): malformed: " + field + " value " + value + " is not a valid " + type);
    }

    @Test
    void rejectsUnknownEnumValueInControlMessage()
    {
        final int length = SampleMessage.ERROR.encode(buffer, 0);
        buffer.putShort(HEADER_LENGTH + ErrorDecoder.codeEncodingOffset(), (short)7);

        assertRejected(
            FrameError.MALFORMED, length, "frame rejected (Error): malformed: code value 7 is not a valid ErrorCode");
    }

    @Test
    void rejectsBlockShorterThanTheSchemaBlock()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        buffer.putShort(FrameValidator.BLOCK_LENGTH_OFFSET, (short)10);

        assertRejected(FrameError.MALFORMED, length,
            "frame rejected (Envelope): malformed: block length 10 is shorter than the schema's 39");
    }

    @Test
    void rejectsBlockLongerThanTheFrame()
    {
        final int length = SampleMessage.HEARTBEAT.encode(buffer, 0);
        buffer.putShort(FrameValidator.BLOCK_LENGTH_OFFSET, (short)200);

        assertRejected(FrameError.TRUNCATED, length,
            "frame rejected (Heartbeat): truncated: header says the block is 200 bytes but only 16 remain");
    }

    @Test
    void rejectsBytesAfterTheMessage()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);

        assertRejected(FrameError.MALFORMED, length + 1,
            "frame rejected (Envelope): malformed: the message ends after 69 bytes but the frame is 70 bytes");
    }

    @Test
    void rejectsNestedGroupCountThatOverrunsTheFrame()
    {
        final int length = SampleMessage.LOOKUP_RESULT.encode(buffer, 0);
        final int nestedCountOffset = HEADER_LENGTH + LookupResultDecoder.BLOCK_LENGTH + 4 +
            LookupResultDecoder.AgentsDecoder.sbeBlockLength() + 2;
        buffer.putShort(nestedCountOffset, (short)500);

        final int result = validator.validate(buffer, 0, length);

        assertEquals(FrameError.TRUNCATED.code(), result);
        assertTrue(validator.lastErrorText().startsWith("frame rejected (LookupResult): truncated: "),
            validator::lastErrorText);
        assertTrue(validator.lastErrorText().contains("agents.capabilities"), validator::lastErrorText);
        assertEquals(1, rejections.count(FrameError.TRUNCATED));
    }

    @Test
    void rejectsGroupBlockShorterThanTheSchemaEntry()
    {
        final int length = SampleMessage.TASK_RESULT.encode(buffer, 0);
        buffer.putShort(HEADER_LENGTH + TaskResultDecoder.BLOCK_LENGTH, (short)4);

        assertRejected(FrameError.MALFORMED, length,
            "frame rejected (TaskResult): malformed: group metrics block length 4 is shorter than the schema's 8");
    }

    @Test
    void rejectsGroupEntryThatOverrunsTheFrame()
    {
        final int length = SampleMessage.TASK_RESULT.encode(buffer, 0);
        buffer.putShort(HEADER_LENGTH + TaskResultDecoder.BLOCK_LENGTH, (short)1000);

        assertRejected(FrameError.TRUNCATED, length, "frame rejected (TaskResult): truncated: entry 0 of 2 in group " +
            "metrics needs 1000 bytes but only " + (length - HEADER_LENGTH - TaskResultDecoder.BLOCK_LENGTH - 4) +
            " remain");
    }

    @Test
    void acceptedFrameClearsTheLastError()
    {
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);
        validator.validate(buffer, 0, 3);

        assertEquals(EnvelopeDecoder.TEMPLATE_ID, validator.validate(buffer, 0, length));
        assertNull(validator.lastError());
        assertEquals(1, rejections.total());
    }

    @Test
    void validatorsSharingCountersCountEachRejectionOnce()
    {
        final FrameValidator other = new FrameValidator(MAX_FRAME_LENGTH, rejections);
        final int length = SampleMessage.ENVELOPE.encode(buffer, 0);

        validator.validate(buffer, 0, 4);
        other.validate(buffer, 0, 4);
        other.validate(buffer, 0, length + 2);

        assertEquals(2, rejections.count(FrameError.TRUNCATED));
        assertEquals(1, rejections.count(FrameError.MALFORMED));
        assertEquals(0, rejections.count(FrameError.UNKNOWN_SCHEMA));
        assertEquals(3, rejections.total());
    }

    @Test
    void rangeOutsideTheBufferIsTheCallersBug()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> validator.validate(buffer, buffer.capacity() - 4, 8));
        assertEquals(0, rejections.total());
    }

    @Test
    void everyTruncationOfEveryMessageIsRejectedWithoutReadingOutsideTheFrame()
    {
        for (final SampleMessage message : SampleMessage.values())
        {
            final int length = message.encode(buffer, 0);
            for (int truncated = 0; truncated < length; truncated++)
            {
                final SegmentBuffer frame = SegmentBuffer.allocate(arena, truncated);
                frame.putBytes(0, buffer, 0, truncated);

                final int result = validator.validate(frame, 0, truncated);

                assertEquals(FrameError.TRUNCATED.code(), result, message + " cut to " + truncated + " bytes");
            }
        }
    }

    @Test
    void corruptedFramesAreRejectedOrDecodeWithinTheFrame()
    {
        final Random random = new Random(20_261_125L);
        int accepted = 0;
        int rejected = 0;
        for (final SampleMessage message : SampleMessage.values())
        {
            final int length = message.encode(buffer, 0);
            final SegmentBuffer frame = SegmentBuffer.allocate(arena, length);
            for (int i = 0; i < 2_000; i++)
            {
                frame.putBytes(0, buffer, 0, length);
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
                {
                    frame.putByte(random.nextInt(length), (byte)random.nextInt(256));
                }

                final int result = validator.validate(frame, 0, length);
                if (result > 0)
                {
                    accepted++;
                    assertDecodesWithinFrame(frame, result, length);
                }
                else
                {
                    rejected++;
                    assertEquals(result, validator.lastError().code());
                }
            }
        }

        assertTrue(accepted > 0 && rejected > 0, "accepted " + accepted + ", rejected " + rejected);
        assertEquals(rejected, rejections.total());
    }

    @Test
    void frameErrorsMapToWireErrorCodesAndBack()
    {
        for (final FrameError error : FrameError.values())
        {
            assertEquals(ErrorCode.valueOf(error.name()), error.errorCode());
            assertTrue(error.code() < 0);
            assertEquals(error, FrameError.ofCode(error.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> FrameError.ofCode(0));
        assertThrows(IllegalArgumentException.class, () -> FrameError.ofCode(EnvelopeDecoder.TEMPLATE_ID));
    }

    @Test
    void maximumFrameLengthMustLieWithinTheWireLimit()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameValidator(HEADER_LENGTH - 1, rejections));
        final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
            () -> new FrameValidator(WireLimits.MAX_FRAME_LENGTH + 1, rejections));
        assertTrue(tooLarge.getMessage().contains(Integer.toString(WireLimits.MAX_FRAME_LENGTH + 1)));
    }

    private void assertRejected(final FrameError error, final int length, final String text)
    {
        final int result = validator.validate(buffer, 0, length);

        assertEquals(error.code(), result, validator::lastErrorText);
        assertEquals(error, validator.lastError());
        assertEquals(text, validator.lastErrorText());
        assertEquals(1, rejections.count(error));
        assertEquals(1, rejections.total());
    }

    private static void assertDecodesWithinFrame(final SegmentBuffer frame, final int templateId, final int length)
    {
        final MessageDecoderFlyweight decoder = decoderFor(templateId);
        final int blockLength = frame.getShort(FrameValidator.BLOCK_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int version = frame.getShort(FrameValidator.VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        try
        {
            decoder.wrap(frame, HEADER_LENGTH, blockLength, version);
            decoder.appendTo(new StringBuilder());
            assertEquals(length, HEADER_LENGTH + decoder.sbeDecodedLength());
        }
        catch (final RuntimeException ex)
        {
            fail("accepted frame of template " + templateId + " failed to decode", ex);
        }
    }

    private static MessageDecoderFlyweight decoderFor(final int templateId)
    {
        return switch (templateId)
        {
            case EnvelopeDecoder.TEMPLATE_ID -> new EnvelopeDecoder();
            case RegisterDecoder.TEMPLATE_ID -> new RegisterDecoder();
            case RegisteredDecoder.TEMPLATE_ID -> new RegisteredDecoder();
            case HeartbeatDecoder.TEMPLATE_ID -> new HeartbeatDecoder();
            case DeregisterDecoder.TEMPLATE_ID -> new DeregisterDecoder();
            case SubscribeDecoder.TEMPLATE_ID -> new SubscribeDecoder();
            case UnsubscribeDecoder.TEMPLATE_ID -> new UnsubscribeDecoder();
            case JoinGroupDecoder.TEMPLATE_ID -> new JoinGroupDecoder();
            case LeaveGroupDecoder.TEMPLATE_ID -> new LeaveGroupDecoder();
            case LookupDecoder.TEMPLATE_ID -> new LookupDecoder();
            case LookupResultDecoder.TEMPLATE_ID -> new LookupResultDecoder();
            case ErrorDecoder.TEMPLATE_ID -> new ErrorDecoder();
            case AckDecoder.TEMPLATE_ID -> new AckDecoder();
            case AgentEventDecoder.TEMPLATE_ID -> new AgentEventDecoder();
            case ChallengeDecoder.TEMPLATE_ID -> new ChallengeDecoder();
            case WakeDecoder.TEMPLATE_ID -> new WakeDecoder();
            case DirectFrameDecoder.TEMPLATE_ID -> new DirectFrameDecoder();
            case LinkListenDecoder.TEMPLATE_ID -> new LinkListenDecoder();
            case LinkRequestDecoder.TEMPLATE_ID -> new LinkRequestDecoder();
            case LinkGrantDecoder.TEMPLATE_ID -> new LinkGrantDecoder();
            case LinkExpectDecoder.TEMPLATE_ID -> new LinkExpectDecoder();
            case TaskAssignDecoder.TEMPLATE_ID -> new TaskAssignDecoder();
            case TaskProgressDecoder.TEMPLATE_ID -> new TaskProgressDecoder();
            case TaskResultDecoder.TEMPLATE_ID -> new TaskResultDecoder();
            case dev.switchboard.codecs.sbe.PeerHeartbeatDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.PeerHeartbeatDecoder();
            case dev.switchboard.codecs.sbe.PeerAgentDecoder.TEMPLATE_ID -> new dev.switchboard.codecs.sbe.PeerAgentDecoder();
            case dev.switchboard.codecs.sbe.BridgedFrameDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.BridgedFrameDecoder();
            case dev.switchboard.codecs.sbe.PeerMembershipDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.PeerMembershipDecoder();
            case dev.switchboard.codecs.sbe.LowShipDecoder.TEMPLATE_ID -> new dev.switchboard.codecs.sbe.LowShipDecoder();
            case dev.switchboard.codecs.sbe.LowConfirmDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.LowConfirmDecoder();
            case dev.switchboard.codecs.sbe.PeerConsumerDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.PeerConsumerDecoder();
            case dev.switchboard.codecs.sbe.PeerWorkAckDecoder.TEMPLATE_ID ->
                new dev.switchboard.codecs.sbe.PeerWorkAckDecoder();
            default -> throw new IllegalArgumentException("no decoder for template " + templateId);
        };
    }
}
