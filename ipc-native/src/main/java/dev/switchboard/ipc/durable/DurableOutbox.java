package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.transport.OfferStatus;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import static dev.switchboard.ipc.durable.DurableRecordDescriptor.HEADER_LENGTH;

/**
 * The sending side of the LOW tier: appends each frame to the Chronicle queue of its destination agent
 * (by name), where it stays until the destination's {@link DurableInbox} has handled it, across restarts of
 * either side. No router thread is on this path.
 *
 * <h2>Outcomes of {@link #append}</h2>
 * <ul>
 *   <li>{@link OfferStatus#OK}: the frame is one complete document in the destination's queue file (in the
 *       page cache: it survives kill -9 of any process; like every mapped file it is not synced to disk,
 *       so a power loss can lose it).</li>
 *   <li>{@link OfferStatus#TOO_LARGE}: the frame is longer than {@link DurableQueues#maxFrameLength()}
 *       ({@link dev.switchboard.codecs.WireLimits#MAX_FRAME_LENGTH} by default). Nothing was written.</li>
 *   <li>{@link OfferStatus#REJECTED}: a bad argument (name, offsets, lengths) or an I/O failure (data dir
 *       missing or not a directory, disk full, Chronicle error). Nothing was written (a partly written
 *       document is rolled back; only if Chronicle fails while committing the document may the frame be in
 *       the queue after all, so a retry duplicates it rather than lose it), the {@link ErrorHandler} received
 *       an exception saying what failed, for which destination and queue path, and why, and
 *       {@link #rejectedCount()} went up. Nothing escapes.</li>
 *   <li>{@link OfferStatus#BACK_PRESSURED}: the queue's file system has less than
 *       {@link DurableQueues#minFreeBytes()} usable (disk full, or nearly). Nothing was written;
 *       {@link #noSpaceCount()} went up, and the error handler was told once per episode (what the file
 *       system has, the reserve, the property). Retry later: appends resume by themselves once space is freed.</li>
 *   <li>{@link OfferStatus#NOT_CONNECTED}: Chronicle cannot run in this JVM ({@link DurableQueues#available()}
 *       is false); reported to the error handler once.</li>
 *   <li>{@link OfferStatus#CLOSED}: after {@link #close()}.</li>
 * </ul>
 * After a failure the destination's queue is closed and reopened by the next append, so a repaired disk
 * or directory works again without a restart.
 *
 * <p>A sender killed in the middle of an append leaves an incomplete document and Chronicle's write lock
 * held by a dead pid: the next appender of that queue (any process) waits 1.5 x
 * {@link DurableQueues#timeoutMs()}, sees the pid is dead, takes the lock and overwrites the incomplete
 * document. Every append that returned {@code OK} is intact.
 *
 * <p>Thread-safety: one thread at a time calls {@link #append} and {@link #close()} (Chronicle appenders are
 * single-threaded); the counters may be read from any thread. Allocation: the first append to a destination
 * opens its queue and appender (allocates); after that an append looks the destination up in a
 * {@link HashMap} by the caller's {@link String} (no allocation) and copies the two parts into the mapped
 * file. Measured once warm ({@code DurableAllocationTest}, 100,000 appends): 0 bytes, Chronicle's
 * {@code writingDocument()} included. Not measured across a cycle roll, which opens a new file and allocates.
 *
 * <h2>Disk full</h2>
 * Chronicle writes through a memory mapping of a sparse file; a write to a page the file system cannot back
 * raises SIGBUS, which the JVM turns into an {@link InternalError} at the faulting access. Two layers keep that
 * from reaching the caller:
 * <ol>
 *   <li>A free-space guard: before an append, once at least {@code minFreeBytes / 4} bytes have been appended
 *       to a destination since its last look (and on every append while it is short of space), the outbox
 *       asks the queue's {@link FileStore} for its usable space (one {@code statfs}; a small allocation, so
 *       about one per {@code minFreeBytes / 4} bytes appended) and refuses with {@code BACK_PRESSURED} below
 *       {@link DurableQueues#minFreeBytes()}. Since the reserve is at least 4 x the largest record, what is
 *       appended between two looks fits in what the last look saw, unless another writer fills the same
 *       file system in between.</li>
 *   <li>The backstop for that race: the {@code InternalError} is caught, the partly written document is
 *       rolled back, the queue closed (reopened by the next append) and the append is {@code REJECTED}.</li>
 * </ol>
 * Tested on a full 2 MiB tmpfs ({@code LowDiskFullTest}): either way every frame acknowledged before was read
 * back intact and appends succeeded again once space was freed.
 */
