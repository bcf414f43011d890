package dev.switchboard.router;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import static dev.switchboard.router.RouterFixture.buffer;
import static dev.switchboard.router.RouterFixture.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every messaging pattern, end to end through a real router thread and in-process rings.
 */
class PatternsTest
{
    private static final long TIMEOUT_MS = 10_000;

    private final SegmentBuffer payload = buffer(1024);

    private int putText(final String s)
    {
        return payload.putStringWithoutLengthUtf8(0, s);
    }

    @Test
    void sendByIdAndByNameArriveInOrderOnTheInProcessTier()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient a = f.agent("Architect", "design");
            final SwitchboardClient b = f.agent("Constructor", "implementation");
            final List<String> got = new ArrayList<>();
            final List<Tier> tiers = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                assertEquals(OfferStatus.OK, a.send(b.agentId(), Priority.NORMAL, payload, 0, putText("id-" + i)));
                final int length = putText("name-" + i);
                // A name seen for the first time is looked up in the background: BACK_PRESSURED until the answer.
                int status;
                while ((status = a.send("Constructor", Priority.CRITICAL, payload, 0, length)) == OfferStatus.BACK_PRESSURED)
                {
                    assertEquals(0, i, "only the first send by name waits for the lookup");
                    a.poll(m ->
                    {
                    });
                }
                assertEquals(OfferStatus.OK, status);
            }
            pollUntil(() -> got.size() == 200, TIMEOUT_MS, m ->
            {
                assertEquals(Pattern.SEND, m.pattern());
                assertEquals(a.agentId(), m.sourceAgentId());
                got.add(m.payloadAsString());
                tiers.add(m.tier());
            }, b);
            for (int i = 0; i < 100; i++)
            {
                assertEquals("id-" + i, got.get(2 * i));
                assertEquals("name-" + i, got.get(2 * i + 1));
            }
            assertTrue(tiers.stream().allMatch(t -> t == Tier.IN_PROCESS));
        }
    }

    @Test
    void aBatchMessageIsWrittenInPlaceInTheReceiversInboxAndAppearsOnlyOnCommit()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient a = f.agent("Architect");
            final SwitchboardClient b = f.agent("Constructor");
            final dev.switchboard.transport.FrameClaim claim = new dev.switchboard.transport.FrameClaim();
            final int length = 100_000;
            assertEquals(OfferStatus.OK, a.tryClaim(b.agentId(), Priority.BATCH, length, claim));
            for (int i = 0; i < length; i += 4)
            {
                claim.buffer().putInt(claim.payloadOffset() + i, i);
            }
            final AtomicInteger got = new AtomicInteger();
            b.poll(m -> got.incrementAndGet());
            assertEquals(0, got.get(), "nothing visible before commit");
            claim.commit();
            pollUntil(() -> got.get() == 1, TIMEOUT_MS, m ->
            {
                assertEquals(length, m.payloadLength());
                for (int i = 0; i < length; i += 4)
                {
                    assertEquals(i, m.buffer().getInt(m.payloadOffset() + i));
                }
                got.incrementAndGet();
            }, b);
            assertEquals(OfferStatus.OK, a.tryClaim(b.agentId(), Priority.BATCH, 16, claim));
            claim.abort();
            assertEquals(OfferStatus.TOO_LARGE, a.tryClaim(b.agentId(), Priority.BATCH, 1024 * 1024, claim));
            a.send(b.agentId(), Priority.NORMAL, payload, 0, putText("after"));
            pollUntil(() -> got.get() == 2, TIMEOUT_MS, m ->
            {
                assertEquals("after", m.payloadAsString(), "the aborted claim never arrives");
                got.incrementAndGet();
            }, b);
        }
    }

    @Test
    void sendToUnknownAgentReturnsNotConnected()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient a = f.agent("Architect");
            assertEquals(OfferStatus.NOT_CONNECTED, a.send(12345L, Priority.NORMAL, payload, 0, 4));
            int status;
            while ((status = a.send("Nobody", Priority.NORMAL, payload, 0, 4)) == OfferStatus.BACK_PRESSURED)
            {
                a.poll(m ->
                {
                });
            }
            assertEquals(OfferStatus.NOT_CONNECTED, status, "the background lookup found no such name");
        }
    }

    @Test
    void publishReachesEverySubscriberButNotThePublisherNorOthers()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient monitor = f.agent("Monitor");
            final SwitchboardClient s1 = f.agent("Testbed");
            final SwitchboardClient s2 = f.agent("Linter");
            final SwitchboardClient other = f.agent("Docgen");
            final long topic = s1.subscribe("metrics");
            assertEquals(topic, s2.subscribe("metrics"));
            assertEquals(topic, monitor.subscribe("metrics"));
            final AtomicInteger n1 = new AtomicInteger();
            final AtomicInteger n2 = new AtomicInteger();
            final AtomicInteger nMonitor = new AtomicInteger();
            final AtomicInteger nOther = new AtomicInteger();
            for (int i = 0; i < 1000; i++)
            {
                payload.putInt(0, i);
                while (monitor.publish(topic, Priority.HIGH, payload, 0, 4) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
            }
            final AtomicInteger expect1 = new AtomicInteger();
            final AtomicInteger expect2 = new AtomicInteger();
            pollUntil(() -> n1.get() == 1000, TIMEOUT_MS, m ->
            {
                assertEquals(expect1.getAndIncrement(), m.buffer().getInt(m.payloadOffset()));
                assertEquals(Pattern.PUBLISH, m.pattern());
                n1.incrementAndGet();
            }, s1);
            pollUntil(() -> n2.get() == 1000, TIMEOUT_MS, m ->
            {
                assertEquals(expect2.getAndIncrement(), m.buffer().getInt(m.payloadOffset()));
                n2.incrementAndGet();
            }, s2);
            monitor.poll(m -> nMonitor.incrementAndGet());
            other.poll(m -> nOther.incrementAndGet());
            assertEquals(0, nMonitor.get());
            assertEquals(0, nOther.get());
        }
    }

    @Test
    void publishWithNoSubscriberIsCountedNotLost()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient monitor = f.agent("Monitor");
            assertEquals(OfferStatus.OK, monitor.publish(77L, Priority.NORMAL, payload, 0, 4));
            pollUntil(() -> f.counter(RouterCounter.PUBLISH_NO_SUBSCRIBER) == 1, TIMEOUT_MS, m ->
            {
            }, monitor);
        }
    }

    @Test
    void requestGetsItsResponse()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient asker = f.agent("Constructor");
            final SwitchboardClient answerer = f.agent("Testbed");
            final List<String> responses = new ArrayList<>();
            final ResponseHandler handler = new ResponseHandler()
            {
                public void onResponse(final long correlationId, final Message response)
                {
                    responses.add(correlationId + ":" + response.payloadAsString());
                }

                public void onTimeout(final long correlationId)
                {
                    responses.add(correlationId + ":timeout");
                }
            };
            final SegmentBuffer reply = buffer(64);
            final long id = asker.request(answerer.agentId(), Priority.CRITICAL, payload, 0, putText("run tests"),
                TimeUnit.SECONDS.toNanos(10), handler);
            assertTrue(id > 0);
            pollUntil(() -> responses.size() == 1, TIMEOUT_MS, m ->
            {
                assertEquals(Pattern.REQUEST, m.pattern());
                assertEquals("run tests", m.payloadAsString());
                final int n = reply.putStringWithoutLengthUtf8(0, "42 passed");
                assertEquals(OfferStatus.OK, answerer.respond(m, reply, 0, n));
            }, answerer, asker);
            assertEquals(id + ":42 passed", responses.getFirst());
            assertEquals(0, asker.pendingRequests());
        }
    }

    @Test
    void requestTimesOutAndALateResponseIsCountedAndDropped()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient asker = f.agent("Constructor");
            final SwitchboardClient answerer = f.agent("Testbed");
            final List<String> events = new CopyOnWriteArrayList<>();
            final ResponseHandler handler = new ResponseHandler()
            {
                public void onResponse(final long correlationId, final Message response)
                {
                    events.add("response " + correlationId);
                }

                public void onTimeout(final long correlationId)
                {
                    events.add("timeout " + correlationId);
                }
            };
            final long first = asker.request(answerer.agentId(), Priority.NORMAL, payload, 0, 4,
                TimeUnit.MILLISECONDS.toNanos(50), handler);
            final AtomicLong heldCorrelation = new AtomicLong();
            final AtomicLong requester = new AtomicLong();
            pollUntil(() -> heldCorrelation.get() != 0, TIMEOUT_MS, m ->
            {
                heldCorrelation.set(m.correlationId());
                requester.set(m.sourceAgentId());
            }, answerer);
            pollUntil(() -> events.size() == 1, TIMEOUT_MS, m ->
            {
            }, asker);
            assertEquals("timeout " + first, events.getFirst());

            final long second = asker.request(answerer.agentId(), Priority.NORMAL, payload, 0, 4,
                TimeUnit.SECONDS.toNanos(10), handler);
            assertNotEquals(first, second);
            // The late answer to the first request must not complete the second.
            assertEquals(OfferStatus.OK, answerer.respond(requester.get(), heldCorrelation.get(), Priority.NORMAL,
                payload, 0, 4));
            final long lateBefore = f.counter(RouterCounter.LATE_RESPONSES);
            pollUntil(() -> f.counter(RouterCounter.LATE_RESPONSES) == lateBefore + 1, TIMEOUT_MS, m ->
            {
            }, asker);
            assertEquals(1, events.size());
            assertEquals(1, asker.pendingRequests());
            assertEquals(1, f.counter(RouterCounter.REQUEST_TIMEOUTS));
        }
    }

    @Test
    void workQueueItemsGoToCompetingConsumersExactlyOnceWhenAcked()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient producer = f.agent("Architect");
            final SwitchboardClient c1 = f.agent("Constructor");
            final SwitchboardClient c2 = f.agent("Patcher");
            final long queue = c1.consume("build");
            assertEquals(queue, c2.consume("build"));
            final int items = 2000;
            final boolean[] seen = new boolean[items];
            final AtomicInteger byC1 = new AtomicInteger();
            final AtomicInteger byC2 = new AtomicInteger();
            final AtomicInteger total = new AtomicInteger();
            int sent = 0;
            while (sent < items || total.get() < items)
            {
                if (sent < items)
                {
                    payload.putInt(0, sent);
                    if (producer.enqueue(queue, Priority.NORMAL, payload, 0, 4) == OfferStatus.OK)
                    {
                        sent++;
                    }
                }
                c1.poll(m -> onItem(c1, m, seen, byC1, total));
                c2.poll(m -> onItem(c2, m, seen, byC2, total));
                producer.poll(m ->
                {
                });
            }
            assertEquals(items, total.get());
            assertTrue(byC1.get() > 0 && byC2.get() > 0, "both consumers got work: " + byC1 + " " + byC2);
            pollUntil(() -> f.counter(RouterCounter.WORK_ACKED) == items, TIMEOUT_MS, m ->
            {
            }, producer);
            assertEquals(0, f.counter(RouterCounter.WORK_REDELIVERED));
        }
    }

    private static void onItem(
        final SwitchboardClient c, final Message m, final boolean[] seen, final AtomicInteger mine, final AtomicInteger total)
    {
        assertEquals(Pattern.WORK, m.pattern());
        final int i = m.buffer().getInt(m.payloadOffset());
        assertFalse(seen[i], "item " + i + " delivered twice");
        seen[i] = true;
        mine.incrementAndGet();
        total.incrementAndGet();
        while (c.ack(m) == OfferStatus.BACK_PRESSURED)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * An ack counts only from the consumer that holds the item. Work item ids also differ from one router to the next:
     * after a router restart a consumer's ack for an item of the dead router (it reconnected and acked what it held)
     * once named an item the new router had handed to someone else, which was then never redelivered if its holder died.
     */
    @Test
    void aWorkAckFromAnAgentThatDoesNotHoldTheItemLeavesItInFlightForRedelivery()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient producer = f.agent("Architect");
            final SwitchboardClient holder = f.agent("Constructor");
            final SwitchboardClient other = f.agent("Patcher");
            final long queue = holder.consume("build");
            payload.putInt(0, 42);
            assertEquals(OfferStatus.OK, producer.enqueue(queue, Priority.NORMAL, payload, 0, 4));
            final AtomicLong itemId = new AtomicLong();
            pollUntil(() -> itemId.get() != 0, TIMEOUT_MS, m -> itemId.set(m.correlationId()), holder);

            assertEquals(OfferStatus.OK, other.ack(queue, itemId.get(), Priority.NORMAL));
            pollUntil(() -> f.counter(RouterCounter.WORK_LATE_ACKS) == 1, TIMEOUT_MS, m ->
            {
            }, other, producer);
            assertEquals(0, f.counter(RouterCounter.WORK_ACKED), "not acked by an agent that does not hold it");

            other.consume("build");
            holder.close(); // deregisters without acking: its item goes to the other consumer
            final AtomicInteger redelivered = new AtomicInteger(-1);
            pollUntil(() -> redelivered.get() >= 0, TIMEOUT_MS, m ->
            {
                assertTrue(m.isRedelivery());
                redelivered.set(m.buffer().getInt(m.payloadOffset()));
                other.ack(m);
            }, other, producer);
            assertEquals(42, redelivered.get());
            pollUntil(() -> f.counter(RouterCounter.WORK_ACKED) == 1, TIMEOUT_MS, m ->
            {
            }, other, producer);
        }
    }

    @Test
    void workItemIdsOfTwoRoutersDiffer()
    {
        final long[] firstIds = new long[2];
        for (int i = 0; i < 2; i++)
        {
            try (RouterFixture f = new RouterFixture())
            {
                final SwitchboardClient producer = f.agent("Architect");
                final SwitchboardClient consumer = f.agent("Constructor");
                final long queue = consumer.consume("build");
                assertEquals(OfferStatus.OK, producer.enqueue(queue, Priority.NORMAL, payload, 0, 4));
                final int router = i;
                pollUntil(() -> firstIds[router] != 0, TIMEOUT_MS, m -> firstIds[router] = m.correlationId(), consumer);
            }
        }
        assertNotEquals(firstIds[0], firstIds[1], "the first item of each router");
    }

    @Test
    void workItemHeldByAConsumerThatStopsIsRedeliveredToAnotherWhenItsLeaseExpires()
    {
        final RouterContext ctx = new RouterContext().defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(300));
        try (RouterFixture f = new RouterFixture(ctx))
        {
            final SwitchboardClient producer = f.client(new dev.switchboard.client.ClientContext().requestedLeaseMs(10_000));
            producer.register("Architect");
            final SwitchboardClient stalled = f.agent("Constructor");
            final long queue = stalled.consume("build");
            payload.putInt(0, 7);
            assertEquals(OfferStatus.OK, producer.enqueue(queue, Priority.NORMAL, payload, 0, 4));
            final AtomicInteger heldByStalled = new AtomicInteger();
            pollUntil(() -> heldByStalled.get() == 1, TIMEOUT_MS, m -> heldByStalled.incrementAndGet(), stalled);
            // The stalled consumer never acks and stops polling (no heartbeats); a second consumer joins.
            final SwitchboardClient healthy = f.client(new dev.switchboard.client.ClientContext().requestedLeaseMs(10_000));
            healthy.register("Patcher");
            healthy.consume("build");
            final List<Message> redelivered = new ArrayList<>();
            final AtomicInteger value = new AtomicInteger(-1);
            pollUntil(() -> value.get() >= 0, TIMEOUT_MS, m ->
            {
                value.set(m.buffer().getInt(m.payloadOffset()));
                assertTrue(m.isRedelivery(), "redelivered item carries the REDELIVERED flag");
                healthy.ack(m);
            }, healthy, producer);
            assertEquals(7, value.get());
            assertEquals(1, f.counter(RouterCounter.WORK_REDELIVERED));
            assertEquals(1, f.counter(RouterCounter.LEASES_EXPIRED));
            assertTrue(redelivered.isEmpty());
        }
    }

    @Test
    void workItemNotAckedBeforeTheDeadlineGoesToAnotherConsumer()
    {
        final RouterContext ctx = new RouterContext().workAckTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100));
        try (RouterFixture f = new RouterFixture(ctx))
        {
            final SwitchboardClient producer = f.agent("Architect");
            final SwitchboardClient slow = f.agent("Constructor");
            final SwitchboardClient other = f.agent("Patcher");
            final long queue = slow.consume("build");
            assertEquals(OfferStatus.OK, producer.enqueue(queue, Priority.NORMAL, payload, 0, 4));
            final AtomicInteger slowGot = new AtomicInteger();
            pollUntil(() -> slowGot.get() == 1, TIMEOUT_MS, m -> slowGot.incrementAndGet(), slow);
            other.consume("build");
            final AtomicInteger otherGot = new AtomicInteger();
            // Only the other consumer reads (and acks what it got): an ack counts only from the item's holder, and the
            // slow one, which never acks, may be handed the item again before it reaches the other.
            pollUntil(() -> otherGot.get() == 1, TIMEOUT_MS, m ->
            {
                assertTrue(m.isRedelivery());
                otherGot.incrementAndGet();
                other.ack(m);
            }, other);
            pollUntil(() -> f.counter(RouterCounter.WORK_ACKED) == 1, TIMEOUT_MS, m ->
            {
            }, producer);
        }
    }

    @Test
    void workQueueAtItsDepthLimitRefusesTheItemAndTellsTheProducer()
    {
        final RouterContext ctx = new RouterContext().maxWorkQueueDepth(3);
        final List<String> errors = new CopyOnWriteArrayList<>();
        try (RouterFixture f = new RouterFixture(ctx))
        {
            final SwitchboardClient producer = f.client(new ClientListener()
            {
                public void onError(final long correlationId, final ErrorCode code, final String text)
                {
                    errors.add(code + " " + text);
                }
            });
            producer.register("Architect");
            for (int i = 0; i < 4; i++)
            {
                assertEquals(OfferStatus.OK, producer.enqueue(99L, Priority.NORMAL, payload, 0, 4));
            }
            pollUntil(() -> errors.size() == 1, TIMEOUT_MS, m ->
            {
            }, producer);
            assertTrue(errors.getFirst().startsWith("BACK_PRESSURED"), errors.getFirst());
            assertTrue(errors.getFirst().contains("holds 3 items"), errors.getFirst());
            assertEquals(1, f.counter(RouterCounter.WORK_QUEUE_FULL));
        }
    }

    @Test
    void broadcastReachesEveryOtherAgent()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient monitor = f.agent("Monitor");
            final SwitchboardClient[] others = {f.agent("A"), f.agent("B"), f.agent("C")};
            assertEquals(OfferStatus.OK, monitor.broadcast(Priority.CRITICAL, payload, 0, putText("all hands")));
            final AtomicInteger got = new AtomicInteger();
            pollUntil(() -> got.get() == 3, TIMEOUT_MS, m ->
            {
                assertEquals(Pattern.BROADCAST, m.pattern());
                assertEquals("all hands", m.payloadAsString());
                got.incrementAndGet();
            }, others);
            final AtomicInteger self = new AtomicInteger();
            monitor.poll(m -> self.incrementAndGet());
            assertEquals(0, self.get());
        }
    }

    @Test
    void multicastReachesOnlyGroupMembers()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient sender = f.agent("Architect");
            final SwitchboardClient linter = f.agent("Linter");
            final SwitchboardClient security = f.agent("Security");
            final SwitchboardClient outsider = f.agent("Docgen");
            final long group = linter.joinGroup("reviewers");
            security.joinGroup("reviewers");
            assertEquals(OfferStatus.OK, sender.multicast(group, Priority.NORMAL, payload, 0, putText("review")));
            final AtomicInteger got = new AtomicInteger();
            pollUntil(() -> got.get() == 2, TIMEOUT_MS, m -> got.incrementAndGet(), linter, security);
            security.leaveGroup("reviewers");
            assertEquals(OfferStatus.OK, sender.multicast(group, Priority.NORMAL, payload, 0, putText("again")));
            pollUntil(() -> got.get() == 3, TIMEOUT_MS, m -> got.incrementAndGet(), linter);
            final AtomicInteger stray = new AtomicInteger();
            outsider.poll(m -> stray.incrementAndGet());
            security.poll(m -> stray.incrementAndGet());
            assertEquals(0, stray.get());
        }
    }

    @Test
    void leaseExpiryDeregistersAndNotifiesWatchers()
    {
        final RouterContext ctx = new RouterContext().defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(200));
        final List<String> events = new CopyOnWriteArrayList<>();
        try (RouterFixture f = new RouterFixture(ctx))
        {
            // The watcher asks for a long lease, so that only the silent agent's short default one expires.
            final SwitchboardClient watcher = f.client(new dev.switchboard.client.ClientContext()
                .requestedLeaseMs(10_000)
                .listener(new ClientListener()
                {
                    public void onAgentEvent(final long agentId, final AgentEventKind kind, final String name)
                    {
                        events.add(kind + " " + name);
                    }
                }));
            watcher.register("Monitor");
            watcher.watchRegistry();
            final SwitchboardClient silent = f.agent("Silent");
            pollUntil(() -> events.contains("EXPIRED Silent"), TIMEOUT_MS, m ->
            {
            }, watcher);
            assertEquals("REGISTERED Silent", events.getFirst());
            assertEquals(null, watcher.lookup("Silent"));
            assertEquals(OfferStatus.NOT_CONNECTED, watcher.send(silent.agentId(), Priority.NORMAL, payload, 0, 4));
            assertEquals(1, f.counter(RouterCounter.LEASES_EXPIRED));
        }
    }

    @Test
    void heartbeatsFromPollKeepALiveAgentRegistered() throws Exception
    {
        assertEquals(0, leasesExpiredAfterThreeSecondsOfOneSecondLeases(true));
    }

    @Test
    void theSameThreeSecondsWithoutPollsExpireTheLease() throws Exception
    {
        assertEquals(1, leasesExpiredAfterThreeSecondsOfOneSecondLeases(false));
    }

    /**
     * Three seconds of a manual clock, read by the router (driven from this thread in invoker mode) and the client, in
     * 5 ms steps; the agent polls at each step or not at all. Registration and the final lookup are blocking control
     * calls: the duty cycle runs on a helper thread for them, the clock standing still.
     */
    private static long leasesExpiredAfterThreeSecondsOfOneSecondLeases(final boolean polling) throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final RouterContext ctx = new RouterContext().useInvoker(true).nanoClock(clock)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(1000));
        try (RouterFixture f = new RouterFixture(ctx))
        {
            final SwitchboardClient alive;
            try (AutoCloseable duty = RouterFixture.dutyCycleThread(f.router.invoker()))
            {
                alive = f.client(new ClientContext().nanoClock(clock));
                alive.register("Alive");
            }
            for (int step = 0; step < 600; step++)
            {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(5));
                if (polling)
                {
                    alive.poll(m ->
                    {
                    });
                }
                f.router.invoker().invoke();
            }
            if (polling)
            {
                try (AutoCloseable duty = RouterFixture.dutyCycleThread(f.router.invoker()))
                {
                    assertEquals(alive.agentId(), alive.lookup("Alive").agentId());
                }
            }
            return f.counter(RouterCounter.LEASES_EXPIRED);
        }
    }

    @Test
    void closingAClientDeregistersItAndFreesItsName()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient first = f.agent("Testbed", "testing");
            final SwitchboardClient probe = f.agent("Probe");
            assertEquals(1, probe.lookupByCapability("testing").size());
            first.close();
            pollUntil(() -> probe.lookup("Testbed") == null, TIMEOUT_MS, m ->
            {
            }, probe);
            final SwitchboardClient second = f.agent("Testbed", "testing");
            assertEquals(second.agentId(), probe.lookup("Testbed").agentId());
        }
    }
}
