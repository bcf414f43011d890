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
 * A soak process's progress in a small memory-mapped file, so that it survives a kill -9 of the process (the page
 * cache keeps every store that reached memory) and the soak can read it while the process runs and after it died:
 * <pre>
 *   0  attempted           : last sequence number handed to send (-1: none); stored before the send
 *   8  confirmed           : last sequence number whose send returned OK (-1: none); stored after it
 *   16 backPressured       : sends refused with BACK_PRESSURED, over all incarnations
 *   24 notConnected        : sends refused with NOT_CONNECTED (or another refusal), over all incarnations
 *   32 disconnects         : ClientListener.onDisconnected calls (the router went away), over all incarnations
 *   40 reconnects          : ClientListener.onReconnected calls (registered again with a new router)
 *   48 okWhileDisconnected : sends that returned OK between onDisconnected and onReconnected
 *   56 errors              : ClientListener.onError calls (a frame refused after its send said OK, a failed re-registration)
 *   64 redelivered         : work items received flagged as redelivered (workers)
 *   72 forwarded           : work items forwarded to the sink (workers)
 *   80 attemptedAtDisconnect : the value of attempted when the client last said the router was gone (-1: never)
 * </pre>
 * A sender killed between its store of {@code attempted} and its store of {@code confirmed} leaves one sequence
 * number whose fate is unknown ("uncertain": delivered or not); the next incarnation starts after it. The counters
 * are the process's own view ({@link dev.switchboard.client.ClientListener}), kept so that the soak can report how
 * often each client lost the router and came back by itself.
 *
 * <p>Thread-safety: one writer (the soak process that owns the file), any number of readers (the soak, while it runs
 * and after it died). Allocation: none after {@link #open}.
 */
public final class SoakProgress implements AutoCloseable
{
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long ATTEMPTED = 0;
    private static final long CONFIRMED = 8;
    private static final long BACK_PRESSURED = 16;
    private static final long NOT_CONNECTED = 24;
    private static final long DISCONNECTS = 32;
    private static final long RECONNECTS = 40;
    private static final long OK_WHILE_DISCONNECTED = 48;
    private static final long ERRORS = 56;
    private static final long REDELIVERED = 64;
    private static final long FORWARDED = 72;
    private static final long ATTEMPTED_AT_DISCONNECT = 80;
    private static final long LENGTH = 128;

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
                LONG.setVolatile(segment, ATTEMPTED_AT_DISCONNECT, -1L);
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

    /** @return sends refused with NOT_CONNECTED (or another refusal) so far. */
    public long notConnected()
    {
        return (long)LONG.getVolatile(segment, NOT_CONNECTED);
    }

    /** @return times the process's client saw the router go. */
    public long disconnects()
    {
        return (long)LONG.getVolatile(segment, DISCONNECTS);
    }

    /** @return times the process's client registered again with a router by itself. */
    public long reconnects()
    {
        return (long)LONG.getVolatile(segment, RECONNECTS);
    }

    /** @return sends that returned OK while the client was disconnected from the router. */
    public long okWhileDisconnected()
    {
        return (long)LONG.getVolatile(segment, OK_WHILE_DISCONNECTED);
    }

    /** @return ClientListener.onError calls: frames refused after the send said OK, failed re-registrations. */
    public long errors()
    {
        return (long)LONG.getVolatile(segment, ERRORS);
    }

    /** @return work items received flagged as redelivered. */
    public long redelivered()
    {
        return (long)LONG.getVolatile(segment, REDELIVERED);
    }

    /** @return work items forwarded to the sink. */
    public long forwarded()
    {
        return (long)LONG.getVolatile(segment, FORWARDED);
    }

    /**
     * @return the last sequence number handed to send when the client last said the router was gone (-1: never): a
     * routed send that returned OK up to there may have been lost with the router (OK only said it was in this
     * process's buffers), one after it may not (the client answers NOT_CONNECTED while it knows the router is gone).
     */
    public long attemptedAtDisconnect()
    {
        return (long)LONG.getVolatile(segment, ATTEMPTED_AT_DISCONNECT);
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

    void incrementNotConnected()
    {
        increment(NOT_CONNECTED);
    }

    void onDisconnected()
    {
        LONG.setRelease(segment, ATTEMPTED_AT_DISCONNECT, attempted());
        increment(DISCONNECTS);
    }

    void incrementReconnects()
    {
        increment(RECONNECTS);
    }

    void incrementOkWhileDisconnected()
    {
        increment(OK_WHILE_DISCONNECTED);
    }

    void incrementErrors()
    {
        increment(ERRORS);
    }

    void incrementRedelivered()
    {
        increment(REDELIVERED);
    }

    void incrementForwarded()
    {
        increment(FORWARDED);
    }

    /** One writer: a plain read, then a release store that readers in other processes see whole. */
    private void increment(final long offset)
    {
        LONG.setRelease(segment, offset, (long)LONG.get(segment, offset) + 1);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
