package dev.switchboard.router;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkListenEncoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import dev.switchboard.codecs.sbe.LinkRequestEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.router.access.Role;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's side of agent-to-agent links, against a real registry and recording sessions: what an agent must have
 * to listen, what the policy lets through, what each side is told and in which order, and every refusal with its
 * error and counter.
 */
class LinkBrokerTest
{
    private static final String DIR = "/dev/shm/switchboard-1000/";
    private static final PeerCredentials ASKER_PEER = new PeerCredentials("alice", 1000, "staff", 50, false);

    private final List<String> wire = new ArrayList<>();
    private final Long2ObjectHashMap<RecordingSession> sessions = new Long2ObjectHashMap<>();
    private AgentRegistry registry;
    private CounterBlock counters;
    private LinkBroker broker;
    private long receiver;
    private long asker;

    @BeforeEach
    void setUp()
    {
        registry = new AgentRegistry(16, 1_000_000_000L, 10_000_000_000L);
        counters = new SwitchboardCounters().block();
        broker = new LinkBroker(registry, counters, id -> sessions.get(id), RouterContext.LINK_GRANT_TTL_MS_DEFAULT);
        receiver = register("receiver", 1, 101, DIR + "receiver-101.inbox");
        asker = register("asker", 2, 102, DIR + "asker-102.inbox");
    }

    @Test
    void aGrantGoesToTheReceiverFirstThenToTheAskerWithTheSameBytesPathAndInbox()
    {
        listen(receiver, DIR + "receiver-101.nlink", DIR + "receiver-101.hlink");
        assertEquals("receiver: Ack " + receiver, wire.getLast());

        request(asker, receiver, Priority.HIGH, Grants.defaults(Role.AGENT));

        assertEquals(3, wire.size(), wire.toString());
        final LinkExpectDecoder expect = sessions.get(receiver).expect(0);
        final LinkGrantDecoder grant = sessions.get(asker).grant(0);
        assertTrue(wire.get(1).startsWith("receiver: LinkExpect"), "the receiver is told first: " + wire);
        assertTrue(wire.get(2).startsWith("asker: LinkGrant"), wire.toString());
        assertEquals(asker, expect.fromAgentId());
        assertEquals(1000, expect.fromUid(), "the asker's kernel uid, for the receiver's SO_PEERCRED check");
        assertEquals(Priority.HIGH, expect.priority());
        assertEquals(Priority.HIGH, grant.priority());
        assertEquals(receiver, grant.targetAgentId());
        assertEquals(101, grant.targetPid());
        assertEquals(RouterContext.LINK_GRANT_TTL_MS_DEFAULT, expect.ttlMs());
        final byte[] expected = new byte[expect.grantLength()];
        expect.getGrant(expected, 0, expected.length);
        final byte[] granted = new byte[grant.grantLength()];
        grant.getGrant(granted, 0, granted.length);
        assertEquals(LinkBroker.GRANT_LENGTH, granted.length);
        assertTrue(Arrays.equals(expected, granted), "the same one-time grant to both ends");
        assertEquals(DIR + "receiver-101.hlink", grant.path());
        assertEquals(DIR + "receiver-101.inbox", grant.inbox());
        assertEquals(1, counters.get(RouterCounter.LINK_GRANTS));
        assertEquals(1, counters.get(RouterCounter.LINK_ENDPOINTS));
    }

