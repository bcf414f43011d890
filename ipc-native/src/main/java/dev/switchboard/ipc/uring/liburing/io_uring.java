package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

/**
 * One io_uring instance as liburing keeps it: the SQ and CQ views, setup flags, ring fd and features.
 * {@snippet lang=c :
 * struct io_uring
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class io_uring
{
    io_uring()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        io_uring_sq.layout().withName("sq"),
        io_uring_cq.layout().withName("cq"),
        C_INT.withName("flags"),
        C_INT.withName("ring_fd"),
        C_INT.withName("features"),
        C_INT.withName("enter_ring_fd"),
        C_CHAR.withName("int_flags"),
        MemoryLayout.sequenceLayout(3, C_CHAR).withName("pad"),
        C_INT.withName("pad2")
    ).withName("io_uring");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final GroupLayout sq$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("sq"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_uring_sq sq
     * }
     *
     * @return the layout.
     */
    public static GroupLayout sq$layout()
    {
        return sq$LAYOUT;
    }

    private static final long sq$OFFSET = 0;

    /**
     * @return offset of field sq.
     */
    public static long sq$offset()
    {
        return sq$OFFSET;
    }

    /**
     * Getter for field sq.
     *
     * @param struct a struct io_uring.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment sq(final MemorySegment struct)
    {
        return struct.asSlice(sq$OFFSET, sq$LAYOUT.byteSize());
    }

    /**
     * Setter for field sq.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue copied into the field.
     */
    public static void sq(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, sq$OFFSET, sq$LAYOUT.byteSize());
    }

    private static final GroupLayout cq$LAYOUT = (GroupLayout)$LAYOUT.select(groupElement("cq"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * struct io_uring_cq cq
     * }
     *
     * @return the layout.
     */
    public static GroupLayout cq$layout()
    {
        return cq$LAYOUT;
    }

    private static final long cq$OFFSET = 104;

    /**
     * @return offset of field cq.
     */
    public static long cq$offset()
    {
        return cq$OFFSET;
    }

    /**
     * Getter for field cq.
     *
     * @param struct a struct io_uring.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment cq(final MemorySegment struct)
    {
        return struct.asSlice(cq$OFFSET, cq$LAYOUT.byteSize());
    }

    /**
     * Setter for field cq.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue copied into the field.
     */
    public static void cq(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, cq$OFFSET, cq$LAYOUT.byteSize());
    }

    private static final OfInt flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned flags
     * }
     *
     * @return the layout.
     */
    public static OfInt flags$layout()
    {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = 192;

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
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfInt ring_fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("ring_fd"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * int ring_fd
     * }
     *
     * @return the layout.
     */
    public static OfInt ring_fd$layout()
    {
        return ring_fd$LAYOUT;
    }

    private static final long ring_fd$OFFSET = 196;

    /**
     * @return offset of field ring_fd.
     */
    public static long ring_fd$offset()
    {
        return ring_fd$OFFSET;
    }

    /**
     * Getter for field ring_fd.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int ring_fd(final MemorySegment struct)
    {
        return struct.get(ring_fd$LAYOUT, ring_fd$OFFSET);
    }

    /**
     * Setter for field ring_fd.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void ring_fd(final MemorySegment struct, final int fieldValue)
    {
        struct.set(ring_fd$LAYOUT, ring_fd$OFFSET, fieldValue);
    }

    private static final OfInt features$LAYOUT = (OfInt)$LAYOUT.select(groupElement("features"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned features
     * }
     *
     * @return the layout.
     */
    public static OfInt features$layout()
    {
        return features$LAYOUT;
    }

    private static final long features$OFFSET = 200;

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
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int features(final MemorySegment struct)
    {
        return struct.get(features$LAYOUT, features$OFFSET);
    }

    /**
     * Setter for field features.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void features(final MemorySegment struct, final int fieldValue)
    {
        struct.set(features$LAYOUT, features$OFFSET, fieldValue);
    }

    private static final OfInt enter_ring_fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("enter_ring_fd"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * int enter_ring_fd
     * }
     *
     * @return the layout.
     */
    public static OfInt enter_ring_fd$layout()
    {
        return enter_ring_fd$LAYOUT;
    }

    private static final long enter_ring_fd$OFFSET = 204;

    /**
     * @return offset of field enter_ring_fd.
     */
    public static long enter_ring_fd$offset()
    {
        return enter_ring_fd$OFFSET;
    }

    /**
     * Getter for field enter_ring_fd.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int enter_ring_fd(final MemorySegment struct)
    {
        return struct.get(enter_ring_fd$LAYOUT, enter_ring_fd$OFFSET);
    }

    /**
     * Setter for field enter_ring_fd.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void enter_ring_fd(final MemorySegment struct, final int fieldValue)
    {
        struct.set(enter_ring_fd$LAYOUT, enter_ring_fd$OFFSET, fieldValue);
    }

    private static final OfByte int_flags$LAYOUT = (OfByte)$LAYOUT.select(groupElement("int_flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 int_flags
     * }
     *
     * @return the layout.
     */
    public static OfByte int_flags$layout()
    {
        return int_flags$LAYOUT;
    }

    private static final long int_flags$OFFSET = 208;

    /**
     * @return offset of field int_flags.
     */
    public static long int_flags$offset()
    {
        return int_flags$OFFSET;
    }

    /**
     * Getter for field int_flags.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static byte int_flags(final MemorySegment struct)
    {
        return struct.get(int_flags$LAYOUT, int_flags$OFFSET);
    }

    /**
     * Setter for field int_flags.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void int_flags(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(int_flags$LAYOUT, int_flags$OFFSET, fieldValue);
    }

    private static final SequenceLayout pad$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("pad"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 pad[3]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout pad$layout()
    {
        return pad$LAYOUT;
    }

    private static final long pad$OFFSET = 209;

    /**
     * @return offset of field pad.
     */
    public static long pad$offset()
    {
        return pad$OFFSET;
    }

    private static final long[] pad$DIMS = { 3 };

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
     * @param struct a struct io_uring.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment pad(final MemorySegment struct)
    {
        return struct.asSlice(pad$OFFSET, pad$LAYOUT.byteSize());
    }

    /**
     * Setter for field pad.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue copied into the field.
     */
    public static void pad(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, pad$OFFSET, pad$LAYOUT.byteSize());
    }

    /**
     * Indexed getter for field pad.
     *
     * @param struct a struct io_uring.
     * @param index0 element index.
     * @return the element.
     */
    public static byte pad(final MemorySegment struct, final long index0)
    {
        return (byte)pad$ELEM_HANDLE.get(pad(struct), 0L, index0);
    }

    /**
     * Indexed setter for field pad.
     *
     * @param struct     a struct io_uring.
     * @param index0     element index.
     * @param fieldValue the element.
     */
    public static void pad(final MemorySegment struct, final long index0, final byte fieldValue)
    {
        pad$ELEM_HANDLE.set(pad(struct), 0L, index0, fieldValue);
    }

    private static final OfInt pad2$LAYOUT = (OfInt)$LAYOUT.select(groupElement("pad2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * unsigned pad2
     * }
     *
     * @return the layout.
     */
    public static OfInt pad2$layout()
    {
        return pad2$LAYOUT;
    }

    private static final long pad2$OFFSET = 212;

    /**
     * @return offset of field pad2.
     */
    public static long pad2$offset()
    {
        return pad2$OFFSET;
    }

    /**
     * Getter for field pad2.
     *
     * @param struct a struct io_uring.
     * @return the value.
     */
    public static int pad2(final MemorySegment struct)
    {
        return struct.get(pad2$LAYOUT, pad2$OFFSET);
    }

    /**
     * Setter for field pad2.
     *
     * @param struct     a struct io_uring.
     * @param fieldValue the value.
     */
    public static void pad2(final MemorySegment struct, final int fieldValue)
    {
        struct.set(pad2$LAYOUT, pad2$OFFSET, fieldValue);
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
