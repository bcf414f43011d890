package dev.switchboard.router;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.WakeEncoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The router's side of {@code Wake}: a registered agent's request wakes the target through its session, counted;
 * anything else is counted and wakes nobody. And the Challenge's bit 1 says whether the router relays at all. The
 * sessions here are scripted: frames go into the router's ingress as a transport would put them, and the test sees
 * what the router asks of each session.
 */
class WakeRelayTest
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final long TIMEOUT_MS = 10_000;

    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private Router router;

    @AfterEach
    void close()
    {
        if (null != router)
        {
            router.close();
        }
    }

    @Test
    void aWakeFromTheRegisteredSenderWakesTheTargetAndIsCounted()
    {
        router = Router.launch(new RouterContext().relaysWakes(true));
        final ScriptedSession sender = connect(PeerCredentials.IN_PROCESS, true);
        final ScriptedSession target = connect(PeerCredentials.IN_PROCESS, true);
        final long senderId = register(sender, "sender");
        final long targetId = register(target, "target");

        wake(sender, senderId, targetId);
        await(() -> counter(RouterCounter.WAKES_RELAYED) == 1);
        assertEquals(1, target.wakes.get());
        assertEquals(0, sender.wakes.get());
    }

    @Test
    void aWakeInAnotherAgentsNameIsRefusedAsSpoofedAndWakesNobody()
    {
        router = Router.launch(new RouterContext().relaysWakes(true));
        final ScriptedSession sender = connect(PeerCredentials.IN_PROCESS, true);
        final ScriptedSession target = connect(PeerCredentials.IN_PROCESS, true);
        register(sender, "sender");
        final long targetId = register(target, "target");
        final ScriptedSession anonymous = connect(PeerCredentials.IN_PROCESS, true);

        wake(sender, targetId, targetId);
        wake(anonymous, 0, targetId);
        await(() -> counter(RouterCounter.REJECTED_SPOOFED_SOURCE) == 2);
        assertEquals(0, target.wakes.get());
        assertEquals(0, counter(RouterCounter.WAKES_RELAYED));
    }

    @Test
    void aWakeForAnAgentThatIsGoneOrCannotBeWokenIsCountedAsNotRelayed()
    {
        router = Router.launch(new RouterContext().relaysWakes(true));
        final ScriptedSession sender = connect(PeerCredentials.IN_PROCESS, true);
        final ScriptedSession unwakeable = connect(PeerCredentials.IN_PROCESS, false);
        final long senderId = register(sender, "sender");
        final long unwakeableId = register(unwakeable, "no-inbox");

        wake(sender, senderId, unwakeableId);
        wake(sender, senderId, unwakeableId + 1000);
        await(() -> counter(RouterCounter.WAKES_NOT_RELAYED) == 2);
        assertEquals(1, unwakeable.wakes.get(), "asked once, and it said it could not");
        assertEquals(0, counter(RouterCounter.WAKES_RELAYED));
    }

    @Test
    void theChallengeSaysWhetherThisRouterRelaysWakes()
    {
        router = Router.launch(new RouterContext().relaysWakes(true));
        assertEquals(Router.CHALLENGE_RELAYS_WAKES, challengeFlags() & Router.CHALLENGE_RELAYS_WAKES);
        router.close();

        router = Router.launch(new RouterContext());
        final int flags = challengeFlags();
        assertEquals(0, flags & Router.CHALLENGE_RELAYS_WAKES);
        assertNotEquals(Router.CHALLENGE_RELAYS_WAKES, Authenticator.FLAG_TOKEN_REQUIRED, "distinct bits");
    }

    private int challengeFlags()
    {
        final ScriptedSession session = connect(PeerCredentials.self(), true);
        final DirectBuffer challenge = session.awaitControl(ChallengeDecoder.TEMPLATE_ID);
        final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(challenge, 0);
        return (int)new ChallengeDecoder().wrap(challenge, HEADER, h.blockLength(), h.version()).flags();
    }

    private ScriptedSession connect(final PeerCredentials peer, final boolean wakeable)
    {
        final ScriptedSession session = new ScriptedSession(router.nextSessionId(), peer, wakeable);
        router.addSession(session);
        return session;
    }

    private long register(final ScriptedSession session, final String name)
    {
        final RegisterEncoder e = new RegisterEncoder().wrapAndApplyHeader(frame, 0, header)
            .correlationId(1)
            .pid(ProcessHandle.current().pid())
            .requestedLeaseMs(60_000);
        frame.putByte(e.offset() + RegisterEncoder.tiersEncodingOffset(), (byte)Tier.NORMAL.mask());
        e.capabilitiesCount(0);
        e.name(name);
        e.putCredential(new byte[0], 0, 0);
        e.inbox("");
        offer(session, HEADER + e.encodedLength());
        final DirectBuffer registered = session.awaitControl(RegisteredDecoder.TEMPLATE_ID);
        final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(registered, 0);
        return new RegisteredDecoder().wrap(registered, HEADER, h.blockLength(), h.version()).agentId();
    }

    private void wake(final ScriptedSession from, final long agentId, final long targetAgentId)
    {
        final WakeEncoder e = new WakeEncoder().wrapAndApplyHeader(frame, 0, header)
            .agentId(agentId)
            .targetAgentId(targetAgentId);
        offer(from, HEADER + e.encodedLength());
    }

    private void offer(final ScriptedSession session, final int length)
    {
        assertEquals(OfferStatus.OK, router.ingress().offer(session.sessionId(), frame, 0, length));
    }

    private long counter(final RouterCounter counter)
    {
        return router.counters().block().get(counter);
    }

    private static void await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("condition not met within " + TIMEOUT_MS + " ms");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * A session whose control frames the test reads and whose {@link #wake()} it counts.
     */
    private static final class ScriptedSession implements Session
    {
        final int sessionId;
        final PeerCredentials peer;
        final boolean wakeable;
        final AtomicInteger wakes = new AtomicInteger();
        final ConcurrentLinkedQueue<byte[]> control = new ConcurrentLinkedQueue<>();

        ScriptedSession(final int sessionId, final PeerCredentials peer, final boolean wakeable)
        {
            this.sessionId = sessionId;
            this.peer = peer;
            this.wakeable = wakeable;
        }

        DirectBuffer awaitControl(final int templateId)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (System.nanoTime() < deadline)
            {
                final byte[] bytes = control.poll();
                if (null == bytes)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                if (new MessageHeaderDecoder().wrap(buffer, 0).templateId() == templateId)
                {
                    return buffer;
                }
            }
            throw new AssertionError("no control frame of template " + templateId + " within " + TIMEOUT_MS + " ms");
        }

        @Override
        public int sessionId()
        {
            return sessionId;
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
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            control.add(bytes);
            return OfferStatus.OK;
        }

        @Override
        public int maxControlLength()
        {
            return 64 * 1024;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public PeerCredentials peer()
        {
            return peer;
        }

        @Override
        public boolean wake()
        {
            wakes.incrementAndGet();
            return wakeable;
        }

        @Override
        public void onAgentBound(final long agentId, final String name)
        {
        }

        @Override
        public void onAgentUnbound(final long agentId)
        {
        }
    }
}
