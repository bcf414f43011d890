package dev.switchboard.router.process.socket;

import java.nio.ByteOrder;

import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.router.Session;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * The router's side of one agent process connected over the control socket. The {@link SocketServer} reads the
 * agent's frames on the router's own thread and hands each to the router in place, from this session's receive
 * buffer; frames for the agent are copied once, straight into the socket's send buffer ({@link ControlLink}), and
 * the server writes every session it wrote to at the end of the duty cycle (one {@code write} for many frames), then
 * signals the agent through its inbox header ({@link TierLinks#signalControl()}), so that an agent reads its control
 * socket only when something is there.
 *
 * <p>Routed frames go out on the tier their priority asks for, when the agent has it: CRITICAL and BATCH into the
 * agent's shared-memory inbox, HIGH over its io_uring link, otherwise NORMAL on this socket.
 *
 * <p>Back-pressure: when the send buffer cannot take a frame, {@link #deliver} returns {@code BACK_PRESSURED} and the
 * router holds the frame (see {@link dev.switchboard.router.Router#onSessionFrame}); the server watches the socket
 * for writability and retries.
 *
 * <p>Thread-safety: every method on the router's thread (the server runs there), except {@link #isOpen()}.
 * Allocation: none per frame.
 */
final class SocketSession implements Session
{
    private static final int PRIORITY_OFFSET =
        MessageHeaderEncoder.ENCODED_LENGTH + EnvelopeEncoder.priorityEncodingOffset();
    private static final int TEMPLATE_OFFSET = 2;
    /** Frames for one agent are gathered into writes of up to this many bytes: one system call, many frames. */
    static final int BATCH_BYTES = 64 * 1024;

    private final int sessionId;
    private final SessionLink frames;
    private final TierLinks links;
    private final PeerCredentials peer;
    private final SessionHost server;
    private volatile boolean open = true;
    /** Set when authentication refused the connection: the server closes it once its Error is written. */
    private boolean closeRequested;
    /** Written to since the server's last flush: it is on the server's flush list (server state). */
    boolean dirty;
    /** A full receiver holds this connection's next frame: it is not read until the frame goes (server state). */
    boolean held;
    /** Read the whole fragment limit last time: read again next cycle, epoll or not (server state). */
    boolean backlogged;
    /** An agent registered on it once: it no longer counts as unregistered (server state). */
    boolean everBound;
    /** The peer's uid, for the per-user connection limit (server state). */
    int peerUid;
    /** The router knows this session (added once its link is set up) (server state). */
    boolean added;
    /** The connection's key in the server's selector (server state). */
    java.nio.channels.SelectionKey key;
    private long agentId;
    private String name;

    SocketSession(
        final int sessionId,
        final SessionLink frames,
        final TierLinks links,
        final PeerCredentials peer,
        final SessionHost server)
    {
        this.peer = peer;
        this.sessionId = sessionId;
        this.frames = frames;
        this.links = links;
        this.server = server;
    }

    /**
     * @return the NIO engine's link (only the {@link SocketServer} calls it).
     */
    ControlLink frames()
    {
        return (ControlLink)frames;
    }

    /**
     * @return the link to the agent, whatever engine moves its bytes.
     */
    SessionLink link()
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
        return write(buffer, offset, length);
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        return open ? write(buffer, offset, length) : OfferStatus.NOT_CONNECTED;
    }

    private int write(final DirectBuffer buffer, final int offset, final int length)
    {
        final int status = frames.write(buffer, offset, length, BATCH_BYTES);
        if (status == OfferStatus.OK && !dirty)
        {
            dirty = true;
            server.onDirty(this);
        }
        return status;
    }

    @Override
    public int maxControlLength()
    {
        return frames.maxFrameLength();
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
    public long heartbeat()
    {
        return links.heartbeat();
    }

    /**
     * Every control connection is signalled after the router writes to it, and its agent's inbox heartbeat is read.
     */
    @Override
    public int features()
    {
        return dev.switchboard.transport.RouterFeatures.SIGNALS_CONTROL |
            dev.switchboard.transport.RouterFeatures.READS_HEARTBEATS;
    }

    @Override
    public void closeAfterFlush()
    {
        closeRequested = true;
        if (!dirty)
        {
            dirty = true;
            server.onDirty(this);
        }
    }

    /**
     * @return true once the router asked for this connection to be closed and everything queued for it is written.
     */
    boolean isCloseDue()
    {
        return closeRequested && frames.pendingBytes() == 0;
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
        frames.requestGrow(); // registered: full-size buffers from the end of this read
        server.onBound(this);
        links.onAgentBound(id, agentName);
    }

    @Override
    public void onAgentUnbound(final long id)
    {
        links.onAgentUnbound(id);
        agentId = 0;
    }

    /**
     * The socket closed or failed.
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
}
