package dev.switchboard.transport;

import org.agrona.DirectBuffer;

/**
 * The data path to one receiver on one tier, resolved once by a control call (the {@code addPublication} model): a
 * client's {@code Destination} writes through it. Every offer writes one direct frame ({@link FrameTypes#direct}):
 * the schema's 24-byte {@code DirectFrame} block (written without an SBE header), then the payload, in place in the
 * receiver's ring record or the link's send buffer: no staging copy, no lookup, no clock read.
 *
 * <p>Implementations: a shared-memory inbox (CRITICAL, BATCH), an in-process inbox, an agent-to-agent socket link
 * (NORMAL over {@code java.nio}, HIGH over io_uring). A socket lane publishes its bytes to the kernel at the latest at
 * the owner's next poll (see {@link #flush()}), and signals the receiver after writing (the receiver's inbox header
 * {@code LINK_SIGNAL}), so that the receiver reads its links only when something came.
 *
 * <p>Thread-safety: one thread, the owning client's. Allocation: none in {@link #offer}, {@link #tryClaim} and
 * {@link #flush()}. Never blocks, never throws for an expected condition.
 */
public interface Lane extends AutoCloseable
{
    /**
     * @return the tier this lane writes on.
     */
    Tier tier();

    /**
     * @return the largest payload one offer takes (the receiver's largest record, less the direct frame header).
     */
    int maxPayloadLength();

    /**
     * Write one direct frame.
     *
     * @param sourceAgentId the sender's agent id.
     * @param correlationId request/response pairing, 0 for a send.
     * @param pattern       {@code Pattern.value()} of SEND, REQUEST or RESPONSE.
     * @param priority      {@code Priority.value()} the sender asked for.
     * @param flags         envelope flags.
     * @param payload       the payload.
     * @param offset        of the payload.
     * @param length        of the payload, {@code 0 .. maxPayloadLength()}.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}: {@link OfferStatus#BACK_PRESSURED} when the
     * receiver's ring or the link is full, {@link OfferStatus#NOT_CONNECTED} once the receiver is gone (then
     * {@link #isConnected()} is false for good) or while its ring is damaged (its owner repairs it: the lane stays
     * connected), {@link OfferStatus#TOO_LARGE} above {@link #maxPayloadLength()}.
     */
    int offer(
        long sourceAgentId,
        long correlationId,
        short pattern,
        short priority,
        int flags,
        DirectBuffer payload,
        int offset,
        int length);

    /**
     * Claim room for a direct frame with a payload of {@code payloadLength} bytes, for a zero-copy send: the lane
     * writes the header, the caller writes the payload at {@link FrameClaim#payloadOffset()} and commits. Only lanes
     * into a ring support it.
     *
     * @param sourceAgentId the sender's agent id.
     * @param priority      {@code Priority.value()}.
     * @param payloadLength bytes of payload.
     * @param claim         filled in on success.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}; {@link OfferStatus#REJECTED} on a lane that
     * cannot claim in place.
     */
    default int tryClaim(final long sourceAgentId, final short priority, final int payloadLength, final FrameClaim claim)
    {
        return OfferStatus.REJECTED;
    }

    /**
     * Publish buffered bytes (socket lanes). Ring lanes have nothing to do. Called by the owning client on its duty
     * slice and before it parks.
     *
     * @return bytes or frames published, 0 when there was nothing.
     */
    default int flush()
    {
        return 0;
    }

    /**
     * @return false once the receiver is known to be gone or the lane broke; offers then return
     * {@link OfferStatus#NOT_CONNECTED}.
     */
    boolean isConnected();

    /**
     * @return true when the receiver holds this lane to the agent id it was opened under and refuses a frame with any
     * other source (an agent-to-agent link: the receiver learnt that id from the router's grant); false when the frames'
     * source is not checked against the lane (a ring). A client that registers again under a new id (a reconnection to
     * a new router) closes such lanes, since their receivers would take its next frames for spoofed ones.
     */
    default boolean isBoundToSource()
    {
        return false;
    }

    /**
     * Release the lane (unmap, close the socket). Idempotent.
     */
    @Override
    void close();
}
