package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;

/**
 * Offsets of the SQ ring's fields inside its mmap, filled by {@code io_uring_setup(2)}.
 * {@snippet lang=c :
 * struct io_sqring_offsets
 * }
 * Only the layout: no field is read here (liburing applies these offsets in {@code io_uring_queue_init_params});
 * the struct is bound as the {@code sq_off} member of {@link io_uring_params}, whose size it is part of. Its size is
 * checked against the C header by {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless. Allocation: none.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
final class io_sqring_offsets
{
    io_sqring_offsets()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("head"),
        C_INT.withName("tail"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        C_INT.withName("flags"),
        C_INT.withName("dropped"),
        C_INT.withName("array"),
        C_INT.withName("resv1"),
        C_LONG_LONG.withName("resv2")
    ).withName("io_sqring_offsets");

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