public final class DurableOutbox implements AutoCloseable
{
    private final DurableQueues queues;
    private final ErrorHandler errorHandler;
    private final HashMap<String, Destination> destinations = new HashMap<>();
    private final String unavailableReason;
    private boolean unavailableReported;
    private boolean closed;
    private long lastAppendedIndex = -1;

    // Written only by the appending thread (setRelease of getPlain + 1), read from any thread (getAcquire).
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong noSpace = new AtomicLong();
    private final long spaceCheckInterval;

    /**
     * Does not touch Chronicle or the disk: queues open on first use.
     *
     * @param queues       the settings (concluded here if not yet).
     * @param errorHandler receives one exception per REJECTED append (and one for NOT_CONNECTED); must not throw.
     */
    public DurableOutbox(final DurableQueues queues, final ErrorHandler errorHandler)
    {
        this.queues = queues;
        this.errorHandler = errorHandler;
        this.unavailableReason = DurableQueues.unavailableReason();
        if (unavailableReason == null)
        {
            queues.conclude();
        }
        this.spaceCheckInterval = queues.minFreeBytes() / 4;
    }

    /**
     * Append one frame, made of two parts sent back to back (typically a header and a payload), to the queue
     * of {@code destinationName}, as one document: the receiver sees one frame of {@code aLen + bLen} bytes.
     * A part of length 0 may have a null buffer.
     *
     * @param destinationName the destination agent's name (its queue is {@link DurableQueues#queuePath}).
     * @param a               first part.
     * @param aOff            offset of the first part in {@code a}.
     * @param aLen            length of the first part.
     * @param b               second part.
     * @param bOff            offset of the second part in {@code b}.
     * @param bLen            length of the second part.
     * @return an {@link OfferStatus}: OK, TOO_LARGE, REJECTED, NOT_CONNECTED or CLOSED (see the class comment).
     */
    public int append(
        final String destinationName,
        final DirectBuffer a, final int aOff, final int aLen,
        final DirectBuffer b, final int bOff, final int bLen)
    {
        return append(destinationName, a, aOff, aLen, b, bOff, bLen, false, 0, 0);
    }

    /**
     * Append one frame that a peer router shipped (LOW across hosts) as an <em>origin record</em>
     * ({@link DurableRecordDescriptor}): the frame, then its index in the queue on the sender's host and the sender's
     * origin id, in the same Chronicle document, so that {@link DurableOrigins#lastOriginIndex} finds what was
     * appended even after this process was killed right after the append. Readers see the frame only.
     *
     * @param destinationName the destination agent's name.
     * @param frame           the frame.
     * @param offset          its offset.
     * @param length          its length.
     * @param originId        the sending router's id (non-zero).
     * @param originIndex     the frame's index in the sender's queue (positive).
     * @return as {@link #append(String, DirectBuffer, int, int, DirectBuffer, int, int)}.
     */
    public int appendWithOrigin(
        final String destinationName, final DirectBuffer frame, final int offset, final int length,
        final long originId, final long originIndex)
    {
        return append(destinationName, frame, offset, length, null, 0, 0, true, originId, originIndex);
    }

    private int append(
        final String destinationName,
        final DirectBuffer a, final int aOff, final int aLen,
        final DirectBuffer b, final int bOff, final int bLen,
        final boolean withOrigin, final long originId, final long originIndex)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (unavailableReason != null)
        {
            if (!unavailableReported)
            {
                unavailableReported = true;
                errorHandler.onError(new IllegalStateException(unavailableReason));
            }
            return OfferStatus.NOT_CONNECTED;
        }
        if (aLen < 0 || bLen < 0 || aOff < 0 || bOff < 0)
        {
            return reject(destinationName, null, "negative offset or length: aOff=" + aOff + " aLen=" + aLen +
                " bOff=" + bOff + " bLen=" + bLen, null);
        }
        final long frameLength = (long)aLen + bLen;
        if (frameLength > queues.maxFrameLength())
        {
            increment(tooLarge);
            return OfferStatus.TOO_LARGE;
        }
        try
        {
            checkPart(a, aOff, aLen);
            checkPart(b, bOff, bLen);
        }
        catch (final RuntimeException ex)
        {
            return reject(destinationName, null, "frame part outside its buffer: " + ex.getMessage(), ex);
        }

