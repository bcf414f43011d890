package dev.switchboard.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.AgentEventEncoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.RegisteredEncoder;
import dev.switchboard.codecs.sbe.TiersEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistrationResult;
import dev.switchboard.router.access.Grants;

/**
 * The router's side of the {@link AgentRegistry}: which agent a session carries and for how long. It registers an
 * agent (authenticated by {@link AccessControl}, its inbox accepted by its transport) and answers {@code Registered},
 * deregisters one on request, keeps leases (Heartbeat frames, the heartbeat word in a shared-memory inbox, and the
 * judging of leases while a full receiver holds the router back), answers lookups, and tells registry watchers (and an
 * agent whose lease ran out) who came and went.
 *
 * <p>Threads: the router's duty-cycle thread only. Allocation: heartbeats, lease renewal and judging allocate nothing;
 * register, deregister, lookup and the registry events are the control plane and allocate, by design.
 */
final class Registrar
{
    private final AgentRegistry registry;
    private final CounterBlock counters;
    private final ControlReplies replies;
    private final CycleClock clock;
    private final Sessions sessions;
    private final AccessControl access;
    /** Agents watching the registry (a Subscribe of kind REGISTRY), told of every agent that comes and goes. */
    private final MemberSet watchers = new MemberSet(0, "registry");
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RegisteredEncoder registeredEncoder = new RegisteredEncoder();
    private final LookupResultEncoder lookupResultEncoder = new LookupResultEncoder();
    private final AgentEventEncoder agentEventEncoder = new AgentEventEncoder();

    /**
     * @param registry the agents, their leases and capabilities.
     * @param counters the router's counters.
     * @param replies  to answer and to tell.
     * @param clock    the duty cycle's now (leases).
     * @param sessions the sessions agents are registered on.
     * @param access   authentication at registration, and the CRITICAL inbox a lookup may show.
     */
    Registrar(
        final AgentRegistry registry,
        final CounterBlock counters,
        final ControlReplies replies,
        final CycleClock clock,
        final Sessions sessions,
        final AccessControl access)
    {
        this.registry = registry;
        this.counters = counters;
        this.replies = replies;
        this.clock = clock;
        this.sessions = sessions;
        this.access = access;
    }

    // ---------------------------------------------------------------------------------------------------
    // register, deregister, lookup, watch

