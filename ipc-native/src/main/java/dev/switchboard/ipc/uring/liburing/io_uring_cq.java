package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_POINTER;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

/**
 * liburing's view of the completion queue (the {@code cq} member of {@link io_uring}): pointers
 * into the mmap'd CQ ring ({@code khead}, {@code ktail}, {@code cqes}...).
 * {@snippet lang=c :
 * struct io_uring_cq
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
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

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * khead
     * }
     *
     * @return the layout.
     */
    public static AddressLayout khead$layout()
    {
        return khead$LAYOUT;
    }

    private static final long khead$OFFSET = 0;

    /**
     * @return offset of field khead.
     */
    public static long khead$offset()
    {
        return khead$OFFSET;
    }

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

    /**
     * Setter for field khead.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void khead(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(khead$LAYOUT, khead$OFFSET, fieldValue);
    }

    private static final AddressLayout ktail$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ktail"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * ktail
     * }
     *
     * @return the layout.
     */
    public static AddressLayout ktail$layout()
    {
        return ktail$LAYOUT;
    }

    private static final long ktail$OFFSET = 8;

    /**
     * @return offset of field ktail.
     */
    public static long ktail$offset()
    {
        return ktail$OFFSET;
    }

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

    /**
     * Setter for field ktail.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void ktail(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(ktail$LAYOUT, ktail$OFFSET, fieldValue);
    }

    private static final AddressLayout kring_mask$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("kring_mask"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * kring_mask
     * }
     *
     * @return the layout.
     */
    public static AddressLayout kring_mask$layout()
    {
        return kring_mask$LAYOUT;
    }

    private static final long kring_mask$OFFSET = 16;

    /**
     * @return offset of field kring_mask.
     */
    public static long kring_mask$offset()
    {
        return kring_mask$OFFSET;
    }

    /**
     * Getter for field kring_mask.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment kring_mask(final MemorySegment struct)
    {
        return struct.get(kring_mask$LAYOUT, kring_mask$OFFSET);
    }

    /**
     * Setter for field kring_mask.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void kring_mask(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(kring_mask$LAYOUT, kring_mask$OFFSET, fieldValue);
    }

    private static final AddressLayout kring_entries$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("kring_entries"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * kring_entries
     * }
     *
     * @return the layout.
     */
    public static AddressLayout kring_entries$layout()
    {
        return kring_entries$LAYOUT;
    }

    private static final long kring_entries$OFFSET = 24;

    /**
     * @return offset of field kring_entries.
     */
    public static long kring_entries$offset()
    {
        return kring_entries$OFFSET;
    }

    /**
     * Getter for field kring_entries.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment kring_entries(final MemorySegment struct)
    {
        return struct.get(kring_entries$LAYOUT, kring_entries$OFFSET);
    }

    /**
     * Setter for field kring_entries.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void kring_entries(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(kring_entries$LAYOUT, kring_entries$OFFSET, fieldValue);
    }

    private static final AddressLayout kflags$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("kflags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * kflags
     * }
     *
     * @return the layout.
     */
    public static AddressLayout kflags$layout()
    {
        return kflags$LAYOUT;
    }

    private static final long kflags$OFFSET = 32;

    /**
     * @return offset of field kflags.
     */
    public static long kflags$offset()
    {
        return kflags$OFFSET;
    }

    /**
     * Getter for field kflags.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment kflags(final MemorySegment struct)
    {
        return struct.get(kflags$LAYOUT, kflags$OFFSET);
    }

    /**
     * Setter for field kflags.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void kflags(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(kflags$LAYOUT, kflags$OFFSET, fieldValue);
    }

    private static final AddressLayout koverflow$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("koverflow"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned * koverflow
     * }
     *
     * @return the layout.
     */
    public static AddressLayout koverflow$layout()
    {
        return koverflow$LAYOUT;
    }

    private static final long koverflow$OFFSET = 40;

    /**
     * @return offset of field koverflow.
     */
    public static long koverflow$offset()
    {
        return koverflow$OFFSET;
    }

    /**
     * Getter for field koverflow.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment koverflow(final MemorySegment struct)
    {
        return struct.get(koverflow$LAYOUT, koverflow$OFFSET);
    }

    /**
     * Setter for field koverflow.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void koverflow(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(koverflow$LAYOUT, koverflow$OFFSET, fieldValue);
    }

    private static final AddressLayout cqes$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("cqes"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_uring_cqe * cqes
     * }
     *
     * @return the layout.
     */
    public static AddressLayout cqes$layout()
    {
        return cqes$LAYOUT;
    }

    private static final long cqes$OFFSET = 48;

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
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment cqes(final MemorySegment struct)
    {
        return struct.get(cqes$LAYOUT, cqes$OFFSET);
    }

    /**
     * Setter for field cqes.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void cqes(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(cqes$LAYOUT, cqes$OFFSET, fieldValue);
    }

    private static final OfLong ring_sz$LAYOUT = (OfLong)$LAYOUT.select(groupElement("ring_sz"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * size_t ring_sz
     * }
     *
     * @return the layout.
     */
    public static OfLong ring_sz$layout()
    {
        return ring_sz$LAYOUT;
    }

    private static final long ring_sz$OFFSET = 56;

    /**
     * @return offset of field ring_sz.
     */
    public static long ring_sz$offset()
    {
        return ring_sz$OFFSET;
    }

    /**
     * Getter for field ring_sz.
     *
     * @param struct a struct io_uring_cq.
     * @return the value.
     */
    public static long ring_sz(final MemorySegment struct)
    {
        return struct.get(ring_sz$LAYOUT, ring_sz$OFFSET);
    }

    /**
     * Setter for field ring_sz.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the value.
     */
    public static void ring_sz(final MemorySegment struct, final long fieldValue)
    {
        struct.set(ring_sz$LAYOUT, ring_sz$OFFSET, fieldValue);
    }

    private static final AddressLayout ring_ptr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("ring_ptr"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * void * ring_ptr
     * }
     *
     * @return the layout.
     */
    public static AddressLayout ring_ptr$layout()
    {
        return ring_ptr$LAYOUT;
    }

    private static final long ring_ptr$OFFSET = 64;

    /**
     * @return offset of field ring_ptr.
     */
    public static long ring_ptr$offset()
    {
        return ring_ptr$OFFSET;
    }

    /**
     * Getter for field ring_ptr.
     *
     * @param struct a struct io_uring_cq.
     * @return the pointer (a zero-length-checked segment of unbounded size: reinterpret before use).
     */
    public static MemorySegment ring_ptr(final MemorySegment struct)
    {
        return struct.get(ring_ptr$LAYOUT, ring_ptr$OFFSET);
    }

    /**
     * Setter for field ring_ptr.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the pointer.
     */
    public static void ring_ptr(final MemorySegment struct, final MemorySegment fieldValue)
    {
        struct.set(ring_ptr$LAYOUT, ring_ptr$OFFSET, fieldValue);
    }

    private static final OfInt ring_mask$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_mask"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned ring_mask
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_mask$layout()
    {
        return ring_mask$LAYOUT;
    }

    private static final long ring_mask$OFFSET = 72;

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
     * @param struct a struct io_uring_cq.
     * @return the value.
     */
    public static int ring_mask(final MemorySegment struct)
    {
        return struct.get(ring_mask$LAYOUT, ring_mask$OFFSET);
    }

    /**
     * Setter for field ring_mask.
     *
     * @param struct     a struct io_uring_cq.
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
     * unsigned ring_entries
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_entries$layout()
    {
        return ring_entries$LAYOUT;
    }

    private static final long ring_entries$OFFSET = 76;

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
     * @param struct a struct io_uring_cq.
     * @return the value.
     */
    public static int ring_entries(final MemorySegment struct)
    {
        return struct.get(ring_entries$LAYOUT, ring_entries$OFFSET);
    }

    /**
     * Setter for field ring_entries.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue the value.
     */
    public static void ring_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_entries$LAYOUT, ring_entries$OFFSET, fieldValue);
    }

    private static final SequenceLayout pad$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("pad"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned pad[2]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout pad$layout()
    {
        return pad$LAYOUT;
    }

    private static final long pad$OFFSET = 80;

    /**
     * @return offset of field pad.
     */
    public static long pad$offset()
    {
        return pad$OFFSET;
    }

    private static final long[] pad$DIMS = { 2 };

    /**
     * @return dimensions of the array field pad.
     */
    public static long[] pad$dimensions()
    {
        return pad$DIMS.clone();
    }

    private static final VarHandle pad$ELEM_HANDLE = pad$LAYOUT.varHandle(sequenceElement());

    /**
     * Getter for field pad.
     *
     * @param struct a struct io_uring_cq.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment pad(final MemorySegment struct)
    {
        return struct.asSlice(pad$OFFSET, pad$LAYOUT.byteSize());
    }

    /**
     * Setter for field pad.
     *
     * @param struct     a struct io_uring_cq.
     * @param fieldValue copied into the field.
     */
    public static void pad(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, pad$OFFSET, pad$LAYOUT.byteSize());
    }

    /**
     * Indexed getter for field pad.
     *
     * @param struct a struct io_uring_cq.
     * @param index0 element index.
     * @return the element.
     */
    public static int pad(final MemorySegment struct, final long index0)
    {
        return (int)pad$ELEM_HANDLE.get(pad(struct), 0L, index0);
    }

    /**
     * Indexed setter for field pad.
     *
     * @param struct     a struct io_uring_cq.
     * @param index0     element index.
     * @param fieldValue the element.
     */
    public static void pad(final MemorySegment struct, final long index0, final int fieldValue)
    {
        pad$ELEM_HANDLE.set(pad(struct), 0L, index0, fieldValue);
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
