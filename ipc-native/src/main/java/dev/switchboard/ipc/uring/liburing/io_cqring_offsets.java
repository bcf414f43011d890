package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;

/**
 * Offsets of the CQ ring's fields inside its mmap, filled by {@code io_uring_setup(2)}.
 * {@snippet lang=c :
 * struct io_cqring_offsets
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_cqring_offsets
{
    io_cqring_offsets()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("head"),
        C_INT.withName("tail"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        C_INT.withName("overflow"),
        C_INT.withName("cqes"),
        C_INT.withName("flags"),
        C_INT.withName("resv1"),
        C_LONG_LONG.withName("resv2")
    ).withName("io_cqring_offsets");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }
}
