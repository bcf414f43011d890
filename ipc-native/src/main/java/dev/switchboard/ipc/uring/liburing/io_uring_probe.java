package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfShort;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * What {@code io_uring_get_probe_ring} returns (malloc'd by liburing, freed with {@code io_uring_free_probe}): the
 * last opcode the kernel knows and {@code ops_len} {@link io_uring_probe_op}s after the header.
 * {@snippet lang=c :
 * struct io_uring_probe
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring_probe
{
    io_uring_probe()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("last_op"),
        C_CHAR.withName("ops_len"),
        C_SHORT.withName("resv"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv2"),
        MemoryLayout.sequenceLayout(0, io_uring_probe_op.layout()).withName("ops")
    ).withName("io_uring_probe");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfByte last_op$LAYOUT = (OfByte)$LAYOUT.select(groupElement("last_op"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 last_op
     * }
     *
     * @return the layout.
     */
    public static OfByte last_op$layout()
    {
        return last_op$LAYOUT;
    }

    private static final long last_op$OFFSET = 0;

    /**
     * @return offset of field last_op.
     */
    public static long last_op$offset()
    {
        return last_op$OFFSET;
    }

    /**
     * Getter for field last_op.
     *
     * @param struct a struct io_uring_probe.
     * @return the value.
     */
    public static byte last_op(final MemorySegment struct)
    {
        return struct.get(last_op$LAYOUT, last_op$OFFSET);
    }

    /**
     * Setter for field last_op.
     *
     * @param struct     a struct io_uring_probe.
     * @param fieldValue the value.
     */
    public static void last_op(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(last_op$LAYOUT, last_op$OFFSET, fieldValue);
    }

    private static final OfByte ops_len$LAYOUT = (OfByte)$LAYOUT.select(groupElement("ops_len"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 ops_len
     * }
     *
     * @return the layout.
     */
    public static OfByte ops_len$layout()
    {
        return ops_len$LAYOUT;
    }

    private static final long ops_len$OFFSET = 1;

    /**
     * @return offset of field ops_len.
     */
    public static long ops_len$offset()
    {
        return ops_len$OFFSET;
    }

    /**
     * Getter for field ops_len.
     *
     * @param struct a struct io_uring_probe.
     * @return the value.
     */
    public static byte ops_len(final MemorySegment struct)
    {
        return struct.get(ops_len$LAYOUT, ops_len$OFFSET);
    }

    /**
     * Setter for field ops_len.
     *
     * @param struct     a struct io_uring_probe.
     * @param fieldValue the value.
     */
    public static void ops_len(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(ops_len$LAYOUT, ops_len$OFFSET, fieldValue);
    }

    private static final OfShort resv$LAYOUT = (OfShort)$LAYOUT.select(groupElement("resv"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 resv
     * }
     *
     * @return the layout.
     */
    public static OfShort resv$layout()
    {
        return resv$LAYOUT;
    }

    private static final long resv$OFFSET = 2;

    /**
     * @return offset of field resv.
     */
    public static long resv$offset()
    {
        return resv$OFFSET;
    }

    /**
     * Getter for field resv.
     *
     * @param struct a struct io_uring_probe.
     * @return the value.
     */
    public static short resv(final MemorySegment struct)
    {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /**
     * Setter for field resv.
     *
     * @param struct     a struct io_uring_probe.
     * @param fieldValue the value.
     */
    public static void resv(final MemorySegment struct, final short fieldValue)
    {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
    }

    private static final SequenceLayout resv2$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("resv2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 resv2[3]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout resv2$layout()
    {
        return resv2$LAYOUT;
    }

    private static final long resv2$OFFSET = 4;

    /**
     * @return offset of field resv2.
     */
    public static long resv2$offset()
    {
        return resv2$OFFSET;
    }

    /**
     * Getter for field resv2: a slice of the struct.
     *
     * @param struct a struct io_uring_probe.
     * @return the array's memory.
     */
    public static MemorySegment resv2(final MemorySegment struct)
    {
        return struct.asSlice(resv2$OFFSET, resv2$LAYOUT.byteSize());
    }

    private static final SequenceLayout ops$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("ops"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_uring_probe_op ops[]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout ops$layout()
    {
        return ops$LAYOUT;
    }

    private static final long ops$OFFSET = 16;

    /**
     * @return offset of field ops.
     */
    public static long ops$offset()
    {
        return ops$OFFSET;
    }

    /**
     * Getter for field ops: a slice of the struct.
     *
     * @param struct a struct io_uring_probe.
     * @return the array's memory.
     */
    public static MemorySegment ops(final MemorySegment struct)
    {
        return struct.asSlice(ops$OFFSET, ops$LAYOUT.byteSize());
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
