package dev.switchboard.router;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ControlledMessageHandler.Action;

/**
 * The data frames the router carries: point-to-point frames on tiers that are not direct (send, request, response),
 * publish to a topic's subscribers, multicast to a group's members, broadcast to every agent; the topics and groups
 * themselves (subscribe, join, by name); and back-pressure, which never drops a frame.
 *
 * <p><b>Fan-out and back-pressure.</b> A frame's receivers are listed in a {@link Fanout} and delivered in order; when
 * one is full the fan-out stops there and answers {@link Action#ABORT}, and the frame is offered again later: delivery
 * resumes at the receiver that was full, never duplicating earlier copies. A frame from the {@link Ingress} keeps its
 * fan-out in the ingress's record (the frame stays at the ingress's head: {@link #isIngressFrameHeld()}); a frame a
 * session handed over directly ({@link Router#onSessionFrame}) keeps it with that session and link
 * ({@link #hold}), while other sessions flow. Before routing a frame the duty cycle says where it came from
 * ({@link #beginIngressFrame()}, {@link #beginSessionFrame()}). A point-to-point frame whose receiver is gone is told
 * to its sender (an Error, at most one a second per receiver), so that an {@code OK} from a send is never a silent
 * loss.
 *
 * <p>Threads: the router's duty-cycle thread only. Allocation: none to route once warm (fan-out records are pooled;
 * a held session frame takes one, growing the pool while the router warms up); joining and subscribing allocate.
 */
final class Routing
{
    private final RouterContext ctx;
    private final CounterBlock counters;
    private final ControlReplies replies;
    private final CycleClock clock;
    private final Sessions sessions;
    private final Long2ObjectHashMap<MemberSet> topics = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<MemberSet> groups = new Long2ObjectHashMap<>();
    /** Told of memberships made and ended by request; null (the default) when nobody listens. */
    private MembershipListener membershipListener;

    /** Fan-out state of the ingress's head frame: held there while a receiver is full. */
    private final Fanout ingressFanout;
    /** Fan-out state for a frame a session hands over directly; swapped into the session when a receiver is full. */
    private Fanout scratchFanout;
    /** The fan-out of the frame being routed (one of the two above). */
    private Fanout fanout;
    private final ArrayList<Fanout> fanoutPool = new ArrayList<>();
    /** Session links with a frame held by a full receiver (direct path). */
    private int heldSessions;

    /**
     * @param ctx      the limit on names, and the most receivers of one frame ({@link RouterContext#maxAgents()}).
     * @param counters the router's counters.
     * @param replies  to answer and to tell senders.
     * @param clock    the duty cycle's now (the rate of receiver-gone notices).
     * @param sessions the receivers' sessions, and every session for broadcast.
     */
    Routing(
        final RouterContext ctx,
        final CounterBlock counters,
        final ControlReplies replies,
        final CycleClock clock,
        final Sessions sessions)
    {
        this.ctx = ctx;
        this.counters = counters;
        this.replies = replies;
        this.clock = clock;
        this.sessions = sessions;
        this.ingressFanout = new Fanout(ctx.maxAgents());
        this.scratchFanout = new Fanout(ctx.maxAgents());
        this.fanout = ingressFanout;
    }

    // ---------------------------------------------------------------------------------------------------
    // where a frame comes from, and where it is held

    /**
     * The next frame comes from the ingress: its fan-out, if a receiver is full, stays with the ingress.
     */
    void beginIngressFrame()
    {
        fanout = ingressFanout;
    }

    /**
     * @return true while the ingress's head frame waits for a full receiver.
     */
    boolean isIngressFrameHeld()
    {
        return ingressFanout.inProgress;
    }

    /**
     * @return the receiver the ingress's head frame waits for, or 0 when it waits for none.
     */
    long ingressBlocker()
    {
        return ingressFanout.inProgress ? ingressFanout.targets[ingressFanout.next] : 0;
    }

    /**
     * Offer the ingress's held head frame again.
     *
     * @param buffer holding the frame.
     * @param index  of the frame.
     * @param length of the frame.
     * @return {@link Action#CONTINUE} once every receiver has it, {@link Action#ABORT} while one is still full.
     */
    Action resumeIngressFrame(final DirectBuffer buffer, final int index, final int length)
    {
        fanout = ingressFanout;
        return continueFanout(buffer, index, length);
    }

