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
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.DeregisterEncoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.JoinGroupEncoder;
import dev.switchboard.codecs.sbe.LeaveGroupEncoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
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
import dev.switchboard.transport.DirectFrames;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.FrameTypes;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
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
 */
public final class SwitchboardClient implements AutoCloseable
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int ENVELOPE_PREFIX =
        HEADER + EnvelopeEncoder.BLOCK_LENGTH + EnvelopeEncoder.payloadHeaderLength();
    private static final SegmentBuffer EMPTY = SegmentBuffer.allocate(Arena.ofAuto(), 8);
    private static final short SEND = Pattern.SEND.value();
    private static final short REQUEST = Pattern.REQUEST.value();
    private static final short RESPONSE = Pattern.RESPONSE.value();
    private static final int PRIORITIES = 5;

    private final ClientContext ctx;
    private final RouterConnection connection;
    private final TierMapping mapping;
    private final Transport[] transportByPriority = new Transport[PRIORITIES];
    private final Tier[] tierByPriority = new Tier[PRIORITIES];
    private final CounterBlock sharedCounters;
    private final LocalCounters counters = new LocalCounters();
    private final PendingRequests pending;
    private final FrameValidator validator;
    private final IdleStrategy controlIdle;
    private final ClientListener listener;
    private final int maxDutyInterval;
    private final long dutyPeriodNs;
    private final org.agrona.concurrent.NanoClock clock;
    private final int fragmentLimit;

    private final SegmentBuffer sendBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 256);
    private final SegmentBuffer controlBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final LookupEncoder lookupEncoder = new LookupEncoder();
    private final Message message = new Message();
    private final DataHandler dataHandler = new DataHandler();
    private final ControlHandler controlHandler = new ControlHandler();
    private final Map<String, Long> agentIdsByName = new HashMap<>();
    /** Destinations made by id, one map per priority ordinal. */
    @SuppressWarnings("unchecked")
    private final Long2ObjectHashMap<Destination>[] destinationsByPriority = new Long2ObjectHashMap[PRIORITIES];
    /** Background lookups in flight, by correlation id: a destination being resolved. */
    private final Long2ObjectHashMap<Destination> resolving = new Long2ObjectHashMap<>();
    /** Background name lookups in flight, by correlation id: the name. */
    private final Long2ObjectHashMap<String> nameLookups = new Long2ObjectHashMap<>();
    /** Names with a background lookup in flight. */
    private final Map<String, Long> nameLookupsByName = new HashMap<>();
    /** Destinations made before a reconnection: no longer found by id, closed with the client. */
    private final ArrayList<Destination> retired = new ArrayList<>();
    /** Destinations waiting for a barrier or for their durable queue to open: the duty slice moves them on. */
    private final ArrayList<Destination> betweenPaths = new ArrayList<>();

    /** What this client registered, subscribed to, joined and consumes: replayed after a reconnection. */
    private String[] capabilities = new String[0];
    private final java.util.LinkedHashSet<String> topics = new java.util.LinkedHashSet<>();
    private final java.util.LinkedHashSet<String> queues = new java.util.LinkedHashSet<>();
    private final java.util.LinkedHashSet<String> groups = new java.util.LinkedHashSet<>();
    private boolean watchingRegistry;
    /** The control connection broke while registered: duty slices try to reconnect on a back-off. */
    private boolean disconnected;
    /** The router said this agent expired (an AgentEvent about itself): register again. */
    private boolean leaseLost;
    private long nextReconnectNs;
    private long reconnectBackoffNs;
    private MessageHandler userHandler;
    /**
     * Above 0 while a message handler runs (inside {@link #poll}): a send from there must not drive the control plane
     * (that would re-enter the read that is delivering), so it never waits for a resolution it cannot finish.
     */
    private int handlerDepth;
    private IdleStrategy idleStrategy;
    private long agentId;
    private String name;
    private long heartbeatIntervalNs;
    private long nextHeartbeatNs;
    private long nextCorrelationId = 1;
    /** Polls between duty slices now: adapted so that slices come about every dutyPeriodNs (see adapt). */
    private int pollInterval;
    private int dutyCountdown;
    private long lastPollDutyNs;
    private int sendInterval;
    private int sendCountdown;
    private long lastSendDutyNs;
    private boolean closed;

    private SwitchboardClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.connection = ctx.connection();
        this.mapping = connection.tierMapping();
        this.sharedCounters = new CounterBlock(connection.countersValues());
        this.pending = new PendingRequests(ctx.maxPendingRequests(), ctx.nanoClock(),
            connection.requestLatencyRecorder());
        this.validator = new FrameValidator(WireLimits.MAX_FRAME_LENGTH, new FrameRejections());
        this.controlIdle = ctx.controlIdleStrategy();
        this.listener = ctx.listener();
        this.maxDutyInterval = ctx.dutyInterval();
        this.dutyPeriodNs = ctx.dutyPeriodNs();
        this.clock = ctx.nanoClock();
        this.fragmentLimit = ctx.fragmentLimit();
        this.pollInterval = 1;
        this.sendInterval = 1;
        this.dutyCountdown = 1;
        this.sendCountdown = 1;
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                final Tier tier = mapping.tierFor(p);
                tierByPriority[p.ordinal()] = tier;
                transportByPriority[p.ordinal()] = tier == null ? null : connection.transport(tier);
                destinationsByPriority[p.ordinal()] = new Long2ObjectHashMap<>();
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
        this.capabilities = capabilities.clone();
        heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(r.heartbeatIntervalMs);
        nextHeartbeatNs = clock.nanoTime() + heartbeatIntervalNs; // the clock of every other timer here
        connection.onRegistered(agentId, agentName);
        announceAfterRegistration();
        return new AgentInfo(agentId, agentName, List.of(capabilities), ProcessHandle.current().pid(), r.tiers, "");
    }

    /**
     * What the connection announces once registered (its agent-link sockets). A router that refuses it (an older one, a
     * policy) leaves this agent reachable through the router only: not a reason to fail the registration.
     */
    private void announceAfterRegistration()
    {
        final long correlationId = nextCorrelationId++;
        final int length = connection.encodeAfterRegistration(controlBuffer, 0, correlationId, agentId);
        if (length > 0)
        {
            try
            {
                sendControlOrThrow(length, "announce agent links");
                await(correlationId, "announce agent links");
            }
            catch (final SwitchboardException e)
            {
                listener.onError(correlationId, e.code(), "agent links not announced, point-to-point NORMAL and HIGH " +
                    "to this agent go through the router: " + e.getMessage());
            }
        }
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
        if (subscribe && kind != SubscriptionKind.REGISTRY)
        {
            connection.onRoutedReceiver();
        }
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
        switch (kind)
        {
            case TOPIC -> remember(topics, topicName, subscribe);
            case QUEUE -> remember(queues, topicName, subscribe);
            case REGISTRY -> watchingRegistry = subscribe;
            default ->
            {
            }
        }
        return controlHandler.resolvedId;
    }

    private static void remember(final java.util.Set<String> names, final String name, final boolean add)
    {
        if (add)
        {
            names.add(name);
        }
        else
        {
            names.remove(name);
        }
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
        if (join)
        {
            connection.onRoutedReceiver();
        }
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
        remember(groups, group, join);
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
        ensureRegistered();
        final Long2ObjectHashMap<Destination> byId = destinationsByPriority[priority.ordinal()];
        Destination d = byId.get(targetAgentId);
        if (d != null && !d.gone && d.resolution == 0 && d.barrier == 0 && !d.durablePending &&
            (d.lane != null || !d.tier.isDirect() || d.durableDirect))
        {
            return d;
        }
        final AgentInfo info = lookupById(targetAgentId);
        if (info == null)
        {
            if (d != null)
            {
                forget(d);
            }
            throw new SwitchboardException(ErrorCode.UNKNOWN_AGENT, "no live agent has id " + targetAgentId);
        }
        if (d == null || d.gone)
        {
            d = newDestination(targetAgentId, info.name(), priority);
            byId.put(targetAgentId, d);
        }
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        if (d.barrier != 0)
        {
            // The blocking lookup just answered was sent after every frame routed so far: it is the barrier.
            if (d.barrier > 0)
            {
                resolving.remove(d.barrier);
            }
            d.barrier = 0;
            d.lane = d.pendingLane;
            d.pendingLane = null;
        }
        resolve(d, info.name(), info.inbox(), true);
        if (d.lane == null && connection.linksTo(d.tier))
        {
            d.lane = requestLink(d);
        }
        return d;
    }

    /**
     * Ask the router for an agent-to-agent link to the destination's receiver and open it (control path: blocks until
     * the router answers). Frames routed to the receiver before are delivered first: the router sends the receiver
     * its LinkExpect after them, and the receiver reads the link only after that.
     *
     * @return the lane, or null when the router refuses (no link socket at the receiver, policy): routed then.
     */
    private Lane requestLink(final Destination d)
    {
        final long correlationId = nextCorrelationId++;
        final int length = connection.encodeLinkRequest(controlBuffer, 0, correlationId, agentId, d.agentId, d.tier);
        if (length == 0)
        {
            return null;
        }
        controlHandler.linkLane = null;
        controlHandler.linkFailure = null;
        sendControlOrThrow(length, "link request to agent " + d.agentId);
        try
        {
            await(correlationId, "link to agent " + d.agentId + " on " + d.tier);
        }
        catch (final SwitchboardException e)
        {
            if (e.code() == null)
            {
                throw e; // no answer, connection gone: not a refusal
            }
            listener.onError(correlationId, e.code(), "no agent link to " + d.agentId + " on " + d.tier +
                ", through the router: " + e.getMessage());
            return null;
        }
        final Lane lane = controlHandler.linkLane;
        controlHandler.linkLane = null;
        if (lane == null && controlHandler.linkFailure != null)
        {
            listener.onError(correlationId, ErrorCode.INTERNAL, "agent link to " + d.agentId + " on " + d.tier +
                " could not open, through the router: " + controlHandler.linkFailure);
        }
        return lane;
    }

    /** Give up a destination's link request: it stays on the routed path for good (a late grant is ignored). */
    private void pinRouted(final Destination d)
    {
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        d.linkResolution = false;
    }

    /** A destination made by a send on a link tier: ask for its link in the background; sends wait (BACK_PRESSURED). */
    private void startLinkResolution(final Destination d)
    {
        final long correlationId = nextCorrelationId++;
        final int length = connection.encodeLinkRequest(sendBuffer, 0, correlationId, agentId, d.agentId, d.tier);
        if (length > 0 && connection.sendControl(sendBuffer, 0, length) == OfferStatus.OK)
        {
            d.resolution = correlationId;
            d.linkResolution = true;
            resolving.put(correlationId, d);
        }
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
        ensureRegistered();
        final long id = agentIdOf(agentName);
        if (id == 0)
        {
            throw new SwitchboardException(ErrorCode.UNKNOWN_AGENT, "no live agent is named '" + agentName + "'");
        }
        try
        {
            return destination(id, priority);
        }
        catch (final SwitchboardException e)
        {
            agentIdsByName.remove(agentName);
            final long fresh = agentIdOf(agentName);
            if (fresh == 0 || fresh == id)
            {
                throw e;
            }
            return destination(fresh, priority);
        }
    }

    private Destination newDestination(final long targetAgentId, final String targetName, final Priority priority)
    {
        final Tier tier = tierByPriority[priority.ordinal()];
        return new Destination(targetAgentId, targetName, priority, tier, transportByPriority[priority.ordinal()]);
    }

    /**
     * Give a destination its direct path from what the registry says of the receiver (blocking path: the lookup that
     * preceded is the barrier, every frame routed before it was handled by the router first). Opening a durable (LOW)
     * path opens Chronicle files: from a send's context that is left to {@link #progress}.
     */
    private void resolve(final Destination d, final String targetName, final String inbox, final boolean mayBlock)
    {
        d.name = targetName;
        d.inbox = inbox == null ? "" : inbox;
        if (d.tier == Tier.LOW)
        {
            if (mayBlock)
            {
                d.durableDirect = connection.openDurable(d.agentId, targetName, d.inbox);
                d.durablePending = false;
            }
            else
            {
                d.durablePending = true;
            }
            return;
        }
        if (d.tier.isDirect() && d.lane == null)
        {
            d.lane = connection.openLane(d.agentId, targetName, d.inbox, d.tier);
        }
    }

    /**
     * The background lookup answered: switch to the direct path, after a barrier when frames went through the router
     * meanwhile (the direct path must not overtake them).
     */
    private void onResolved(final Destination d, final AgentInfo info)
    {
        d.resolution = 0;
        if (d.tier == Tier.LOW || !d.tier.isDirect() || d.lane != null)
        {
            resolve(d, info.name(), info.inbox(), false);
            return;
        }
        d.name = info.name();
        d.inbox = info.inbox() == null ? "" : info.inbox();
        final Lane lane = connection.openLane(d.agentId, d.name, d.inbox, d.tier);
        if (lane == null)
        {
            return; // no direct path (no inbox, not ours): routed for good
        }
        if (d.routedWhileResolving == 0)
        {
            d.lane = lane;
            return;
        }
        d.pendingLane = lane;
        d.barrier = Destination.BARRIER_UNSENT;
        sendBarrier(d);
    }

    private void sendBarrier(final Destination d)
    {
        final long correlationId = nextCorrelationId++;
        lookupEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(agentId).kind(LookupKind.BY_ID).wantedAgentId(d.agentId).query("");
        if (connection.sendControl(sendBuffer, 0, HEADER + lookupEncoder.encodedLength()) == OfferStatus.OK)
        {
            d.barrier = correlationId;
            resolving.put(correlationId, d);
        }
    }

    /**
     * A send found its destination between paths (LOW waiting for its queue, a direct path waiting for its barrier):
     * make progress without blocking, so that a caller retrying in a loop that never polls still gets there.
     *
     * @return true when the destination switched and the send can be tried again.
     */
    private boolean progress(final Destination d)
    {
        if (d.barrier == Destination.BARRIER_UNSENT)
        {
            sendBarrier(d);
        }
        if (!d.durablePending && (d.resolution != 0 || d.barrier != 0))
        {
            // The connection reads nothing if this call came from inside one of its own reads (a handler).
            connection.pollControl(controlHandler, 16);
        }
        if (d.durablePending && !d.gone)
        {
            d.durablePending = false;
            d.durableDirect = connection.openDurable(d.agentId, d.name, d.inbox);
        }
        return d.lane != null || d.gone || d.durableDirect;
    }

    private void forget(final Destination d)
    {
        d.gone = true;
        if (d.lane != null)
        {
            d.lane.close();
        }
        if (d.pendingLane != null)
        {
            d.pendingLane.close();
            d.pendingLane = null;
        }
        // The destination stays in the by-id map as a tombstone: agent ids are never reused (the registry moves a slot's
        // generation on), so later sends by this id return NOT_CONNECTED here rather than go through the router.
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        if (d.barrier > 0)
        {
            resolving.remove(d.barrier);
        }
        d.barrier = 0;
    }

    /**
     * The destination of a by-id send: one hash lookup; made on first use, routed until the background lookup gives
     * it its direct path.
     */
    private Destination destinationFor(final long targetAgentId, final Priority priority)
    {
        final Long2ObjectHashMap<Destination> byId = destinationsByPriority[priority.ordinal()];
        final Destination d = byId.get(targetAgentId);
        return d != null ? d : newRoutedDestination(targetAgentId, priority, byId);
    }

    private Destination newRoutedDestination(
        final long targetAgentId, final Priority priority, final Long2ObjectHashMap<Destination> byId)
    {
        final Destination d = newDestination(targetAgentId, null, priority);
        byId.put(targetAgentId, d);
        if (connection.linksTo(d.tier))
        {
            if (handlerDepth == 0)
            {
                startLinkResolution(d);
            }
        }
        else if (d.tier.isDirect())
        {
            d.lane = connection.openLane(targetAgentId, null, null, d.tier);
            if (d.lane == null)
            {
                if (connection.knowsEveryReceiver(d.tier))
                {
                    forget(d);
                }
                else
                {
                    startResolution(d);
                }
            }
        }
        return d;
    }

    /** Ask the registry for the receiver in the background; the answer is handled wherever control frames are read. */
    private void startResolution(final Destination d)
    {
        final long correlationId = nextCorrelationId++;
        lookupEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(agentId).kind(LookupKind.BY_ID).wantedAgentId(d.agentId).query("");
        if (connection.sendControl(sendBuffer, 0, HEADER + lookupEncoder.encodedLength()) == OfferStatus.OK)
        {
            d.resolution = correlationId;
            resolving.put(correlationId, d);
        }
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
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int send(final Destination destination, final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(destination, SEND, 0, 0, buffer, offset, length);
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (agentId == 0 || targetAgentId == 0)
        {
            return notConnected(priority, Pattern.SEND);
        }
        return offer(destinationFor(targetAgentId, priority), SEND, 0, 0, buffer, offset, length);
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (agentId == 0)
        {
            return notConnected(priority, Pattern.SEND);
        }
        Long cached = agentIdsByName.get(agentName);
        if (cached == null)
        {
            lookUpNameInBackground(agentName);
            cached = agentIdsByName.get(agentName);
            if (cached == null)
            {
                return OfferStatus.BACK_PRESSURED;
            }
        }
        if (cached == 0)
        {
            agentIdsByName.remove(agentName);
            return notConnected(priority, Pattern.SEND);
        }
        final int status = send(cached, priority, buffer, offset, length);
        if (status == OfferStatus.NOT_CONNECTED)
        {
            agentIdsByName.remove(agentName);
        }
        return status;
    }

    private void lookUpNameInBackground(final String agentName)
    {
        if (!nameLookupsByName.containsKey(agentName))
        {
            final long correlationId = nextCorrelationId++;
            lookupEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(agentId).kind(LookupKind.BY_NAME).wantedAgentId(0)
                .query(agentName);
            if (connection.sendControl(sendBuffer, 0, HEADER + lookupEncoder.encodedLength()) != OfferStatus.OK)
            {
                return;
            }
            nameLookups.put(correlationId, agentName);
            nameLookupsByName.put(agentName, correlationId);
        }
        // Make progress here, so that a caller retrying in a loop that does not poll still gets its answer.
        connection.pollControl(controlHandler, 16);
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
        if (closed)
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
            progress(d);
            lane = d.lane;
        }
        if (lane == null)
        {
            final boolean pending = d.resolution != 0 || d.barrier != 0;
            counters.increment(d.counterId(SEND, pending ? CounterKind.BACK_PRESSURED : CounterKind.REJECTED));
            return pending ? OfferStatus.BACK_PRESSURED : OfferStatus.REJECTED;
        }
        final int status = lane.tryClaim(agentId, d.priorityValue, payloadLength, claim);
        counters.increment(d.counterId(SEND, kindOf(status)));
        if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
        {
            forget(d);
        }
        return status;
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (agentId == 0 || tierByPriority[priority.ordinal()] == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (!tierByPriority[priority.ordinal()].isDirect() || tierByPriority[priority.ordinal()] == Tier.LOW)
        {
            counters.increment(CounterIds.of(tierByPriority[priority.ordinal()], Pattern.SEND, CounterKind.REJECTED));
            return OfferStatus.REJECTED;
        }
        if (payloadLength < 0 || payloadLength > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tierByPriority[priority.ordinal()], Pattern.SEND, CounterKind.REJECTED));
            return payloadLength < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        return tryClaim(destinationFor(targetAgentId, priority), payloadLength, claim);
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
        return offerRouted(TargetKind.TOPIC, topicId, Pattern.PUBLISH, priority, 0, 0, buffer, offset, length);
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
        return offerRouted(TargetKind.GROUP, groupId, Pattern.MULTICAST, priority, 0, 0, buffer, offset, length);
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
        return offerRouted(TargetKind.ALL, 0, Pattern.BROADCAST, priority, 0, 0, buffer, offset, length);
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
        if (pending.isFull())
        {
            return closed ? OfferStatus.CLOSED : OfferStatus.BACK_PRESSURED;
        }
        final long correlationId = nextCorrelationId++;
        final int status = offer(destination, REQUEST, correlationId, 0, buffer, offset, length);
        if (status != OfferStatus.OK)
        {
            return status;
        }
        final long sentNs = clock.nanoTime();
        pending.add(correlationId, sentNs, sentNs + timeoutNs, handler);
        return correlationId;
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (agentId == 0 || targetAgentId == 0)
        {
            return notConnected(priority, Pattern.REQUEST);
        }
        return request(destinationFor(targetAgentId, priority), buffer, offset, length, timeoutNs, handler);
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (agentId == 0 || requesterId == 0)
        {
            return notConnected(priority, Pattern.RESPONSE);
        }
        return offer(destinationFor(requesterId, priority), RESPONSE, correlationId, 0, buffer, offset, length);
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
        return offer(requester, RESPONSE, correlationId, 0, buffer, offset, length);
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
        return offerRouted(TargetKind.QUEUE, queueId, Pattern.WORK, priority, nextCorrelationId++, 0,
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (--sendCountdown <= 0)
        {
            onSendCountdown();
        }
        final Lane lane = d.lane;
        final int status;
        if (d.gone)
        {
            status = OfferStatus.NOT_CONNECTED; // its receiver left, or its link closed: resolve it again
        }
        else if (lane != null)
        {
            status = lane.offer(agentId, correlationId, pattern, d.priorityValue, flags, payload, offset, length);
            if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
            {
                forget(d);
            }
        }
        else if (d.linkResolution && handlerDepth > 0)
        {
            // Inside a handler the link's answer cannot be waited for: this destination goes through the router from
            // now on (never switching, so its order holds); destination() outside handlers gives the fast path.
            pinRouted(d);
            status = offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
        }
        else if (d.barrier != 0 || d.durablePending || (d.resolution != 0 && (d.linkResolution || d.tier == Tier.LOW)))
        {
            // Between paths: nothing more through the router (it would be overtaken), nothing direct yet.
            status = progress(d) ? offerAgain(d, pattern, correlationId, flags, payload, offset, length) :
                OfferStatus.BACK_PRESSURED;
        }
        else
        {
            status = offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
            if (d.resolution != 0 && status == OfferStatus.OK && (++d.routedWhileResolving & 63) == 0)
            {
                // A sender that never polls still learns the answer: a non-blocking read every 64 routed sends.
                connection.pollControl(controlHandler, 16);
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
            final int status = lane.offer(agentId, correlationId, pattern, d.priorityValue, flags, payload, offset,
                length);
            if (status == OfferStatus.NOT_CONNECTED && !lane.isConnected())
            {
                forget(d);
            }
            return status;
        }
        if (d.durableDirect)
        {
            return offerWithoutLane(d, pattern, correlationId, flags, payload, offset, length);
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
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        final Tier tier = tierByPriority[priority.ordinal()];
        if (agentId == 0 || tier == null)
        {
            return notConnected(priority, pattern);
        }
        if (length < 0 || length > WireLimits.MAX_FRAME_LENGTH - ENVELOPE_PREFIX)
        {
            counters.increment(CounterIds.of(tier, pattern, CounterKind.REJECTED));
            return length < 0 ? OfferStatus.REJECTED : OfferStatus.TOO_LARGE;
        }
        if (--sendCountdown <= 0)
        {
            onSendCountdown();
        }
        encodeEnvelope(targetKind, targetId, pattern, priority, correlationId, flags, length);
        final int status = transportByPriority[priority.ordinal()].offer(
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
            .sourceAgentId(agentId)
            .targetId(targetId)
            .correlationId(correlationId)
            .timestampNs(System.nanoTime())
            .flags(flags)
            .targetKind(targetKind)
            .pattern(pattern)
            .priority(priority);
        sendBuffer.putInt(ENVELOPE_PREFIX - EnvelopeEncoder.payloadHeaderLength(), length, ByteOrder.LITTLE_ENDIAN);
    }

    private int notConnected(final Priority priority, final Pattern pattern)
    {
        final Tier tier = tierByPriority[priority.ordinal()];
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
        sendInterval = adapt(sendInterval, nowNs - lastSendDutyNs);
        sendCountdown = sendInterval;
        lastSendDutyNs = nowNs;
        keepAlive(nowNs);
    }

    /**
     * The count between two duty slices, adapted so that slices come about every {@code dutyPeriodNs} whatever the
     * rate of polls: cut in proportion when the last count took more than twice the period (a loop that slows down
     * gets its next slices after one long count, not a series of halvings), doubled when it took less than half (a
     * spinning loop reads the clock once per up to {@link ClientContext#dutyInterval()} polls).
     */
    private int adapt(final int interval, final long elapsedNs)
    {
        if (elapsedNs > 2 * dutyPeriodNs)
        {
            return (int)Math.max(1, interval * dutyPeriodNs / elapsedNs);
        }
        if (elapsedNs < dutyPeriodNs >> 1)
        {
            return Math.min(maxDutyInterval, interval << 1);
        }
        return interval;
    }

    /**
     * @return how this agent's loop should wait when {@link #poll} found nothing: it wakes on traffic of every tier (a
     * parked agent uses no CPU), with the strategy chosen in {@link ClientContext}.
     */
    public IdleStrategy idleStrategy()
    {
        IdleStrategy s = idleStrategy;
        if (s == null)
        {
            s = connection.idleStrategy(ctx.idleSettings());
            idleStrategy = s;
        }
        return s;
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
        if (closed)
        {
            return 0;
        }
        userHandler = handler;
        final RouterConnection c = connection;
        try
        {
            int work = c.pollData(dataHandler, fragmentLimit);
            work += c.pollSignalled(dataHandler, controlHandler, fragmentLimit);
            if (--dutyCountdown <= 0 || c.dutyRequested())
            {
                work += duty();
            }
            return work;
        }
        catch (final InternalError fault)
        {
            // A mapped file truncated by another process, its fault reported late by the JIT's code (see
            // RouterConnection#onLateMemoryFault): contained and counted by the connection, never thrown from a poll.
            if (c.onLateMemoryFault(fault))
            {
                return 1;
            }
            throw fault;
        }
    }

    private int duty()
    {
        final long nowNs = clock.nanoTime();
        pollInterval = adapt(pollInterval, nowNs - lastPollDutyNs);
        dutyCountdown = pollInterval;
        lastPollDutyNs = nowNs;
        if (agentId != 0 && !disconnected && (leaseLost || !connection.isConnected()))
        {
            onDisconnected(nowNs);
        }
        if (disconnected && ctx.reconnect() && nowNs - nextReconnectNs >= 0)
        {
            tryReconnect(nowNs);
        }
        int work = connection.duty(nowNs, dataHandler, controlHandler);
        keepAlive(nowNs);
        final int timedOut = pending.expire(nowNs);
        if (timedOut > 0)
        {
            sharedCounters.add(CounterIds.of(RouterCounter.REQUEST_TIMEOUTS), timedOut);
            work += timedOut;
        }
        if (!betweenPaths.isEmpty())
        {
            for (int i = betweenPaths.size() - 1; i >= 0; i--)
            {
                final Destination d = betweenPaths.get(i);
                if (d.gone || d.barrier == 0 && !d.durablePending)
                {
                    betweenPaths.remove(i);
                }
                else if (d.durablePending || d.barrier == Destination.BARRIER_UNSENT)
                {
                    progress(d);
                }
            }
        }
        counters.flushTo(sharedCounters);
        return work;
    }

    private void onDisconnected(final long nowNs)
    {
        disconnected = true;
        reconnectBackoffNs = ctx.reconnectBackoffNs();
        nextReconnectNs = leaseLost ? nowNs : nowNs + reconnectBackoffNs;
        final String reason = leaseLost ? "the router let this agent's lease expire" : connection.closeReason();
        leaseLost = false;
        listener.onDisconnected(reason == null ? "the connection to the router closed" : reason);
    }

    /**
     * One reconnection attempt (from a duty slice, never inside a handler): a new control connection, then register
     * again under the same name and capabilities, announce the links, and restore topics, queues, groups and the
     * registry watch. Ids learned from the old router are forgotten (a new router may give them to other agents);
     * destinations already resolved keep writing to the inboxes they opened while those stay open; their agent links
     * close (see {@link ClientListener#onReconnected}).
     */
    private void tryReconnect(final long nowNs)
    {
        if (!connection.reconnect())
        {
            reconnectBackoffNs = Math.min(ctx.reconnectBackoffMaxNs(), reconnectBackoffNs * 2);
            nextReconnectNs = nowNs + reconnectBackoffNs;
            return;
        }
        final long previousAgentId = agentId;
        forgetRouterIds();
        try
        {
            agentId = 0;
            register(name, capabilities);
            for (final String topic : List.copyOf(topics))
            {
                subscribe(topic);
            }
            for (final String queue : List.copyOf(queues))
            {
                consume(queue);
            }
            for (final String group : List.copyOf(groups))
            {
                joinGroup(group);
            }
            if (watchingRegistry)
            {
                watchRegistry();
            }
        }
        catch (final SwitchboardException e)
        {
            // Not registered again (the router refused, or broke again): keep the old id for direct paths, try later.
            if (agentId == 0)
            {
                agentId = previousAgentId;
            }
            reconnectBackoffNs = Math.min(ctx.reconnectBackoffMaxNs(), reconnectBackoffNs * 2);
            nextReconnectNs = nowNs + reconnectBackoffNs;
            listener.onError(0, e.code(), "reconnected to the router but could not register again: " + e.getMessage());
            return;
        }
        disconnected = false;
        listener.onReconnected(previousAgentId, agentId);
    }

    /** Ids from the old router mean nothing to the new one: by-id caches and lookups in flight go. */
    private void forgetRouterIds()
    {
        for (final Long2ObjectHashMap<Destination> byId : destinationsByPriority)
        {
            if (byId != null)
            {
                for (final Destination d : byId.values())
                {
                    retired.add(d); // user handles may still hold it: its lane lives on until close
                    if (d.lane == null)
                    {
                        d.gone = true; // a routed destination names an old id, which the new router may give away
                    }
                    else if (d.lane.isBoundToSource())
                    {
                        // An agent link's receiver holds it to this agent's old id and would drop the next frames (with
                        // the new id) as spoofed: close it now, after what it holds is written; sends answer
                        // NOT_CONNECTED and the application resolves the destination again (a new link).
                        forget(d);
                    }
                    d.resolution = 0;
                    d.barrier = 0;
                    d.linkResolution = false;
                }
                byId.clear();
            }
        }
        resolving.clear();
        nameLookups.clear();
        nameLookupsByName.clear();
        agentIdsByName.clear();
        betweenPaths.clear();
    }

    /**
     * Renew the lease now if due; call while busy for longer than the heartbeat interval without polling.
     */
    public void keepAlive()
    {
        if (agentId != 0 && connection.heartbeatsInSharedMemory())
        {
            connection.duty(clock.nanoTime(), dataHandler, controlHandler);
            return;
        }
        keepAlive(clock.nanoTime());
    }

    private void keepAlive(final long nowNs)
    {
        if (agentId != 0 && nowNs >= nextHeartbeatNs && !connection.heartbeatsInSharedMemory())
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
     * duty slice of {@link #poll}; this call adds them first.
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
            for (final Long2ObjectHashMap<Destination> byId : destinationsByPriority)
            {
                if (byId != null)
                {
                    retired.addAll(byId.values());
                    byId.clear();
                }
            }
            for (final Destination d : retired)
            {
                d.gone = true;
                if (d.lane != null)
                {
                    d.lane.close();
                }
            }
            retired.clear();
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
        private final LinkGrantDecoder linkGrant = new LinkGrantDecoder();

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
        /** The lane a LinkGrant answered with (foreground link request), or null. */
        Lane linkLane;
        /** Why the granted lane could not open (foreground link request), or null. */
        String linkFailure;
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
                    else if (!onBackgroundLookupRefused(correlationId))
                    {
                        listener.onError(correlationId, code, text);
                    }
                }
                case LookupResultDecoder.TEMPLATE_ID ->
                {
                    lookupResultDecoder.wrap(buffer, offset, block, version);
                    final long correlationId = lookupResultDecoder.correlationId();
                    if (correlationId == expected)
                    {
                        lookupResult = decodeLookup(lookupResultDecoder);
                        answered = true;
                    }
                    else
                    {
                        onBackgroundLookup(correlationId, lookupResultDecoder);
                    }
                }
                case AgentEventDecoder.TEMPLATE_ID ->
                {
                    agentEvent.wrap(buffer, offset, block, version);
                    final long id = agentEvent.agentId();
                    final AgentEventKind kind = agentEvent.kind();
                    final String agentName = agentEvent.name();
                    if (kind != AgentEventKind.REGISTERED)
                    {
                        agentIdsByName.remove(agentName);
                    }
                    if (id == SwitchboardClient.this.agentId && id != 0 && kind != AgentEventKind.REGISTERED)
                    {
                        // The router dropped this agent (its lease expired while the connection stayed up): register
                        // again from the next duty slice, as after a reconnection.
                        leaseLost = true;
                    }
                    listener.onAgentEvent(id, kind, agentName);
                }
                case LinkGrantDecoder.TEMPLATE_ID ->
                {
                    linkGrant.wrap(buffer, offset, block, version);
                    onLinkGrant(linkGrant.correlationId(), buffer, index, length);
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

        /**
         * A LinkGrant: open the lane now, while the frame is valid. A foreground request keeps it for
         * {@link #requestLink}; a background one gives it to its destination. A lane that cannot open leaves the
         * destination routed.
         */
        private void onLinkGrant(
            final long correlationId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final Destination background = correlationId == expected ? null : resolving.get(correlationId);
            if (correlationId != expected && background == null)
            {
                counters.increment(RouterCounter.LATE_RESPONSES);
                return;
            }
            Lane lane = null;
            try
            {
                lane = connection.openLink(SwitchboardClient.this.agentId, buffer, index, length);
            }
            catch (final RuntimeException e)
            {
                linkFailure = e.getMessage();
            }
            if (background == null)
            {
                linkLane = lane;
                answered = true;
                return;
            }
            resolving.remove(correlationId);
            background.resolution = 0;
            background.linkResolution = false;
            if (lane != null && !background.gone)
            {
                background.lane = lane;
            }
            else if (lane != null)
            {
                lane.close();
            }
        }

        /** The answer to a lookup made in the background (a destination or a name being resolved). */
        private void onBackgroundLookup(final long correlationId, final LookupResultDecoder d)
        {
            final Destination destination = resolving.remove(correlationId);
            final String lookedUpName = destination == null ? nameLookups.remove(correlationId) : null;
            if (destination == null && lookedUpName == null)
            {
                return; // a late answer to a call that timed out
            }
            final List<AgentInfo> found = decodeLookup(d);
            if (lookedUpName != null)
            {
                nameLookupsByName.remove(lookedUpName);
                agentIdsByName.put(lookedUpName, found.isEmpty() ? 0L : found.getFirst().agentId());
                return;
            }
            if (destination.barrier == correlationId)
            {
                destination.barrier = 0;
                destination.lane = destination.pendingLane;
                destination.pendingLane = null;
                return;
            }
            if (found.isEmpty())
            {
                forget(destination);
                return;
            }
            onResolved(destination, found.getFirst());
            if (destination.barrier != 0 || destination.durablePending)
            {
                betweenPaths.add(destination);
            }
        }

        private boolean onBackgroundLookupRefused(final long correlationId)
        {
            if (correlationId == 0)
            {
                return false;
            }
            final Destination destination = resolving.remove(correlationId);
            if (destination != null)
            {
                // Not allowed to learn where it lives or to link to it (policy, no link socket): it stays on the routed
                // path, where the router decides.
                destination.resolution = 0;
                destination.linkResolution = false;
                if (destination.barrier == correlationId)
                {
                    destination.barrier = 0;
                    destination.lane = destination.pendingLane;
                    destination.pendingLane = null;
                }
                return true;
            }
            final String lookedUpName = nameLookups.remove(correlationId);
            if (lookedUpName != null)
            {
                nameLookupsByName.remove(lookedUpName);
                return true;
            }
            return false;
        }
    }

    private final class DataHandler implements org.agrona.concurrent.MessageHandler
    {
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
            final int payloadLength = (int)d.payloadLength();
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
            message.set(DirectFrames.sourceAgentId(buffer, index), agentId, DirectFrames.correlationId(buffer, index), 0,
                DirectFrames.flags(buffer, index), TargetKind.AGENT, pattern, DirectFrames.priority(buffer, index), tier,
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
                handlerDepth++;
                try
                {
                    h.onResponse(message.correlationId(), message);
                }
                finally
                {
                    handlerDepth--;
                }
                return;
            }
            handlerDepth++;
            try
            {
                userHandler.onMessage(message);
            }
            finally
            {
                handlerDepth--;
            }
        }
    }
}
