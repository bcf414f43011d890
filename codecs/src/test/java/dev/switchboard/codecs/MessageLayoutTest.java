package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.SampleMessage;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Holds {@link MessageLayout}'s hand-written part of the table (order, names and kinds of groups and var data, which
 * fields are enums, the minimum block per version) to the schema XML, so that a schema change the validator does not
 * follow fails here.
 */
class MessageLayoutTest
{
    private static final String SBE_NAMESPACE = "http://fixprotocol.io/2016/sbe";
    private static final Map<String, Integer> PRIMITIVE_SIZES = Map.ofEntries(
        Map.entry("char", 1), Map.entry("int8", 1), Map.entry("uint8", 1),
        Map.entry("int16", 2), Map.entry("uint16", 2),
        Map.entry("int32", 4), Map.entry("uint32", 4), Map.entry("float", 4),
        Map.entry("int64", 8), Map.entry("uint64", 8), Map.entry("double", 8));

    private static Element schema;
    private static final Map<String, Element> TYPES = new HashMap<>();

    @BeforeAll
    static void parseSchema() throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = MessageLayoutTest.class.getResourceAsStream("/sbe/switchboard-schema.xml"))
        {
            assertNotNull(in, "schema resource sbe/switchboard-schema.xml");
            final Document document = factory.newDocumentBuilder().parse(in);
            schema = document.getDocumentElement();
        }

        final Element types = children(schema, "types").getFirst();
        for (final Element type : children(types, null))
        {
            TYPES.put(type.getAttribute("name"), type);
        }
    }

    @Test
    void everyMessageOfTheSchemaHasALayoutAndASample()
    {
        final Set<Integer> schemaIds = messages().stream()
            .map(message -> Integer.parseInt(message.getAttribute("id")))
            .collect(Collectors.toCollection(TreeSet::new));
        final Set<Integer> layoutIds = Arrays.stream(MessageLayout.all())
            .map(layout -> layout.templateId)
            .collect(Collectors.toCollection(TreeSet::new));
        final Set<Integer> sampleIds = Arrays.stream(SampleMessage.values())
            .map(SampleMessage::templateId)
            .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(schemaIds, layoutIds);
        assertEquals(schemaIds, sampleIds);
    }

    @Test
    void layoutsFollowTheSchema()
    {
        final int schemaVersion = Integer.parseInt(schema.getAttribute("version"));
        for (final Element message : messages())
        {
            final MessageLayout layout = MessageLayout.forTemplate(Integer.parseInt(message.getAttribute("id")));
            assertNotNull(layout, message.getAttribute("name"));
            assertEquals(message.getAttribute("name"), layout.name);
            assertFollows(message, layout, "", schemaVersion);
        }
    }

    @Test
    void headerOffsetsAreTheGeneratedHeaderOffsets()
    {
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH, FrameValidator.HEADER_LENGTH);
        assertEquals(MessageHeaderDecoder.blockLengthEncodingOffset(), FrameValidator.BLOCK_LENGTH_OFFSET);
        assertEquals(MessageHeaderDecoder.templateIdEncodingOffset(), FrameValidator.TEMPLATE_ID_OFFSET);
        assertEquals(MessageHeaderDecoder.schemaIdEncodingOffset(), FrameValidator.SCHEMA_ID_OFFSET);
        assertEquals(MessageHeaderDecoder.versionEncodingOffset(), FrameValidator.VERSION_OFFSET);
    }

    private static void assertFollows(
        final Element element, final MessageLayout layout, final String path, final int schemaVersion)
    {
        final String where = layout.name + " " + path;
        final List<String> enumFields = new ArrayList<>();
        final List<String> parts = new ArrayList<>();
        final List<Element> groups = new ArrayList<>();
        final int[] blockEndByVersion = new int[schemaVersion + 1];
        int offset = 0;

        for (final Element child : children(element, null))
        {
            final String name = child.getAttribute("name");
            final int sinceVersion = sinceVersion(child);
            switch (child.getLocalName())
            {
                case "field" ->
                {
                    final Element type = TYPES.get(child.getAttribute("type"));
                    final int size = null == type ? PRIMITIVE_SIZES.get(child.getAttribute("type")) : sizeOf(type);
                    if (child.hasAttribute("offset"))
                    {
                        offset = Integer.parseInt(child.getAttribute("offset"));
                    }
                    offset += size;
                    for (int version = sinceVersion; version <= schemaVersion; version++)
                    {
                        blockEndByVersion[version] = Math.max(blockEndByVersion[version], offset);
                    }
                    if (null != type && "enum".equals(type.getLocalName()))
                    {
                        enumFields.add(name + ":" + type.getAttribute("name") + "@" + (offset - size) + "/" + size +
                            " since " + sinceVersion);
                    }
                }
                case "group" ->
                {
                    parts.add(path + name + ":GROUP since " + sinceVersion);
                    groups.add(child);
                }
                case "data" ->
                {
                    final Element lengthType = children(TYPES.get(child.getAttribute("type")), "type").stream()
                        .filter(type -> "length".equals(type.getAttribute("name")))
                        .findFirst()
                        .orElseThrow();
                    final String kind = 2 == PRIMITIVE_SIZES.get(lengthType.getAttribute("primitiveType")) ?
                        "VAR_STRING" : "VAR_DATA";
                    parts.add(path + name + ":" + kind + " since " + sinceVersion);
                }
                default -> throw new IllegalStateException("unexpected element " + child.getLocalName());
            }
        }

        assertEquals(enumFields, Arrays.stream(layout.enumFields)
            .map(field -> field.name() + ":" + field.typeName() + "@" + field.offset() + "/" + field.length() +
                " since " + field.sinceVersion())
            .toList(), where + "enum fields");
        assertEquals(parts, Arrays.stream(layout.parts)
            .map(part -> part.name() + ":" + part.kind() + " since " + part.sinceVersion())
            .toList(), where + "groups and var data");
        for (int version = 0; version <= schemaVersion; version++)
        {
            final int expected = version == schemaVersion ? layout.blockLength : blockEndByVersion[version];
            assertEquals(expected, layout.minBlockLength(version), where + "minimum block at version " + version);
        }
        assertEquals(blockEndByVersion[schemaVersion], layout.blockLength, where + "block length");

        int groupIndex = 0;
        for (final MessageLayout.Part part : layout.parts)
        {
            if (MessageLayout.Kind.GROUP == part.kind())
            {
                final Element group = groups.get(groupIndex++);
                assertFollows(group, part.entry(), path + group.getAttribute("name") + ".", schemaVersion);
            }
        }
    }

    private static int sizeOf(final Element type)
    {
        return switch (type.getLocalName())
        {
            case "enum", "set" -> PRIMITIVE_SIZES.get(type.getAttribute("encodingType"));
            case "type" -> PRIMITIVE_SIZES.get(type.getAttribute("primitiveType")) *
                (type.hasAttribute("length") ? Integer.parseInt(type.getAttribute("length")) : 1);
            default -> throw new IllegalStateException(
                "this test does not size a " + type.getLocalName() + " field yet: " + type.getAttribute("name"));
        };
    }

    private static int sinceVersion(final Element element)
    {
        return element.hasAttribute("sinceVersion") ? Integer.parseInt(element.getAttribute("sinceVersion")) : 0;
    }

    private static List<Element> messages()
    {
        final List<Element> messages = new ArrayList<>();
        for (final Element child : children(schema, null))
        {
            if ("message".equals(child.getLocalName()) && SBE_NAMESPACE.equals(child.getNamespaceURI()))
            {
                messages.add(child);
            }
        }
        return messages;
    }

    private static List<Element> children(final Element parent, final String localName)
    {
        final List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); null != node; node = node.getNextSibling())
        {
            if (node instanceof Element element && (null == localName || localName.equals(element.getLocalName())))
            {
                children.add(element);
            }
        }
        return children;
    }
}
