/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import dev.switchboard.codecs.sbe.Priority;

/**
 * One sequence-numbered stream of the soak: a sender process sends 0, 1, 2... on one tier (or enqueues them as work
 * items), and the sink checks each stream on its own.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum SoakStream
{
    /** Sender to sink inbox, shared memory. OK means the record is committed in the sink's ring. */
    CRITICAL(Priority.CRITICAL, true, false),
    /** io_uring socket through the router (NORMAL where io_uring cannot run). */
    HIGH(Priority.HIGH, false, false),
    /** Unix socket through the router. */
    NORMAL(Priority.NORMAL, false, false),
    /** Chronicle Queue. OK means durably appended. */
    LOW(Priority.LOW, true, false),
    /** Work items (NORMAL) on a queue with competing consumers that forward each item to the sink, then ack. */
    WORK(Priority.NORMAL, false, true);

    private final Priority priority;
    private final boolean okMeansStored;
    private final boolean atLeastOnce;

    SoakStream(final Priority priority, final boolean okMeansStored, final boolean atLeastOnce)
    {
        this.priority = priority;
        this.okMeansStored = okMeansStored;
        this.atLeastOnce = atLeastOnce;
    }

    /** @return the priority its messages are sent with. */
    public Priority priority()
    {
        return priority;
    }

    /**
     * @return true when a send's OK means the message is already where a kill -9 of the sender cannot take it back
     * (committed in the receiver's ring, appended to the durable queue); false when OK means "accepted into this
     * process's socket buffer", whose unsent tail dies with a killed sender.
     */
    public boolean okMeansStored()
    {
        return okMeansStored;
    }

    /** @return true when redelivery (duplicates, any order) is the documented behaviour: work queues. */
    public boolean atLeastOnce()
    {
        return atLeastOnce;
    }
}
