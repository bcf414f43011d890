package dev.switchboard.client;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * Every offer of the data plane (Aeron's {@code Publication} side): point-to-point sends, requests and responses
 * through a {@link Destination} (its direct {@link Lane} when it has one: a 24-byte direct frame header and the
 * payload written in place, no lookup, no clock read; else the priority's transport to the router, or LOW's durable
 * queue), the zero-copy claim, and the patterns that always go through the router (publish, multicast, broadcast,
 * enqueue, ack) as whole envelope frames. Each returns an {@link OfferStatus}, counted by tier, pattern and outcome in
 * the client's {@link LocalCounters}; a request also enters {@link PendingRequests} with its deadline.
 *
 * <p>By id or by name, a send finds its destination in {@link Destinations} (one hash lookup). Its slow branches
 * call the {@link ControlPlane} without blocking: every so many sends ({@link DutyCountdown}) the lease is renewed, so
 * that an agent that only sends keeps it; a destination between its routed and direct paths makes progress; a name not
 * known yet is looked up in the background; a destination resolving while its frames go routed reads the answers
 * every 64 sends.
 *
 * <p>Thread: the client's thread only (many clients may send to one receiver at once: the receiver's inbox is a
 * many-producer ring). Allocation: none once warm, no lock; a destination's or a name's first use allocates (see
 * {@link Destinations}).
 */
