package dev.switchboard.router;

import java.nio.ByteBuffer;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.AckEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the router writes on a session's control stream, and how: the one buffer every part of the router encodes its
 * control frames in (Challenge, Registered, LookupResult, AgentEvent, Ack, Error), the Error and Ack that every part
 * answers with, and the count of control frames that an open session could not take
 * ({@link RouterCounter#CONTROL_ERRORS}, which also counts each refused request). A part encodes into
 * {@link #buffer()} at offset 0 and calls {@link #send} before anything else encodes there: the duty cycle is one
 * thread and never encodes two frames at once.
 *
 * <p>Thread-safety: the router's duty-cycle thread only. Allocation: none to send; the text of an Error is the
 * caller's (the control plane allocates its messages, by design).
 */
final class ControlReplies
{
    /** Bytes of the SBE message header before every control frame's body. */
    static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    /** Bytes of {@link #buffer()}: more than any session's control limit. */
    static final int BUFFER_BYTES = 1024 * 1024;

    private final CounterBlock counters;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_BYTES));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();

    /**
     * @param counters the router's counters.
     */
    ControlReplies(final CounterBlock counters)
    {
        this.counters = counters;
    }

    /**
     * @return the buffer to encode a control frame in, at offset 0, just before {@link #send}.
     */
    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Send the control frame encoded at the start of {@link #buffer()}; a session that is open but cannot take it is
     * counted ({@link RouterCounter#CONTROL_ERRORS}), a closed one is not (its end is handled elsewhere).
     *
     * @param session to send to.
     * @param length  of the frame, header included.
     */
    void send(final Session session, final int length)
    {
        final int status = session.sendControl(buffer, 0, length);
        if (status != OfferStatus.OK && session.isOpen())
        {
            counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        }
    }

    /**
     * Refuse a control request: counted ({@link RouterCounter#CONTROL_ERRORS}) and answered with an Error.
     *
     * @param session       the asker's.
     * @param correlationId of the request.
     * @param code          why.
     * @param text          what was wrong, the limit, the value seen.
     */
    void refuse(final Session session, final long correlationId, final ErrorCode code, final String text)
    {
        counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        sendError(session, correlationId, code, text);
    }

    /**
     * Send an Error (not counted as a refused request; the caller counts what it refused).
     *
     * @param session       to tell.
     * @param correlationId of the request or frame it answers, 0 for none.
     * @param code          why.
     * @param text          cut to {@link WireLimits#MAX_TEXT_LENGTH}.
     */
    void sendError(final Session session, final long correlationId, final ErrorCode code, final String text)
    {
        headerEncoder.wrap(buffer, 0);
        errorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .text(text.length() > WireLimits.MAX_TEXT_LENGTH ? text.substring(0, WireLimits.MAX_TEXT_LENGTH) : text);
        send(session, HEADER + errorEncoder.encodedLength());
    }

    /**
     * Answer a request that succeeded.
     *
     * @param session       the asker's.
     * @param correlationId of the request.
     * @param resolvedId    what the request named, resolved (a topic's, group's or queue's id), or 0.
     */
    void sendAck(final Session session, final long correlationId, final long resolvedId)
    {
        headerEncoder.wrap(buffer, 0);
        ackEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .resolvedId(resolvedId);
        send(session, HEADER + ackEncoder.encodedLength());
    }
}
