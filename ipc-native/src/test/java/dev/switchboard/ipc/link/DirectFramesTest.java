package dev.switchboard.ipc.link;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.switchboard.codecs.SegmentBuffer;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DirectFrames} names the offsets of the schema's {@code directFrameHeader} by hand (SBE generates no flyweight
 * for a composite no message uses): they must follow the schema, field by field, and a header must read back as
 * written.
 */
class DirectFramesTest
{
    private static final Map<String, Integer> SIZES = Map.of(
        "int64", 8, "uint32", 4, "uint8", 1, "Pattern", 1, "Priority", 1);

    @Test
    void theOffsetsFollowTheSchemasDirectFrameHeader() throws Exception
    {
        final Document schema;
        try (InputStream in = DirectFramesTest.class.getClassLoader().getResourceAsStream("sbe/switchboard-schema.xml"))
        {
            assertNotNull(in, "the codecs jar carries the schema");
            schema = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        final NodeList composites = schema.getElementsByTagName("composite");
        Element header = null;
        for (int i = 0; i < composites.getLength(); i++)
        {
            final Element c = (Element)composites.item(i);
            if ("directFrameHeader".equals(c.getAttribute("name")))
            {
                header = c;
            }
        }
        assertNotNull(header, "schema has no directFrameHeader");
        final List<String> fields = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        final NodeList children = header.getChildNodes();
        for (int i = 0; i < children.getLength(); i++)
        {
            if (children.item(i) instanceof Element e)
            {
                fields.add(e.getAttribute("name"));
                offsets.add(offset);
                final String type = e.hasAttribute("primitiveType") ? e.getAttribute("primitiveType") : e.getAttribute("type");
                offset += SIZES.get(type);
            }
        }
        assertEquals(List.of("sourceAgentId", "correlationId", "pattern", "priority", "flags", "layoutVersion",
            "reserved"), fields);
        assertEquals(List.of(DirectFrames.SOURCE_AGENT_ID_OFFSET, DirectFrames.CORRELATION_ID_OFFSET,
            DirectFrames.PATTERN_OFFSET, DirectFrames.PRIORITY_OFFSET, DirectFrames.FLAGS_OFFSET,
            DirectFrames.LAYOUT_VERSION_OFFSET, DirectFrames.RESERVED_OFFSET), offsets);
        assertEquals(DirectFrames.HEADER_LENGTH, offset);
    }

    @Test
    void aHeaderReadsBackAndOnlyLayoutOneOfAtLeast24BytesIsValid()
    {
        final SegmentBuffer b = SegmentBuffer.allocate(Arena.ofAuto(), 64);
        DirectFrames.writeHeader(b, 8, 0x0102030405060708L, -3, (short)2, (short)1, 0x85);
        assertEquals(0x0102030405060708L, DirectFrames.sourceAgentId(b, 8));
        assertEquals(-3, b.getLong(8 + DirectFrames.CORRELATION_ID_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN));
        assertEquals(2, b.getByte(8 + DirectFrames.PATTERN_OFFSET));
        assertEquals(1, b.getByte(8 + DirectFrames.PRIORITY_OFFSET));
        assertEquals((byte)0x85, b.getByte(8 + DirectFrames.FLAGS_OFFSET));
        assertTrue(DirectFrames.isValid(b, 8, DirectFrames.HEADER_LENGTH));
        assertFalse(DirectFrames.isValid(b, 8, DirectFrames.HEADER_LENGTH - 1));
        b.putByte(8 + DirectFrames.LAYOUT_VERSION_OFFSET, (byte)2);
        assertFalse(DirectFrames.isValid(b, 8, DirectFrames.HEADER_LENGTH));
    }
}
