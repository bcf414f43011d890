/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.client.Message;
import dev.switchboard.transport.Tier;

/**
 * What one demo agent received of one pattern: how many, when the last one arrived, on which tier,
 * and whether the senders' sequence numbers only ever went up (each pattern has one sender per run, so
 * a sequence number at or below the last one seen means a message overtook another).
 *
 * <p>Thread-safety: written only by the agent's polling thread; read by the demo's main thread.
 * {@link #record} writes the plain fields and then releases the count; a reader that
 * {@link #count() acquires} a count sees every field written before it (the release/acquire pair is the
 * happens-before edge). Allocation: none.
 */
final class Tally
{
    private final AtomicLong count = new AtomicLong();
    private long lastArrivalNs;
    private long lastSequence = -1;
    private long outOfOrder;
    private Tier tier;

    void record(final Message message, final long arrivalNs, final long sequence)
    {
        if (sequence <= lastSequence)
        {
            outOfOrder++;
        }
        lastSequence = sequence;
        lastArrivalNs = arrivalNs;
        tier = message.tier();
        count.setRelease(count.getPlain() + 1);
    }

    long count()
    {
        return count.getAcquire();
    }

    long lastArrivalNs()
    {
        return lastArrivalNs;
    }

    long outOfOrder()
    {
        return outOfOrder;
    }

    Tier tier()
    {
        return tier;
    }
}
