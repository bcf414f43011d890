package dev.switchboard.router;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

import dev.switchboard.codecs.EnvelopeFlags;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The router's work queues (the work-queue pattern: competing consumers, explicit acks, at-least-once): the queues by
 * id, the pool of {@link WorkItem}s, and what happens to an item: enqueued (a router-owned copy of the producer's
 * frame, its correlation id replaced by the item's id), dispatched round-robin to consumers with room under the
 * prefetch limit, acked by its holder only, and redelivered (to the front of its queue, flagged
 * {@link EnvelopeFlags#REDELIVERED}) when its ack deadline passes or its holder stops consuming. A consumer that is
 * full stops the dispatch of its queue; the duty cycle retries every {@link RouterContext#stallRetryNs()}
 * ({@link #nextDeadlineNs()}).
 *
 * <p>Threads: the router's duty-cycle thread only. Allocation: none to enqueue, dispatch, ack or redeliver once the
 * item pool and the queues' tables are warm (an item's buffer grows to the largest frame it carried); creating a
 * queue and the control-plane answers allocate.
 */
final class WorkQueues
{
    private static final int FLAGS_OFFSET = ControlReplies.HEADER + EnvelopeEncoder.flagsEncodingOffset();

    private final RouterContext ctx;
    private final CounterBlock counters;
    private final ControlReplies replies;
    private final CycleClock clock;
    private final LongFunction<Session> sessionOf;
    private final Long2ObjectHashMap<WorkQueue> queues = new Long2ObjectHashMap<>();
    /** The queues in the order they were made: visited without an iterator. */
    private final ArrayList<WorkQueue> queueList = new ArrayList<>();
    private final ArrayList<WorkItem> itemPool = new ArrayList<>();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    /**
     * Work item ids start at a random point in each router, so that an ack for an item of a router that died (a
     * consumer that reconnected and acked what it held) does not name an item of this one.
     */
    private long nextItemId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE >> 1);
    /** Told of consumers that start or stop by request (the bridge); null for none. */
    private QueueConsumerListener consumerListener;
    /** Takes acks for items of no queue here (the bridge: items a peer router dispatched); null for none. */
    private WorkAckForwarder ackForwarder;

    /**
     * @param ctx       the limits (queues, depth, prefetch), the ack deadline and the stall retry.
     * @param counters  the router's counters.
     * @param replies   to answer consumers and refuse producers.
     * @param clock     the duty cycle's now (ack deadlines).
     * @param sessionOf the session of a registered agent, or null.
     */
    WorkQueues(
        final RouterContext ctx,
        final CounterBlock counters,
        final ControlReplies replies,
        final CycleClock clock,
        final LongFunction<Session> sessionOf)
    {
        this.ctx = ctx;
        this.counters = counters;
        this.replies = replies;
        this.clock = clock;
        this.sessionOf = sessionOf;
    }

    /**
     * Put a WORK frame on its queue (made on first use, by id, when no consumer named it yet) and dispatch. A queue at
     * its depth limit refuses the item with an Error {@code BACK_PRESSURED} to the producer; so does the limit on
     * names when the queue would be new ({@code LIMIT_EXCEEDED}). Allocation: none once warm.
     *
     * @param producer              the producer's session, for a refusal.
     * @param queueId               the frame's target id.
     * @param producerAgentId       the frame's source.
     * @param producerCorrelationId the frame's correlation id.
     * @param buffer                holding the whole frame (SBE header, envelope, payload).
     * @param index                 of the frame.
     * @param length                of the frame.
     */
    void enqueue(
        final Session producer,
        final long queueId,
        final long producerAgentId,
        final long producerCorrelationId,
        final DirectBuffer buffer,
        final int index,
        final int length)
    {
        WorkQueue q = queues.get(queueId);
        if (q == null)
        {
            if (queues.size() >= ctx.maxNames())
            {
                replies.refuse(producer, producerCorrelationId, ErrorCode.LIMIT_EXCEEDED,
                    "work item refused: cannot create queue " + queueId + ": " + queues.size() +
                    " queues exist, the limit (switchboard.max.names)");
                return;
            }
            q = newQueue(queueId, null);
        }
        if (q.depth() >= ctx.maxWorkQueueDepth())
        {
            counters.increment(CounterIds.of(RouterCounter.WORK_QUEUE_FULL));
            replies.sendError(producer, producerCorrelationId, ErrorCode.BACK_PRESSURED,
                "work item refused: queue '" + q.name() + "' holds " + q.depth() + " items, its limit " +
                "(switchboard.work.max.depth)");
            return;
        }
        final WorkItem item = itemPool.isEmpty() ? new WorkItem() : itemPool.removeLast();
        item.itemId = nextItemId++;
        item.queueId = queueId;
        item.producerAgentId = producerAgentId;
        item.producerCorrelationId = producerCorrelationId;
        item.length = length;
        item.frame.putBytes(0, buffer, index, length);
        envelopeEncoder.wrap(item.frame, ControlReplies.HEADER).correlationId(item.itemId);
        q.waiting.addLast(item);
        counters.increment(CounterIds.of(RouterCounter.WORK_ENQUEUED));
        dispatch(q);
    }

    private WorkQueue newQueue(final long id, final String name)
    {
        final WorkQueue q = new WorkQueue(id, name);
        queues.put(id, q);
        queueList.add(q);
        return q;
    }

    /**
     * Hand out the queue's waiting items, in order, round-robin to consumers with room; a consumer that is gone or
     * refuses the frame for good stops consuming; a full one stops the dispatch until the next retry.
     */
    private int dispatch(final WorkQueue q)
    {
        int n = 0;
        q.dispatchBlocked = false;
        while (!q.waiting.isEmpty())
        {
            final long consumer = q.nextConsumerWithRoom(ctx.workPrefetch());
            if (consumer == 0)
            {
                break;
            }
            final Session session = sessionOf.apply(consumer);
            if (session == null)
            {
                q.consumers.remove(consumer);
                continue;
            }
            final WorkItem item = q.waiting.peekFirst();
            final int status = session.deliver(item.frame, 0, item.length);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                if (!q.dispatchBlocked)
                {
                    q.dispatchBlocked = true;
                    counters.increment(CounterIds.of(RouterCounter.ROUTER_STALLS));
                }
                return n;
            }
            q.waiting.pollFirst();
            if (status != OfferStatus.OK)
            {
                q.waiting.addFirst(item);
                q.consumers.remove(consumer);
                continue;
            }
            item.holder = consumer;
            item.deadlineNs = clock.nowNs() + ctx.workAckTimeoutNs();
            item.deliveries++;
            q.inflight.put(item.itemId, item);
            q.held.put(consumer, q.held.get(consumer) + 1);
            if (item.deadlineNs < q.nextDeadlineNs)
            {
                q.nextDeadlineNs = item.deadlineNs;
            }
            counters.increment(CounterIds.of(RouterCounter.WORK_DELIVERED));
            n++;
        }
        return n;
    }

    /**
     * A WORK_ACK. It counts only from the consumer that holds the item; any other (late after a redelivery, for an
     * item of another router, or from an agent that never held it) is counted and ignored, and the item stays in
     * flight. An ack frees room at the consumer: the queue dispatches. Allocation: none.
     *
     * @param queueId the ack's target id.
     * @param itemId  the ack's correlation id: the item's id.
     * @param source  the agent acking.
     */
    void ack(final long queueId, final long itemId, final long source)
    {
        final WorkQueue q = queues.get(queueId);
        final WorkItem item = q == null ? null : q.inflight.get(itemId);
        if (item == null && ackForwarder != null && ackForwarder.forwardAck(queueId, itemId, source))
        {
            return; // an item a peer router dispatched here: acked there
        }
        ackHere(q, item, source);
    }

    /**
     * An ack that a peer router sent back for an item this router dispatched to the proxy of one of its consumers:
     * applied as an ack by that proxy, never forwarded again. Allocation: none.
     *
     * @param queueId the item's queue.
     * @param itemId  the item.
     * @param source  the proxy's agent id here.
     */
    void ackBridged(final long queueId, final long itemId, final long source)
    {
        final WorkQueue q = queues.get(queueId);
        ackHere(q, q == null ? null : q.inflight.get(itemId), source);
    }

    private void ackHere(final WorkQueue q, final WorkItem item, final long source)
    {
        if (item == null || item.holder != source)
        {
            counters.increment(CounterIds.of(RouterCounter.WORK_LATE_ACKS));
            return;
        }
        q.inflight.remove(item.itemId);
        releaseHold(q, item.holder);
        counters.increment(CounterIds.of(RouterCounter.WORK_ACKED));
        item.reset();
        itemPool.add(item);
        dispatch(q);
    }

    private static void releaseHold(final WorkQueue q, final long holder)
    {
        final long held = q.held.get(holder);
        if (held <= 1)
        {
            q.held.remove(holder);
        }
        else
        {
            q.held.put(holder, held - 1);
        }
    }

    /**
     * The timer: items past their ack deadline go back to their queue, and queues with waiting items dispatch (a
     * consumer that was full may have room now). Allocation: none.
     *
     * @return items redelivered and delivered.
     */
    int onTimer()
    {
        int work = 0;
        final long nowNs = clock.nowNs();
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            if (nowNs >= q.nextDeadlineNs)
            {
                work += redeliverOverdue(q, nowNs);
            }
            if (!q.waiting.isEmpty())
            {
                work += dispatch(q);
            }
        }
        return work;
    }

    /**
     * @return the earliest ack deadline of any item in flight and, while a full consumer stops a queue's dispatch, the
     * next retry; {@link Long#MAX_VALUE} for none.
     */
    long nextDeadlineNs()
    {
        long deadline = Long.MAX_VALUE;
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            deadline = Math.min(deadline, q.nextDeadlineNs);
            if (q.dispatchBlocked)
            {
                deadline = Math.min(deadline, clock.nowNs() + ctx.stallRetryNs());
            }
        }
        return deadline;
    }

    private int redeliverOverdue(final WorkQueue q, final long nowNs)
    {
        int n = 0;
        long next = Long.MAX_VALUE;
        final Long2ObjectHashMap<WorkItem>.ValueIterator it = q.inflight.values().iterator();
        while (it.hasNext())
        {
            final WorkItem item = it.next();
            if (item.deadlineNs <= nowNs)
            {
                it.remove();
                requeueForRedelivery(q, item);
                n++;
            }
            else if (item.deadlineNs < next)
            {
                next = item.deadlineNs;
            }
        }
        q.nextDeadlineNs = next;
        return n;
    }

    private void requeueForRedelivery(final WorkQueue q, final WorkItem item)
    {
        releaseHold(q, item.holder);
        item.holder = 0;
        item.frame.putInt(FLAGS_OFFSET,
            item.frame.getInt(FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) | EnvelopeFlags.REDELIVERED,
            ByteOrder.LITTLE_ENDIAN);
        q.waiting.addFirst(item);
        counters.increment(CounterIds.of(RouterCounter.WORK_REDELIVERED));
    }

    /**
     * Subscribe (or unsubscribe) an agent as a consumer of a queue by name; the queue is made when new (within the
     * limit on names). Answered with an Ack carrying the queue's id, or refused (a bad name, another queue with the
     * same id, the limit). Unsubscribing redelivers what the agent holds in that queue, and only there.
     *
     * @param consumer      the asker's session.
     * @param agentId       the agent registered on it.
     * @param correlationId of the Subscribe or Unsubscribe.
     * @param name          the queue's name.
     * @param consume       true to subscribe.
     */
    void consume(
        final Session consumer, final long agentId, final long correlationId, final String name, final boolean consume)
    {
        final String problem = MemberSet.nameProblem("queue", name);
        if (problem != null)
        {
            replies.refuse(consumer, correlationId, ErrorCode.NAME_INVALID, problem);
            return;
        }
        final long id = NameIds.of(name);
        WorkQueue q = queues.get(id);
        if (q != null && q.name == null)
        {
            q.name = name;
        }
        if (q != null && !q.name.equals(name))
        {
            replies.refuse(consumer, correlationId, ErrorCode.NAME_TAKEN,
                "queue '" + name + "' has the same id as existing queue '" + q.name() + "'; rename one");
            return;
        }
        if (consume)
        {
            if (q == null)
            {
                if (queues.size() >= ctx.maxNames())
                {
                    replies.refuse(consumer, correlationId, ErrorCode.LIMIT_EXCEEDED,
                        "cannot create queue '" + name + "': " + queues.size() +
                        " exist, the limit (switchboard.max.names)");
                    return;
                }
                q = newQueue(id, name);
            }
            final boolean added = q.consumers.add(agentId);
            replies.sendAck(consumer, correlationId, id);
            if (added && consumerListener != null)
            {
                consumerListener.onConsumer(agentId, name, true);
            }
            dispatch(q);
        }
        else
        {
            if (q != null && q.consumers.remove(agentId))
            {
                if (consumerListener != null)
                {
                    consumerListener.onConsumer(agentId, name, false);
                }
                release(q, agentId);
            }
            replies.sendAck(consumer, correlationId, id);
        }
    }

    /**
     * @param listener told of consumers that start or stop by request (one listener; null for none).
     */
    void consumerListener(final QueueConsumerListener listener)
    {
        consumerListener = listener;
    }

    /**
     * @param forwarder takes acks that name no item here (one; null for none).
     */
    void ackForwarder(final WorkAckForwarder forwarder)
    {
        ackForwarder = forwarder;
    }

    /**
     * @param action given every (consumer, queue name) now; queues no consumer named yet have none.
     */
    void forEachConsumer(final QueueConsumerListener action)
    {
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            for (int c = 0; c < q.consumers.size(); c++)
            {
                action.onConsumer(q.consumers.get(c), q.name(), true);
            }
        }
    }

    /**
     * The agent stops consuming from every queue (it left): the items it holds go back to the front of their queues,
     * flagged redelivered, and those queues dispatch to the other consumers.
     *
     * @param agentId the consumer.
     */
    void removeConsumer(final long agentId)
    {
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            q.consumers.remove(agentId);
            release(q, agentId);
        }
    }

    /**
     * The items an agent that no longer consumes from {@code q} holds there go back to its front, flagged
     * redelivered, and the queue dispatches to its other consumers. Its other queues are not touched.
     */
    private void release(final WorkQueue q, final long agentId)
    {
        if (q.held.get(agentId) == 0)
        {
            return;
        }
        final Long2ObjectHashMap<WorkItem>.ValueIterator it = q.inflight.values().iterator();
        while (it.hasNext())
        {
            final WorkItem item = it.next();
            if (item.holder == agentId)
            {
                it.remove();
                requeueForRedelivery(q, item);
            }
        }
        q.held.remove(agentId);
        dispatch(q);
    }
}
