package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfShort;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A Unix domain socket address: family and a NUL-terminated path of at most 107 bytes.
 * {@snippet lang=c :
 * struct sockaddr_un
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

    private static final long sun_family$OFFSET = 0;

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
}
