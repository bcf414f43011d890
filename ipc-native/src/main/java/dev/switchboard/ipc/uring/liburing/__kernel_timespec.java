package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfLong;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The 64-bit timespec of io_uring timeouts ({@code io_uring_wait_cqe_timeout}).
 * {@snippet lang=c :
 * struct __kernel_timespec
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class __kernel_timespec
{
    __kernel_timespec()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("tv_sec"),
        C_LONG_LONG.withName("tv_nsec")
    ).withName("__kernel_timespec");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong tv_sec$LAYOUT = (OfLong)$LAYOUT.select(groupElement("tv_sec"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * long long tv_sec
     * }
     *
     * @return the layout.
     */
    public static OfLong tv_sec$layout()
    {
        return tv_sec$LAYOUT;
    }

    private static final long tv_sec$OFFSET = 0;

    /**
     * @return offset of field tv_sec.
     */
    public static long tv_sec$offset()
    {
        return tv_sec$OFFSET;
    }

    /**
     * Getter for field tv_sec.
     *
     * @param struct a struct __kernel_timespec.
     * @return the value.
     */
    public static long tv_sec(final MemorySegment struct)
    {
        return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET);
    }

    /**
     * Setter for field tv_sec.
     *
     * @param struct     a struct __kernel_timespec.
     * @param fieldValue the value.
     */
    public static void tv_sec(final MemorySegment struct, final long fieldValue)
    {
        struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue);
    }

    private static final OfLong tv_nsec$LAYOUT = (OfLong)$LAYOUT.select(groupElement("tv_nsec"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * long long tv_nsec
     * }
     *
     * @return the layout.
     */
    public static OfLong tv_nsec$layout()
    {
        return tv_nsec$LAYOUT;
    }

    private static final long tv_nsec$OFFSET = 8;

    /**
     * @return offset of field tv_nsec.
     */
    public static long tv_nsec$offset()
    {
        return tv_nsec$OFFSET;
    }

    /**
     * Getter for field tv_nsec.
     *
     * @param struct a struct __kernel_timespec.
     * @return the value.
     */
    public static long tv_nsec(final MemorySegment struct)
    {
        return struct.get(tv_nsec$LAYOUT, tv_nsec$OFFSET);
    }

    /**
     * Setter for field tv_nsec.
     *
     * @param struct     a struct __kernel_timespec.
     * @param fieldValue the value.
     */
    public static void tv_nsec(final MemorySegment struct, final long fieldValue)
    {
        struct.set(tv_nsec$LAYOUT, tv_nsec$OFFSET, fieldValue);
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
        return array.asSlice(layout().byteSize() * index);
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
     * @param addr          address of one struct.
     * @param arena         scope of the result.
     * @param cleanupAction run when the arena closes, may be null.
     * @return a segment of one struct.
     */
    public static MemorySegment reinterpret(
        final MemorySegment addr, final Arena arena, final Consumer<MemorySegment> cleanupAction)
    {
        return reinterpret(addr, 1, arena, cleanupAction);
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
