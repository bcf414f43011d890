package dev.switchboard.client;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.DeregisterEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.JoinGroupEncoder;
import dev.switchboard.codecs.sbe.LeaveGroupEncoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.UnsubscribeEncoder;
import dev.switchboard.security.RegistrationToken;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;

/**
 * The client's conductor (Aeron's {@code ClientConductor}): every call that talks with the router and waits for its
 * answer, and the slow, periodic work that keeps this agent known to it. It owns
 * <ul>
 * <li>the blocking calls: register (with the challenge's answer and the announcement of the agent-link sockets),
 * subscribe and unsubscribe, consume and stop, watch the registry, join and leave groups, the lookups (by name, id,
 * capability; {@code agentIdOf}), and {@code destination(...)}, which resolves a receiver once and may ask for an agent
 * link;</li>
 * <li>the request/reply plumbing under them: a control frame is sent (retried while back-pressured) and its answer
 * awaited through the {@link ControlFrameHandler}, both bounded by {@link ClientContext#controlTimeoutNs()}, idling
 * with {@link ClientContext#controlIdleStrategy()}; a refusal or a timeout throws {@link SwitchboardException};</li>
 * <li>the lease: heartbeats (a Heartbeat frame every quarter lease, unless the connection keeps them in shared
 * memory);</li>
 * <li>reconnection: when the connection breaks or the router lets the lease expire, duty slices reconnect on a
 * back-off and register again, replaying the name, capabilities, topics, queues, groups and registry watch this
 * client had;</li>
 * <li>the non-blocking control work the data path may need: reading answers so far, a name's background lookup, the
 * progress of a destination between its routed and direct paths.</li>
 * </ul>
 *
 * <p>Thread: the client's thread only. The blocking calls are never made from inside a poll handler by the client
 * itself (reconnection runs from a duty slice); the data path calls in here only on its slow branches (a duty count
 * run out, a destination between paths, a name not known yet). Allocation: the blocking calls allocate (encoders,
 * answers, exceptions), by design; {@link #keepAlive(long)} and {@link #pollControl()} allocate nothing.
 */
