package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout.OfByte;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.lang.foreign.ValueLayout.OfShort;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import static dev.switchboard.ipc.uring.liburing.liburing_h.C_CHAR;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_INT;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_LONG_LONG;
import static dev.switchboard.ipc.uring.liburing.liburing_h.C_SHORT;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

/**
 * A submission queue entry, written in place in the mmap'd SQE array (the Java equivalent of
 * liburing's inline {@code io_uring_prep_rw} is {@code UringRing}). Anonymous unions are named as jextract names
 * them ({@code $anon$<line>:<column>} of {@code liburing/io_uring.h}); only the union members used are declared.
 * {@snippet lang=c :
 * struct io_uring_sqe
 * }
 * Layout in the shape jextract generates: the {@link GroupLayout}, then per field its layout, offset, getter and
 * setter taking the struct's {@link MemorySegment}. Every size and offset is checked against the C header by
 * {@code UringLayoutTest} (probe: {@code native/probe/uring_layout.c}).
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

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 opcode
     * }
     *
     * @return the layout.
     */
    public static OfByte opcode$layout()
    {
        return opcode$LAYOUT;
    }

    private static final long opcode$OFFSET = 0;

    /**
     * @return offset of field opcode.
     */
    public static long opcode$offset()
    {
        return opcode$OFFSET;
    }

    /**
     * Getter for field opcode.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static byte opcode(final MemorySegment struct)
    {
        return struct.get(opcode$LAYOUT, opcode$OFFSET);
    }

    /**
     * Setter for field opcode.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void opcode(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(opcode$LAYOUT, opcode$OFFSET, fieldValue);
    }

    private static final OfByte flags$LAYOUT = (OfByte)$LAYOUT.select(groupElement("flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u8 flags
     * }
     *
     * @return the layout.
     */
    public static OfByte flags$layout()
    {
        return flags$LAYOUT;
    }

    private static final long flags$OFFSET = 1;

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
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static byte flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * Setter for field flags.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void flags(final MemorySegment struct, final byte fieldValue)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, fieldValue);
    }

    private static final OfShort ioprio$LAYOUT = (OfShort)$LAYOUT.select(groupElement("ioprio"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 ioprio
     * }
     *
     * @return the layout.
     */
    public static OfShort ioprio$layout()
    {
        return ioprio$LAYOUT;
    }

    private static final long ioprio$OFFSET = 2;

    /**
     * @return offset of field ioprio.
     */
    public static long ioprio$offset()
    {
        return ioprio$OFFSET;
    }

    /**
     * Getter for field ioprio.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static short ioprio(final MemorySegment struct)
    {
        return struct.get(ioprio$LAYOUT, ioprio$OFFSET);
    }

    /**
     * Setter for field ioprio.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void ioprio(final MemorySegment struct, final short fieldValue)
    {
        struct.set(ioprio$LAYOUT, ioprio$OFFSET, fieldValue);
    }

    private static final OfInt fd$LAYOUT = (OfInt)$LAYOUT.select(groupElement("fd"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __s32 fd
     * }
     *
     * @return the layout.
     */
    public static OfInt fd$layout()
    {
        return fd$LAYOUT;
    }

    private static final long fd$OFFSET = 4;

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
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int fd(final MemorySegment struct)
    {
        return struct.get(fd$LAYOUT, fd$OFFSET);
    }

    /**
     * Setter for field fd.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void fd(final MemorySegment struct, final int fieldValue)
    {
        struct.set(fd$LAYOUT, fd$OFFSET, fieldValue);
    }

    private static final OfLong off$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$36:2"), groupElement("off"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 off
     * }
     *
     * @return the layout.
     */
    public static OfLong off$layout()
    {
        return off$LAYOUT;
    }

    private static final long off$OFFSET = 8;

    /**
     * @return offset of field off.
     */
    public static long off$offset()
    {
        return off$OFFSET;
    }

    /**
     * Getter for field off.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static long off(final MemorySegment struct)
    {
        return struct.get(off$LAYOUT, off$OFFSET);
    }

    /**
     * Setter for field off.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void off(final MemorySegment struct, final long fieldValue)
    {
        struct.set(off$LAYOUT, off$OFFSET, fieldValue);
    }

    private static final OfLong addr$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$44:2"), groupElement("addr"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 addr
     * }
     *
     * @return the layout.
     */
    public static OfLong addr$layout()
    {
        return addr$LAYOUT;
    }

    private static final long addr$OFFSET = 16;

    /**
     * @return offset of field addr.
     */
    public static long addr$offset()
    {
        return addr$OFFSET;
    }

    /**
     * Getter for field addr.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static long addr(final MemorySegment struct)
    {
        return struct.get(addr$LAYOUT, addr$OFFSET);
    }

    /**
     * Setter for field addr.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void addr(final MemorySegment struct, final long fieldValue)
    {
        struct.set(addr$LAYOUT, addr$OFFSET, fieldValue);
    }

    private static final OfInt len$LAYOUT = (OfInt)$LAYOUT.select(groupElement("len"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 len
     * }
     *
     * @return the layout.
     */
    public static OfInt len$layout()
    {
        return len$LAYOUT;
    }

    private static final long len$OFFSET = 24;

    /**
     * @return offset of field len.
     */
    public static long len$offset()
    {
        return len$OFFSET;
    }

    /**
     * Getter for field len.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int len(final MemorySegment struct)
    {
        return struct.get(len$LAYOUT, len$OFFSET);
    }

    /**
     * Setter for field len.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void len(final MemorySegment struct, final int fieldValue)
    {
        struct.set(len$LAYOUT, len$OFFSET, fieldValue);
    }

    private static final OfInt rw_flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$49:2"), groupElement("rw_flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __kernel_rwf_t rw_flags
     * }
     *
     * @return the layout.
     */
    public static OfInt rw_flags$layout()
    {
        return rw_flags$LAYOUT;
    }

    private static final long rw_flags$OFFSET = 28;

    /**
     * @return offset of field rw_flags.
     */
    public static long rw_flags$offset()
    {
        return rw_flags$OFFSET;
    }

    /**
     * Getter for field rw_flags.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int rw_flags(final MemorySegment struct)
    {
        return struct.get(rw_flags$LAYOUT, rw_flags$OFFSET);
    }

    /**
     * Setter for field rw_flags.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void rw_flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(rw_flags$LAYOUT, rw_flags$OFFSET, fieldValue);
    }

    private static final OfInt msg_flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$49:2"), groupElement("msg_flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 msg_flags
     * }
     *
     * @return the layout.
     */
    public static OfInt msg_flags$layout()
    {
        return msg_flags$LAYOUT;
    }

    private static final long msg_flags$OFFSET = 28;

    /**
     * @return offset of field msg_flags.
     */
    public static long msg_flags$offset()
    {
        return msg_flags$OFFSET;
    }

    /**
     * Getter for field msg_flags.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int msg_flags(final MemorySegment struct)
    {
        return struct.get(msg_flags$LAYOUT, msg_flags$OFFSET);
    }

    /**
     * Setter for field msg_flags.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void msg_flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(msg_flags$LAYOUT, msg_flags$OFFSET, fieldValue);
    }

    private static final OfInt accept_flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$49:2"), groupElement("accept_flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 accept_flags
     * }
     *
     * @return the layout.
     */
    public static OfInt accept_flags$layout()
    {
        return accept_flags$LAYOUT;
    }

    private static final long accept_flags$OFFSET = 28;

    /**
     * @return offset of field accept_flags.
     */
    public static long accept_flags$offset()
    {
        return accept_flags$OFFSET;
    }

    /**
     * Getter for field accept_flags.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int accept_flags(final MemorySegment struct)
    {
        return struct.get(accept_flags$LAYOUT, accept_flags$OFFSET);
    }

    /**
     * Setter for field accept_flags.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void accept_flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(accept_flags$LAYOUT, accept_flags$OFFSET, fieldValue);
    }

    private static final OfInt cancel_flags$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$49:2"), groupElement("cancel_flags"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 cancel_flags
     * }
     *
     * @return the layout.
     */
    public static OfInt cancel_flags$layout()
    {
        return cancel_flags$LAYOUT;
    }

    private static final long cancel_flags$OFFSET = 28;

    /**
     * @return offset of field cancel_flags.
     */
    public static long cancel_flags$offset()
    {
        return cancel_flags$OFFSET;
    }

    /**
     * Getter for field cancel_flags.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int cancel_flags(final MemorySegment struct)
    {
        return struct.get(cancel_flags$LAYOUT, cancel_flags$OFFSET);
    }

    /**
     * Setter for field cancel_flags.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void cancel_flags(final MemorySegment struct, final int fieldValue)
    {
        struct.set(cancel_flags$LAYOUT, cancel_flags$OFFSET, fieldValue);
    }

    private static final OfLong user_data$LAYOUT = (OfLong)$LAYOUT.select(groupElement("user_data"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 user_data
     * }
     *
     * @return the layout.
     */
    public static OfLong user_data$layout()
    {
        return user_data$LAYOUT;
    }

    private static final long user_data$OFFSET = 32;

    /**
     * @return offset of field user_data.
     */
    public static long user_data$offset()
    {
        return user_data$OFFSET;
    }

    /**
     * Getter for field user_data.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static long user_data(final MemorySegment struct)
    {
        return struct.get(user_data$LAYOUT, user_data$OFFSET);
    }

    /**
     * Setter for field user_data.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void user_data(final MemorySegment struct, final long fieldValue)
    {
        struct.set(user_data$LAYOUT, user_data$OFFSET, fieldValue);
    }

    private static final OfShort buf_index$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$72:2"), groupElement("buf_index"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 buf_index
     * }
     *
     * @return the layout.
     */
    public static OfShort buf_index$layout()
    {
        return buf_index$LAYOUT;
    }

    private static final long buf_index$OFFSET = 40;

    /**
     * @return offset of field buf_index.
     */
    public static long buf_index$offset()
    {
        return buf_index$OFFSET;
    }

    /**
     * Getter for field buf_index.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static short buf_index(final MemorySegment struct)
    {
        return struct.get(buf_index$LAYOUT, buf_index$OFFSET);
    }

    /**
     * Setter for field buf_index.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void buf_index(final MemorySegment struct, final short fieldValue)
    {
        struct.set(buf_index$LAYOUT, buf_index$OFFSET, fieldValue);
    }

    private static final OfShort buf_group$LAYOUT = (OfShort)$LAYOUT.select(groupElement("$anon$72:2"), groupElement("buf_group"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 buf_group
     * }
     *
     * @return the layout.
     */
    public static OfShort buf_group$layout()
    {
        return buf_group$LAYOUT;
    }

    private static final long buf_group$OFFSET = 40;

    /**
     * @return offset of field buf_group (in a union with buf_index: the provided-buffer group of a
     * {@code IOSQE_BUFFER_SELECT} request).
     */
    public static long buf_group$offset()
    {
        return buf_group$OFFSET;
    }

    /**
     * Getter for field buf_group.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static short buf_group(final MemorySegment struct)
    {
        return struct.get(buf_group$LAYOUT, buf_group$OFFSET);
    }

    /**
     * Setter for field buf_group.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void buf_group(final MemorySegment struct, final short fieldValue)
    {
        struct.set(buf_group$LAYOUT, buf_group$OFFSET, fieldValue);
    }

    private static final OfShort personality$LAYOUT = (OfShort)$LAYOUT.select(groupElement("personality"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u16 personality
     * }
     *
     * @return the layout.
     */
    public static OfShort personality$layout()
    {
        return personality$LAYOUT;
    }

    private static final long personality$OFFSET = 42;

    /**
     * @return offset of field personality.
     */
    public static long personality$offset()
    {
        return personality$OFFSET;
    }

    /**
     * Getter for field personality.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static short personality(final MemorySegment struct)
    {
        return struct.get(personality$LAYOUT, personality$OFFSET);
    }

    /**
     * Setter for field personality.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void personality(final MemorySegment struct, final short fieldValue)
    {
        struct.set(personality$LAYOUT, personality$OFFSET, fieldValue);
    }

    private static final OfInt file_index$LAYOUT = (OfInt)$LAYOUT.select(groupElement("$anon$80:2"), groupElement("file_index"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u32 file_index
     * }
     *
     * @return the layout.
     */
    public static OfInt file_index$layout()
    {
        return file_index$LAYOUT;
    }

    private static final long file_index$OFFSET = 44;

    /**
     * @return offset of field file_index.
     */
    public static long file_index$offset()
    {
        return file_index$OFFSET;
    }

    /**
     * Getter for field file_index.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static int file_index(final MemorySegment struct)
    {
        return struct.get(file_index$LAYOUT, file_index$OFFSET);
    }

    /**
     * Setter for field file_index.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void file_index(final MemorySegment struct, final int fieldValue)
    {
        struct.set(file_index$LAYOUT, file_index$OFFSET, fieldValue);
    }

    private static final OfLong addr3$LAYOUT = (OfLong)$LAYOUT.select(groupElement("$anon$88:2"), groupElement("$anon$89:3"), groupElement("addr3"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 addr3
     * }
     *
     * @return the layout.
     */
    public static OfLong addr3$layout()
    {
        return addr3$LAYOUT;
    }

    private static final long addr3$OFFSET = 48;

    /**
     * @return offset of field addr3.
     */
    public static long addr3$offset()
    {
        return addr3$OFFSET;
    }

    /**
     * Getter for field addr3.
     *
     * @param struct a struct io_uring_sqe.
     * @return the value.
     */
    public static long addr3(final MemorySegment struct)
    {
        return struct.get(addr3$LAYOUT, addr3$OFFSET);
    }

    /**
     * Setter for field addr3.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue the value.
     */
    public static void addr3(final MemorySegment struct, final long fieldValue)
    {
        struct.set(addr3$LAYOUT, addr3$OFFSET, fieldValue);
    }

    private static final SequenceLayout __pad2$LAYOUT = (SequenceLayout)$LAYOUT.select(groupElement("$anon$88:2"), groupElement("$anon$89:3"), groupElement("__pad2"));

    /**
     * Layout of field:
     * {@snippet lang=c :
     * __u64 __pad2[1]
     * }
     *
     * @return the layout.
     */
    public static SequenceLayout __pad2$layout()
    {
        return __pad2$LAYOUT;
    }

    private static final long __pad2$OFFSET = 56;

    /**
     * @return offset of field __pad2.
     */
    public static long __pad2$offset()
    {
        return __pad2$OFFSET;
    }

    private static final long[] __pad2$DIMS = { 1 };

    /**
     * @return dimensions of the array field __pad2.
     */
    public static long[] __pad2$dimensions()
    {
        return __pad2$DIMS.clone();
    }

    private static final VarHandle __pad2$ELEM_HANDLE = __pad2$LAYOUT.varHandle(sequenceElement());

    /**
     * Getter for field __pad2.
     *
     * @param struct a struct io_uring_sqe.
     * @return a slice of the struct (no copy).
     */
    public static MemorySegment __pad2(final MemorySegment struct)
    {
        return struct.asSlice(__pad2$OFFSET, __pad2$LAYOUT.byteSize());
    }

    /**
     * Setter for field __pad2.
     *
     * @param struct     a struct io_uring_sqe.
     * @param fieldValue copied into the field.
     */
    public static void __pad2(final MemorySegment struct, final MemorySegment fieldValue)
    {
        MemorySegment.copy(fieldValue, 0L, struct, __pad2$OFFSET, __pad2$LAYOUT.byteSize());
    }

    /**
     * Indexed getter for field __pad2.
     *
     * @param struct a struct io_uring_sqe.
     * @param index0 element index.
     * @return the element.
     */
    public static long __pad2(final MemorySegment struct, final long index0)
    {
        return (long)__pad2$ELEM_HANDLE.get(__pad2(struct), 0L, index0);
    }

    /**
     * Indexed setter for field __pad2.
     *
     * @param struct     a struct io_uring_sqe.
     * @param index0     element index.
     * @param fieldValue the element.
     */
    public static void __pad2(final MemorySegment struct, final long index0, final long fieldValue)
    {
        __pad2$ELEM_HANDLE.set(__pad2(struct), 0L, index0, fieldValue);
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
