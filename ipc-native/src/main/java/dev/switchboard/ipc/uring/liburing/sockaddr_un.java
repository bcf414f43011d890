package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfShort;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

/**
 * A Unix domain socket address: family and a NUL-terminated path of at most 107 bytes.
 * {@snippet lang=c :
 * struct sockaddr_un
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for struct and array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class sockaddr_un
{
    sockaddr_un()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("sun_family"),
        MemoryLayout.sequenceLayout(108, C_CHAR).withName("sun_path")
    ).withName("sockaddr_un");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfShort sun_family$LAYOUT = (OfShort)$LAYOUT.select(groupElement("sun_family"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * sa_family_t sun_family
     * }
     *
     * @return the layout.
     */
    public static OfShort sun_family$layout()
    {
        return sun_family$LAYOUT;
    }

    private static final long sun_family$OFFSET = 0;

    /**
     * @return offset of field sun_family.
     */
    public static long sun_family$offset()
    {
        return sun_family$OFFSET;
    }

    /**
     * Getter for field sun_family.
     *
     * @param struct a struct sockaddr_un.
     * @return the value.
     */
    public static short sun_family(final MemorySegment struct)
    {
        return struct.get(sun_family$LAYOUT, sun_family$OFFSET);
    }

    /**
     * Setter for field sun_family.
     *
     * @param struct     a struct sockaddr_un.
     * @param fieldValue the value.
     */
    public static void sun_family(final MemorySegment struct, final short fieldValue)
    {
        struct.set(sun_family$LAYOUT, sun_family$OFFSET, fieldValue);
    }

    private static final SequenceLayout sun_path$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("sun_path"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * char sun_path[108]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout sun_path$layout()
    {
        return sun_path$LAYOUT;
    }

    private static final long sun_path$OFFSET = 2;

    /**
     * @return offset of field sun_path.
     */
    public static long sun_path$offset()
    {
        return sun_path$OFFSET;
    }

    private static final long[] sun_path$DIMS = { 108 };

    /**
     * @return dimensions of the array field sun_path.
     */
    public static long[] sun_path$dimensions()
    {
        return sun_path$DIMS.clone();
    }

    private static final VarHandle sun_path$ELEM_HANDLE = sun_path$LAYOUT.varHandle(sequenceElement());

    /**
     * Getter for field sun_path.
     *
     * @param struct a struct sockaddr_un.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment sun_path(final MemorySegment struct)
    {
        return struct.asSlice(sun_path$OFFSET, sun_path$LAYOUT.byteSize());
    }

    /**
     * Setter for field sun_path.
     *
     * @param struct     a struct sockaddr_un.
     * @param fieldValue copied into the field.
     */
    public static void sun_path(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, sun_path$OFFSET, sun_path$LAYOUT.byteSize());
    }

    /**
     * Indexed getter for field sun_path.
     *
     * @param struct a struct sockaddr_un.
     * @param index0 element index.
     * @return the element.
     */
    public static byte sun_path(final MemorySegment struct, final long index0)
    {
        return (byte)sun_path$ELEM_HANDLE.get(sun_path(struct), 0L, index0);
    }

    /**
     * Indexed setter for field sun_path.
     *
     * @param struct     a struct sockaddr_un.
     * @param index0     element index.
     * @param fieldValue the element.
     */
    public static void sun_path(final MemorySegment struct, final long index0, final byte fieldValue)
    {
        sun_path$ELEM_HANDLE.set(sun_path(struct), 0L, index0, fieldValue);
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
