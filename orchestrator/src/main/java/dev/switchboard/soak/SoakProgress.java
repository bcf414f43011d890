/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sender's progress in a small memory-mapped file, so that it survives a kill -9 of the sender (the page cache
 * keeps every store that reached memory) and the soak can tell afterwards what was sent:
 * <pre>
 *   0  attempted     : last sequence number handed to send (-1: none); stored before the send
 *   8  confirmed     : last sequence number whose send returned OK (-1: none); stored after it
 *   16 backPressured : sends refused with BACK_PRESSURED, over all incarnations
 * </pre>
 * A sender killed between its store of {@code attempted} and its store of {@code confirmed} leaves one sequence
 * number whose fate is unknown ("uncertain": delivered or not); the next incarnation starts after it.
 *
 * <p>Thread-safety: one writer (the sender), readers after it died. Allocation: none after {@link #open}.
 */
public final class SoakProgress implements AutoCloseable
{
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long ATTEMPTED = 0;
    private static final long CONFIRMED = 8;
    private static final long BACK_PRESSURED = 16;
    private static final long LENGTH = 64;

    private final Arena arena;
    private final MemorySegment segment;

    private SoakProgress(final Arena arena, final MemorySegment segment)
    {
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Map a progress file, creating it (attempted = confirmed = -1) if it does not exist.
     *
     * @param file the file.
     * @return the progress.
     */
    public static SoakProgress open(final Path file)
    {
        final Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            final boolean fresh = channel.size() < LENGTH;
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, arena);
            final SoakProgress progress = new SoakProgress(arena, segment);
            if (fresh)
            {
                LONG.setVolatile(segment, ATTEMPTED, -1L);
                LONG.setVolatile(segment, CONFIRMED, -1L);
            }
            return progress;
        }
        catch (final IOException ex)
        {
            arena.close();
            throw new UncheckedIOException("cannot map soak progress file " + file, ex);
        }
    }

    /** @return last sequence number handed to send, or -1. */
    public long attempted()
    {
        return (long)LONG.getVolatile(segment, ATTEMPTED);
    }

    /** @return last sequence number confirmed OK, or -1. */
    public long confirmed()
    {
        return (long)LONG.getVolatile(segment, CONFIRMED);
    }

    /** @return sends refused with BACK_PRESSURED so far. */
    public long backPressured()
    {
        return (long)LONG.getVolatile(segment, BACK_PRESSURED);
    }

    /** @return where the next incarnation of the sender starts: after everything attempted or confirmed. */
    public long nextSequence()
    {
        return Math.max(attempted(), confirmed()) + 1;
    }

    /** @return the uncertain sequence number left by a sender killed mid-send, or -1 if there is none. */
    public long uncertain()
    {
        final long attempted = attempted();
        return attempted > confirmed() ? attempted : -1;
    }

    void attempt(final long seq)
    {
        LONG.setVolatile(segment, ATTEMPTED, seq);
    }

    void confirm(final long seq)
    {
        LONG.setVolatile(segment, CONFIRMED, seq);
    }

    void backPressured(final long count)
    {
        LONG.setRelease(segment, BACK_PRESSURED, count);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
