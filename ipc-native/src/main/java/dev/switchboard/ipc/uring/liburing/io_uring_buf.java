package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One entry of a provided-buffer ring ({@code io_uring_buf_ring}): where a buffer is, how long, and its id (which a
 * completion reports in its upper 16 flag bits).
 * {@snippet lang=c :
 * struct io_uring_buf
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
public final class io_uring_buf
{
    io_uring_buf()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("addr"),
        C_INT.withName("len"),
        C_SHORT.withName("bid"),
        C_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("addr"));

    private static final long addr$OFFSET = 0;

    /**
     * @return offset of field addr.
     */
    public static long addr$offset()
    {
        return addr$OFFSET;
    }

    private static final OfInt len$LAYOUT = (OfInt)$LAYOUT.select(groupElement("len"));

    private static final long len$OFFSET = 8;

    /**
     * @return offset of field len.
     */
    public static long len$offset()
    {
        return len$OFFSET;
    }

    private static final OfShort bid$LAYOUT = (OfShort)$LAYOUT.select(groupElement("bid"));

    private static final long bid$OFFSET = 12;

    /**
     * @return offset of field bid.
     */
    public static long bid$offset()
    {
        return bid$OFFSET;
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }
}
