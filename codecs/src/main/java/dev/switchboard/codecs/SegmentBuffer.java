package dev.switchboard.codecs;

import org.agrona.AsciiEncoding;
import org.agrona.AsciiNumberFormatException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A {@link MutableDirectBuffer} over a native {@link MemorySegment}, so that SBE codecs and anything else written
 * against Agrona's buffer interfaces run in a JVM started with no flags at all.
 * <p>
 * Agrona's own buffers reach {@code jdk.internal.misc.Unsafe} and need
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}; this one reads and writes only through
 * {@link ValueLayout}s (VarHandles underneath), so bounds, liveness and thread confinement are checked by the
 * segment itself:
 * <ul>
 *     <li>an index outside {@code [0, capacity())} throws {@link IndexOutOfBoundsException};</li>
 *     <li>touching a segment whose {@link Arena} is closed throws {@link IllegalStateException};</li>
 *     <li>touching a confined segment from another thread throws {@link WrongThreadException}.</li>
 * </ul>
 * <p>
 * Memory is native only: {@link #byteArray()} and {@link #byteBuffer()} are always {@code null},
 * {@link #addressOffset()} is the segment's absolute address, and {@link #wrapAdjustment()} is 0, so Agrona's
 * Unsafe-backed buffers (on the router side) can copy to and from this buffer by address. Heap memory is refused:
 * {@link #wrap(byte[])}, {@link #wrap(byte[], int, int)}, wrapping a heap {@link ByteBuffer} or a heap-backed
 * {@link DirectBuffer} throw {@link UnsupportedOperationException}, because a heap address cannot be expressed as
 * {@link #addressOffset()} without Unsafe. {@link #wrap(long, int)}, and {@link #wrap(DirectBuffer)} of a buffer that
 * is neither a {@code SegmentBuffer} nor backed by a direct {@link ByteBuffer}, must turn a raw address into a
 * segment with {@link MemorySegment#reinterpret(long)}, a restricted method: without
 * {@code --enable-native-access} the JVM prints a one-time warning, and the caller answers for the memory's lifetime.
 * <p>
 * Byte order: the overloads without a {@link ByteOrder} use {@link ByteOrder#LITTLE_ENDIAN} (SBE's and the wire's
 * order, and the native order of every platform Switchboard runs on); the overloads with one honour it. Length
 * prefixes of the {@code *StringAscii}/{@code *StringUtf8} methods are 4-byte little-endian ints unless an order is
 * given, as in Agrona.
 * <p>
 * Allocation: {@link #wrap(MemorySegment)}, the primitive accessors, {@code getBytes}/{@code putBytes} with arrays
 * and {@link DirectBuffer}s, the ASCII number methods, {@code putString*} (UTF-8 is encoded in place),
 * {@code getString*} into an {@link Appendable}, {@code compareTo}, {@code equals} and {@code hashCode} allocate
 * nothing. Methods returning a {@link String} allocate it. The first {@link ByteBuffer} copy after a wrap allocates
 * one {@link ByteBuffer} view of the segment, reused until the next wrap. The other {@code wrap} methods and
 * {@link #setMemory} create a segment slice (usually scalar-replaced by the JIT, but not guaranteed).
 * <p>
 * Thread-safety: none, like every flyweight. Plain (non-volatile) accesses; for memory shared between threads or
 * processes use VarHandle acquire/release accesses on the {@link #segment()} directly.
 */
public final class SegmentBuffer implements MutableDirectBuffer
{
    /** Alignment of the memory {@link #allocate(Arena, int)} returns: one cache line. */
    public static final int ALIGNMENT = 64;

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfChar CHAR_LE = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfChar CHAR_BE = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_BE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(BIG_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(BIG_ENDIAN);

    /** What Agrona writes for a {@code null} UTF-8 string: the four characters "null". */
    private static final String NULL_STRING = "null";
    private static final byte ZERO = '0';
    private static final byte MINUS_SIGN = '-';
    private static final byte QUESTION_MARK = '?';

    private MemorySegment segment;
    private int capacity;
    /** Lazily made view for ByteBuffer copies; dropped on every wrap. */
    private ByteBuffer byteBufferView;

    /**
     * An unwrapped buffer of capacity 0 over {@link MemorySegment#NULL}; call a {@code wrap} method before use.
     */
    public SegmentBuffer()
    {
        segment = MemorySegment.NULL;
    }

    /**
     * A buffer over the whole of a native segment.
     *
     * @param segment native memory, at most {@link Integer#MAX_VALUE} bytes.
     * @throws IllegalArgumentException if the segment is on the heap or too large.
     */
    public SegmentBuffer(final MemorySegment segment)
    {
        wrap(segment);
    }

    /**
     * Allocate {@code capacity} bytes aligned to {@link #ALIGNMENT} in {@code arena} and wrap them. The memory lives
     * as long as the arena; the buffer must not be used after the arena is closed.
     *
     * @param arena    owner of the memory.
     * @param capacity in bytes.
     * @return a new buffer over zeroed memory.
     */
    public static SegmentBuffer allocate(final Arena arena, final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }

        return new SegmentBuffer(arena.allocate(capacity, ALIGNMENT));
    }

    /**
     * Wrap the whole of a native segment. Allocates nothing.
     *
     * @param segment native memory, at most {@link Integer#MAX_VALUE} bytes.
     * @throws IllegalArgumentException if the segment is on the heap or too large.
     */
    public void wrap(final MemorySegment segment)
    {
        if (!segment.isNative())
        {
            throw new IllegalArgumentException(
                "SegmentBuffer wraps native memory only; got a heap segment of " + segment.byteSize() + " bytes");
        }

        final long size = segment.byteSize();
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "segment of " + size + " bytes exceeds the maximum buffer capacity " + Integer.MAX_VALUE);
        }

        this.segment = segment;
        this.capacity = (int)size;
        this.byteBufferView = null;
    }

    /**
     * The segment this buffer reads and writes.
     *
     * @return the wrapped segment, {@link MemorySegment#NULL} when unwrapped.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * Not supported: a heap array has no native address.
     *
     * @throws UnsupportedOperationException always.
     */
    @Override
    public void wrap(final byte[] buffer)
    {
        throw heapNotSupported("a byte[] of " + buffer.length + " bytes");
    }

    /**
     * Not supported: a heap array has no native address.
     *
     * @throws UnsupportedOperationException always.
     */
    @Override
    public void wrap(final byte[] buffer, final int offset, final int length)
    {
        throw heapNotSupported("a byte[] of " + buffer.length + " bytes");
    }

    /**
     * Wrap the whole capacity of a direct {@link ByteBuffer}, whatever its position and limit. Allocates a segment.
     *
     * @throws UnsupportedOperationException if the buffer is on the heap.
     */
    @Override
    public void wrap(final ByteBuffer buffer)
    {
        wrap(buffer, 0, buffer.capacity());
    }

    /**
     * Wrap {@code length} bytes of a direct {@link ByteBuffer} from absolute index {@code offset}, whatever its
     * position and limit. Allocates a segment.
     *
     * @throws UnsupportedOperationException if the buffer is on the heap.
     */
    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        if (!buffer.isDirect())
        {
            throw heapNotSupported("a heap ByteBuffer");
        }

        Objects.checkFromIndexSize(offset, length, buffer.capacity());
        wrap(MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(offset, length));
    }

    /**
     * Wrap the same memory as another buffer: a {@code SegmentBuffer} shares its segment; a buffer over a direct
     * {@link ByteBuffer} is wrapped through that ByteBuffer; any other native buffer is wrapped by address, which
     * uses the restricted {@link MemorySegment#reinterpret(long)} (see the class comment).
     *
     * @throws UnsupportedOperationException if the other buffer is over a heap array.
     */
    @Override
    public void wrap(final DirectBuffer buffer)
    {
        wrap(buffer, 0, buffer.capacity());
    }

    /**
     * Wrap {@code length} bytes of another buffer from {@code offset}, as {@link #wrap(DirectBuffer)} does.
     *
     * @throws UnsupportedOperationException if the other buffer is over a heap array.
     */
    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, buffer.capacity());

        if (buffer instanceof SegmentBuffer other)
        {
            wrap(other.segment.asSlice(offset, length));
        }
        else if (null != buffer.byteArray())
        {
            throw heapNotSupported("a " + buffer.getClass().getSimpleName() + " over a byte[]");
        }
        else if (null != buffer.byteBuffer() && buffer.byteBuffer().isDirect())
        {
            wrap(buffer.byteBuffer(), buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            wrap(buffer.addressOffset() + offset, length);
        }
    }

    /**
     * Wrap {@code length} bytes of native memory at an absolute address. Uses the restricted
     * {@link MemorySegment#reinterpret(long)}: the caller guarantees the memory stays valid while wrapped.
     *
     * @param address of native memory.
     * @param length  in bytes.
     */
    @SuppressWarnings("restricted")
    @Override
    public void wrap(final long address, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }

        wrap(MemorySegment.ofAddress(address).reinterpret(length));
    }

    /**
     * The absolute native address of byte 0, as Agrona's native buffers report it.
     *
     * @return {@code segment().address()}.
     */
    @Override
    public long addressOffset()
    {
        return segment.address();
    }

    /**
     * Always {@code null}: this buffer never wraps a heap array.
     *
     * @return {@code null}.
     */
    @Override
    public byte[] byteArray()
    {
        return null;
    }

    /**
     * Always {@code null}, also after {@link #wrap(ByteBuffer)}: {@link #addressOffset()} is the whole truth.
     *
     * @return {@code null}.
     */
    @Override
    public ByteBuffer byteBuffer()
    {
        return null;
    }

    /**
     * Always 0, since {@link #byteArray()} and {@link #byteBuffer()} are {@code null}.
     *
     * @return 0.
     */
    @Override
    public int wrapAdjustment()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int capacity()
    {
        return capacity;
    }

    /**
     * Always {@code false}: a segment has a fixed size.
     *
     * @return {@code false}.
     */
    @Override
    public boolean isExpandable()
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void checkLimit(final int limit)
    {
        if (limit > capacity)
        {
            throw new IndexOutOfBoundsException("limit=" + limit + " is beyond capacity=" + capacity);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void boundsCheck(final int index, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void setMemory(final int index, final int length, final byte value)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        segment.asSlice(index, length).fill(value);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Primitives
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public long getLong(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? LONG_BE : LONG_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long getLong(final int index)
    {
        return segment.get(LONG_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? LONG_BE : LONG_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putLong(final int index, final long value)
    {
        segment.set(LONG_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getInt(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? INT_BE : INT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getInt(final int index)
    {
        return segment.get(INT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? INT_BE : INT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putInt(final int index, final int value)
    {
        segment.set(INT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public double getDouble(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? DOUBLE_BE : DOUBLE_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public double getDouble(final int index)
    {
        return segment.get(DOUBLE_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putDouble(final int index, final double value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? DOUBLE_BE : DOUBLE_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putDouble(final int index, final double value)
    {
        segment.set(DOUBLE_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public float getFloat(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? FLOAT_BE : FLOAT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public float getFloat(final int index)
    {
        return segment.get(FLOAT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putFloat(final int index, final float value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? FLOAT_BE : FLOAT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putFloat(final int index, final float value)
    {
        segment.set(FLOAT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public short getShort(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? SHORT_BE : SHORT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public short getShort(final int index)
    {
        return segment.get(SHORT_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? SHORT_BE : SHORT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putShort(final int index, final short value)
    {
        segment.set(SHORT_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public char getChar(final int index, final ByteOrder byteOrder)
    {
        return segment.get(BIG_ENDIAN == byteOrder ? CHAR_BE : CHAR_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public char getChar(final int index)
    {
        return segment.get(CHAR_LE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putChar(final int index, final char value, final ByteOrder byteOrder)
    {
        segment.set(BIG_ENDIAN == byteOrder ? CHAR_BE : CHAR_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putChar(final int index, final char value)
    {
        segment.set(CHAR_LE, index, value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public byte getByte(final int index)
    {
        return segment.get(JAVA_BYTE, index);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putByte(final int index, final byte value)
    {
        segment.set(JAVA_BYTE, index, value);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Bulk copies
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public void getBytes(final int index, final byte[] dst)
    {
        getBytes(index, dst, 0, dst.length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        Objects.checkFromIndexSize(offset, length, dst.length);
        MemorySegment.copy(segment, JAVA_BYTE, index, dst, offset, length);
    }

    /**
     * Copies by asking the destination to {@link MutableDirectBuffer#putBytes(int, DirectBuffer, int, int)} from this
     * buffer, as Agrona's buffers do; allocation-free when the destination's copy is.
     */
    @Override
    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length)
    {
        dstBuffer.putBytes(dstIndex, this, index, length);
    }

    /**
     * Copies to the destination's position, then advances it by {@code length}.
     */
    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length)
    {
        final int dstOffset = dstBuffer.position();
        getBytes(index, dstBuffer, dstOffset, length);
        dstBuffer.position(dstOffset + length);
    }

    /**
     * Copies to an absolute index of the destination, which must lie within the destination's limit; its position is
     * unchanged.
     */
    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        dstBuffer.put(dstOffset, byteBufferView(), index, length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putBytes(final int index, final byte[] src)
    {
        putBytes(index, src, 0, src.length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putBytes(final int index, final byte[] src, final int offset, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        Objects.checkFromIndexSize(offset, length, src.length);
        MemorySegment.copy(src, offset, segment, JAVA_BYTE, index, length);
    }

    /**
     * Copies from the source's position, then advances it by {@code length}.
     */
    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int length)
    {
        final int srcIndex = srcBuffer.position();
        putBytes(index, srcBuffer, srcIndex, length);
        srcBuffer.position(srcIndex + length);
    }

    /**
     * Copies from an absolute index of the source, which must lie within the source's limit; its position is
     * unchanged.
     */
    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int srcIndex, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        byteBufferView().put(index, srcBuffer, srcIndex, length);
    }

    /**
     * Copies from any {@link DirectBuffer}: segment to segment for a {@code SegmentBuffer}, from the array for a
     * heap-backed buffer, and through the source's own accessors for any other native buffer (overlap-safe). Checks
     * both ranges before writing anything.
     */
    @Override
    public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        srcBuffer.boundsCheck(srcIndex, length);

        if (srcBuffer instanceof SegmentBuffer source)
        {
            MemorySegment.copy(source.segment, srcIndex, segment, index, length);
            return;
        }

        final byte[] srcArray = srcBuffer.byteArray();
        if (null != srcArray)
        {
            MemorySegment.copy(srcArray, srcBuffer.wrapAdjustment() + srcIndex, segment, JAVA_BYTE, index, length);
            return;
        }

        copyFromNativeBuffer(index, srcBuffer, srcIndex, length);
    }

    private void copyFromNativeBuffer(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length)
    {
        final long dstAddress = segment.address() + index;
        final long srcAddress = srcBuffer.addressOffset() + srcIndex;

        if (dstAddress > srcAddress && dstAddress < srcAddress + length)
        {
            // The destination starts inside the source: copy from the end so no source byte is overwritten first.
            for (int i = length - 1; i >= 0; i--)
            {
                segment.set(JAVA_BYTE, index + i, srcBuffer.getByte(srcIndex + i));
            }
        }
        else
        {
            int i = 0;
            for (final int end = length & ~7; i < end; i += 8)
            {
                segment.set(LONG_LE, index + i, srcBuffer.getLong(srcIndex + i, LITTLE_ENDIAN));
            }

            for (; i < length; i++)
            {
                segment.set(JAVA_BYTE, index + i, srcBuffer.getByte(srcIndex + i));
            }
        }
    }

    private ByteBuffer byteBufferView()
    {
        ByteBuffer view = byteBufferView;
        if (null == view)
        {
            view = segment.asByteBuffer();
            byteBufferView = view;
        }

        return view;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // ASCII strings
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringAscii(final int index)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getStringAscii(final int index, final Appendable appendable)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index), appendable);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringAscii(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index, byteOrder));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int getStringAscii(final int index, final Appendable appendable, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index, byteOrder), appendable);
    }

    /**
     * Reads {@code length} bytes after the 4-byte length prefix at {@code index}, ignoring the prefix's value.
     */
    @Override
    public String getStringAscii(final int index, final int length)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, length);
    }

    /**
     * Reads {@code length} bytes after the 4-byte length prefix at {@code index}, ignoring the prefix's value.
     */
    @Override
    public int getStringAscii(final int index, final int length, final Appendable appendable)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, length, appendable);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringWithoutLengthAscii(final int index, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        if (0 == length)
        {
            return "";
        }

        final byte[] bytes = new byte[length];
        MemorySegment.copy(segment, JAVA_BYTE, index, bytes, 0, length);

        return new String(bytes, US_ASCII);
    }

    /**
     * Appends each byte as a char, with {@code '?'} for a byte above 127.
     */
    @Override
    public int getStringWithoutLengthAscii(final int index, final int length, final Appendable appendable)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        try
        {
            for (int i = index, end = index + length; i < end; i++)
            {
                final int b = segment.get(JAVA_BYTE, i) & 0xFF;
                appendable.append(b > 127 ? '?' : (char)b);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        return length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringAscii(final int index, final String value)
    {
        return putStringAscii(index, (CharSequence)value, LITTLE_ENDIAN);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringAscii(final int index, final CharSequence value)
    {
        return putStringAscii(index, value, LITTLE_ENDIAN);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringAscii(final int index, final String value, final ByteOrder byteOrder)
    {
        return putStringAscii(index, (CharSequence)value, byteOrder);
    }

    /**
     * Writes a 4-byte length in {@code byteOrder}, then one byte per char with {@code '?'} for a char above 127; a
     * {@code null} value writes length 0.
     */
    @Override
    public int putStringAscii(final int index, final CharSequence value, final ByteOrder byteOrder)
    {
        final int length = null == value ? 0 : value.length();
        Objects.checkFromIndexSize(index, STR_HEADER_LEN + length, capacity);
        putInt(index, length, byteOrder);
        if (length > 0)
        {
            putAsciiChars(index + STR_HEADER_LEN, value, 0, length);
        }

        return STR_HEADER_LEN + length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringWithoutLengthAscii(final int index, final String value)
    {
        return putStringWithoutLengthAscii(index, (CharSequence)value);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value)
    {
        if (null == value)
        {
            return 0;
        }

        return putStringWithoutLengthAscii(index, value, 0, value.length());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringWithoutLengthAscii(final int index, final String value, final int valueOffset, final int length)
    {
        return putStringWithoutLengthAscii(index, (CharSequence)value, valueOffset, length);
    }

    /**
     * Writes {@code min(value.length() - valueOffset, length)} chars, one byte each with {@code '?'} for a char
     * above 127.
     */
    @Override
    public int putStringWithoutLengthAscii(
        final int index, final CharSequence value, final int valueOffset, final int length)
    {
        if (null == value)
        {
            return 0;
        }

        final int count = Math.min(value.length() - valueOffset, length);
        Objects.checkFromIndexSize(index, count, capacity);
        putAsciiChars(index, value, valueOffset, count);

        return count;
    }

    private void putAsciiChars(final int index, final CharSequence value, final int valueOffset, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final char c = value.charAt(valueOffset + i);
            segment.set(JAVA_BYTE, index + i, c > 127 ? QUESTION_MARK : (byte)c);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // UTF-8 strings
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringUtf8(final int index)
    {
        return getStringWithoutLengthUtf8(index + STR_HEADER_LEN, getInt(index));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringUtf8(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthUtf8(index + STR_HEADER_LEN, getInt(index, byteOrder));
    }

    /**
     * Reads {@code length} bytes after the 4-byte length prefix at {@code index}, ignoring the prefix's value.
     */
    @Override
    public String getStringUtf8(final int index, final int length)
    {
        return getStringWithoutLengthUtf8(index + STR_HEADER_LEN, length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String getStringWithoutLengthUtf8(final int index, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        if (0 == length)
        {
            return "";
        }

        final byte[] bytes = new byte[length];
        MemorySegment.copy(segment, JAVA_BYTE, index, bytes, 0, length);

        return new String(bytes, UTF_8);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringUtf8(final int index, final String value)
    {
        return putStringUtf8(index, value, LITTLE_ENDIAN, Integer.MAX_VALUE);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder)
    {
        return putStringUtf8(index, value, byteOrder, Integer.MAX_VALUE);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putStringUtf8(final int index, final String value, final int maxEncodedLength)
    {
        return putStringUtf8(index, value, LITTLE_ENDIAN, maxEncodedLength);
    }

    /**
     * Encodes in place, allocating nothing, byte for byte as {@code value.getBytes(UTF_8)} would (an unpaired
     * surrogate becomes {@code '?'}); a {@code null} value is written as "null", as Agrona does.
     */
    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder, final int maxEncodedLength)
    {
        final String text = null == value ? NULL_STRING : value;
        final int encodedLength = utf8Length(text);
        if (encodedLength > maxEncodedLength)
        {
            throw new IllegalArgumentException("Encoded string larger than maximum size: " + maxEncodedLength);
        }

        Objects.checkFromIndexSize(index, STR_HEADER_LEN + encodedLength, capacity);
        putInt(index, encodedLength, byteOrder);
        putUtf8(index + STR_HEADER_LEN, text);

        return STR_HEADER_LEN + encodedLength;
    }

    /**
     * Encodes in place, allocating nothing; a {@code null} value is written as "null", as Agrona does.
     */
    @Override
    public int putStringWithoutLengthUtf8(final int index, final String value)
    {
        final String text = null == value ? NULL_STRING : value;
        final int encodedLength = utf8Length(text);
        Objects.checkFromIndexSize(index, encodedLength, capacity);
        putUtf8(index, text);

        return encodedLength;
    }

    /**
     * Length in bytes of {@code text} encoded as the JDK's UTF-8 encoder does it, unpaired surrogates counting as
     * one byte (they are replaced by {@code '?'}).
     */
    static int utf8Length(final CharSequence text)
    {
        final int length = text.length();
        int bytes = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                bytes += 1;
            }
            else
            {
                bytes += 3;
            }
        }

        return bytes;
    }

    private void putUtf8(final int index, final CharSequence text)
    {
        final MemorySegment segment = this.segment;
        final int length = text.length();
        long position = index;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                segment.set(JAVA_BYTE, position++, (byte)c);
            }
            else if (c < 0x800)
            {
                segment.set(JAVA_BYTE, position++, (byte)(0xC0 | (c >> 6)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                segment.set(JAVA_BYTE, position++, (byte)(0xF0 | (codePoint >> 18)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                segment.set(JAVA_BYTE, position++, QUESTION_MARK);
            }
            else
            {
                segment.set(JAVA_BYTE, position++, (byte)(0xE0 | (c >> 12)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                segment.set(JAVA_BYTE, position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // ASCII numbers
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public int parseNaturalIntAscii(final int index, final int length)
    {
        checkNumberRange(index, length);
        return (int)-parseNegatedDigits(index, length, index, -(long)Integer.MAX_VALUE, "int");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long parseNaturalLongAscii(final int index, final int length)
    {
        checkNumberRange(index, length);
        return -parseNegatedDigits(index, length, index, -Long.MAX_VALUE, "long");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int parseIntAscii(final int index, final int length)
    {
        checkNumberRange(index, length);
        if (MINUS_SIGN == segment.get(JAVA_BYTE, index))
        {
            return (int)parseNegatedDigits(index, length, index + 1, Integer.MIN_VALUE, "int");
        }

        return (int)-parseNegatedDigits(index, length, index, -(long)Integer.MAX_VALUE, "int");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long parseLongAscii(final int index, final int length)
    {
        checkNumberRange(index, length);
        if (MINUS_SIGN == segment.get(JAVA_BYTE, index))
        {
            return parseNegatedDigits(index, length, index + 1, Long.MIN_VALUE, "long");
        }

        return -parseNegatedDigits(index, length, index, -Long.MAX_VALUE, "long");
    }

    private void checkNumberRange(final int index, final int length)
    {
        Objects.checkFromIndexSize(index, length, capacity);
        if (length <= 0)
        {
            throw new AsciiNumberFormatException("empty string: index=" + index + " length=" + length);
        }
    }

    /**
     * Accumulates the digits in {@code [start, index + length)} as a negative number, so that the most negative value
     * of the type fits; the caller negates for a positive result.
     */
    private long parseNegatedDigits(
        final int index, final int length, final int start, final long minValue, final String type)
    {
        final int end = index + length;
        if (start == end)
        {
            throw new AsciiNumberFormatException("error parsing " + type + ": " + getStringWithoutLengthAscii(index, length));
        }

        long tally = 0;
        for (int i = start; i < end; i++)
        {
            final int digit = segment.get(JAVA_BYTE, i) - ZERO;
            if (digit < 0 || digit > 9)
            {
                throw new AsciiNumberFormatException(
                    "error parsing " + type + ": " + getStringWithoutLengthAscii(index, length));
            }

            // Division truncates towards zero, i.e. rounds up for a negative numerator: the smallest allowed tally.
            if (tally < (minValue + digit) / 10)
            {
                throw new AsciiNumberFormatException(
                    type + " overflow parsing: " + getStringWithoutLengthAscii(index, length));
            }

            tally = tally * 10 - digit;
        }

        return tally;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putIntAscii(final int index, final int value)
    {
        return putLongAscii(index, value);
    }

    /**
     * Writes a non-negative value in decimal.
     *
     * @throws IllegalArgumentException if the value is negative.
     */
    @Override
    public int putNaturalIntAscii(final int index, final int value)
    {
        return putNaturalLongAscii(index, value);
    }

    /**
     * Writes a non-negative value in exactly {@code length} digits, padded with leading zeros.
     *
     * @throws NumberFormatException if the value needs more than {@code length} digits (nothing is written).
     */
    @Override
    public void putNaturalPaddedIntAscii(final int offset, final int length, final int value)
    {
        checkNatural(value);
        Objects.checkFromIndexSize(offset, length, capacity);
        if (AsciiEncoding.digitCount(value) > length)
        {
            throw new NumberFormatException("Cannot write " + value + " in " + length + " bytes");
        }

        int remainder = value;
        for (int i = offset + length - 1; i >= offset; i--)
        {
            segment.set(JAVA_BYTE, i, (byte)(ZERO + remainder % 10));
            remainder /= 10;
        }
    }

    /**
     * Writes a non-negative value so that its last digit is at {@code endExclusive - 1}; unlike Agrona's buffers,
     * writes "0" for zero.
     *
     * @return the index of the first digit.
     */
    @Override
    public int putNaturalIntAsciiFromEnd(final int value, final int endExclusive)
    {
        checkNatural(value);
        final int digitCount = AsciiEncoding.digitCount(value);
        final int start = endExclusive - digitCount;
        Objects.checkFromIndexSize(start, digitCount, capacity);
        putDigits(start, value, digitCount);

        return start;
    }

    /**
     * Writes a non-negative value in decimal.
     *
     * @throws IllegalArgumentException if the value is negative.
     */
    @Override
    public int putNaturalLongAscii(final int index, final long value)
    {
        checkNatural(value);
        final int digitCount = AsciiEncoding.digitCount(value);
        Objects.checkFromIndexSize(index, digitCount, capacity);
        putDigits(index, value, digitCount);

        return digitCount;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int putLongAscii(final int index, final long value)
    {
        if (value >= 0)
        {
            return putNaturalLongAscii(index, value);
        }

        if (Long.MIN_VALUE == value)
        {
            final byte[] minValue = AsciiEncoding.MIN_LONG_VALUE;
            putBytes(index, minValue);
            return minValue.length;
        }

        final long magnitude = -value;
        final int digitCount = AsciiEncoding.digitCount(magnitude);
        Objects.checkFromIndexSize(index, digitCount + 1, capacity);
        segment.set(JAVA_BYTE, index, MINUS_SIGN);
        putDigits(index + 1, magnitude, digitCount);

        return digitCount + 1;
    }

    private void putDigits(final int index, final long value, final int digitCount)
    {
        long remainder = value;
        for (int i = index + digitCount - 1; i >= index; i--)
        {
            segment.set(JAVA_BYTE, i, (byte)(ZERO + remainder % 10));
            remainder /= 10;
        }
    }

    private static void checkNatural(final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("natural number expected, got " + value);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Comparison
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * Orders by the first differing byte, compared as signed, then by capacity. Allocates nothing.
     */
    @Override
    public int compareTo(final DirectBuffer that)
    {
        if (this == that)
        {
            return 0;
        }

        final int thatCapacity = that.capacity();
        final int length = Math.min(capacity, thatCapacity);
        if (that instanceof SegmentBuffer other)
        {
            final long mismatch = MemorySegment.mismatch(segment, 0, length, other.segment, 0, length);
            if (-1 != mismatch)
            {
                return Byte.compare(segment.get(JAVA_BYTE, mismatch), other.segment.get(JAVA_BYTE, mismatch));
            }
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                final int cmp = Byte.compare(segment.get(JAVA_BYTE, i), that.getByte(i));
                if (0 != cmp)
                {
                    return cmp;
                }
            }
        }

        return Integer.compare(capacity, thatCapacity);
    }

    /**
     * Equal to another {@code SegmentBuffer} of the same capacity and content.
     */
    @Override
    public boolean equals(final Object obj)
    {
        if (this == obj)
        {
            return true;
        }

        if (!(obj instanceof SegmentBuffer that) || capacity != that.capacity)
        {
            return false;
        }

        return -1 == MemorySegment.mismatch(segment, 0, capacity, that.segment, 0, capacity);
    }

    /**
     * Hash of the content, computed as Agrona's buffers compute it on a little-endian machine.
     */
    @Override
    public int hashCode()
    {
        final MemorySegment segment = this.segment;
        final int length = capacity;
        int i = 0;
        int hashCode = 19;
        for (final int end = length & ~7; i < end; i += 8)
        {
            hashCode = 31 * hashCode + Long.hashCode(segment.get(LONG_LE, i));
        }

        for (; i < length; i++)
        {
            hashCode = 31 * hashCode + segment.get(JAVA_BYTE, i);
        }

        return hashCode;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "SegmentBuffer{addressOffset=" + segment.address() + ", capacity=" + capacity + '}';
    }

    private static UnsupportedOperationException heapNotSupported(final String what)
    {
        return new UnsupportedOperationException(
            "SegmentBuffer wraps native memory only, not " + what + ": wrap a native MemorySegment " +
            "(Arena.allocate, FileChannel.map) or a direct ByteBuffer instead");
    }
}
