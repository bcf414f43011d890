package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout.OfShort;

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
 * Layout in the shape jextract generates, holding only what ipc-native and the router use: the complete
 * {@link GroupLayout} (every member, so that the size is the C one), {@code layout()} and {@code sizeof()}, then for
 * each field used its layout and offset constants and the accessors its callers need. The size and every field
 * declared here are checked against the C header by {@code UringLayoutTest} (probe:
 * {@code native/probe/uring_layout.c}).
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

    private static final OfShort tail$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$605:3"), groupElement("tail"));

    private static final long tail$OFFSET = 14;

    /**
     * @return offset of field tail.
     */
    public static long tail$offset()
    {
        return tail$OFFSET;
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }
}
