package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfShort;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * One descriptor for {@code poll(2)}: the link set-up waits on it, bounded, for the peer's first bytes.
 * {@snippet lang=c :
 * struct pollfd
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
 *
 * <p>Thread-safety: stateless; plain (non-atomic) accesses. Allocation: none in the accessors, except the
 * slice returned for array fields.
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class pollfd
{
    pollfd()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("fd"),
        C_SHORT.withName("events"),
        C_SHORT.withName("revents")
    ).withName("pollfd");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfInt fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("fd"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * int fd
     * }
     *
     * @return the layout.
     */
    public static OfInt fd$layout()
    {
        return fd$LAYOUT;
    }

    private static final long fd$OFFSET = 0;

    /**
     * @return offset of field fd.
     */
    public static long fd$offset()
    {
        return fd$OFFSET;
    }

    /**
     * Getter for field fd.
     *
     * @param struct a struct pollfd.
     * @return the value.
     */
    public static int fd(final MemorySegment struct)
    {
        return struct.get(fd$LAYOUT, fd$OFFSET);
    }

    /**
     * Setter for field fd.
     *
     * @param struct     a struct pollfd.
     * @param fieldValue the value.
     */
    public static void fd(final MemorySegment struct, final int fieldValue)
    {
        struct.set(fd$LAYOUT, fd$OFFSET, fieldValue);
    }

    private static final OfShort events$LAYOUT = (OfShort)$LAYOUT.select(groupElement("events"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * short events
     * }
     *
     * @return the layout.
     */
    public static OfShort events$layout()
    {
        return events$LAYOUT;
    }

    private static final long events$OFFSET = 4;

    /**
     * @return offset of field events.
     */
    public static long events$offset()
    {
        return events$OFFSET;
    }

    /**
     * Getter for field events.
     *
     * @param struct a struct pollfd.
     * @return the value.
     */
    public static short events(final MemorySegment struct)
    {
        return struct.get(events$LAYOUT, events$OFFSET);
    }

    /**
     * Setter for field events.
     *
     * @param struct     a struct pollfd.
     * @param fieldValue the value.
     */
    public static void events(final MemorySegment struct, final short fieldValue)
    {
        struct.set(events$LAYOUT, events$OFFSET, fieldValue);
    }

    private static final OfShort revents$LAYOUT = (OfShort)$LAYOUT.select(groupElement("revents"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * short revents
     * }
     *
     * @return the layout.
     */
    public static OfShort revents$layout()
    {
        return revents$LAYOUT;
    }

    private static final long revents$OFFSET = 6;

    /**
     * @return offset of field revents.
     */
    public static long revents$offset()
    {
        return revents$OFFSET;
    }

    /**
     * Getter for field revents.
     *
     * @param struct a struct pollfd.
     * @return the value.
     */
    public static short revents(final MemorySegment struct)
    {
        return struct.get(revents$LAYOUT, revents$OFFSET);
    }

    /**
     * Setter for field revents.
     *
     * @param struct     a struct pollfd.
     * @param fieldValue the value.
     */
    public static void revents(final MemorySegment struct, final short fieldValue)
    {
        struct.set(revents$LAYOUT, revents$OFFSET, fieldValue);
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