final class Sender
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    /** What a routed frame carries before its payload: header, envelope block, payload length. */
    private static final int ENVELOPE_PREFIX =
        HEADER + EnvelopeEncoder.BLOCK_LENGTH + EnvelopeEncoder.payloadHeaderLength();
    private static final SegmentBuffer EMPTY = SegmentBuffer.allocate(Arena.ofAuto(), 8);
    private static final short SEND = Pattern.SEND.value();
    private static final short REQUEST = Pattern.REQUEST.value();
    private static final short RESPONSE = Pattern.RESPONSE.value();

    private final ClientSession session;
    private final PriorityTiers tiers;
    private final Destinations destinations;
    private final ControlPlane control;
    private final PendingRequests pending;
    private final LocalCounters counters;
    private final NanoClock clock;
    private final DutyCountdown sendDuty;

    /** The envelope prefix of a routed frame (the payload is offered from the caller's buffer, not copied here). */
    private final SegmentBuffer sendBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();

    Sender(
        final ClientContext ctx,
        final ClientSession session,
        final PriorityTiers tiers,
        final Destinations destinations,
        final ControlPlane control,
        final PendingRequests pending,
        final LocalCounters counters)
    {
        this.session = session;
        this.tiers = tiers;
        this.destinations = destinations;
        this.control = control;
        this.pending = pending;
        this.counters = counters;
        this.clock = ctx.nanoClock();
        this.sendDuty = new DutyCountdown(ctx.dutyPeriodNs(), ctx.dutyInterval());
    }

    /** {@link SwitchboardClient#send(Destination, DirectBuffer, int, int)}. */
    int send(final Destination destination, final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(destination, SEND, 0, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#send(long, Priority, DirectBuffer, int, int)}. */
    int send(
        final long targetAgentId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        final int admitted = admit(targetAgentId, priority, Pattern.SEND);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        return offer(destinations.destinationFor(targetAgentId, priority), SEND, 0, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#send(String, Priority, DirectBuffer, int, int)}. */
    int send(
        final String agentName, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        if (session.agentId() == 0)
        {
            return notConnected(priority, Pattern.SEND);
        }
        Long cached = destinations.cachedAgentId(agentName);
        if (cached == null)
        {
            control.lookUpNameInBackground(agentName);
            cached = destinations.cachedAgentId(agentName);
            if (cached == null)
            {
                return OfferStatus.BACK_PRESSURED;
            }
        }
        if (cached == 0)
        {
            destinations.forgetAgentId(agentName);
            return notConnected(priority, Pattern.SEND);
        }
        final int status = send(cached, priority, buffer, offset, length);
        if (status == OfferStatus.NOT_CONNECTED)
        {
            destinations.forgetAgentId(agentName);
        }
        return status;
    }

    /** {@link SwitchboardClient#tryClaim(Destination, int, FrameClaim)}. */
    int tryClaim(final Destination destination, final int payloadLength, final FrameClaim claim)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        final Destination d = destination;
        if (d.gone)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        Lane lane = d.lane;
        if (lane == null && (d.resolution != 0 || d.barrier != 0))
        {
            control.progress(d);
            lane = d.lane;
        }
        if (lane == null)
        {
            final boolean pending = d.resolution != 0 || d.barrier != 0;
            counters.increment(d.counterId(SEND, pending ? CounterKind.BACK_PRESSURED : CounterKind.REJECTED));
            return pending ? OfferStatus.BACK_PRESSURED : OfferStatus.REJECTED;
        }
        final int status = lane.tryClaim(session.agentId(), d.priorityValue, payloadLength, claim);
        counters.increment(d.counterId(SEND, kindOf(status)));
        if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
        {
            destinations.forget(d);
        }
        return status;
    }

    /** {@link SwitchboardClient#tryClaim(long, Priority, int, FrameClaim)}. */
    int tryClaim(final long targetAgentId, final Priority priority, final int payloadLength, final FrameClaim claim)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        if (session.agentId() == 0 || tiers.tier(priority) == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (!tiers.tier(priority).isDirect() || tiers.tier(priority) == Tier.LOW)
        {
            counters.increment(CounterIds.of(tiers.tier(priority), Pattern.SEND, CounterKind.REJECTED));
            return OfferStatus.REJECTED;
        }
        if (payloadLength < 0 || payloadLength > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tiers.tier(priority), Pattern.SEND, CounterKind.REJECTED));
            return payloadLength < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        return tryClaim(destinations.destinationFor(targetAgentId, priority), payloadLength, claim);
    }

    /** {@link SwitchboardClient#publish(long, Priority, DirectBuffer, int, int)}. */
    int publish(
        final long topicId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return offerRouted(TargetKind.TOPIC, topicId, Pattern.PUBLISH, priority, 0, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#multicast(long, Priority, DirectBuffer, int, int)}. */
    int multicast(
        final long groupId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return offerRouted(TargetKind.GROUP, groupId, Pattern.MULTICAST, priority, 0, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#broadcast(Priority, DirectBuffer, int, int)}. */
    int broadcast(final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return offerRouted(TargetKind.ALL, 0, Pattern.BROADCAST, priority, 0, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#request(Destination, DirectBuffer, int, int, long, ResponseHandler)}. */
    long request(
        final Destination destination,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timeoutNs,
        final ResponseHandler handler)
    {
        if (pending.isFull())
        {
            return session.isClosed() ? OfferStatus.CLOSED : OfferStatus.BACK_PRESSURED;
        }
        final long correlationId = session.nextCorrelationId();
        final int status = offer(destination, REQUEST, correlationId, 0, buffer, offset, length);
        if (status != OfferStatus.OK)
        {
            return status;
        }
        final long sentNs = clock.nanoTime();
        pending.add(correlationId, sentNs, sentNs + timeoutNs, handler);
        return correlationId;
    }

    /** {@link SwitchboardClient#request(long, Priority, DirectBuffer, int, int, long, ResponseHandler)}. */
    long request(
        final long targetAgentId,
        final Priority priority,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timeoutNs,
        final ResponseHandler handler)
    {
        final int admitted = admit(targetAgentId, priority, Pattern.REQUEST);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        return request(
            destinations.destinationFor(targetAgentId, priority), buffer, offset, length, timeoutNs, handler);
    }

    /** {@link SwitchboardClient#respond(Message, DirectBuffer, int, int)}. */
    int respond(final Message request, final DirectBuffer buffer, final int offset, final int length)
    {
        return respond(request.sourceAgentId(), request.correlationId(), request.priority(), buffer, offset, length);
    }

    /** {@link SwitchboardClient#respond(long, long, Priority, DirectBuffer, int, int)}. */
    int respond(
        final long requesterId,
        final long correlationId,
        final Priority priority,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int admitted = admit(requesterId, priority, Pattern.RESPONSE);
        if (admitted != OfferStatus.OK)
        {
            return admitted;
        }
        return offer(
            destinations.destinationFor(requesterId, priority), RESPONSE, correlationId, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#respond(Destination, long, DirectBuffer, int, int)}. */
    int respond(
        final Destination requester, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return offer(requester, RESPONSE, correlationId, 0, buffer, offset, length);
    }

    /** {@link SwitchboardClient#enqueue(long, Priority, DirectBuffer, int, int)}. */
    int enqueue(
        final long queueId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return offerRouted(TargetKind.QUEUE, queueId, Pattern.WORK, priority, session.nextCorrelationId(), 0,
            buffer, offset, length);
    }

    /** {@link SwitchboardClient#ack(Message)}. */
    int ack(final Message workItem)
    {
        return ack(workItem.targetId(), workItem.correlationId(), workItem.priority());
    }

    /** {@link SwitchboardClient#ack(long, long, Priority)}. */
    int ack(final long queueId, final long itemId, final Priority priority)
    {
        return offerRouted(TargetKind.QUEUE, queueId, Pattern.WORK_ACK, priority, itemId, 0, EMPTY, 0, 0);
    }

    /**
     * The point-to-point path: through the destination's lane when it has one, else through the router.
     */
    private int offer(
        final Destination d,
        final short pattern,
        final long correlationId,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        if (sendDuty.countDown())
        {
            onSendCountdown();
        }
        final Lane lane = d.lane;
        final int status;
        if (d.gone)
        {
            status = OfferStatus.NOT_CONNECTED; // its receiver left, or its link closed: resolve it again
        }
        else if (d.durableUnreachable)
        {
            // LOW to an agent the registry does not show at LOW here (no durable queue, or a peer router that cannot
            // forward LOW): never a silent append.
            counters.increment(CounterIds.of(RouterCounter.LOW_REFUSED_REMOTE_RECEIVER));
            status = OfferStatus.REJECTED;
        }
        else if (lane != null)
        {
            status = lane.offer(
                session.agentId(), correlationId, pattern, d.priorityValue, flags, payload, offset, length);
            if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
            {
                destinations.forget(d);
            }
        }
        else if (d.linkResolution && session.inHandler())
        {
            // Inside a handler the link's answer cannot be waited for: this destination goes through the router from
            // now on (never switching, so its order holds); destination() outside handlers gives the fast path.
            destinations.pinRouted(d);
            status = offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
        }
        else if (d.barrier != 0 || d.durablePending || (d.resolution != 0 && (d.linkResolution || d.tier == Tier.LOW)))
        {
            // Between paths: nothing more through the router (it would be overtaken), nothing direct yet.
            status = control.progress(d) ? offerAgain(d, pattern, correlationId, flags, payload, offset, length) :
                OfferStatus.BACK_PRESSURED;
        }
        else
        {
            status = offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
            if (d.resolution != 0 && status == OfferStatus.OK && (++d.routedWhileResolving & 63) == 0)
            {
                // A sender that never polls still learns the answer: a non-blocking read every 64 routed sends.
                control.pollControl();
            }
        }
        counters.increment(d.counterId(pattern, kindOf(status)));
        return status;
    }

    private int offerAgain(
        final Destination d,
        final short pattern,
        final long correlationId,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final Lane lane = d.lane;
        if (d.gone)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (lane != null)
        {
            final int status = lane.offer(
                session.agentId(), correlationId, pattern, d.priorityValue, flags, payload, offset, length);
            if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
            {
                destinations.forget(d);
            }
            return status;
        }
        if (d.durableDirect)
        {
            return offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
        }
        if (d.durableUnreachable)
        {
            counters.increment(CounterIds.of(RouterCounter.LOW_REFUSED_REMOTE_RECEIVER));
            return OfferStatus.REJECTED;
        }
        return OfferStatus.BACK_PRESSURED;
    }

    private int offerWithoutLane(
        final Destination d,
        final short pattern,
        final long correlationId,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (length < 0 || length > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        final Transport transport = d.routed;
        if (transport == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (d.tier == Tier.LOW && length > d.durableMaxFrame - ENVELOPE_PREFIX)
        {
            // LOW to an agent on another host: its router ships the queue over the bridge, whose largest message this
            // frame would exceed; refused here rather than appended and never carried.
            counters.increment(CounterIds.of(RouterCounter.LOW_REFUSED_REMOTE_RECEIVER));
            return OfferStatus.TOO_LARGE;
        }
        encodeEnvelope(TargetKind.AGENT, d.agentId, Pattern.get(pattern), d.priority, correlationId, flags, length);
        // LOW never goes through the router (durability cannot be faked): its transport appends to the receiver's queue
        // or says NOT_CONNECTED; every other tier's routed frame is addressed to the router.
        return transport.offer(d.tier == Tier.LOW ? d.agentId : Transport.ROUTER, sendBuffer, 0, ENVELOPE_PREFIX,
            payload, offset, length);
    }

    /** Patterns that always go through the router: whole envelope frames on the priority's router transport. */
    private int offerRouted(
        final TargetKind targetKind,
        final long targetId,
        final Pattern pattern,
        final Priority priority,
        final long correlationId,
        final int flags,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        final Tier tier = tiers.tier(priority);
        if (session.agentId() == 0 || tier == null)
        {
            return notConnected(priority, pattern);
        }
        if (length < 0 || length > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tier, pattern, CounterKind.REJECTED));
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        if (sendDuty.countDown())
        {
            onSendCountdown();
        }
        encodeEnvelope(targetKind, targetId, pattern, priority, correlationId, flags, length);
        final int status = tiers.transport(priority).offer(
            Transport.ROUTER, sendBuffer, 0, ENVELOPE_PREFIX, payload, offset, length);
        counters.increment(CounterIds.of(tier, pattern, kindOf(status)));
        return status;
    }

    private void encodeEnvelope(
        final TargetKind targetKind,
        final long targetId,
        final Pattern pattern,
        final Priority priority,
        final long correlationId,
        final int flags,
        final int length)
    {
        // Routed frames keep their timestamp: the router's path is not the sub-microsecond one, and work hand-off
        // latency is measured from it.
        envelopeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .sourceAgentId(session.agentId())
            .targetId(targetId)
            .correlationId(correlationId)
            .timestampNs(System.nanoTime())
            .flags(flags)
            .targetKind(targetKind)
            .pattern(pattern)
            .priority(priority);
        sendBuffer.putInt(ENVELOPE_PREFIX - EnvelopeEncoder.payloadHeaderLength(), length, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The checks a send to one agent starts with.
     *
     * @return {@link OfferStatus#OK} when it may go on; {@link OfferStatus#CLOSED} once closed;
     *         {@link OfferStatus#NOT_CONNECTED} (counted rejected) before registration or for no target.
     */
    private int admit(final long targetAgentId, final Priority priority, final Pattern pattern)
    {
        if (session.isClosed())
        {
            return OfferStatus.CLOSED;
        }
        if (session.agentId() == 0 || targetAgentId == 0)
        {
            return notConnected(priority, pattern);
        }
        return OfferStatus.OK;
    }

    private int notConnected(final Priority priority, final Pattern pattern)
    {
        final Tier tier = tiers.tier(priority);
        counters.increment(CounterIds.of(tier == null ? Tier.NORMAL : tier, pattern, CounterKind.REJECTED));
        return OfferStatus.NOT_CONNECTED;
    }

    private static CounterKind kindOf(final int status)
    {
        return status == OfferStatus.OK ? CounterKind.SENT :
            status == OfferStatus.BACK_PRESSURED ? CounterKind.BACK_PRESSURED : CounterKind.REJECTED;
    }

    /**
     * Every so many sends (adapted as for polls): renew the lease when due, so that an agent that only sends keeps it
     * (one clock read per that many sends).
     */
    private void onSendCountdown()
    {
        final long nowNs = clock.nanoTime();
        sendDuty.restart(nowNs);
        control.keepAlive(nowNs);
    }
}
