package dev.switchboard.client;

import java.util.function.LongConsumer;

import org.agrona.BitUtil;
import org.agrona.concurrent.NanoClock;

/**
 * Requests waiting for their response: an open-addressing table keyed by correlation id, with linear
 * probing and backward-shift deletion, so that adding, completing and timing out allocate nothing. With a latency
 * recorder (the connection's {@code request_response_ns} histogram in its counters file), each response's round trip,
 * from the request's send to the response's arrival, is recorded as it is matched: one clock read per response.
 *
 * <p>Thread-safety: confined to the client's thread. Allocation: none after construction.
 */
final class PendingRequests
{
    private static final long EMPTY = 0;

    private final int capacity;
    private final int mask;
    private final long[] ids;
    private final long[] deadlines;
    private final long[] sentNs;
    private final ResponseHandler[] handlers;
    private final NanoClock clock;
    private final LongConsumer roundTrips;
    private int size;
    private long earliestDeadlineNs = Long.MAX_VALUE;

    PendingRequests(final int capacity)
    {
        this(capacity, null, null);
    }

    /**
     * @param capacity   most requests pending at once.
     * @param clock      the client's clock (the requests' send times and deadlines).
     * @param roundTrips told each matched response's round trip in ns, or null.
     */
    PendingRequests(final int capacity, final NanoClock clock, final LongConsumer roundTrips)
    {
        this.capacity = capacity;
        final int slots = BitUtil.findNextPositivePowerOfTwo(capacity * 2);
        this.mask = slots - 1;
        this.ids = new long[slots];
        this.deadlines = new long[slots];
        this.sentNs = new long[slots];
        this.handlers = new ResponseHandler[slots];
        this.clock = clock;
        this.roundTrips = clock == null ? null : roundTrips;
    }

    boolean isFull()
    {
        return size >= capacity;
    }

    int size()
    {
        return size;
    }

    void add(final long correlationId, final long deadlineNs, final ResponseHandler handler)
    {
        add(correlationId, deadlineNs, deadlineNs, handler);
    }

    /**
     * @param correlationId the request's.
     * @param nowNs         when it was sent (the client's clock).
     * @param deadlineNs    when it times out.
     * @param handler       told of the response or the timeout.
     */
    void add(final long correlationId, final long nowNs, final long deadlineNs, final ResponseHandler handler)
    {
        int i = slot(correlationId);
        while (ids[i] != EMPTY)
        {
            i = (i + 1) & mask;
        }
        ids[i] = correlationId;
        sentNs[i] = nowNs;
        deadlines[i] = deadlineNs;
        handlers[i] = handler;
        size++;
        if (deadlineNs < earliestDeadlineNs)
        {
            earliestDeadlineNs = deadlineNs;
        }
    }

    /**
     * @param correlationId of a response.
     * @return the handler waiting for it (now removed), or null when none waits: late or unknown.
     */
    ResponseHandler remove(final long correlationId)
    {
        int i = slot(correlationId);
        while (ids[i] != EMPTY)
        {
            if (ids[i] == correlationId)
            {
                final ResponseHandler h = handlers[i];
                if (roundTrips != null)
                {
                    roundTrips.accept(clock.nanoTime() - sentNs[i]);
                }
                deleteAt(i);
                return h;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * Report every request whose deadline has passed to its handler, and forget it.
     *
     * @param nowNs current time.
     * @return number timed out.
     */
    int expire(final long nowNs)
    {
        if (nowNs < earliestDeadlineNs)
        {
            return 0;
        }
        int expired = 0;
        long next = Long.MAX_VALUE;
        int i = 0;
        while (i < ids.length)
        {
            final long id = ids[i];
            if (id != EMPTY && deadlines[i] <= nowNs)
            {
                final ResponseHandler h = handlers[i];
                deleteAt(i);
                expired++;
                h.onTimeout(id);
                continue;
            }
            if (id != EMPTY && deadlines[i] < next)
            {
                next = deadlines[i];
            }
            i++;
        }
        earliestDeadlineNs = next;
        return expired;
    }

    private int slot(final long correlationId)
    {
        long h = correlationId * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int)h & mask;
    }

    private void deleteAt(final int index)
    {
        int i = index;
        ids[i] = EMPTY;
        handlers[i] = null;
        size--;
        int j = (i + 1) & mask;
        while (ids[j] != EMPTY)
        {
            final int home = slot(ids[j]);
            final boolean move = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
            if (move)
            {
                ids[i] = ids[j];
                sentNs[i] = sentNs[j];
                deadlines[i] = deadlines[j];
                handlers[i] = handlers[j];
                ids[j] = EMPTY;
                handlers[j] = null;
                i = j;
            }
            j = (j + 1) & mask;
        }
    }
}
