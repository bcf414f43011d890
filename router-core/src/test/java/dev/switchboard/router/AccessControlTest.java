package dev.switchboard.router;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.router.access.Grants;
import dev.switchboard.router.access.Role;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.RouterFeatures;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's access checks on its own: who may connect, send as whom, route which data frame, and see which inbox.
 * Restricted roles are built from the built-in grants with some keys replaced, as a policy file's role lines do.
 */
class AccessControlTest
{
    private static final long AGENT = 11;
    private static final Grants RESTRICTED = Grants.defaults(Role.AGENT)
        .with(Map.of("publish", "jobs.*", "critical-to", "worker-*"));

    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final AgentRegistry registry =
        new AgentRegistry(16, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(60));
    private final CycleClock clock = new CycleClock(() -> 1_000);
    private final ControlReplies replies = new ControlReplies(counters.block());
    private final RouterContext ctx = new RouterContext().relaysWakes(true);
    private final Sessions sessions = new Sessions(registry, ctx, counters.block(), replies, clock);
    private final AccessControl access = new AccessControl(new Authenticator().conclude(), ctx, counters.block(),
        replies, clock, sessions, registry, id -> id == 1 ? "jobs.build" : id == 2 ? "secret.keys" : null);

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
    private final EnvelopeDecoder envelope = new EnvelopeDecoder();
    private final FakeSession session = new FakeSession(1);
    private final SessionState state = new SessionState(session);

    {
        state.peer = PeerCredentials.IN_PROCESS;
    }

    private EnvelopeDecoder envelope(
        final long source, final Pattern pattern, final Priority priority, final long target)
    {
        new EnvelopeEncoder().wrap(frame, 0)
            .sourceAgentId(source).targetId(target).correlationId(77).pattern(pattern).priority(priority);
        return envelope.wrap(frame, 0, EnvelopeEncoder.BLOCK_LENGTH, EnvelopeEncoder.SCHEMA_VERSION);
    }

    private SessionState restricted()
    {
        state.agentId = AGENT;
        state.grants = RESTRICTED;
        return state;
    }

    private long counter(final RouterCounter counter)
    {
        return counters.block().get(counter);
    }

