package dev.switchboard.router;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.access.Authenticator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registrar on its own: registration and its answer, deregistration, registry watchers, lookups, and leases kept
 * by Heartbeat frames, by the heartbeat word of a shared-memory inbox, and while a full receiver holds the router back.
 */
class RegistrarTest
{
    private static final long LEASE_NS = TimeUnit.SECONDS.toNanos(10);

    private long nowNs = 1_000_000;
    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final AgentRegistry registry = new AgentRegistry(16, LEASE_NS, LEASE_NS * 6);
    private final CycleClock clock = new CycleClock(() -> nowNs);
    private final ControlReplies replies = new ControlReplies(counters.block());
    private final RouterContext ctx = new RouterContext();
    private final Sessions sessions = new Sessions(registry, ctx, counters.block(), replies, clock);
    private final AccessControl access = new AccessControl(new Authenticator().conclude(), ctx, counters.block(),
        replies, clock, sessions, registry, id -> null);
    private final Registrar registrar = new Registrar(registry, counters.block(), replies, clock, sessions, access);
    private int nextSessionId = 1;

    {
        registry.addListener(new RegistryListener()
        {
            @Override
            public void onRegistered(final AgentRecord agent)
            {
            }

            @Override
            public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
            {
                registrar.onDeregistered(agent, reason);
            }
        });
    }

    private SessionState connect()
    {
        sessions.add(new FakeSession(nextSessionId++));
        return sessions.takeAdded();
    }

    private SessionState agent(final String name, final String... capabilities)
    {
        final SessionState state = connect();
        registrar.register(state, 1, name, List.of(capabilities), 4242, 0xFF, 0, new byte[0], "/dev/shm/" + name);
        assertTrue(state.agentId != 0, "registered " + name);
        return state;
    }

    private static FakeSession fake(final SessionState state)
    {
        return (FakeSession)state.session;
    }

    private static int templateOf(final FakeSession session, final int i)
    {
        return session.controlTemplates().get(i);
    }

