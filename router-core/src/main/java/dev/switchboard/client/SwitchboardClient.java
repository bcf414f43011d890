package dev.switchboard.client;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.DeregisterEncoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.JoinGroupEncoder;
import dev.switchboard.codecs.sbe.LeaveGroupEncoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.UnsubscribeEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.security.RegistrationToken;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * The API agent code links: connect, register, then send, publish, request, multicast, broadcast,
 * enqueue and ack, and {@link #poll} for what arrives.
 *
 * <pre>{@code
 * try (SwitchboardClient c = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
 * {
 *     c.register("Testbed", "testing");
 *     c.subscribe("builds");
 *     while (running)
 *     {
 *         c.poll(message -> handle(message));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Two kinds of call.</b> Control-plane calls ({@link #register}, {@link #subscribe},
 * {@link #lookup}, ...) block until the router answers, allocate, and throw a
 * {@link SwitchboardException} when refused. Data-plane calls ({@link #send}, {@link #publish},
 * {@link #request}, {@link #poll}...) never block, never throw for an expected condition, and allocate
 * nothing once warm: each returns an {@link OfferStatus} (a negative value means the message did not go,
 * and why).
 *
 * <p><b>Priorities and tiers.</b> Each priority maps to a tier through the connection's
 * {@link TierMapping}; point-to-point patterns (send, request, response) go straight to the receiver on
 * direct tiers; publish, multicast, broadcast and work items go through the router.
 *
 * <p><b>Ordering.</b> Messages from one client to one receiver on one tier and one path arrive in the
 * order sent. Direct and routed paths are not ordered with each other.
 *
 * <p><b>Liveness.</b> The client renews its lease from {@link #poll} and from every send-like call when a
 * heartbeat is due (a quarter of the lease): an agent that neither polls nor sends for a whole lease (busy in
 * a long computation) calls {@link #keepAlive()}, or the router deregisters it.
 *
 * <p><b>Thread-safety:</b> not thread-safe: one client per agent thread. Many clients, on many threads,
 * may send to the same receiver at once.
 *
 * <p><b>No JVM flags.</b> The client's buffers are {@link SegmentBuffer}s over {@code MemorySegment}s:
 * an agent process needs no {@code --add-exports}.
 */
public final class SwitchboardClient implements AutoCloseable
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int ENVELOPE_PREFIX =
        HEADER + EnvelopeEncoder.BLOCK_LENGTH + EnvelopeEncoder.payloadHeaderLength();
    private static final SegmentBuffer EMPTY = SegmentBuffer.allocate(Arena.ofAuto(), 8);

    private final ClientContext ctx;
    private final RouterConnection connection;
    private final TierMapping mapping;
    private final Transport[] transportByPriority = new Transport[5];
    private final Tier[] tierByPriority = new Tier[5];
    private final CounterBlock sharedCounters;
    private final LocalCounters counters = new LocalCounters();
    private final PendingRequests pending;
    private final FrameValidator validator;
    private final IdleStrategy controlIdle;
    private final ClientListener listener;

    private final SegmentBuffer sendBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 256);
    private final SegmentBuffer controlBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final Message message = new Message();
    private final DataHandler dataHandler = new DataHandler();
    private final ControlHandler controlHandler = new ControlHandler();
    private final Map<String, Long> agentIdsByName = new HashMap<>();

    private MessageHandler userHandler;
    private long agentId;
    private String name;
    private long heartbeatIntervalNs;
    private long nextHeartbeatNs;
    private long nextCorrelationId = 1;
    private boolean closed;

    private SwitchboardClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.connection = ctx.connection();
        this.mapping = connection.tierMapping();
        this.sharedCounters = new CounterBlock(connection.countersValues());
        this.pending = new PendingRequests(ctx.maxPendingRequests());
        this.validator = new FrameValidator(WireLimits.MAX_FRAME_LENGTH, new FrameRejections());
        this.controlIdle = ctx.controlIdleStrategy();
        this.listener = ctx.listener();
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                final Tier tier = mapping.tierFor(p);
                tierByPriority[p.ordinal()] = tier;
                transportByPriority[p.ordinal()] = tier == null ? null : connection.transport(tier);
            }
        }
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
        ensureOpen();
        if (agentId != 0)
        {
            throw new SwitchboardException(ErrorCode.NOT_AUTHORISED,
                "already registered as '" + name + "'; one registration per client");
        }
        final long correlationId = nextCorrelationId++;
        final RegisterEncoder e = new RegisterEncoder();
        e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .pid(ProcessHandle.current().pid())
            .requestedLeaseMs(ctx.requestedLeaseMs());
        controlBuffer.putByte(e.offset() + RegisterEncoder.tiersEncodingOffset(), (byte)mapping.availableTiers());
        final RegisterEncoder.CapabilitiesEncoder caps = e.capabilitiesCount(capabilities.length);
        for (final String c : capabilities)
        {
            caps.next().capability(c);
        }
        e.name(agentName);
        final byte[] credential = credential(agentName);
        e.putCredential(credential, 0, credential.length);
        e.inbox(connection.inboxPath());
        sendControlOrThrow(HEADER + e.encodedLength(), "register");
        await(correlationId, "register '" + agentName + "'");
        final ControlHandler r = controlHandler;
        agentId = r.agentId;
        name = agentName;
        heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(r.heartbeatIntervalMs);
        nextHeartbeatNs = System.nanoTime() + heartbeatIntervalNs;
        connection.onRegistered(agentId, agentName);
        return new AgentInfo(agentId, agentName, List.of(capabilities), ProcessHandle.current().pid(), r.tiers, "");
    }

    /**
     * The registration token: a JWT when one is configured, else the HMAC answer to this connection's challenge
     * when a secret file is configured and the connection is challenged, else nothing.
     */
    private byte[] credential(final String agentName)
    {
        final String jwt = ctx.jwt();
        if (jwt != null && !jwt.isBlank())
        {
            return RegistrationToken.jwtCredential(jwt);
        }
        if (ctx.secretFile() == null || !connection.isChallenged())
        {
            return new byte[0];
        }
        final SecretFile secret = SecretFile.load(ctx.secretFile());
        final ControlHandler h = controlHandler;
        final long deadline = System.nanoTime() + ctx.controlTimeoutNs();
        controlIdle.reset();
        while (h.nonce == null)
        {
            final int n = connection.pollControl(h, 16);
            if (h.refusalCode != null)
            {
                throw new SwitchboardException(h.refusalCode, "register '" + agentName + "' refused: " + h.refusalText);
            }
            if (h.nonce == null)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new SwitchboardException(null, "register '" + agentName + "': the router sent no challenge " +
                        "within " + TimeUnit.NANOSECONDS.toMillis(ctx.controlTimeoutNs()) + " ms");
                }
                if (!connection.isConnected())
                {
                    throw new SwitchboardException(null, "register '" + agentName +
                        "': the connection to the router is closed");
                }
                controlIdle.idle(n);
            }
        }
        return RegistrationToken.hmacCredential(secret, h.nonce, agentName);
    }

    /**
     * Subscribe to a topic: every later {@link #publish} to it reaches this agent.
     *
     * @param topic name of the topic.
     * @return the topic's id, for {@link #publish(long, Priority, DirectBuffer, int, int)}.
     */
    public long subscribe(final String topic)
    {
        return subscription(topic, SubscriptionKind.TOPIC, true);
    }

    /**
     * @param topic name of a topic this agent subscribed to.
     */
    public void unsubscribe(final String topic)
    {
        subscription(topic, SubscriptionKind.TOPIC, false);
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
        return subscription(queue, SubscriptionKind.QUEUE, true);
    }

    /**
     * Stop consuming a queue; items this agent holds unacked go to other consumers.
     *
     * @param queue name of the queue.
     */
    public void stopConsuming(final String queue)
    {
        subscription(queue, SubscriptionKind.QUEUE, false);
    }

    /**
     * Receive registry events ({@link ClientListener#onAgentEvent}) from now on.
     */
    public void watchRegistry()
    {
        subscription("registry", SubscriptionKind.REGISTRY, true);
    }

    private long subscription(final String topicName, final SubscriptionKind kind, final boolean subscribe)
    {
        ensureRegistered();
        final long correlationId = nextCorrelationId++;
        final int length;
        if (subscribe)
        {
            final SubscribeEncoder e = new SubscribeEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(agentId).targetId(NameIds.of(topicName)).kind(kind)
                .name(topicName);
            length = HEADER + e.encodedLength();
        }
        else
        {
            final UnsubscribeEncoder e = new UnsubscribeEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(agentId).targetId(NameIds.of(topicName)).kind(kind)
                .name(topicName);
            length = HEADER + e.encodedLength();
        }
        sendControlOrThrow(length, (subscribe ? "subscribe " : "unsubscribe ") + kind + " '" + topicName + "'");
        await(correlationId, kind + " '" + topicName + "'");
        return controlHandler.resolvedId;
    }

    /**
     * Join a named group: every later {@link #multicast} to it reaches this agent.
     *
     * @param group name of the group.
     * @return the group's id.
     */
    public long joinGroup(final String group)
    {
        return membership(group, true);
    }

    /**
     * @param group name of a group this agent joined.
     */
    public void leaveGroup(final String group)
    {
        membership(group, false);
    }

    private long membership(final String group, final boolean join)
    {
        ensureRegistered();
        final long correlationId = nextCorrelationId++;
        final int length;
        if (join)
        {
            final JoinGroupEncoder e = new JoinGroupEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(agentId).groupId(NameIds.of(group)).name(group);
            length = HEADER + e.encodedLength();
        }
        else
        {
            final LeaveGroupEncoder e = new LeaveGroupEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(agentId).groupId(NameIds.of(group)).name(group);
            length = HEADER + e.encodedLength();
        }
        sendControlOrThrow(length, (join ? "join" : "leave") + " group '" + group + "'");
        await(correlationId, "group '" + group + "'");
        return controlHandler.resolvedId;
    }

    /**
     * Find a live agent by name.
     *
     * @param agentName its name.
     * @return what the registry knows, or null when no live agent has that name.
     */
    public AgentInfo lookup(final String agentName)
    {
        final List<AgentInfo> found = lookup(LookupKind.BY_NAME, agentName, 0);
        return found.isEmpty() ? null : found.getFirst();
    }

    /**
     * Find every live agent with a capability, in registration order.
     *
     * @param capability the capability.
     * @return the agents, possibly none.
     */
    public List<AgentInfo> lookupByCapability(final String capability)
    {
        return lookup(LookupKind.BY_CAPABILITY, capability, 0);
    }

    /**
     * @param id an agent id.
     * @return what the registry knows of it, or null when it is not live.
     */
    public AgentInfo lookupById(final long id)
    {
        final List<AgentInfo> found = lookup(LookupKind.BY_ID, "", id);
        return found.isEmpty() ? null : found.getFirst();
    }

    private List<AgentInfo> lookup(final LookupKind kind, final String query, final long wanted)
    {
        ensureOpen();
        final long correlationId = nextCorrelationId++;
        final LookupEncoder e = new LookupEncoder();
        e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(agentId).kind(kind).wantedAgentId(wanted).query(query);
        sendControlOrThrow(HEADER + e.encodedLength(), "lookup");
        await(correlationId, "lookup " + kind + " '" + query + "'");
        return controlHandler.lookupResult;
    }

    /**
     * Resolve an agent's id by name, cached; a cached id found stale is looked up again.
     *
     * @param agentName name of the agent.
     * @return its id, or 0 when no live agent has that name.
     */
    public long agentIdOf(final String agentName)
    {
        final Long cached = agentIdsByName.get(agentName);
        if (cached != null)
        {
            return cached;
        }
        final AgentInfo info = lookup(agentName);
        if (info == null)
        {
            return 0;
        }
        agentIdsByName.put(agentName, info.agentId());
        return info.agentId();
    }

    // ---------------------------------------------------------------------------------------------------
    // data plane (non-blocking, allocation-free, returns OfferStatus)

    /**
     * Send to one agent.
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
        return offer(targetAgentId, TargetKind.AGENT, targetAgentId, Pattern.SEND, priority, 0, 0,
            buffer, offset, length);
    }

    /**
     * Send to one agent by name (its id is looked up once and cached; a stale id is looked up again).
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
        final long id = agentIdOf(agentName);
        if (id == 0)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int status = send(id, priority, buffer, offset, length);
        if (status == OfferStatus.NOT_CONNECTED)
        {
            agentIdsByName.remove(agentName);
            final long fresh = agentIdOf(agentName);
            return fresh == 0 || fresh == id ? status : send(fresh, priority, buffer, offset, length);
        }
        return status;
    }

    /**
     * Zero-copy send (BATCH and other direct tiers): claim room for a message of {@code payloadLength} bytes
     * straight in the receiver's inbox, write the payload at {@link FrameClaim#payloadOffset()} of
     * {@link FrameClaim#buffer()}, then {@link FrameClaim#commit()} (or {@link FrameClaim#abort()}). No
     * copy is made on the send path. The largest message is the receiver's inbox maximum (capacity / 8;
     * raise {@code switchboard.inbox.capacity} for larger ones): longer claims return
     * {@link OfferStatus#TOO_LARGE}.
     *
     * @param targetAgentId receiver's id.
     * @param priority      picks the tier; it must be a direct one (BATCH, CRITICAL, in-process).
     * @param payloadLength bytes of payload to claim.
     * @param claim         a reusable claim, filled in on success.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus} ({@link OfferStatus#REJECTED} on a tier
     * that does not write into the receiver's ring).
     */
    public int tryClaim(final long targetAgentId, final Priority priority, final int payloadLength, final FrameClaim claim)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        final Tier tier = tierByPriority[priority.ordinal()];
        if (agentId == 0 || tier == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (payloadLength < 0 || payloadLength > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tier, Pattern.SEND, CounterKind.REJECTED));
            return payloadLength < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        if (tier.isDirect() && !connection.knowsDestination(tier, targetAgentId) && !resolveDestination(targetAgentId))
        {
            counters.increment(CounterIds.of(tier, Pattern.SEND, CounterKind.REJECTED));
            return OfferStatus.NOT_CONNECTED;
        }
        final int status = transportByPriority[priority.ordinal()].tryClaim(
            targetAgentId, ENVELOPE_PREFIX + payloadLength, claim);
        if (status != OfferStatus.OK)
        {
            counters.increment(CounterIds.of(tier, Pattern.SEND,
                status == OfferStatus.BACK_PRESSURED ? CounterKind.BACK_PRESSURED : CounterKind.REJECTED));
            return status;
        }
        final long nowNs = System.nanoTime();
        final MutableDirectBuffer buffer = claim.buffer();
        final int index = claim.index();
        envelopeEncoder.wrapAndApplyHeader(buffer, index, headerEncoder)
            .sourceAgentId(agentId)
            .targetId(targetAgentId)
            .correlationId(0)
            .timestampNs(nowNs)
            .flags(0)
            .targetKind(TargetKind.AGENT)
            .pattern(Pattern.SEND)
            .priority(priority);
        buffer.putInt(index + ENVELOPE_PREFIX - EnvelopeEncoder.payloadHeaderLength(), payloadLength, ByteOrder.LITTLE_ENDIAN);
        claim.payload(index + ENVELOPE_PREFIX, payloadLength);
        counters.increment(CounterIds.of(tier, Pattern.SEND, CounterKind.SENT));
        return OfferStatus.OK;
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
        return offer(Transport.ROUTER, TargetKind.TOPIC, topicId, Pattern.PUBLISH, priority, 0, 0,
            buffer, offset, length);
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
        return offer(Transport.ROUTER, TargetKind.GROUP, groupId, Pattern.MULTICAST, priority, 0, 0,
            buffer, offset, length);
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
        return offer(Transport.ROUTER, TargetKind.ALL, 0, Pattern.BROADCAST, priority, 0, 0,
            buffer, offset, length);
    }

    /**
     * Send a request; the response (or the timeout) is reported to the handler from {@link #poll}.
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
        if (pending.isFull())
        {
            return OfferStatus.BACK_PRESSURED;
        }
        final long correlationId = nextCorrelationId++;
        final int status = offer(targetAgentId, TargetKind.AGENT, targetAgentId, Pattern.REQUEST, priority,
            correlationId, 0, buffer, offset, length);
        if (status != OfferStatus.OK)
        {
            return status;
        }
        pending.add(correlationId, System.nanoTime() + timeoutNs, handler);
        return correlationId;
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
        return respond(request.sourceAgentId(), request.correlationId(), request.priority(), buffer, offset, length);
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
        return offer(requesterId, TargetKind.AGENT, requesterId, Pattern.RESPONSE, priority, correlationId, 0,
            buffer, offset, length);
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
        return offer(Transport.ROUTER, TargetKind.QUEUE, queueId, Pattern.WORK, priority, nextCorrelationId++, 0,
            buffer, offset, length);
    }

    /**
     * Acknowledge a work item: it is done and will not be delivered again.
     *
     * @param workItem the item, as received.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus} (retry on BACK_PRESSURED).
     */
    public int ack(final Message workItem)
    {
        return ack(workItem.targetId(), workItem.correlationId(), workItem.priority());
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
        return offer(Transport.ROUTER, TargetKind.QUEUE, queueId, Pattern.WORK_ACK, priority, itemId, 0,
            EMPTY, 0, 0);
    }

    private int offer(
        final long destination,
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        final Tier tier = tierByPriority[priority.ordinal()];
        if (agentId == 0 || tier == null)
        {
            counters.increment(CounterIds.of(tier == null ? Tier.NORMAL : tier, pattern, CounterKind.REJECTED));
            return OfferStatus.NOT_CONNECTED;
        }
        if (length < 0 || length > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tier, pattern, CounterKind.REJECTED));
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        final Transport transport = transportByPriority[priority.ordinal()];
        if (destination != Transport.ROUTER && tier.isDirect() && !connection.knowsDestination(tier, destination) &&
            !resolveDestination(destination))
        {
            counters.increment(CounterIds.of(tier, pattern, CounterKind.REJECTED));
            return OfferStatus.NOT_CONNECTED;
        }
        final long nowNs = System.nanoTime();
        if (nowNs >= nextHeartbeatNs)
        {
            // A busy sender that never polls keeps its lease too; this reuses the clock read of the timestamp.
            keepAlive(nowNs);
        }
        envelopeEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .sourceAgentId(agentId)
            .targetId(targetId)
            .correlationId(correlationId)
            .timestampNs(nowNs)
            .flags(flags)
            .targetKind(targetKind)
            .pattern(pattern)
            .priority(priority);
        sendBuffer.putInt(ENVELOPE_PREFIX - EnvelopeEncoder.payloadHeaderLength(), length, ByteOrder.LITTLE_ENDIAN);
        final int status = transport.offer(destination, sendBuffer, 0, ENVELOPE_PREFIX, payload, offset, length);
        counters.increment(CounterIds.of(tier, pattern, status == OfferStatus.OK ? CounterKind.SENT :
            status == OfferStatus.BACK_PRESSURED ? CounterKind.BACK_PRESSURED : CounterKind.REJECTED));
        return status;
    }

    /**
     * First message to an agent on a direct tier: ask the registry where it lives (a blocking control
     * call, once per destination), and tell the connection.
     */
    private boolean resolveDestination(final long destination)
    {
        final AgentInfo info = lookupById(destination);
        if (info == null)
        {
            return false;
        }
        connection.learnDestination(info.agentId(), info.name(), info.inbox());
        return true;
    }

    /**
     * @return how this agent's loop should wait when {@link #poll} found nothing: it wakes on traffic of
     * every tier (a parked agent uses no CPU on the cross-process tiers).
     */
    public org.agrona.concurrent.IdleStrategy idleStrategy()
    {
        return connection.idleStrategy();
    }

    /**
     * Read what has arrived, from every tier (CRITICAL first), renew the lease when due, report request
     * timeouts and registry events.
     *
     * @param handler receives each message (responses go to their {@link ResponseHandler} instead).
     * @return amount of work done (messages, events, timeouts).
     */
    public int poll(final MessageHandler handler)
    {
        if (closed)
        {
            return 0;
        }
        final long nowNs = System.nanoTime();
        int work = connection.pollControl(controlHandler, 16);
        keepAlive(nowNs);
        final int timedOut = pending.expire(nowNs);
        if (timedOut > 0)
        {
            sharedCounters.add(CounterIds.of(RouterCounter.REQUEST_TIMEOUTS), timedOut);
        }
        userHandler = handler;
        work += connection.pollData(dataHandler, ctx.fragmentLimit()) + timedOut;
        counters.flushTo(sharedCounters);
        return work;
    }

    /**
     * Renew the lease now if due; call while busy for longer than the heartbeat interval without polling.
     */
    public void keepAlive()
    {
        keepAlive(System.nanoTime());
    }

    private void keepAlive(final long nowNs)
    {
        if (agentId != 0 && nowNs >= nextHeartbeatNs)
        {
            heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).agentId(agentId).timestampNs(nowNs);
            if (connection.sendControl(sendBuffer, 0, HEADER + HeartbeatEncoder.BLOCK_LENGTH) == OfferStatus.OK)
            {
                nextHeartbeatNs = nowNs + heartbeatIntervalNs;
            }
        }
    }

    /**
     * Read a counter this client counts into (its connection's counters: the router's for in-process
     * clients, the process's own for agent processes). Counts from the per-message path are added at each
     * {@link #poll}.
     *
     * @param counter a router-wide counter, e.g. {@link RouterCounter#TIER_FALLBACKS}.
     * @return its value.
     */
    public long counter(final RouterCounter counter)
    {
        counters.flushTo(sharedCounters);
        return sharedCounters.get(counter);
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
        return agentId;
    }

    /**
     * @return this agent's name, null before {@link #register}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @param priority a priority.
     * @return the tier that carries it from this client.
     */
    public Tier tierFor(final Priority priority)
    {
        return tierByPriority[priority.ordinal()];
    }

    /**
     * Deregister (when registered) and close the connection. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            if (agentId != 0 && connection.isConnected())
            {
                final DeregisterEncoder e = new DeregisterEncoder();
                e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                    .correlationId(nextCorrelationId++).agentId(agentId);
                connection.sendControl(controlBuffer, 0, HEADER + e.encodedLength());
            }
            counters.flushTo(sharedCounters);
        }
        finally
        {
            closed = true;
            agentId = 0;
            connection.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("client is closed");
        }
    }

    private void ensureRegistered()
    {
        ensureOpen();
        if (agentId == 0)
        {
            throw new SwitchboardException(ErrorCode.NOT_REGISTERED, "register before this call");
        }
    }

    private void sendControlOrThrow(final int length, final String what)
    {
        final long deadline = System.nanoTime() + ctx.controlTimeoutNs();
        int status;
        while ((status = connection.sendControl(controlBuffer, 0, length)) == OfferStatus.BACK_PRESSURED)
        {
            if (System.nanoTime() > deadline)
            {
                break;
            }
            controlIdle.idle();
        }
        if (status != OfferStatus.OK)
        {
            throw new SwitchboardException(null, what + " could not be sent: " + OfferStatus.name(status));
        }
    }

    private void await(final long correlationId, final String what)
    {
        final ControlHandler h = controlHandler;
        h.expect(correlationId);
        final long deadline = System.nanoTime() + ctx.controlTimeoutNs();
        controlIdle.reset();
        while (!h.answered)
        {
            final int n = connection.pollControl(h, 16);
            if (!h.answered)
            {
                final long now = System.nanoTime();
                keepAlive(now);
                if (now > deadline)
                {
                    h.expect(0);
                    throw new SwitchboardException(null, what + ": no answer from the router within " +
                        TimeUnit.NANOSECONDS.toMillis(ctx.controlTimeoutNs()) + " ms");
                }
                if (!connection.isConnected())
                {
                    throw new SwitchboardException(null, what + ": the connection to the router is closed");
                }
                controlIdle.idle(n);
            }
        }
        if (h.errorCode != null)
        {
            throw new SwitchboardException(h.errorCode, what + " refused: " + h.errorText);
        }
    }

    private final class ControlHandler implements org.agrona.concurrent.MessageHandler
    {
        private final RegisteredDecoder registered = new RegisteredDecoder();
        private final AckDecoder ack = new AckDecoder();
        private final ErrorDecoder error = new ErrorDecoder();
        private final LookupResultDecoder lookupResultDecoder = new LookupResultDecoder();
        private final AgentEventDecoder agentEvent = new AgentEventDecoder();
        private final ChallengeDecoder challenge = new ChallengeDecoder();

        long expected;
        boolean answered;
        long agentId;
        int heartbeatIntervalMs;
        int tiers;
        long resolvedId;
        ErrorCode errorCode;
        String errorText;
        List<AgentInfo> lookupResult = List.of();
        /** This connection's challenge from the router; null until it arrives. */
        byte[] nonce;
        /** The router refused the connection itself (correlation 0): why. */
        ErrorCode refusalCode;
        String refusalText;

        void expect(final long correlationId)
        {
            expected = correlationId;
            answered = false;
            errorCode = null;
            errorText = null;
        }

        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (validator.validate(buffer, index, length) < 0)
            {
                counters.increment(RouterCounter.REJECTED_MALFORMED);
                return;
            }
            headerDecoder.wrap(buffer, index);
            final int offset = index + HEADER;
            final int block = headerDecoder.blockLength();
            final int version = headerDecoder.version();
            switch (headerDecoder.templateId())
            {
                case RegisteredDecoder.TEMPLATE_ID ->
                {
                    registered.wrap(buffer, offset, block, version);
                    if (registered.correlationId() == expected)
                    {
                        agentId = registered.agentId();
                        heartbeatIntervalMs = registered.heartbeatIntervalMs();
                        tiers = registered.tiers().getRaw();
                        answered = true;
                    }
                }
                case AckDecoder.TEMPLATE_ID ->
                {
                    ack.wrap(buffer, offset, block, version);
                    if (ack.correlationId() == expected)
                    {
                        resolvedId = ack.resolvedId();
                        answered = true;
                    }
                }
                case ErrorDecoder.TEMPLATE_ID ->
                {
                    error.wrap(buffer, offset, block, version);
                    final long correlationId = error.correlationId();
                    final ErrorCode code = error.code();
                    final String text = error.text();
                    // A frame the router could not even parse comes back with correlation 0: if a call is
                    // waiting, it was most likely that call's frame, so fail it now rather than time out.
                    // Before registration, a refusal with correlation 0 is the router refusing the connection itself
                    // (peer not admitted, rate-limited); after it, the same codes answer refused data frames.
                    final boolean connectionRefused = correlationId == 0 && SwitchboardClient.this.agentId == 0 &&
                        isRefusal(code);
                    if (connectionRefused)
                    {
                        refusalCode = code;
                        refusalText = text;
                    }
                    if (expected != 0 && (correlationId == expected ||
                        (correlationId == 0 && (isFrameError(code) || connectionRefused))))
                    {
                        errorCode = code;
                        errorText = text;
                        answered = true;
                    }
                    else
                    {
                        listener.onError(correlationId, code, text);
                    }
                }
                case LookupResultDecoder.TEMPLATE_ID ->
                {
                    lookupResultDecoder.wrap(buffer, offset, block, version);
                    if (lookupResultDecoder.correlationId() == expected)
                    {
                        lookupResult = decodeLookup(lookupResultDecoder);
                        answered = true;
                    }
                }
                case AgentEventDecoder.TEMPLATE_ID ->
                {
                    agentEvent.wrap(buffer, offset, block, version);
                    final long id = agentEvent.agentId();
                    final var kind = agentEvent.kind();
                    final String agentName = agentEvent.name();
                    if (kind != dev.switchboard.codecs.sbe.AgentEventKind.REGISTERED)
                    {
                        agentIdsByName.remove(agentName);
                    }
                    listener.onAgentEvent(id, kind, agentName);
                }
                case ChallengeDecoder.TEMPLATE_ID ->
                {
                    challenge.wrap(buffer, offset, block, version);
                    final byte[] bytes = new byte[challenge.nonceLength()];
                    challenge.getNonce(bytes, 0, bytes.length);
                    nonce = bytes;
                }
                default -> counters.increment(RouterCounter.REJECTED_UNKNOWN_TEMPLATE);
            }
        }

        private static boolean isRefusal(final ErrorCode code)
        {
            return code == ErrorCode.NOT_AUTHORISED || code == ErrorCode.RATE_LIMITED ||
                code == ErrorCode.AUTHENTICATION_FAILED;
        }

        private static boolean isFrameError(final ErrorCode code)
        {
            return switch (code)
            {
                case UNKNOWN_SCHEMA, UNSUPPORTED_VERSION, TRUNCATED, TOO_LARGE, UNKNOWN_TEMPLATE, MALFORMED -> true;
                default -> false;
            };
        }

        private List<AgentInfo> decodeLookup(final LookupResultDecoder d)
        {
            final List<AgentInfo> result = new ArrayList<>();
            for (final LookupResultDecoder.AgentsDecoder a : d.agents())
            {
                final long id = a.agentId();
                final long pid = a.pid();
                final int agentTiers = a.tiers().getRaw();
                final List<String> caps = new ArrayList<>();
                for (final LookupResultDecoder.AgentsDecoder.CapabilitiesDecoder c : a.capabilities())
                {
                    caps.add(c.capability());
                }
                final String agentName = a.name();
                final String inbox = a.inbox();
                result.add(new AgentInfo(id, agentName, Collections.unmodifiableList(caps), pid, agentTiers, inbox));
            }
            return result;
        }
    }

    private final class DataHandler implements org.agrona.concurrent.MessageHandler
    {
        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
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
            final int payloadLength = (int)d.payloadLength();
            final int payloadOffset = d.limit() + EnvelopeDecoder.payloadHeaderLength();
            message.set(d.sourceAgentId(), d.targetId(), d.correlationId(), d.timestampNs(), (int)d.flags(),
                d.targetKind(), pattern, d.priority(), tier, buffer, payloadOffset, payloadLength);
            counters.increment(CounterIds.of(tier, pattern, CounterKind.DELIVERED));
            if (pattern == Pattern.RESPONSE)
            {
                final ResponseHandler h = pending.remove(message.correlationId());
                if (h == null)
                {
                    counters.increment(RouterCounter.LATE_RESPONSES);
                    return;
                }
                h.onResponse(message.correlationId(), message);
                return;
            }
            userHandler.onMessage(message);
        }
    }
}
