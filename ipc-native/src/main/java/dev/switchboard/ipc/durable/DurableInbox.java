package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.Tier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.UnsafeMemory;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.MessageHandler;

import static dev.switchboard.ipc.durable.DurableRecordDescriptor.FRAME_LENGTH_OFFSET;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.HEADER_LENGTH;

/**
 * The receiving side of the LOW tier: tails the agent's own queue ({@code dataDir/<own name>}) with a
 * Chronicle <em>named</em> tailer, whose position Chronicle keeps in the queue's {@code metadata.cq4t}, so a
 * restarted receiver continues where the last one stopped.
 *
 * <h2>The guarantee</h2>
 * Every frame appended with {@code OK} reaches the handler, in append order, even if the receiver (or the
 * router, which is not on this path at all) is killed with {@code kill -9} and restarted: at least once,
 * and exactly once to a handler that returns normally, with one documented window:
 * <ol>
 *   <li>before the handler is called, the frame's queue index is stored in the <em>handed-over marker</em>;</li>
 *   <li>the handler runs;</li>
 *   <li>when it returns, the named tailer's position is moved past the frame (the <em>commit</em>).</li>
 * </ol>
 * A receiver killed after step 1 and before step 3 gets that one frame again after a restart, and only that
 * one, with {@link #lastWasPossibleDuplicate()} true (the marker equals its index): its handler may have
 * completed it (killed after the handler returned, before the commit), may have been stopped inside it, or,
 * killed right after step 1, may never have seen it. A frame delivered with the flag false was never handed
 * to a handler before. Killed anywhere else, nothing is redelivered: everything committed is skipped by the
 * restarted tailer, which is the de-duplication by queue index. A handler that throws gets the same
 * treatment without a restart: the frame is not committed, the exception propagates out of {@link #poll},
 * and the next poll hands the frame over again, flagged.
 *
 * <h2>Where the state lives, and why there</h2>
 * Both the position (Chronicle's own {@code index.<reader>} entry) and the marker ({@code index.<reader>/handed},
 * an entry of the same kind that Chronicle's {@code indexForId} provides) are 8-byte values in the queue's
 * memory-mapped {@code metadata.cq4t}. A store to them is a store to shared memory: no system call per frame,
 * and it is in the kernel's page cache, which a killed process cannot lose, the moment it executes. Keeping
 * both beside the queue data means they cannot drift apart from it (a queue copied or deleted takes its
 * positions along). Like the queue itself they are not synced to disk: a power loss or kernel crash can
 * roll them back (then more frames are redelivered, none are lost, as long as the data survived).
 *
 * <h2>One reader name, one process</h2>
 * Two live inboxes with the same reader name on one queue would both advance one position; the constructor
 * takes an exclusive {@link FileLock} on {@code <queue dir>/<reader>.inbox.lock} and refuses a second one.
 * The OS releases the lock when the process dies, so a restart after kill -9 is never refused. Different
 * reader names on one queue are independent: each sees every frame.
 *
 * <h2>Buffers</h2>
 * The handler gets {@code msgTypeId = Tier.LOW.typeId()} and a private copy of the frame in native memory
 * (a {@link SegmentBuffer}), valid only during the call: never a view of the mapped queue file, which a
 * {@code MutableDirectBuffer} would let the handler corrupt. The copy grows to the largest frame seen.
 *
 * <p>Thread-safety: one thread at a time polls (Chronicle tailers are single-threaded); {@link #close()} from
 * that thread. Allocation: measured once warm ({@code DurableAllocationTest}, 100,000 frames): 0 bytes,
 * Chronicle's {@code readingDocument()} included (while warming, the path that finds no new frame allocated a
 * few hundred bytes now and then). The copy buffer grows by doubling to the largest frame seen, allocating
 * then; opening allocates.
 */
public final class DurableInbox implements AutoCloseable
{
    /** {@link #lastIndex()} before any frame was handed over, by this or a previous incarnation. */
    public static final long NO_INDEX = -1;
    /** Longest reader name. */
    public static final int MAX_READER_NAME_LENGTH = 64;

    private static final int INITIAL_COPY_CAPACITY = 4096;
    private static final String MARKER_SUFFIX = "/handed";

    private final String ownName;
    private final String readerName;
    private final Path queuePath;
    private final ErrorHandler errorHandler;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final LongValue handedMarker;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SegmentBuffer frameBuffer = new SegmentBuffer();
    private Arena copyArena;
    private MemorySegment copy;
    private boolean possibleDuplicate;
    private long faults;
    private boolean closed;
    private long lastIndex;
    private long skippedCount;

