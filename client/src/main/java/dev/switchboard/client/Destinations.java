package dev.switchboard.client;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The client's address book: agent ids by name, the {@link Destination}s made by id (one table per priority), and what
 * moves a destination from its routed path to its direct one. A send by id finds its destination here with one hash
 * lookup ({@link #destinationFor}); a destination seen for the first time is made routed and its direct path asked for
 * in the background (a lookup, or a link request on the link tiers), without waiting: the answer comes to
 * {@link #onLookupAnswer}, {@link #onLinkGranted} or {@link #onRefused} from wherever the control stream is read. The
 * switch keeps the per-sender order: when frames went through the router meanwhile, the direct path waits behind a
 * barrier (a lookup the router answers only after it handled them).
 *
 * <p>It sends frames without waiting (lookups, link requests, barriers) but never reads the control stream: the
 * blocking resolution ({@code SwitchboardClient.destination}) and the non-blocking progress of a destination between
 * paths belong to the control plane, which reads the answers and hands them here.
 *
 * <p>Thread: the client's thread only. Allocation: {@link #destinationFor} for a known id allocates nothing; making a
 * destination, a name's first lookup and the answers allocate (a destination, map entries, the decoded answer).
 */
final class Destinations
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final System.Logger LOG = System.getLogger(Destinations.class.getName());

    private final RouterConnection connection;
    private final ClientSession session;
    private final PriorityTiers tiers;

    /** Frames sent without waiting for their answer: background lookups, link requests and barriers. */
    private final SegmentBuffer frameBuffer = SegmentBuffer.allocate(Arena.ofAuto(), 256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LookupEncoder lookupEncoder = new LookupEncoder();

    /** Ids by name, learned by lookups; 0 means the router said no live agent has the name. */
    private final Map<String, Long> agentIdsByName = new HashMap<>();
    /** Destinations made by id, one map per priority ordinal. */
    private final Long2ObjectHashMap<Destination>[] destinationsByPriority;
    /** Background lookups and link requests in flight, by correlation id: a destination being resolved. */
    private final Long2ObjectHashMap<Destination> resolving = new Long2ObjectHashMap<>();
    /** Background name lookups in flight, by correlation id: the name. */
    private final Long2ObjectHashMap<String> nameLookups = new Long2ObjectHashMap<>();
    /** Names with a background lookup in flight. */
    private final Map<String, Long> nameLookupsByName = new HashMap<>();
    /** Destinations made before a reconnection: no longer found by id, closed with the client. */
    private final ArrayList<Destination> retired = new ArrayList<>();
    /** Destinations waiting for a barrier or for their durable queue to open: the duty slice moves them on. */
    private final ArrayList<Destination> betweenPaths = new ArrayList<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    Destinations(final RouterConnection connection, final ClientSession session, final PriorityTiers tiers)
    {
        this.connection = connection;
        this.session = session;
        this.tiers = tiers;
        this.destinationsByPriority = new Long2ObjectHashMap[PriorityTiers.PRIORITIES];
        for (final Priority p : Priority.values())
        {
            if (p != Priority.NULL_VAL)
            {
                destinationsByPriority[p.ordinal()] = new Long2ObjectHashMap<>();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // names

    /**
     * @param agentName a name.
     * @return its id as last learned (0: no live agent has it), or null when not known.
     */
    Long cachedAgentId(final String agentName)
    {
        return agentIdsByName.get(agentName);
    }

    void rememberAgentId(final String agentName, final long agentId)
    {
        agentIdsByName.put(agentName, agentId);
    }

    /** The name's id is stale (its agent left, or a send found it gone): look it up again next time. */
    void forgetAgentId(final String agentName)
    {
        agentIdsByName.remove(agentName);
    }

    /**
     * Ask the router for a name's id without waiting, unless a lookup for it is in flight already.
     *
     * @param agentName the name.
     * @return false when the lookup could not be sent (back-pressured control stream): nothing is in flight for it.
     */
    boolean lookUpName(final String agentName)
    {
        if (!nameLookupsByName.containsKey(agentName))
        {
            final long correlationId = session.nextCorrelationId();
            lookupEncoder.wrapAndApplyHeader(frameBuffer, 0, headerEncoder)
                .correlationId(correlationId).agentId(session.agentId()).kind(LookupKind.BY_NAME).wantedAgentId(0)
                .query(agentName);
            if (connection.sendControl(frameBuffer, 0, HEADER + lookupEncoder.encodedLength()) != OfferStatus.OK)
            {
                return false;
            }
            nameLookups.put(correlationId, agentName);
            nameLookupsByName.put(agentName, correlationId);
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // destinations

    /**
     * @param targetAgentId the receiver's id.
     * @param priority      its priority.
     * @return the destination made for them, possibly gone or between paths; null when none was made.
     */
    Destination find(final long targetAgentId, final Priority priority)
    {
        return destinationsByPriority[priority.ordinal()].get(targetAgentId);
    }

    /**
     * The destination of a by-id send: one hash lookup; made on first use, routed until the background lookup gives
     * it its direct path.
     */
    Destination destinationFor(final long targetAgentId, final Priority priority)
    {
        final Long2ObjectHashMap<Destination> byId = destinationsByPriority[priority.ordinal()];
        final Destination d = byId.get(targetAgentId);
        return d != null ? d : newRoutedDestination(targetAgentId, priority, byId);
    }

    /**
     * The blocking lookup for the receiver answered (the caller waited for it): give the destination its direct path
     * now. That lookup was sent after every frame routed so far, so it is the barrier: a direct path waiting for one
     * switches at once. A destination missing or gone is made anew.
     *
     * @param known the destination found before the lookup, or null.
     * @param info  what the registry said of the receiver.
     * @return the destination, in the table.
     */
    Destination resolveNow(final Destination known, final long targetAgentId, final Priority priority,
        final AgentInfo info)
    {
        Destination d = known;
        if (d == null || d.gone)
        {
            d = newDestination(targetAgentId, info.name(), priority);
            destinationsByPriority[priority.ordinal()].put(targetAgentId, d);
        }
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        if (d.barrier != 0)
        {
            // The blocking lookup just answered was sent after every frame routed so far: it is the barrier.
            if (d.barrier > 0)
            {
                resolving.remove(d.barrier);
            }
            d.barrier = 0;
            d.lane = d.pendingLane;
            d.pendingLane = null;
        }
        resolve(d, info, true);
        return d;
    }

    private Destination newDestination(final long targetAgentId, final String targetName, final Priority priority)
    {
        final Tier tier = tiers.tier(priority);
        return new Destination(targetAgentId, targetName, priority, tier, tiers.transport(priority));
    }

    private Destination newRoutedDestination(
        final long targetAgentId, final Priority priority, final Long2ObjectHashMap<Destination> byId)
    {
        final Destination d = newDestination(targetAgentId, null, priority);
        byId.put(targetAgentId, d);
        if (connection.linksTo(d.tier))
        {
            if (!session.inHandler())
            {
                startLinkResolution(d);
            }
        }
        else if (d.tier.isDirect())
        {
            d.lane = connection.openLane(targetAgentId, null, null, d.tier);
            if (d.lane == null)
            {
                if (connection.knowsEveryReceiver(d.tier))
                {
                    forget(d);
                }
                else
                {
                    startResolution(d);
                }
            }
        }
        return d;
    }

    /** Ask the registry for the receiver in the background; the answer is handled wherever control frames are read. */
    private void startResolution(final Destination d)
    {
        final long correlationId = session.nextCorrelationId();
        lookupEncoder.wrapAndApplyHeader(frameBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(session.agentId()).kind(LookupKind.BY_ID).wantedAgentId(d.agentId)
            .query("");
        if (connection.sendControl(frameBuffer, 0, HEADER + lookupEncoder.encodedLength()) == OfferStatus.OK)
        {
            d.resolution = correlationId;
            resolving.put(correlationId, d);
        }
    }

    /** A destination made by a send on a link tier: ask for its link in the background; sends wait (BACK_PRESSURED). */
    private void startLinkResolution(final Destination d)
    {
        final long correlationId = session.nextCorrelationId();
        final int length =
            connection.encodeLinkRequest(frameBuffer, 0, correlationId, session.agentId(), d.agentId, d.tier);
        if (length > 0 && connection.sendControl(frameBuffer, 0, length) == OfferStatus.OK)
        {
            d.resolution = correlationId;
            d.linkResolution = true;
            resolving.put(correlationId, d);
        }
    }

    /**
     * Give a destination its direct path from what the registry says of the receiver. A durable (LOW) path opens
     * Chronicle files: when the caller may not block (a background answer, read from a send's context) that is left to
     * {@link #openDurable}, from the next send or duty slice.
     */
    private void resolve(final Destination d, final AgentInfo info, final boolean mayBlock)
    {
        final String targetName = info.name();
        d.name = targetName;
        d.inbox = info.inbox() == null ? "" : info.inbox();
        if (d.tier == Tier.LOW)
        {
            if ((info.tiers() & Tier.LOW.mask()) == 0)
            {
                // Not reachable at LOW from here (an agent without a durable queue, or of a router that cannot forward
                // LOW): appending to a queue of that name here would be a silent loss: sends are REJECTED instead.
                d.durablePending = false;
                d.durableDirect = false;
                if (!d.durableUnreachable)
                {
                    d.durableUnreachable = true;
                    LOG.log(System.Logger.Level.WARNING, "LOW to '" + targetName + "' (agent " + d.agentId +
                        ") is refused (REJECTED): the router does not show the LOW tier for it (an agent without a durable " +
                        "queue, or of a peer router whose bridge cannot forward LOW)");
                }
                return;
            }
            d.durableUnreachable = false;
            d.durableMaxFrame = info.host() == null || info.host().isEmpty() ? Integer.MAX_VALUE :
                dev.switchboard.codecs.BridgeLimits.MAX_LOW_FRAME_LENGTH;
            if (mayBlock)
            {
                d.durableDirect = connection.openDurable(d.agentId, targetName, d.inbox);
                d.durablePending = false;
            }
            else
            {
                d.durablePending = true;
            }
            return;
        }
        if (d.tier.isDirect() && d.lane == null)
        {
            d.lane = connection.openLane(d.agentId, targetName, d.inbox, d.tier);
        }
    }

    /**
     * The background lookup answered: switch to the direct path, after a barrier when frames went through the router
     * meanwhile (the direct path must not overtake them).
     */
    private void onResolved(final Destination d, final AgentInfo info)
    {
        d.resolution = 0;
        if (d.tier == Tier.LOW || !d.tier.isDirect() || d.lane != null)
        {
            resolve(d, info, false);
            return;
        }
        d.name = info.name();
        d.inbox = info.inbox() == null ? "" : info.inbox();
        final Lane lane = connection.openLane(d.agentId, d.name, d.inbox, d.tier);
        if (lane == null)
        {
            return; // no direct path (no inbox, not ours): routed for good
        }
        if (d.routedWhileResolving == 0)
        {
            d.lane = lane;
            return;
        }
        d.pendingLane = lane;
        d.barrier = Destination.BARRIER_UNSENT;
        sendBarrier(d);
    }

    /**
     * Send the destination's barrier: a lookup the router answers only after every frame routed before it. Left
     * {@link Destination#BARRIER_UNSENT} when the control stream is back-pressured (tried again later).
     */
    void sendBarrier(final Destination d)
    {
        final long correlationId = session.nextCorrelationId();
        lookupEncoder.wrapAndApplyHeader(frameBuffer, 0, headerEncoder)
            .correlationId(correlationId).agentId(session.agentId()).kind(LookupKind.BY_ID).wantedAgentId(d.agentId)
            .query("");
        if (connection.sendControl(frameBuffer, 0, HEADER + lookupEncoder.encodedLength()) == OfferStatus.OK)
        {
            d.barrier = correlationId;
            resolving.put(correlationId, d);
        }
    }

    /** A LOW destination whose receiver is known: open its durable queue now (Chronicle files). */
    void openDurable(final Destination d)
    {
        d.durablePending = false;
        d.durableDirect = connection.openDurable(d.agentId, d.name, d.inbox);
    }

    /** Give up a destination's link request: it stays on the routed path for good (a late grant is ignored). */
    void pinRouted(final Destination d)
    {
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        d.linkResolution = false;
    }

    /** The receiver is gone (the registry says so, or its direct path closed): sends to it return NOT_CONNECTED. */
    void forget(final Destination d)
    {
        d.gone = true;
        if (d.lane != null)
        {
            d.lane.close();
        }
        if (d.pendingLane != null)
        {
            d.pendingLane.close();
            d.pendingLane = null;
        }
        // The destination stays in the by-id map as a tombstone: agent ids are never reused (the registry moves a
        // slot's generation on), so later sends by this id return NOT_CONNECTED here rather than go through the router.
        if (d.resolution != 0)
        {
            resolving.remove(d.resolution);
            d.resolution = 0;
        }
        if (d.barrier > 0)
        {
            resolving.remove(d.barrier);
        }
        d.barrier = 0;
    }

    /**
     * @return the destinations waiting for a barrier or for their durable queue to open, for the duty slice to move on
     * (it removes those that got there).
     */
    ArrayList<Destination> betweenPaths()
    {
        return betweenPaths;
    }

    // ---------------------------------------------------------------------------------------------------
    // answers to what was sent in the background (from the control stream's reader)

    /**
     * @param correlationId of a lookup result.
     * @return true when it answers a background lookup (a destination or a name being resolved), false when it is a
     * late answer to a call that timed out.
     */
    boolean awaitsLookup(final long correlationId)
    {
        return resolving.containsKey(correlationId) || nameLookups.containsKey(correlationId);
    }

    /**
     * @param correlationId of a link grant.
     * @return true when it answers a background link request.
     */
    boolean awaitsLink(final long correlationId)
    {
        return resolving.containsKey(correlationId);
    }

    /**
     * The answer to a lookup made in the background (see {@link #awaitsLookup}).
     *
     * @param correlationId the lookup's.
     * @param found         the agents found: none, or the one asked for.
     */
    void onLookupAnswer(final long correlationId, final List<AgentInfo> found)
    {
        final Destination destination = resolving.remove(correlationId);
        final String lookedUpName = destination == null ? nameLookups.remove(correlationId) : null;
        if (lookedUpName != null)
        {
            nameLookupsByName.remove(lookedUpName);
            agentIdsByName.put(lookedUpName, found.isEmpty() ? 0L : found.getFirst().agentId());
            return;
        }
        if (destination == null)
        {
            return;
        }
        if (destination.barrier == correlationId)
        {
            destination.barrier = 0;
            destination.lane = destination.pendingLane;
            destination.pendingLane = null;
            return;
        }
        if (found.isEmpty())
        {
            forget(destination);
            return;
        }
        onResolved(destination, found.getFirst());
        if (destination.barrier != 0 || destination.durablePending)
        {
            betweenPaths.add(destination);
        }
    }

    /**
     * A background link request was granted (see {@link #awaitsLink}).
     *
     * @param correlationId the request's.
     * @param lane          the link, opened while the grant was readable; null when it could not open (routed then).
     */
    void onLinkGranted(final long correlationId, final Lane lane)
    {
        final Destination background = resolving.remove(correlationId);
        background.resolution = 0;
        background.linkResolution = false;
        if (lane != null && !background.gone)
        {
            background.lane = lane;
        }
        else if (lane != null)
        {
            lane.close();
        }
    }

    /**
     * The router refused something: when it was a background lookup or link request, the destination stays routed.
     *
     * @param correlationId of the refusal.
     * @return true when the refusal answered something sent in the background (it is handled), false when it is for
     * the application to hear.
     */
    boolean onRefused(final long correlationId)
    {
        if (correlationId == 0)
        {
            return false;
        }
        final Destination destination = resolving.remove(correlationId);
        if (destination != null)
        {
            // Not allowed to learn where it lives or to link to it (policy, no link socket): it stays on the routed
            // path, where the router decides.
            destination.resolution = 0;
            destination.linkResolution = false;
            if (destination.barrier == correlationId)
            {
                destination.barrier = 0;
                destination.lane = destination.pendingLane;
                destination.pendingLane = null;
            }
            return true;
        }
        final String lookedUpName = nameLookups.remove(correlationId);
        if (lookedUpName != null)
        {
            nameLookupsByName.remove(lookedUpName);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------
    // reconnection and close

    /** Ids from the old router mean nothing to the new one: by-id tables, names and lookups in flight go. */
    void forgetRouterIds()
    {
        for (final Long2ObjectHashMap<Destination> byId : destinationsByPriority)
        {
            if (byId != null)
            {
                for (final Destination d : byId.values())
                {
                    retired.add(d); // user handles may still hold it: its lane lives on until close
                    if (d.lane == null)
                    {
                        d.gone = true; // a routed destination names an old id, which the new router may give away
                    }
                    else if (d.lane.isBoundToSource())
                    {
                        // An agent link's receiver holds it to this agent's old id and would drop the next frames (with
                        // the new id) as spoofed: close it now, after what it holds is written; sends answer
                        // NOT_CONNECTED and the application resolves the destination again (a new link).
                        forget(d);
                    }
                    d.resolution = 0;
                    d.barrier = 0;
                    d.linkResolution = false;
                }
                byId.clear();
            }
        }
        resolving.clear();
        nameLookups.clear();
        nameLookupsByName.clear();
        agentIdsByName.clear();
        betweenPaths.clear();
    }

    /** The client closes: every destination it made, retired or not, is gone and its lane closed. */
    void closeAll()
    {
        for (final Long2ObjectHashMap<Destination> byId : destinationsByPriority)
        {
            if (byId != null)
            {
                retired.addAll(byId.values());
                byId.clear();
            }
        }
        for (final Destination d : retired)
        {
            d.gone = true;
            if (d.lane != null)
            {
                d.lane.close();
            }
        }
        retired.clear();
    }
}