    @Test
    void anUnrestrictedRoleRoutesWithoutAnyCheck()
    {
        state.agentId = AGENT;
        state.grants = Grants.ALL;

        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.BROADCAST, Priority.CRITICAL, 0)));
        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.PUBLISH, Priority.NORMAL, 2)));
        assertTrue(session.control.isEmpty());
    }

    @Test
    void aRestrictedRoleMayNotBroadcastAtAPriorityItIsNotGranted()
    {
        assertFalse(access.mayRoute(restricted(), envelope(AGENT, Pattern.BROADCAST, Priority.CRITICAL, 0)));

        assertEquals(1, counter(RouterCounter.POLICY_DENIED_BROADCAST));
        assertEquals(ErrorCode.NOT_AUTHORISED, session.lastError().code());
        assertEquals(77, session.lastError().correlationId());
        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.BROADCAST, Priority.HIGH, 0)));
    }

    @Test
    void aRoleWithoutEnqueueMayNotPutWorkButMayAck()
    {
        assertFalse(access.mayRoute(restricted(), envelope(AGENT, Pattern.WORK, Priority.NORMAL, 5)));
        assertEquals(1, counter(RouterCounter.POLICY_DENIED_ENQUEUE));

        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.WORK_ACK, Priority.NORMAL, 5)));
    }

    @Test
    void publishIsCheckedAgainstTheTopicsName()
    {
        assertTrue(access.mayRoute(restricted(), envelope(AGENT, Pattern.PUBLISH, Priority.NORMAL, 1)));
        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.PUBLISH, Priority.NORMAL, 3)), "no such topic");

        assertFalse(access.mayRoute(state, envelope(AGENT, Pattern.PUBLISH, Priority.NORMAL, 2)));
        assertEquals(1, counter(RouterCounter.POLICY_DENIED_PUBLISH));
        assertTrue(session.lastError().text().contains("'secret.keys'"), session.lastError().text());
    }

    @Test
    void criticalPointToPointIsCheckedAgainstTheReceiversName()
    {
        final long worker = registry.register("worker-1", List.of(), 1, 0, 0, 2, 0).agent().agentId();
        final long vault = registry.register("vault", List.of(), 1, 0, 0, 3, 0).agent().agentId();

        assertTrue(access.mayRoute(restricted(), envelope(AGENT, Pattern.SEND, Priority.CRITICAL, worker)));
        assertTrue(access.mayRoute(state, envelope(AGENT, Pattern.SEND, Priority.HIGH, vault)));

        assertFalse(access.mayRoute(state, envelope(AGENT, Pattern.REQUEST, Priority.CRITICAL, vault)));
        assertEquals(1, counter(RouterCounter.POLICY_DENIED_SEND));
    }

    @Test
    void aFrameFromAConnectionWithoutAnAgentIsRefused()
    {
        assertFalse(access.maySendAs(state, envelope(AGENT, Pattern.SEND, Priority.NORMAL, 5)));

        assertEquals(1, counter(RouterCounter.REJECTED_NOT_REGISTERED));
        assertEquals(ErrorCode.NOT_REGISTERED, session.lastError().code());
    }

    @Test
    void aFrameInAnotherAgentsNameIsRefusedAsSpoofed()
    {
        state.agentId = AGENT;

        assertFalse(access.maySendAs(state, envelope(AGENT + 1, Pattern.SEND, Priority.NORMAL, 5)));

        assertEquals(1, counter(RouterCounter.REJECTED_SPOOFED_SOURCE));
        assertEquals(ErrorCode.NOT_AUTHORISED, session.lastError().code());
        assertTrue(access.maySendAs(state, envelope(AGENT, Pattern.SEND, Priority.NORMAL, 5)));
    }

    @Test
    void framesOfTheAgentThatJustLeftAreStillItsOwn()
    {
        state.departedAgentId = AGENT;

        assertTrue(access.maySendAs(state, envelope(AGENT, Pattern.SEND, Priority.NORMAL, 5)));
        assertFalse(access.maySendAs(state, envelope(0, Pattern.SEND, Priority.NORMAL, 5)));
    }

    @Test
    void aCriticalInboxIsShownOnlyToARoleThatMaySendCriticalToIt()
    {
        final AgentRecord vault = registry.register("vault", List.of(), 1, 0, 0, 3, 0).agent();
        vault.inbox("/dev/shm/vault.inbox");
        final AgentRecord worker = registry.register("worker-1", List.of(), 1, 0, 0, 2, 0).agent();
        worker.inbox("/dev/shm/worker-1.inbox");
        restricted();

        assertEquals("/dev/shm/worker-1.inbox", access.inboxGrant(state, worker));
        assertEquals("", access.inboxGrant(state, vault));
        assertEquals(1, counter(RouterCounter.POLICY_DENIED_CRITICAL_INBOX));
        assertTrue(session.control.isEmpty(), "a withheld inbox is not an error");
    }

    @Test
    void beforeRegistrationOnlyAnInProcessConnectionHasGrants()
    {
        assertNotNull(access.grantsOf(state));

        final SessionState socket = new SessionState(new FakeSession(2));
        socket.peer = PeerCredentials.of("someone-else", "nobody");
        assertNull(access.grantsOf(socket));
        socket.grants = RESTRICTED;
        assertSame(RESTRICTED, access.grantsOf(socket));
    }

    @Test
    void anInProcessConnectionIsLetInWithoutAChallenge()
    {
        access.admit(state);

        assertTrue(session.control.isEmpty());
        assertFalse(state.refused);
    }

    @Test
    void anAdmittedPeerIsChallengedWithANonceAndTheRoutersFeatures()
    {
        final FakeSession socket = new FakeSession(2).peer(PeerCredentials.self());
        sessions.add(socket);
        final SessionState taken = sessions.takeAdded();

        access.admit(taken);

        assertEquals(List.of(ChallengeDecoder.TEMPLATE_ID), socket.controlTemplates());
        final UnsafeBuffer challenge = new UnsafeBuffer(socket.control.get(0));
        final ChallengeDecoder decoder = new ChallengeDecoder().wrap(challenge, MessageHeaderDecoder.ENCODED_LENGTH,
            ChallengeDecoder.BLOCK_LENGTH, ChallengeDecoder.SCHEMA_VERSION);
        assertTrue((decoder.flags() & RouterFeatures.RELAYS_WAKES) != 0);
        final byte[] nonce = new byte[taken.nonce.length];
        decoder.getNonce(nonce, 0, nonce.length);
        assertArrayEquals(taken.nonce, nonce);
        assertFalse(taken.refused);
    }

    @Test
    void aPeerThePolicyDoesNotAdmitIsToldAndClosed()
    {
        final FakeSession socket = new FakeSession(2).peer(new PeerCredentials("mallory", 4242, "evil", 4242, false));
        sessions.add(socket);
        final SessionState taken = sessions.takeAdded();

        access.admit(taken);

        assertEquals(ErrorCode.NOT_AUTHORISED, socket.lastError().code());
        assertEquals(1, counter(RouterCounter.AUTH_PEER_REFUSED));
        assertTrue(taken.refused);
        assertTrue(socket.closeAfterFlush);
        assertEquals(Long.MAX_VALUE, sessions.nextHandshakeDeadlineNs(), "refused, so no deadline runs");
    }
}