    /**
     * Open (creating if missing) the queue of {@code ownName} and its named tailer {@code readerName}.
     *
     * @param queues       the settings.
     * @param ownName      this agent's name: the queue it reads.
     * @param readerName   the tailer's name, 1 to {@value #MAX_READER_NAME_LENGTH} of {@code [A-Za-z0-9._-]};
     *                     its position persists under this name.
     * @param errorHandler receives a report for each record that is not a LOW frame (skipped, never silently).
     * @throws IllegalStateException    when Chronicle cannot run here ({@link DurableQueues#unavailableReason()}),
     *                                  the queue cannot be opened, or another inbox holds this reader name.
     * @throws IllegalArgumentException for a bad agent or reader name.
     */
    public DurableInbox(
        final DurableQueues queues, final String ownName, final String readerName, final ErrorHandler errorHandler)
    {
        checkReaderName(readerName);
        final String reason = DurableQueues.unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException(reason);
        }
        queues.conclude();
        this.ownName = ownName;
        this.readerName = readerName;
        this.queuePath = queues.queuePath(ownName);
        this.errorHandler = errorHandler;

        SingleChronicleQueue q = null;
        FileChannel channel = null;
        FileLock fileLock = null;
        ExcerptTailer t = null;
        LongValue marker = null;
        try
        {
            q = queues.open(ownName);
            channel = DurableQueues.openOwnedFile(queuePath.resolve(readerName + ".inbox.lock"));
            fileLock = channel.tryLock();
            if (fileLock != null)
            {
                t = q.createTailer(readerName);
                marker = q.indexForId(readerName + MARKER_SUFFIX);
            }
        }
        catch (final OverlappingFileLockException ex)
        {
            CloseHelper.quietCloseAll(channel, q);
            throw new IllegalStateException("this process already reads LOW queue " + queuePath + " as '" +
                readerName + "'", ex);
        }
        catch (final IOException | RuntimeException | InternalError ex)
        {
            CloseHelper.quietCloseAll(marker, t, fileLock, channel, q);
            throw new IllegalStateException("cannot open LOW queue " + queuePath + " for '" + readerName + "': " + ex, ex);
        }
        if (fileLock == null)
        {
            CloseHelper.quietCloseAll(channel, q);
            throw new IllegalStateException("another process reads LOW queue " + queuePath + " as '" + readerName + "'");
        }
        this.queue = q;
        this.lockChannel = channel;
        this.lock = fileLock;
        this.tailer = t;
        this.handedMarker = marker;
        final long handed = marker.getVolatileValue();
        // Chronicle's indexForId starts an entry at 0; no real index is 0 (cycle 0 is 1970-01-01).
        this.lastIndex = handed == 0 ? NO_INDEX : handed;
        growCopy(INITIAL_COPY_CAPACITY);
    }

    /**
     * Hand up to {@code limit} frames to the handler, in queue order, each committed when the handler returns.
     *
     * @param handler called with {@code Tier.LOW.typeId()}, a buffer holding the frame at {@code index} for
     *                {@code length} bytes, valid during the call only.
     * @param limit   most frames to hand over.
     * @return frames handed over (and committed) in this call.
     * @throws RuntimeException whatever the handler throws: that frame stays uncommitted and comes again on the
     *                          next poll with {@link #lastWasPossibleDuplicate()} true.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        int count = 0;
        while (count < limit)
        {
            final DocumentContext dc = tailer.readingDocument();
            boolean present = false;
            boolean commit = false;
            try
            {
                if (!dc.isPresent())
                {
                    break;
                }
                present = true;
                final long index = dc.index();
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.readPosition();
                final long bodyLength = bytes.readRemaining();
                final int frameLength = bodyLength >= HEADER_LENGTH ? bytes.readInt(start + FRAME_LENGTH_OFFSET) : -1;
                if (frameLength < 0 || (frameLength != bodyLength - HEADER_LENGTH &&
                    !DurableOrigins.isOriginRecord(bytes, start, bodyLength, frameLength)))
                {
                    commit = true;
                    skip(index, bodyLength, frameLength);
                    continue;
                }
                if (frameLength > copy.byteSize())
                {
                    growCopy(frameLength);
                }
                if (frameLength > 0)
                {
                    // The two-argument addressForRead keeps the whole frame in the current mapping.
                    final long from = bytes.addressForRead(start + HEADER_LENGTH, frameLength);
                    UnsafeMemory.copyMemory(from, copy.address(), frameLength);
                }

                possibleDuplicate = handedMarker.getVolatileValue() == index;
                // Step 1: the marker before the handler sees the frame (a volatile store: not reordered after
                // any of the handler's effects).
                handedMarker.setVolatileValue(index);
                lastIndex = index;
                handler.onMessage(Tier.LOW.typeId(), frameBuffer, 0, frameLength);
                // Step 3: dc.close() in finally moves the named tailer past this frame.
                commit = true;
                count++;
            }
            catch (final InternalError e)
            {
                // A fault on the mapped queue file (SIGBUS: truncated, or a page the file system could not back when
                // its disk filled behind our back). The frame stays unread; reported, and read again on a later poll.
                faults++;
                errorHandler.onError(new DurableQueueException("LOW inbox '" + ownName + "' (queue " + queuePath +
                    "): the mapped queue file faulted on a read (" + e.getMessage() + "); the frame stays unread " +
                    "and is read again later (is the disk full, or the file truncated?)", e));
                break;
            }
            finally
            {
                if (present && !commit)
                {
                    // The handler (or Chronicle) threw: leave the tailer on this frame.
                    dc.rollbackOnClose();
                }
                try
                {
                    dc.close();
                }
                catch (final InternalError e)
                {
                    faults++;
                }
            }
        }
        return count;
    }

    /**
     * @return reads that faulted on the mapped file (never thrown to the caller).
     */
    public long faultCount()
    {
        return faults;
    }

    /**
     * @return true when the frame most recently handed to the handler had been handed over before without
     * being committed (a previous incarnation was killed between the marker store and the commit, or the
     * handler threw): a handler may have completed it already. At most one frame per restart is flagged, the
     * first one the restarted inbox hands over.
     */
    public boolean lastWasPossibleDuplicate()
    {
        return possibleDuplicate;
    }

    /**
     * @return the queue index of the frame most recently handed to the handler, by this inbox or, until this
     * one hands one over, by the previous incarnation with the same reader name; {@link #NO_INDEX} if none.
     * Indexes grow with append order (Chronicle: cycle in the high bits, sequence in the low bits).
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    /** @return records skipped because they were not LOW frames (each reported to the error handler). */
    public long skippedCount()
    {
        return skippedCount;
    }

    /** @return this agent's name, whose queue this inbox reads. */
    public String ownName()
    {
        return ownName;
    }

    /** @return the reader (named tailer) name. */
    public String readerName()
    {
        return readerName;
    }

    /** @return the queue directory. */
    public Path queuePath()
    {
        return queuePath;
    }

    /** Release the tailer, the queue and the reader lock; the position stays on disk. Idempotent. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietCloseAll(handedMarker, tailer, queue, lock, lockChannel);
        frameBuffer.wrap(MemorySegment.NULL);
        copyArena.close();
    }

    private void skip(final long index, final long bodyLength, final int frameLength)
    {
        skippedCount++;
        try
        {
            errorHandler.onError(new DurableQueueException("LOW queue " + queuePath + " index " + index +
                " is not a LOW frame (body " + bodyLength + " bytes, frame length field " + frameLength +
                "): skipped", null));
        }
        catch (final RuntimeException ignore)
        {
            // An error handler must not throw; the count still records the skip.
        }
    }

    private void growCopy(final long minCapacity)
    {
        long capacity = copy == null ? INITIAL_COPY_CAPACITY : copy.byteSize();
        while (capacity < minCapacity)
        {
            capacity <<= 1;
        }
        // Shared, not confined: the inbox may be opened on one thread and polled on another.
        final Arena next = Arena.ofShared();
        copy = next.allocate(capacity, SegmentBuffer.ALIGNMENT);
        frameBuffer.wrap(copy);
        if (copyArena != null)
        {
            copyArena.close();
        }
        copyArena = next;
    }

    private static void checkReaderName(final String readerName)
    {
        if (readerName == null || readerName.isEmpty() || readerName.length() > MAX_READER_NAME_LENGTH)
        {
            throw new IllegalArgumentException("LOW reader name must be 1 to " + MAX_READER_NAME_LENGTH +
                " characters: " + readerName);
        }
        for (int i = 0; i < readerName.length(); i++)
        {
            final char c = readerName.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.'))
            {
                throw new IllegalArgumentException("LOW reader name may hold only [A-Za-z0-9._-]: '" + readerName + "'");
            }
        }
    }
}
