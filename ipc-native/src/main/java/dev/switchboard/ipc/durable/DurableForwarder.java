package dev.switchboard.ipc.durable;

import dev.switchboard.transport.OfferStatus;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.switchboard.ipc.durable.DurableRecordDescriptor.FRAME_LENGTH_OFFSET;
import static dev.switchboard.ipc.durable.DurableRecordDescriptor.HEADER_LENGTH;

/**
 * The sending half of LOW across hosts (store and forward): tails the durable queue of an agent's name on this host,
 * where its senders here appended, and hands each frame, in queue order and with its queue index, to a
 * {@link Shipper} (the router's bridge to the peer router that hosts the agent). A frame counts as delivered only once
 * the peer confirms its index ({@link #onConfirmed}): the <em>confirmed</em> index is an 8-byte value in the queue's
 * {@code metadata.cq4t} ({@code bridge/confirmed}, Chronicle's {@code indexForId}, a store to shared memory, kept
 * by the kernel when the process is killed), so a restarted router resumes after the last confirmed frame and ships
 * again everything after it; the peer skips the indexes it already appended ({@link DurableOrigins}).
 *
 * <p><b>Where it starts.</b> On the first open of a queue (no confirmed index yet) the floor is the last frame the
 * agent's own LOW inbox on this host was handed ({@code inbox/handed}, see {@link DurableInbox}): frames it read while
 * it lived here are not shipped again.
 *
 * <p><b>Window.</b> At most {@value #MAX_IN_FLIGHT} frames are shipped and not yet confirmed; without a confirmation
 * for {@code resendNs} the unconfirmed frames are shipped again ({@link #tick}), and so they are after
 * {@link #rewind()} (the bridge calls it when the peer's link comes back or the agent moves to another peer).
 *
 * <p>Thread-safety: one thread (the router's). Allocation: none per frame once open (Chronicle's tailer; the frame is
 * handed over as a view of the mapped queue file, valid during the {@link Shipper#ship} call only).
 */
public final class DurableForwarder implements AutoCloseable
{
    /** Most frames shipped and not confirmed. */
    public static final int MAX_IN_FLIGHT = 256;
    /** The id of the confirmed index in the queue's metadata. */
    static final String CONFIRMED_ID = "bridge/confirmed";
    /** The reader name of an agent's own LOW inbox (the one {@code LowTransport} opens). */
    static final String LOCAL_READER = "inbox";
    /** The id of the local inbox's handed-over marker (see {@link DurableInbox}). */
    static final String LOCAL_HANDED_ID = LOCAL_READER + "/handed";

    /** Where a frame goes. */
    @FunctionalInterface
    public interface Shipper
    {
        /**
         * @param prevIndex the index shipped before this one in this stream (or the confirmed one), 0 for none.
         * @param index     the frame's index in the queue here.
         * @param frame     the frame (valid during the call only).
         * @param offset    its offset.
         * @param length    its length.
         * @return {@link OfferStatus#OK} when it is on its way; anything else stops this poll, the frame comes again.
         */
        int ship(long prevIndex, long index, DirectBuffer frame, int offset, int length);
    }

    private final String name;
    private final int maxFrameLength;
    private final long resendNs;
    private final ErrorHandler errorHandler;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final LongValue confirmedValue;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final long[] inFlight = new long[MAX_IN_FLIGHT];
    private final long floor;
    private int inFlightHead;
    private int inFlightCount;
    private long confirmed;
    private long cursor;
    private long lastProgressNs;
    private long holdUntilNs;
    private long confirmedCount;
    private long resentCount;
    private long skippedCount;
    private boolean closed;

