package dev.switchboard.router;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing on its own: each pattern's receivers, topics and groups by name, back-pressure that resumes at the full
 * receiver without duplicates (for the ingress's frame and per session link), and the notice of a gone receiver.
 */
class RoutingTest
{
    private long nowNs = 1_000_000;
    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final AgentRegistry registry =
        new AgentRegistry(16, TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(60));
    private final CycleClock clock = new CycleClock(() -> nowNs);
    private final ControlReplies replies = new ControlReplies(counters.block());
    private final RouterContext ctx = new RouterContext().maxAgents(16).maxNames(2);
    private final Sessions sessions = new Sessions(registry, ctx, counters.block(), replies, clock);
    private final Routing routing = new Routing(ctx, counters.block(), replies, clock, sessions);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    private int nextSessionId = 1;

    private SessionState agent(final String name)
    {
        final FakeSession session = new FakeSession(nextSessionId++);
        sessions.add(session);
        final SessionState state = sessions.takeAdded();
        state.agentId = registry.register(name, List.of(), 1, 0, 0, session.id, nowNs).agent().agentId();
        return state;
    }

    private static FakeSession fake(final SessionState state)
    {
        return (FakeSession)state.session;
    }

    private long counter(final RouterCounter counter)
    {
        return counters.block().get(counter);
    }

    private Action publishFromIngress(final SessionState publisher, final long topic)
    {
        routing.beginIngressFrame();
        return routing.publish(topic, publisher.agentId, frame, 0, frame.capacity());
    }

    private long subscribe(final SessionState state, final String topic)
    {
        routing.subscribe(state, 1, topic, true);
        return fake(state).ack(fake(state).control.size() - 1).resolvedId();
    }

    @Test
    void aPointToPointFrameGoesToItsReceiverOnly()
    {
        final SessionState sender = agent("sender");
        final SessionState receiver = agent("receiver");
        final SessionState other = agent("other");

        routing.beginIngressFrame();
        assertEquals(Action.CONTINUE, routing.pointToPoint(sender, receiver.agentId, 5, frame, 0, 8));

        assertEquals(1, fake(receiver).delivered.size());
        assertEquals(0, fake(other).delivered.size());
        assertEquals(0, fake(sender).delivered.size());
        assertEquals(1, counter(RouterCounter.FANOUT_DELIVERIES));
    }

    @Test
    void aPublishGoesToEverySubscriberButThePublisher()
    {
        final SessionState publisher = agent("publisher");
        final SessionState a = agent("a");
        final SessionState b = agent("b");
        final long topic = subscribe(a, "ticks");
        assertEquals(NameIds.of("ticks"), topic);
        subscribe(b, "ticks");
        subscribe(publisher, "ticks");

        assertEquals(Action.CONTINUE, publishFromIngress(publisher, topic));

        assertEquals(1, fake(a).delivered.size());
        assertEquals(1, fake(b).delivered.size());
        assertEquals(0, fake(publisher).delivered.size());
    }

    @Test
    void aPublishToATopicWithoutSubscribersIsCounted()
    {
        final SessionState publisher = agent("publisher");
        final SessionState a = agent("a");
        final long topic = subscribe(a, "ticks");
        routing.subscribe(a, 2, "ticks", false);

        assertEquals(Action.CONTINUE, publishFromIngress(publisher, topic));
        assertEquals(Action.CONTINUE, publishFromIngress(publisher, topic + 1));

        assertEquals(2, counter(RouterCounter.PUBLISH_NO_SUBSCRIBER));
        assertEquals(0, fake(a).delivered.size());
    }

    @Test
    void aMulticastGoesToTheGroupAndAnUnknownGroupIsAnErrorToTheSender()
    {
        final SessionState sender = agent("sender");
        final SessionState member = agent("member");
        routing.join(member, 1, "team", true);

        routing.beginIngressFrame();
        routing.multicast(sender, NameIds.of("team"), sender.agentId, 3, frame, 0, 8);
        routing.multicast(sender, NameIds.of("nobody"), sender.agentId, 4, frame, 0, 8);

        assertEquals(1, fake(member).delivered.size());
        assertEquals(ErrorCode.UNKNOWN_AGENT, fake(sender).lastError().code());
        assertEquals(4, fake(sender).lastError().correlationId());
    }

    @Test
    void aBroadcastGoesToEveryRegisteredAgentButTheSender()
    {
        final SessionState sender = agent("sender");
        final SessionState a = agent("a");
        final SessionState b = agent("b");
        sessions.add(new FakeSession(99));
        final SessionState unregistered = sessions.takeAdded();

        routing.beginIngressFrame();
        routing.broadcast(sender.agentId, frame, 0, 8);

        assertEquals(1, fake(a).delivered.size());
        assertEquals(1, fake(b).delivered.size());
        assertEquals(0, fake(sender).delivered.size());
        assertEquals(0, fake(unregistered).delivered.size());
    }

    @Test
    void aFullReceiverHoldsTheIngressFrameAndDeliveryResumesAtItWithoutDuplicates()
    {
        final SessionState publisher = agent("publisher");
        final SessionState a = agent("a");
        final SessionState full = agent("full");
        final SessionState c = agent("c");
        final long topic = subscribe(a, "ticks");
        subscribe(full, "ticks");
        subscribe(c, "ticks");
        fake(full).deliverStatus = OfferStatus.BACK_PRESSURED;

        assertEquals(Action.ABORT, publishFromIngress(publisher, topic));
        assertTrue(routing.isIngressFrameHeld());
        assertTrue(routing.isHoldingFrames());
        assertEquals(full.agentId, routing.ingressBlocker());
        assertEquals(Action.ABORT, routing.resumeIngressFrame(frame, 0, 8), "still full");
        assertEquals(1, counter(RouterCounter.ROUTER_STALLS), "one stall, however many retries");

        fake(full).deliverStatus = OfferStatus.OK;
        assertEquals(Action.CONTINUE, routing.resumeIngressFrame(frame, 0, 8));

        assertEquals(1, fake(a).delivered.size());
        assertEquals(1, fake(full).delivered.size());
        assertEquals(1, fake(c).delivered.size());
        assertFalse(routing.isIngressFrameHeld());
        assertEquals(0, routing.ingressBlocker());
    }

    @Test
    void aSessionFrameHeldByAFullReceiverWaitsOnItsLinkWhileOtherFramesFlow()
    {
        final SessionState publisher = agent("publisher");
        final SessionState full = agent("full");
        final SessionState other = agent("other");
        final long ticks = subscribe(full, "ticks");
        final long news = subscribe(other, "news");
        fake(full).deliverStatus = OfferStatus.BACK_PRESSURED;

        routing.beginSessionFrame();
        assertEquals(Action.ABORT, routing.publish(ticks, publisher.agentId, frame, 0, 8));
        routing.hold(publisher, Router.SECONDARY_LINK);

        assertTrue(routing.isHeld(publisher, Router.SECONDARY_LINK));
        assertFalse(routing.isHeld(publisher, Router.PRIMARY_LINK));
        assertFalse(routing.isIngressFrameHeld(), "the ingress is not held back");
        assertTrue(routing.isHoldingFrames());
        routing.beginSessionFrame();
        assertEquals(Action.CONTINUE, routing.publish(news, publisher.agentId, frame, 0, 8));
        assertEquals(1, fake(other).delivered.size());

        assertFalse(routing.resumeHeld(publisher, Router.SECONDARY_LINK, frame, 0, 8));
        fake(full).deliverStatus = OfferStatus.OK;
        assertTrue(routing.resumeHeld(publisher, Router.SECONDARY_LINK, frame, 0, 8));

        assertEquals(1, fake(full).delivered.size());
        assertFalse(routing.isHeld(publisher, Router.SECONDARY_LINK));
        assertFalse(routing.isHoldingFrames());
    }

    @Test
    void aSessionThatEndsReleasesWhatItHeld()
    {
        final SessionState publisher = agent("publisher");
        final SessionState full = agent("full");
        final long topic = subscribe(full, "ticks");
        fake(full).deliverStatus = OfferStatus.BACK_PRESSURED;
        routing.beginSessionFrame();
        routing.publish(topic, publisher.agentId, frame, 0, 8);
        routing.hold(publisher, Router.PRIMARY_LINK);

        routing.releaseHeld(publisher);

        assertFalse(routing.isHeld(publisher, Router.PRIMARY_LINK));
        assertFalse(routing.isHoldingFrames());
    }

    @Test
    void aSenderIsToldOfAGoneReceiverAtMostOnceASecond()
    {
        final SessionState sender = agent("sender");
        final long gone = 12345;

        routing.beginIngressFrame();
        routing.pointToPoint(sender, gone, 1, frame, 0, 8);
        routing.pointToPoint(sender, gone, 2, frame, 0, 8);
        routing.pointToPoint(sender, gone, 3, frame, 0, 8);

        assertEquals(1, fake(sender).control.size());
        assertEquals(ErrorCode.UNKNOWN_AGENT, fake(sender).lastError().code());
        assertEquals(1, fake(sender).lastError().correlationId());
        assertEquals(3, counter(RouterCounter.FANOUT_RECEIVER_GONE));

        nowNs += TimeUnit.SECONDS.toNanos(1);
        clock.update();
        routing.pointToPoint(sender, gone, 4, frame, 0, 8);

        assertEquals(2, fake(sender).control.size());
        assertTrue(fake(sender).lastError().text().contains("2 more to it since the last notice"),
            fake(sender).lastError().text());
        assertEquals(2, counter(RouterCounter.SENDERS_TOLD_RECEIVER_GONE));
    }

    @Test
    void aFanOutReceiverThatIsGoneIsCountedButNotToldToThePublisher()
    {
        final SessionState publisher = agent("publisher");
        final SessionState a = agent("a");
        final long topic = subscribe(a, "ticks");
        fake(a).deliverStatus = OfferStatus.NOT_CONNECTED;

        assertEquals(Action.CONTINUE, publishFromIngress(publisher, topic));

        assertEquals(1, counter(RouterCounter.FANOUT_RECEIVER_GONE));
        assertTrue(fake(publisher).control.isEmpty());
    }

    @Test
    void anAgentThatLeavesIsTakenOutOfItsTopicsAndGroups()
    {
        final SessionState publisher = agent("publisher");
        final SessionState a = agent("a");
        final long topic = subscribe(a, "ticks");
        routing.join(a, 1, "team", true);

        routing.removeMember(a.agentId);

        assertEquals(Action.CONTINUE, publishFromIngress(publisher, topic));
        routing.multicast(publisher, NameIds.of("team"), publisher.agentId, 1, frame, 0, 8);
        assertEquals(0, fake(a).delivered.size());
        assertEquals("ticks", routing.topicName(topic), "the topic itself stays");
    }

    @Test
    void namesAreCheckedAndLimited()
    {
        final SessionState a = agent("a");

        routing.subscribe(a, 1, "", true);
        assertEquals(ErrorCode.NAME_INVALID, fake(a).lastError().code());
        subscribe(a, "one");
        subscribe(a, "two");
        routing.subscribe(a, 2, "three", true);
        assertEquals(ErrorCode.LIMIT_EXCEEDED, fake(a).lastError().code());
        assertNull(routing.topicName(NameIds.of("three")));
        assertEquals("two", routing.topicName(NameIds.of("two")));
    }
}
