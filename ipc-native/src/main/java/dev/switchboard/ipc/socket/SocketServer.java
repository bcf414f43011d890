package dev.switchboard.ipc.socket;

import dev.switchboard.ipc.files.OwnedFiles;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.function.IntFunction;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.Ingress;
import dev.switchboard.router.Router;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;
import org.agrona.concurrent.Agent;

/**
 * The router's control socket: a Unix domain stream socket that agent processes connect to. Each
 * connection becomes a {@link SocketSession}; this duty cycle reads their frames into the router's ingress
 * (stopping, without dropping, while the ingress is full, so back-pressure reaches the sender's socket) and
 * writes what the router queued for them. A connection that closes or breaks the framing is marked closed:
 * the router deregisters its agent on its next timer tick (about a millisecond), long before its lease would
 * expire.
 *
 * <p>Thread-safety: one thread runs {@link #doWork()}. Allocation: none per frame; accepting allocates.
 */
public final class SocketServer implements Agent
{
    /** How {@link FrameChannel#closeReason()} starts when the peer broke the framing: counted as a rejection. */
    private static final String PROTOCOL_ERROR = "protocol error";

    private final Router router;
    private final Ingress ingress;
    private final Path socketPath;
    private final int maxFrameLength;
    private final int outboundCapacity;
    private final IntFunction<TierLinks> linksFactory;
    private final LinkMac linkMac;
    private final ArrayList<Connection> connections = new ArrayList<>();
    private Selector selector;
    private ServerSocketChannel server;

    /**
     * @param router           the router the sessions join.
     * @param socketPath       where to listen; a stale socket file there is replaced.
     * @param outboundCapacity bytes of the ring queuing frames for each agent (power of two).
     * @param linksFactory     makes each session's links to the other tiers, given its session id.
     */
    public SocketServer(
        final Router router, final Path socketPath, final int outboundCapacity, final IntFunction<TierLinks> linksFactory)
    {
        this(router, socketPath, outboundCapacity, linksFactory, LinkMac.off());
    }

    /**
     * @param router           the router the sessions join.
     * @param socketPath       where to listen; a stale socket file there is replaced.
     * @param outboundCapacity bytes of the ring queuing frames for each agent (power of two).
     * @param linksFactory     makes each session's links to the other tiers, given its session id.
     * @param linkMac          the frame MAC setting of every connection (see {@link FrameChannel}).
     */
    public SocketServer(
        final Router router,
        final Path socketPath,
        final int outboundCapacity,
        final IntFunction<TierLinks> linksFactory,
        final LinkMac linkMac)
    {
        this.linkMac = linkMac;
        this.router = router;
        this.ingress = router.ingress();
        this.socketPath = socketPath;
        this.maxFrameLength = ingress.maxMessageLength();
        this.outboundCapacity = outboundCapacity;
        this.linksFactory = linksFactory;
    }

    @Override
    public String roleName()
    {
        return "switchboard-socket-server";
    }

    @Override
    public void onStart()
    {
        if (server != null)
        {
            return;
        }
        try
        {
            // A stale socket of ours is replaced; anything else at the path is refused, never deleted.
            OwnedFiles.removeStaleSocket(socketPath);
            selector = Selector.open();
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            // Umask-independent: 0600, or 0660 for the group of switchboard.files.group (its members may connect).
            Files.setPosixFilePermissions(socketPath, OwnedFiles.processDefault().fileMode());
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException e)
        {
            LangUtil.rethrowUnchecked(e);
        }
    }

    /**
     * Bind now instead of on the duty cycle's first run, so that clients can connect as soon as this returns.
     */
    public void bind()
    {
        onStart();
    }

    @Override
    public int doWork() throws IOException
    {
        int work = 0;
        if (selector.selectNow() > 0)
        {
            final Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext())
            {
                final SelectionKey key = it.next();
                it.remove();
                if (key.isValid() && key.isAcceptable())
                {
                    work += accept();
                }
            }
        }
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final Connection c = connections.get(i);
            work += c.session.frames().read(c, 64);
            work += c.session.drain();
            if (c.session.isCloseDue() && c.session.frames().isOpen())
            {
                c.session.frames().close(); // refused by authentication: its Error is written
            }
            if (!c.session.frames().isOpen())
            {
                // Every frame it sent is in the ingress by now; the close follows them, in order.
                if (ingress.offerSessionClosed(c.session.sessionId()) == OfferStatus.OK)
                {
                    final String reason = c.session.frames().closeReason();
                    if (reason != null && reason.startsWith(PROTOCOL_ERROR))
                    {
                        router.counters().block().increment(CounterIds.of(RouterCounter.REJECTED_FRAMING));
                    }
                    c.session.markClosed();
                    connections.remove(i);
                }
                work++;
            }
        }
        return work;
    }

    private int accept() throws IOException
    {
        int n = 0;
        SocketChannel channel;
        while ((channel = server.accept()) != null)
        {
            final PeerCredentials peer = peerOf(channel);
            final FrameChannel frames = new FrameChannel(
                channel, maxFrameLength, 256 * 1024, linkMac, true, router.counters().block());
            final int sessionId = router.nextSessionId();
            final TierLinks links = linksFactory.apply(sessionId);
            links.onPeer(peer);
            final SocketSession session = new SocketSession(sessionId, frames, outboundCapacity, links, peer);
            connections.add(new Connection(session));
            router.addSession(session);
            n++;
        }
        return n;
    }

    /**
     * The kernel's credentials of the connecting process ({@code SO_PEERCRED}); the router checks them against its
     * access policy. A peer that cannot be identified gets {@link PeerCredentials#UNKNOWN}, which no policy admits.
     */
    private static PeerCredentials peerOf(final SocketChannel channel)
    {
        try
        {
            final UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return PeerCredentials.of(principal.user().getName(), principal.group().getName());
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return PeerCredentials.UNKNOWN;
        }
    }

    /**
     * @return connections currently open.
     */
    public int connectionCount()
    {
        return connections.size();
    }

    @Override
    public void onClose()
    {
        for (final Connection c : connections)
        {
            c.session.frames().close();
            c.session.markClosed();
        }
        connections.clear();
        try
        {
            if (server != null)
            {
                server.close();
            }
            if (selector != null)
            {
                selector.close();
            }
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException ignore)
        {
            // shutting down
        }
    }

    private final class Connection implements FrameChannel.FrameHandler
    {
        final SocketSession session;

        Connection(final SocketSession session)
        {
            this.session = session;
        }

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            return ingress.offer(session.sessionId(), buffer, offset, length) != OfferStatus.BACK_PRESSURED;
        }
    }
}
