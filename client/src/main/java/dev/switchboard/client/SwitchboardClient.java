package dev.switchboard.client;

import java.util.List;

import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * The API agent code links: connect, register, then send, publish, request, multicast, broadcast,
 * enqueue and ack, and {@link #poll} for what arrives.
 *
 * <pre>{@code
 * try (SwitchboardClient c = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
 * {
 *     c.register("Testbed", "testing");
 *     final Destination builder = c.destination("Constructor", Priority.CRITICAL); // resolved once
 *     while (running)
 *     {
 *         c.send(builder, buffer, 0, length);                                        // never blocks
 *         idle.idle(c.poll(message -> handle(message)));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Two kinds of call</b>, split as Aeron splits its client conductor from its publications and subscriptions.
 * Control-plane calls ({@link #register}, {@link #subscribe}, {@link #lookup}, {@link #destination}...) block until the
 * router answers, allocate, and throw a {@link SwitchboardException} when refused. Data-plane calls ({@link #send},
 * {@link #publish}, {@link #request}, {@link #poll}...) never block, never throw for an expected condition, and
 * allocate nothing once warm: each returns an {@link OfferStatus} (a negative value means the message did not go, and
 * why).
 *
 * <p><b>Sending.</b> {@link #destination(long, Priority)} resolves a receiver once (maps its inbox, opens the link);
 * {@link #send(Destination, DirectBuffer, int, int)} then writes a 24-byte direct frame header and the payload in place
 * in the receiver's ring or link: no lookup, no clock read, no staging copy (a 32-byte payload's record is one
 * 64-byte cache line). {@link #send(long, Priority, DirectBuffer, int, int)} by id does one hash lookup for the
 * destination; an id seen for the first time is sent through the router while its direct path is resolved in the
 * background (never a blocking lookup inside a send).
 *
 * <p><b>Receiving.</b> {@link #poll} reads this client's own inbox first, with no clock read and no system call; other
 * sources (control socket, links, durable queue) are read only when their readiness word in the inbox header moved;
 * heartbeats, request expiry, counter flushes and stuck-record checks run as a duty slice about every
 * {@link ClientContext#dutyPeriodNs()}: polls count down to it without reading the clock, the count adapting to the
 * poll rate, and it also runs after the idle strategy parked.
 *
 * <p><b>Priorities and tiers.</b> Each priority maps to a tier through the connection's {@link TierMapping};
 * point-to-point patterns (send, request, response) go straight to the receiver on direct paths; publish, multicast,
 * broadcast and work items go through the router.
 *
 * <p><b>Ordering.</b> Messages from one client to one receiver at one priority arrive in the order sent, including
 * across the switch from the routed path to the direct one. Different priorities are not ordered with each other.
 *
 * <p><b>Liveness.</b> The lease is renewed from the duty slice: a shared-memory heartbeat where the client has an inbox,
 * else a Heartbeat frame every quarter lease. Sends count down to a lease check the same way, so
 * a pure sender stays alive; an agent that neither polls nor sends for a whole lease (busy in a long computation)
 * calls {@link #keepAlive()}, or the router deregisters it.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one client per agent thread, from connect to close. Many clients, on
 * many threads, may send to the same receiver at once. Open a client on the thread that will use it: an agent
 * process's HIGH links run on an io_uring ring that the kernel ties to the first thread submitting to it (the default
 * {@code switchboard.link.uring.mode=deferred}); used from another thread later, they stall with a warning (never an
 * exception); {@code switchboard.link.uring.mode=interrupt} lifts the tie at the cost of slower HIGH wake-ups.
 *
 * <p><b>No JVM flags.</b> The client's buffers are {@link SegmentBuffer}s over {@code MemorySegment}s:
 * an agent process needs no {@code --add-exports}.
 *
 * <p><b>Inside</b> (package-private parts, each given its collaborators by this class's constructor). The control side:
 * {@code ControlPlane} (the blocking calls with their timeouts, the lease, reconnection), {@code ControlFrameHandler}
 * (what the router sends on the control stream) and {@code Destinations} (ids by name, destinations by id, their
 * resolution in the background). The data side: {@link Destination} (a resolved receiver: the send path's handle),
 * {@code Sender} (every offer), {@code Poller} (the poll, its duty slice, the counters' flush) and
 * {@code DataFrameHandler} (received frames to the handlers, responses through {@code PendingRequests}).
 * {@code ClientSession} holds what both sides read: the agent id, closed, the correlation ids, whether a handler runs.
 * This class delegates every call; the client module's README draws the whole picture.
 */
public final class SwitchboardClient implements AutoCloseable
{
    private final RouterConnection connection;
    private final ClientSession session;
    private final PriorityTiers tiers;
    private final PendingRequests pending;
    private final Destinations destinations;
    private final ControlPlane control;
    private final Sender sender;
    private final Poller poller;

    /**
     * Builds the parts around one connection. What the client counts per message goes into {@link LocalCounters},
     * flushed into the connection's shared counters by the poll's duty slice.
     */
    private SwitchboardClient(final ClientContext ctx)
    {
        this.connection = ctx.connection();
        final TierMapping mapping = connection.tierMapping();
        final CounterBlock sharedCounters = new CounterBlock(connection.countersValues());
        final LocalCounters counters = new LocalCounters();
        final FrameValidator validator = new FrameValidator(WireLimits.MAX_FRAME_LENGTH, new FrameRejections());
        this.session = new ClientSession();
        this.tiers = new PriorityTiers(mapping, connection);
        this.pending = new PendingRequests(ctx.maxPendingRequests(), ctx.nanoClock(),
            connection.requestLatencyRecorder());
        this.destinations = new Destinations(connection, session, tiers);
        final ControlFrameHandler controlHandler =
            new ControlFrameHandler(connection, session, destinations, validator, counters, ctx.listener());
        final DataFrameHandler dataHandler = new DataFrameHandler(session, pending, validator, counters);
        this.control = new ControlPlane(ctx, session, tiers, destinations, controlHandler, dataHandler);
        this.sender = new Sender(ctx, session, tiers, destinations, control, pending, counters);
        this.poller =
            new Poller(ctx, session, control, controlHandler, dataHandler, pending, counters, sharedCounters);
    }

    /**
     * Connect to a router.
     *
     * @param ctx settings, including the connection.
     * @return a connected, not yet registered client.
     */
    public static SwitchboardClient connect(final ClientContext ctx)
    {
        return new SwitchboardClient(ctx.conclude());
    }

    // ---------------------------------------------------------------------------------------------------
    // control plane (blocking, allocates, throws SwitchboardException)

    /**
     * Register with the router under a unique name.
     *
     * @param agentName    unique name, 1..{@value WireLimits#MAX_NAME_LENGTH} UTF-8 bytes.
     * @param capabilities what this agent can do, at most {@value WireLimits#MAX_CAPABILITIES}.
     * @return this agent as the registry sees it.
     * @throws SwitchboardException when the router refuses (name taken, a limit exceeded...) or does not
     *                              answer in time.
     */
    public AgentInfo register(final String agentName, final String... capabilities)
    {
        return control.register(agentName, capabilities);
    }

    /**
     * Subscribe to a topic: every later {@link #publish} to it reaches this agent.
     *
     * @param topic name of the topic.
     * @return the topic's id, for {@link #publish(long, Priority, DirectBuffer, int, int)}.
     */
    public long subscribe(final String topic)
    {
        return control.subscribe(topic);
    }

    /**
     * @param topic name of a topic this agent subscribed to.
     */
    public void unsubscribe(final String topic)
    {
        control.unsubscribe(topic);
    }

    /**
     * Become a competing consumer of a work queue: items are handed out round-robin among its consumers
     * and must be {@link #ack acked}.
     *
     * @param queue name of the queue.
     * @return the queue's id.
     */
    public long consume(final String queue)
    {
        return control.consume(queue);
    }

    /**
     * Stop consuming a queue; items this agent holds unacked go to other consumers.
     *
     * @param queue name of the queue.
     */
    public void stopConsuming(final String queue)
    {
        control.stopConsuming(queue);
    }

    /**
     * Receive registry events ({@link ClientListener#onAgentEvent}) from now on.
     */
    public void watchRegistry()
    {
        control.watchRegistry();
    }

    /**
     * Join a named group: every later {@link #multicast} to it reaches this agent.
     *
     * @param group name of the group.
     * @return the group's id.
     */
    public long joinGroup(final String group)
    {
        return control.joinGroup(group);
    }

    /**
     * @param group name of a group this agent joined.
     */
    public void leaveGroup(final String group)
    {
        control.leaveGroup(group);
    }

    /**
     * Find a live agent by name.
     *
     * @param agentName its name.
     * @return what the registry knows, or null when no live agent has that name.
     */
    public AgentInfo lookup(final String agentName)
    {
        return control.lookup(agentName);
    }

    /**
     * Find every live agent with a capability, in registration order.
     *
     * @param capability the capability.
     * @return the agents, possibly none.
     */
    public List<AgentInfo> lookupByCapability(final String capability)
    {
        return control.lookupByCapability(capability);
    }

    /**
     * @param id an agent id.
     * @return what the registry knows of it, or null when it is not live.
     */
    public AgentInfo lookupById(final long id)
    {
        return control.lookupById(id);
    }

    /**
     * Resolve an agent's id by name, cached; a cached id found stale is looked up again.
     *
     * @param agentName name of the agent.
     * @return its id, or 0 when no live agent has that name.
     */
    public long agentIdOf(final String agentName)
    {
        return control.agentIdOf(agentName);
    }

    /**
     * Resolve a receiver at a priority once, for {@link #send(Destination, DirectBuffer, int, int)}: maps its inbox or
     * opens the link to it (a control call: may block, allocates). Calling it again for the same receiver and priority
     * returns the same destination; a destination whose receiver left is resolved again.
     *
     * @param targetAgentId the receiver's id.
     * @param priority      picks the tier.
     * @return the destination: direct when the tier and the receiver allow it, else routed through the router.
     * @throws SwitchboardException when no live agent has that id, or the router does not answer in time.
     */
    public Destination destination(final long targetAgentId, final Priority priority)
    {
        return control.destination(targetAgentId, priority);
    }

    /**
     * Resolve a receiver by name at a priority once (see {@link #destination(long, Priority)}).
     *
     * @param agentName the receiver's name.
     * @param priority  picks the tier.
     * @return the destination.
     * @throws SwitchboardException when no live agent has that name, or the router does not answer in time.
     */
    public Destination destination(final String agentName, final Priority priority)
    {
        return control.destination(agentName, priority);
    }

    // ---------------------------------------------------------------------------------------------------
    // data plane (non-blocking, allocation-free, returns OfferStatus)

    /**
     * Send to a resolved destination: the hot path. Never blocks, never allocates; no lookup and no clock read.
     *
     * @param destination from {@link #destination(long, Priority)}.
     * @param buffer      payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}; at LOW, {@link OfferStatus#REJECTED} when the
     * registry does not show LOW for the receiver (an agent of another router: LOW does not cross hosts).
     */
    public int send(final Destination destination, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.send(destination, buffer, offset, length);
    }

    /**
     * Send to one agent by id: one hash lookup for its destination (see {@link #destination(long, Priority)} for the
     * hot path). An id seen for the first time goes through the router while its direct path is resolved.
     *
     * @param targetAgentId receiver's id.
     * @param priority      picks the tier.
     * @param buffer        payload.
     * @param offset        of the payload.
     * @param length        of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int send(
        final long targetAgentId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.send(targetAgentId, priority, buffer, offset, length);
    }

    /**
     * Send to one agent by name. Its id is looked up once, in the background: until the answer comes this returns
     * {@link OfferStatus#BACK_PRESSURED} (retry), and {@link OfferStatus#NOT_CONNECTED} when no live agent has the name.
     * A stale id is looked up again.
     *
     * @param agentName receiver's name.
     * @param priority  picks the tier.
     * @param buffer    payload.
     * @param offset    of the payload.
     * @param length    of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int send(
        final String agentName, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.send(agentName, priority, buffer, offset, length);
    }

    /**
     * Zero-copy send through a resolved destination's direct path into a ring (BATCH, CRITICAL, in-process): claim room
     * for a message of {@code payloadLength} bytes straight in the receiver's inbox, write the payload at
     * {@link FrameClaim#payloadOffset()} of {@link FrameClaim#buffer()}, then {@link FrameClaim#commit()} (or
     * {@link FrameClaim#abort()}). No copy is made on the send path. The largest message is the receiver's inbox maximum
     * (capacity / 8, less the 24-byte header; raise {@code switchboard.inbox.capacity} for larger ones): longer claims
     * return {@link OfferStatus#TOO_LARGE}.
     *
     * @param destination   from {@link #destination(long, Priority)}.
     * @param payloadLength bytes of payload to claim.
     * @param claim         a reusable claim, filled in on success.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}: {@link OfferStatus#REJECTED} when the
     * destination has no direct path into a ring.
     */
    public int tryClaim(final Destination destination, final int payloadLength, final FrameClaim claim)
    {
        return sender.tryClaim(destination, payloadLength, claim);
    }

    /**
     * Zero-copy send by id (see {@link #tryClaim(Destination, int, FrameClaim)}): an id seen for the first time is
     * resolved in the background and this returns {@link OfferStatus#BACK_PRESSURED} until it is.
     *
     * @param targetAgentId receiver's id.
     * @param priority      picks the tier; it must be one that writes into the receiver's ring (BATCH, CRITICAL,
     *                      in-process).
     * @param payloadLength bytes of payload to claim.
     * @param claim         a reusable claim, filled in on success.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int tryClaim(final long targetAgentId, final Priority priority, final int payloadLength, final FrameClaim claim)
    {
        return sender.tryClaim(targetAgentId, priority, payloadLength, claim);
    }

    /**
     * Publish to a topic's subscribers (not to this agent).
     *
     * @param topicId  id from {@link #subscribe} or {@link NameIds#of(String)}.
     * @param priority picks the tier.
     * @param buffer   payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int publish(
        final long topicId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.publish(topicId, priority, buffer, offset, length);
    }

    /**
     * Send to every member of a group (not to this agent).
     *
     * @param groupId  id from {@link #joinGroup} or {@link NameIds#of(String)}.
     * @param priority picks the tier.
     * @param buffer   payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int multicast(
        final long groupId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.multicast(groupId, priority, buffer, offset, length);
    }

    /**
     * Send to every registered agent but this one.
     *
     * @param priority picks the tier.
     * @param buffer   payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int broadcast(final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.broadcast(priority, buffer, offset, length);
    }

    /**
     * Send a request through a resolved destination; the response (or the timeout) is reported to the handler from
     * {@link #poll}.
     *
     * @param destination from {@link #destination(long, Priority)}.
     * @param buffer      payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     * @param timeoutNs   how long to wait for the response.
     * @param handler     told of the response or the timeout (reuse one instance to stay allocation-free).
     * @return the correlation id (positive), or a negative {@link OfferStatus}
     * ({@link OfferStatus#BACK_PRESSURED} also when {@link ClientContext#maxPendingRequests()} are pending).
     */
    public long request(
        final Destination destination,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timeoutNs,
        final ResponseHandler handler)
    {
        return sender.request(destination, buffer, offset, length, timeoutNs, handler);
    }

    /**
     * Send a request by id (one hash lookup; see {@link #request(Destination, DirectBuffer, int, int, long,
     * ResponseHandler)}).
     *
     * @param targetAgentId responder's id.
     * @param priority      picks the tier.
     * @param buffer        payload.
     * @param offset        of the payload.
     * @param length        of the payload.
     * @param timeoutNs     how long to wait for the response.
     * @param handler       told of the response or the timeout (reuse one instance to stay allocation-free).
     * @return the correlation id (positive), or a negative {@link OfferStatus}
     * ({@link OfferStatus#BACK_PRESSURED} also when {@link ClientContext#maxPendingRequests()} are pending).
     */
    public long request(
        final long targetAgentId,
        final Priority priority,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timeoutNs,
        final ResponseHandler handler)
    {
        return sender.request(targetAgentId, priority, buffer, offset, length, timeoutNs, handler);
    }

    /**
     * Answer a request received in {@link #poll}.
     *
     * @param request  the request message (inside the handler call).
     * @param buffer   payload of the response.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int respond(final Message request, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.respond(request, buffer, offset, length);
    }

    /**
     * Answer a request by its requester and correlation id (for answers given after the handler returned).
     *
     * @param requesterId   the requesting agent.
     * @param correlationId the request's correlation id.
     * @param priority      picks the tier.
     * @param buffer        payload of the response.
     * @param offset        of the payload.
     * @param length        of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int respond(
        final long requesterId,
        final long correlationId,
        final Priority priority,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        return sender.respond(requesterId, correlationId, priority, buffer, offset, length);
    }

    /**
     * Answer a request through a resolved destination (the requester's).
     *
     * @param requester     the requester's destination.
     * @param correlationId the request's correlation id.
     * @param buffer        payload of the response.
     * @param offset        of the payload.
     * @param length        of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int respond(
        final Destination requester, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return sender.respond(requester, correlationId, buffer, offset, length);
    }

    /**
     * Put a work item on a queue; one consumer gets it, at least once.
     *
     * @param queueId  id from {@link #consume} or {@link NameIds#of(String)}.
     * @param priority picks the tier.
     * @param buffer   payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}; a queue at its depth limit refuses
     * the item later, through {@link ClientListener#onError}.
     */
    public int enqueue(
        final long queueId, final Priority priority, final DirectBuffer buffer, final int offset, final int length)
    {
        return sender.enqueue(queueId, priority, buffer, offset, length);
    }

    /**
     * Acknowledge a work item: it is done and will not be delivered again.
     *
     * @param workItem the item, as received.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus} (retry on BACK_PRESSURED).
     */
    public int ack(final Message workItem)
    {
        return sender.ack(workItem);
    }

    /**
     * Acknowledge a work item by ids (for acks given after the handler returned).
     *
     * @param queueId  the item's queue.
     * @param itemId   the item's id ({@link Message#correlationId()}).
     * @param priority picks the tier.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int ack(final long queueId, final long itemId, final Priority priority)
    {
        return sender.ack(queueId, itemId, priority);
    }

    /**
     * @return how this agent's loop should wait when {@link #poll} found nothing: it wakes on traffic of every tier (a
     * parked agent uses no CPU), with the strategy chosen in {@link ClientContext}.
     */
    public IdleStrategy idleStrategy()
    {
        return poller.idleStrategy();
    }

    /**
     * Read what has arrived: this client's own inbox first (no clock read, no system call), then any other source whose
     * readiness moved (control socket, links, durable queue); about every {@link ClientContext#dutyPeriodNs()}, and
     * after the idle strategy parked, the duty slice: lease renewal, request timeouts, registry events, counter
     * flushes, stuck-record checks.
     *
     * @param handler receives each message (responses go to their {@link ResponseHandler} instead).
     * @return amount of work done (messages, events, timeouts).
     */
    public int poll(final MessageHandler handler)
    {
        return poller.poll(handler);
    }

    /**
     * Renew the lease now if due; call while busy for longer than the heartbeat interval without polling.
     */
    public void keepAlive()
    {
        control.keepAlive();
    }

    /**
     * Read a counter this client counts into (its connection's counters: the router's for in-process
     * clients, the process's own for agent processes). Counts from the per-message path are added at each
     * duty slice of {@link #poll}; this call adds them first.
     *
     * @param counter a router-wide counter, e.g. {@link RouterCounter#TIER_FALLBACKS}.
     * @return its value.
     */
    public long counter(final RouterCounter counter)
    {
        return poller.counter(counter);
    }

    /**
     * @return number of requests awaiting a response.
     */
    public int pendingRequests()
    {
        return pending.size();
    }

    /**
     * @return this agent's id, 0 before {@link #register}.
     */
    public long agentId()
    {
        return session.agentId();
    }

    /**
     * @return this agent's name, null before {@link #register}.
     */
    public String name()
    {
        return control.name();
    }

    /**
     * @param priority a priority.
     * @return the tier that carries it from this client.
     */
    public Tier tierFor(final Priority priority)
    {
        return tiers.tier(priority);
    }

    /**
     * Deregister (when registered) and close the connection. Idempotent.
     */
    @Override
    public void close()
    {
        if (session.isClosed())
        {
            return;
        }
        try
        {
            control.deregister();
            poller.flushCounters();
        }
        finally
        {
            session.close();
            destinations.closeAll();
            connection.close();
        }
    }
}