    /**
     * A Register: one agent per connection; authenticated; its inbox accepted by the session's transport; then, after
     * expiring every lease that has run out, entered in the registry (which may refuse the name or be full). Answered
     * with {@code Registered} (the agent's id, lease, heartbeat interval and tiers), and watchers are told.
     *
     * @param state            the session it came on.
     * @param correlationId    of the Register.
     * @param name             the agent name asked for.
     * @param capabilities     what the agent says it can do.
     * @param pid              the agent's process id.
     * @param tiers            the tiers the agent can use (bits); the session's own tiers limit them.
     * @param requestedLeaseNs the lease asked for, 0 for the default.
     * @param credential       the credential field (kind byte, then the token).
     * @param requestedInbox   the inbox path the agent named, or empty.
     */
    void register(
        final SessionState state,
        final long correlationId,
        final String name,
        final List<String> capabilities,
        final long pid,
        final int tiers,
        final long requestedLeaseNs,
        final byte[] credential,
        final String requestedInbox)
    {
        if (state.agentId != 0)
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            replies.refuse(state.session, correlationId, ErrorCode.NOT_AUTHORISED,
                "register '" + name + "' refused: this connection already carries agent " + state.agentId);
            return;
        }
        final Grants grants = access.authenticate(state, correlationId, name, credential);
        if (grants == null)
        {
            return;
        }
        final String inbox = state.session.acceptInbox(requestedInbox);
        if (inbox == null)
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            replies.refuse(state.session, correlationId, ErrorCode.NOT_AUTHORISED,
                "register '" + name + "' refused: inbox '" + requestedInbox + "' is not acceptable");
            return;
        }
        renewLeasesIfRunOut(); // a registration expires every run-out lease first
        // The tiers its session reaches, plus LOW when the agent declares it: LOW never goes through the router (a
        // sender on this host appends to the agent's durable queue), so only the agent knows it reads one. The LOW bit
        // in a lookup is what tells a sender that LOW reaches the agent from here (a peer router's agent lacks it).
        final int registeredTiers = tiers & (state.session.tiers() | (1 << AgentRecord.TIER_LOW));
        final RegistrationResult result = registry.register(name, capabilities, pid, registeredTiers,
            requestedLeaseNs, state.session.sessionId(), clock.nowNs());
        if (!result.isOk())
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            replies.refuse(state.session, correlationId, result.errorCode(), result.message());
            return;
        }
        final AgentRecord agent = result.agent();
        agent.inbox(inbox);
        state.grants = grants;
        state.agentId = agent.agentId();
        state.lastHeartbeat = state.session.heartbeat(); // its lease is renewed when the word moves from here
        sessions.onRegistered(state);
        state.session.onAgentBound(agent.agentId(), agent.name());
        counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS));

        headerEncoder.wrap(replies.buffer(), 0);
        registeredEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder)
            .correlationId(correlationId)
            .agentId(agent.agentId())
            .leaseMs((int)TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()))
            .heartbeatIntervalMs((int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()) / 4));
        putTiers(registeredEncoder.tiers(), agent.tiers());
        replies.send(state.session, ControlReplies.HEADER + registeredEncoder.encodedLength());
        notifyWatchers(agent, AgentEventKind.REGISTERED);
    }

    /**
     * An agent of a peer router, told by the bridge ({@link Router#registerBridged}): entered in the registry on its
     * proxy session like a local one (the name must be free here too), with no authentication (its own router did it)
     * and no reply; watchers are told. Allocation: the control plane's.
     *
     * @param state    the proxy session, added and taken.
     * @param name     the agent's name.
     * @param caps     its capabilities.
     * @param pid      its process id on its host.
     * @param tiers    its tiers.
     * @param leaseNs  the lease its proxy holds here (renewed by the peer's heartbeats, {@link Session#heartbeat()}).
     * @return the registry's answer.
     */
    RegistrationResult registerBridged(
        final SessionState state,
        final String name,
        final List<String> caps,
        final long pid,
        final int tiers,
        final long leaseNs)
    {
        renewLeasesIfRunOut();
        final RegistrationResult result =
            registry.register(name, caps, pid, tiers, leaseNs, state.session.sessionId(), clock.nowNs());
        if (!result.isOk())
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            return result;
        }
        final AgentRecord agent = result.agent();
        agent.inbox("");
        state.grants = dev.switchboard.router.access.Grants.ALL;
        state.agentId = agent.agentId();
        state.lastHeartbeat = state.session.heartbeat();
        sessions.onRegistered(state);
        state.session.onAgentBound(agent.agentId(), agent.name());
        counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS));
        notifyWatchers(agent, AgentEventKind.REGISTERED);
        return result;
    }

    private static void putTiers(final TiersEncoder encoder, final int tiers)
    {
        encoder.buffer().putByte(encoder.offset(), (byte)tiers);
    }

    /**
     * A Deregister, of the agent registered on this session only; answered with an Ack (the registry tells the router
     * of the departure, {@link #onDeregistered}).
     *
     * @param state         the session it came on.
     * @param correlationId of the Deregister.
     * @param agentId       the agent it names.
     */
    void deregister(final SessionState state, final long correlationId, final long agentId)
    {
        if (state.agentId == 0 || agentId != state.agentId)
        {
            replies.refuse(state.session, correlationId, ErrorCode.NOT_REGISTERED,
                "deregister refused: agent " + agentId + " is not registered on this connection");
            return;
        }
        registry.deregister(state.agentId, DeregistrationReason.REQUESTED);
        replies.sendAck(state.session, correlationId, 0);
    }

    /**
     * Watch the registry, or stop: a watcher is sent an AgentEvent for every other agent that registers, leaves or
     * expires. Answered with an Ack.
     *
     * @param state         the asker's session, with its agent.
     * @param correlationId of the Subscribe or Unsubscribe.
     * @param watch         true to watch.
     */
    void watch(final SessionState state, final long correlationId, final boolean watch)
    {
        if (watch)
        {
            watchers.add(state.agentId);
        }
        else
        {
            watchers.remove(state.agentId);
        }
        replies.sendAck(state.session, correlationId, 0);
    }

    /**
     * A Lookup by name, capability or id, answered with what the registry holds: each agent's id, pid, tiers,
     * capabilities, name, its CRITICAL inbox when the asker may send CRITICAL to it, and its host (its router's cluster
     * endpoint for an agent of a peer router, empty for one of this router). An answer over the session's
     * control limit is refused instead ("narrow the query").
     *
     * @param state         the asker's session.
     * @param correlationId of the Lookup.
     * @param kind          by name, capability or id.
     * @param wantedAgentId the id, for a lookup by id.
     * @param query         the name or capability.
     */
    void lookup(
        final SessionState state,
        final long correlationId,
        final LookupKind kind,
        final long wantedAgentId,
        final String query)
    {
        final List<AgentRecord> found = new ArrayList<>();
        switch (kind)
        {
            case BY_NAME ->
            {
                final AgentRecord r = registry.byName(query);
                if (r != null)
                {
                    found.add(r);
                }
            }
            case BY_CAPABILITY -> found.addAll(registry.byCapability(query));
            case BY_ID ->
            {
                final AgentRecord r = registry.byId(wantedAgentId);
                if (r != null)
                {
                    found.add(r);
                }
            }
            default ->
            {
                replies.refuse(state.session, correlationId, ErrorCode.MALFORMED, "unknown lookup kind " + kind);
                return;
            }
        }
        headerEncoder.wrap(replies.buffer(), 0);
        lookupResultEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder).correlationId(correlationId);
        final LookupResultEncoder.AgentsEncoder agents = lookupResultEncoder.agentsCount(found.size());
        for (final AgentRecord r : found)
        {
            agents.next().agentId(r.agentId()).pid(r.pid());
            putTiers(agents.tiers(), r.tiers());
            final LookupResultEncoder.AgentsEncoder.CapabilitiesEncoder caps =
                agents.capabilitiesCount(r.capabilities().size());
            for (final String c : r.capabilities())
            {
                caps.next().capability(c);
            }
            agents.name(r.name());
            agents.inbox(access.inboxGrant(state, r));
            agents.host(hostOf(r));
        }
        final int length = ControlReplies.HEADER + lookupResultEncoder.encodedLength();
        if (length > state.session.maxControlLength())
        {
            replies.refuse(state.session, correlationId, ErrorCode.LIMIT_EXCEEDED,
                "lookup result of " + found.size() + " agents is " + length +
                " bytes, over this connection's control limit " + state.session.maxControlLength() +
                "; narrow the query");
            return;
        }
        replies.send(state.session, length);
    }

    // ---------------------------------------------------------------------------------------------------
    // leases

    /**
     * A Heartbeat frame renews the lease of the agent registered on the session, in its own name only (else counted as
     * spoofed). Allocation: none.
     *
     * @param state   the session it came on.
     * @param agentId the agent it names.
     */
    void heartbeat(final SessionState state, final long agentId)
    {
        if (state.agentId != 0 && agentId == state.agentId)
        {
            renewLeasesIfRunOut(); // a renewal of a run-out lease expires every run-out lease
            registry.renew(state.agentId, clock.nowNs());
        }
        else
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
        }
    }

    /**
     * Judge leases (the timer): expire those that have run out, or, while a full receiver holds the ingress's head
     * frame ({@code blockingReceiver}), judge that receiver only. Call {@link #renewLeasesIfRunOut()} first.
     * Allocation: none, other than what the registry's listeners do for an agent that expires.
     *
     * @param blockingReceiver the receiver the ingress waits for, or 0 when it waits for none.
     * @return agents expired.
     */
    int judgeLeases(final long blockingReceiver)
    {
        return blockingReceiver != 0 ? judgeLeasesWhileStalled(blockingReceiver) : registry.expireLeases(clock.nowNs());
    }

    /**
     * While a full receiver holds the router back, every other agent's heartbeats wait in the ingress behind
     * the blocked frame, so their leases cannot be judged: they are renewed. Only the receiver that blocks is
     * judged by its lease; a receiver that stops reading for a whole lease is deregistered, which unblocks
     * the router (its undelivered copies are counted as FANOUT_RECEIVER_GONE).
     */
    private int judgeLeasesWhileStalled(final long blocker)
    {
        final long nowNs = clock.nowNs();
        for (int i = 0, n = sessions.size(); i < n; i++)
        {
            final long agentId = sessions.at(i).agentId;
            if (agentId != 0 && agentId != blocker)
            {
                registry.renew(agentId, nowNs);
            }
        }
        final AgentRecord record = registry.byId(blocker);
        if (record != null && record.leaseExpiryNs() <= nowNs)
        {
            registry.deregister(blocker, DeregistrationReason.EXPIRED);
            return 1;
        }
        return 0;
    }

    /**
     * Before anything that judges leases: the timer, and the registry calls that expire run-out leases on their own
     * (a registration, a heartbeat frame's renewal, both of which can come between a lease's end and the next timer
     * tick, from any connection). Without this, such a frame expired a live agent whose lease rests on its inbox
     * heartbeat word, which only {@link #renewLeases()} reads (the fuzz campaign: a live receiver deregistered by a
     * stranger's Register). One comparison when no lease has run out. Allocation: none.
     */
    void renewLeasesIfRunOut()
    {
        if (registry.nextExpiryNs() <= clock.nowNs())
        {
            renewLeases();
        }
    }

    /**
     * Some lease has run out. Before judging, renew every lease that an agent keeps alive without frames: an agent
     * with a shared-memory inbox moves a heartbeat word in its header as it polls ({@link Session#heartbeat()}), and a
     * session whose frame a full receiver holds cannot send its heartbeat frames (they wait behind that frame) though
     * it is alive. Leases due within half a lease are renewed together, so that an idle router wakes about twice per
     * lease however many agents it serves, rather than once per agent. Allocation: none.
     */
    private void renewLeases()
    {
        final long nowNs = clock.nowNs();
        for (int i = 0, n = sessions.size(); i < n; i++)
        {
            final SessionState state = sessions.at(i);
            final long agentId = state.agentId;
            final AgentRecord record = agentId == 0 ? null : registry.byId(agentId);
            if (record == null || record.leaseExpiryNs() - nowNs > record.leaseNs() / 2)
            {
                continue;
            }
            if (state.holdsFrame())
            {
                registry.renewFrom(agentId, nowNs);
                continue;
            }
            final long beat = state.session.heartbeat();
            if (beat == Session.NO_HEARTBEAT || beat == state.lastHeartbeat)
            {
                continue; // no word, or it has not moved since the last look: the lease runs on
            }
            state.lastHeartbeat = beat;
            // Heard now; renewed even if this judge comes just after the old expiry (the agent moved its word before).
            registry.renewFrom(agentId, nowNs);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // departures

    /**
     * An agent left the registry (the router's registry listener calls this once routing and work queues have let go
     * of it): counted by reason, no longer a watcher, told on its own connection when its lease ran out, unbound from
     * its session (whose frames in flight are still routed as the departed agent's), and watchers are told.
     *
     * @param agent  the agent that left.
     * @param reason why.
     */
    void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
    {
        final long agentId = agent.agentId();
        counters.increment(CounterIds.of(switch (reason)
        {
            case REQUESTED -> RouterCounter.DEREGISTRATIONS;
            case EXPIRED -> RouterCounter.LEASES_EXPIRED;
            case CONNECTION_CLOSED -> RouterCounter.CONNECTIONS_CLOSED;
            case NAME_CONFLICT -> RouterCounter.CLUSTER_NAMES_YIELDED;
        }));
        watchers.remove(agentId);
        final SessionState state = sessions.get((int)agent.sessionId());
        if (state != null && state.agentId == agentId && reason == DeregistrationReason.EXPIRED)
        {
            tellExpired(state, agent);
        }
        if (state != null && state.agentId == agentId)
        {
            // Frames this agent sent before leaving may still arrive on another link of the same
            // connection (an io_uring link is not ordered with the control socket): they are still routed.
            state.departedAgentId = agentId;
            state.agentId = 0;
            state.session.onAgentUnbound(agentId);
        }
        notifyWatchers(agent, reason == DeregistrationReason.EXPIRED ?
            AgentEventKind.EXPIRED : AgentEventKind.DEREGISTERED);
    }

    /**
     * @param agent a registered agent (or one leaving: its session is still known until the router drops it).
     * @return its host as lookups and registry events show it: its session's ({@link Session#host()}), else empty.
     */
    private String hostOf(final AgentRecord agent)
    {
        final SessionState owner = sessions.get((int)agent.sessionId());
        return owner == null ? "" : owner.session.host();
    }

    private void notifyWatchers(final AgentRecord agent, final AgentEventKind kind)
    {
        if (watchers.size() == 0)
        {
            return;
        }
        headerEncoder.wrap(replies.buffer(), 0);
        agentEventEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder)
            .agentId(agent.agentId())
            .kind(kind)
            .name(agent.name())
            .host(hostOf(agent));
        final int length = ControlReplies.HEADER + agentEventEncoder.encodedLength();
        for (int i = 0; i < watchers.size(); i++)
        {
            final long watcher = watchers.get(i);
            if (watcher == agent.agentId())
            {
                continue;
            }
            final Session s = sessions.sessionOf(watcher);
            if (s != null)
            {
                s.sendControl(replies.buffer(), 0, length);
            }
        }
    }

    /**
     * Take a local agent out of the registry because a peer router's agent holds its name (a cluster name conflict
     * resolved for the peer): the agent is told on its own connection (an AgentEvent DEREGISTERED naming itself, so that
     * the client library registers again, then an Error {@code NAME_TAKEN} saying why), then deregistered (watchers see
     * DEREGISTERED; counted as {@code cluster: names yielded}). Router thread only; allocation: the control plane's.
     *
     * @param agentId the local agent.
     * @param why     the error text for the agent.
     * @return the agent's record, or null when no such agent.
     */
    AgentRecord evict(final long agentId, final String why)
    {
        final AgentRecord agent = registry.byId(agentId);
        if (agent == null)
        {
            return null;
        }
        final SessionState state = sessions.get((int)agent.sessionId());
        if (state != null && state.agentId == agentId)
        {
            headerEncoder.wrap(replies.buffer(), 0);
            agentEventEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder)
                .agentId(agentId)
                .kind(AgentEventKind.DEREGISTERED)
                .name(agent.name())
                .host("");
            replies.send(state.session, ControlReplies.HEADER + agentEventEncoder.encodedLength());
            replies.sendError(state.session, 0, ErrorCode.NAME_TAKEN, why);
        }
        return registry.deregister(agentId, DeregistrationReason.NAME_CONFLICT);
    }

    /**
     * An agent whose lease ran out is told, on its own connection, so that it knows its messages are no longer routed
     * and can register again: an AgentEvent EXPIRED naming itself (for the client library), then an Error saying why.
     */
    private void tellExpired(final SessionState state, final AgentRecord agent)
    {
        headerEncoder.wrap(replies.buffer(), 0);
        agentEventEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder)
            .agentId(agent.agentId())
            .kind(AgentEventKind.EXPIRED)
            .name(agent.name())
            .host(""); // schema version 3: a client reads the host after the name
        replies.send(state.session, ControlReplies.HEADER + agentEventEncoder.encodedLength());
        replies.sendError(state.session, 0, ErrorCode.NOT_REGISTERED, "agent '" + agent.name() + "' (" +
            agent.agentId() + ") deregistered: its lease of " + TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()) +
            " ms ran out without a heartbeat; nothing is routed to or from it until it registers again");
        counters.increment(CounterIds.of(RouterCounter.EXPIRED_AGENTS_TOLD));
    }
}
