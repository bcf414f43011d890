package dev.switchboard.router.process.socket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A connection buffer in an arena of its own (freed when it is replaced or the connection closes, not at GC),
 * holding the bytes {@code [from, to)} of the buffer it replaces at its start. Made at registration and when a
 * buffer grows, never per frame; both engines' connections use it ({@link ControlLink}, {@link UringSocketServer}).
 *
 * @param arena   the buffer's own arena.
 * @param segment the buffer.
 */
record Grown(Arena arena, MemorySegment segment)
{
    /**
     * @param size the new buffer's size.
     * @param old  the buffer it replaces (may be null when {@code from == to}).
     * @param from first byte of {@code old} to keep.
     * @param to   end of the bytes of {@code old} to keep.
     * @return the new buffer, 64-byte aligned, with the kept bytes at its start.
     */
    static Grown of(final int size, final MemorySegment old, final int from, final int to)
    {
        final Arena arena = Arena.ofShared();
        final MemorySegment segment;
        try
        {
            segment = arena.allocate(size, 64);
        }
        catch (final RuntimeException | Error e)
        {
            arena.close();
            throw e;
        }
        if (to > from)
        {
            MemorySegment.copy(old, from, segment, 0, to - from);
        }
        return new Grown(arena, segment);
    }
}
