package dev.switchboard.ipc.durable;

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
 * <p>Disk full: a write to a page of the mapped file that the file system cannot back raises SIGBUS, which the
 * JVM turns into an {@link InternalError}; it is caught here and the append is {@code REJECTED} (tried on a
 * full 3 MB tmpfs: every frame acknowledged before was intact, and appends succeeded again once space was
 * freed).
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

        final ExcerptAppender appender = destination.appender;
        DocumentContext dc = null;
        try
        {
            dc = appender.writingDocument();
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeInt((int)frameLength);
            writePart(bytes, a, aOff, aLen);
            writePart(bytes, b, bOff, bLen);
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
            return failAppend(destination, null, ex);
        }
        lastAppendedIndex = appender.lastIndexAppended();
        increment(appended);
        return OfferStatus.OK;
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
            final Destination destination = new Destination(destinationName, path, queue, queue.createAppender());
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

        Destination(final String name, final Path path, final SingleChronicleQueue queue, final ExcerptAppender appender)
        {
            this.name = name;
            this.path = path;
            this.queue = queue;
            this.appender = appender;
        }

        void close()
        {
            CloseHelper.quietCloseAll(appender, queue);
        }
    }
}