    private static AgentEventDecoder event(final FakeSession session, final int i)
    {
        final UnsafeBuffer frame = session.frame(i);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        return new AgentEventDecoder().wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    private void advance(final long ns)
    {
        nowNs += ns;
        clock.update();
    }

    private long counter(final RouterCounter counter)
    {
        return counters.block().get(counter);
    }

    @Test
    void aRegisteredAgentIsAnsweredAndBoundToItsSession()
    {
        final SessionState state = connect();

        registrar.register(state, 7, "alpha", List.of("build"), 4242, 0xFF, 0, new byte[0], "/dev/shm/alpha.inbox");

        final FakeSession session = fake(state);
        final UnsafeBuffer frame = session.frame(0);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        assertEquals(RegisteredDecoder.TEMPLATE_ID, header.templateId());
        final RegisteredDecoder registered = new RegisteredDecoder()
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(7, registered.correlationId());
        assertEquals(state.agentId, registered.agentId());
        assertEquals(TimeUnit.NANOSECONDS.toMillis(LEASE_NS), registered.leaseMs());
        assertEquals(TimeUnit.NANOSECONDS.toMillis(LEASE_NS) / 4, registered.heartbeatIntervalMs());
        assertEquals(state.agentId, session.boundAgentId);
        assertNotNull(state.grants);
        assertEquals("/dev/shm/alpha.inbox", registry.byId(state.agentId).inbox());
        assertEquals(1, counter(RouterCounter.REGISTRATIONS));
    }

    @Test
    void aConnectionCarriesOneAgentOnly()
    {
        final SessionState state = agent("alpha");

        registrar.register(state, 8, "beta", List.of(), 1, 0, 0, new byte[0], "");

        assertEquals(ErrorCode.NOT_AUTHORISED, fake(state).lastError().code());
        assertNull(registry.byName("beta"));
        assertEquals(1, counter(RouterCounter.REGISTRATIONS_REFUSED));
    }

    @Test
    void anInboxTheTransportRefusesRefusesTheRegistration()
    {
        final SessionState state = connect();
        fake(state).refusesInbox = true;

        registrar.register(state, 8, "alpha", List.of(), 1, 0, 0, new byte[0], "/elsewhere");

        assertEquals(ErrorCode.NOT_AUTHORISED, fake(state).lastError().code());
        assertEquals(0, state.agentId);
    }

    @Test
    void anAgentDeregistersItselfOnly()
    {
        final SessionState alpha = agent("alpha");
        final SessionState beta = agent("beta");

        registrar.deregister(alpha, 3, beta.agentId);
        assertEquals(ErrorCode.NOT_REGISTERED, fake(alpha).lastError().code());
        assertNotNull(registry.byId(beta.agentId));

        final long alphaId = alpha.agentId;
        registrar.deregister(alpha, 4, alphaId);
        assertNull(registry.byId(alphaId));
        assertEquals(0, alpha.agentId);
        assertEquals(alphaId, alpha.departedAgentId, "its frames in flight are still its own");
        assertEquals(alphaId, fake(alpha).unboundAgentId);
        assertEquals(4, fake(alpha).ack(fake(alpha).control.size() - 1).correlationId());
        assertEquals(1, counter(RouterCounter.DEREGISTRATIONS));
    }

    @Test
    void watchersAreToldOfOtherAgentsComingAndGoing()
    {
        final SessionState watcher = agent("watcher");
        registrar.watch(watcher, 2, true);
        final int before = fake(watcher).control.size();

        final SessionState alpha = agent("alpha");
        final long alphaId = alpha.agentId;
        registrar.deregister(alpha, 3, alphaId);

        assertEquals(before + 2, fake(watcher).control.size());
        assertEquals(AgentEventKind.REGISTERED, event(fake(watcher), before).kind());
        assertEquals(alphaId, event(fake(watcher), before).agentId());
        assertEquals(AgentEventKind.DEREGISTERED, event(fake(watcher), before + 1).kind());

        registrar.watch(watcher, 4, false);
        agent("beta");
        assertEquals(before + 3, fake(watcher).control.size(), "only the Ack of the unwatch");
    }

    @Test
    void aLookupFindsByNameCapabilityAndId()
    {
        final SessionState asker = agent("asker");
        final SessionState a = agent("a", "build");
        agent("b", "build");

        registrar.lookup(asker, 5, LookupKind.BY_CAPABILITY, 0, "build");
        registrar.lookup(asker, 6, LookupKind.BY_ID, a.agentId, "");
        registrar.lookup(asker, 7, LookupKind.BY_NAME, 0, "nobody");

        final FakeSession session = fake(asker);
        final int first = session.control.size() - 3;
        assertEquals(2, lookupResult(session, first).agents().count());
        final LookupResultDecoder.AgentsDecoder byId = lookupResult(session, first + 1).agents().next();
        assertEquals(a.agentId, byId.agentId());
        assertEquals(0, lookupResult(session, first + 2).agents().count());
    }

    @Test
    void aLookupAnswerOverTheControlLimitIsRefused()
    {
        final SessionState asker = agent("asker");
        agent("a", "build");
        agent("b", "build");
        fake(asker).maxControlLength = 64;

        registrar.lookup(asker, 5, LookupKind.BY_CAPABILITY, 0, "build");

        assertEquals(ErrorCode.LIMIT_EXCEEDED, fake(asker).lastError().code());
    }

    private static LookupResultDecoder lookupResult(final FakeSession session, final int i)
    {
        final UnsafeBuffer frame = session.frame(i);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        assertEquals(LookupResultDecoder.TEMPLATE_ID, header.templateId());
        return new LookupResultDecoder().wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    @Test
    void aHeartbeatRenewsTheLeaseOfTheSessionsOwnAgentOnly()
    {
        final SessionState alpha = agent("alpha");
        advance(LEASE_NS / 2);

        registrar.heartbeat(alpha, alpha.agentId + 1);
        assertEquals(1, counter(RouterCounter.REJECTED_SPOOFED_SOURCE));
        registrar.heartbeat(alpha, alpha.agentId);

        assertEquals(nowNs + LEASE_NS, registry.byId(alpha.agentId).leaseExpiryNs());
    }

    @Test
    void aHeartbeatWordThatMovedRenewsTheLeaseAndOneThatDidNotLetsItExpire()
    {
        final SessionState moving = connect();
        fake(moving).heartbeat = 5;
        registrar.register(moving, 1, "moving", List.of(), 1, 0, 0, new byte[0], "");
        final SessionState still = connect();
        fake(still).heartbeat = 5;
        registrar.register(still, 1, "still", List.of(), 1, 0, 0, new byte[0], "");
        final long stillId = still.agentId;

        fake(moving).heartbeat = 6;
        advance(LEASE_NS);
        registrar.renewLeasesIfRunOut();
        assertEquals(1, registrar.judgeLeases(0));

        assertNotNull(registry.byId(moving.agentId));
        assertNull(registry.byId(stillId));
        assertEquals(1, counter(RouterCounter.LEASES_EXPIRED));
    }

    @Test
    void anAgentWhoseLeaseRanOutIsToldOnItsOwnConnection()
    {
        final SessionState alpha = agent("alpha");
        final long alphaId = alpha.agentId;
        final int before = fake(alpha).control.size();

        advance(LEASE_NS);
        registrar.renewLeasesIfRunOut();
        registrar.judgeLeases(0);

        final FakeSession session = fake(alpha);
        assertEquals(List.of(AgentEventDecoder.TEMPLATE_ID, ErrorDecoder.TEMPLATE_ID),
            session.controlTemplates().subList(before, session.control.size()));
        assertEquals(AgentEventKind.EXPIRED, event(session, before).kind());
        assertEquals(alphaId, event(session, before).agentId());
        assertEquals(ErrorCode.NOT_REGISTERED, session.lastError().code());
        assertEquals(1, counter(RouterCounter.EXPIRED_AGENTS_TOLD));
        assertEquals(0, alpha.agentId);
    }

    @Test
    void whileAFullReceiverHoldsTheRouterBackOnlyThatReceiverIsJudged()
    {
        final SessionState blocker = agent("blocker");
        final long blockerId = blocker.agentId;
        advance(TimeUnit.MILLISECONDS.toNanos(1));
        final SessionState waiting = agent("waiting");

        advance(LEASE_NS - TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(1, registrar.judgeLeases(blockerId));

        assertNull(registry.byId(blockerId));
        assertNotNull(registry.byId(waiting.agentId), "its heartbeats wait behind the held frame");
        assertEquals(nowNs + LEASE_NS, registry.byId(waiting.agentId).leaseExpiryNs());
    }

    @Test
    void aSessionHoldingAFrameKeepsItsLease()
    {
        final SessionState holder = agent("holder");
        holder.held[Router.PRIMARY_LINK] = new Fanout(1);

        advance(LEASE_NS);
        registrar.renewLeasesIfRunOut();

        assertEquals(0, registrar.judgeLeases(0));
        assertNotNull(registry.byId(holder.agentId));
    }

    @Test
    void aRegistrationAfterALeaseRanOutRenewsWordKeptLeasesFirst()
    {
        final SessionState moving = connect();
        fake(moving).heartbeat = 5;
        registrar.register(moving, 1, "moving", List.of(), 1, 0, 0, new byte[0], "");
        fake(moving).heartbeat = 6;
        advance(LEASE_NS);

        agent("stranger");

        assertNotNull(registry.byId(moving.agentId), "the stranger's registration expired no live agent");
    }

    @Test
    void theCountersSayWhyAnAgentLeft()
    {
        final SessionState alpha = agent("alpha");

        registry.deregister(alpha.agentId, DeregistrationReason.CONNECTION_CLOSED);

        assertEquals(1, counter(RouterCounter.CONNECTIONS_CLOSED));
        assertEquals(0, counter(RouterCounter.DEREGISTRATIONS));
    }
}
