package dev.switchboard.counters.file;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_COUNT_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_FIRST_TIME_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_KIND_LENGTH_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_KIND_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_LAST_TIME_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_RECORD_ALIGNMENT;
import static dev.switchboard.counters.file.CountersFileDescriptor.ERROR_RECORD_LENGTH_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.MAX_ERROR_KIND_LENGTH;
import static dev.switchboard.counters.file.CountersFileDescriptor.MAX_ERROR_MESSAGE_LENGTH;

/**
 * The writer of a counters file's distinct error log, after Aeron's {@code DistinctErrorLog} but keyed by an error
 * <em>kind</em> (a short fixed text such as {@code "inbox corrupt records"}) rather than by a stack trace, and written
 * through {@link MemorySegment} so that an agent process needs no JVM flag. The first occurrence of a kind appends a
 * record (its message kept); every later one adds to its count and moves its last time. The layout is
 * {@link CountersFileDescriptor}'s "Distinct error log".
 *
 * <p>Thread-safety: {@link #record} may be called from any thread of the writing process: a kind already logged is
 * updated with an atomic add and a release store (no lock); a new kind is appended under this object's monitor
 * (errors are rare, and a record must be complete before its length is published). Allocation: none for a kind
 * already logged (a lookup by the given string); the record's bytes for a new kind. Not for a per-message path: call
 * it where an error is reported.
 */
public final class DistinctErrorLog
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment log;
    private final MemorySegment droppedCount;
    private final LongSupplier epochClockMs;
    private final ConcurrentHashMap<String, Integer> offsetByKind = new ConcurrentHashMap<>();
    /** Where the next record goes; guarded by this. */
    private int tail;

    /**
     * @param log          the error log section, zeroed.
     * @param droppedCount 8 bytes where kinds refused for lack of space are counted.
     * @param epochClockMs the time of each occurrence.
     */
    DistinctErrorLog(final MemorySegment log, final MemorySegment droppedCount, final LongSupplier epochClockMs)
    {
        this.log = log;
        this.droppedCount = droppedCount;
        this.epochClockMs = epochClockMs;
    }

    /**
     * Log one occurrence of an error.
     *
     * @param kind    what kind of error: short, fixed text (at most {@value CountersFileDescriptor#MAX_ERROR_KIND_LENGTH}
     *                UTF-8 bytes kept); occurrences are counted per kind.
     * @param message what happened this time (kept for the first occurrence only, at most
     *                {@value CountersFileDescriptor#MAX_ERROR_MESSAGE_LENGTH} UTF-8 bytes).
     * @return false when the kind is new and the log is full (counted in the header's dropped count).
     */
    public boolean record(final String kind, final String message)
    {
        final long nowMs = epochClockMs.getAsLong();
        final Integer known = offsetByKind.get(kind);
        if (known != null)
        {
            update(known, nowMs);
            return true;
        }
        synchronized (this)
        {
            final Integer raced = offsetByKind.get(kind);
            if (raced != null)
            {
                update(raced, nowMs);
                return true;
            }
            final byte[] kindBytes = Utf8.encode(kind, MAX_ERROR_KIND_LENGTH);
            final byte[] messageBytes = Utf8.encode(message == null ? "" : message, MAX_ERROR_MESSAGE_LENGTH);
            final int length = ERROR_KIND_OFFSET + kindBytes.length + messageBytes.length;
            final int aligned = CountersFileDescriptor.align(length, ERROR_RECORD_ALIGNMENT);
            // A record is followed by at least an int of zeros (the end mark) unless it ends the log exactly.
            if (tail + aligned > log.byteSize())
            {
                LONG.getAndAdd(droppedCount, 0L, 1L);
                return false;
            }
            final int offset = tail;
            INT.set(log, (long)offset + ERROR_KIND_LENGTH_OFFSET, kindBytes.length);
            LONG.set(log, (long)offset + ERROR_COUNT_OFFSET, 1L);
            LONG.set(log, (long)offset + ERROR_FIRST_TIME_OFFSET, nowMs);
            LONG.set(log, (long)offset + ERROR_LAST_TIME_OFFSET, nowMs);
            MemorySegment.copy(kindBytes, 0, log, ValueLayout.JAVA_BYTE, offset + ERROR_KIND_OFFSET, kindBytes.length);
            MemorySegment.copy(messageBytes, 0, log, ValueLayout.JAVA_BYTE,
                offset + ERROR_KIND_OFFSET + kindBytes.length, messageBytes.length);
            // Published last: a reader that acquire-loads a non-zero length sees the whole record.
            INT.setRelease(log, (long)offset + ERROR_RECORD_LENGTH_OFFSET, length);
            tail = offset + aligned;
            offsetByKind.put(kind, offset);
            return true;
        }
    }

    /**
     * @return distinct kinds logged so far.
     */
    public int kinds()
    {
        return offsetByKind.size();
    }

    private void update(final int offset, final long nowMs)
    {
        LONG.getAndAdd(log, (long)offset + ERROR_COUNT_OFFSET, 1L);
        LONG.setRelease(log, (long)offset + ERROR_LAST_TIME_OFFSET, nowMs);
    }
}
