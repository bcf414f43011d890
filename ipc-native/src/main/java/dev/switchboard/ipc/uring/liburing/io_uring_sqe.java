package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * A submission queue entry, written in place in the mmap'd SQE array (the Java equivalent of
 * liburing's inline {@code io_uring_prep_rw} is {@code UringRing}). Anonymous unions are named as jextract names
 * them ({@code $anon$<line>:<column>} of {@code liburing/io_uring.h}); only the union members used are declared.
 * {@snippet lang=c :
 * struct io_uring_sqe
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
public final class io_uring_sqe
{
    io_uring_sqe()
    {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("opcode"),
        C_CHAR.withName("flags"),
        C_SHORT.withName("ioprio"),
        C_INT.withName("fd"),
        MemoryLayout.unionLayout(
            C_LONG_LONG.withName("off"),
            C_LONG_LONG.withName("addr2")
        ).withName("$anon$36:2"),
        MemoryLayout.unionLayout(
            C_LONG_LONG.withName("addr"),
            C_LONG_LONG.withName("splice_off_in")
        ).withName("$anon$44:2"),
        C_INT.withName("len"),
        MemoryLayout.unionLayout(
            C_INT.withName("rw_flags"),
            C_INT.withName("msg_flags"),
            C_INT.withName("accept_flags"),
            C_INT.withName("cancel_flags")
        ).withName("$anon$49:2"),
        C_LONG_LONG.withName("user_data"),
        MemoryLayout.unionLayout(
            C_SHORT.withName("buf_index"),
            C_SHORT.withName("buf_group")
        ).withName("$anon$72:2"),
        C_SHORT.withName("personality"),
        MemoryLayout.unionLayout(
            C_INT.withName("splice_fd_in"),
            C_INT.withName("file_index")
        ).withName("$anon$80:2"),
        MemoryLayout.unionLayout(
            MemoryLayout.structLayout(
                C_LONG_LONG.withName("addr3"),
                MemoryLayout.sequenceLayout(1, C_LONG_LONG).withName("__pad2")
            ).withName("$anon$89:3")
        ).withName("$anon$88:2")
    ).withName("io_uring_sqe");

    /**
     * The layout of this struct.
     *
     * @return the layout.
     */
    public static GroupLayout layout()
    {
        return $LAYOUT;
    }

    private static final OfByte opcode$LAYOUT = (OfByte)$LAYOUT.select(groupElement("opcode"));

    private static final long opcode$OFFSET = 0;

    /**
     * @return offset of field opcode.
     */
    public static long opcode$offset()
    {
        return opcode$OFFSET;
    }

    private static final OfByte flags$LAYOUT = (OfByte)$LAYOUT.select(groupElement("flags"));

    private static final long flags$OFFSET = 1;

    /**
     * @return offset of field flags.
     */
    public static long flags$offset()
    {
        return flags$OFFSET;
    }

    private static final OfShort ioprio$LAYOUT = (OfShort)$LAYOUT.select(groupElement("ioprio"));

    private static final long ioprio$OFFSET = 2;

    /**
     * @return offset of field ioprio.
     */
    public static long ioprio$offset()
    {
        return ioprio$OFFSET;
    }

    private static final OfInt fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("fd"));

    private static final long fd$OFFSET = 4;

    /**
     * @return offset of field fd.
     */
    public static long fd$offset()
    {
        return fd$OFFSET;
    }

    private static final OfLong off$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$36:2"), groupElement("off"));

    private static final long off$OFFSET = 8;

    /**
     * @return offset of field off.
     */
    public static long off$offset()
    {
        return off$OFFSET;
    }

    private static final OfLong addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$44:2"), groupElement("addr"));

    private static final long addr$OFFSET = 16;

    /**
     * @return offset of field addr.
     */
    public static long addr$offset()
    {
        return addr$OFFSET;
    }

    private static final OfInt len$LAYOUT = (OfInt)$LAYOUT.select(groupElement("len"));

    private static final long len$OFFSET = 24;

    /**
     * @return offset of field len.
     */
    public static long len$offset()
    {
        return len$OFFSET;
    }

    private static final OfInt rw_flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$49:2"), groupElement("rw_flags"));

    private static final long rw_flags$OFFSET = 28;

    /**
     * @return offset of field rw_flags.
     */
    public static long rw_flags$offset()
    {
        return rw_flags$OFFSET;
    }

    private static final OfLong user_data$LAYOUT = (OfLong)$LAYOUT.select(groupElement("user_data"));

    private static final long user_data$OFFSET = 32;

    /**
     * @return offset of field user_data.
     */
    public static long user_data$offset()
    {
        return user_data$OFFSET;
    }

    private static final OfShort buf_index$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$72:2"), groupElement("buf_index"));

    private static final long buf_index$OFFSET = 40;

    /**
     * @return offset of field buf_index.
     */
    public static long buf_index$offset()
    {
        return buf_index$OFFSET;
    }

    private static final OfShort buf_group$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$72:2"), groupElement("buf_group"));

    private static final long buf_group$OFFSET = 40;

    /**
     * @return offset of field buf_group (in a union with buf_index: the provided-buffer group of a
     * {@code IOSQE_BUFFER_SELECT} request).
     */
    public static long buf_group$offset()
    {
        return buf_group$OFFSET;
    }

    private static final OfShort personality$LAYOUT = (OfShort)$LAYOUT.select(groupElement("personality"));

    private static final long personality$OFFSET = 42;

    /**
     * @return offset of field personality.
     */
    public static long personality$offset()
    {
        return personality$OFFSET;
    }

    private static final OfInt file_index$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$80:2"), groupElement("file_index"));

    private static final long file_index$OFFSET = 44;

    /**
     * @return offset of field file_index.
     */
    public static long file_index$offset()
    {
        return file_index$OFFSET;
    }

    private static final OfLong addr3$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$88:2"), groupElement("$anon$89:3"), groupElement("addr3"));

    private static final long addr3$OFFSET = 48;

    /**
     * @return offset of field addr3.
     */
    public static long addr3$offset()
    {
        return addr3$OFFSET;
    }

    private static final SequenceLayout __pad2$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("$anon$88:2"), groupElement("$anon$89:3"), groupElement("__pad2"));

    private static final long __pad2$OFFSET = 56;

    /**
     * @return offset of field __pad2.
     */
    public static long __pad2$offset()
    {
        return __pad2$OFFSET;
    }

    /**
     * @return the size (in bytes) of this struct.
     */
    public static long sizeof()
    {
        return layout().byteSize();
    }
}
