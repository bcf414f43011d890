package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

/**
 * Parameters of {@code io_uring_setup(2)}: in (entries, flags) and out (sizes, features, ring offsets).
 * {@snippet lang=c :
 * struct io_uring_params
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_params
{
    io_uring_params()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("sq_entries"),
        C_INT.withName("cq_entries"),
        C_INT.withName("flags"),
        C_INT.withName("sq_thread_cpu"),
        C_INT.withName("sq_thread_idle"),
        C_INT.withName("features"),
        C_INT.withName("wq_fd"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv"),
        io_sqring_offsets.layout().withName("sq_off"),
        io_cqring_offsets.layout().withName("cq_off")
    ).withName("io_uring_params");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfInt sq_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("sq_entries"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 sq_entries
     * }
     *
     * @return the layout.
     */
    public static OfInt sq_entries$layout()
    {
        return sq_entries$LAYOUT;
    }

    private static final long sq_entries$OFFSET = 0;

    /**
     * @return offset of field sq_entries.
     */
    public static long sq_entries$offset()
    {
        return sq_entries$OFFSET;
    }

    /**
     * Getter for field sq_entries.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int sq_entries(final MemorySegment struct)
    {
        return struct.get(sq_entries$LAYOUT, sq_entries$OFFSET);
    }

    /**
     * Setter for field sq_entries.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void sq_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(sq_entries$LAYOUT, sq_entries$OFFSET, fieldValue);
    }

    private static final OfInt cq_entries$LAYOUT = (OfInt)$LAYOUT.select(groupElement("cq_entries"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 cq_entries
     * }
     *
     * @return the layout.
     */
    public static OfInt cq_entries$layout()
    {
        return cq_entries$LAYOUT;
    }

    private static final long cq_entries$OFFSET = 4;

    /**
     * @return offset of field cq_entries.
     */
    public static long cq_entries$offset()
    {
        return cq_entries$OFFSET;
    }

    /**
     * Getter for field cq_entries.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int cq_entries(final MemorySegment struct)
    {
        return struct.get(cq_entries$LAYOUT, cq_entries$OFFSET);
    }

    /**
     * Setter for field cq_entries.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void cq_entries(final MemorySegment struct, final int fieldValue)
    {
        struct.set(cq_entries$LAYOUT, cq_entries$OFFSET, fieldValue);
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

    private static final long flags$OFFSET = 8;

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
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfInt sq_thread_cpu$LAYOUT = (OfInt)$LAYOUT.select(groupElement("sq_thread_cpu"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 sq_thread_cpu
     * }
     *
     * @return the layout.
     */
    public static OfInt sq_thread_cpu$layout()
    {
        return sq_thread_cpu$LAYOUT;
    }

    private static final long sq_thread_cpu$OFFSET = 12;

    /**
     * @return offset of field sq_thread_cpu.
     */
    public static long sq_thread_cpu$offset()
    {
        return sq_thread_cpu$OFFSET;
    }

    /**
     * Getter for field sq_thread_cpu.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int sq_thread_cpu(final MemorySegment struct)
    {
        return struct.get(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET);
    }

    /**
     * Setter for field sq_thread_cpu.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void sq_thread_cpu(final MemorySegment struct, final int fieldValue)
    {
        struct.set(sq_thread_cpu$LAYOUT, sq_thread_cpu$OFFSET, fieldValue);
    }

    private static final OfInt sq_thread_idle$LAYOUT = (OfInt)$LAYOUT.select(groupElement("sq_thread_idle"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 sq_thread_idle
     * }
     *
     * @return the layout.
     */
    public static OfInt sq_thread_idle$layout()
    {
        return sq_thread_idle$LAYOUT;
    }

    private static final long sq_thread_idle$OFFSET = 16;

    /**
     * @return offset of field sq_thread_idle.
     */
    public static long sq_thread_idle$offset()
    {
        return sq_thread_idle$OFFSET;
    }

    /**
     * Getter for field sq_thread_idle.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int sq_thread_idle(final MemorySegment struct)
    {
        return struct.get(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET);
    }

    /**
     * Setter for field sq_thread_idle.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void sq_thread_idle(final MemorySegment struct, final int fieldValue)
    {
        struct.set(sq_thread_idle$LAYOUT, sq_thread_idle$OFFSET, fieldValue);
    }

    private static final OfInt features$LAYOUT = (OfInt)$LAYOUT.select(groupElement("features"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 features
     * }
     *
     * @return the layout.
     */
    public static OfInt features$layout()
    {
        return features$LAYOUT;
    }

    private static final long features$OFFSET = 20;

    /**
     * @return offset of field features.
     */
    public static long features$offset()
    {
        return features$OFFSET;
    }

    /**
     * Getter for field features.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int features(final MemorySegment struct)
    {
        return struct.get(features$LAYOUT, features$OFFSET);
    }

    /**
     * Setter for field features.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void features(final MemorySegment struct, final int fieldValue)
    {
        struct.set(features$LAYOUT, features$OFFSET, fieldValue);
    }

    private static final OfInt wq_fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("wq_fd"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 wq_fd
     * }
     *
     * @return the layout.
     */
    public static OfInt wq_fd$layout()
    {
        return wq_fd$LAYOUT;
    }

    private static final long wq_fd$OFFSET = 24;

    /**
     * @return offset of field wq_fd.
     */
    public static long wq_fd$offset()
    {
        return wq_fd$OFFSET;
    }

    /**
     * Getter for field wq_fd.
     *
     * @param struct a struct io_uring_params.
     * @return the value.
     */
    public static int wq_fd(final MemorySegment struct)
    {
        return struct.get(wq_fd$LAYOUT, wq_fd$OFFSET);
    }

    /**
     * Setter for field wq_fd.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue the value.
     */
    public static void wq_fd(final MemorySegment struct, final int fieldValue)
    {
        struct.set(wq_fd$LAYOUT, wq_fd$OFFSET, fieldValue);
    }

    private static final SequenceLayout resv$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("resv"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 resv[3]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout resv$layout()
    {
        return resv$LAYOUT;
    }

    private static final long resv$OFFSET = 28;

    /**
     * @return offset of field resv.
     */
    public static long resv$offset()
    {
        return resv$OFFSET;
    }

    private static final long[] resv$DIMS = { 3 };

    /**
     * @return dimensions of the array field resv.
     */
    public static long[] resv$dimensions()
    {
        return resv$DIMS.clone();
    }

    private static final VarHandle resv$ELEM_HANDLE = resv$LAYOUT.varHandle(sequenceElement());

    /**
     * Getter for field resv.
     *
     * @param struct a struct io_uring_params.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment resv(final MemorySegment struct)
    {
        return struct.asSlice(resv$OFFSET, resv$LAYOUT.byteSize());
    }

    /**
     * Setter for field resv.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue copied into the field.
     */
    public static void resv(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, resv$OFFSET, resv$LAYOUT.byteSize());
    }

    /**
     * Indexed getter for field resv.
     *
     * @param struct a struct io_uring_params.
     * @param index0 element index.
     * @return the element.
     */
    public static int resv(final MemorySegment struct, final long index0)
    {
        return (int)resv$ELEM_HANDLE.get(resv(struct), 0L, index0);
    }

    /**
     * Indexed setter for field resv.
     *
     * @param struct     a struct io_uring_params.
     * @param index0     element index.
     * @param fieldValue the element.
     */
    public static void resv(final MemorySegment struct, final long index0, final int fieldValue)
    {
        resv$ELEM_HANDLE.set(resv(struct), 0L, index0, fieldValue);
    }

    private static final GroupLayout sq_off$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("sq_off"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_sqring_offsets sq_off
     * }
     *
     * @return the layout.
     */
    public static GroupLayout sq_off$layout()
    {
        return sq_off$LAYOUT;
    }

    private static final long sq_off$OFFSET = 40;

    /**
     * @return offset of field sq_off.
     */
    public static long sq_off$offset()
    {
        return sq_off$OFFSET;
    }

    /**
     * Getter for field sq_off.
     *
     * @param struct a struct io_uring_params.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment sq_off(final MemorySegment struct)
    {
        return struct.asSlice(sq_off$OFFSET, sq_off$LAYOUT.byteSize());
    }

    /**
     * Setter for field sq_off.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue copied into the field.
     */
    public static void sq_off(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, sq_off$OFFSET, sq_off$LAYOUT.byteSize());
    }

    private static final GroupLayout cq_off$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("cq_off"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_cqring_offsets cq_off
     * }
     *
     * @return the layout.
     */
    public static GroupLayout cq_off$layout()
    {
        return cq_off$LAYOUT;
    }

    private static final long cq_off$OFFSET = 80;

    /**
     * @return offset of field cq_off.
     */
    public static long cq_off$offset()
    {
        return cq_off$OFFSET;
    }

    /**
     * Getter for field cq_off.
     *
     * @param struct a struct io_uring_params.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment cq_off(final MemorySegment struct)
    {
        return struct.asSlice(cq_off$OFFSET, cq_off$LAYOUT.byteSize());
    }

    /**
     * Setter for field cq_off.
     *
     * @param struct     a struct io_uring_params.
     * @param fieldValue copied into the field.
     */
    public static void cq_off(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, cq_off$OFFSET, cq_off$LAYOUT.byteSize());
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
