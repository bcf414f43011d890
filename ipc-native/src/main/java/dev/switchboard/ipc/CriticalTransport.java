package dev.switchboard.ipc;

import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;

import java.nio.file.Path;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.ipc.shm.StuckRecordDetector;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.MessageHandler;

/**
 * CRITICAL: every agent owns a shared-memory inbox; a sender writes straight into the receiver's inbox
 * (no router thread, no system call unless the receiver is parked). The first message to an agent maps its
 * inbox file, found through a registry lookup; later messages are one ring claim and one copy, or no copy
 * at all with {@link #tryClaim} (BATCH: the sender writes its payload in place in the receiver's inbox). Frames for
 * the router (publish, multicast, broadcast, work items) go over the control socket.
 *
 * <p>A receiver registered without an inbox (its own CRITICAL fell back to NORMAL, e.g. because its
 * {@code /dev/shm} was full) is sent to through the router over the control socket, as NORMAL: the registry
 * says so with an empty inbox path. A receiver whose inbox path is outside this agent's shm dir, not ours, or not
 * an inbox is {@code NOT_CONNECTED}.
 *
 * <p>Thread-safety: the agent's thread. Allocation: none per message once a destination is mapped.
 */
final class CriticalTransport implements Transport
{
    private final InboxFile own;
    private final Transport toRouter;
    private final Long2ObjectHashMap<InboxFile> peers = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<FrameClaim.Committer> committers = new Long2ObjectHashMap<>();
    /** Receivers registered without an inbox: sent to over the control socket. */
    private final LongHashSet withoutInbox = new LongHashSet();
    private final TransportCapabilities capabilities;
    private final StuckRecordDetector stuckRecords;
    private final CounterBlock counters;
    private long corruptRecordsCounted;
    private long discardedBytesCounted;

    CriticalTransport(final InboxFile own, final Transport toRouter, final long unblockTimeoutNs,
        final CounterBlock counters)
    {
        this.own = own;
        this.toRouter = toRouter;
        this.stuckRecords = new StuckRecordDetector(own.ring(), unblockTimeoutNs);
        this.counters = counters;
        this.capabilities = new TransportCapabilities(Tier.CRITICAL, own.ring().maxMessageLength(), true, false, true);
    }

    InboxFile inbox()
    {
        return own;
    }

    boolean knows(final long agentId)
    {
        return peers.containsKey(agentId) || withoutInbox.contains(agentId);
    }

    void learn(final long agentId, final String inboxPath)
    {
        if (peers.containsKey(agentId))
        {
            return;
        }
        if (inboxPath == null || inboxPath.isEmpty())
        {
            withoutInbox.add(agentId);
            return;
        }
        try
        {
            // The registry's path must name a file in our own shm dir (refusals are counted as OUTSIDE_ROOT).
            final Path path = OwnedFiles.requireInside(own.path().getParent(), Path.of(inboxPath));
            final InboxFile inbox = InboxFile.open(path);
            peers.put(agentId, inbox);
            committers.put(agentId, new FrameClaim.Committer()
            {
                @Override
                public void commit(final int index)
                {
                    inbox.ring().commit(index);
                    inbox.afterOffer(OfferStatus.OK);
                }

                @Override
                public void abort(final int index)
                {
                    inbox.ring().abort(index);
                }
            });
        }
        catch (final RuntimeException | RefusedFileException e)
        {
            // Not reachable directly (gone, not an inbox, not ours, outside the shm dir): the offer reports NOT_CONNECTED.
        }
    }

    @Override
    public TransportCapabilities capabilities()
    {
        return capabilities;
    }

    @Override
    public void open()
    {
    }

    @Override
    public int offer(
        final long destination,
        final DirectBuffer header,
        final int headerOffset,
        final int headerLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (destination == ROUTER)
        {
            return toRouter.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }
        final InboxFile inbox = peers.get(destination);
        if (inbox == null)
        {
            if (withoutInbox.contains(destination))
            {
                final int status =
                    toRouter.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
                if (status == OfferStatus.NOT_CONNECTED)
                {
                    withoutInbox.remove(destination);
                }
                return status;
            }
            return OfferStatus.NOT_CONNECTED;
        }
        final int status = inbox.offer(
            Tier.CRITICAL.typeId(), header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        if (status == OfferStatus.NOT_CONNECTED)
        {
            forget(destination, inbox);
        }
        return status;
    }

    @Override
    public int tryClaim(final long destination, final int frameLength, final FrameClaim claim)
    {
        final InboxFile inbox = peers.get(destination);
        if (inbox == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (!inbox.isOpen())
        {
            forget(destination, inbox);
            return OfferStatus.NOT_CONNECTED;
        }
        // Marked BATCH so that the receiver's Message.tier() says how it travelled: claimed in place.
        final int index = inbox.ring().tryClaim(Tier.BATCH.typeId(), frameLength);
        if (index < 0)
        {
            return index;
        }
        claim.wrap(inbox.ring().buffer(), index, frameLength, committers.get(destination));
        return OfferStatus.OK;
    }

    private void forget(final long destination, final InboxFile inbox)
    {
        peers.remove(destination);
        committers.remove(destination);
        inbox.close();
    }

    @Override
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        final ManyToOneRing ring = own.ring();
        final int n = ring.read(handler, fragmentLimit);
        if (ring.corruptRecordCount() != corruptRecordsCounted)
        {
            onCorruption(ring);
        }
        // A sender killed between claim and commit leaves a record that would stop this inbox for ever.
        if (0 == n && stuckRecords.onEmptyRead())
        {
            counters.increment(CounterIds.of(RouterCounter.INBOX_RECORDS_UNBLOCKED));
            System.err.println("switchboard: WARNING unblocked a CRITICAL inbox record claimed but never committed " +
                "for " + stuckRecords.timeoutNs() / 1_000_000 + " ms (its sender died mid-write?): " + own.path());
        }
        return n;
    }

    /**
     * A sender wrote a record no sender following the protocol writes, and the ring discarded its contents up to the
     * tail (see {@link ManyToOneRing}): count it in this agent's counters and say so once per occurrence, naming the
     * inbox, since messages senders were told were delivered may have been discarded with it.
     */
    private void onCorruption(final ManyToOneRing ring)
    {
        final long records = ring.corruptRecordCount() - corruptRecordsCounted;
        final long bytes = ring.discardedByteCount() - discardedBytesCounted;
        corruptRecordsCounted = ring.corruptRecordCount();
        discardedBytesCounted = ring.discardedByteCount();
        counters.add(CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS), records);
        counters.add(CounterIds.of(RouterCounter.INBOX_DISCARDED_BYTES), bytes);
        System.err.println("switchboard: ERROR inbox " + own.path() + " held " + records + " corrupt record(s) " +
            "(a length no sender writes); discarded " + bytes + " byte(s) up to the tail and carried on " +
            "(counter '" + RouterCounter.INBOX_CORRUPT_RECORDS.label() + "')");
    }

    @Override
    public void close()
    {
        for (final InboxFile peer : peers.values())
        {
            peer.close();
        }
        peers.clear();
        own.close();
    }
}
