package dev.switchboard.transport;

import dev.switchboard.ring.ManyToOneRing;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A {@link Lane} into a receiver's {@link ManyToOneRing} (a shared-memory inbox, an in-process inbox): claim, write the
 * direct frame header and the payload in place, commit, then {@link #afterCommit()} (the receiver-specific part:
 * whether it is still open, waking it if parked). One claim CAS, one copy, no staging buffer.
 *
 * <p>Thread-safety: one sending thread per instance (many instances, in many threads and processes, may write to one
 * ring). Allocation: none.
 */
public abstract class RingLane implements Lane
{
    private final ManyToOneRing ring;
    private final MutableDirectBuffer buffer;
    private final Tier tier;
    private final int typeId;
    private final int maxPayloadLength;
    private final FrameClaim.Committer committer = new FrameClaim.Committer()
    {
        @Override
        public void commit(final int index)
        {
            ring.commit(index);
            afterCommit();
        }

        @Override
        public void abort(final int index)
        {
            ring.abort(index);
        }
    };
    private boolean closed;

    /**
     * @param ring the receiver's ring.
     * @param tier the tier this lane writes on (it tags every record: {@link FrameTypes#direct(Tier)}).
     */
    protected RingLane(final ManyToOneRing ring, final Tier tier)
    {
        this.ring = ring;
        this.buffer = ring.buffer();
        this.tier = tier;
        this.typeId = FrameTypes.direct(tier);
        this.maxPayloadLength = ring.maxMessageLength() - DirectFrames.HEADER_LENGTH;
    }

    @Override
    public final Tier tier()
    {
        return tier;
    }

    @Override
    public final int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    @Override
    public final int offer(
        final long sourceAgentId,
        final long correlationId,
        final short pattern,
        final short priority,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (closed)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (length < 0 || length > maxPayloadLength)
        {
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        try
        {
            final int index = ring.tryClaim(typeId, DirectFrames.HEADER_LENGTH + length);
            if (index < 0)
            {
                return index;
            }
            final MutableDirectBuffer buffer = this.buffer;
            DirectFrames.writeHeader(buffer, index, sourceAgentId, correlationId, pattern, priority, flags);
            if (length > 0)
            {
                buffer.putBytes(index + DirectFrames.HEADER_LENGTH, payload, offset, length);
            }
            ring.commit(index);
            return afterCommit();
        }
        catch (final InternalError e)
        {
            return onFault(e);
        }
    }

    /**
     * The mapping faulted ({@code SIGBUS}: the file under a shared-memory ring was truncated by another process): the
     * JVM reports it as an {@link InternalError} in the accessing thread. This lane is closed and the send reports
     * {@link OfferStatus#NOT_CONNECTED}; nothing is thrown to the caller.
     */
    private int onFault(final InternalError e)
    {
        closed = true;
        onMappingFault(e);
        return OfferStatus.NOT_CONNECTED;
    }

    /**
     * The receiver's ring faulted (see {@link #onFault}): count and report it. Called once per lane.
     *
     * @param e what the JVM threw.
     */
    protected void onMappingFault(final InternalError e)
    {
    }

    @Override
    public final int tryClaim(final long sourceAgentId, final short priority, final int payloadLength, final FrameClaim claim)
    {
        if (closed)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            return payloadLength < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        final int frameLength = DirectFrames.HEADER_LENGTH + payloadLength;
        try
        {
            final int index = ring.tryClaim(typeId, frameLength);
            if (index < 0)
            {
                return index;
            }
            DirectFrames.writeHeader(buffer, index, sourceAgentId, 0, dev.switchboard.codecs.sbe.Pattern.SEND.value(),
                priority, 0);
            claim.wrap(buffer, index, frameLength, committer);
            claim.payload(index + DirectFrames.HEADER_LENGTH, payloadLength);
            return OfferStatus.OK;
        }
        catch (final InternalError e)
        {
            return onFault(e);
        }
    }

    /**
     * After a commit: check the receiver is still there and wake it if it is parked.
     *
     * @return {@link OfferStatus#OK}, or {@link OfferStatus#NOT_CONNECTED} when the receiver closed its inbox (the
     * frame may not be read).
     */
    protected abstract int afterCommit();

    @Override
    public boolean isConnected()
    {
        return !closed;
    }

    /**
     * Mark this lane closed: later offers return {@link OfferStatus#NOT_CONNECTED} without touching the ring.
     */
    protected final void markClosed()
    {
        closed = true;
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
