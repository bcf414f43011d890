package dev.switchboard.router;

import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.EnvelopeFlags;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.transport.OfferStatus;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work queues on their own: round-robin under the prefetch limit, acks from the holder only, redelivery on a missed
 * deadline or a departing consumer, and the limits.
 */
class WorkQueuesTest
{
    private static final long ACK_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long STALL_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long PRODUCER = 100;
    private static final long C1 = 201;
    private static final long C2 = 202;
    private static final String QUEUE = "jobs";
    private static final long QUEUE_ID = NameIds.of(QUEUE);

    private long nowNs = 1_000_000;
    private final SwitchboardCounters counters = new SwitchboardCounters();
    private final CycleClock clock = new CycleClock(() -> nowNs);
    private final Long2ObjectHashMap<Session> agents = new Long2ObjectHashMap<>();
    private final FakeSession producer = new FakeSession(1);
    private final FakeSession consumer1 = new FakeSession(2);
    private final FakeSession consumer2 = new FakeSession(3);
    private final RouterContext ctx = new RouterContext()
        .workPrefetch(1)
        .workAckTimeoutNs(ACK_TIMEOUT_NS)
        .stallRetryNs(STALL_RETRY_NS)
        .maxWorkQueueDepth(3);
    private final WorkQueues queues =
        new WorkQueues(ctx, counters.block(), new ControlReplies(counters.block()), clock, agents::get);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);

    {
        agents.put(PRODUCER, producer);
        agents.put(C1, consumer1);
        agents.put(C2, consumer2);
    }

    private void enqueue(final long producerCorrelationId)
    {
        enqueue(QUEUE_ID, producerCorrelationId);
    }

    private void enqueue(final long queueId, final long producerCorrelationId)
    {
        final EnvelopeEncoder envelope = new EnvelopeEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sourceAgentId(PRODUCER).targetId(queueId).correlationId(producerCorrelationId)
            .pattern(Pattern.WORK).priority(Priority.NORMAL);
        envelope.putPayload(new byte[] {1, 2, 3}, 0, 3);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + envelope.encodedLength();
        queues.enqueue(producer, queueId, PRODUCER, producerCorrelationId, frame, 0, length);
    }

    private static EnvelopeDecoder envelope(final FakeSession consumer, final int i)
    {
        return new EnvelopeDecoder().wrap(new UnsafeBuffer(consumer.delivered.get(i)),
            MessageHeaderEncoder.ENCODED_LENGTH, EnvelopeEncoder.BLOCK_LENGTH, EnvelopeEncoder.SCHEMA_VERSION);
    }

    private static long itemId(final FakeSession consumer, final int i)
    {
        return envelope(consumer, i).correlationId();
    }

    private void consume(final FakeSession session, final long agentId)
    {
        queues.consume(session, agentId, 9, QUEUE, true);
        assertEquals(QUEUE_ID, session.ack(session.control.size() - 1).resolvedId());
    }

    private long counter(final RouterCounter counter)
    {
        return counters.block().get(counter);
    }

    @Test
    void itemsGoRoundRobinToConsumersWithRoomAndWaitOtherwise()
    {
        consume(consumer1, C1);
        consume(consumer2, C2);

        enqueue(1);
        enqueue(2);
        enqueue(3);

        assertEquals(1, consumer1.delivered.size());
        assertEquals(1, consumer2.delivered.size());
        queues.ack(QUEUE_ID, itemId(consumer1, 0), C1);
        assertEquals(2, consumer1.delivered.size(), "the ack made room");
        assertEquals(3, counter(RouterCounter.WORK_DELIVERED));
        assertEquals(1, counter(RouterCounter.WORK_ACKED));
    }

    @Test
    void anItemCarriesItsOwnIdInPlaceOfTheProducersCorrelationId()
    {
        consume(consumer1, C1);

        enqueue(12345);

        assertNotEquals(12345, itemId(consumer1, 0));
        assertEquals(PRODUCER, envelope(consumer1, 0).sourceAgentId());
    }

    @Test
    void anAckFromAnAgentThatDoesNotHoldTheItemIsCountedLateAndIgnored()
    {
        consume(consumer1, C1);
        consume(consumer2, C2);
        enqueue(1);

        queues.ack(QUEUE_ID, itemId(consumer1, 0), C2);
        queues.ack(QUEUE_ID, itemId(consumer1, 0) + 1, C1);

        assertEquals(2, counter(RouterCounter.WORK_LATE_ACKS));
        assertEquals(0, counter(RouterCounter.WORK_ACKED));
        queues.ack(QUEUE_ID, itemId(consumer1, 0), C1);
        assertEquals(1, counter(RouterCounter.WORK_ACKED), "still in flight, so its holder's ack counts");
    }

    @Test
    void anItemPastItsAckDeadlineIsRedeliveredFlagged()
    {
        consume(consumer1, C1);
        enqueue(1);
        assertEquals(nowNs + ACK_TIMEOUT_NS, queues.nextDeadlineNs());
        assertEquals(0, envelope(consumer1, 0).flags() & EnvelopeFlags.REDELIVERED);

        nowNs += ACK_TIMEOUT_NS;
        clock.update();
        queues.onTimer();

        assertEquals(2, consumer1.delivered.size());
        assertEquals(EnvelopeFlags.REDELIVERED, envelope(consumer1, 1).flags() & EnvelopeFlags.REDELIVERED);
        assertEquals(itemId(consumer1, 0), itemId(consumer1, 1), "the same item");
        assertEquals(1, counter(RouterCounter.WORK_REDELIVERED));
    }

    @Test
    void theItemsOfAConsumerThatLeavesGoToAnother()
    {
        consume(consumer1, C1);
        enqueue(1);
        consume(consumer2, C2);

        queues.removeConsumer(C1);

        assertEquals(1, consumer2.delivered.size());
        assertEquals(itemId(consumer1, 0), itemId(consumer2, 0));
        enqueue(2);
        assertEquals(1, consumer1.delivered.size(), "it consumes no more");
    }

    @Test
    void unsubscribingFromOneQueueLeavesTheOthers()
    {
        final String other = "reports";
        final long otherId = NameIds.of(other);
        consume(consumer1, C1);
        queues.consume(consumer1, C1, 10, other, true);
        enqueue(1);
        enqueue(otherId, 2);
        assertEquals(2, consumer1.delivered.size(), "one item from each queue");
        consume(consumer2, C2);

        queues.consume(consumer1, C1, 11, QUEUE, false);

        assertEquals(1, consumer2.delivered.size(), "the item it held in the queue it left went to the other consumer");
        assertEquals(itemId(consumer1, 0), itemId(consumer2, 0));
        queues.ack(otherId, itemId(consumer1, 1), C1);
        assertEquals(1, counter(RouterCounter.WORK_ACKED), "it still holds and acks the other queue's item");
        enqueue(otherId, 3);
        assertEquals(3, consumer1.delivered.size(), "and still consumes the other queue");
    }

    @Test
    void aFullConsumerStopsTheDispatchUntilTheNextRetry()
    {
        consume(consumer1, C1);
        consumer1.deliverStatus = OfferStatus.BACK_PRESSURED;

        enqueue(1);

        assertEquals(1, counter(RouterCounter.ROUTER_STALLS));
        assertEquals(nowNs + STALL_RETRY_NS, queues.nextDeadlineNs());
        consumer1.deliverStatus = OfferStatus.OK;
        queues.onTimer();
        assertEquals(1, consumer1.delivered.size());
        assertEquals(nowNs + ACK_TIMEOUT_NS, queues.nextDeadlineNs(), "no retry pending");
    }

    @Test
    void aConsumerWhoseSessionIsGoneStopsConsuming()
    {
        consume(consumer1, C1);
        consume(consumer2, C2);
        agents.remove(C1);

        enqueue(1);

        assertEquals(1, consumer2.delivered.size());
    }

    @Test
    void aQueueAtItsDepthLimitRefusesTheProducer()
    {
        enqueue(1);
        enqueue(2);
        enqueue(3);
        assertTrue(producer.control.isEmpty(), "items wait for a consumer");

        enqueue(4);

        assertEquals(ErrorCode.BACK_PRESSURED, producer.lastError().code());
        assertEquals(4, producer.lastError().correlationId());
        assertEquals(1, counter(RouterCounter.WORK_QUEUE_FULL));
    }

    @Test
    void aConsumerNamingAQueueBadlyIsRefused()
    {
        queues.consume(consumer1, C1, 5, " ", true);

        assertEquals(ErrorCode.NAME_INVALID, consumer1.lastError().code());
        assertEquals(1, counter(RouterCounter.CONTROL_ERRORS));
    }

    @Test
    void anAckThatNamesNoItemHereGoesToTheForwarderAndIsNotCountedLateWhenTaken()
    {
        final long[] forwarded = new long[3];
        queues.ackForwarder((queueId, itemId, consumer) ->
        {
            forwarded[0] = queueId;
            forwarded[1] = itemId;
            forwarded[2] = consumer;
            return itemId == 77;
        });
        consume(consumer1, C1);

        queues.ack(QUEUE_ID, 77, C1);
        assertEquals(QUEUE_ID, forwarded[0]);
        assertEquals(77, forwarded[1]);
        assertEquals(C1, forwarded[2]);
        assertEquals(0, counter(RouterCounter.WORK_LATE_ACKS), "taken by the forwarder");

        queues.ack(QUEUE_ID, 78, C1);
        assertEquals(1, counter(RouterCounter.WORK_LATE_ACKS), "known to nobody: late");
    }

    @Test
    void aBridgedAckFromTheHolderFreesTheItemAndIsNeverForwarded()
    {
        queues.ackForwarder((queueId, itemId, consumer) ->
        {
            throw new AssertionError("a bridged ack must not be forwarded again");
        });
        consume(consumer1, C1);
        enqueue(1);

        queues.ackBridged(QUEUE_ID, itemId(consumer1, 0) + 1, C1);
        assertEquals(1, counter(RouterCounter.WORK_LATE_ACKS), "an unknown item: counted");
        queues.ackBridged(QUEUE_ID, itemId(consumer1, 0), C2);
        assertEquals(2, counter(RouterCounter.WORK_LATE_ACKS), "not the holder: counted");
        queues.ackBridged(QUEUE_ID, itemId(consumer1, 0), C1);
        assertEquals(1, counter(RouterCounter.WORK_ACKED));
    }

    @Test
    void consumersThatStartOrStopByRequestAreToldOnceAndListed()
    {
        final StringBuilder told = new StringBuilder();
        queues.consumerListener((agentId, queue, consuming) ->
            told.append(agentId).append(' ').append(queue).append(' ').append(consuming).append(';'));
        consume(consumer1, C1);
        consume(consumer1, C1);
        consume(consumer2, C2);
        queues.consume(consumer2, C2, 10, QUEUE, false);
        queues.consume(consumer2, C2, 11, QUEUE, false);

        assertEquals(C1 + " jobs true;" + C2 + " jobs true;" + C2 + " jobs false;", told.toString());
        final StringBuilder listed = new StringBuilder();
        queues.forEachConsumer((agentId, queue, consuming) -> listed.append(agentId).append(' ').append(queue));
        assertEquals(C1 + " jobs", listed.toString());
    }
}
