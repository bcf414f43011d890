/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two JDK {@link ConcurrentLinkedQueue}s between threads of one process: the JDK's lock-free (Michael-Scott) queue.
 * It measures a CAS-based hand-off that never parks, with a spinning {@code poll}.
 *
 * <p>Settings: the queue is unbounded, so a counter bounds it at {@value JdkQueueCase#QUEUE_CAPACITY} messages in
 * flight (an offer over the bound is back-pressure); this keeps the pooled holders ({@link JdkQueueCase}) from being
 * overrun and keeps a fast producer from growing the heap without limit, as a real user would have to.
 *
 * <p>Allocation: <strong>one queue node (24 bytes with compressed oops) per message</strong>, made by
 * {@code ConcurrentLinkedQueue.offer} itself (measured: exactly 24 bytes per message on each side): that garbage,
 * and the GC it eventually costs, is this peer's real cost and is deliberately left in. The messages themselves are
 * pooled holders, never allocated per message.
 */
public final class ClqThreadsCase extends JdkQueueCase
{
    /** The case's id. */
    public static final String ID = "clq-threads";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "JDK ConcurrentLinkedQueue (threads, spinning poll)";
    }

    @Override
    MessageChannel newChannel(final int capacity)
    {
        return new Channel(capacity);
    }

    /**
     * The bound: {@code inFlight} counts messages offered and not yet {@linkplain #consumed() consumed}. An offer
     * takes a ticket with {@code getAndIncrement}; a ticket at or over the capacity is handed back and the offer
     * fails, so a successful offer always saw fewer than capacity in flight. The consumer's decrement comes after it
     * read the holder, and a producer's increment that sees it happens after it (the counter's volatile read-modify-
     * writes): that is the edge that makes holder reuse safe.
     */
    private static final class Channel implements MessageChannel
    {
        private final ConcurrentLinkedQueue<QueuedMessage> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final int capacity;

        Channel(final int capacity)
        {
            this.capacity = capacity;
        }

        @Override
        public boolean offer(final QueuedMessage message)
        {
            // The read first keeps a producer spinning on a full queue from hammering the counter with writes.
            if (inFlight.get() >= capacity)
            {
                return false;
            }
            if (inFlight.getAndIncrement() >= capacity)
            {
                inFlight.getAndDecrement();
                return false;
            }
            queue.offer(message);
            return true;
        }

        @Override
        public QueuedMessage poll()
        {
            return queue.poll();
        }

        @Override
        public void consumed()
        {
            inFlight.getAndDecrement();
        }
    }
}
