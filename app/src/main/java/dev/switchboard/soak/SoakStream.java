/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import dev.switchboard.codecs.sbe.Priority;

/**
 * One sequence-numbered stream of the soak: a sender process sends 0, 1, 2... on one tier and pattern, and the sink
 * checks each stream on its own. Each stream says what its path promises, which is what {@link SoakLedger} holds it to:
 * what a kill -9 of its sender may cost ({@link #okMeansStored()}), whether redelivery is its documented behaviour
 * ({@link #atLeastOnce()}), and whether its frames cross the router, so that a kill -9 of the router may cost what the
 * router held at that moment ({@link #throughRouter()}).
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum SoakStream
{
    /** Sender to sink inbox, shared memory. OK means the record is committed in the sink's ring; no router on the path. */
    CRITICAL(Priority.CRITICAL, Kind.SEND, "ring", true, false, false),
    /**
     * Point-to-point HIGH: an agent-to-agent link the router brokered (io_uring where it runs), through a destination
     * resolved once. Once the link is open the router is off the path, so a router kill costs nothing: the link keeps
     * flowing while the router is down, and when the sender registers again (under a new id) the client writes what
     * the link holds, closes it and answers NOT_CONNECTED until the destination is resolved again (a new link).
     */
    HIGH(Priority.HIGH, Kind.SEND, "link", false, false, false),
    /** Point-to-point NORMAL: an agent-to-agent Unix socket pair the router brokered, then off its path (as HIGH). */
    NORMAL(Priority.NORMAL, Kind.SEND, "link", false, false, false),
    /**
     * Chronicle Queue, through a destination resolved once. OK means durably appended; no router on the path (after a
     * reconnection the destination answers NOT_CONNECTED until resolved again: it was keyed by the sink's old id).
     */
    LOW(Priority.LOW, Kind.SEND, "durable", true, false, false),
    /** Published at HIGH to a topic the sink subscribes to: fan-out crosses the router (its HIGH link). */
    HIGH_TOPIC(Priority.HIGH, Kind.PUBLISH, "router", false, false, true),
    /** Published at NORMAL to a topic the sink subscribes to: fan-out crosses the router (the control socket). */
    NORMAL_TOPIC(Priority.NORMAL, Kind.PUBLISH, "router", false, false, true),
    /**
     * Work items (NORMAL) on a queue with competing consumers that forward each item to the sink, then ack. The queue
     * lives in the router's memory: a router kill loses what it held.
     */
    WORK(Priority.NORMAL, Kind.ENQUEUE, "router", false, true, true);

    /** How a stream's sender hands over a message. */
    public enum Kind
    {
        /** {@code send} to the sink by name. */
        SEND,
        /** {@code publish} to the soak's topic. */
        PUBLISH,
        /** {@code enqueue} on the soak's work queue. */
        ENQUEUE
    }

    private final Priority priority;
    private final Kind kind;
    private final String path;
    private final boolean okMeansStored;
    private final boolean atLeastOnce;
    private final boolean throughRouter;

    SoakStream(
        final Priority priority,
        final Kind kind,
        final String path,
        final boolean okMeansStored,
        final boolean atLeastOnce,
        final boolean throughRouter)
    {
        this.priority = priority;
        this.kind = kind;
        this.path = path;
        this.okMeansStored = okMeansStored;
        this.atLeastOnce = atLeastOnce;
        this.throughRouter = throughRouter;
    }

    /** @return the priority its messages are sent with. */
    public Priority priority()
    {
        return priority;
    }

    /** @return how its sender hands over a message. */
    public Kind kind()
    {
        return kind;
    }

    /** @return the path its frames take once set up: ring, link, durable or router. */
    public String path()
    {
        return path;
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

    /**
     * @return true when its frames cross the router (fan-out, work queues): a kill -9 of the router may lose what the
     * router held, and nothing else; false when the router only set the path up (ring, link, durable queue), so a
     * router kill may cost nothing at all.
     */
    public boolean throughRouter()
    {
        return throughRouter;
    }
}
