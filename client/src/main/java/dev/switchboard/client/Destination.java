package dev.switchboard.client;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;

/**
 * One receiver at one priority, resolved once: what {@link SwitchboardClient#send(Destination,
 * org.agrona.DirectBuffer, int, int)} and {@link SwitchboardClient#request(Destination, org.agrona.DirectBuffer, int,
 * int, long, ResponseHandler)} write to, in the manner of Aeron's {@code Publication}: the control call that makes it
 * ({@link SwitchboardClient#destination(long, Priority)}) may block, map a file or open a link; a send through it never
 * blocks, never allocates, makes no lookup and reads no clock.
 *
 * <p>A destination has a <b>direct path</b> (a {@link Lane}: the receiver's shared-memory inbox, its in-process inbox,
 * or an agent-to-agent link) or, while it has none, a <b>routed path</b> through the router (its transport for the
 * tier). Destinations made implicitly by {@code send(agentId, ...)} start routed and switch to their direct path once
 * the background lookup answers; the router produces that answer only after it handled every frame this client routed
 * to the receiver before, so the switch keeps the per-sender order.
 *
 * <p>Thread-safety: belongs to the client that made it, and to its thread. Allocation: none after construction.
 */
public final class Destination
{
    final long agentId;
    final Priority priority;
    final short priorityValue;
    final Tier tier;
    final Transport routed;
    /** Counter id of (tier, SEND, SENT); other patterns and kinds are at fixed distances from it. */
    final int counterBase;
    String name;
    /** The receiver's inbox path as the registry gave it, possibly empty. */
    String inbox = "";
    Lane lane;
    /** Correlation id of the background lookup in flight, 0 when none. */
    long resolution;
    /** The background request in flight is a link request (NORMAL, HIGH): sends wait for it, none is routed. */
    boolean linkResolution;
    /** Frames sent through the router since the background lookup was sent. */
    long routedWhileResolving;
    /**
     * Correlation id of the barrier in flight ({@link #BARRIER_UNSENT} while it could not be sent yet), 0 when none:
     * the direct path is ready ({@link #pendingLane}) but frames routed meanwhile may still be on their way through the
     * router; the switch waits for the router's answer to a request sent after them (it answers in order).
     */
    long barrier;
    /** The direct path waiting for the barrier. */
    Lane pendingLane;
    /** The registry said no live agent has this id: sends return NOT_CONNECTED. */
    boolean gone;
    /** LOW only: the receiver is known; its queue opens (Chronicle files) on the next send or duty slice. */
    boolean durablePending;
    /** LOW only: the durable queue of the receiver is known here, so appends go to it without the router. */
    boolean durableDirect;
    /**
     * LOW only: the registry does not show the LOW tier for the receiver (it lives on another router, whose host holds
     * its durable queue; or it has no durable queue): sends are {@code REJECTED}, never appended to a queue nobody reads.
     */
    boolean durableUnreachable;
    /**
     * LOW only: the largest frame its durable path carries: {@code BridgeLimits.MAX_LOW_FRAME_LENGTH} when the receiver
     * lives on another host (its router forwards the queue over the bridge), else unlimited here (the queue's limit).
     */
    int durableMaxFrame = Integer.MAX_VALUE;

    /** {@link #barrier} value of a barrier the connection could not take yet (back-pressured): sent again later. */
    static final long BARRIER_UNSENT = -1;

    Destination(final long agentId, final String name, final Priority priority, final Tier tier, final Transport routed)
    {
        this.agentId = agentId;
        this.name = name;
        this.priority = priority;
        this.priorityValue = priority.value();
        this.tier = tier;
        this.routed = routed;
        this.counterBase = CounterIds.of(tier, dev.switchboard.codecs.sbe.Pattern.SEND, CounterKind.SENT);
    }

    /**
     * @param patternValue {@code Pattern.value()}.
     * @param kind         what is counted.
     * @return the counter id of (this tier, pattern, kind).
     */
    int counterId(final short patternValue, final CounterKind kind)
    {
        return counterBase + patternValue * CounterIds.KINDS + kind.ordinal();
    }

    /**
     * @return true when a control call has nothing left to do for it: the receiver is live as far as this client knows,
     * nothing is in flight for it, and it has its direct path (or its tier has none).
     */
    boolean isResolved()
    {
        return !gone && resolution == 0 && barrier == 0 && !durablePending &&
            (lane != null || !tier.isDirect() || durableDirect || durableUnreachable);
    }

    /**
     * @return the receiver's agent id.
     */
    public long agentId()
    {
        return agentId;
    }

    /**
     * @return the receiver's name, or null while a destination made by id has not been resolved yet.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the priority messages through this destination carry.
     */
    public Priority priority()
    {
        return priority;
    }

    /**
     * @return the tier that priority maps to from this client.
     */
    public Tier tier()
    {
        return tier;
    }

    /**
     * @return true when messages go straight to the receiver (no router thread on the path).
     */
    public boolean isDirect()
    {
        return lane != null && lane.isConnected();
    }

    /**
     * @return false once the receiver is known to be gone.
     */
    public boolean isConnected()
    {
        return !gone && (lane == null || lane.isConnected());
    }

    /**
     * @return the largest payload one send through the direct path takes; 0 while there is none.
     */
    public int maxPayloadLength()
    {
        return lane == null ? 0 : lane.maxPayloadLength();
    }

    @Override
    public String toString()
    {
        return "Destination{agent=" + agentId + (name == null ? "" : " '" + name + "'") + ", " + priority + " on " +
            tier + (isDirect() ? ", direct " + lane.tier() : ", routed") + (gone ? ", gone" : "") +
            (durableUnreachable ? ", LOW unreachable from here" : "") + '}';
    }
}
