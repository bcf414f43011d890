/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.lang.foreign.Arena;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A {@link BenchEndpoint} over Switchboard's public client API: {@link SwitchboardClient#send(long, Priority,
 * DirectBuffer, int, int)} to the peer's agent id on one priority, {@link SwitchboardClient#poll} to receive. The
 * responder learns its peer from the first message's source. Also records which tiers messages arrived on
 * ({@link Message#tier()}), so a fallback shows in the report.
 *
 * <p>Allocation: none per message (one off-heap send buffer, this object is the handler).
 */
final class SwitchboardEndpoint implements BenchEndpoint, MessageHandler
{
    private final SwitchboardClient client;
    private final Priority priority;
    private final SegmentBuffer sendBuffer;
    private final AutoCloseable onClose;
    private final boolean yieldWhenIdle;
    private final Set<Tier> tiersSeen = EnumSet.noneOf(Tier.class);
    private long peerId;
    private Inbound inbound;
    private int delivered;

    SwitchboardEndpoint(
        final SwitchboardClient client, final Priority priority, final long peerId, final int maxPayloadLength,
        final AutoCloseable onClose, final boolean yieldWhenIdle)
    {
        this.yieldWhenIdle = yieldWhenIdle;
        this.client = client;
        this.priority = priority;
        this.peerId = peerId;
        this.onClose = onClose;
        this.sendBuffer = SegmentBuffer.allocate(Arena.ofAuto(), Math.max(maxPayloadLength, Payload.MIN_LENGTH));
    }

    @Override
    public boolean offer(final long stamp, final long seq, final int kind, final int length)
    {
        if (peerId == 0)
        {
            return false;
        }
        sendBuffer.putLong(Payload.STAMP_OFFSET, stamp);
        sendBuffer.putLong(Payload.SEQ_OFFSET, seq);
        sendBuffer.putInt(Payload.KIND_OFFSET, kind);
        final int status = client.send(peerId, priority, sendBuffer, 0, length);
        if (status == OfferStatus.OK)
        {
            return true;
        }
        if (status == OfferStatus.BACK_PRESSURED)
        {
            return false;
        }
        throw new IllegalStateException("send on " + priority + " to agent " + peerId + " returned " +
            OfferStatus.name(status));
    }

    @Override
    public int poll(final Inbound handler)
    {
        inbound = handler;
        delivered = 0;
        client.poll(this);
        if (delivered == 0 && yieldWhenIdle)
        {
            // The router is on this tier's path: give it the CPU if it is waiting for one (see SwitchboardTierCase).
            Thread.yield();
        }
        return delivered;
    }

    @Override
    public void onMessage(final Message message)
    {
        if (peerId == 0)
        {
            peerId = message.sourceAgentId();
        }
        if (!tiersSeen.contains(message.tier()))
        {
            tiersSeen.add(message.tier());
        }
        final DirectBuffer b = message.buffer();
        final int at = message.payloadOffset();
        delivered++;
        inbound.onMessage(b.getLong(at + Payload.STAMP_OFFSET), b.getLong(at + Payload.SEQ_OFFSET),
            b.getInt(at + Payload.KIND_OFFSET));
    }

    @Override
    public List<String> notes()
    {
        return List.of(client.name() + " sent on " + priority + " (tier " + client.tierFor(priority) +
            ") and received on tier " + tiersSeen + (yieldWhenIdle ? "; yields the CPU when a poll finds nothing" : ""));
    }

    @Override
    public void close()
    {
        try
        {
            client.close();
        }
        catch (final RuntimeException ignored)
        {
            // closing a benchmark endpoint must not hide the result
        }
        if (onClose != null)
        {
            try
            {
                onClose.close();
            }
            catch (final Exception ignored)
            {
                // as above
            }
        }
    }
}