        Destination destination = destinationName == null ? null : destinations.get(destinationName);
        if (destination == null)
        {
            destination = openDestination(destinationName);
            if (destination == null)
            {
                return OfferStatus.REJECTED;
            }
        }

        if (destination.uncheckedBytes >= spaceCheckInterval && !hasSpace(destination))
        {
            return OfferStatus.BACK_PRESSURED;
        }

        final ExcerptAppender appender = destination.appender;
        final long indexBefore = lastIndexOf(appender);
        DocumentContext dc = null;
        try
        {
            dc = appender.writingDocument();
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeInt((int)frameLength);
            writePart(bytes, a, aOff, aLen);
            writePart(bytes, b, bOff, bLen);
            if (withOrigin)
            {
                bytes.writeLong(originIndex);
                bytes.writeLong(originId);
                bytes.writeInt(DurableRecordDescriptor.ORIGIN_MAGIC);
            }
        }
        catch (final RuntimeException | InternalError ex)
        {
            // InternalError: the JVM's report of a SIGBUS on a mapped page the file system could not back (disk full).
            return failAppend(destination, dc, ex);
        }
        try
        {
            dc.close();
        }
        catch (final RuntimeException | InternalError ex)
        {
            // The close failed after the document may have been completed (a fault on the index or the next header):
            // ask the queue whether this frame is in it, so that an append is never reported failed and then
            // delivered after all (its retry would arrive twice).
            if (lastIndexOf(appender) != indexBefore)
            {
                destinations.remove(destination.name);
                destination.close();
                increment(appended);
                reportOnce("LOW append to '" + destination.name + "' completed, but closing it failed (" + ex +
                    "): reported OK since the frame is in the queue; the queue is reopened on the next append", ex);
                return OfferStatus.OK;
            }
            return failAppend(destination, null, ex);
        }
        lastAppendedIndex = appender.lastIndexAppended();
        destination.uncheckedBytes += HEADER_LENGTH + frameLength + Integer.BYTES;
        increment(appended);
        return OfferStatus.OK;
    }

    /**
     * Look at the usable space of the destination's file system.
     *
     * @return true when it has at least the reserve; false (reported once per episode, counted) when not.
     */
    private boolean hasSpace(final Destination destination)
    {
        final long usable;
        try
        {
            usable = destination.store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            // Cannot tell: let the append go ahead, the InternalError backstop still holds.
            destination.uncheckedBytes = 0;
            return true;
        }
        if (usable >= queues.minFreeBytes())
        {
            destination.uncheckedBytes = 0;
            destination.shortOfSpace = false;
            return true;
        }
        increment(noSpace);
        if (!destination.shortOfSpace)
        {
            destination.shortOfSpace = true;
            try
            {
                errorHandler.onError(new DurableQueueException("LOW append to '" + destination.name + "' (queue " +
                    destination.path + ") back-pressured: no space: its file system has " + usable +
                    " usable bytes, below the reserve of " + queues.minFreeBytes() + " bytes (" +
                    DurableQueues.MIN_FREE_BYTES_PROP + "); nothing was written, appends resume once space is freed",
                    null));
            }
            catch (final RuntimeException ignore)
            {
                // An error handler must not throw; the status already tells the caller.
            }
        }
        return false;
    }

    /** @return the Chronicle index of the last frame appended with {@code OK} by this outbox, or -1. */
    public long lastAppendedIndex()
    {
        return lastAppendedIndex;
    }

    /** @return appends that returned {@code OK}. */
    public long appendedCount()
    {
        return appended.getAcquire();
    }

    /** @return appends that returned {@code REJECTED}, each reported to the error handler. */
    public long rejectedCount()
    {
        return rejected.getAcquire();
    }

    /** @return appends that returned {@code BACK_PRESSURED} because the file system was short of space. */
    public long noSpaceCount()
    {
        return noSpace.getAcquire();
    }

    /** @return appends that returned {@code TOO_LARGE}. */
    public long tooLargeCount()
    {
        return tooLarge.getAcquire();
    }

    /** Close every cached queue; later appends return {@code CLOSED}. Idempotent. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Destination destination : destinations.values())
        {
            destination.close();
        }
        destinations.clear();
    }

    private Destination openDestination(final String destinationName)
    {
        Path path = null;
        SingleChronicleQueue queue = null;
        try
        {
            path = queues.queuePath(destinationName);
            queue = queues.open(destinationName);
            final Destination destination = new Destination(
                destinationName, path, queue, queue.createAppender(), Files.getFileStore(path), spaceCheckInterval);
            destinations.put(destinationName, destination);
            return destination;
        }
        catch (final IllegalArgumentException ex)
        {
            CloseHelper.quietClose(queue);
            reject(destinationName, path, ex.getMessage(), ex);
            return null;
        }
        catch (final Exception | InternalError ex)
        {
            CloseHelper.quietClose(queue);
            reject(destinationName, path, "cannot open the queue: " + ex, ex);
            return null;
        }
    }

    /** The index of the last frame this appender wrote, or -1 (none, or the appender cannot tell after a fault). */
    private static long lastIndexOf(final ExcerptAppender appender)
    {
        try
        {
            return appender.lastIndexAppended();
        }
        catch (final RuntimeException | InternalError e)
        {
            return -1;
        }
    }

    private void reportOnce(final String message, final Throwable cause)
    {
        try
        {
            errorHandler.onError(new DurableQueueException(message, cause));
        }
        catch (final RuntimeException ignore)
        {
            // An error handler must not throw.
        }
    }

    private int failAppend(final Destination destination, final DocumentContext dc, final Throwable ex)
    {
        if (dc != null)
        {
            try
            {
                dc.rollbackOnClose();
                dc.close();
            }
            catch (final RuntimeException | InternalError suppressed)
            {
                ex.addSuppressed(suppressed);
            }
        }
        // The appender may be unusable after an I/O error: drop it; the next append reopens the queue.
        destinations.remove(destination.name);
        destination.close();
        final String hint = ex instanceof InternalError ?
            " (the file system could not back a page of the mapped queue file: is the disk full?)" : "";
        return reject(destination.name, destination.path, "append failed: " + ex + hint, ex);
    }

    private int reject(final String destinationName, final Path path, final String why, final Throwable cause)
    {
        increment(rejected);
        final String message = "LOW append to '" + destinationName + "'" + (path != null ? " (queue " + path + ")" : "") +
            " rejected: " + why;
        try
        {
            errorHandler.onError(new DurableQueueException(message, cause));
        }
        catch (final RuntimeException ignore)
        {
            // An error handler must not throw; if it does, the status already tells the caller.
        }
        return OfferStatus.REJECTED;
    }

    private static void checkPart(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > 0)
        {
            if (buffer == null)
            {
                throw new IllegalArgumentException("null buffer for a part of length " + length);
            }
            if (buffer.byteArray() == null && buffer.byteBuffer() != null && !buffer.byteBuffer().isDirect())
            {
                throw new IllegalArgumentException("heap ByteBuffer without an accessible array (read-only?)");
            }
            buffer.boundsCheck(offset, length);
        }
    }

    private static void writePart(final Bytes<?> bytes, final DirectBuffer src, final int offset, final int length)
    {
        if (length == 0)
        {
            return;
        }
        final byte[] array = src.byteArray();
        if (array != null)
        {
            bytes.write(array, src.wrapAdjustment() + offset, length);
        }
        else
        {
            // Native memory (SegmentBuffer, direct ByteBuffer, off-heap UnsafeBuffer): addressOffset() is absolute.
            // The document was opened with room for a whole overlap, so [pos, pos + length) is in this mapping.
            final long position = bytes.writePosition();
            bytes.nativeWrite(src.addressOffset() + offset, position, length);
            bytes.writeSkip(length);
        }
    }

    private static void increment(final AtomicLong counter)
    {
        counter.setRelease(counter.getPlain() + 1);
    }

    /** One destination's open queue and its appender. */
    private static final class Destination
    {
        final String name;
        final Path path;
        final SingleChronicleQueue queue;
        final ExcerptAppender appender;
        final FileStore store;
        /** Bytes appended since the last look at the free space; starts at the interval so the first append looks. */
        long uncheckedBytes;
        boolean shortOfSpace;

        Destination(
            final String name,
            final Path path,
            final SingleChronicleQueue queue,
            final ExcerptAppender appender,
            final FileStore store,
            final long uncheckedBytes)
        {
            this.name = name;
            this.path = path;
            this.queue = queue;
            this.appender = appender;
            this.store = store;
            this.uncheckedBytes = uncheckedBytes;
        }

        void close()
        {
            CloseHelper.quietCloseAll(appender, queue);
        }
    }
}
