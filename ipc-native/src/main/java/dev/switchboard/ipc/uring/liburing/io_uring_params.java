package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Parameters of {@code io_uring_setup(2)}: in (entries, flags) and out (sizes, features, ring offsets).
 * {@snippet lang=c :
 * struct io_uring_params
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
public final class io_uring_params
{
    io_uring_params()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("sq_entries"),
        C_INT.withName("cq_entries"),
        C_INT.withName("flags"),
        C_INT.withName("sq_thread_cpu"),
        C_INT.withName("sq_thread_idle"),
        C_INT.withName("features"),
        C_INT.withName("wq_fd"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv"),
        io_sqring_offsets.layout().withName("sq_off"),
        io_cqring_offsets.layout().withName("cq_off")
    ).withName("io_uring_params");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfInt cq_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("cq_entries"));

    private static final long cq_entries$OFFSET = 4;

    /**
     * Setter for field cq_entries.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void cq_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(cq_entries$LAYOUT, cq_entries$OFFSET, fieldValue);
    }

    private static final OfInt flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("flags"));

    private static final long flags$OFFSET = 8;

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfInt features$LAYOUT = (OfInt)$LAYOUT.select(groupElement("features"));

    private static final long features$OFFSET = 20;

    /**
     * Getter for field features.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int features(final MemorySegment struct)
    {
        return struct.get(features$LAYOUT, features$OFFSET);
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