    /**
     * The next frame comes straight from a session: if a receiver is full, {@link #hold} keeps its fan-out with the
     * session.
     */
    void beginSessionFrame()
    {
        fanout = scratchFanout;
    }

    /**
     * @param state a session.
     * @param link  {@link Router#PRIMARY_LINK} or {@link Router#SECONDARY_LINK}.
     * @return true when a frame of that link waits for a full receiver.
     */
    boolean isHeld(final SessionState state, final int link)
    {
        return state.held[link] != null;
    }

    /**
     * Offer a session's held frame again.
     *
     * @param state  the session.
     * @param link   the link it came on.
     * @param buffer holding the frame (the same frame).
     * @param index  of the frame.
     * @param length of the frame.
     * @return true when every receiver has it now; false while one is still full.
     */
    boolean resumeHeld(
        final SessionState state, final int link, final DirectBuffer buffer, final int index, final int length)
    {
        fanout = state.held[link];
        if (continueFanout(buffer, index, length) == Action.ABORT)
        {
            return false;
        }
        releaseHeld(state, link);
        return true;
    }

    /**
     * The frame just routed from the session ({@link #beginSessionFrame()}) stopped at a full receiver: the session's
     * link keeps its fan-out until it is offered again.
     *
     * @param state the session.
     * @param link  the link it came on.
     */
    void hold(final SessionState state, final int link)
    {
        state.held[link] = scratchFanout;
        heldSessions++;
        scratchFanout = fanoutPool.isEmpty() ? new Fanout(ctx.maxAgents()) : fanoutPool.removeLast();
    }

    /**
     * The session ended: what it held is dropped.
     *
     * @param state the session.
     */
    void releaseHeld(final SessionState state)
    {
        releaseHeld(state, Router.PRIMARY_LINK);
        releaseHeld(state, Router.SECONDARY_LINK);
    }

    private void releaseHeld(final SessionState state, final int link)
    {
        final Fanout f = state.held[link];
        if (f != null)
        {
            f.reset();
            fanoutPool.add(f);
            state.held[link] = null;
            heldSessions--;
        }
    }

    /**
     * @return true while a full receiver holds a frame, of the ingress or of a session: the duty cycle retries it
     * every {@link RouterContext#stallRetryNs()}.
     */
    boolean isHoldingFrames()
    {
        return ingressFanout.inProgress || heldSessions > 0;
    }

    // ---------------------------------------------------------------------------------------------------
    // patterns

    /**
     * Relay a send, request or response to its receiver. A receiver that is gone is told to the sender.
     *
     * @param sender        the sender's session.
     * @param targetId      the receiver.
     * @param correlationId the frame's, for the sender's notice.
     * @param buffer        holding the frame.
     * @param index         of the frame.
     * @param length        of the frame.
     * @return {@link Action#CONTINUE}, or {@link Action#ABORT} when the receiver is full.
     */
    Action pointToPoint(
        final SessionState sender,
        final long targetId,
        final long correlationId,
        final DirectBuffer buffer,
        final int index,
        final int length)
    {
        final Fanout f = fanout;
        f.count = 0;
        f.targets[f.count++] = targetId;
        f.sender = sender;
        f.correlationId = correlationId;
        f.pointToPoint = true;
        return startFanout(buffer, index, length);
    }

    /**
     * Deliver a publish to the topic's subscribers but its publisher; a topic with none is counted.
     *
     * @param topicId the frame's target.
     * @param source  the publisher.
     * @param buffer  holding the frame.
     * @param index   of the frame.
     * @param length  of the frame.
     * @return {@link Action#CONTINUE}, or {@link Action#ABORT} when a subscriber is full.
     */
    Action publish(final long topicId, final long source, final DirectBuffer buffer, final int index, final int length)
    {
        final MemberSet topic = topics.get(topicId);
        if (topic == null || topic.size() == 0)
        {
            counters.increment(CounterIds.of(RouterCounter.PUBLISH_NO_SUBSCRIBER));
            return Action.CONTINUE;
        }
        return fanoutTo(topic, source, buffer, index, length);
    }

