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
 * liburing's view of the submission queue (the {@code sq} member of {@link io_uring}): pointers
 * into the mmap'd SQ ring ({@code khead}, {@code ktail}, {@code array}...), the SQE array, and liburing's own
 * {@code sqe_head}/{@code sqe_tail} (SQEs handed out but not yet published to the kernel).
 * {@snippet lang=c :
 * struct io_uring_sq
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
public final class io_uring_sq
{
    io_uring_sq()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("khead"),
        C_POINTER.withName("ktail"),
        C_POINTER.withName("kring_mask"),
        C_POINTER.withName("kring_entries"),
        C_POINTER.withName("kflags"),
        C_POINTER.withName("kdropped"),
        C_POINTER.withName("array"),
        C_POINTER.withName("sqes"),
        C_INT.withName("sqe_head"),
        C_INT.withName("sqe_tail"),
        C_LONG.withName("ring_sz"),
        C_POINTER.withName("ring_ptr"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        MemoryLayout.sequenceLayout(2, C_INT).withName("pad")
    ).withName("io_uring_sq");

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
     * @param struct a struct io_uring_sq.
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
     * @param struct a struct io_uring_sq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment ktail(final MemorySegment struct)
    {
        return struct.get(ktail$LAYOUT, ktail$OFFSET);
    }

    private static final AddressLayout kflags$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("kflags"));

    private static final long kflags$OFFSET = 32;

    /**
     * Getter for field kflags.
     *
     * @param struct a struct io_uring_sq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment kflags(final MemorySegment struct)
    {
        return struct.get(kflags$LAYOUT, kflags$OFFSET);
    }

    private static final AddressLayout array$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("array"));

    private static final long array$OFFSET = 48;

    /**
     * Getter for field array.
     *
     * @param struct a struct io_uring_sq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment array(final MemorySegment struct)
    {
        return struct.get(array$LAYOUT, array$OFFSET);
    }

    private static final AddressLayout sqes$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("sqes"));

    private static final long sqes$OFFSET = 56;

    /**
     * Getter for field sqes.
     *
     * @param struct a struct io_uring_sq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment sqes(final MemorySegment struct)
    {
        return struct.get(sqes$LAYOUT, sqes$OFFSET);
    }

    private static final OfInt sqe_head$LAYOUT = (OfInt)$LAYOUT.select(groupElement("sqe_head"));

    private static final long sqe_head$OFFSET = 64;

    /**
     * Getter for field sqe_head.
     *
     * @param struct a struct io_uring_sq.
     * @return the value.
     */
    public static int sqe_head(final MemorySegment struct)
    {
        return struct.get(sqe_head$LAYOUT, sqe_head$OFFSET);
    }

    /**
     * Setter for field sqe_head.
     *
     * @param struct     a struct io_uring_sq.
     * @param fieldValue the value.
     */
    public static void sqe_head(final MemorySegment struct, final int fieldValue)
    {
        struct.set(sqe_head$LAYOUT, sqe_head$OFFSET, fieldValue);
    }

    private static final OfInt sqe_tail$LAYOUT = (OfInt)$LAYOUT.select(groupElement("sqe_tail"));

    private static final long sqe_tail$OFFSET = 68;

    /**
     * Getter for field sqe_tail.
     *
     * @param struct a struct io_uring_sq.
     * @return the value.
     */
    public static int sqe_tail(final MemorySegment struct)
    {
        return struct.get(sqe_tail$LAYOUT, sqe_tail$OFFSET);
    }

    /**
     * Setter for field sqe_tail.
     *
     * @param struct     a struct io_uring_sq.
     * @param fieldValue the value.
     */
    public static void sqe_tail(final MemorySegment struct, final int fieldValue)
    {
        struct.set(sqe_tail$LAYOUT, sqe_tail$OFFSET, fieldValue);
    }

    private static final OfInt ring_mask$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_mask"));

    private static final long ring_mask$OFFSET = 88;

    /**
     * Getter for field ring_mask.
     *
     * @param struct a struct io_uring_sq.
     * @return the value.
     */
    public static int ring_mask(final MemorySegment struct)
    {
        return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET);
    }

    private static final OfInt ring_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_entries"));

    private static final long ring_entries$OFFSET = 92;

    /**
     * Getter for field ring_entries.
     *
     * @param struct a struct io_uring_sq.
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
