package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfShort;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One opcode of an {@link io_uring_probe}: {@code flags} has {@code IO_URING_OP_SUPPORTED} when the kernel runs it.
 * {@snippet lang=c :
 * struct io_uring_probe_op
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
public final class io_uring_probe_op
{
    io_uring_probe_op()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("op"),
        C_CHAR.withName("resv"),
        C_SHORT.withName("flags"),
        C_INT.withName("resv2")
    ).withName("io_uring_probe_op");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfShort flags$LAYOUT = (OfShort)$LAYOUT.select(groupElement("flags"));

    private static final long flags$OFFSET = 2;

    /**
     * Getter for field flags.
     *
     * @param struct a struct io_uring_probe_op.
     * @return the value.
     */
    public static short flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
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
}
