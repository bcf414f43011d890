/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;

/**
 * What the JDK queue peers share: both sides are threads of one process ({@link #inProcess()}), joined by a pair of
 * queues of {@link QueuedMessage}s that the one instance of the case creates in {@link #openResponder} and hands to
 * every {@link #openInitiator}. A subclass says which queue ({@link #newChannel(int)}).
 *
 * <h2>Messages come from pools, not from {@code new}</h2>
 * Each endpoint owns a pool of {@value #POOL_SIZE} holders and sends them round-robin; a holder carries the stamp,
 * sequence, kind and length by reference (an in-process queue passes references, so the payload's filler is never
 * copied: that is the point of this peer, and why its 32-byte and 1 KiB figures should match). A holder is reused
 * only {@value #POOL_SIZE} sends later, when the queue, bounded to {@value #QUEUE_CAPACITY}, cannot still hold it
 * and the consumer has moved past it (see {@link MessageChannel} for the happens-before edge each queue gives).
 *
 * <p>Thread-safety: one thread per endpoint; the queues are the peers' own concurrent queues. Allocation: none per
 * message in this code; the queue itself may allocate (the subclass says).
 */
abstract class JdkQueueCase implements BenchCase
{
    /** Most messages a queue holds; an offer to a full queue returns false (back-pressure). */
    static final int QUEUE_CAPACITY = 1024;
    /** Holders per endpoint: more than a queue can hold, so a holder is never reused while in flight. */
    static final int POOL_SIZE = 2 * QUEUE_CAPACITY;
    /** Most producers. */
    static final int MAX_PRODUCERS = 4;

    // Written by the responder's opening thread, read by the initiators' opening threads.
    private volatile Link link;

    /**
     * @param capacity the most messages the queue may hold.
     * @return a new, empty queue.
     */
    abstract MessageChannel newChannel(int capacity);

    @Override
    public final Kind kind()
    {
        return Kind.PEER;
    }

    @Override
    public final boolean inProcess()
    {
        return true;
    }

    @Override
    public final int maxProducers()
    {
        return MAX_PRODUCERS;
    }

    @Override
    public final BenchEndpoint openResponder(final CaseEnv env)
    {
        final Link opened = new Link(newChannel(QUEUE_CAPACITY), newChannel(QUEUE_CAPACITY));
        synchronized (this)
        {
            if (link != null)
            {
                throw new IllegalStateException(id() + ": a responder is already open on this instance");
            }
            link = opened;
        }
        return new Endpoint(opened.toResponder, opened.toInitiator, opened);
    }

    @Override
    public final BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        PeerLimits.await(id(), "the responder of this in-process case to open (openResponder on the same instance)",
            () -> link != null);
        final Link opened = link;
        // Only producer 0 reads the responder's messages: a second consumer would steal them.
        return new Endpoint(producerIndex == 0 ? opened.toInitiator : null, opened.toResponder, null);
    }

    private synchronized void responderClosed(final Link closed)
    {
        if (link == closed)
        {
            link = null;
        }
    }

    /** The pair of queues between the responder and its initiators. */
    private record Link(MessageChannel toResponder, MessageChannel toInitiator)
    {
    }

    /** A message in flight: mutable, pooled, written by its producer before the offer, read by the consumer after. */
    static final class QueuedMessage
    {
        long stamp;
        long seq;
        int kind;
        int length;
    }

    /**
     * One side. Thread-safety: one thread. Allocation: none per message here (the pool is made once).
     */
    private final class Endpoint implements BenchEndpoint
    {
        private static final int POOL_MASK = POOL_SIZE - 1;

        private final MessageChannel in;
        private final MessageChannel out;
        private final Link ownedLink;
        private final QueuedMessage[] pool = new QueuedMessage[POOL_SIZE];
        // Owned by this endpoint's thread: the next holder to send.
        private int next;

        Endpoint(final MessageChannel in, final MessageChannel out, final Link ownedLink)
        {
            this.in = in;
            this.out = out;
            this.ownedLink = ownedLink;
            for (int i = 0; i < POOL_SIZE; i++)
            {
                pool[i] = new QueuedMessage();
            }
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            final QueuedMessage message = pool[next & POOL_MASK];
            message.stamp = stamp;
            message.seq = seq;
            message.kind = kind;
            message.length = length;
            if (out.offer(message))
            {
                next++;
                return true;
            }
            // Not enqueued: the same holder is filled again on the retry.
            return false;
        }

        @Override
        public int poll(final Inbound handler)
        {
            if (in == null)
            {
                return 0;
            }
            int delivered = 0;
            while (delivered < PeerLimits.POLL_LIMIT)
            {
                final QueuedMessage message = in.poll();
                if (message == null)
                {
                    break;
                }
                final long stamp = message.stamp;
                final long seq = message.seq;
                final int kind = message.kind;
                // From here on the producer may reuse the holder.
                in.consumed();
                delivered++;
                handler.onMessage(stamp, seq, kind);
            }
            return delivered;
        }

        @Override
        public void close()
        {
            if (ownedLink != null)
            {
                responderClosed(ownedLink);
            }
        }
    }

    /**
     * A bounded queue of holders between one or more producer threads and one consumer thread.
     *
     * <p>Happens-before: an {@code offer} that returns true happens-before the {@code poll} that returns the holder
     * (both queues promise that), so the consumer sees the producer's writes. The consumer's reads of a holder
     * happen-before the producer's next writes to it through {@link #consumed()} (the queue's own lock or counter:
     * see each implementation).
     */
    interface MessageChannel
    {
        /**
         * @param message a holder, filled.
         * @return false when the queue is full (nothing enqueued).
         */
        boolean offer(QueuedMessage message);

        /**
         * @return the oldest holder, or null when the queue is empty.
         */
        QueuedMessage poll();

        /** The consumer has read the holder {@link #poll()} returned last and will not touch it again. */
        void consumed();
    }
}
