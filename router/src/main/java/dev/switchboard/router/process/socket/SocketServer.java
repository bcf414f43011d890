package dev.switchboard.router.process.socket;

import dev.switchboard.ipc.files.OwnedFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.Router;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.PeerCredentials;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.agrona.DirectBuffer;

/**
 * The router's control socket (which also carries NORMAL data), run on the router's own thread as part of its duty
 * cycle: a Unix domain stream socket watched by one NIO {@link Selector} (epoll), each connection a
 * {@link SocketSession}.
 *
 * <p><b>Reading.</b> A connection is read only when the selector reports it readable (no blind reads, so no empty
 * {@code read} system calls), and each complete frame is handed to the router in place, from the connection's
 * receive buffer ({@link Router#onSessionFrame}): validated there and copied once into each receiver's buffer. No
 * ingress hop, no second copy.
 *
 * <p><b>Writing.</b> Frames for a connection go straight into its send buffer ({@link SocketSession#deliver}); at the
 * end of each duty cycle {@link #flush()} writes every connection written to (one {@code write} for all its frames)
 * and signals the agent through its inbox. A connection whose socket cannot take everything is watched for
 * writability and written when it can.
 *
 * <p><b>Back-pressure.</b> When a receiver is full the router holds the frame: the sender's connection stops being read
 * (its frames stay in its receive buffer, then in its socket, so the sender's writes block or return
 * {@code BACK_PRESSURED}); the held frame is offered again as soon as a socket drains or every
 * {@link dev.switchboard.router.RouterContext#stallRetryNs()}, and delivery resumes at the receiver that was full,
 * without duplicates. Other connections keep flowing.
 *
 * <p><b>Waiting.</b> {@link #poll(boolean)} checks readiness with {@code selectNow} only when asked (after a duty cycle
 * that did work); the quiet idle strategy then blocks in {@link #await(long)} (one {@code epoll_wait} until the next
 * deadline) and whatever it finds is handled by the next poll without another system call. {@link #wakeup()} ends
 * the wait from another thread.
 *
 * <p>A connection that closes or breaks the framing is reported to the router in order after its last frame
 * ({@link Router#onSessionClosed}), which deregisters its agent at once.
 *
 * <p>Thread-safety: everything on the router's duty-cycle thread, except {@link #wakeup()} (any thread) and
 * {@link #connectionCount()} (a snapshot). Allocation: none per frame or per poll once warm; accepting allocates.
 */
public final class SocketServer implements SessionHost, AutoCloseable
{
    /** How {@link ControlLink#closeReason()} starts when the peer broke the framing: counted as a rejection. */
    private static final String PROTOCOL_ERROR = "protocol error";
    /** Largest number of frames read from one connection per duty cycle, so that one sender cannot starve others. */
    private static final int FRAGMENT_LIMIT = 64;
    private static final System.Logger LOG = System.getLogger(SocketServer.class.getName());

    private final Router router;
    private final CounterBlock counters;
    private final Path socketPath;
    private final int maxFrameLength;
    private final IntFunction<TierLinks> linksFactory;
    private final LinkMac linkMac;
    private final int acceptsPerCycle;
    private final int maxPerUser;
    private final int maxUnregistered;
    private final int handshakeBufferBytes;
    private final int sendBufferBytes;
    private final long partialFrameTimeoutNs;
    private final java.util.function.LongSupplier clock;
    /** Some connection had an incomplete frame at the last look: sweep for the partial-frame deadline. */
    private boolean anyPartial;
    private long nextSweepNs;
    /** Open connections per peer uid (-1: unknown peer). */
    private final org.agrona.collections.Int2IntHashMap perUser = new org.agrona.collections.Int2IntHashMap(0);
    /** Open connections whose agent has not registered yet. */
    private int unregistered;
    private final ErrorFrame refusal = new ErrorFrame();
    private final ArrayList<SocketSession> connections = new ArrayList<>();
    private final ArrayList<SocketSession> dirty = new ArrayList<>();
    private final ArrayList<SocketSession> held = new ArrayList<>();
    /** Connections that hit the fragment limit: frames may wait in their receive buffer, which epoll cannot see. */
    private final ArrayList<SocketSession> backlog = new ArrayList<>();
    private final ArrayList<SelectionKey> ready = new ArrayList<>();
    private final Consumer<SelectionKey> collectReady = ready::add;
    private final ReadHandler readHandler = new ReadHandler();
    private final int ioPollsCounter = CounterIds.of(RouterCounter.ROUTER_IO_POLLS);
    private volatile int connectionCount;
    /** Native memory held by the open connections' buffers (written by the router thread, read by anyone). */
    private volatile long bufferBytes;
    private Selector selector;
    private ServerSocketChannel server;
    private SelectionKey acceptKey;
    private final HeldRetry heldRetry;

