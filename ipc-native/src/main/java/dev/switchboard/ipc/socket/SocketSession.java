package dev.switchboard.ipc.socket;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;

import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.router.Session;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * The router's side of one agent process connected over the control socket. Frames the agent sends are
 * read by the {@link SocketServer}'s thread and enter the router's ingress; frames for the agent leave the
 * router thread through an outbound ring that the server thread writes to the socket, so each socket has one
 * writer and the router thread never blocks on it.
 *
 * <p>Routed frames go out on the tier their priority asks for, when the agent has it: CRITICAL and BATCH
 * into the agent's shared-memory inbox, HIGH over its io_uring link, LOW into its durable queue, otherwise
 * NORMAL on this socket.
 *
 * <p>Thread-safety: {@link #deliver}, {@link #sendControl} and the bind callbacks on the router thread;
 * socket I/O on the server thread. Allocation: none per frame.
 */
final class SocketSession implements Session
{
    private static final int PRIORITY_OFFSET =
        MessageHeaderEncoder.ENCODED_LENGTH + EnvelopeEncoder.priorityEncodingOffset();
    private static final int TEMPLATE_OFFSET = 2;
    /** Frames for one agent are gathered into writes of up to this many bytes: one system call, many frames. */
    private static final int BATCH_BYTES = 64 * 1024;

    private final int sessionId;
    private final FrameChannel frames;
    private final ManyToOneRing outbound;
    private final TierLinks links;
    private final DrainHandler drainHandler = new DrainHandler();
    private final PeerCredentials peer;
    private volatile boolean open = true;
    /** Set by the router thread when authentication refused the connection; the server thread closes it. */
    private volatile boolean closeRequested;
    private volatile long agentId;
    private volatile String name;

    SocketSession(
        final int sessionId,
        final FrameChannel frames,
        final int outboundCapacity,
        final TierLinks links,
        final PeerCredentials peer)
    {
        this.peer = peer;
        this.sessionId = sessionId;
        this.frames = frames;
        this.outbound = ManyToOneRing.create(
            Arena.ofAuto().allocate(ManyToOneRing.requiredSize(outboundCapacity), 128));
        this.links = links;
    }

    FrameChannel frames()
    {
        return frames;
    }

    TierLinks links()
    {
        return links;
    }

    long agentId()
    {
        return agentId;
    }

    @Override
    public int sessionId()
    {
        return sessionId;
    }

    @Override
    public Tier tier()
    {
        return Tier.NORMAL;
    }

    @Override
    public int tiers()
    {
        return links.tiers();
    }

    @Override
    public int deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int priority = buffer.getByte(offset + PRIORITY_OFFSET) & 0xFF;
        if (priority != Priority.NORMAL.value())
        {
            final int status = links.deliver(priority, buffer, offset, length);
            if (status != TierLinks.NO_LINK)
            {
                return status;
            }
        }
        return outbound.offer(Tier.NORMAL.typeId(), buffer, offset, length);
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        return open ? outbound.offer(Tier.NORMAL.typeId(), buffer, offset, length) : OfferStatus.NOT_CONNECTED;
    }

    @Override
    public int maxControlLength()
    {
        return Math.min(outbound.maxMessageLength(), frames.maxFrameLength());
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public PeerCredentials peer()
    {
        return peer;
    }

    @Override
    public void closeAfterFlush()
    {
        closeRequested = true;
    }

    /**
     * @return true once the router asked for this connection to be closed and everything queued for it is written.
     */
    boolean isCloseDue()
    {
        return closeRequested && outbound.size() == 0;
    }

    @Override
    public boolean closesInBand()
    {
        return true;
    }

    @Override
    public String acceptInbox(final String requestedInbox)
    {
        return links.acceptInbox(requestedInbox);
    }

    @Override
    public boolean wake()
    {
        return links.wake();
    }

    @Override
    public void onAgentBound(final long id, final String agentName)
    {
        agentId = id;
        name = agentName;
        links.onAgentBound(id, agentName);
    }

    @Override
    public void onAgentUnbound(final long id)
    {
        links.onAgentUnbound(id);
        agentId = 0;
    }

    /**
     * Server thread: write what the router queued for this agent, as far as the socket takes it.
     *
     * @return frames written.
     */
    int drain()
    {
        final int n = outbound.controlledRead(drainHandler, 256);
        frames.flush();
        return n;
    }

    /**
     * Server thread: the socket closed or failed.
     */
    void markClosed()
    {
        open = false;
        links.close();
    }

    String name()
    {
        return name;
    }

    /**
     * @param buffer holding a frame.
     * @param offset of the frame.
     * @return SBE template id of the frame.
     */
    static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TEMPLATE_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    private final class DrainHandler implements ControlledMessageHandler
    {
        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final int status = frames.write(buffer, index, length, buffer, index + length, 0, BATCH_BYTES);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                return Action.ABORT;
            }
            return Action.CONTINUE;
        }
    }
}
