package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One opcode of an {@link io_uring_probe}: {@code flags} has {@code IO_URING_OP_SUPPORTED} when the kernel runs it.
 * {@snippet lang=c :
 * struct io_uring_probe_op
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
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

    private static final OfByte op$LAYOUT = (OfByte)$LAYOUT.select(groupElement("op"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 op
     * }
     *
     * @return the layout.
     */
    public static OfByte op$layout()
    {
        return op$LAYOUT;
    }

    private static final long op$OFFSET = 0;

    /**
     * @return offset of field op.
     */
    public static long op$offset()
    {
        return op$OFFSET;
    }

    /**
     * Getter for field op.
     *
     * @param struct a struct io_uring_probe_op.
     * @return the value.
     */
    public static byte op(final MemorySegment struct)
    {
        return struct.get(op$LAYOUT, op$OFFSET);
    }

    /**
     * Setter for field op.
     *
     * @param struct     a struct io_uring_probe_op.
     * @param fieldValue the value.
     */
    public static void op(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(op$LAYOUT, op$OFFSET, fieldValue);
    }

    private static final OfByte resv$LAYOUT = (OfByte)$LAYOUT.select(groupElement("resv"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 resv
     * }
     *
     * @return the layout.
     */
    public static OfByte resv$layout()
    {
        return resv$LAYOUT;
    }

    private static final long resv$OFFSET = 1;

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
     * @param struct a struct io_uring_probe_op.
     * @return the value.
     */
    public static byte resv(final MemorySegment struct)
    {
        return struct.get(resv$LAYOUT, resv$OFFSET);
    }

    /**
     * Setter for field resv.
     *
     * @param struct     a struct io_uring_probe_op.
     * @param fieldValue the value.
     */
    public static void resv(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(resv$LAYOUT, resv$OFFSET, fieldValue);
    }

    private static final OfShort flags$LAYOUT = (OfShort)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 flags
     * }
     *
     * @return the layout.
     */
    public static OfShort flags$layout()
    {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = 2;

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
     * @param struct a struct io_uring_probe_op.
     * @return the value.
     */
    public static short flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring_probe_op.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final short fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfInt resv2$LAYOUT = (OfInt)$LAYOUT.select(groupElement("resv2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 resv2
     * }
     *
     * @return the layout.
     */
    public static OfInt resv2$layout()
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
     * Getter for field resv2.
     *
     * @param struct a struct io_uring_probe_op.
     * @return the value.
     */
    public static int resv2(final MemorySegment struct)
    {
        return struct.get(resv2$LAYOUT, resv2$OFFSET);
    }

    /**
     * Setter for field resv2.
     *
     * @param struct     a struct io_uring_probe_op.
     * @param fieldValue the value.
     */
    public static void resv2(final MemorySegment struct, final int fieldValue)
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
