/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.shm;

import dev.switchboard.ring.ManyToOneRing;

/**
 * The consumer side of Agrona's answer to a producer that dies between claiming a record and committing it (kill -9
 * in the middle of a ring write): that record's length stays negative (or 0) and would block the inbox for ever.
 * When a read finds nothing although the ring is not empty (head != tail), this detector notes the head; if the head
 * then stays where it is for longer than the timeout, it calls {@link ManyToOneRing#unblock()}, which turns the stuck
 * record into padding, and the next read goes on with the records other senders committed behind it.
 *
 * <p>Cost: nothing while reads find messages; when a read finds nothing, two volatile loads (head and tail) and, only
 * if they differ, one {@link System#nanoTime()}. The timeout must be longer than any live sender can take between
 * claim and commit (a descheduled thread, a GC pause, a zero-copy {@code tryClaim} whose caller writes slowly): a
 * live sender that commits after its record was unblocked writes into space that is no longer its own. Property
 * {@code switchboard.inbox.unblock.timeout.ns} (see {@link dev.switchboard.ipc.IpcContext}), default 1 s, as
 * Aeron's driver waits a client-liveness timeout before it unblocks a command ring.
 *
 * <p>Thread-safety: the ring's one consumer thread. Allocation: none.
 */
public final class StuckRecordDetector
{
    private final ManyToOneRing ring;
    private final long timeoutNs;
    /** Consumer position at which the current stall was first seen, or -1 when no stall is being timed. */
    private long stalledHead = -1;
    private long stalledSinceNs;
    private long unblockedCount;

    /**
     * @param ring      the ring this thread consumes.
     * @param timeoutNs how long the head may stay put with records behind it before the record at the head is
     *                  judged abandoned; at least 1 ms.
     * @throws IllegalArgumentException if the timeout is below 1 ms.
     */
    public StuckRecordDetector(final ManyToOneRing ring, final long timeoutNs)
    {
        if (timeoutNs < 1_000_000L)
        {
            throw new IllegalArgumentException(
                "switchboard.inbox.unblock.timeout.ns must be at least 1000000 (1 ms): " + timeoutNs);
        }
        this.ring = ring;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Call after a read of the ring that returned no message. Unblocks the record at the head when the head has not
     * moved for the timeout while the tail is ahead of it.
     *
     * @return true when a record was turned into padding (count it).
     */
    public boolean onEmptyRead()
    {
        final long head = ring.consumerPosition();
        if (head == ring.producerPosition())
        {
            stalledHead = -1;
            return false;
        }
        final long nowNs = System.nanoTime();
        if (head != stalledHead)
        {
            stalledHead = head;
            stalledSinceNs = nowNs;
            return false;
        }
        if (nowNs - stalledSinceNs < timeoutNs)
        {
            return false;
        }
        stalledHead = -1;
        if (ring.unblock())
        {
            unblockedCount++;
            return true;
        }
        return false;
    }

    /**
     * @return records this detector has turned into padding.
     */
    public long unblockedCount()
    {
        return unblockedCount;
    }

    /**
     * @return the timeout in ns.
     */
    public long timeoutNs()
    {
        return timeoutNs;
    }
}
