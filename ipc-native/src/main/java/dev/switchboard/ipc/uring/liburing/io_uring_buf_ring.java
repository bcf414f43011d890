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
 * A provided-buffer ring, shared with the kernel: an array of {@link io_uring_buf} whose first entry's {@code resv}
 * is overlaid by the ring's {@code tail} (the only field the application writes besides the entries; store-release).
 * {@snippet lang=c :
 * struct io_uring_buf_ring
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_buf_ring
{
    io_uring_buf_ring()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.unionLayout(
        MemoryLayout.structLayout(
            C_LONG_LONG.withName("resv1"),
            C_INT.withName("resv2"),
            C_SHORT.withName("resv3"),
            C_SHORT.withName("tail")
        ).withName("$anon$605:3"),
        MemoryLayout.sequenceLayout(0, io_uring_buf.layout()).withName("bufs")
    ).withName("io_uring_buf_ring");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong resv1$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$605:3"), groupElement("resv1"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 resv1
     * }
     *
     * @return the layout.
     */
    public static OfLong resv1$layout()
    {
        return resv1$LAYOUT;
    }

    private static final long resv1$OFFSET = 0;

    /**
     * @return offset of field resv1.
     */
    public static long resv1$offset()
    {
        return resv1$OFFSET;
    }

    /**
     * Getter for field resv1.
     *
     * @param struct a struct io_uring_buf_ring.
     * @return the value.
     */
    public static long resv1(final MemorySegment struct)
    {
        return struct.get(resv1$LAYOUT, resv1$OFFSET);
    }

    /**
     * Setter for field resv1.
     *
     * @param struct     a struct io_uring_buf_ring.
     * @param fieldValue the value.
     */
    public static void resv1(final MemorySegment struct, final long fieldValue)
    {
        struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue);
    }

    private static final OfInt resv2$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$605:3"), groupElement("resv2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 resv2
     * }
     *
     * @return the layout.
     */
    public static OfInt resv2$layout()
    {
        return resv2$LAYOUT;
    }

    private static final long resv2$OFFSET = 8;

    /**
     * @return offset of field resv2.
     */
    public static long resv2$offset()
    {
        return resv2$OFFSET;
    }

    /**
     * Getter for field resv2.
     *
     * @param struct a struct io_uring_buf_ring.
     * @return the value.
     */
    public static int resv2(final MemorySegment struct)
    {
        return struct.get(resv2$LAYOUT, resv2$OFFSET);
    }

    /**
     * Setter for field resv2.
     *
     * @param struct     a struct io_uring_buf_ring.
     * @param fieldValue the value.
     */
    public static void resv2(final MemorySegment struct, final int fieldValue)
    {
        struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue);
    }

    private static final OfShort resv3$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$605:3"), groupElement("resv3"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 resv3
     * }
     *
     * @return the layout.
     */
    public static OfShort resv3$layout()
    {
        return resv3$LAYOUT;
    }

    private static final long resv3$OFFSET = 12;

    /**
     * @return offset of field resv3.
     */
    public static long resv3$offset()
    {
        return resv3$OFFSET;
    }

    /**
     * Getter for field resv3.
     *
     * @param struct a struct io_uring_buf_ring.
     * @return the value.
     */
    public static short resv3(final MemorySegment struct)
    {
        return struct.get(resv3$LAYOUT, resv3$OFFSET);
    }

    /**
     * Setter for field resv3.
     *
     * @param struct     a struct io_uring_buf_ring.
     * @param fieldValue the value.
     */
    public static void resv3(final MemorySegment struct, final short fieldValue)
    {
        struct.set(resv3$LAYOUT, resv3$OFFSET, fieldValue);
    }

    private static final OfShort tail$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$605:3"), groupElement("tail"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 tail
     * }
     *
     * @return the layout.
     */
    public static OfShort tail$layout()
    {
        return tail$LAYOUT;
    }

    private static final long tail$OFFSET = 14;

    /**
     * @return offset of field tail.
     */
    public static long tail$offset()
    {
        return tail$OFFSET;
    }

    /**
     * Getter for field tail.
     *
     * @param struct a struct io_uring_buf_ring.
     * @return the value.
     */
    public static short tail(final MemorySegment struct)
    {
        return struct.get(tail$LAYOUT, tail$OFFSET);
    }

    /**
     * Setter for field tail.
     *
     * @param struct     a struct io_uring_buf_ring.
     * @param fieldValue the value.
     */
    public static void tail(final MemorySegment struct, final short fieldValue)
    {
        struct.set(tail$LAYOUT, tail$OFFSET, fieldValue);
    }

    private static final SequenceLayout bufs$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("bufs"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_uring_buf bufs[0]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout bufs$layout()
    {
        return bufs$LAYOUT;
    }

    private static final long bufs$OFFSET = 0;

    /**
     * @return offset of field bufs.
     */
    public static long bufs$offset()
    {
        return bufs$OFFSET;
    }

    /**
     * Getter for field bufs: a slice of the struct.
     *
     * @param struct a struct io_uring_buf_ring.
     * @return the array's memory.
     */
    public static MemorySegment bufs(final MemorySegment struct)
    {
        return struct.asSlice(bufs$OFFSET, bufs$LAYOUT.byteSize());
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