    @Test
    void everyGrantIsFresh()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        final byte[] first = new byte[16];
        final byte[] second = new byte[16];
        sessions.get(asker).grant(0).getGrant(first, 0, 16);
        sessions.get(asker).grant(1).getGrant(second, 0, 16);
        assertFalse(Arrays.equals(first, second));
        final LinkGrantDecoder grant = sessions.get(asker).grant(1);
        grant.skipGrant();
        assertEquals(DIR + "receiver-101.nlink", grant.path());
    }

    @Test
    void aTierTheReceiverDoesNotListenOnIsRefusedAsUnavailableAndCounted()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        request(asker, receiver, Priority.HIGH, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.LINK_UNAVAILABLE, "'receiver' accepts no HIGH link");
        assertEquals(1, counters.get(RouterCounter.LINK_REQUESTS_REFUSED));
        assertEquals(0, sessions.get(receiver).frames.size() - 1, "the receiver hears nothing but its Ack");
    }

    @Test
    void anAgentThatNeverListenedGetsNoLink()
    {
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.LINK_UNAVAILABLE, "accepts no NORMAL link");
    }

    @Test
    void theAccessPolicyIsCheckedAndARefusalIsCountedAsPolicy()
    {
        listen(receiver, DIR + "receiver-101.nlink", DIR + "receiver-101.hlink");
        final Grants noHigh = Grants.defaults(Role.AGENT).with(Map.of("send", "CRITICAL,NORMAL"));
        request(asker, receiver, Priority.HIGH, noHigh);
        assertRefused(ErrorCode.NOT_AUTHORISED, "link to 'receiver' at HIGH refused: role agent may not send");
        assertEquals(1, counters.get(RouterCounter.POLICY_DENIED_LINK));
        assertEquals(0, counters.get(RouterCounter.LINK_GRANTS));
        request(asker, receiver, Priority.HIGH, Grants.defaults(Role.OBSERVER));
        assertEquals(2, counters.get(RouterCounter.POLICY_DENIED_LINK));
    }

    @Test
    void theInboxIsWithheldFromAnAskerThatMayNotSendCriticalToTheReceiver()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT).with(Map.of("critical-to", "none")));
        final LinkGrantDecoder grant = sessions.get(asker).grant(0);
        grant.skipGrant();
        assertEquals(DIR + "receiver-101.nlink", grant.path());
        assertEquals("", grant.inbox(), "mapping the inbox would let it write CRITICAL");
    }

    @Test
    void unknownReceiversSpoofedAskersSelfLinksAndOtherPrioritiesAreRefused()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        request(asker, 999, Priority.NORMAL, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.UNKNOWN_AGENT, "no agent 999");

        broker.onControl(LinkRequestDecoder.TEMPLATE_ID, requestFrame(receiver, asker, Priority.NORMAL), 8,
            LinkRequestDecoder.BLOCK_LENGTH, LinkRequestDecoder.SCHEMA_VERSION, sessions.get(asker), asker,
            Grants.defaults(Role.AGENT), ASKER_PEER);
        assertRefused(ErrorCode.NOT_REGISTERED, "agent " + receiver + " is not registered on this connection");

        request(receiver, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        assertEquals("receiver: Error LINK_UNAVAILABLE link request refused: a link to oneself (agent " + receiver + ")",
            wire.getLast());

        request(asker, receiver, Priority.CRITICAL, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.LINK_UNAVAILABLE, "agent links carry HIGH or NORMAL, not CRITICAL");
        assertEquals(4, counters.get(RouterCounter.LINK_REQUESTS_REFUSED));
        assertEquals(4, counters.get(RouterCounter.CONTROL_ERRORS));
    }

    @Test
    void aReceiverWhoseControlStreamIsFullGetsNoExpectAndTheAskerNoGrant()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        sessions.get(receiver).full = true;
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.LINK_UNAVAILABLE, "is not taking control messages now");
        assertEquals(0, counters.get(RouterCounter.LINK_GRANTS));
    }

    @Test
    void aListenMustNameTheSocketsBesideTheAgentsInbox()
    {
        listen(receiver, "/tmp/elsewhere.nlink", "");
        assertEquals("receiver: Error MALFORMED link listen refused: a link socket must be " + DIR +
            "receiver-101.nlink (beside the agent's inbox, at most 107 bytes), not /tmp/elsewhere.nlink", wire.getLast());
        listen(receiver, DIR + "receiver-101.nlink", DIR + "asker-102.hlink");
        assertTrue(wire.getLast().startsWith("receiver: Error MALFORMED"), wire.getLast());
        assertEquals(0, broker.endpointCount());

        final long noInbox = register("no-inbox", 3, 103, "");
        listen(noInbox, DIR + "no-inbox-103.nlink", "");
        assertTrue(wire.getLast().startsWith("no-inbox: Error LINK_UNAVAILABLE link listen refused: agent " + noInbox +
            " has no inbox"), wire.getLast());
    }

    @Test
    void aDepartedAgentsEndpointIsForgotten()
    {
        listen(receiver, DIR + "receiver-101.nlink", "");
        assertEquals(1, broker.endpointCount());
        registry.deregister(receiver, DeregistrationReason.CONNECTION_CLOSED);
        assertEquals(0, broker.endpointCount());
        request(asker, receiver, Priority.NORMAL, Grants.defaults(Role.AGENT));
        assertRefused(ErrorCode.UNKNOWN_AGENT, "no agent " + receiver);
    }

    private void assertRefused(final ErrorCode code, final String text)
    {
        final String last = wire.getLast();
        assertTrue(last.startsWith("asker: Error " + code + " "), last);
        assertTrue(last.contains(text), last);
    }

    private long register(final String name, final long sessionId, final long pid, final String inbox)
    {
        final AgentRecord record = registry.register(name, List.of(), pid, Tier.NORMAL.mask(), 0, sessionId, 0).agent();
        record.inbox(inbox);
        sessions.put(record.agentId(), new RecordingSession(name, (int)sessionId));
        return record.agentId();
    }

    private void listen(final long agent, final String normal, final String high)
    {
        final UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocate(512));
        new LinkListenEncoder().wrapAndApplyHeader(b, 0, new MessageHeaderEncoder())
            .correlationId(5).agentId(agent).normalPath(normal).highPath(high);
        broker.onControl(LinkListenDecoder.TEMPLATE_ID, b, 8, LinkListenDecoder.BLOCK_LENGTH,
            LinkListenDecoder.SCHEMA_VERSION, sessions.get(agent), agent, Grants.defaults(Role.AGENT), ASKER_PEER);
    }

    private void request(final long from, final long to, final Priority priority, final Grants grants)
    {
        broker.onControl(LinkRequestDecoder.TEMPLATE_ID, requestFrame(from, to, priority), 8,
            LinkRequestDecoder.BLOCK_LENGTH, LinkRequestDecoder.SCHEMA_VERSION, sessions.get(from), from, grants,
            ASKER_PEER);
    }

    private static UnsafeBuffer requestFrame(final long from, final long to, final Priority priority)
    {
        final UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocate(128));
        new LinkRequestEncoder().wrapAndApplyHeader(b, 0, new MessageHeaderEncoder())
            .correlationId(9).agentId(from).targetAgentId(to).priority(priority);
        return b;
    }

    /** A session that keeps copies of the control frames sent to it and logs them in one shared order. */
    private final class RecordingSession implements Session
    {
        final String name;
        final int id;
        final List<UnsafeBuffer> frames = new ArrayList<>();
        boolean full;

        RecordingSession(final String name, final int id)
        {
            this.name = name;
            this.id = id;
        }

        LinkExpectDecoder expect(final int index)
        {
            return new LinkExpectDecoder().wrapAndApplyHeader(nth(LinkExpectDecoder.TEMPLATE_ID, index), 0,
                new MessageHeaderDecoder());
        }

        LinkGrantDecoder grant(final int index)
        {
            return new LinkGrantDecoder().wrapAndApplyHeader(nth(LinkGrantDecoder.TEMPLATE_ID, index), 0,
                new MessageHeaderDecoder());
        }

        private UnsafeBuffer nth(final int templateId, final int index)
        {
            int seen = 0;
            for (final UnsafeBuffer f : frames)
            {
                if (new MessageHeaderDecoder().wrap(f, 0).templateId() == templateId && seen++ == index)
                {
                    return f;
                }
            }
            throw new AssertionError("no frame " + index + " of template " + templateId + " to " + name + ": " + wire);
        }

        @Override
        public int sessionId()
        {
            return id;
        }

        @Override
        public Tier tier()
        {
            return Tier.NORMAL;
        }

        @Override
        public int tiers()
        {
            return Tier.NORMAL.mask();
        }

        @Override
        public int deliver(final DirectBuffer buffer, final int offset, final int length)
        {
            return OfferStatus.OK;
        }

        @Override
        public int sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
            if (full)
            {
                return OfferStatus.BACK_PRESSURED;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            final UnsafeBuffer frame = new UnsafeBuffer(copy);
            frames.add(frame);
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
            wire.add(name + ": " + switch (header.templateId())
            {
                case AckDecoder.TEMPLATE_ID -> "Ack " + new AckDecoder().wrapAndApplyHeader(frame, 0, header).resolvedId();
                case ErrorDecoder.TEMPLATE_ID ->
                {
                    final ErrorDecoder e = new ErrorDecoder().wrapAndApplyHeader(frame, 0, header);
                    yield "Error " + e.code() + " " + e.text();
                }
                case LinkExpectDecoder.TEMPLATE_ID -> "LinkExpect";
                case LinkGrantDecoder.TEMPLATE_ID -> "LinkGrant";
                default -> "template " + header.templateId();
            });
            return OfferStatus.OK;
        }

        @Override
        public int maxControlLength()
        {
            return 4096;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public void onAgentBound(final long agentId, final String agentName)
        {
        }

        @Override
        public void onAgentUnbound(final long agentId)
        {
        }
    }
}
