package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One io_uring instance as liburing keeps it: the SQ and CQ views, setup flags, ring fd and features.
 * {@snippet lang=c :
 * struct io_uring
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
public final class io_uring
{
    io_uring()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        io_uring_sq.layout().withName("sq"),
        io_uring_cq.layout().withName("cq"),
        C_INT.withName("flags"),
        C_INT.withName("ring_fd"),
        C_INT.withName("features"),
        C_INT.withName("enter_ring_fd"),
        C_CHAR.withName("int_flags"),
        MemoryLayout.sequenceLayout(3, C_CHAR).withName("pad"),
        C_INT.withName("pad2")
    ).withName("io_uring");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final GroupLayout sq$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("sq"));

    private static final long sq$OFFSET = 0;

    /**
     * Getter for field sq.
     *
     * @param struct a struct io_uring.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment sq(final MemorySegment struct)
    {
        return struct.asSlice(sq$OFFSET, sq$LAYOUT.byteSize());
    }

    private static final GroupLayout cq$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("cq"));

    private static final long cq$OFFSET = 104;

    /**
     * Getter for field cq.
     *
     * @param struct a struct io_uring.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment cq(final MemorySegment struct)
    {
        return struct.asSlice(cq$OFFSET, cq$LAYOUT.byteSize());
    }

    private static final OfInt flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("flags"));

    private static final long flags$OFFSET = 192;

    /**
     * Getter for field flags.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    private static final OfInt ring_fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_fd"));

    private static final long ring_fd$OFFSET = 196;

    /**
     * Getter for field ring_fd.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int ring_fd(final MemorySegment struct)
    {
        return struct.get(ring_fd$LAYOUT, ring_fd$OFFSET);
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
