/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Two JDK {@link ArrayBlockingQueue}s of capacity {@value JdkQueueCase#QUEUE_CAPACITY} between threads of one
 * process: what a Java developer reaches for first. It measures the queue's lock-based hand-off: {@code offer} and
 * {@code poll} (never the blocking {@code put}/{@code take}; the driver spins on {@code poll}) each take the queue's
 * one {@code ReentrantLock}, which parks a thread that finds it held: under contention (several producers) the peer
 * itself parks, which is part of what is measured.
 *
 * <p>Settings: bounded at {@value JdkQueueCase#QUEUE_CAPACITY} (an offer to a full queue is back-pressure), no
 * fairness; messages are pooled holders passed by reference ({@link JdkQueueCase}).
 *
 * <p>Allocation: none per message in this code: the queue's array is allocated once and holders come from a pool.
 * The queue's lock does allocate: a thread that finds it held enqueues a wait node ({@code AbstractQueuedSynchronizer})
 * before it parks, and with a consumer spinning on {@code poll} the lock is often held; measured here, 10 to 25
 * bytes per round trip on each side. That, and the parking, are the peer's real cost and are left in. Holder reuse is
 * safe because the pool is twice the queue: by the time a producer refills a holder, the consumer has polled a later
 * message under the queue's lock, after it finished reading that holder.
 */
public final class AbqThreadsCase extends JdkQueueCase
{
    /** The case's id. */
    public static final String ID = "abq-threads";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "JDK ArrayBlockingQueue (threads, spinning poll)";
    }

    @Override
    MessageChannel newChannel(final int capacity)
    {
        return new Channel(capacity);
    }

    private static final class Channel implements MessageChannel
    {
        private final ArrayBlockingQueue<QueuedMessage> queue;

        Channel(final int capacity)
        {
            queue = new ArrayBlockingQueue<>(capacity);
        }

        @Override
        public boolean offer(final QueuedMessage message)
        {
            return queue.offer(message);
        }

        @Override
        public QueuedMessage poll()
        {
            return queue.poll();
        }

        @Override
        public void consumed()
        {
            // The queue's lock orders the consumer's reads before the producer's reuse: nothing to do.
        }
    }
}