    /**
     * Deliver a multicast to the group's members but its sender; an unknown group is an Error to the sender.
     *
     * @param sender        the sender's session.
     * @param groupId       the frame's target.
     * @param source        the sending agent.
     * @param correlationId the frame's, for a refusal.
     * @param buffer        holding the frame.
     * @param index         of the frame.
     * @param length        of the frame.
     * @return {@link Action#CONTINUE}, or {@link Action#ABORT} when a member is full.
     */
    Action multicast(
        final SessionState sender,
        final long groupId,
        final long source,
        final long correlationId,
        final DirectBuffer buffer,
        final int index,
        final int length)
    {
        final MemberSet group = groups.get(groupId);
        if (group == null)
        {
            replies.sendError(sender.session, correlationId, ErrorCode.UNKNOWN_AGENT,
                "multicast refused: no group with id " + groupId);
            return Action.CONTINUE;
        }
        return fanoutTo(group, source, buffer, index, length);
    }

    /**
     * Deliver a broadcast to every registered agent but its sender, in the order their sessions came.
     *
     * @param source the sending agent.
     * @param buffer holding the frame.
     * @param index  of the frame.
     * @param length of the frame.
     * @return {@link Action#CONTINUE}, or {@link Action#ABORT} when a receiver is full.
     */
    Action broadcast(final long source, final DirectBuffer buffer, final int index, final int length)
    {
        final Fanout f = fanout;
        f.count = 0;
        for (int i = 0, n = sessions.size(); i < n; i++)
        {
            final long agentId = sessions.at(i).agentId;
            if (agentId != 0 && agentId != source)
            {
                f.targets[f.count++] = agentId;
            }
        }
        return startFanout(buffer, index, length);
    }

