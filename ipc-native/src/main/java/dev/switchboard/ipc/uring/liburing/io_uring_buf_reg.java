package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The argument of {@code IORING_REGISTER_PBUF_RING} ({@code io_uring_register_buf_ring}): the ring's address, its
 * entries (a power of two) and its buffer group id.
 * {@snippet lang=c :
 * struct io_uring_buf_reg
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_buf_reg
{
    io_uring_buf_reg()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("ring_addr"),
        C_INT.withName("ring_entries"),
        C_SHORT.withName("bgid"),
        C_SHORT.withName("pad"),
        MemoryLayout.sequenceLayout(3, C_LONG_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong ring_addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("ring_addr"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 ring_addr
     * }
     *
     * @return the layout.
     */
    public static OfLong ring_addr$layout()
    {
        return ring_addr$LAYOUT;
    }

    private static final long ring_addr$OFFSET = 0;

    /**
     * @return offset of field ring_addr.
     */
    public static long ring_addr$offset()
    {
        return ring_addr$OFFSET;
    }

    /**
     * Getter for field ring_addr.
     *
     * @param struct a struct io_uring_buf_reg.
     * @return the value.
     */
    public static long ring_addr(final MemorySegment struct)
    {
        return struct.get(ring_addr$LAYOUT, ring_addr$OFFSET);
    }

    /**
     * Setter for field ring_addr.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void ring_addr(final MemorySegment struct, final long fieldValue)
    {
        struct.set(ring_addr$LAYOUT, ring_addr$OFFSET, fieldValue);
    }

    private static final OfInt ring_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_entries"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 ring_entries
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_entries$layout()
    {
        return ring_entries$LAYOUT;
    }

    private static final long ring_entries$OFFSET = 8;

    /**
     * @return offset of field ring_entries.
     */
    public static long ring_entries$offset()
    {
        return ring_entries$OFFSET;
    }

    /**
     * Getter for field ring_entries.
     *
     * @param struct a struct io_uring_buf_reg.
     * @return the value.
     */
    public static int ring_entries(final MemorySegment struct)
    {
        return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET);
    }

    /**
     * Setter for field ring_entries.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void ring_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue);
    }

    private static final OfShort bgid$LAYOUT = (OfShort)$LAYOUT.select(groupElement("bgid"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 bgid
     * }
     *
     * @return the layout.
     */
    public static OfShort bgid$layout()
    {
        return bgid$LAYOUT;
    }

    private static final long bgid$OFFSET = 12;

    /**
     * @return offset of field bgid.
     */
    public static long bgid$offset()
    {
        return bgid$OFFSET;
    }

    /**
     * Getter for field bgid.
     *
     * @param struct a struct io_uring_buf_reg.
     * @return the value.
     */
    public static short bgid(final MemorySegment struct)
    {
        return struct.get(bgid$LAYOUT, bgid$OFFSET);
    }

    /**
     * Setter for field bgid.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void bgid(final MemorySegment struct, final short fieldValue)
    {
        struct.set(bgid$LAYOUT, bgid$OFFSET, fieldValue);
    }

    private static final OfShort pad$LAYOUT = (OfShort)$LAYOUT.select(groupElement("pad"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 pad
     * }
     *
     * @return the layout.
     */
    public static OfShort pad$layout()
    {
        return pad$LAYOUT;
    }

    private static final long pad$OFFSET = 14;

    /**
     * @return offset of field pad.
     */
    public static long pad$offset()
    {
        return pad$OFFSET;
    }

    /**
     * Getter for field pad.
     *
     * @param struct a struct io_uring_buf_reg.
     * @return the value.
     */
    public static short pad(final MemorySegment struct)
    {
        return struct.get(pad$LAYOUT, pad$OFFSET);
    }

    /**
     * Setter for field pad.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void pad(final MemorySegment struct, final short fieldValue)
    {
        struct.set(pad$LAYOUT, pad$OFFSET, fieldValue);
    }

    private static final SequenceLayout resv$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("resv"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 resv[3]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout resv$layout()
    {
        return resv$LAYOUT;
    }

    private static final long resv$OFFSET = 16;

    /**
     * @return offset of field resv.
     */
    public static long resv$offset()
    {
        return resv$OFFSET;
    }

    /**
     * Getter for field resv: a slice of the struct.
     *
     * @param struct a struct io_uring_buf_reg.
     * @return the array's memory.
     */
    public static MemorySegment resv(final MemorySegment struct)
    {
        return struct.asSlice(resv$OFFSET, resv$LAYOUT.byteSize());
    }

    /**
     * Obtains a slice of {@code array} which selects the array element at {@code index}.
     *
     * @param array an array of this struct.
     * @param index element index.
     * @return the element.
     */
    public static MemorySegment asSlice(final MemorySegment array, final long index)
    {
        return array.asSlice(layout().byteSize() * index, layout().byteSize());
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}.
     *
     * @param allocator the allocator.
     * @return zeroed memory for one struct.
     */
    public static MemorySegment allocate(final SegmentAllocator allocator)
    {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     *
     * @param elementCount elements.
     * @param allocator    the allocator.
     * @return zeroed memory for the array.
     */
    public static MemorySegment allocateArray(final long elementCount, final SegmentAllocator allocator)
    {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     *
     * @param addr          address of an array of this struct.
     * @param elementCount  elements.
     * @param arena         scope of the result.
     * @param cleanupAction run when the arena closes, may be null.
     * @return a segment of the array.
     */
    public static MemorySegment reinterpret(
        final MemorySegment addr, final long elementCount, final Arena arena, final Consumer<MemorySegment> cleanupAction)
    {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanupAction);
    }
}
