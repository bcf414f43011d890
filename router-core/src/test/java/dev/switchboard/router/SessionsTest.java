package dev.switchboard.router;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.security.PeerCredentials;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's table of connections: taking new sessions, the handshake deadline, which session an agent is on, and
 * the relay of Wake frames.
 */
class SessionsTest
{
    private static final long HANDSHAKE_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final PeerCredentials SOCKET_PEER = new PeerCredentials("alice", 1000, "staff", 1000, false);

    private long nowNs = 1_000_000;
    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final AgentRegistry registry =
        new AgentRegistry(16, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(60));
    private final CycleClock clock = new CycleClock(() -> nowNs);
    private final Sessions sessions = new Sessions(
        registry, new RouterContext().handshakeTimeoutNs(HANDSHAKE_NS), counters.block(),
        new ControlReplies(counters.block()), clock);

    private SessionState take(final FakeSession session)
    {
        sessions.add(session);
        assertTrue(sessions.hasAdded());
        final SessionState state = sessions.takeAdded();
        assertSame(session, state.session);
        return state;
    }

    private void advance(final long ns)
    {
        nowNs += ns;
        clock.update();
    }

    @Test
    void aTakenSessionIsInTheTableWithItsCredentials()
    {
        final SessionState state = take(new FakeSession(3).peer(SOCKET_PEER));

        assertSame(state, sessions.get(3));
        assertEquals(1, sessions.size());
        assertSame(state, sessions.at(0));
        assertEquals(SOCKET_PEER, state.peer);
        assertEquals(nowNs, state.connectedNs);
        assertNull(sessions.takeAdded(), "nothing else waits");
    }

    @Test
    void sessionIdsAreUniqueAndStartAtOne()
    {
        assertEquals(1, sessions.nextSessionId());
        assertEquals(2, sessions.nextSessionId());
    }

    @Test
    void aConnectionThatDoesNotRegisterInTimeIsToldAndClosed()
    {
        final FakeSession session = new FakeSession(1).peer(SOCKET_PEER);
        final SessionState state = take(session);
        assertEquals(nowNs + HANDSHAKE_NS, sessions.nextHandshakeDeadlineNs());

        advance(HANDSHAKE_NS - 1);
        assertEquals(0, sessions.enforceHandshakeDeadline());
        advance(1);
        assertEquals(1, sessions.enforceHandshakeDeadline());

        assertTrue(state.refused);
        assertTrue(session.closeAfterFlush);
        assertEquals(ErrorCode.NOT_REGISTERED, session.lastError().code());
        assertEquals(1, counters.block().get(RouterCounter.HANDSHAKE_TIMEOUTS));
        assertEquals(Long.MAX_VALUE, sessions.nextHandshakeDeadlineNs(), "a refused connection has no deadline");
        assertEquals(0, sessions.enforceHandshakeDeadline(), "refused once");
    }

    @Test
    void aRegisteredOrInProcessConnectionHasNoHandshakeDeadline()
    {
        final FakeSession inProcess = new FakeSession(1);
        final FakeSession registered = new FakeSession(2).peer(SOCKET_PEER);
        take(inProcess);
        sessions.onRegistered(take(registered));

        advance(HANDSHAKE_NS * 10);

        assertEquals(Long.MAX_VALUE, sessions.nextHandshakeDeadlineNs());
        assertEquals(0, sessions.enforceHandshakeDeadline());
        assertFalse(inProcess.closeAfterFlush);
        assertFalse(registered.closeAfterFlush);
    }

    @Test
    void aRemovedSessionLeavesTheTableAndItsDeadline()
    {
        final SessionState state = take(new FakeSession(1).peer(SOCKET_PEER));

        sessions.remove(state);

        assertNull(sessions.get(1));
        assertEquals(0, sessions.size());
        assertTrue(state.refused, "nothing more is read from it");
        assertEquals(Long.MAX_VALUE, sessions.nextHandshakeDeadlineNs());
    }

    @Test
    void anAgentIsFoundOnTheSessionItRegisteredOn()
    {
        final FakeSession session = new FakeSession(4);
        take(session);
        final long agentId = registry.register("a", List.of(), 1, 0, 0, 4, nowNs).agent().agentId();

        assertSame(session, sessions.sessionOf(agentId));
        assertNull(sessions.sessionOf(agentId + 1));
    }

    @Test
    void aWakeIsRelayedOnlyInTheAskersOwnName()
    {
        final SessionState asker = take(new FakeSession(1));
        final FakeSession target = new FakeSession(2);
        target.wakeable = true;
        take(target);
        asker.agentId = registry.register("asker", List.of(), 1, 0, 0, 1, nowNs).agent().agentId();
        final long targetId = registry.register("target", List.of(), 1, 0, 0, 2, nowNs).agent().agentId();

        sessions.relayWake(asker, targetId, targetId);
        assertEquals(0, target.wakes);
        assertEquals(1, counters.block().get(RouterCounter.REJECTED_SPOOFED_SOURCE));

        sessions.relayWake(asker, asker.agentId, targetId);
        assertEquals(1, target.wakes);
        assertEquals(1, counters.block().get(RouterCounter.WAKES_RELAYED));

        sessions.relayWake(asker, asker.agentId, targetId + 1000);
        assertEquals(1, counters.block().get(RouterCounter.WAKES_NOT_RELAYED));
    }
}