    private Action fanoutTo(
        final MemberSet members, final long source, final DirectBuffer buffer, final int index, final int length)
    {
        final Fanout f = fanout;
        f.count = 0;
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final long agentId = members.get(i);
            if (agentId != source)
            {
                f.targets[f.count++] = agentId;
            }
        }
        return startFanout(buffer, index, length);
    }

    private Action startFanout(final DirectBuffer buffer, final int index, final int length)
    {
        fanout.next = 0;
        return continueFanout(buffer, index, length);
    }

    private Action continueFanout(final DirectBuffer buffer, final int index, final int length)
    {
        final Fanout f = fanout;
        for (int i = f.next; i < f.count; i++)
        {
            final Session target = sessions.sessionOf(f.targets[i]);
            if (target == null)
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_RECEIVER_GONE));
                tellReceiverGone(f, f.targets[i]);
                continue;
            }
            final int status = target.deliver(buffer, index, length);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                f.next = i;
                if (!f.inProgress)
                {
                    f.inProgress = true;
                    counters.increment(CounterIds.of(RouterCounter.ROUTER_STALLS));
                }
                return Action.ABORT;
            }
            if (status == OfferStatus.OK)
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_DELIVERIES));
            }
            else
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_RECEIVER_GONE));
                tellReceiverGone(f, f.targets[i]);
            }
        }
        f.reset();
        return Action.CONTINUE;
    }

    /**
     * A point-to-point frame (send, request, response) whose receiver is not registered: the sender is told with an
     * Error naming the receiver and carrying the frame's correlation id, so that an {@code OK} from its send is never a
     * silent loss. At most one notice per sender per second for the same receiver (the rest are counted in the next).
     */
    private void tellReceiverGone(final Fanout f, final long receiver)
    {
        final SessionState sender = f.sender;
        if (sender == null || !f.pointToPoint || sender.refused)
        {
            return;
        }
        final long nowNs = clock.nowNs();
        if (sender.goneTarget == receiver && nowNs - sender.goneNoticeNs < TimeUnit.SECONDS.toNanos(1))
        {
            sender.goneSuppressed++;
            return;
        }
        final int suppressed = sender.goneTarget == receiver ? sender.goneSuppressed : 0;
        sender.goneTarget = receiver;
        sender.goneNoticeNs = nowNs;
        sender.goneSuppressed = 0;
        counters.increment(CounterIds.of(RouterCounter.SENDERS_TOLD_RECEIVER_GONE));
        replies.sendError(sender.session, f.correlationId, ErrorCode.UNKNOWN_AGENT, "not delivered: agent " +
            receiver + " is not registered (it left, or its lease ran out)" +
            (suppressed > 0 ? "; " + suppressed + " more to it since the last notice" : ""));
    }

    // ---------------------------------------------------------------------------------------------------
    // topics and groups

    /**
     * Subscribe the session's agent to a topic by name (made when new), or unsubscribe it; answered with an Ack
     * carrying the topic's id, or refused.
     *
     * @param state         the asker's session, with its agent.
     * @param correlationId of the Subscribe or Unsubscribe.
     * @param name          the topic's name.
     * @param subscribe     true to subscribe.
     */
    void subscribe(final SessionState state, final long correlationId, final String name, final boolean subscribe)
    {
        onMembership(state, correlationId, topics, "topic", name, subscribe);
    }

    /**
     * The session's agent joins a multicast group by name (made when new), or leaves it; answered with an Ack carrying
     * the group's id, or refused.
     *
     * @param state         the asker's session, with its agent.
     * @param correlationId of the JoinGroup or LeaveGroup.
     * @param name          the group's name.
     * @param join          true to join.
     */
    void join(final SessionState state, final long correlationId, final String name, final boolean join)
    {
        onMembership(state, correlationId, groups, "group", name, join);
    }

    private void onMembership(
        final SessionState state,
        final long correlationId,
        final Long2ObjectHashMap<MemberSet> table,
        final String what,
        final String name,
        final boolean join)
    {
        final String problem = MemberSet.nameProblem(what, name);
        if (problem != null)
        {
            replies.refuse(state.session, correlationId, ErrorCode.NAME_INVALID, problem);
            return;
        }
        final long id = NameIds.of(name);
        MemberSet set = table.get(id);
        if (set != null && !set.name.equals(name))
        {
            replies.refuse(state.session, correlationId, ErrorCode.NAME_TAKEN,
                what + " '" + name + "' has the same id as existing " + what + " '" + set.name + "'; rename one");
            return;
        }
        if (join)
        {
            if (set == null)
            {
                if (table.size() >= ctx.maxNames())
                {
                    replies.refuse(state.session, correlationId, ErrorCode.LIMIT_EXCEEDED,
                        "cannot create " + what + " '" + name + "': " + table.size() +
                        " exist, the limit (switchboard.max.names)");
                    return;
                }
                set = new MemberSet(id, name);
                table.put(id, set);
            }
            set.add(state.agentId);
        }
        else if (set != null)
        {
            set.remove(state.agentId);
        }
        replies.sendAck(state.session, correlationId, id);
        if (membershipListener != null)
        {
            membershipListener.onMembership(state.agentId, table == topics, name, join);
        }
    }

    void membershipListener(final MembershipListener listener)
    {
        membershipListener = listener;
    }

    /** Every membership now: (agent, topic or group, name), topics first. Router thread only. */
    void forEachMembership(final MembershipListener action)
    {
        topics.values().forEach(set ->
        {
            for (int i = 0; i < set.size(); i++)
            {
                action.onMembership(set.get(i), true, set.name, true);
            }
        });
        groups.values().forEach(set ->
        {
            for (int i = 0; i < set.size(); i++)
            {
                action.onMembership(set.get(i), false, set.name, true);
            }
        });
    }

    /**
     * @param topicId a topic's id.
     * @return its name, or null when the router knows no topic by that id.
     */
    String topicName(final long topicId)
    {
        final MemberSet topic = topics.get(topicId);
        return topic == null ? null : topic.name;
    }

    /**
     * The agent left: it is taken out of every topic and group.
     *
     * @param agentId the agent.
     */
    void removeMember(final long agentId)
    {
        for (final MemberSet t : topics.values())
        {
            t.remove(agentId);
        }
        for (final MemberSet g : groups.values())
        {
            g.remove(agentId);
        }
    }
}
