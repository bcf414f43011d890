package dev.switchboard.router.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.PeerConsumerDecoder;
import dev.switchboard.codecs.sbe.PeerConsumerEncoder;
import dev.switchboard.codecs.sbe.PeerWorkAckDecoder;
import dev.switchboard.codecs.sbe.PeerWorkAckEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.QueueConsumerListener;
import dev.switchboard.router.Router;
import dev.switchboard.router.WorkAckForwarder;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Work queues across routers: the bridge's part of the work-queue pattern (competing consumers, prefetch, explicit
 * acks, at-least-once). A queue is known on every router by the same id (its name's hash); each router dispatches the
 * items enqueued on it to its own consumers and to the proxies of its peers' consumers.
 *
 * <ul>
 *   <li><b>Consumers replicate.</b> A local agent that starts or stops consuming a queue is told to every peer
 *       ({@code PeerConsumer}, template 44), which makes the agent's proxy there a consumer of that queue (or stops
 *       it); a peer's snapshot after a (re)connection carries every consumer. A proxy that stops consuming, or is
 *       removed (its agent left, its router went silent, the link was reset), has what it held redelivered there,
 *       flagged REDELIVERED, as a local consumer's.</li>
 *   <li><b>Items cross as frames.</b> An item dispatched to a proxy goes over the bridge as a {@code BridgedFrame}
 *       (its correlation id is the item's id on the router that dispatched it). When it is delivered here to the
 *       local consumer, this class remembers, by the item's id, the link it came from and the consumer.</li>
 *   <li><b>Acks go back.</b> The consumer acks to its own router (this one), which holds no such item; the router's
 *       work queues hand such an ack to {@link #forwardAck}, which sends it ({@code PeerWorkAck}, template 45) on the
 *       link the item came from. The peer applies it as an ack by the consumer's proxy: from the holder, it frees the
 *       item; otherwise (redelivered meanwhile) it is counted as a late ack, as locally. An ack whose link is
 *       back-pressured waits in a bounded buffer ({@value #MAX_PENDING_ACKS} acks) and is sent from the duty cycle;
 *       one that cannot be sent (link down, buffer full) is counted ({@code cluster: work acks not forwarded}): the
 *       peer redelivers that item at its ack deadline or when the link goes down, so at-least-once holds.</li>
 *   <li><b>Prefetch is per router.</b> Each router counts what a consumer holds of its own items only: a consumer
 *       may hold up to {@code switchboard.work.prefetch} items from each router that has items for it.</li>
 * </ul>
 *
 * <p><b>Limits.</b> At most {@value #MAX_REMOTE_ITEMS} items of peers are remembered here at once (delivered and not
 * yet acked); an item over the limit is delivered but its ack is not forwarded (counted as not forwarded; the peer
 * redelivers it at its ack deadline). Entries go when their ack is forwarded, when their consumer leaves, and when
 * their link goes down.
 *
 * <p>Thread: the router's duty cycle only. Allocation: remembering a delivered item, forwarding an ack, applying a
 * peer's ack and sending a pending one allocate nothing once the tables are warm; replicating consumers (names) is the
 * control plane and allocates.
 */
final class WorkBridge implements QueueConsumerListener, WorkAckForwarder, RegistryListener
{
    /** Most items of peers delivered here and not yet acked that are remembered for their ack. */
    static final int MAX_REMOTE_ITEMS = 65_536;
    /** Most acks waiting for a back-pressured link. */
    static final int MAX_PENDING_ACKS = 4_096;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int NO_LINK = -1;

    private final Router router;
    private final CounterBlock counters;
    private final List<PeerLink> links;
    private final Long2ObjectHashMap<RemoteAgentSession> proxiesByLocalId;
    /** Item id of a peer's item delivered here → index in {@link #links} of the link it came on. */
    private final Long2LongHashMap originLink = new Long2LongHashMap(NO_LINK);
    /** Item id of a peer's item delivered here → the local consumer it was delivered to. */
    private final Long2LongHashMap originConsumer = new Long2LongHashMap(0);
    // Acks waiting for room on their link: a ring of MAX_PENDING_ACKS.
    private final long[] pendingQueue = new long[MAX_PENDING_ACKS];
    private final long[] pendingItem = new long[MAX_PENDING_ACKS];
    private final long[] pendingConsumer = new long[MAX_PENDING_ACKS];
    private final int[] pendingLink = new int[MAX_PENDING_ACKS];
    private int pendingHead;
    private int pendingSize;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PeerConsumerEncoder consumerEncoder = new PeerConsumerEncoder();
    private final PeerConsumerDecoder consumerDecoder = new PeerConsumerDecoder();
    private final PeerWorkAckEncoder ackEncoder = new PeerWorkAckEncoder();
    private final PeerWorkAckDecoder ackDecoder = new PeerWorkAckDecoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    /** Per link: the consumers its peer announced (by proxy), so that a snapshot that no longer names one stops it. */
    private final Map<PeerLink, Set<Consumption>> announced = new HashMap<>();
    /** Per link during a snapshot: the announced consumers the snapshot has not named yet. */
    private final Map<PeerLink, Set<Consumption>> unconfirmed = new HashMap<>();

    /** A peer's consumer: its proxy here and the queue. */
    private record Consumption(long proxyId, String queue)
    {
    }

    /**
     * @param router           the router (its bridged work-queue hooks).
     * @param counters         its counters.
     * @param links            the bridge's links, in the order they were made (an index names a link for good).
     * @param proxiesByLocalId the proxies of the peers' agents, by local id (their consumers are not replicated back).
     */
    WorkBridge(
        final Router router,
        final CounterBlock counters,
        final List<PeerLink> links,
        final Long2ObjectHashMap<RemoteAgentSession> proxiesByLocalId)
    {
        this.router = router;
        this.counters = counters;
        this.links = links;
        this.proxiesByLocalId = proxiesByLocalId;
    }

    // ---------------------------------------------------------------------------------------------------
    // consumers out

    /** A local agent started or stopped consuming: told to every peer that is up (a failed send resyncs the link). */
    @Override
    public void onConsumer(final long agentId, final String queue, final boolean consuming)
    {
        if (proxiesByLocalId.containsKey(agentId))
        {
            return; // a peer's agent: its own router tells the others
        }
        for (int i = 0, n = links.size(); i < n; i++)
        {
            final PeerLink link = links.get(i);
            if (link.isUp() && !link.resyncPending() && !sendConsumer(link, agentId, queue, consuming))
            {
                link.resyncPending(true);
            }
        }
    }

    /**
     * Every local consumer to the peer, for its snapshot (after the agents, so that their proxies exist there).
     *
     * @return true when all were sent.
     */
    boolean sendConsumers(final PeerLink link)
    {
        final boolean[] complete = {true};
        router.forEachQueueConsumer((agentId, queue, consuming) ->
        {
            if (complete[0] && !proxiesByLocalId.containsKey(agentId))
            {
                complete[0] = sendConsumer(link, agentId, queue, true);
            }
        });
        return complete[0];
    }

    private boolean sendConsumer(final PeerLink link, final long agentId, final String queue, final boolean consume)
    {
        if (link.mac() == null)
        {
            return false;
        }
        consumerEncoder.wrapAndApplyHeader(link.sendBuffer(), 0, headerEncoder)
            .agentId(agentId)
            .consume((short)(consume ? 1 : 0))
            .name(queue);
        return link.offerSigned(HEADER + consumerEncoder.encodedLength()) == OfferStatus.OK;
    }

    // ---------------------------------------------------------------------------------------------------
    // in

    /**
     * A MAC-verified message of a peer, if it is one of this class's.
     *
     * @param link       the peer's link.
     * @param templateId the message's template.
     * @param buffer     holding the message at 0.
     * @return true when it was one of this class's (applied, or refused and counted).
     */
    boolean onMessage(final PeerLink link, final int templateId, final DirectBuffer buffer)
    {
        if (templateId == PeerConsumerDecoder.TEMPLATE_ID)
        {
            consumerDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
            final long remoteId = consumerDecoder.agentId();
            final boolean consume = consumerDecoder.consume() == 1;
            final String queue = consumerDecoder.name();
            final RemoteAgentSession proxy = link.proxies().get(remoteId);
            if (proxy == null || proxy.localAgentId() == 0)
            {
                counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            }
            else
            {
                final Consumption consumption = new Consumption(proxy.localAgentId(), queue);
                final Set<Consumption> pending = unconfirmed.get(link);
                if (pending != null)
                {
                    pending.remove(consumption);
                }
                if (consume)
                {
                    announced.computeIfAbsent(link, l -> new HashSet<>()).add(consumption);
                }
                else
                {
                    final Set<Consumption> known = announced.get(link);
                    if (known != null)
                    {
                        known.remove(consumption);
                    }
                }
                router.consumeBridged(proxy.localAgentId(), queue, consume);
            }
            return true;
        }
        if (templateId == PeerWorkAckDecoder.TEMPLATE_ID)
        {
            ackDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
            final RemoteAgentSession proxy = link.proxies().get(ackDecoder.agentId());
            if (proxy == null || proxy.localAgentId() == 0)
            {
                // Its consumer's proxy is gone here, and with it what it held (redelivered): a late ack.
                counters.increment(CounterIds.of(RouterCounter.WORK_LATE_ACKS));
            }
            else
            {
                router.ackBridged(ackDecoder.queueId(), ackDecoder.itemId(), proxy.localAgentId());
            }
            return true;
        }
        return false;
    }

    /**
     * @param buffer  holding a bridged Envelope (validated length: at least a header and an Envelope block).
     * @param frameAt of it.
     * @return true when it is a work item.
     */
    boolean isWorkItem(final DirectBuffer buffer, final int frameAt)
    {
        headerDecoder.wrap(buffer, frameAt);
        envelopeDecoder.wrap(buffer, frameAt + HEADER, headerDecoder.blockLength(), headerDecoder.version());
        return envelopeDecoder.pattern() == Pattern.WORK;
    }

    /**
     * A bridged Envelope was delivered to a local agent: when it is a work item, remember where its ack goes.
     * Allocation: none once warm.
     *
     * @param link     the link it came on.
     * @param consumer the local agent it was delivered to.
     * @param buffer   holding the Envelope.
     * @param frameAt  of it.
     */
    void onDelivered(final PeerLink link, final long consumer, final DirectBuffer buffer, final int frameAt)
    {
        if (!isWorkItem(buffer, frameAt))
        {
            return;
        }
        final long itemId = envelopeDecoder.correlationId();
        if (originLink.size() >= MAX_REMOTE_ITEMS && !originLink.containsKey(itemId))
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_WORK_ACKS_DROPPED));
            return;
        }
        originLink.put(itemId, links.indexOf(link));
        originConsumer.put(itemId, consumer);
    }

    // ---------------------------------------------------------------------------------------------------
    // acks out

    /**
     * An ack that names no item of this router: when a peer dispatched that item here, it goes back on that link.
     * Data path: allocation none, no lock.
     */
    @Override
    public boolean forwardAck(final long queueId, final long itemId, final long consumer)
    {
        final int linkIndex = (int)originLink.get(itemId);
        if (linkIndex == NO_LINK)
        {
            return false;
        }
        if (originConsumer.get(itemId) == consumer)
        {
            originLink.remove(itemId);
            originConsumer.remove(itemId);
        }
        // From another agent than the one it was delivered to: still sent (the peer counts it late), and the entry
        // stays for the holder's own ack.
        if (pendingSize > 0)
        {
            pend(queueId, itemId, consumer, linkIndex); // behind the acks already waiting
            return true;
        }
        final int status = sendAck(links.get(linkIndex), queueId, itemId, consumer);
        if (status == OfferStatus.BACK_PRESSURED)
        {
            pend(queueId, itemId, consumer, linkIndex);
        }
        else
        {
            countSent(status);
        }
        return true;
    }

    private void pend(final long queueId, final long itemId, final long consumer, final int linkIndex)
    {
        if (pendingSize == MAX_PENDING_ACKS)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_WORK_ACKS_DROPPED));
            return;
        }
        final int at = (pendingHead + pendingSize) % MAX_PENDING_ACKS;
        pendingQueue[at] = queueId;
        pendingItem[at] = itemId;
        pendingConsumer[at] = consumer;
        pendingLink[at] = linkIndex;
        pendingSize++;
    }

    private int sendAck(final PeerLink link, final long queueId, final long itemId, final long consumer)
    {
        if (!link.isUp() || link.mac() == null || link.resetPending())
        {
            return OfferStatus.NOT_CONNECTED;
        }
        ackEncoder.wrapAndApplyHeader(link.sendBuffer(), 0, headerEncoder)
            .queueId(queueId)
            .itemId(itemId)
            .agentId(consumer);
        return link.offerSigned(HEADER + PeerWorkAckEncoder.BLOCK_LENGTH);
    }

    private void countSent(final int status)
    {
        counters.increment(CounterIds.of(status == OfferStatus.OK ?
            RouterCounter.CLUSTER_WORK_ACKS_FORWARDED : RouterCounter.CLUSTER_WORK_ACKS_DROPPED));
    }

    /**
     * The acks that waited for room, in order, until a link is still back-pressured. Allocation: none.
     *
     * @return acks sent or dropped.
     */
    int doWork()
    {
        int work = 0;
        while (pendingSize > 0)
        {
            final int at = pendingHead;
            final int status = pendingLink[at] == NO_LINK ? OfferStatus.NOT_CONNECTED :
                sendAck(links.get(pendingLink[at]), pendingQueue[at], pendingItem[at], pendingConsumer[at]);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                break;
            }
            countSent(status);
            pendingHead = (pendingHead + 1) % MAX_PENDING_ACKS;
            pendingSize--;
            work++;
        }
        return work;
    }

    // ---------------------------------------------------------------------------------------------------
    // snapshots

    /** The peer's snapshot begins: every consumer it announced is unconfirmed until the snapshot names it again. */
    void onSnapshotBegin(final PeerLink link)
    {
        unconfirmed.put(link, new HashSet<>(announced.getOrDefault(link, Set.of())));
    }

    /**
     * The peer's snapshot ended: a consumer it announced and did not name again stopped while a message was lost
     * (the link resynchronised): it stops here too, and what it held is redelivered.
     */
    void onSnapshotEnd(final PeerLink link)
    {
        final Set<Consumption> gone = unconfirmed.remove(link);
        if (gone == null)
        {
            return;
        }
        final Set<Consumption> known = announced.get(link);
        for (final Consumption consumption : gone)
        {
            if (known != null)
            {
                known.remove(consumption);
            }
            router.consumeBridged(consumption.proxyId(), consumption.queue(), false);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // forgetting

    /**
     * The link went down: its items are redelivered by the peer (it removed the proxies), so their acks are moot: the
     * entries go, and the acks still waiting for that link are dropped (counted).
     */
    void onLinkDown(final PeerLink link)
    {
        announced.remove(link); // its proxies are removed, and with them their consumers
        unconfirmed.remove(link);
        final int linkIndex = links.indexOf(link);
        for (int i = 0; i < pendingSize; i++)
        {
            final int at = (pendingHead + i) % MAX_PENDING_ACKS;
            if (pendingLink[at] == linkIndex)
            {
                pendingLink[at] = NO_LINK; // not sent into the link's next incarnation: counted as not forwarded
            }
        }
        final Long2LongHashMap.EntryIterator it = originLink.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (it.getLongValue() == linkIndex)
            {
                originConsumer.remove(it.getLongKey());
                it.remove();
            }
        }
    }

    @Override
    public void onRegistered(final AgentRecord agent)
    {
    }

    /**
     * A local consumer left: the peers redeliver what it held (its proxies go), so its entries go too. A peer's agent
     * left: its consumers are forgotten.
     */
    @Override
    public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
    {
        final long agentId = agent.agentId();
        if (proxiesByLocalId.containsKey(agentId))
        {
            for (final Set<Consumption> consumptions : announced.values())
            {
                consumptions.removeIf(c -> c.proxyId() == agentId);
            }
            return;
        }
        if (originConsumer.isEmpty())
        {
            return;
        }
        final Long2LongHashMap.EntryIterator it = originConsumer.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (it.getLongValue() == agentId)
            {
                originLink.remove(it.getLongKey());
                it.remove();
            }
        }
    }

    /** @return items of peers delivered here whose ack is awaited (for tests and diagnostics). */
    int remembered()
    {
        return originLink.size();
    }
}
