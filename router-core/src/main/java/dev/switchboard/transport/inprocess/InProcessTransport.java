package dev.switchboard.transport.inprocess;

import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.FixedTransport;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * The in-process tier: agents as threads of one JVM. A point-to-point frame is written straight into
 * the receiver's inbox ring (one copy, no router thread on the path); a frame for the router goes into
 * its MPSC ingress.
 *
 * <p>Thread-safety: offer and poll from the owning agent's thread. Allocation: none. Locks: none.
 */
public final class InProcessTransport extends FixedTransport
{
    private final InProcessConnection connection;
    private volatile boolean closed;

    InProcessTransport(final InProcessConnection connection)
    {
        super(new TransportCapabilities(
            Tier.IN_PROCESS, connection.inbox().maxMessageLength(), true, false, false));
        this.connection = connection;
    }


    @Override
    public int offer(final long destination, final DirectBuffer header, final int headerOffset, final int headerLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        if (destination == ROUTER)
        {
            return connection.hub().router().ingress().offer(
                connection.sessionId(), header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }
        final InProcessConnection target = connection.hub().lookup(destination);
        if (target == null || target.isClosed())
        {
            return OfferStatus.NOT_CONNECTED;
        }
        return target.inbox().offer(
            Tier.IN_PROCESS.typeId(), header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
    }

    @Override
    public int tryClaim(final long destination, final int frameLength, final FrameClaim claim)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        final InProcessConnection target = connection.hub().lookup(destination);
        if (target == null || target.isClosed())
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int index = target.inbox().tryClaim(Tier.IN_PROCESS.typeId(), frameLength);
        if (index < 0)
        {
            return index;
        }
        claim.wrap(target.inbox().buffer(), index, frameLength, target.inboxCommitter());
        return OfferStatus.OK;
    }

    @Override
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        return connection.inbox().read(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