final class ControlPlane
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final ClientContext ctx;
    private final RouterConnection connection;
    private final ClientSession session;
    private final PriorityTiers tiers;
    private final Destinations destinations;
    private final ControlFrameHandler controlHandler;
    /** What the connection's duty delivers data frames to (its slower sources). */
    private final MessageHandler dataHandler;
    private final ClientListener listener;
    private final IdleStrategy controlIdle;
    private final NanoClock clock;

    /** The frame of the blocking call in progress. */
    private final SegmentBuffer controlBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
    /** Heartbeats, sent without waiting (also from a send's duty count). */
    private final SegmentBuffer heartbeatBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();

    /** What this client registered, subscribed to, joined and consumes: replayed after a reconnection. */
    private String name;
    private String[] capabilities = new String[0];
    private final LinkedHashSet<String> topics = new LinkedHashSet<>();
    private final LinkedHashSet<String> queues = new LinkedHashSet<>();
    private final LinkedHashSet<String> groups = new LinkedHashSet<>();
    private boolean watchingRegistry;

    /** The control connection broke while registered: duty slices try to reconnect on a back-off. */
    private boolean disconnected;
    private long nextReconnectNs;
    private long reconnectBackoffNs;
    private long heartbeatIntervalNs;
    private long nextHeartbeatNs;

    ControlPlane(
        final ClientContext ctx,
        final ClientSession session,
        final PriorityTiers tiers,
        final Destinations destinations,
        final ControlFrameHandler controlHandler,
        final MessageHandler dataHandler)
    {
        this.ctx = ctx;
        this.connection = ctx.connection();
        this.session = session;
        this.tiers = tiers;
        this.destinations = destinations;
        this.controlHandler = controlHandler;
        this.dataHandler = dataHandler;
        this.listener = ctx.listener();
        this.controlIdle = ctx.controlIdleStrategy();
        this.clock = ctx.nanoClock();
    }

    /**
     * @return this agent's name, null before registration.
     */
    String name()
    {
        return name;
    }

    // ---------------------------------------------------------------------------------------------------
    // blocking calls

    /** The blocking call behind {@link SwitchboardClient#register}. */
    AgentInfo register(final String agentName, final String... capabilities)
    {
        session.ensureOpen();
        if (session.agentId() != 0)
        {
            throw new SwitchboardException(ErrorCode.NOT_AUTHORISED,
                "already registered as '" + name + "'; one registration per client");
        }
        final long correlationId = session.nextCorrelationId();
        final RegisterEncoder e = new RegisterEncoder();
        e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .pid(ProcessHandle.current().pid())
            .requestedLeaseMs(ctx.requestedLeaseMs());
        controlBuffer.putByte(
            e.offset() + RegisterEncoder.tiersEncodingOffset(), (byte)tiers.mapping().availableTiers());
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
        final ControlFrameHandler r = controlHandler;
        session.agentId(r.agentId);
        name = agentName;
        this.capabilities = capabilities.clone();
        heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(r.heartbeatIntervalMs);
        nextHeartbeatNs = clock.nanoTime() + heartbeatIntervalNs; // the clock of every other timer here
        connection.onRegistered(session.agentId(), agentName);
        announceAfterRegistration();
        return new AgentInfo(
            session.agentId(), agentName, List.of(capabilities), ProcessHandle.current().pid(), r.tiers, "", "");
    }

    /**
     * What the connection announces once registered (its agent-link sockets). A router that refuses it (an older one, a
     * policy) leaves this agent reachable through the router only: not a reason to fail the registration.
     */
    private void announceAfterRegistration()
    {
        final long correlationId = session.nextCorrelationId();
        final int length = connection.encodeAfterRegistration(controlBuffer, 0, correlationId, session.agentId());
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
        final ControlFrameHandler h = controlHandler;
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

    /** The blocking call behind {@link SwitchboardClient#subscribe}. */
    long subscribe(final String topic)
    {
        return subscription(topic, SubscriptionKind.TOPIC, true);
    }

    /** The blocking call behind {@link SwitchboardClient#unsubscribe}. */
    void unsubscribe(final String topic)
    {
        subscription(topic, SubscriptionKind.TOPIC, false);
    }

    /** The blocking call behind {@link SwitchboardClient#consume}. */
    long consume(final String queue)
    {
        return subscription(queue, SubscriptionKind.QUEUE, true);
    }

    /** The blocking call behind {@link SwitchboardClient#stopConsuming}. */
    void stopConsuming(final String queue)
    {
        subscription(queue, SubscriptionKind.QUEUE, false);
    }

    /** The blocking call behind {@link SwitchboardClient#watchRegistry}. */
    void watchRegistry()
    {
        subscription("registry", SubscriptionKind.REGISTRY, true);
    }

    private long subscription(final String topicName, final SubscriptionKind kind, final boolean subscribe)
    {
        session.ensureRegistered();
        if (subscribe && kind != SubscriptionKind.REGISTRY)
        {
            connection.onRoutedReceiver();
        }
        final long correlationId = session.nextCorrelationId();
        final int length;
        if (subscribe)
        {
            final SubscribeEncoder e = new SubscribeEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(session.agentId()).targetId(NameIds.of(topicName)).kind(kind)
                .name(topicName);
            length = HEADER + e.encodedLength();
        }
        else
        {
            final UnsubscribeEncoder e = new UnsubscribeEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(session.agentId()).targetId(NameIds.of(topicName)).kind(kind)
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

    private static void remember(final Set<String> names, final String name, final boolean add)
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

    /** The blocking call behind {@link SwitchboardClient#joinGroup}. */
    long joinGroup(final String group)
    {
        return membership(group, true);
    }

    /** The blocking call behind {@link SwitchboardClient#leaveGroup}. */
    void leaveGroup(final String group)
    {
        membership(group, false);
    }

    private long membership(final String group, final boolean join)
    {
        session.ensureRegistered();
        if (join)
        {
            connection.onRoutedReceiver();
        }
        final long correlationId = session.nextCorrelationId();
        final int length;
        if (join)
        {
            final JoinGroupEncoder e = new JoinGroupEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(session.agentId()).groupId(NameIds.of(group)).name(group);
            length = HEADER + e.encodedLength();
        }
        else
        {
            final LeaveGroupEncoder e = new LeaveGroupEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(session.agentId()).groupId(NameIds.of(group)).name(group);
            length = HEADER + e.encodedLength();
        }
        sendControlOrThrow(length, (join ? "join" : "leave") + " group '" + group + "'");
        await(correlationId, "group '" + group + "'");
        remember(groups, group, join);
        return controlHandler.resolvedId;
    }

    /** The blocking call behind {@link SwitchboardClient#lookup(String)}. */
    AgentInfo lookup(final String agentName)
    {
        final List<AgentInfo> found = lookup(LookupKind.BY_NAME, agentName, 0);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The blocking call behind {@link SwitchboardClient#lookupByCapability}. */
    List<AgentInfo> lookupByCapability(final String capability)
    {
        return lookup(LookupKind.BY_CAPABILITY, capability, 0);
    }

    /** The blocking call behind {@link SwitchboardClient#lookupById}. */
    AgentInfo lookupById(final long id)
    {
        final List<AgentInfo> found = lookup(LookupKind.BY_ID, "", id);
        return found.isEmpty() ? null : found.getFirst();
    }

    private List<AgentInfo> lookup(final LookupKind kind, final String query, final long wanted)
    {
        session.ensureOpen();
        final long correlationId = session.nextCorrelationId();
        final LookupEncoder e = new LookupEncoder();
        e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(session.agentId()).kind(kind).wantedAgentId(wanted).query(query);
        sendControlOrThrow(HEADER + e.encodedLength(), "lookup");
        await(correlationId, "lookup " + kind + " '" + query + "'");
        return controlHandler.lookupResult;
    }

    /** The blocking call behind {@link SwitchboardClient#agentIdOf}. */
    long agentIdOf(final String agentName)
    {
        final Long cached = destinations.cachedAgentId(agentName);
        if (cached != null)
        {
            return cached;
        }
        final AgentInfo info = lookup(agentName);
        if (info == null)
        {
            return 0;
        }
        destinations.rememberAgentId(agentName, info.agentId());
        return info.agentId();
    }

    /** The blocking call behind {@link SwitchboardClient#destination(long, Priority)}. */
    Destination destination(final long targetAgentId, final Priority priority)
    {
        session.ensureRegistered();
        Destination d = destinations.find(targetAgentId, priority);
        if (d != null && d.isResolved())
        {
            return d;
        }
        final AgentInfo info = lookupById(targetAgentId);
        if (info == null)
        {
            if (d != null)
            {
                destinations.forget(d);
            }
            throw new SwitchboardException(ErrorCode.UNKNOWN_AGENT, "no live agent has id " + targetAgentId);
        }
        d = destinations.resolveNow(d, targetAgentId, priority, info);
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
        final long correlationId = session.nextCorrelationId();
        final int length =
            connection.encodeLinkRequest(controlBuffer, 0, correlationId, session.agentId(), d.agentId, d.tier);
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

    /** The blocking call behind {@link SwitchboardClient#destination(String, Priority)}. */
    Destination destination(final String agentName, final Priority priority)
    {
        session.ensureRegistered();
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
            destinations.forgetAgentId(agentName);
            final long fresh = agentIdOf(agentName);
            if (fresh == 0 || fresh == id)
            {
                throw e;
            }
            return destination(fresh, priority);
        }
    }

    /**
     * A send found its destination between paths (LOW waiting for its queue, a direct path waiting for its barrier):
     * make progress without blocking, so that a caller retrying in a loop that never polls still gets there.
     *
     * @return true when the destination switched and the send can be tried again.
     */
    boolean progress(final Destination d)
    {
        if (d.barrier == Destination.BARRIER_UNSENT)
        {
            destinations.sendBarrier(d);
        }
        if (!d.durablePending && (d.resolution != 0 || d.barrier != 0))
        {
            // The connection reads nothing if this call came from inside one of its own reads (a handler).
            connection.pollControl(controlHandler, 16);
        }
        if (d.durablePending && !d.gone)
        {
            destinations.openDurable(d);
        }
        return d.lane != null || d.gone || d.durableDirect || d.durableUnreachable;
    }


    // ---------------------------------------------------------------------------------------------------
    // non-blocking control work, for the data path and the duty slice

    /**
     * Read what the router answered so far, without waiting (nothing when called from inside one of the connection's
     * own reads, a handler).
     */
    void pollControl()
    {
        connection.pollControl(controlHandler, 16);
    }

    /**
     * Learn a name's id in the background: ask once, then read answers here, so that a caller retrying in a loop that
     * does not poll still gets its answer.
     *
     * @param agentName the name; its id lands in {@link Destinations#cachedAgentId}.
     */
    void lookUpNameInBackground(final String agentName)
    {
        if (destinations.lookUpName(agentName))
        {
            pollControl();
        }
    }

    /**
     * The control duty of a duty slice: notice a broken connection or a lost lease, try to reconnect when due, run the
     * connection's own duty (its slower sources, shared-memory heartbeat, stuck records), renew the lease.
     *
     * @param nowNs the slice's clock reading.
     * @return work done by the connection's duty.
     */
    int duty(final long nowNs)
    {
        if (session.agentId() != 0 && !disconnected && (controlHandler.leaseLost || !connection.isConnected()))
        {
            onDisconnected(nowNs);
        }
        if (disconnected && ctx.reconnect() && nowNs - nextReconnectNs >= 0)
        {
            tryReconnect(nowNs);
        }
        final int work = connection.duty(nowNs, dataHandler, controlHandler);
        keepAlive(nowNs);
        return work;
    }

    /**
     * Move on the destinations waiting between paths (a barrier not sent yet, a durable queue to open); forget those
     * that got there.
     */
    void progressBetweenPaths()
    {
        final ArrayList<Destination> betweenPaths = destinations.betweenPaths();
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
    }

    /**
     * Tell the router this agent leaves, without waiting (the client closes); nothing when not registered or not
     * connected.
     */
    void deregister()
    {
        if (session.agentId() != 0 && connection.isConnected())
        {
            final DeregisterEncoder e = new DeregisterEncoder();
            e.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
                .correlationId(session.nextCorrelationId()).agentId(session.agentId());
            connection.sendControl(controlBuffer, 0, HEADER + e.encodedLength());
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // lease and reconnection

    private void onDisconnected(final long nowNs)
    {
        disconnected = true;
        reconnectBackoffNs = ctx.reconnectBackoffNs();
        final boolean leaseLost = controlHandler.leaseLost;
        nextReconnectNs = leaseLost ? nowNs : nowNs + reconnectBackoffNs;
        final String reason = leaseLost ? "the router dropped this agent's registration (its lease expired, or an " +
            "agent of another router holds its name: see the error)" : connection.closeReason();
        controlHandler.leaseLost = false;
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
        final long previousAgentId = session.agentId();
        destinations.forgetRouterIds();
        try
        {
            session.agentId(0);
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
            if (session.agentId() == 0)
            {
                session.agentId(previousAgentId);
            }
            reconnectBackoffNs = Math.min(ctx.reconnectBackoffMaxNs(), reconnectBackoffNs * 2);
            nextReconnectNs = nowNs + reconnectBackoffNs;
            listener.onError(0, e.code(), "reconnected to the router but could not register again: " + e.getMessage());
            return;
        }
        disconnected = false;
        listener.onReconnected(previousAgentId, session.agentId());
    }

    /**
     * Renew the lease now if due; call while busy for longer than the heartbeat interval without polling.
     */
    void keepAlive()
    {
        if (session.agentId() != 0 && connection.heartbeatsInSharedMemory())
        {
            connection.duty(clock.nanoTime(), dataHandler, controlHandler);
            return;
        }
        keepAlive(clock.nanoTime());
    }

    /**
     * Renew the lease if due (a Heartbeat frame; nothing where heartbeats are in shared memory).
     *
     * @param nowNs the clock, read by the caller.
     */
    void keepAlive(final long nowNs)
    {
        if (session.agentId() != 0 && nowNs >= nextHeartbeatNs && !connection.heartbeatsInSharedMemory())
        {
            heartbeatEncoder.wrapAndApplyHeader(heartbeatBuffer, 0, headerEncoder)
                .agentId(session.agentId()).timestampNs(nowNs);
            if (connection.sendControl(heartbeatBuffer, 0, HEADER + HeartbeatEncoder.BLOCK_LENGTH) == OfferStatus.OK)
            {
                nextHeartbeatNs = nowNs + heartbeatIntervalNs;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // request/reply with the router

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
        final ControlFrameHandler h = controlHandler;
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
}