    /**
     * @param router       the router the sessions join; this server must run on its duty-cycle thread.
     * @param socketPath   where to listen; a stale socket file there is replaced.
     * @param linksFactory makes each session's links to the other tiers, given its session id.
     * @param linkMac      the frame MAC setting of every connection (see {@link dev.switchboard.ipc.link.LinkProtocol}).
     */
    public SocketServer(
        final Router router,
        final Path socketPath,
        final IntFunction<TierLinks> linksFactory,
        final LinkMac linkMac)
    {
        this.linkMac = linkMac;
        this.router = router;
        this.counters = router.counters().block();
        this.socketPath = socketPath;
        this.maxFrameLength = router.ingress().maxMessageLength();
        this.linksFactory = linksFactory;
        this.heldRetry = new HeldRetry(router.context().stallRetryNs());
        this.acceptsPerCycle = router.context().acceptsPerCycle();
        this.maxPerUser = router.context().maxConnectionsPerUser();
        this.maxUnregistered = router.context().maxUnregisteredConnections();
        this.handshakeBufferBytes = router.context().handshakeBufferBytes();
        this.sendBufferBytes = router.context().connectionSendBytes();
        this.partialFrameTimeoutNs = router.context().partialFrameTimeoutNs();
        final org.agrona.concurrent.NanoClock nanoClock = router.context().nanoClock();
        this.clock = nanoClock::nanoTime;
    }

