package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.ipc.uring.UringConfig;
import dev.switchboard.ipc.uring.UringLink;
import dev.switchboard.ipc.uring.UringServer;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.router.Ingress;
import dev.switchboard.security.LinkMac;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * The router's HIGH endpoint: an {@link UringServer} whose links attach to agents' sessions. A link's first
 * frame must be a Heartbeat naming an agent registered on the control socket; from then on its frames enter
 * the router's ingress as that agent's session, and frames the router sends the agent at HIGH priority
 * leave through an outbound ring that this duty cycle writes to the link (io_uring requests must be
 * submitted by the one thread that owns the ring).
 *
 * <p>Thread-safety: {@link #doWork()} on one thread; {@link #register}/{@link #unregister} from the router
 * thread. Allocation: none per frame.
 */
final class HighServer implements Agent
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final Ingress ingress;
    private final UringServer server;
    private final Map<Long, RouterTierLinks> agents = new ConcurrentHashMap<>();
    private final Map<UringLink, Attachment> attachments = new IdentityHashMap<>();
    private final ArrayList<Attachment> attached = new ArrayList<>();
    private volatile long refusedLinks; // written by this duty cycle only, read by tests and tools
    private final int outboundCapacity;

    HighServer(final Ingress ingress, final Path socketPath, final int outboundCapacity)
    {
        this(ingress, socketPath, outboundCapacity, LinkMac.off(), null);
    }

    HighServer(
        final Ingress ingress,
        final Path socketPath,
        final int outboundCapacity,
        final LinkMac linkMac,
        final CounterBlock counters)
    {
        this.ingress = ingress;
        this.outboundCapacity = outboundCapacity;
        this.server = UringServer.bindControlled(socketPath, UringConfig.defaults(), this::onFrame, new UringServer.LinkListener()
        {
            @Override
            public void onClosed(final UringLink link, final String reason)
            {
                final Attachment a = attachments.remove(link);
                if (a != null)
                {
                    attached.remove(a);
                    a.links.detachHigh(a.outbound);
                }
            }
        }, linkMac, counters);
    }

    void register(final long agentId, final RouterTierLinks links)
    {
        agents.put(agentId, links);
    }

    void unregister(final long agentId)
    {
        agents.remove(agentId);
    }

    private boolean onFrame(final UringLink link, final DirectBuffer buffer, final int offset, final int length)
    {
        final Attachment a = attachments.get(link);
        if (a == null)
        {
            attach(link, buffer, offset, length);
            return true;
        }
        final int status = ingress.offer(a.sessionId, buffer, offset, length);
        if (status == OfferStatus.BACK_PRESSURED)
        {
            // Keep it (and the rest of this link's frames) for the next duty cycle: the link's read is not
            // re-armed while its buffer is full, so back-pressure reaches the agent's socket. Nothing is dropped.
            return false;
        }
        if (status != OfferStatus.OK)
        {
            link.close();
        }
        return true;
    }

    private void attach(final UringLink link, final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean isHeartbeat = length >= HEADER + HeartbeatDecoder.BLOCK_LENGTH &&
            (buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == HeartbeatDecoder.TEMPLATE_ID;
        final long agentId = isHeartbeat ? buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN) : 0;
        final RouterTierLinks links = isHeartbeat ? agents.get(agentId) : null;
        if (links == null || !samePeer(link, links))
        {
            link.close();
            return;
        }
        final ManyToOneRing outbound = ManyToOneRing.create(
            Arena.ofAuto().allocate(ManyToOneRing.requiredSize(outboundCapacity), 128));
        final Attachment a = new Attachment(link, links, links.sessionId(), outbound);
        attachments.put(link, a);
        attached.add(a);
        links.attachHigh(outbound);
    }

    /**
     * A HIGH link carries frames as the agent it attaches to, so it must not be a way around the control socket's
     * authentication: the kernel's credentials of the link ({@code SO_PEERCRED}) must be those of the control
     * connection (same user and group). Refused links are closed and counted ({@link #refusedLinks()}).
     */
    private boolean samePeer(final UringLink link, final RouterTierLinks links)
    {
        final int[] cred = link.peerCredentials();
        final dev.switchboard.security.PeerCredentials control = links.peer();
        final boolean same = cred != null && control.isKnown() && !control.inProcess() &&
            cred[1] == control.uid() && (control.gid() < 0 || cred[2] == control.gid());
        if (!same)
        {
            refusedLinks = refusedLinks + 1;
        }
        return same;
    }

    /**
     * @return HIGH links refused because their peer is not the control connection's.
     */
    long refusedLinks()
    {
        return refusedLinks;
    }

    @Override
    public int doWork()
    {
        return server.doWork() + drainOutbound();
    }

    /**
     * Write what the router queued for each attached agent; the link submits it on the next duty cycle.
     */
    private int drainOutbound()
    {
        int work = 0;
        for (int i = 0, n = attached.size(); i < n; i++)
        {
            final Attachment a = attached.get(i);
            work += a.outbound.controlledRead(a, 256);
            a.link.flush();
        }
        return work;
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

    private static final class Attachment implements ControlledMessageHandler
    {
        final UringLink link;
        final RouterTierLinks links;
        final int sessionId;
        final ManyToOneRing outbound;

        Attachment(final UringLink link, final RouterTierLinks links, final int sessionId, final ManyToOneRing outbound)
        {
            this.link = link;
            this.links = links;
            this.sessionId = sessionId;
            this.outbound = outbound;
        }

        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            return link.offer(buffer, index, length) == OfferStatus.BACK_PRESSURED ? Action.ABORT : Action.CONTINUE;
        }
    }

    @Override
    public String toString()
    {
        return "HighServer{refusedLinks=" + refusedLinks + ", " + server + "}";
    }
}
