package dev.switchboard.router.process;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.uring.UringConfig;
import dev.switchboard.ipc.uring.UringLink;
import dev.switchboard.ipc.uring.UringServer;
import dev.switchboard.router.Router;
import dev.switchboard.security.LinkMac;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

/**
 * The router's HIGH endpoint: an {@link UringServer} whose links attach to agents' sessions, run on the router's own
 * thread as part of its duty cycle. A link's first frame must be a Heartbeat naming an agent registered on the
 * control socket; from then on each of its frames is handed to the router in place, from the link's receive buffer,
 * as that agent's session ({@link Router#onSessionFrame(int, int, DirectBuffer, int, int)}, on the session's second
 * link), and frames the router sends the agent at HIGH priority are copied straight into the link's send buffer
 * ({@link RouterTierLinks#deliver}) and submitted by this server's next {@link #doWork()}, in the same duty cycle.
 * After submitting, the server signals each agent it wrote to through its inbox.
 *
 * <p>Back-pressure: a frame the router holds (a full receiver) stays in the link's receive buffer and is offered
 * again on the next duty cycle; the link's read is not re-armed while its buffer is full, so back-pressure reaches the
 * agent's socket. Nothing is dropped.
 *
 * <p>Thread-safety: the router's duty-cycle thread only. Allocation: none per frame.
 */
final class HighServer implements Agent
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    /** How a link's close reason starts when its peer broke the framing (the link protocol's words). */
    private static final String PROTOCOL_ERROR = "protocol error";

    private final Router router;
    private final UringServer server;
    private final HighAgents agents;
    private final Map<UringLink, Attachment> attachments = new IdentityHashMap<>();
    private final ArrayList<UringLinkAdapter> written = new ArrayList<>();

    HighServer(final Router router, final Path socketPath, final UringConfig config, final LinkMac linkMac,
        final HighAgents agents)
    {
        this.router = router;
        this.agents = agents;
        this.server = UringServer.bindControlled(socketPath, config, this::onFrame, new UringServer.LinkListener()
        {
            @Override
            public void onClosed(final UringLink link, final String reason)
            {
                if (reason != null && reason.startsWith(PROTOCOL_ERROR))
                {
                    // Broken framing on a HIGH link is counted as on the control socket (and on the io_uring engine).
                    router.counters().block().increment(CounterIds.of(RouterCounter.REJECTED_FRAMING));
                }
                final Attachment a = attachments.remove(link);
                if (a != null)
                {
                    agents.detach(a.links, a.adapter);
                }
            }
        }, linkMac, router.counters().block());
    }

    private boolean onFrame(final UringLink link, final DirectBuffer buffer, final int offset, final int length)
    {
        final Attachment a = attachments.get(link);
        if (a == null)
        {
            attach(link, buffer, offset, length);
            return true;
        }
        // False: a full receiver holds the frame; it (and the rest of this link's frames) waits for the next duty
        // cycle, and the link's read is not re-armed while its buffer is full. Nothing is dropped.
        try
        {
            return router.onSessionFrame(a.sessionId, Router.SECONDARY_LINK, buffer, offset, length);
        }
        catch (final RuntimeException e)
        {
            // A frame the router cannot handle would come back on every cycle: the link goes, the router stays.
            router.counters().block().increment(
                dev.switchboard.counters.CounterIds.of(dev.switchboard.counters.RouterCounter.DUTY_CYCLE_ERRORS));
            System.getLogger(HighServer.class.getName()).log(System.Logger.Level.ERROR,
                "closing the HIGH link of session " + a.sessionId + " after an error handling its frame", e);
            link.close();
            return true;
        }
    }

    private void attach(final UringLink link, final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean isHeartbeat = length >= HEADER + HeartbeatDecoder.BLOCK_LENGTH &&
            (buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == HeartbeatDecoder.TEMPLATE_ID;
        final long agentId = isHeartbeat ? buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN) : 0;
        final int[] cred = link.peerCredentials();
        final UringLinkAdapter adapter = new UringLinkAdapter(link);
        // A HIGH link carries frames as the agent it attaches to: the agent must be registered and the link's peer be
        // the user and group of its control connection (refused ones are counted by the directory).
        final dev.switchboard.router.process.socket.TierLinks links = !isHeartbeat || cred == null ? null :
            agents.attach(agentId, cred[1], cred[2], adapter);
        if (links == null)
        {
            link.close();
            return;
        }
        adapter.links = (RouterTierLinks)links;
        attachments.put(link, new Attachment((RouterTierLinks)links, links.sessionId(), adapter));
    }

    /**
     * @return HIGH links refused because their peer is not the control connection's.
     */
    long refusedLinks()
    {
        return agents.refused();
    }

    /**
     * Reap completions, hand every link's complete frames to the router, arm reads and the writes the router queued,
     * submit all of it (one {@code io_uring_enter} at most, none when there is nothing to submit), then signal each
     * agent written to.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        final int work = server.doWork();
        for (int i = 0, n = written.size(); i < n; i++)
        {
            final UringLinkAdapter adapter = written.get(i);
            adapter.written = false;
            adapter.links.signalControl();
        }
        written.clear();
        return work;
    }

    /**
     * @return the io_uring's descriptor, readable while completions wait (for a joint wait with the selector).
     */
    int ringFd()
    {
        return server.ringFd();
    }

    /**
     * @return true while some agent's link is attached (the duty cycle cannot yet wait on this ring and its selector
     * at once, so it parks briefly).
     */
    boolean hasLinks()
    {
        return !attachments.isEmpty();
    }

    @Override
    public String roleName()
    {
        return "switchboard-high-server";
    }

    @Override
    public void onClose()
    {
        server.close();
    }

    private static final class Attachment
    {
        final RouterTierLinks links;
        final int sessionId;
        final UringLinkAdapter adapter;

        Attachment(final RouterTierLinks links, final int sessionId, final UringLinkAdapter adapter)
        {
            this.links = links;
            this.sessionId = sessionId;
            this.adapter = adapter;
        }
    }

    /**
     * An attached {@link UringLink} as the router writes to it: frames are copied into its send slot and submitted by
     * the next {@link #doWork()}, after which the agent is signalled (once per duty cycle).
     */
    private final class UringLinkAdapter implements dev.switchboard.router.process.socket.SessionLink
    {
        private final UringLink link;
        RouterTierLinks links;
        private boolean written;

        UringLinkAdapter(final UringLink link)
        {
            this.link = link;
        }

        @Override
        public int write(final DirectBuffer buffer, final int offset, final int length, final int flushThreshold)
        {
            final int status = link.offer(buffer, offset, length);
            if (status == dev.switchboard.transport.OfferStatus.OK && links != null && !written)
            {
                written = true;
                HighServer.this.written.add(this);
            }
            return status;
        }

        @Override
        public int pendingBytes()
        {
            return 0;
        }

        @Override
        public boolean isOpen()
        {
            return !link.isClosed();
        }

        @Override
        public int maxFrameLength()
        {
            return link.maxFrameLength();
        }

        @Override
        public void requestGrow()
        {
        }
    }

    @Override
    public String toString()
    {
        return "HighServer{refusedLinks=" + agents.refused() + ", " + server + "}";
    }
}
