package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One entry of a provided-buffer ring ({@code io_uring_buf_ring}): where a buffer is, how long, and its id (which a
 * completion reports in its upper 16 flag bits).
 * {@snippet lang=c :
 * struct io_uring_buf
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_buf
{
    io_uring_buf()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("addr"),
        C_INT.withName("len"),
        C_SHORT.withName("bid"),
        C_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("addr"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 addr
     * }
     *
     * @return the layout.
     */
    public static OfLong addr$layout()
    {
        return addr$LAYOUT;
    }

    private static final long addr$OFFSET = 0;

    /**
     * @return offset of field addr.
     */
    public static long addr$offset()
    {
        return addr$OFFSET;
    }

    /**
     * Getter for field addr.
     *
     * @param struct a struct io_uring_buf.
     * @return the value.
     */
    public static long addr(final MemorySegment struct)
    {
        return struct.get(addr$LAYOUT, addr$OFFSET);
    }

    /**
     * Setter for field addr.
     *
     * @param struct     a struct io_uring_buf.
     * @param fieldValue the value.
     */
    public static void addr(final MemorySegment struct, final long fieldValue)
    {
        struct.set(addr$LAYOUT, addr$OFFSET, fieldValue);
    }

    private static final OfInt len$LAYOUT = (OfInt)$LAYOUT.select(groupElement("len"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 len
     * }
     *
     * @return the layout.
     */
    public static OfInt len$layout()
    {
        return len$LAYOUT;
    }

    private static final long len$OFFSET = 8;

    /**
     * @return offset of field len.
     */
    public static long len$offset()
    {
        return len$OFFSET;
    }

    /**
     * Getter for field len.
     *
     * @param struct a struct io_uring_buf.
     * @return the value.
     */
    public static int len(final MemorySegment struct)
    {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /**
     * Setter for field len.
     *
     * @param struct     a struct io_uring_buf.
     * @param fieldValue the value.
     */
    public static void len(final MemorySegment struct, final int fieldValue)
    {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final OfShort bid$LAYOUT = (OfShort)$LAYOUT.select(groupElement("bid"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 bid
     * }
     *
     * @return the layout.
     */
    public static OfShort bid$layout()
    {
        return bid$LAYOUT;
    }

    private static final long bid$OFFSET = 12;

    /**
     * @return offset of field bid.
     */
    public static long bid$offset()
    {
        return bid$OFFSET;
    }

    /**
     * Getter for field bid.
     *
     * @param struct a struct io_uring_buf.
     * @return the value.
     */
    public static short bid(final MemorySegment struct)
    {
        return struct.get(bid$LAYOUT, bid$OFFSET);
    }

    /**
     * Setter for field bid.
     *
     * @param struct     a struct io_uring_buf.
     * @param fieldValue the value.
     */
    public static void bid(final MemorySegment struct, final short fieldValue)
    {
        struct.set(bid$LAYOUT, bid$OFFSET, fieldValue);
    }

    private static final OfShort resv$LAYOUT = (OfShort)$LAYOUT.select(groupElement("resv"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 resv
     * }
     *
     * @return the layout.
     */
    public static OfShort resv$layout()
    {
        return resv$LAYOUT;
    }

    private static final long resv$OFFSET = 14;

    /**
     * @return offset of field resv.
     */
    public static long resv$offset()
    {
        return resv$OFFSET;
    }

    /**
     * Getter for field resv.
     *
     * @param struct a struct io_uring_buf.
     * @return the value.
     */
    public static short resv(final MemorySegment struct)
    {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /**
     * Setter for field resv.
     *
     * @param struct     a struct io_uring_buf.
     * @param fieldValue the value.
     */
    public static void resv(final MemorySegment struct, final short fieldValue)
    {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
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