    /**
     * Listen now, so that clients can connect as soon as this returns (they wait in the listen queue until the duty
     * cycle accepts them).
     *
     * @throws UncheckedIOException when the socket cannot be bound.
     */
    public void bind()
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
            acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot listen at " + socketPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * Handle the sockets that are ready: those found by the last {@link #await(long)}, or, when there are none and
     * {@code checkNow} is true, those a {@code selectNow} finds (one system call). Ready connections are read (frames
     * routed in place), writable ones written, new connections accepted (at most 16 per call).
     *
     * @param checkNow whether to ask the kernel for readiness when the last wait left nothing.
     * @return work done: frames routed, connections accepted, closed or drained.
     * @throws IOException if the selector fails.
     */
    public int poll(final boolean checkNow) throws IOException
    {
        int work = backlog.isEmpty() ? 0 : readBacklog();
        if (ready.isEmpty())
        {
            if (!checkNow)
            {
                return work;
            }
            counters.increment(ioPollsCounter);
            selector.selectNow(collectReady);
            if (ready.isEmpty())
            {
                return work;
            }
        }
        for (int i = 0, n = ready.size(); i < n; i++)
        {
            final SelectionKey key = ready.get(i);
            if (!key.isValid())
            {
                continue;
            }
            if (key == acceptKey)
            {
                work += accept();
                continue;
            }
            final SocketSession session = (SocketSession)key.attachment();
            final int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0)
            {
                work += onWritable(session, key);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && key.isValid())
            {
                work += read(session);
            }
        }
        ready.clear();
        return work;
    }

    /**
     * Offer again the frames that full receivers held, once a socket drained or every stall-retry interval.
     *
     * @param nowNs the router's clock now.
     * @return frames taken.
     */
    public int retryHeld(final long nowNs)
    {
        if (!heldRetry.due(!held.isEmpty(), nowNs))
        {
            return 0;
        }
        int work = 0;
        for (int i = held.size() - 1; i >= 0; i--)
        {
            work += read(held.get(i));
        }
        return work;
    }

    /**
     * Close connections whose incomplete frame has waited longer than the partial-frame deadline (a sender dribbling
     * half a frame holds a buffer): told by the close, counted. Looks at most four times per deadline, and only while
     * some connection has an incomplete frame.
     *
     * @param nowNs the router's clock now.
     * @return connections closed.
     */
    public int sweep(final long nowNs)
    {
        if (!anyPartial || nowNs - nextSweepNs < 0)
        {
            return 0;
        }
        nextSweepNs = nowNs + Math.max(1_000_000L, partialFrameTimeoutNs / 4);
        anyPartial = false;
        int closed = 0;
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final SocketSession session = connections.get(i);
            final long since = session.frames().partialSinceNs();
            if (since == Long.MAX_VALUE)
            {
                continue;
            }
            if (nowNs - since >= partialFrameTimeoutNs)
            {
                counters.increment(CounterIds.of(RouterCounter.PARTIAL_FRAME_TIMEOUTS));
                session.frames().close("partial frame: incomplete for more than " +
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(partialFrameTimeoutNs) +
                    " ms (switchboard.router.partial.frame.timeout.ms)");
                close(session);
                closed++;
            }
            else
            {
                anyPartial = true;
            }
        }
        return closed;
    }

    /**
     * @return when {@link #sweep} next has something to look at (the duty cycle parks no longer), or
     * {@link Long#MAX_VALUE}.
     */
    public long nextDeadlineNs()
    {
        return anyPartial ? nextSweepNs : Long.MAX_VALUE;
    }

    /**
     * @return bytes of native memory the open connections' buffers hold now (a snapshot, from any thread): small
     * handshake buffers until an agent registers, full ones after, none once a connection closed.
     */
    public long bufferBytes()
    {
        return bufferBytes;
    }

    /**
     * Write what the router queued for each connection this duty cycle, as far as each socket takes it, and signal
     * each agent (once) through its inbox.
     *
     * @return connections written to.
     */
    public int flush()
    {
        // Not a snapshot of the size: closing a connection here (its write failed) tells the router, which may write to
        // others (a registry watcher's event, a sender's notice) and so mark them dirty during this loop. They are
        // flushed in this loop too: cleared from the list unflushed, their dirty flag would keep them out of it for good.
        int n = 0;
        for (int i = 0; i < dirty.size(); i++, n++)
        {
            final SocketSession session = dirty.get(i);
            session.dirty = false;
            final ControlLink frames = session.frames();
            frames.flush();
            if (frames.isOpen())
            {
                session.links().signalControl();
                if (frames.pendingBytes() > 0)
                {
                    watchWritable(session, true);
                }
                else if (session.isCloseDue())
                {
                    frames.close(); // refused by authentication: its Error is written
                }
            }
            if (!frames.isOpen())
            {
                close(session);
            }
        }
        dirty.clear();
        return n;
    }

    /**
     * Block until a connection is ready, {@link #wakeup()} is called or the timeout passes (one {@code epoll_wait},
     * millisecond resolution: a timeout under a millisecond waits one). What is found is handled by the next
     * {@link #poll(boolean)}.
     *
     * @param timeoutNs longest wait.
     * @throws IOException if the selector fails.
     */
    public void await(final long timeoutNs) throws IOException
    {
        final long timeoutMs = Math.max(1, (timeoutNs + 999_999) / 1_000_000);
        selector.select(collectReady, timeoutMs);
    }

    /**
     * The selector's own epoll descriptor, so that the duty cycle can wait on it together with an io_uring in one
     * {@code epoll_wait}. NIO does not publish it: it is read from the JDK's {@code EPollSelectorImpl}, which needs
     * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the {@code switchboard} script and the tests pass it).
     *
     * @return the descriptor, or -1 when it cannot be read (another selector implementation, or no access).
     */
    public int selectorFd()
    {
        try
        {
            final java.lang.reflect.Field field = selector.getClass().getDeclaredField("epfd");
            field.setAccessible(true);
            return field.getInt(selector);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return -1;
        }
    }

    /**
     * @return true when the last wait found ready sockets that no poll has handled yet.
     */
    public boolean hasReady()
    {
        return !ready.isEmpty();
    }

    /**
     * End an {@link #await(long)} in progress (or make the next one return at once). Safe from any thread.
     */
    public void wakeup()
    {
        final Selector s = selector;
        if (s != null)
        {
            s.wakeup();
        }
    }

    /**
     * @return true while some connection's frame is held by a full receiver.
     */
    public boolean isHolding()
    {
        return !held.isEmpty();
    }

    @Override
    public void onDirty(final SocketSession session)
    {
        dirty.add(session);
    }

    private int readBacklog()
    {
        int work = 0;
        for (int i = backlog.size() - 1; i >= 0; i--)
        {
            final SocketSession session = backlog.get(i);
            backlog.remove(i);
            session.backlogged = false;
            if (session.isOpen() && !session.held)
            {
                work += read(session);
            }
        }
        return work;
    }

    private int read(final SocketSession session)
    {
        final ControlLink frames = session.frames();
        final long bytesBefore = frames.bufferBytes();
        readHandler.session = session;
        readHandler.refused = false;
        final int frameCount;
        try
        {
            frameCount = frames.read(readHandler, FRAGMENT_LIMIT);
        }
        catch (final RuntimeException e)
        {
            // A frame the router cannot handle would come back on every cycle: the connection goes, the router stays.
            counters.increment(CounterIds.of(RouterCounter.DUTY_CYCLE_ERRORS));
            LOG.log(System.Logger.Level.ERROR, "closing connection " + session.sessionId() +
                " after an error handling its frame", e);
            frames.close();
            close(session);
            return 1;
        }
        if (frames.partialSinceNs() != Long.MAX_VALUE)
        {
            anyPartial = true;
        }
        if (frames.bufferBytes() != bytesBefore)
        {
            bufferBytes += frames.bufferBytes() - bytesBefore; // grown at registration
        }
        if (!session.added && frames.isMacActive())
        {
            join(session); // the client's link hello came: the router can talk to it now (its Challenge goes out)
        }
        if (frameCount >= FRAGMENT_LIMIT && !readHandler.refused && !session.backlogged)
        {
            session.backlogged = true;
            backlog.add(session);
        }
        if (readHandler.refused != session.held)
        {
            session.held = readHandler.refused;
            if (session.held)
            {
                held.add(session);
            }
            else
            {
                held.remove(session);
            }
            // A connection whose frame is held is not read (nor watched) until the frame goes: back-pressure.
            watchReadable(session, !session.held);
        }
        if (!frames.isOpen())
        {
            close(session);
            return frameCount + 1;
        }
        return frameCount;
    }

    private int onWritable(final SocketSession session, final SelectionKey key)
    {
        final ControlLink frames = session.frames();
        final int before = frames.pendingBytes();
        final int after = frames.flush();
        if (after < before)
        {
            heldRetry.drained();
            session.links().signalControl();
        }
        if (after == 0)
        {
            watchWritable(session, false);
            if (session.isCloseDue())
            {
                frames.close();
            }
        }
        if (!frames.isOpen())
        {
            close(session);
            return 1;
        }
        return after < before ? 1 : 0;
    }

    private static void watchReadable(final SocketSession session, final boolean on)
    {
        final SelectionKey key = session.key;
        if (key != null && key.isValid())
        {
            key.interestOps(on ? key.interestOps() | SelectionKey.OP_READ : key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    private static void watchWritable(final SocketSession session, final boolean on)
    {
        final SelectionKey key = session.key;
        if (key != null && key.isValid())
        {
            key.interestOps(on ? key.interestOps() | SelectionKey.OP_WRITE : key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private void close(final SocketSession session)
    {
        if (!session.isOpen())
        {
            return;
        }
        final String reason = session.frames().closeReason();
        if (reason != null && reason.startsWith(PROTOCOL_ERROR))
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_FRAMING));
        }
        bufferBytes -= session.frames().bufferBytes();
        session.frames().release(); // closed, and its buffers freed now, not at a GC
        session.markClosed();
        if (session.key != null)
        {
            session.key.cancel();
        }
        if (session.held)
        {
            session.held = false;
            held.remove(session);
        }
        if (session.backlogged)
        {
            session.backlogged = false;
            backlog.remove(session);
        }
        connections.remove(session);
        connectionCount = connections.size();
        final int left = perUser.get(session.peerUid) - 1;
        if (left > 0)
        {
            perUser.put(session.peerUid, left);
        }
        else
        {
            perUser.remove(session.peerUid); // 0 is the map's missing value
        }
        if (!session.everBound)
        {
            unregistered--;
        }
        if (session.added)
        {
            // Every frame it sent has been handed over; its agent leaves now, in order after them.
            router.onSessionClosed(session.sessionId());
        }
    }

    private void join(final SocketSession session)
    {
        session.added = true;
        router.addSession(session);
    }

    /**
     * Accept at most {@code switchboard.router.accepts.per.cycle} connections (the rest wait in the listen queue for
     * the next cycle, so a flood of connections never starves routing or lease renewal), each checked against the
     * connection limits before anything is allocated for it: a refused one is told why (one Error frame, when the
     * frame MAC is off) and closed at once, and counted.
     */
    private int accept() throws IOException
    {
        int n = 0;
        SocketChannel channel;
        while (n < acceptsPerCycle && (channel = server.accept()) != null)
        {
            n++;
            final PeerCredentials peer = peerOf(channel);
            final int uid = peer.uid();
            if (perUser.get(uid) >= maxPerUser)
            {
                refuse(channel, RouterCounter.CONNECTIONS_REFUSED_PER_USER, "connection refused: " + peer.describe() +
                    " already has " + perUser.get(uid) + " connections, the limit " +
                    "(switchboard.router.max.connections.per.user)");
                continue;
            }
            if (unregistered >= maxUnregistered)
            {
                refuse(channel, RouterCounter.CONNECTIONS_REFUSED_UNAUTHENTICATED, "connection refused: " +
                    unregistered + " connections have not registered yet, the limit " +
                    "(switchboard.router.max.unregistered); try again later");
                continue;
            }
            final ControlLink frames;
            try
            {
                frames = new ControlLink(channel, new dev.switchboard.ipc.link.LinkProtocol(linkMac,
                    LinkMac.KIND_CONTROL, true, maxFrameLength, "the client", "", counters,
                    RouterCounter.LINK_MAC_REJECTED_NORMAL, null), handshakeBufferBytes, sendBufferBytes, clock);
            }
            catch (final OutOfMemoryError e)
            {
                // No direct memory for its buffers: this connection goes; the router and its agents carry on.
                refuse(channel, RouterCounter.CONNECTIONS_REFUSED_NO_MEMORY, null);
                LOG.log(System.Logger.Level.WARNING, "connection refused: no memory for its buffers: " + e.getMessage());
                continue;
            }
            final int sessionId = router.nextSessionId();
            final TierLinks links = linksFactory.apply(sessionId);
            links.onPeer(peer);
            final SocketSession session = new SocketSession(sessionId, frames, links, peer, this);
            session.peerUid = uid;
            session.key = channel.register(selector, SelectionKey.OP_READ, session);
            connections.add(session);
            connectionCount = connections.size();
            perUser.put(uid, perUser.get(uid) + 1);
            unregistered++;
            bufferBytes += frames.bufferBytes();
            if (!linkMac.enabled())
            {
                join(session);
            }
            // else: the router learns of the session once the link is set up (the client's hello), since nothing can
            // be written to it before (the protocol refuses frames until the keys are set).
            if (frames.pendingBytes() > 0)
            {
                onDirty(session); // the MAC hello
                session.dirty = true;
            }
        }
        return n;
    }

    private void refuse(final SocketChannel channel, final RouterCounter counter, final String reason)
    {
        counters.increment(CounterIds.of(counter));
        try
        {
            if (reason != null && !linkMac.enabled())
            {
                channel.configureBlocking(false);
                channel.write(refusal.encode(reason)); // best effort: a socket this new takes a small frame whole
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // the peer is told by the close
        }
        finally
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing
            }
        }
    }

    /**
     * The agent of a session registered: it no longer counts against the unregistered limit.
     */
    @Override
    public void onBound(final SocketSession session)
    {
        if (!session.everBound)
        {
            session.everBound = true;
            unregistered--;
        }
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
     * @return connections currently open (a snapshot, from any thread).
     */
    public int connectionCount()
    {
        return connectionCount;
    }

    /**
     * Close every connection (their agents are told by the router's deregistration), the listening socket and the
     * selector, and remove the socket file. Router thread, once the duty cycle has stopped.
     */
    @Override
    public void close()
    {
        // What is queued for each agent is written (within a second in all), then its connection closes: the agent
        // sees the end of its connection after every frame routed to it.
        final long drainDeadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        for (final SocketSession s : connections)
        {
            s.frames().drainBlocking(Math.max(0, Math.min(100_000_000L, drainDeadline - System.nanoTime())));
            s.frames().release();
            s.markClosed();
        }
        connections.clear();
        connectionCount = 0;
        bufferBytes = 0;
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

    /** An Error frame (correlation 0, LIMIT_EXCEEDED) with its length prefix, for connections refused at accept. */
    private static final class ErrorFrame
    {
        private final java.nio.ByteBuffer bytes =
            java.nio.ByteBuffer.allocateDirect(1024).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        private final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(bytes);
        private final dev.switchboard.codecs.sbe.MessageHeaderEncoder header =
            new dev.switchboard.codecs.sbe.MessageHeaderEncoder();
        private final dev.switchboard.codecs.sbe.ErrorEncoder error = new dev.switchboard.codecs.sbe.ErrorEncoder();

        java.nio.ByteBuffer encode(final String text)
        {
            error.wrapAndApplyHeader(buffer, dev.switchboard.ipc.link.LinkProtocol.LENGTH_PREFIX, header)
                .correlationId(0)
                .code(dev.switchboard.codecs.sbe.ErrorCode.LIMIT_EXCEEDED)
                .text(text);
            final int length = dev.switchboard.codecs.sbe.MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
            buffer.putInt(0, length, java.nio.ByteOrder.LITTLE_ENDIAN);
            bytes.clear().limit(dev.switchboard.ipc.link.LinkProtocol.LENGTH_PREFIX + length);
            return bytes;
        }
    }

    /** Hands each frame of the session being read to the router; notes a refusal (a full receiver). */
    private final class ReadHandler implements dev.switchboard.ipc.link.LinkProtocol.FrameSink
    {
        SocketSession session;
        boolean refused;

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            if (!session.added)
            {
                join(session);
            }
            if (router.onSessionFrame(session.sessionId(), buffer, offset, length))
            {
                return true;
            }
            refused = true;
            return false;
        }
    }
}
