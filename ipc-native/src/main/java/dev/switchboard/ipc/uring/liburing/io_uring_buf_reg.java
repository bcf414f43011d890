package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The argument of {@code IORING_REGISTER_PBUF_RING} ({@code io_uring_register_buf_ring}): the ring's address, its
 * entries (a power of two) and its buffer group id.
 * {@snippet lang=c :
 * struct io_uring_buf_reg
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
public final class io_uring_buf_reg
{
    io_uring_buf_reg()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("ring_addr"),
        C_INT.withName("ring_entries"),
        C_SHORT.withName("bgid"),
        C_SHORT.withName("pad"),
        MemoryLayout.sequenceLayout(3, C_LONG_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfLong ring_addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("ring_addr"));

    private static final long ring_addr$OFFSET = 0;

    /**
     * Setter for field ring_addr.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void ring_addr(final MemorySegment struct, final long fieldValue)
    {
        struct.set(ring_addr$LAYOUT, ring_addr$OFFSET, fieldValue);
    }

    private static final OfInt ring_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_entries"));

    private static final long ring_entries$OFFSET = 8;

    /**
     * Setter for field ring_entries.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void ring_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue);
    }

    private static final OfShort bgid$LAYOUT = (OfShort)$LAYOUT.select(groupElement("bgid"));

    private static final long bgid$OFFSET = 12;

    /**
     * Setter for field bgid.
     *
     * @param struct     a struct io_uring_buf_reg.
     * @param fieldValue the value.
     */
    public static void bgid(final MemorySegment struct, final short fieldValue)
    {
        struct.set(bgid$LAYOUT, bgid$OFFSET, fieldValue);
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
