package dev.switchboard.router;

import java.util.ArrayDeque;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A work queue: competing consumers, explicit acks, at-least-once. Items wait in FIFO order, are handed
 * round-robin to consumers that hold fewer than the prefetch limit, and stay in flight until acked. An
 * item whose holder leaves (deregisters, lease expires, connection closes) or misses its ack deadline
 * goes back to the front of the queue and is delivered again, flagged
 * {@link dev.switchboard.codecs.EnvelopeFlags#REDELIVERED}.
 *
 * <p>Thread-safety: router thread only. Allocation: none per item once the pools are warm.
 */
final class WorkQueue
{
    final MemberSet consumers;
    final ArrayDeque<WorkItem> waiting = new ArrayDeque<>(64);
    final Long2ObjectHashMap<WorkItem> inflight = new Long2ObjectHashMap<>();
    final Long2LongHashMap held = new Long2LongHashMap(0);
    int nextConsumer;
    long nextDeadlineNs = Long.MAX_VALUE;
    /** The last dispatch stopped at a full consumer: the router retries soon rather than at the next ack. */
    boolean dispatchBlocked;
    /** Null until a consumer names the queue: producers may enqueue by id before any consumer exists. */
    String name;

    WorkQueue(final long id, final String name)
    {
        this.consumers = new MemberSet(id, "queue");
        this.name = name;
    }

    long id()
    {
        return consumers.id;
    }

    String name()
    {
        return name == null ? "#" + Long.toHexString(consumers.id) : name;
    }

    int depth()
    {
        return waiting.size() + inflight.size();
    }

    /**
     * @param prefetch most items one consumer may hold.
     * @return the next consumer with room, round-robin, or 0 when none has room.
     */
    long nextConsumerWithRoom(final int prefetch)
    {
        final int n = consumers.size();
        for (int i = 0; i < n; i++)
        {
            final int idx = (nextConsumer + i) % n;
            final long agentId = consumers.get(idx);
            if (held.get(agentId) < prefetch)
            {
                nextConsumer = (idx + 1) % n;
                return agentId;
            }
        }
        return 0;
    }
}
