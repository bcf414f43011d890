package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A completion queue entry, read in place in the mmap'd CQ ring ({@code big_cqe[]} of
 * {@code IORING_SETUP_CQE32} rings is not used: rings here are set up with 16-byte CQEs).
 * {@snippet lang=c :
 * struct io_uring_cqe
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_cqe
{
    io_uring_cqe()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("user_data"),
        C_INT.withName("res"),
        C_INT.withName("flags")
    ).withName("io_uring_cqe");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong user_data$LAYOUT = (OfLong)$LAYOUT.select(groupElement("user_data"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 user_data
     * }
     *
     * @return the layout.
     */
    public static OfLong user_data$layout()
    {
        return user_data$LAYOUT;
    }

    private static final long user_data$OFFSET = 0;

    /**
     * @return offset of field user_data.
     */
    public static long user_data$offset()
    {
        return user_data$OFFSET;
    }

    /**
     * Getter for field user_data.
     *
     * @param struct a struct io_uring_cqe.
     * @return the value.
     */
    public static long user_data(final MemorySegment struct)
    {
        return struct.get(user_data$LAYOUT, user_data$OFFSET);
    }

    /**
     * Setter for field user_data.
     *
     * @param struct     a struct io_uring_cqe.
     * @param fieldValue the value.
     */
    public static void user_data(final MemorySegment struct, final long fieldValue)
    {
        struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue);
    }

    private static final OfInt res$LAYOUT = (OfInt)$LAYOUT.select(groupElement("res"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __s32 res
     * }
     *
     * @return the layout.
     */
    public static OfInt res$layout()
    {
        return res$LAYOUT;
    }

    private static final long res$OFFSET = 8;

    /**
     * @return offset of field res.
     */
    public static long res$offset()
    {
        return res$OFFSET;
    }

    /**
     * Getter for field res.
     *
     * @param struct a struct io_uring_cqe.
     * @return the value.
     */
    public static int res(final MemorySegment struct)
    {
        return struct.get(res$LAYOUT, res$OFFSET);
    }

    /**
     * Setter for field res.
     *
     * @param struct     a struct io_uring_cqe.
     * @param fieldValue the value.
     */
    public static void res(final MemorySegment struct, final int fieldValue)
    {
        struct.set(res$LAYOUT, res$OFFSET, fieldValue);
    }

    private static final OfInt flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 flags
     * }
     *
     * @return the layout.
     */
    public static OfInt flags$layout()
    {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = 12;

    /**
     * @return offset of field flags.
     */
    public static long flags$offset()
    {
        return flags$OFFSET;
    }

    /**
     * Getter for field flags.
     *
     * @param struct a struct io_uring_cqe.
     * @return the value.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring_cqe.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
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
