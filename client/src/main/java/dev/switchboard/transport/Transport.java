package dev.switchboard.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * The SPI every tier implements: one endpoint of one agent (or of the router) on one tier.
 *
 * <p>Life cycle: {@link #open()} once, then any number of {@link #offer} and {@link #poll} calls, then
 * {@link #close()}. Frames are complete SBE frames (header + message); a transport moves bytes and never
 * looks inside them.
 *
 * <p>Destinations: {@link #ROUTER} names the router; any other value is an agent id as granted by the
 * registry. A tier that is not {@link TransportCapabilities#direct()} sends everything to the router,
 * whatever the destination.
 *
 * <p>Thread-safety: {@link #offer} may be called by one thread per endpoint (the owning agent's);
 * {@link #poll} by the owning agent's thread only. Allocation: implementations allocate nothing in
 * {@code offer} and {@code poll} once warm.
 */
public interface Transport extends AutoCloseable
{
    /** Destination id of the router itself. */
    long ROUTER = 0;

    /**
     * @return what this transport can do.
     */
    TransportCapabilities capabilities();

    /**
     * @return the tier this transport implements.
     */
    default Tier tier()
    {
        return capabilities().tier();
    }

    /**
     * Open this endpoint: after it returns, frames addressed to it are accepted and {@link #poll} reads
     * them. Nothing to do by default (a transport that is ready once constructed).
     */
    default void open()
    {
    }

    /**
     * Offer one frame made of two parts, written as one record (gathering write), so that an envelope
     * header and a caller's payload need no staging copy.
     *
     * @param destination   agent id, or {@link #ROUTER}.
     * @param header        first part.
     * @param headerOffset  offset of the first part.
     * @param headerLength  length of the first part.
     * @param payload       second part (may be the same buffer).
     * @param payloadOffset offset of the second part.
     * @param payloadLength length of the second part, may be 0.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}; never throws for an expected
     * condition.
     */
    int offer(
        long destination,
        DirectBuffer header,
        int headerOffset,
        int headerLength,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength);

    /**
     * Offer one frame.
     *
     * @param destination agent id, or {@link #ROUTER}.
     * @param buffer      holding the frame.
     * @param offset      of the frame.
     * @param length      of the frame.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    default int offer(final long destination, final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(destination, buffer, offset, length, buffer, offset + length, 0);
    }

    /**
     * Claim space for one frame in the destination's ring, for a zero-copy send: the caller writes the frame
     * in place and commits through the claim. Only tiers that write into the receiver's ring directly support
     * it; others return {@link OfferStatus#REJECTED}.
     *
     * @param destination an agent id.
     * @param frameLength length of the whole frame.
     * @param claim       filled in on success.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    default int tryClaim(final long destination, final int frameLength, final FrameClaim claim)
    {
        return OfferStatus.REJECTED;
    }

    /**
     * Read frames addressed to this endpoint.
     *
     * @param handler       called once per frame; the buffer is valid only during the call.
     * @param fragmentLimit most frames to read in this call.
     * @return number of frames read; 0 by default, for a transport that only sends (its replies arrive through
     *         another path, e.g. the control socket).
     */
    default int poll(final MessageHandler handler, final int fragmentLimit)
    {
        return 0;
    }

    /**
     * Close this endpoint; later offers return {@link OfferStatus#CLOSED}. Idempotent.
     */
    @Override
    void close();
}
