package dev.switchboard.ipc.durable;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;

import static dev.switchboard.ipc.durable.DurableRecordDescriptor.HEADER_LENGTH;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.ORIGIN_ID_OFFSET;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.ORIGIN_INDEX_OFFSET;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.ORIGIN_MAGIC;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.ORIGIN_MAGIC_OFFSET;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.ORIGIN_TRAILER_LENGTH;

/**
 * Origin records ({@link DurableRecordDescriptor}): the frames a router appended for a peer router, each carrying its
 * index in the queue on the sender's host. The receiving router's de-duplication state is <em>in the queue itself</em>:
 * {@link #lastOriginIndex} reads it back by scanning the queue from its end to the last origin record of that origin,
 * so a router killed right after an append (before it could confirm it) skips that index when the sender ships it
 * again, and nothing was persisted apart from the append.
 *
 * <p>Thread-safety: stateless. Allocation: {@link #lastOriginIndex} creates a tailer (not a per-message path: once per
 * queue and origin after a start); {@link #isOriginRecord} none.
 */
public final class DurableOrigins
{
    /** {@link #lastOriginIndex} when the queue holds no record of that origin. */
    public static final long NONE = 0;

    private DurableOrigins()
    {
    }

    /**
     * @param bytes       a document's bytes.
     * @param start       where the body starts.
     * @param bodyLength  the body's length.
     * @param frameLength the frame length field.
     * @return true when the body is a frame followed by an origin trailer with its magic.
     */
    static boolean isOriginRecord(final Bytes<?> bytes, final long start, final long bodyLength, final int frameLength)
    {
        return frameLength >= 0 && frameLength == bodyLength - HEADER_LENGTH - ORIGIN_TRAILER_LENGTH &&
            bytes.readInt(start + HEADER_LENGTH + frameLength + ORIGIN_MAGIC_OFFSET) == ORIGIN_MAGIC;
    }

    /**
     * The origin index of the last origin record of {@code originId} in the queue of {@code name}: what that origin's
     * stream has durably appended here. Scans backwards from the end of the queue, so it costs the records appended
     * after that one (every record when the origin never appended). Call it once per queue and origin, then keep
     * the answer: the caller is the only writer of that origin's records.
     *
     * @param queues   the settings.
     * @param name     the queue's (agent's) name.
     * @param originId the origin.
     * @return its last origin index, or {@link #NONE}.
     * @throws IllegalStateException when the queue cannot be opened or read.
     */
    public static long lastOriginIndex(final DurableQueues queues, final String name, final long originId)
    {
        SingleChronicleQueue queue = null;
        ExcerptTailer tailer = null;
        try
        {
            queue = queues.open(name);
            tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return NONE;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long start = bytes.readPosition();
                    final long bodyLength = bytes.readRemaining();
                    if (bodyLength < HEADER_LENGTH + ORIGIN_TRAILER_LENGTH)
                    {
                        continue;
                    }
                    final int frameLength = bytes.readInt(start);
                    if (isOriginRecord(bytes, start, bodyLength, frameLength))
                    {
                        final long trailer = start + HEADER_LENGTH + frameLength;
                        if (bytes.readLong(trailer + ORIGIN_ID_OFFSET) == originId)
                        {
                            return bytes.readLong(trailer + ORIGIN_INDEX_OFFSET);
                        }
                    }
                }
            }
        }
        catch (final java.io.IOException | RuntimeException | InternalError ex)
        {
            throw new IllegalStateException("cannot read LOW queue '" + name + "' for its origin records: " + ex, ex);
        }
        finally
        {
            CloseHelper.quietCloseAll(tailer, queue);
        }
    }
}
