package dev.switchboard.codecs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NameIdsTest
{
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @Test
    void matchesPublishedFnv1a64Vectors()
    {
        assertEquals(0xcbf29ce484222325L, NameIds.of(""));
        assertEquals(0xaf63dc4c8601ec8cL, NameIds.of("a"));
        assertEquals(0x85944171f73967e8L, NameIds.of("foobar"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "orders", "agent-\u03b1", "t\u00ebster", "\u4efb\u52a1", "box-\uD83D\uDCE6",
        "lone-\uD800-surrogate", "trailing-\uDBFF", "\uDC00-low-first" })
    void stringAndUtf8BytesInABufferGiveTheSameId(final String name)
    {
        final byte[] utf8 = name.getBytes(UTF_8);
        final SegmentBuffer buffer = SegmentBuffer.allocate(arena, utf8.length + 3);
        buffer.putBytes(3, utf8);

        assertEquals(fnv1a64(utf8), NameIds.of(name));
        assertEquals(NameIds.of(name), NameIds.of(buffer, 3, utf8.length));
    }

    @Test
    void differentNamesGetDifferentIds()
    {
        assertNotEquals(NameIds.of("orders"), NameIds.of("Orders"));
        assertNotEquals(NameIds.of("orders"), NameIds.of("orders "));
    }

    @Test
    void rangeOutsideTheBufferThrows()
    {
        final SegmentBuffer buffer = SegmentBuffer.allocate(arena, 4);

        assertThrows(IndexOutOfBoundsException.class, () -> NameIds.of(buffer, 2, 3));
    }

    private static long fnv1a64(final byte[] bytes)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : bytes)
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return 0 == hash ? 1 : hash;
    }
}
