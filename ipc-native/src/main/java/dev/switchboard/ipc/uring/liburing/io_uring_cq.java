package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfInt;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * liburing's view of the completion queue (the {@code cq} member of {@link io_uring}): pointers
 * into the mmap'd CQ ring ({@code khead}, {@code ktail}, {@code cqes}...).
 * {@snippet lang=c :
 * struct io_uring_cq
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
public final class io_uring_cq
{
    io_uring_cq()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("khead"),
        C_POINTER.withName("ktail"),
        C_POINTER.withName("kring_mask"),
        C_POINTER.withName("kring_entries"),
        C_POINTER.withName("kflags"),
        C_POINTER.withName("koverflow"),
        C_POINTER.withName("cqes"),
        C_LONG.withName("ring_sz"),
        C_POINTER.withName("ring_ptr"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        MemoryLayout.sequenceLayout(2, C_INT).withName("pad")
    ).withName("io_uring_cq");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final AddressLayout khead$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("khead"));

    private static final long khead$OFFSET = 0;

    /**
     * Getter for field khead.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment khead(final MemorySegment struct)
    {
        return struct.get(khead$LAYOUT, khead$OFFSET);
    }

    private static final AddressLayout ktail$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ktail"));

    private static final long ktail$OFFSET = 8;

    /**
     * Getter for field ktail.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment ktail(final MemorySegment struct)
    {
        return struct.get(ktail$LAYOUT, ktail$OFFSET);
    }

    private static final AddressLayout cqes$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cqes"));

    private static final long cqes$OFFSET = 48;

    /**
     * Getter for field cqes.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment cqes(final MemorySegment struct)
    {
        return struct.get(cqes$LAYOUT, cqes$OFFSET);
    }

    private static final OfInt ring_mask$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_mask"));

    private static final long ring_mask$OFFSET = 72;

    /**
     * Getter for field ring_mask.
     *
     * @param struct a struct io_uring_cq.
     * @return the value.
     */
    public static int ring_mask(final MemorySegment struct)
    {
        return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET);
    }

    private static final OfInt ring_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_entries"));

    private static final long ring_entries$OFFSET = 76;

    /**
     * Getter for field ring_entries.
     *
     * @param struct a struct io_uring_cq.
     * @return the value.
     */
    public static int ring_entries(final MemorySegment struct)
    {
        return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET);
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }
}
