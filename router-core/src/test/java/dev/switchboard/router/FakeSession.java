package dev.switchboard.router;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link Session} for the unit tests of the router's parts: records what the router delivers and sends, answers
 * with the statuses a test sets, and decodes the control frames it was sent.
 */
final class FakeSession implements Session
{
    final int id;
    final List<byte[]> delivered = new ArrayList<>();
    final List<byte[]> control = new ArrayList<>();
    int deliverStatus = OfferStatus.OK;
    int controlStatus = OfferStatus.OK;
    boolean open = true;
    boolean closesInBand;
    boolean closeAfterFlush;
    boolean wakeable;
    boolean refusesInbox;
    int wakes;
    long heartbeat = NO_HEARTBEAT;
    int maxControlLength = 64 * 1024;
    PeerCredentials peer = PeerCredentials.IN_PROCESS;
    long boundAgentId;
    long unboundAgentId;

    FakeSession(final int id)
    {
        this.id = id;
    }

    FakeSession peer(final PeerCredentials peer)
    {
        this.peer = peer;
        return this;
    }

    @Override
    public int sessionId()
    {
        return id;
    }

    @Override
    public Tier tier()
    {
        return Tier.NORMAL;
    }

    @Override
    public int tiers()
    {
        return 0xFF;
    }

    @Override
    public int deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        if (deliverStatus == OfferStatus.OK)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            delivered.add(copy);
        }
        return deliverStatus;
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (controlStatus == OfferStatus.OK)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            control.add(copy);
        }
        return controlStatus;
    }

    @Override
    public int maxControlLength()
    {
        return maxControlLength;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public boolean closesInBand()
    {
        return closesInBand;
    }

    @Override
    public long heartbeat()
    {
        return heartbeat;
    }

    @Override
    public PeerCredentials peer()
    {
        return peer;
    }

    @Override
    public void closeAfterFlush()
    {
        closeAfterFlush = true;
    }

    @Override
    public boolean wake()
    {
        wakes++;
        return wakeable;
    }

    @Override
    public String acceptInbox(final String requestedInbox)
    {
        return refusesInbox ? null : requestedInbox;
    }

    @Override
    public void onAgentBound(final long agentId, final String name)
    {
        boundAgentId = agentId;
    }

    @Override
    public void onAgentUnbound(final long agentId)
    {
        unboundAgentId = agentId;
    }

    /**
     * @return the template ids of the control frames sent, in order.
     */
    List<Integer> controlTemplates()
    {
        final List<Integer> ids = new ArrayList<>();
        for (final byte[] frame : control)
        {
            ids.add(new MessageHeaderDecoder().wrap(new UnsafeBuffer(frame), 0).templateId());
        }
        return ids;
    }

    /**
     * @param i which control frame.
     * @return it, as a buffer positioned at its SBE header.
     */
    UnsafeBuffer frame(final int i)
    {
        return new UnsafeBuffer(control.get(i));
    }

    /**
     * @param i which control frame.
     * @return it, decoded as an Error.
     */
    ErrorDecoder error(final int i)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(control.get(i));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        if (header.templateId() != ErrorDecoder.TEMPLATE_ID)
        {
            throw new AssertionError("control frame " + i + " is template " + header.templateId() + ", not an Error");
        }
        return new ErrorDecoder()
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    /**
     * @return the last control frame, decoded as an Error.
     */
    ErrorDecoder lastError()
    {
        return error(control.size() - 1);
    }

    /**
     * @param i which control frame.
     * @return it, decoded as an Ack.
     */
    AckDecoder ack(final int i)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(control.get(i));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        if (header.templateId() != AckDecoder.TEMPLATE_ID)
        {
            throw new AssertionError("control frame " + i + " is template " + header.templateId() + ", not an Ack");
        }
        return new AckDecoder()
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }
}
