package dev.switchboard.router;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The router's connections: the hand-over of new sessions from other threads, the table of sessions by id (and in the
 * order they came), which session an agent is on, the handshake deadline of connections that have not registered, and
 * refusing a connection (told, then closed after the Error is flushed). Which agent a session carries is the
 * {@link Registrar}'s business; what it may do is {@link AccessControl}'s; a frame it holds is {@link Routing}'s.
 *
 * <p>Threads: {@link #nextSessionId()} and {@link #add} from any thread (an atomic counter and a concurrent queue);
 * everything else on the router's duty-cycle thread, with plain fields. Allocation: a {@link SessionState} per new
 * connection and the map's entry; {@link #get}, {@link #sessionOf} and the deadline checks allocate nothing.
 */
final class Sessions
{
    private final AgentRegistry registry;
    private final RouterContext ctx;
    private final CounterBlock counters;
    private final ControlReplies replies;
    private final CycleClock clock;

    private final ConcurrentLinkedQueue<Session> added = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextSessionId = new AtomicInteger();
    private final Int2ObjectHashMap<SessionState> byId = new Int2ObjectHashMap<>();
    private final ArrayList<SessionState> inOrder = new ArrayList<>();
    /** Connections from other processes that have not registered yet (the handshake deadline runs for them). */
    private int awaitingRegistration;

    /**
     * @param registry where agents are registered (by session id): {@link #sessionOf} reads it.
     * @param ctx      the handshake deadline.
     * @param counters the router's counters.
     * @param replies  to tell a connection why it is closed.
     * @param clock    the duty cycle's now.
     */
    Sessions(
        final AgentRegistry registry,
        final RouterContext ctx,
        final CounterBlock counters,
        final ControlReplies replies,
        final CycleClock clock)
    {
        this.registry = registry;
        this.ctx = ctx;
        this.counters = counters;
        this.replies = replies;
        this.clock = clock;
    }

    /**
     * @return a new session id, unique among this router's sessions, at least 1. Any thread.
     */
    int nextSessionId()
    {
        return nextSessionId.incrementAndGet();
    }

    /**
     * Hand a new session over; it is taken on the duty-cycle thread by {@link #takeAdded()}. Any thread.
     *
     * @param session newly connected.
     */
    void add(final Session session)
    {
        added.offer(session);
    }

    /**
     * @return true when a session was added and not taken yet. Any thread.
     */
    boolean hasAdded()
    {
        return !added.isEmpty();
    }

    /**
     * Take the next session handed over by {@link #add}: its state is made, with its kernel credentials, and entered
     * in the table; a connection from another process starts its handshake deadline now.
     *
     * @return its state, or null when none waits.
     */
    SessionState takeAdded()
    {
        final Session session = added.poll();
        if (session == null)
        {
            return null;
        }
        final SessionState state = new SessionState(session);
        state.connectedNs = clock.nowNs();
        state.peer = session.peer();
        if (state.isAwaitingRegistration())
        {
            awaitingRegistration++;
        }
        byId.put(session.sessionId(), state);
        inOrder.add(state);
        return state;
    }

    /**
     * @param sessionId of a session taken from {@link #add}.
     * @return its state, or null (not taken yet, or gone).
     */
    SessionState get(final int sessionId)
    {
        return byId.get(sessionId);
    }

    /**
     * @return sessions in the table; with {@link #at(int)}, to visit them in the order they came without an iterator.
     */
    int size()
    {
        return inOrder.size();
    }

    /**
     * @param i index, below {@link #size()}.
     * @return the session there.
     */
    SessionState at(final int i)
    {
        return inOrder.get(i);
    }

    /**
     * @param agentId a registered agent.
     * @return the session it is registered on, or null (not registered, or its session is gone).
     */
    Session sessionOf(final long agentId)
    {
        final AgentRecord record = registry.byId(agentId);
        if (record == null)
        {
            return null;
        }
        final SessionState state = byId.get((int)record.sessionId());
        return state == null ? null : state.session;
    }

    /**
     * An agent registered on the session: its handshake deadline no longer applies.
     *
     * @param state the session.
     */
    void onRegistered(final SessionState state)
    {
        if (state.isAwaitingRegistration())
        {
            awaitingRegistration--;
        }
        state.everRegistered = true;
    }

    /**
     * Refuse the connection (authentication, rate limit, handshake deadline): nothing more is read from it, and its
     * transport closes it once what is queued (the Error saying why) is sent.
     *
     * @param state the session.
     */
    void refuse(final SessionState state)
    {
        if (state.isAwaitingRegistration())
        {
            awaitingRegistration--;
        }
        state.refused = true;
        state.session.closeAfterFlush();
    }

    /**
     * Take a closed session out of the table (its agent is deregistered and its held frame released by then).
     *
     * @param state the session.
     */
    void remove(final SessionState state)
    {
        if (state.isAwaitingRegistration())
        {
            awaitingRegistration--;
        }
        state.refused = true;
        byId.remove(state.session.sessionId());
        inOrder.remove(state);
    }

    /**
     * A connection from another process must register within {@link RouterContext#handshakeTimeoutNs()}: one that
     * does not (idle, or dribbling half a frame) is told, counted and closed, so that it holds no memory for long.
     * Allocation: none unless one is refused.
     *
     * @return connections refused.
     */
    int enforceHandshakeDeadline()
    {
        if (awaitingRegistration == 0)
        {
            return 0;
        }
        final long nowNs = clock.nowNs();
        int n = 0;
        for (int i = 0, size = inOrder.size(); i < size; i++)
        {
            final SessionState state = inOrder.get(i);
            if (state.isAwaitingRegistration() && nowNs - state.connectedNs >= ctx.handshakeTimeoutNs())
            {
                counters.increment(CounterIds.of(RouterCounter.HANDSHAKE_TIMEOUTS));
                replies.sendError(state.session, 0, ErrorCode.NOT_REGISTERED, "connection closed: no registration " +
                    "within " + TimeUnit.NANOSECONDS.toMillis(ctx.handshakeTimeoutNs()) +
                    " ms of connecting (switchboard.router.handshake.timeout.ms)");
                refuse(state);
                n++;
            }
        }
        return n;
    }

    /**
     * @return the earliest handshake deadline of a connection that has not registered, or {@link Long#MAX_VALUE}.
     */
    long nextHandshakeDeadlineNs()
    {
        long deadline = Long.MAX_VALUE;
        if (awaitingRegistration > 0)
        {
            for (int i = 0, n = inOrder.size(); i < n; i++)
            {
                final SessionState state = inOrder.get(i);
                if (state.isAwaitingRegistration())
                {
                    deadline = Math.min(deadline, state.connectedNs + ctx.handshakeTimeoutNs());
                }
            }
        }
        return deadline;
    }

    /**
     * A sender that cannot make the futex call took a parked agent's word and asks the router to wake it. Only the
     * agent registered on the session may ask, in its own name (else counted as spoofed, like a Heartbeat); a wake
     * reveals nothing and delivers nothing, so any registered agent may wake any other. No reply: the frame is
     * fire-and-forget, and a refusal Error per frame would let a peer make the router write. Allocation: none.
     *
     * @param state         the asker's session.
     * @param askerAgentId  the agent the Wake says it comes from.
     * @param targetAgentId the agent to wake.
     */
    void relayWake(final SessionState state, final long askerAgentId, final long targetAgentId)
    {
        if (state.agentId == 0 || askerAgentId != state.agentId)
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
            return;
        }
        final Session target = sessionOf(targetAgentId);
        counters.increment(CounterIds.of(target != null && target.wake() ?
            RouterCounter.WAKES_RELAYED : RouterCounter.WAKES_NOT_RELAYED));
    }
}
