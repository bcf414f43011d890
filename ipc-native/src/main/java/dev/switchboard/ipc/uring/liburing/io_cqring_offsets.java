package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

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

    private static final OfInt head$LAYOUT = (OfInt)$LAYOUT.select(groupElement("head"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 head
     * }
     *
     * @return the layout.
     */
    public static OfInt head$layout()
    {
        return head$LAYOUT;
    }

    private static final long head$OFFSET = 0;

    /**
     * @return offset of field head.
     */
    public static long head$offset()
    {
        return head$OFFSET;
    }

    /**
     * Getter for field head.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int head(final MemorySegment struct)
    {
        return struct.get(head$LAYOUT, head$OFFSET);
    }

    /**
     * Setter for field head.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void head(final MemorySegment struct, final int fieldValue)
    {
        struct.set(head$LAYOUT, head$OFFSET, fieldValue);
    }

    private static final OfInt tail$LAYOUT = (OfInt)$LAYOUT.select(groupElement("tail"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 tail
     * }
     *
     * @return the layout.
     */
    public static OfInt tail$layout()
    {
        return tail$LAYOUT;
    }

    private static final long tail$OFFSET = 4;

    /**
     * @return offset of field tail.
     */
    public static long tail$offset()
    {
        return tail$OFFSET;
    }

    /**
     * Getter for field tail.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int tail(final MemorySegment struct)
    {
        return struct.get(tail$LAYOUT, tail$OFFSET);
    }

    /**
     * Setter for field tail.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void tail(final MemorySegment struct, final int fieldValue)
    {
        struct.set(tail$LAYOUT, tail$OFFSET, fieldValue);
    }

    private static final OfInt ring_mask$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_mask"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 ring_mask
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_mask$layout()
    {
        return ring_mask$LAYOUT;
    }

    private static final long ring_mask$OFFSET = 8;

    /**
     * @return offset of field ring_mask.
     */
    public static long ring_mask$offset()
    {
        return ring_mask$OFFSET;
    }

    /**
     * Getter for field ring_mask.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int ring_mask(final MemorySegment struct)
    {
        return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET);
    }

    /**
     * Setter for field ring_mask.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void ring_mask(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_mask$LAYOUT, ring_mask$OFFSET, fieldValue);
    }

    private static final OfInt ring_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_entries"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 ring_entries
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_entries$layout()
    {
        return ring_entries$LAYOUT;
    }

    private static final long ring_entries$OFFSET = 12;

    /**
     * @return offset of field ring_entries.
     */
    public static long ring_entries$offset()
    {
        return ring_entries$OFFSET;
    }

    /**
     * Getter for field ring_entries.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int ring_entries(final MemorySegment struct)
    {
        return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET);
    }

    /**
     * Setter for field ring_entries.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void ring_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue);
    }

    private static final OfInt overflow$LAYOUT = (OfInt)$LAYOUT.select(groupElement("overflow"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 overflow
     * }
     *
     * @return the layout.
     */
    public static OfInt overflow$layout()
    {
        return overflow$LAYOUT;
    }

    private static final long overflow$OFFSET = 16;

    /**
     * @return offset of field overflow.
     */
    public static long overflow$offset()
    {
        return overflow$OFFSET;
    }

    /**
     * Getter for field overflow.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int overflow(final MemorySegment struct)
    {
        return struct.get(overflow$LAYOUT, overflow$OFFSET);
    }

    /**
     * Setter for field overflow.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void overflow(final MemorySegment struct, final int fieldValue)
    {
        struct.set(overflow$LAYOUT, overflow$OFFSET, fieldValue);
    }

    private static final OfInt cqes$LAYOUT = (OfInt)$LAYOUT.select(groupElement("cqes"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 cqes
     * }
     *
     * @return the layout.
     */
    public static OfInt cqes$layout()
    {
        return cqes$LAYOUT;
    }

    private static final long cqes$OFFSET = 20;

    /**
     * @return offset of field cqes.
     */
    public static long cqes$offset()
    {
        return cqes$OFFSET;
    }

    /**
     * Getter for field cqes.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int cqes(final MemorySegment struct)
    {
        return struct.get(cqes$LAYOUT, cqes$OFFSET);
    }

    /**
     * Setter for field cqes.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void cqes(final MemorySegment struct, final int fieldValue)
    {
        struct.set(cqes$LAYOUT, cqes$OFFSET, fieldValue);
    }

    private static final OfInt flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 flags
     * }
     *
     * @return the layout.
     */
    public static OfInt flags$layout()
    {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = 24;

    /**
     * @return offset of field flags.
     */
    public static long flags$offset()
    {
        return flags$OFFSET;
    }

    /**
     * Getter for field flags.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfInt resv1$LAYOUT = (OfInt)$LAYOUT.select(groupElement("resv1"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 resv1
     * }
     *
     * @return the layout.
     */
    public static OfInt resv1$layout()
    {
        return resv1$LAYOUT;
    }

    private static final long resv1$OFFSET = 28;

    /**
     * @return offset of field resv1.
     */
    public static long resv1$offset()
    {
        return resv1$OFFSET;
    }

    /**
     * Getter for field resv1.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static int resv1(final MemorySegment struct)
    {
        return struct.get(resv1$LAYOUT, resv1$OFFSET);
    }

    /**
     * Setter for field resv1.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void resv1(final MemorySegment struct, final int fieldValue)
    {
        struct.set(resv1$LAYOUT, resv1$OFFSET, fieldValue);
    }

    private static final OfLong resv2$LAYOUT = (OfLong)$LAYOUT.select(groupElement("resv2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 resv2
     * }
     *
     * @return the layout.
     */
    public static OfLong resv2$layout()
    {
        return resv2$LAYOUT;
    }

    private static final long resv2$OFFSET = 32;

    /**
     * @return offset of field resv2.
     */
    public static long resv2$offset()
    {
        return resv2$OFFSET;
    }

    /**
     * Getter for field resv2.
     *
     * @param struct a struct io_cqring_offsets.
     * @return the value.
     */
    public static long resv2(final MemorySegment struct)
    {
        return struct.get(resv2$LAYOUT, resv2$OFFSET);
    }

    /**
     * Setter for field resv2.
     *
     * @param struct     a struct io_cqring_offsets.
     * @param fieldValue the value.
     */
    public static void resv2(final MemorySegment struct, final long fieldValue)
    {
        struct.set(resv2$LAYOUT, resv2$OFFSET, fieldValue);
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
        return array.asSlice(layout().byteSize() * index);
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

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     *
     * @param elementCount elements.
     * @param allocator    the allocator.
     * @return zeroed memory for the array.
     */
    public static MemorySegment allocateArray(final long elementCount, final SegmentAllocator allocator)
    {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     *
     * @param addr          address of one struct.
     * @param arena         scope of the result.
     * @param cleanupAction run when the arena closes, may be null.
     * @return a segment of one struct.
     */
    public static MemorySegment reinterpret(
        final MemorySegment addr, final Arena arena, final Consumer<MemorySegment> cleanupAction)
    {
        return reinterpret(addr, 1, arena, cleanupAction);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     *
     * @param addr          address of an array of this struct.
     * @param elementCount  elements.
     * @param arena         scope of the result.
     * @param cleanupAction run when the arena closes, may be null.
     * @return a segment of the array.
     */
    public static MemorySegment reinterpret(
        final MemorySegment addr, final long elementCount, final Arena arena, final Consumer<MemorySegment> cleanupAction)
    {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanupAction);
    }
}
