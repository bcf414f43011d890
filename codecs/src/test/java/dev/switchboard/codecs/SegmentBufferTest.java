package dev.switchboard.codecs;

import org.agrona.AsciiNumberFormatException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentBufferTest
{
    private static final int CAPACITY = 64;

    private final Arena arena = Arena.ofConfined();
    private final SegmentBuffer buffer = SegmentBuffer.allocate(arena, CAPACITY);

    @AfterEach
    void closeArena()
    {
        if (arena.scope().isAlive())
        {
            arena.close();
        }
    }

    @Test
    void primitivesRoundTripAtTheLastIndexThatFits()
    {
        buffer.putByte(CAPACITY - 1, (byte)-7);
        assertEquals((byte)-7, buffer.getByte(CAPACITY - 1));
        buffer.putShort(CAPACITY - 2, (short)-12345);
        assertEquals((short)-12345, buffer.getShort(CAPACITY - 2));
        buffer.putChar(CAPACITY - 2, '\u03b1');
        assertEquals('\u03b1', buffer.getChar(CAPACITY - 2));
        buffer.putInt(CAPACITY - 4, -123_456_789);
        assertEquals(-123_456_789, buffer.getInt(CAPACITY - 4));
        buffer.putFloat(CAPACITY - 4, 3.25f);
        assertEquals(3.25f, buffer.getFloat(CAPACITY - 4));
        buffer.putLong(CAPACITY - 8, Long.MIN_VALUE + 1);
        assertEquals(Long.MIN_VALUE + 1, buffer.getLong(CAPACITY - 8));
        buffer.putDouble(CAPACITY - 8, -0.1);
        assertEquals(-0.1, buffer.getDouble(CAPACITY - 8));
    }

    @Test
    void primitivesThatWouldCrossTheEndThrowIndexOutOfBounds()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(CAPACITY));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putByte(CAPACITY, (byte)1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getShort(CAPACITY - 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putShort(CAPACITY - 1, (short)1, BIG_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getChar(CAPACITY - 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getInt(CAPACITY - 3));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(CAPACITY - 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getFloat(CAPACITY - 3, BIG_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(CAPACITY - 7));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(CAPACITY - 7, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putDouble(CAPACITY - 7, 1.0));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putByte(-1, (byte)1));
    }

    @Test
    void writesAreLittleEndianUnlessAnOrderIsGiven()
    {
        buffer.putInt(0, 0x01020304);
        buffer.putInt(4, 0x01020304, BIG_ENDIAN);

        assertArrayEquals(new byte[]{ 4, 3, 2, 1, 1, 2, 3, 4 }, bytes(0, 8));
        assertEquals(0x04030201, buffer.getInt(4));
        assertEquals(0x01020304, buffer.getInt(4, BIG_ENDIAN));
    }

    @Test
    void byteOrderArgumentIsHonouredForEveryType()
    {
        for (final ByteOrder order : new ByteOrder[]{ LITTLE_ENDIAN, BIG_ENDIAN })
        {
            final ByteBuffer expected = ByteBuffer.allocate(CAPACITY).order(order);

            buffer.putShort(0, (short)0x1234, order);
            expected.putShort(0, (short)0x1234);
            buffer.putChar(2, '\u4efb', order);
            expected.putChar(2, '\u4efb');
            buffer.putInt(4, 0x12345678, order);
            expected.putInt(4, 0x12345678);
            buffer.putFloat(8, 1.5e-3f, order);
            expected.putFloat(8, 1.5e-3f);
            buffer.putLong(12, 0x0102030405060708L, order);
            expected.putLong(12, 0x0102030405060708L);
            buffer.putDouble(20, Math.PI, order);
            expected.putDouble(20, Math.PI);

            assertArrayEquals(Arrays.copyOf(expected.array(), 28), bytes(0, 28), order.toString());
            assertEquals((short)0x1234, buffer.getShort(0, order));
            assertEquals('\u4efb', buffer.getChar(2, order));
            assertEquals(0x12345678, buffer.getInt(4, order));
            assertEquals(1.5e-3f, buffer.getFloat(8, order));
            assertEquals(0x0102030405060708L, buffer.getLong(12, order));
            assertEquals(Math.PI, buffer.getDouble(20, order));
        }
    }

    @Test
    void unsafeBufferAndSegmentBufferOverTheSameMemoryReadEachOthersWrites()
    {
        final UnsafeBuffer unsafe = new UnsafeBuffer(buffer.addressOffset(), buffer.capacity());

        buffer.putLong(0, 0x1122334455667788L);
        buffer.putInt(8, -42);
        buffer.putDouble(12, 2.5);
        buffer.putShort(20, (short)7, BIG_ENDIAN);
        buffer.putStringAscii(22, "seg");
        assertEquals(0x1122334455667788L, unsafe.getLong(0));
        assertEquals(-42, unsafe.getInt(8));
        assertEquals(2.5, unsafe.getDouble(12));
        assertEquals((short)7, unsafe.getShort(20, BIG_ENDIAN));
        assertEquals("seg", unsafe.getStringAscii(22));

        unsafe.putLong(32, -1L);
        unsafe.putFloat(40, 0.5f);
        unsafe.putChar(44, 'z');
        unsafe.putStringUtf8(46, "\u03b1\u03b2");
        assertEquals(-1L, buffer.getLong(32));
        assertEquals(0.5f, buffer.getFloat(40));
        assertEquals('z', buffer.getChar(44));
        assertEquals("\u03b1\u03b2", buffer.getStringUtf8(46));
        assertEquals(unsafe.hashCode(), buffer.hashCode());
    }

    @Test
    void bytesCopyBetweenUnsafeBufferAndSegmentBufferInBothDirections()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[32], 4, 16);
        heap.putStringWithoutLengthAscii(0, "0123456789abcdef");

        buffer.putBytes(3, heap, 2, 10);
        assertEquals("23456789ab", buffer.getStringWithoutLengthAscii(3, 10));

        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
        buffer.getBytes(3, offHeap, 5, 10);
        assertEquals("23456789ab", offHeap.getStringWithoutLengthAscii(5, 10));

        offHeap.putStringWithoutLengthAscii(0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        buffer.putBytes(20, offHeap, 1, 20);
        assertEquals("BCDEFGHIJKLMNOPQRSTU", buffer.getStringWithoutLengthAscii(20, 20));

        final ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(16);
        expandable.putStringWithoutLengthAscii(0, "xyz");
        buffer.putBytes(50, expandable, 0, 3);
        assertEquals("xyz", buffer.getStringWithoutLengthAscii(50, 3));
    }

    @Test
    void overlappingCopiesWithinTheSameMemoryAreSafeInBothDirections()
    {
        final UnsafeBuffer alias = new UnsafeBuffer(buffer.addressOffset(), buffer.capacity());

        buffer.putStringWithoutLengthAscii(0, "0123456789");
        buffer.putBytes(2, alias, 0, 10);
        assertEquals("010123456789", buffer.getStringWithoutLengthAscii(0, 12));

        buffer.putStringWithoutLengthAscii(0, "0123456789");
        buffer.putBytes(0, alias, 2, 8);
        assertEquals("2345678989", buffer.getStringWithoutLengthAscii(0, 10));

        buffer.putStringWithoutLengthAscii(0, "0123456789");
        buffer.putBytes(3, buffer, 0, 7);
        assertEquals("0120123456", buffer.getStringWithoutLengthAscii(0, 10));
    }

    @Test
    void bytesCopyToAndFromArraysAndRefuseRangesPastEitherEnd()
    {
        final byte[] source = "abcdefgh".getBytes(UTF_8);
        buffer.putBytes(CAPACITY - 8, source);
        buffer.putBytes(0, source, 2, 3);

        final byte[] whole = new byte[8];
        buffer.getBytes(CAPACITY - 8, whole);
        assertArrayEquals(source, whole);
        final byte[] part = new byte[5];
        buffer.getBytes(0, part, 1, 3);
        assertArrayEquals(new byte[]{ 0, 'c', 'd', 'e', 0 }, part);

        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(CAPACITY - 7, source));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(0, source, 6, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(CAPACITY - 2, new byte[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(0, part, 4, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(0, buffer, CAPACITY - 1, 2));
        assertArrayEquals(new byte[]{ 'c', 'd', 'e', 0 }, bytes(0, 4), "a refused copy writes nothing");
    }

    @Test
    void bytesCopyToAndFromByteBuffersByAbsoluteIndexOrPosition()
    {
        for (final ByteBuffer other : new ByteBuffer[]{ ByteBuffer.allocate(16), ByteBuffer.allocateDirect(16) })
        {
            other.put(0, "0123456789abcdef".getBytes(UTF_8));

            buffer.putBytes(0, other, 4, 6);
            assertEquals("456789", buffer.getStringWithoutLengthAscii(0, 6));
            assertEquals(0, other.position());

            other.position(10);
            buffer.putBytes(10, other, 3);
            assertEquals("abc", buffer.getStringWithoutLengthAscii(10, 3));
            assertEquals(13, other.position());

            buffer.getBytes(0, other, 1, 2);
            assertEquals('4', other.get(1));
            other.position(0);
            buffer.getBytes(10, other, 3);
            assertEquals('a', other.get(0));
            assertEquals(3, other.position());

            assertThrows(IndexOutOfBoundsException.class, () -> buffer.putBytes(0, other, 14, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(CAPACITY - 1, other, 0, 2));
        }
    }

    @Test
    void asciiStringsRoundTripWithAndWithoutLength()
    {
        assertEquals(9, buffer.putStringAscii(0, "hello"));
        assertEquals(5, buffer.getInt(0));
        assertEquals("hello", buffer.getStringAscii(0));
        assertEquals("hel", buffer.getStringAscii(0, 3));
        final StringBuilder appended = new StringBuilder();
        assertEquals(5, buffer.getStringAscii(0, appended));
        assertEquals("hello", appended.toString());

        assertEquals(7, buffer.putStringAscii(10, "big", BIG_ENDIAN));
        assertEquals(3, buffer.getInt(10, BIG_ENDIAN));
        assertEquals("big", buffer.getStringAscii(10, BIG_ENDIAN));
        final StringBuilder bigEndian = new StringBuilder();
        buffer.getStringAscii(10, bigEndian, BIG_ENDIAN);
        assertEquals("big", bigEndian.toString());

        assertEquals(4, buffer.putStringAscii(20, (String)null));
        assertEquals("", buffer.getStringAscii(20));

        assertEquals(4, buffer.putStringWithoutLengthAscii(30, "na\u00efve", 1, 4));
        assertEquals("a?ve", buffer.getStringWithoutLengthAscii(30, 4));
        assertEquals(2, buffer.putStringWithoutLengthAscii(40, new StringBuilder("ok")));
        final StringBuilder sb = new StringBuilder();
        buffer.getStringWithoutLengthAscii(40, 2, sb);
        assertEquals("ok", sb.toString());
        assertEquals(0, buffer.putStringWithoutLengthAscii(40, (String)null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "plain", "\u00e9t\u00e9", "\u4efb\u52a1", "box-\uD83D\uDCE6", "lone-\uD800!",
        "\uDC00first", "end\uDBFF" })
    void utf8StringsAreEncodedExactlyAsTheJdkEncodesThem(final String text)
    {
        final byte[] expected = text.getBytes(UTF_8);

        assertEquals(4 + expected.length, buffer.putStringUtf8(1, text));
        assertEquals(expected.length, buffer.getInt(1));
        assertArrayEquals(expected, bytes(5, expected.length));
        assertEquals(new String(expected, UTF_8), buffer.getStringUtf8(1));
        assertEquals(expected.length, buffer.putStringWithoutLengthUtf8(20, text));
        assertArrayEquals(expected, bytes(20, expected.length));
        assertEquals(new String(expected, UTF_8), buffer.getStringWithoutLengthUtf8(20, expected.length));
        assertEquals(expected.length, SegmentBuffer.utf8Length(text));
    }

    @Test
    void utf8StringsHonourOrderLimitAndNull()
    {
        assertEquals(4 + 2, buffer.putStringUtf8(0, "\u03b1", BIG_ENDIAN));
        assertEquals("\u03b1", buffer.getStringUtf8(0, BIG_ENDIAN));
        assertEquals("\u03b1", buffer.getStringUtf8(0, 2));
        assertThrows(IllegalArgumentException.class, () -> buffer.putStringUtf8(0, "\u03b1\u03b2", 3));
        assertThrows(IllegalArgumentException.class, () -> buffer.putStringUtf8(0, "abcd", BIG_ENDIAN, 3));
        assertEquals(4 + 4, buffer.putStringUtf8(10, null));
        assertEquals("null", buffer.getStringUtf8(10));
    }

    @Test
    void stringThatDoesNotFitThrowsAndWritesNothing()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putStringAscii(CAPACITY - 6, "abc"));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putStringUtf8(CAPACITY - 6, "\u03b1\u03b2"));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putStringWithoutLengthUtf8(CAPACITY - 1, "ab"));
        assertArrayEquals(new byte[8], bytes(CAPACITY - 8, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getStringUtf8(CAPACITY - 2));
    }

    @Test
    void asciiNumbersAreWrittenAsAgronaWritesThem()
    {
        final UnsafeBuffer agrona = new UnsafeBuffer(new byte[CAPACITY]);
        final long[] longs = { 0, 7, -7, 10, 99, 100, 12_345, -12_345, Integer.MAX_VALUE, Integer.MIN_VALUE,
            1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, -Long.MAX_VALUE };
        for (final long value : longs)
        {
            assertEquals(agrona.putLongAscii(0, value), buffer.putLongAscii(0, value));
            assertEquals(agrona.getStringWithoutLengthAscii(0, 20), buffer.getStringWithoutLengthAscii(0, 20));
            final int length = Long.toString(value).length();
            assertEquals(value, buffer.parseLongAscii(0, length));
            if (value >= 0)
            {
                assertEquals(agrona.putNaturalLongAscii(8, value), buffer.putNaturalLongAscii(8, value));
                assertEquals(value, buffer.parseNaturalLongAscii(8, length));
            }
            if (value == (int)value)
            {
                assertEquals(agrona.putIntAscii(30, (int)value), buffer.putIntAscii(30, (int)value));
                assertEquals((int)value, buffer.parseIntAscii(30, length));
                if (value >= 0)
                {
                    assertEquals(agrona.putNaturalIntAscii(30, (int)value), buffer.putNaturalIntAscii(30, (int)value));
                    assertEquals((int)value, buffer.parseNaturalIntAscii(30, length));
                }
            }
            Arrays.fill(agrona.byteArray(), (byte)0);
            buffer.setMemory(0, CAPACITY, (byte)0);
        }
    }

    @Test
    void paddedAndRightAlignedNaturalNumbers()
    {
        buffer.putNaturalPaddedIntAscii(0, 6, 42);
        assertEquals("000042", buffer.getStringWithoutLengthAscii(0, 6));
        assertThrows(NumberFormatException.class, () -> buffer.putNaturalPaddedIntAscii(10, 2, 123));
        assertEquals(0, buffer.getByte(10), "nothing written when the number does not fit");

        assertEquals(17, buffer.putNaturalIntAsciiFromEnd(987, 20));
        assertEquals("987", buffer.getStringWithoutLengthAscii(17, 3));
        assertEquals(29, buffer.putNaturalIntAsciiFromEnd(0, 30));
        assertEquals('0', buffer.getByte(29));
        assertThrows(IllegalArgumentException.class, () -> buffer.putNaturalIntAscii(0, -1));
    }

    @Test
    void parsingRejectsEmptyNonDigitAndOverflowingText()
    {
        buffer.putStringWithoutLengthAscii(0, "12a4");
        buffer.putStringWithoutLengthAscii(10, "2147483648");
        buffer.putStringWithoutLengthAscii(20, "-2147483648");
        buffer.putStringWithoutLengthAscii(40, "9223372036854775808");
        buffer.putStringWithoutLengthAscii(60, "-");

        assertThrows(AsciiNumberFormatException.class, () -> buffer.parseIntAscii(0, 0));
        assertThrows(AsciiNumberFormatException.class, () -> buffer.parseIntAscii(0, 4));
        assertThrows(AsciiNumberFormatException.class, () -> buffer.parseNaturalIntAscii(20, 11));
        final AsciiNumberFormatException overflow =
            assertThrows(AsciiNumberFormatException.class, () -> buffer.parseIntAscii(10, 10));
        assertEquals("int overflow parsing: 2147483648", overflow.getMessage());
        assertEquals(2_147_483_648L, buffer.parseLongAscii(10, 10));
        assertEquals(Integer.MIN_VALUE, buffer.parseIntAscii(20, 11));
        assertThrows(AsciiNumberFormatException.class, () -> buffer.parseLongAscii(40, 19));
        assertThrows(AsciiNumberFormatException.class, () -> buffer.parseLongAscii(60, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.parseLongAscii(CAPACITY - 1, 2));
    }

    @Test
    void equalityOrderingAndHashFollowTheContent()
    {
        final SegmentBuffer other = SegmentBuffer.allocate(arena, CAPACITY);
        buffer.putStringWithoutLengthAscii(0, "same");
        other.putStringWithoutLengthAscii(0, "same");

        assertEquals(buffer, other);
        assertEquals(buffer.hashCode(), other.hashCode());
        assertEquals(0, buffer.compareTo(other));

        other.putByte(3, (byte)'f');
        assertNotEquals(buffer, other);
        assertTrue(buffer.compareTo(other) < 0, "'e' orders before 'f'");
        assertTrue(other.compareTo(buffer) > 0);

        final UnsafeBuffer heap = new UnsafeBuffer(new byte[CAPACITY + 1]);
        heap.putStringWithoutLengthAscii(0, "same");
        assertTrue(buffer.compareTo(heap) < 0, "shorter buffer with the same prefix orders first");
        assertNotEquals(buffer, heap);
    }

    @Test
    void limitsAndBoundsChecksNameTheCapacity()
    {
        buffer.checkLimit(CAPACITY);
        final IndexOutOfBoundsException beyond =
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.checkLimit(CAPACITY + 1));
        assertEquals("limit=65 is beyond capacity=64", beyond.getMessage());
        buffer.boundsCheck(CAPACITY - 4, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.boundsCheck(CAPACITY - 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.boundsCheck(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.setMemory(CAPACITY - 1, 2, (byte)1));
    }

    @Test
    void setMemoryFillsExactlyTheRange()
    {
        buffer.setMemory(3, 10, (byte)0x5A);

        assertEquals(0, buffer.getByte(2));
        assertEquals(0x5A, buffer.getByte(3));
        assertEquals(0x5A, buffer.getByte(12));
        assertEquals(0, buffer.getByte(13));
    }

    @Test
    void describesNativeMemoryOnly()
    {
        assertEquals(buffer.segment().address(), buffer.addressOffset());
        assertNull(buffer.byteArray());
        assertNull(buffer.byteBuffer());
        assertEquals(0, buffer.wrapAdjustment());
        assertFalse(buffer.isExpandable());
        assertEquals(0, buffer.addressOffset() % SegmentBuffer.ALIGNMENT);
        assertTrue(buffer.toString().contains("capacity=64"));
    }

    @Test
    void refusesHeapMemoryWithAClearMessage()
    {
        final UnsupportedOperationException array =
            assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(new byte[8]));
        assertTrue(array.getMessage().contains("native memory only"), array.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(new byte[8], 0, 4));
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(ByteBuffer.allocate(8)));
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(new UnsafeBuffer(new byte[8])));
        assertThrows(IllegalArgumentException.class, () -> buffer.wrap(MemorySegment.ofArray(new byte[8])));
        assertEquals(CAPACITY, buffer.capacity(), "a refused wrap leaves the buffer as it was");
    }

    @Test
    void wrapsDirectByteBuffersWholeWhateverTheirPositionAndLimit()
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(32);
        direct.put(20, (byte)77);
        direct.position(5).limit(9);

        buffer.wrap(direct);
        assertEquals(32, buffer.capacity());
        assertEquals(77, buffer.getByte(20));

        buffer.wrap(direct, 16, 8);
        assertEquals(8, buffer.capacity());
        assertEquals(77, buffer.getByte(4));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.wrap(direct, 30, 4));
    }

    @Test
    void wrapsTheMemoryOfOtherNativeBuffers()
    {
        final SegmentBuffer other = SegmentBuffer.allocate(arena, 16);
        other.putInt(8, 99);
        final SegmentBuffer view = new SegmentBuffer();
        view.wrap(other, 8, 4);
        assertEquals(4, view.capacity());
        assertEquals(99, view.getInt(0));

        final UnsafeBuffer overDirect = new UnsafeBuffer(ByteBuffer.allocateDirect(32), 4, 16);
        overDirect.putInt(2, 1234);
        view.wrap(overDirect);
        assertEquals(16, view.capacity());
        assertEquals(1234, view.getInt(2));
        assertEquals(overDirect.addressOffset(), view.addressOffset());

        final UnsafeBuffer byAddress = new UnsafeBuffer(buffer.addressOffset(), CAPACITY);
        byAddress.putLong(16, 5L);
        view.wrap(byAddress, 16, 8);
        assertEquals(5L, view.getLong(0));
        view.wrap(buffer.addressOffset() + 16, 8);
        assertEquals(5L, view.getLong(0));
    }

    @Test
    void unwrappedBufferHasNoCapacity()
    {
        final SegmentBuffer unwrapped = new SegmentBuffer();

        assertEquals(0, unwrapped.capacity());
        assertEquals(MemorySegment.NULL, unwrapped.segment());
        assertThrows(IndexOutOfBoundsException.class, () -> unwrapped.getByte(0));
    }

    @Test
    void accessAfterTheArenaClosesThrowsIllegalState()
    {
        arena.close();

        assertThrows(IllegalStateException.class, () -> buffer.getLong(0));
        assertThrows(IllegalStateException.class, () -> buffer.putByte(0, (byte)1));
    }

    private byte[] bytes(final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return bytes;
    }
}
