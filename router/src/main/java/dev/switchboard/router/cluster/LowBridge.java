package dev.switchboard.router.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.BridgeLimits;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.LowConfirmDecoder;
import dev.switchboard.codecs.sbe.LowConfirmEncoder;
import dev.switchboard.codecs.sbe.LowShipDecoder;
import dev.switchboard.codecs.sbe.LowShipEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.durable.DurableForwarder;
import dev.switchboard.ipc.durable.DurableOrigins;
import dev.switchboard.ipc.durable.DurableOutbox;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.Router;
import dev.switchboard.transport.OfferStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * LOW to an agent on another host: store and forward between the durable queues of the two hosts, the way
 * Chronicle's queue replication does it.
 *
 * <ol>
 *   <li><b>Sender's host.</b> A sender appends to the queue of the receiver's name on its own host, as for a local
 *       receiver; {@code OK} means the frame is durable <em>there</em>. This router tails that queue
 *       ({@link DurableForwarder}: its confirmed index persists in the queue's metadata) and ships each frame, in
 *       queue order, with its index and the index shipped before it ({@code LowShip}, template 46), to the peer
 *       router the agent lives on.</li>
 *   <li><b>Receiver's host.</b> That router appends the frame to the queue of the name on its host as an origin
 *       record ({@link DurableOutbox#appendWithOrigin}: the source index is in the same Chronicle document), unless
 *       that index of that origin is already there, signals the agent as a local sender would, and confirms the
 *       last index appended ({@code LowConfirm}, template 47). The applied index is recovered from the queue
 *       ({@link DurableOrigins#lastOriginIndex}) after a start, so a kill -9 between append and confirmation
 *       does not append the frame twice.</li>
 *   <li><b>Confirmed.</b> Only a confirmed frame counts as delivered ({@code LOW_BRIDGE_CONFIRMED}); an unconfirmed one
 *       is shipped again after {@value #RESEND_MS} ms, when the peer's link comes back, or when the agent moves.</li>
 * </ol>
 * Guarantee: every LOW frame appended with {@code OK} on the sender's host is appended exactly once to the
 * receiver's queue on its host, in queue order (so in per-sender order), across kill -9 of either router, as long
 * as the queues' files survive (page cache: a power loss can lose what Chronicle did not write back). From there the
 * agent reads it as any LOW frame ({@code DurableInbox}'s guarantee).
 *
 * <p>Thread-safety: the router's thread (the bridge's duty cycle). Allocation: shipping none once the forwarder is
 * open; receiving a shipment or a confirmation decodes the name into a {@code String} (one allocation per message,
 * on the durable tier that also writes a file record) and opening queues allocates.
 */
final class LowBridge implements AutoCloseable, RegistryListener
{
    /** Unconfirmed frames are shipped again after this long without a confirmation. */
    static final long RESEND_MS = 1_000;
    /** Status of a confirmation: applied, or already there. */
    static final short CONFIRM_OK = 0;
    /** Status of a confirmation: a frame came whose predecessor is not here; ship again after the applied index. */
    static final short CONFIRM_GAP = 1;
    /** Status of a confirmation: the append failed here; ship again later. */
    static final short CONFIRM_FAILED = 2;

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int SHIP_LIMIT = 64;
    private static final long OPEN_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long OPEN_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(LowBridge.class.getName());

    private final Router router;
    private final DurableQueues queues;
    private final CounterBlock counters;
    private final DurableOutbox outbox;
    private final long resendNs = TimeUnit.MILLISECONDS.toNanos(RESEND_MS);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final LowShipEncoder shipEncoder = new LowShipEncoder();
    private final LowShipDecoder shipDecoder = new LowShipDecoder();
    private final LowConfirmEncoder confirmEncoder = new LowConfirmEncoder();
    private final LowConfirmDecoder confirmDecoder = new LowConfirmDecoder();
    /** Sending side: one per remote agent that declares LOW, by its name. */
    private final HashMap<String, Outgoing> outgoing = new HashMap<>();
    private final Long2ObjectHashMap<Outgoing> outgoingByLocalId = new Long2ObjectHashMap<>();
    private final List<Outgoing> outgoingList = new ArrayList<>();
    /** Receiving side: the last origin index appended here, by origin and name. */
    private final HashMap<String, long[]> applied = new HashMap<>();
    /** Receiving side: local agents' inboxes, to signal an append, by name. */
    private final HashMap<String, InboxFile> signals = new HashMap<>();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final DurableForwarder.Shipper shipper = this::ship;
    private Outgoing shipping;
    private long nowNs;

    LowBridge(final Router router, final DurableQueues queues, final CounterBlock counters)
    {
        this.router = router;
        this.queues = queues.conclude();
        this.counters = counters;
        this.outbox = new DurableOutbox(queues, e -> LOG.log(System.Logger.Level.WARNING, e.getMessage()));
    }

    // ---------------------------------------------------------------------------------------------------
    // sending side

    /** A peer's agent that declares LOW is registered here (proxy {@code localAgentId}). */
    void onRemoteAgent(final long localAgentId, final String name, final PeerLink link)
    {
        Outgoing out = outgoing.get(name);
        if (out == null)
        {
            out = new Outgoing(name);
            outgoing.put(name, out);
            outgoingList.add(out);
        }
        else
        {
            outgoingByLocalId.remove(out.localAgentId);
            if (out.forwarder != null)
            {
                out.forwarder.rewind(); // it came back, maybe on another peer: everything unconfirmed goes again
            }
        }
        out.link = link;
        out.localAgentId = localAgentId;
        outgoingByLocalId.put(localAgentId, out);
    }

    /** A peer's agent left (or its router went down): stop shipping its queue (it stays on disk). */
    void onRemoteAgentGone(final long localAgentId)
    {
        final Outgoing out = outgoingByLocalId.remove(localAgentId);
        if (out != null && out.localAgentId == localAgentId)
        {
            outgoing.remove(out.name);
            outgoingList.remove(out);
            CloseHelper.quietClose(out.forwarder);
        }
    }

    /**
     * Ship what the queues of remote agents hold, within each one's window, and resend what stays unconfirmed.
     *
     * @param now the time.
     * @return work done.
     */
    int doWork(final long now)
    {
        nowNs = now;
        int work = 0;
        for (int i = 0, n = outgoingList.size(); i < n; i++)
        {
            final Outgoing out = outgoingList.get(i);
            if (out.link == null || !out.link.isUp())
            {
                continue;
            }
            DurableForwarder forwarder = out.forwarder;
            if (forwarder == null)
            {
                if (now - out.nextOpenCheckNs < 0)
                {
                    continue;
                }
                out.nextOpenCheckNs = now + OPEN_CHECK_NS;
                if (!Files.isDirectory(queues.queuePath(out.name), LinkOption.NOFOLLOW_LINKS))
                {
                    continue; // nothing was ever sent to it from this host
                }
                try
                {
                    forwarder = new DurableForwarder(queues, out.name, BridgeLimits.MAX_LOW_FRAME_LENGTH, resendNs,
                        now, e ->
                        {
                            counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_FAILED));
                            LOG.log(System.Logger.Level.WARNING, e.getMessage());
                        });
                }
                catch (final RuntimeException e)
                {
                    out.nextOpenCheckNs = now + OPEN_RETRY_NS;
                    counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_FAILED));
                    LOG.log(System.Logger.Level.WARNING, "LOW to '" + out.name + "' on " + out.link.endpoint() +
                        ": " + e.getMessage());
                    continue;
                }
                out.forwarder = forwarder;
            }
            forwarder.tick(now);
            shipping = out;
            work += forwarder.poll(shipper, SHIP_LIMIT, now);
            shipping = null;
            final long resent = forwarder.resentCount();
            if (resent != out.resentReported)
            {
                counters.add(CounterIds.of(RouterCounter.LOW_BRIDGE_RESENT), resent - out.resentReported);
                out.resentReported = resent;
            }
        }
        return work;
    }

    private int ship(final long prevIndex, final long index, final DirectBuffer frame, final int offset, final int length)
    {
        final Outgoing out = shipping;
        final PeerLink link = out.link;
        final UnsafeBuffer buffer = link.sendBuffer();
        shipEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sourceIndex(index)
            .prevIndex(prevIndex)
            .putName(out.nameBytes, 0, out.nameBytes.length)
            .putFrame(frame, offset, length);
        final int status = link.sendSigned(HEADER + shipEncoder.encodedLength());
        if (status == OfferStatus.OK)
        {
            counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_SHIPPED));
        }
        return status;
    }

    /** A confirmation from the peer the agent lives on. */
    void onConfirm(final PeerLink link, final DirectBuffer buffer, final int length)
    {
        final long appliedIndex;
        final short status;
        final String name;
        try
        {
            confirmDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
            appliedIndex = confirmDecoder.appliedIndex();
            status = confirmDecoder.status();
            name = confirmDecoder.name();
        }
        catch (final RuntimeException e)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        if (confirmDecoder.limit() > length)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        final Outgoing out = outgoing.get(name);
        if (out == null || out.link != link || out.forwarder == null)
        {
            return; // the agent left or moved meanwhile: its forwarder resumes from the persisted confirmed index
        }
        final int confirmed = out.forwarder.onConfirmed(
            appliedIndex, status == CONFIRM_GAP, status == CONFIRM_FAILED, nowNs);
        if (confirmed > 0)
        {
            counters.add(CounterIds.of(RouterCounter.LOW_BRIDGE_CONFIRMED), confirmed);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // receiving side

    /** A LOW frame a peer shipped for an agent of this host's name. */
    void onShip(final PeerLink link, final UnsafeBuffer buffer, final int length)
    {
        final long sourceIndex;
        final long prevIndex;
        final String name;
        final int frameLength;
        final int frameAt;
        try
        {
            shipDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
            sourceIndex = shipDecoder.sourceIndex();
            prevIndex = shipDecoder.prevIndex();
            name = shipDecoder.name();
            frameLength = shipDecoder.frameLength();
            frameAt = shipDecoder.limit() + LowShipDecoder.frameHeaderLength();
        }
        catch (final RuntimeException e)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        if (frameAt + frameLength > length || sourceIndex <= 0 || name.isEmpty())
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return;
        }
        final long originId = originId(link.endpoint());
        final String key = Long.toHexString(originId) + '/' + name;
        long[] last = applied.get(key);
        if (last == null)
        {
            try
            {
                last = new long[] {DurableOrigins.lastOriginIndex(queues, name, originId)};
            }
            catch (final RuntimeException e)
            {
                counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_FAILED));
                LOG.log(System.Logger.Level.WARNING, "LOW from " + link.endpoint() + " for '" + name + "': " +
                    e.getMessage());
                confirm(link, name, 0, CONFIRM_FAILED);
                return;
            }
            applied.put(key, last);
        }
        if (sourceIndex <= last[0])
        {
            counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_DUPLICATES));
            confirm(link, name, last[0], CONFIRM_OK);
            return;
        }
        if (last[0] != DurableOrigins.NONE && prevIndex > last[0])
        {
            confirm(link, name, last[0], CONFIRM_GAP);
            return;
        }
        final AgentRecord receiver = localAgent(name);
        rewriteEnvelope(link, buffer, frameAt, frameLength, receiver);
        frameView.wrap(buffer, frameAt, frameLength);
        final int status = outbox.appendWithOrigin(name, frameView, 0, frameLength, originId, sourceIndex);
        if (status != OfferStatus.OK)
        {
            counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_FAILED));
            confirm(link, name, last[0], CONFIRM_FAILED);
            return;
        }
        last[0] = sourceIndex;
        counters.increment(CounterIds.of(RouterCounter.LOW_BRIDGE_APPENDED));
        signal(name, receiver);
        confirm(link, name, sourceIndex, CONFIRM_OK);
    }

    private void confirm(final PeerLink link, final String name, final long appliedIndex, final short status)
    {
        confirmEncoder.wrapAndApplyHeader(link.sendBuffer(), 0, headerEncoder)
            .appliedIndex(appliedIndex)
            .status(status)
            .name(name);
        // Not sent (back-pressure, link down): the peer ships again after its resend time and gets it then.
        link.sendSigned(HEADER + confirmEncoder.encodedLength());
    }

    /**
     * The Envelope's ids are the sender router's: its source becomes the sender's proxy here (0 when the sender is no
     * longer known here: a LOW frame outlives its sender), its target the receiver's id here when it is registered
     * (ids are per router and per registration; the queue's name is what addresses a LOW frame).
     */
    private void rewriteEnvelope(final PeerLink link, final UnsafeBuffer buffer, final int frameAt, final int frameLength,
        final AgentRecord receiver)
    {
        if (frameLength < HEADER + EnvelopeEncoder.BLOCK_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(buffer, frameAt);
        if (headerDecoder.templateId() != EnvelopeEncoder.TEMPLATE_ID ||
            headerDecoder.schemaId() != EnvelopeEncoder.SCHEMA_ID)
        {
            return;
        }
        final int sourceAt = frameAt + HEADER + EnvelopeEncoder.sourceAgentIdEncodingOffset();
        final RemoteAgentSession sender = link.proxies().get(buffer.getLong(sourceAt));
        buffer.putLong(sourceAt, sender == null ? 0 : sender.localAgentId());
        if (receiver != null)
        {
            buffer.putLong(frameAt + HEADER + EnvelopeEncoder.targetIdEncodingOffset(), receiver.agentId());
        }
    }

    /** The agent of that name registered here (a peer's proxy included), or null. */
    private AgentRecord localAgent(final String name)
    {
        return router.agentByName(name);
    }

    /** Wake the local agent of that name, as a local LOW sender does after an append. */
    private void signal(final String name, final AgentRecord receiver)
    {
        InboxFile inbox = signals.get(name);
        if (inbox == null)
        {
            if (receiver == null || receiver.inbox() == null || receiver.inbox().isEmpty())
            {
                return; // not here now: its LOW inbox opens its existing queue when it registers
            }
            try
            {
                inbox = InboxFile.open(Path.of(receiver.inbox()));
            }
            catch (final RuntimeException e)
            {
                return; // its LOW inbox also looks for an appeared queue on its own
            }
            signals.put(name, inbox);
        }
        inbox.signal(InboxDescriptor.DURABLE_SIGNAL_OFFSET);
    }

    @Override
    public void onRegistered(final AgentRecord agent)
    {
    }

    @Override
    public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
    {
        final InboxFile inbox = signals.remove(agent.name());
        if (inbox != null)
        {
            CloseHelper.quietClose(inbox);
        }
    }

    /** A stable 64-bit id of a peer router, from its cluster endpoint (FNV-1a; never 0). */
    static long originId(final String endpoint)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : endpoint.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }

    @Override
    public void close()
    {
        for (final Outgoing out : outgoingList)
        {
            CloseHelper.quietClose(out.forwarder);
        }
        for (final InboxFile inbox : signals.values())
        {
            CloseHelper.quietClose(inbox);
        }
        CloseHelper.quietClose(outbox);
    }

    /** The queue of one remote agent's name on this host, and where it goes. */
    private static final class Outgoing
    {
        final String name;
        final byte[] nameBytes;
        PeerLink link;
        long localAgentId;
        DurableForwarder forwarder;
        long nextOpenCheckNs;
        long resentReported;

        Outgoing(final String name)
        {
            this.name = name;
            this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        }
    }
}