    /**
     * Open the queue of {@code name} (creating it if missing) and position after its confirmed index.
     *
     * @param queues         the settings.
     * @param name           the agent's name (its queue).
     * @param maxFrameLength the largest frame the shipper can carry: a larger one is skipped and reported (senders
     *                       are refused such frames at send, {@code TOO_LARGE}).
     * @param resendNs       ship unconfirmed frames again after this long without a confirmation.
     * @param nowNs          the time.
     * @param errorHandler   receives reports of skipped records.
     * @throws IllegalStateException when Chronicle cannot run here or the queue cannot be opened.
     */
    public DurableForwarder(final DurableQueues queues, final String name, final int maxFrameLength,
        final long resendNs, final long nowNs, final ErrorHandler errorHandler)
    {
        final String reason = DurableQueues.unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException(reason);
        }
        queues.conclude();
        this.name = name;
        this.maxFrameLength = maxFrameLength;
        this.resendNs = resendNs;
        this.errorHandler = errorHandler;
        SingleChronicleQueue q = null;
        ExcerptTailer t = null;
        LongValue c = null;
        LongValue handed = null;
        long handedIndex = 0;
        try
        {
            q = queues.open(name);
            t = q.createTailer();
            c = q.indexForId(CONFIRMED_ID);
            handed = q.indexForId(LOCAL_HANDED_ID);
            handedIndex = handed.getVolatileValue();
        }
        catch (final java.io.IOException | RuntimeException | InternalError ex)
        {
            CloseHelper.quietCloseAll(handed, c, t, q);
            throw new IllegalStateException("cannot open LOW queue '" + name + "' to forward it: " + ex, ex);
        }
        CloseHelper.quietClose(handed);
        this.queue = q;
        this.tailer = t;
        this.confirmedValue = c;
        long stored = c.getVolatileValue();
        if (stored == 0 && handedIndex > 0)
        {
            stored = handedIndex;
            c.setVolatileValue(stored);
        }
        this.floor = handedIndex;
        this.confirmed = stored;
        this.lastProgressNs = nowNs;
        rewind();
    }

    /**
     * Ship frames after the last one shipped, up to {@code limit}, within the window.
     *
     * @param shipper where they go.
     * @param limit   most frames.
     * @param nowNs   the time.
     * @return frames shipped.
     */
    public int poll(final Shipper shipper, final int limit, final long nowNs)
    {
        if (closed || nowNs - holdUntilNs < 0)
        {
            return 0;
        }
        int count = 0;
        while (count < limit && inFlightCount < MAX_IN_FLIGHT)
        {
            final DocumentContext dc = tailer.readingDocument();
            boolean consumed = true;
            try
            {
                if (!dc.isPresent())
                {
                    consumed = false;
                    break;
                }
                final long index = dc.index();
                if (index <= cursor)
                {
                    continue;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.readPosition();
                final long bodyLength = bytes.readRemaining();
                final int frameLength = bodyLength >= HEADER_LENGTH ? bytes.readInt(start + FRAME_LENGTH_OFFSET) : -1;
                if (frameLength < 0 || (frameLength != bodyLength - HEADER_LENGTH &&
                    !DurableOrigins.isOriginRecord(bytes, start, bodyLength, frameLength)))
                {
                    skip(index, "not a LOW frame (body " + bodyLength + " bytes, frame length field " +
                        frameLength + ")");
                    continue;
                }
                if (frameLength > maxFrameLength)
                {
                    skip(index, "a frame of " + frameLength + " bytes, over the " + maxFrameLength +
                        " the bridge carries (such sends are refused TOO_LARGE at send)");
                    continue;
                }
                view.wrap(frameLength == 0 ? 0 : bytes.addressForRead(start + HEADER_LENGTH, frameLength),
                    frameLength);
                final int status = shipper.ship(cursor, index, view, 0, frameLength);
                if (status != OfferStatus.OK)
                {
                    consumed = false;
                    break;
                }
                if (inFlightCount == 0)
                {
                    lastProgressNs = nowNs;
                }
                inFlight[(inFlightHead + inFlightCount) & (MAX_IN_FLIGHT - 1)] = index;
                inFlightCount++;
                cursor = index;
                count++;
            }
            finally
            {
                if (!consumed)
                {
                    dc.rollbackOnClose();
                }
                dc.close();
            }
        }
        return count;
    }

    /**
     * The peer says which index of this stream is durable on its host.
     *
     * @param appliedIndex the last index appended there (0 for none).
     * @param gap          true when the peer saw a frame whose predecessor it lacks: ship again after
     *                     {@code appliedIndex}.
     * @param failed       true when its append failed: ship again after the confirmed index, in {@code resendNs}.
     * @param nowNs        the time.
     * @return frames newly confirmed.
     */
    public int onConfirmed(final long appliedIndex, final boolean gap, final boolean failed, final long nowNs)
    {
        int newlyConfirmed = 0;
        if (appliedIndex > confirmed)
        {
            confirmed = appliedIndex;
            confirmedValue.setVolatileValue(appliedIndex);
            while (inFlightCount > 0 && inFlight[inFlightHead] <= appliedIndex)
            {
                inFlightHead = (inFlightHead + 1) & (MAX_IN_FLIGHT - 1);
                inFlightCount--;
                newlyConfirmed++;
            }
            if (appliedIndex > cursor)
            {
                cursor = appliedIndex; // the peer has more of this stream than this incarnation shipped
            }
            lastProgressNs = nowNs;
            confirmedCount += newlyConfirmed;
        }
        if (gap)
        {
            rewindTo(Math.min(confirmed, appliedIndex));
        }
        else if (failed)
        {
            holdUntilNs = nowNs + resendNs;
            rewind();
        }
        return newlyConfirmed;
    }

    /**
     * Ship unconfirmed frames again when none was confirmed for {@code resendNs}.
     *
     * @param nowNs the time.
     * @return true when it rewound.
     */
    public boolean tick(final long nowNs)
    {
        if (inFlightCount > 0 && nowNs - lastProgressNs > resendNs)
        {
            lastProgressNs = nowNs;
            rewind();
            return true;
        }
        return false;
    }

    /** Ship again everything after the confirmed index (the link came back, the agent moved). */
    public void rewind()
    {
        rewindTo(confirmed);
    }

    private void rewindTo(final long index)
    {
        if (inFlightCount > 0)
        {
            resentCount += inFlightCount;
        }
        inFlightHead = 0;
        inFlightCount = 0;
        cursor = Math.max(index, floor);
        if (cursor == 0 || !tailer.moveToIndex(cursor))
        {
            tailer.toStart(); // the read loop skips every index up to the cursor
        }
    }

    /** @return the last confirmed index (0 for none). */
    public long confirmedIndex()
    {
        return confirmed;
    }

    /** @return frames shipped and not yet confirmed. */
    public int inFlight()
    {
        return inFlightCount;
    }

    /** @return frames confirmed by the peer since this forwarder opened. */
    public long confirmedCount()
    {
        return confirmedCount;
    }

    /** @return frames shipped again after a timeout, a gap, a failure or a rewind. */
    public long resentCount()
    {
        return resentCount;
    }

    /** @return records skipped (not LOW frames, or too large for the bridge), each reported. */
    public long skippedCount()
    {
        return skippedCount;
    }

    /** @return the agent's name. */
    public String name()
    {
        return name;
    }

    private void skip(final long index, final String why)
    {
        skippedCount++;
        try
        {
            errorHandler.onError(new DurableQueueException("LOW queue '" + name + "' index " + index +
                " is not forwarded to the agent's host: " + why + "; skipped", null));
        }
        catch (final RuntimeException ignore)
        {
            // An error handler must not throw; the count still records the skip.
        }
    }

    /** Release the tailer and the queue; the confirmed index stays on disk. Idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietCloseAll(confirmedValue, tailer, queue);
        }
    }
}
