package dev.switchboard.transport;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DirectFrames} writes the schema's {@code DirectFrame} block in place with four stores: the generated decoder
 * reads back what it wrote, and only a frame of at least 24 bytes, layout 1, a point-to-point pattern and a known
 * priority is valid.
 */
class DirectFramesTest
{
    @Test
    void aHeaderWrittenInPlaceReadsBackThroughTheGeneratedDecoder()
    {
        final SegmentBuffer b = SegmentBuffer.allocate(Arena.ofAuto(), 64);
        DirectFrames.writeHeader(b, 8, 0x0102030405060708L, -3, Pattern.RESPONSE.value(), Priority.HIGH.value(), 0x85);
        final DirectFrameDecoder d = new DirectFrameDecoder()
            .wrap(b, 8, DirectFrameDecoder.BLOCK_LENGTH, DirectFrameDecoder.SCHEMA_VERSION);
        assertEquals(0x0102030405060708L, d.sourceAgentId());
        assertEquals(-3, d.correlationId());
        assertEquals(Pattern.RESPONSE, d.pattern());
        assertEquals(Priority.HIGH, d.priority());
        assertEquals(0x85, d.flags());
        assertEquals(DirectFrames.LAYOUT_VERSION, d.layoutVersion());
        assertEquals(0, d.reserved());
        assertEquals(DirectFrameDecoder.BLOCK_LENGTH, DirectFrames.HEADER_LENGTH);
    }

    @Test
    void onlyLayoutOneWithAPointToPointPatternAndAKnownPriorityIsValid()
    {
        final SegmentBuffer b = SegmentBuffer.allocate(Arena.ofAuto(), 64);
        DirectFrames.writeHeader(b, 0, 7, 0, Pattern.SEND.value(), Priority.BATCH.value(), 0);
        assertTrue(DirectFrames.isValid(b, 0, DirectFrames.HEADER_LENGTH));
        assertFalse(DirectFrames.isValid(b, 0, DirectFrames.HEADER_LENGTH - 1), "shorter than the header");
        b.putByte(DirectFrames.PATTERN_OFFSET, (byte)Pattern.PUBLISH.value());
        assertFalse(DirectFrames.isValid(b, 0, DirectFrames.HEADER_LENGTH), "routed patterns are never direct");
        b.putByte(DirectFrames.PATTERN_OFFSET, (byte)Pattern.REQUEST.value());
        b.putByte(DirectFrames.PRIORITY_OFFSET, (byte)9);
        assertFalse(DirectFrames.isValid(b, 0, DirectFrames.HEADER_LENGTH), "unknown priority");
        b.putByte(DirectFrames.PRIORITY_OFFSET, (byte)Priority.CRITICAL.value());
        b.putByte(DirectFrames.LAYOUT_VERSION_OFFSET, (byte)2);
        assertFalse(DirectFrames.isValid(b, 0, DirectFrames.HEADER_LENGTH), "another layout");
        assertEquals(0, b.getInt(DirectFrames.RESERVED_OFFSET, ByteOrder.LITTLE_ENDIAN));
    }
}
