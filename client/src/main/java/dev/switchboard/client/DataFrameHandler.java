package dev.switchboard.client;

import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.DirectFrames;
import dev.switchboard.transport.FrameTypes;
import dev.switchboard.transport.Tier;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Delivers the data frames a poll reads (the own inbox, the links, the durable queue, routed frames): checks each
 * record before it is trusted, wraps the one reused {@link Message} flyweight over it in place, counts it by tier and
 * pattern, and hands it to the poll's {@link dev.switchboard.client.MessageHandler}, or, for a response, to the
 * {@link ResponseHandler} that {@link PendingRequests} holds for its correlation id (a response nobody waits for any
 * more is counted late).
 *
 * <p>Records are of two kinds (see {@link FrameTypes}): whole SBE envelope frames (routed, durable) and direct frames
 * (a 24-byte {@link DirectFrames} header, written by a sender's destination straight into this inbox or link).
 *
 * <p>While a handler runs the {@link ClientSession} says so: a send from inside a handler must not drive the control
 * plane.
 *
 * <p>Thread: the client's thread only, inside a poll or a duty slice (the connection's duty reads its slower sources
 * too, also from {@code keepAlive()}). Allocation: none.
 */
final class DataFrameHandler implements MessageHandler
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final ClientSession session;
    private final PendingRequests pending;
    private final FrameValidator validator;
    private final LocalCounters counters;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final Message message = new Message();
    /** The handler of the poll in progress. */
    private dev.switchboard.client.MessageHandler userHandler;

    DataFrameHandler(
        final ClientSession session,
        final PendingRequests pending,
        final FrameValidator validator,
        final LocalCounters counters)
    {
        this.session = session;
        this.pending = pending;
        this.validator = validator;
        this.counters = counters;
    }

    /**
     * @param handler receives the messages of the poll that starts.
     */
    void handler(final dev.switchboard.client.MessageHandler handler)
    {
        userHandler = handler;
    }

    @Override
    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if ((typeId & FrameTypes.DIRECT_BIT) != 0)
        {
            onDirectFrame(typeId, buffer, index, length);
            return;
        }
        if (typeId < 1 || typeId > Tier.count())
        {
            // Not a type any transport writes: a garbage record in a shared-memory inbox.
            counters.increment(RouterCounter.REJECTED_MALFORMED);
            return;
        }
        final Tier tier = Tier.ofTypeId(typeId);
        if (validator.validate(buffer, index, length) != EnvelopeDecoder.TEMPLATE_ID)
        {
            counters.increment(CounterIds.of(tier, Pattern.SEND, CounterKind.REJECTED));
            return;
        }
        headerDecoder.wrap(buffer, index);
        final EnvelopeDecoder d = envelopeDecoder;
        d.wrap(buffer, index + HEADER, headerDecoder.blockLength(), headerDecoder.version());
        final Pattern pattern = d.pattern();
        final int payloadLength = d.payloadLength();
        final int payloadOffset = d.limit() + EnvelopeDecoder.payloadHeaderLength();
        message.set(d.sourceAgentId(), d.targetId(), d.correlationId(), d.timestampNs(), (int)d.flags(),
            d.targetKind(), pattern, d.priority(), tier, buffer, payloadOffset, payloadLength);
        counters.increment(CounterIds.of(tier, pattern, CounterKind.DELIVERED));
        deliver(pattern);
    }

    /** A 24-byte DirectFrame header then the payload (see {@link DirectFrames}): checked before it is trusted. */
    private void onDirectFrame(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (!FrameTypes.isValid(typeId) || !DirectFrames.isValid(buffer, index, length))
        {
            counters.increment(RouterCounter.REJECTED_MALFORMED);
            return;
        }
        final Tier tier = FrameTypes.tierOf(typeId);
        final Pattern pattern = DirectFrames.pattern(buffer, index);
        message.set(DirectFrames.sourceAgentId(buffer, index), session.agentId(),
            DirectFrames.correlationId(buffer, index), 0, DirectFrames.flags(buffer, index), TargetKind.AGENT, pattern,
            DirectFrames.priority(buffer, index), tier,
            buffer, index + DirectFrames.HEADER_LENGTH, length - DirectFrames.HEADER_LENGTH);
        counters.increment(CounterIds.of(tier, pattern, CounterKind.DELIVERED));
        deliver(pattern);
    }

    private void deliver(final Pattern pattern)
    {
        if (pattern == Pattern.RESPONSE)
        {
            final ResponseHandler h = pending.remove(message.correlationId());
            if (h == null)
            {
                counters.increment(RouterCounter.LATE_RESPONSES);
                return;
            }
            session.enterHandler();
            try
            {
                h.onResponse(message.correlationId(), message);
            }
            finally
            {
                session.leaveHandler();
            }
            return;
        }
        session.enterHandler();
        try
        {
            userHandler.onMessage(message);
        }
        finally
        {
            session.leaveHandler();
        }
    }
}
