package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfLong;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The 64-bit timespec of io_uring timeouts ({@code io_uring_wait_cqe_timeout}).
 * {@snippet lang=c :
 * struct __kernel_timespec
 * }
 * Layout in the shape jextract generates, holding only what ipc-native and the router use: the complete
 * {@link GroupLayout} (every member, so that the size is the C one), {@code layout()} and {@code sizeof()}, then for
 * each field used its layout and offset constants and the accessors its callers need. The size and every field
 * declared here are checked against the C header by {@code UringLayoutTest} (probe:
 * {@code native/probe/uring_layout.c}).
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

    private static final long tv_sec$OFFSET = 0;

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

    private static final long tv_nsec$OFFSET = 8;

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
}
