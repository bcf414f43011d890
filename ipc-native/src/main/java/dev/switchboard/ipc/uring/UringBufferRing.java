package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.io_uring_buf;
import dev.switchboard.ipc.uring.liburing.io_uring_buf_reg;
import dev.switchboard.ipc.uring.liburing.io_uring_buf_ring;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, kernel 5.19+): a group of equal buffers the kernel picks
 * from when a receive with {@code IOSQE_BUFFER_SELECT} completes (a multishot receive, {@link
 * UringRing#prepRecvMultishot}), so that no buffer is tied to a socket while it waits: one pool serves every link of
 * a ring. liburing's inline {@code io_uring_buf_ring_add}/{@code _advance} are written here over the mapped ring.
 *
 * <h2>Layout (shared with the kernel)</h2>
 * <pre>
 *   ring (entries x 16 bytes, page-aligned)                      buffers (entries x bufferLength)
 *   +------------------------------------------+                 +------------+------------+----
 *   | io_uring_buf[0]: addr, len, bid, [tail]  | ---- addr ----> | buffer 0   | buffer 1   | ...
 *   | io_uring_buf[1]: addr, len, bid, resv    |                 +------------+------------+----
 *   | ...                                      |
 *   +------------------------------------------+
 *   tail: u16 at byte 14 (overlays bufs[0].resv), written by us with a store-release; the kernel's head is private.
 * </pre>
 * A completion that used a buffer has {@code IORING_CQE_F_BUFFER} and the buffer id in its upper 16 flag bits
 * ({@link #bufferId(int)}); the buffer belongs to the application until it {@link #recycle recycles} it. Recycling
 * writes the entry at {@code tail + pending} and {@link #publish()} makes all pending entries visible with one
 * store-release of the tail: the entry writes happen-before the kernel's acquire of the tail.
 *
 * <p>Memory: the ring and the buffers live in the owning {@link UringRing}'s arena (freed when it closes, after the
 * kernel has let go of them with the ring). Thread-safety: the ring's owner thread only. Allocation: none after
 * {@link #register}.
 */
public final class UringBufferRing
{
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final long ENTRY = io_uring_buf.sizeof();
    private static final long TAIL_OFFSET = io_uring_buf_ring.tail$offset();
    private static final int PAGE = 4096;

    private final UringRing ring;
    private final int groupId;
    private final int entries;
    private final int mask;
    private final int bufferLength;
    private final MemorySegment entriesArea;
    private final MemorySegment buffers;
    private final long buffersAddress;
    private int tail;
    private int pending;
    private boolean unregistered;

    private UringBufferRing(
        final UringRing ring, final int groupId, final int entries, final int bufferLength,
        final MemorySegment entriesArea, final MemorySegment buffers)
    {
        this.ring = ring;
        this.groupId = groupId;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferLength = bufferLength;
        this.entriesArea = entriesArea;
        this.buffers = buffers;
        this.buffersAddress = buffers.address();
    }

    /**
     * Allocate {@code entries} buffers of {@code bufferLength} bytes in the ring's arena, register them as buffer
     * group {@code groupId}, and provide them all.
     *
     * @param ring         the ring (enabled or not; after it is enabled, call from its owner).
     * @param groupId      buffer group id, {@code 0..65535}, unique in the ring.
     * @param entries      buffers: a power of two, {@code 1..32768}.
     * @param bufferLength bytes per buffer, at least 1.
     * @return the registered ring, every buffer provided.
     * @throws IllegalArgumentException for a bad argument (named).
     * @throws UncheckedIOException     when the kernel refuses (older than 5.19: {@code EINVAL}).
     */
    public static UringBufferRing register(
        final UringRing ring, final int groupId, final int entries, final int bufferLength)
    {
        if (groupId < 0 || groupId > 0xFFFF)
        {
            throw new IllegalArgumentException("buffer group id must be 0..65535: " + groupId);
        }
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1)
        {
            throw new IllegalArgumentException("buffer ring entries must be a power of two in [1, 32768]: " + entries);
        }
        if (bufferLength < 1)
        {
            throw new IllegalArgumentException("buffer length must be at least 1: " + bufferLength);
        }

        final MemorySegment entriesArea = ring.arena().allocate(Math.max(PAGE, entries * ENTRY), PAGE);
        final MemorySegment buffers = ring.arena().allocate((long)entries * bufferLength, PAGE);
        final MemorySegment reg = io_uring_buf_reg.allocate(ring.arena());
        io_uring_buf_reg.ring_addr(reg, entriesArea.address());
        io_uring_buf_reg.ring_entries(reg, entries);
        io_uring_buf_reg.bgid(reg, (short)groupId);
        final int rc = liburing_h.io_uring_register_buf_ring(ring.ring(), reg, 0);
        if (rc < 0)
        {
            throw new UncheckedIOException(new IOException("io_uring_register_buf_ring(group " + groupId + ", " +
                entries + " x " + bufferLength + " bytes) failed: " + Errno.describe(rc) +
                (-liburing_h.EINVAL() == rc ? " (provided buffer rings need kernel 5.19 or later)" : "")));
        }

        final UringBufferRing bufferRing = new UringBufferRing(ring, groupId, entries, bufferLength, entriesArea, buffers);
        for (int bid = 0; bid < entries; bid++)
        {
            bufferRing.recycle(bid);
        }
        bufferRing.publish();
        return bufferRing;
    }

    /**
     * @param cqeFlags a completion's flags.
     * @return the buffer it used, or -1 when it used none ({@code IORING_CQE_F_BUFFER} clear).
     */
    public static int bufferId(final int cqeFlags)
    {
        return (cqeFlags & liburing_h.IORING_CQE_F_BUFFER()) != 0 ?
            cqeFlags >>> liburing_h.IORING_CQE_BUFFER_SHIFT() : -1;
    }

    /**
     * @return the buffer group id to name in receives.
     */
    public int groupId()
    {
        return groupId;
    }

    /**
     * @return number of buffers.
     */
    public int entries()
    {
        return entries;
    }

    /**
     * @return bytes per buffer.
     */
    public int bufferLength()
    {
        return bufferLength;
    }

    /**
     * @return all buffers, buffer {@code bid} at {@code bid * bufferLength()}.
     */
    public MemorySegment buffers()
    {
        return buffers;
    }

    /**
     * @param bid a buffer id.
     * @return its offset in {@link #buffers()}.
     */
    public long offset(final int bid)
    {
        return (long)bid * bufferLength;
    }

    /**
     * Give buffer {@code bid} back to the kernel: written now, visible at the next {@link #publish()}
     * ({@code io_uring_buf_ring_add}).
     *
     * @param bid a buffer id this application holds.
     */
    public void recycle(final int bid)
    {
        final long at = ((tail + pending) & mask) * ENTRY;
        entriesArea.set(ValueLayout.JAVA_LONG, at + io_uring_buf.addr$offset(), buffersAddress + (long)bid * bufferLength);
        entriesArea.set(ValueLayout.JAVA_INT, at + io_uring_buf.len$offset(), bufferLength);
        entriesArea.set(ValueLayout.JAVA_SHORT, at + io_uring_buf.bid$offset(), (short)bid);
        pending++;
    }

    /**
     * Make every recycled buffer visible to the kernel ({@code io_uring_buf_ring_advance}): one store-release of the
     * tail, after which the kernel may fill them. Nothing to do when none is pending.
     */
    public void publish()
    {
        if (pending != 0)
        {
            tail = (tail + pending) & 0xFFFF;
            pending = 0;
            // Release: the entries written by recycle() happen-before the kernel's smp_load_acquire of the tail.
            SHORT.setRelease(entriesArea, TAIL_OFFSET, (short)tail);
        }
    }

    /**
     * Unregister the group (the memory stays until the ring closes). Idempotent.
     */
    public void unregister()
    {
        if (!unregistered && !ring.isClosed())
        {
            unregistered = true;
            liburing_h.io_uring_unregister_buf_ring(ring.ring(), groupId);
        }
    }

    @Override
    public String toString()
    {
        return "UringBufferRing{group=" + groupId + ", " + entries + " x " + bufferLength + " bytes}";
    }
}
