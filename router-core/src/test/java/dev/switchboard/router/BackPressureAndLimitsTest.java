package dev.switchboard.router;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Test;

import static dev.switchboard.router.RouterFixture.buffer;
import static dev.switchboard.router.RouterFixture.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-pressure is reported, never a silent drop; every limit is refused at its boundary.
 */
class BackPressureAndLimitsTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final int SMALL_RING = 4096;

    private final SegmentBuffer payload = buffer(64 * 1024);

    @Test
    void sendToAFullInboxReturnsBackPressuredAndSucceedsAfterTheReceiverPolls()
    {
        try (RouterFixture f = new RouterFixture(new RouterContext().inboxCapacity(SMALL_RING)))
        {
            final SwitchboardClient sender = f.agent("Sender");
            final SwitchboardClient receiver = f.agent("Receiver");
            int accepted = 0;
            int status;
            while ((status = sender.send(receiver.agentId(), Priority.CRITICAL, payload, 0, 32)) == OfferStatus.OK)
            {
                accepted++;
            }
            assertEquals(OfferStatus.BACK_PRESSURED, status);
            assertTrue(accepted > 0);
            final AtomicInteger got = new AtomicInteger();
            final int expected = accepted;
            pollUntil(() -> got.get() == expected, TIMEOUT_MS, m -> got.incrementAndGet(), receiver);
            assertEquals(OfferStatus.OK, sender.send(receiver.agentId(), Priority.CRITICAL, payload, 0, 32));
        }
    }

    @Test
    void aFullSubscriberHoldsTheRouterBackWithoutLosingOrDuplicatingAnything()
    {
        try (RouterFixture f = new RouterFixture(new RouterContext().inboxCapacity(SMALL_RING)))
        {
            final SwitchboardClient publisher = f.agent("Publisher");
            final SwitchboardClient fast = f.agent("Fast");
            final SwitchboardClient slow = f.agent("Slow");
            final long topic = fast.subscribe("ticks");
            slow.subscribe("ticks");
            final int total = 2000;
            final AtomicInteger fastGot = new AtomicInteger();
            final AtomicInteger slowGot = new AtomicInteger();
            final AtomicInteger fastNext = new AtomicInteger();
            final AtomicInteger slowNext = new AtomicInteger();
            int sent = 0;
            int backPressured = 0;
            // Publish far more than the slow inbox holds, without polling the slow subscriber.
            while (sent < total)
            {
                payload.putInt(0, sent);
                final int status = publisher.publish(topic, Priority.NORMAL, payload, 0, 4);
                if (status == OfferStatus.OK)
                {
                    sent++;
                }
                else
                {
                    assertEquals(OfferStatus.BACK_PRESSURED, status);
                    backPressured++;
                    fast.poll(m -> check(m.buffer().getInt(m.payloadOffset()), fastNext, fastGot));
                    if (backPressured % 1000 == 0)
                    {
                        slow.poll(m -> check(m.buffer().getInt(m.payloadOffset()), slowNext, slowGot));
                    }
                }
            }
            // The slow subscriber's inbox holds a few dozen frames: the router must stall on it.
            pollUntil(() -> f.counter(RouterCounter.ROUTER_STALLS) > 0, TIMEOUT_MS,
                m -> check(m.buffer().getInt(m.payloadOffset()), fastNext, fastGot), fast);
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (fastGot.get() < total || slowGot.get() < total)
            {
                fast.poll(m -> check(m.buffer().getInt(m.payloadOffset()), fastNext, fastGot));
                slow.poll(m -> check(m.buffer().getInt(m.payloadOffset()), slowNext, slowGot));
                assertTrue(System.nanoTime() < deadline, "fast " + fastGot + " slow " + slowGot + " of " + total);
            }
            assertEquals(total, fastGot.get());
            assertEquals(total, slowGot.get());
        }
    }

    @Test
    void aReceiverThatStopsReadingIsExpelledAfterItsLeaseAndTheOthersKeepTheirs()
    {
        final RouterContext ctx = new RouterContext()
            .inboxCapacity(SMALL_RING)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(400));
        try (RouterFixture f = new RouterFixture(ctx))
        {
            final SwitchboardClient publisher = f.agent("Publisher");
            final SwitchboardClient live = f.agent("Live");
            final SwitchboardClient dead = f.agent("Dead");
            final long topic = live.subscribe("ticks");
            dead.subscribe("ticks");
            final int total = 500;
            final AtomicInteger next = new AtomicInteger();
            final AtomicInteger got = new AtomicInteger();
            int sent = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // "Dead" never polls again: the router stalls on its full inbox for longer than a lease.
            while (sent < total || got.get() < total)
            {
                if (sent < total)
                {
                    payload.putInt(0, sent);
                    if (publisher.publish(topic, Priority.NORMAL, payload, 0, 4) == OfferStatus.OK)
                    {
                        sent++;
                    }
                }
                publisher.poll(m ->
                {
                });
                live.poll(m -> check(m.buffer().getInt(m.payloadOffset()), next, got));
                assertTrue(System.nanoTime() < deadline, "live got " + got + " of " + total + "; leases expired " +
                    f.counter(RouterCounter.LEASES_EXPIRED) + " (2: this thread paused longer than Live's lease), " +
                    "duty-cycle errors " + f.counter(RouterCounter.DUTY_CYCLE_ERRORS));
            }
            assertEquals(1, f.counter(RouterCounter.LEASES_EXPIRED), "only the receiver that blocked was expelled");
            assertTrue(f.counter(RouterCounter.ROUTER_STALLS) > 0);
            assertEquals(publisher.agentId(), live.lookup("Publisher").agentId());
            assertEquals(null, live.lookup("Dead"));
        }
    }

    private static void check(final int value, final AtomicInteger next, final AtomicInteger count)
    {
        assertEquals(next.getAndIncrement(), value, "in order, none lost, none duplicated");
        count.incrementAndGet();
    }

    @Test
    void messageLargerThanTheInboxLimitIsTooLargeAndOneAtTheLimitPasses()
    {
        try (RouterFixture f = new RouterFixture(new RouterContext().inboxCapacity(64 * 1024)))
        {
            final SwitchboardClient sender = f.agent("Sender");
            final SwitchboardClient receiver = f.agent("Receiver");
            final int maxFrame = 64 * 1024 / 8;
            // A point-to-point send writes a direct frame: its 24-byte header, then the payload.
            final int maxPayload = maxFrame - dev.switchboard.transport.DirectFrames.HEADER_LENGTH;
            assertEquals(OfferStatus.OK, sender.send(receiver.agentId(), Priority.NORMAL, payload, 0, maxPayload));
            assertEquals(OfferStatus.TOO_LARGE,
                sender.send(receiver.agentId(), Priority.NORMAL, payload, 0, maxPayload + 1));
            assertEquals(OfferStatus.REJECTED, sender.send(receiver.agentId(), Priority.NORMAL, payload, 0, -1));
            final AtomicInteger got = new AtomicInteger();
            pollUntil(() -> got.get() == 1, TIMEOUT_MS, m ->
            {
                assertEquals(maxPayload, m.payloadLength());
                got.incrementAndGet();
            }, receiver);
        }
    }

    @Test
    void secondLiveRegistrationOfANameIsRefusedWithAClearError()
    {
        try (RouterFixture f = new RouterFixture())
        {
            f.agent("Testbed");
            final SwitchboardClient second = f.client();
            final SwitchboardException e = assertThrows(SwitchboardException.class, () -> second.register("Testbed"));
            assertEquals(ErrorCode.NAME_TAKEN, e.code());
            assertTrue(e.getMessage().contains("Testbed") && e.getMessage().contains("already registered"),
                e.getMessage());
            assertEquals(1, f.counter(RouterCounter.REGISTRATIONS_REFUSED));
        }
    }

    @Test
    void nameAtTheLimitIsAcceptedAndOneByteMoreIsRefused()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final String atLimit = "n".repeat(WireLimits.MAX_NAME_LENGTH);
            f.agent(atLimit);
            final SwitchboardClient c = f.client();
            final String over = "é".repeat(WireLimits.MAX_NAME_LENGTH / 2) + "x";
            assertEquals(WireLimits.MAX_NAME_LENGTH + 1, over.getBytes(StandardCharsets.UTF_8).length);
            final SwitchboardException e = assertThrows(SwitchboardException.class, () -> c.register(over));
            assertEquals(ErrorCode.NAME_INVALID, e.code());
            assertTrue(e.getMessage().contains(String.valueOf(WireLimits.MAX_NAME_LENGTH)), e.getMessage());
        }
    }

    @Test
    void capabilityCountAtTheLimitIsAcceptedAndOneMoreIsRefused()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final String[] atLimit = new String[WireLimits.MAX_CAPABILITIES];
            for (int i = 0; i < atLimit.length; i++)
            {
                atLimit[i] = "cap" + i;
            }
            f.agent("Many", atLimit);
            final String[] over = java.util.Arrays.copyOf(atLimit, atLimit.length + 1);
            over[atLimit.length] = "one-more";
            final SwitchboardClient c = f.client();
            final SwitchboardException e = assertThrows(SwitchboardException.class, () -> c.register("TooMany", over));
            assertEquals(ErrorCode.TOO_MANY_CAPABILITIES, e.code());
        }
    }

    @Test
    void topicNameOverTheLimitIsRefused()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient c = f.agent("Subscriber");
            c.subscribe("t".repeat(WireLimits.MAX_NAME_LENGTH));
            final SwitchboardException e = assertThrows(SwitchboardException.class,
                () -> c.subscribe("t".repeat(WireLimits.MAX_NAME_LENGTH + 1)));
            assertEquals(ErrorCode.NAME_INVALID, e.code());
            assertThrows(SwitchboardException.class, () -> c.joinGroup(""));
        }
    }

    @Test
    void registryFullRefusesTheNextAgent()
    {
        try (RouterFixture f = new RouterFixture(new RouterContext().maxAgents(2)))
        {
            f.agent("One");
            f.agent("Two");
            final SwitchboardClient c = f.client();
            final SwitchboardException e = assertThrows(SwitchboardException.class, () -> c.register("Three"));
            assertEquals(ErrorCode.REGISTRY_FULL, e.code());
        }
    }

    @Test
    void pendingRequestLimitReturnsBackPressured()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient asker = f.client(new ClientContext().maxPendingRequests(2));
            asker.register("Asker");
            final SwitchboardClient answerer = f.agent("Answerer");
            final dev.switchboard.client.ResponseHandler ignore = new dev.switchboard.client.ResponseHandler()
            {
                public void onResponse(final long correlationId, final dev.switchboard.client.Message response)
                {
                }

                public void onTimeout(final long correlationId)
                {
                }
            };
            final long timeout = TimeUnit.SECONDS.toNanos(30);
            assertTrue(asker.request(answerer.agentId(), Priority.NORMAL, payload, 0, 4, timeout, ignore) > 0);
            assertTrue(asker.request(answerer.agentId(), Priority.NORMAL, payload, 0, 4, timeout, ignore) > 0);
            assertEquals(OfferStatus.BACK_PRESSURED,
                asker.request(answerer.agentId(), Priority.NORMAL, payload, 0, 4, timeout, ignore));
        }
    }

    @Test
    void dataBeforeRegistrationIsNotConnected()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient c = f.client();
            assertEquals(OfferStatus.NOT_CONNECTED, c.publish(1L, Priority.NORMAL, payload, 0, 4));
        }
    }

    @Test
    void ringCapacitiesThatAreNotPowersOfTwoAreRefusedWithTheValue()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new RouterContext().inboxCapacity(5000).conclude());
        assertTrue(e.getMessage().contains("5000") && e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RouterContext().ingressCapacity(1 << 15).conclude());
        assertThrows(IllegalArgumentException.class, () -> new RouterContext().maxAgents(0).conclude());
    }
}
