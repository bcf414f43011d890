package dev.switchboard.ipc;

import dev.switchboard.ipc.durable.DurableInbox;
import dev.switchboard.ipc.durable.DurableOutbox;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.MessageHandler;

/**
 * LOW: durable delivery. A point-to-point frame is appended to the destination's Chronicle queue (named by
 * the destination agent's name, stable across restarts); the agent reads its own queue with a named tailer
 * whose position persists, so a frame survives a crash of either side and of the router (see
 * {@link DurableInbox} for the exact guarantee). Frames for the router go over the control socket.
 *
 * <p>When Chronicle cannot run in this JVM (it needs the flags in {@link DurableQueues#JVM_FLAGS}), LOW has no
 * fallback, since durability cannot be faked: offers return {@link OfferStatus#NOT_CONNECTED}, and the first one
 * prints the reason once.
 *
 * <p>Thread-safety: the agent's thread. Allocation: none per frame once warm (Chronicle's appender).
 */
final class LowTransport implements Transport
{
    private final Transport toRouter;
    private final DurableQueues queues;
    private final DurableOutbox outbox;
    private final String unavailableReason;
    private final Long2ObjectHashMap<String> names = new Long2ObjectHashMap<>();
    private final TransportCapabilities capabilities;
    private DurableInbox inbox;
    private boolean warned;

    LowTransport(final IpcContext ctx, final Transport toRouter)
    {
        this.toRouter = toRouter;
        this.unavailableReason = ctx.isDisabled("LOW") ? "disabled by switchboard.tiers.disable" :
            DurableQueues.unavailableReason();
        if (unavailableReason == null)
        {
            this.queues = new DurableQueues(ctx.dataDir()).conclude();
            this.outbox = new DurableOutbox(queues, Throwable::printStackTrace);
        }
        else
        {
            this.queues = null;
            this.outbox = null;
        }
        this.capabilities = new TransportCapabilities(
            Tier.LOW, queues == null ? 0 : queues.maxFrameLength(), true, true, true);
    }

    boolean isAvailable()
    {
        return unavailableReason == null;
    }

    void onRegistered(final String ownName)
    {
        if (queues != null && inbox == null)
        {
            inbox = new DurableInbox(queues, ownName, "inbox", Throwable::printStackTrace);
        }
    }

    boolean knows(final long agentId)
    {
        return names.containsKey(agentId);
    }

    void learn(final long agentId, final String name)
    {
        names.put(agentId, name);
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
        if (outbox == null)
        {
            if (!warned)
            {
                warned = true;
                System.err.println("switchboard: WARNING LOW tier unavailable (no fallback: durability cannot be " +
                    "faked): " + unavailableReason);
            }
            return OfferStatus.NOT_CONNECTED;
        }
        if (destination == ROUTER)
        {
            return toRouter.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }
        final String name = names.get(destination);
        if (name == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        return outbox.append(name, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
    }

    @Override
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        return inbox == null ? 0 : inbox.poll(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        if (inbox != null)
        {
            inbox.close();
        }
        if (outbox != null)
        {
            outbox.close();
        }
    }
}
