package dev.switchboard.router.process.socket;

import dev.switchboard.ipc.uring.UringEngineSettings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorEncoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.link.LinkProtocol;
import dev.switchboard.ipc.uring.UnixSocket;
import dev.switchboard.ipc.uring.UringBufferRing;
import dev.switchboard.ipc.uring.UringRing;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The router's io_uring engine: its control socket and its HIGH socket on one ring, run on the router's own thread as
 * part of its duty cycle. Where io_uring is available this replaces the NIO {@link SocketServer} and the HIGH server.
 *
 * <ul>
 *   <li><b>Accepts</b> stay armed on both listening sockets ({@code IORING_OP_ACCEPT}, one in flight per socket,
 *       re-armed as each completes: at most {@code switchboard.router.accepts.per.cycle} per duty cycle); each new
 *       connection is checked against the connection limits before anything is allocated for it.</li>
 *   <li><b>Receives</b> are multishot ({@code IORING_RECV_MULTISHOT}) into a pool of provided buffers shared by every
 *       connection ({@link UringBufferRing}): one SQE per connection keeps posting a completion per receive. A
 *       connection with nothing buffered has its frames handed to the router in place, from the pool buffer
 *       ({@link Router#onSessionFrame}); only what is left (a partial frame) is copied to the connection's own buffer,
 *       and the pool buffer goes straight back.</li>
 *   <li><b>Sends</b>: the router copies each frame once into the connection's send buffer; at the end of the duty
 *       cycle every connection written to gets one {@code IORING_OP_SEND} for all its frames, submitted with the one
 *       {@code io_uring_enter} of the cycle. When a send completes, the agent is signalled through its inbox.</li>
 *   <li><b>Back-pressure</b>: a frame the router holds (a full receiver) stays in the connection's buffer, the
 *       connection's receive is cancelled (later receives keep their pool buffers, a few at most) and re-armed when the
 *       frame goes, so the sender's socket fills; other connections keep flowing.</li>
 *   <li><b>Waiting</b>: the ring runs in {@code DEFERRED} mode where the kernel has it ({@code SINGLE_ISSUER |
 *       DEFER_TASKRUN | TASKRUN_FLAG}): completions waiting to be posted are one flag in the SQ ring, read with one load,
 *       so the spin phase makes no system call; the park is one {@code io_uring_enter} waiting for a completion
 *       ({@link #await}). In-process producers wake it through a socket pair whose receive is kept armed on the ring
 *       ({@link #wakeup()}).</li>
 * </ul>
 * {@code user_data} is {@code generation << 32 | slot << 8 | op}, so a late completion of a released slot is ignored.
 *
 * <p>Thread-safety: everything on the router's duty-cycle thread (the ring's single issuer), except {@link #wakeup()},
 * {@link #connectionCount()} and {@link #bufferBytes()}. Allocation: none per frame or per cycle once warm; accepting
 * and growing a connection allocate its buffers (native memory, freed when it closes).
 */
public final class UringSocketServer implements SessionHost, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(UringSocketServer.class.getName());
    private static final int OP_ACCEPT = 1;
    private static final int OP_RECV = 2;
    private static final int OP_SEND = 3;
    private static final int OP_CANCEL = 4;
    private static final int OP_WAKE = 5;
    private static final int CONTROL_LISTENER = 0xFF_FFFF;
    private static final int HIGH_LISTENER = 0xFF_FFFE;
    private static final int WAKE_SLOT = 0xFF_FFFD;
    private static final int BUFFER_GROUP = 0;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int BACKLOG = 128;
    private static final int PARSE_LIMIT = 1024;
    private static final String PROTOCOL_ERROR = "protocol error";
    private static final long CLOSE_LINGER_NS = TimeUnit.SECONDS.toNanos(1);


    private final Router router;
    private final CounterBlock counters;
    private final LinkMac linkMac;
    private final IntFunction<TierLinks> linksFactory;
    private final HighLinks highLinks;
    private final Path controlPath;
    private final Path highPath;
    private final int maxFrameLength;
    private final int acceptsPerCycle;
    private final int maxPerUser;
    private final int maxUnregistered;
    private final int handshakeBufferBytes;
    private final int sendBufferBytes;
    private final long partialFrameTimeoutNs;
    private final long handshakeTimeoutNs;
    private final org.agrona.concurrent.NanoClock clock;

    private final UringRing ring;
    private final UringBufferRing pool;
    private final SegmentBuffer poolView;
    private final ByteBuffer poolMacView;
    private final int controlFd;
    private final int highFd;
    private final int[] wakeFds = new int[2];
    private final MemorySegment wakeBuffer;
    private final MemorySegment wakeByte;
    private final UringRing.CompletionHandler completions = this::onCompletion;
    private final int ioPollsCounter = CounterIds.of(RouterCounter.ROUTER_IO_POLLS);

    private Conn[] conns = new Conn[64];
    private int[] generations = new int[64];
    private final ArrayList<Conn> open = new ArrayList<>();
    private final ArrayList<Conn> dirty = new ArrayList<>();
    private final ArrayList<Conn> held = new ArrayList<>();
    private final ArrayList<Conn> closing = new ArrayList<>();
    private final Int2IntHashMap perUser = new Int2IntHashMap(0);
    private final ErrorFrame refusal = new ErrorFrame();
    private int unregistered;
    /** Accepts in flight on each listening socket (at most the per-cycle budget). */
    private int controlAccepts;
    private int highAccepts;
    private final ArrayList<Conn> starved = new ArrayList<>();
    private boolean wakeArmed;
    private final HeldRetry heldRetry;
    private long nextSweepNs;
    private boolean closed;
    private volatile int connectionCount;
    private volatile long bufferBytes;

    /**
     * Bind both sockets and set the ring up (nothing is accepted until the duty cycle's first {@link #poll()}).
     *
     * @param router       the router, whose duty cycle runs this engine.
     * @param controlPath  the control socket's path.
     * @param highPath     the HIGH socket's path, or null for no HIGH.
     * @param linksFactory makes each control session's links to the other tiers, given its session id.
     * @param highLinks    where HIGH links attach (null with no HIGH).
     * @param linkMac      the frame MAC setting of every link.
     * @param settings     the ring's mode and receive pool.
     * @throws RuntimeException when io_uring, the buffer pool or a socket cannot be set up (the caller falls back).
     */
    public UringSocketServer(
        final Router router,
        final Path controlPath,
        final Path highPath,
        final IntFunction<TierLinks> linksFactory,
        final HighLinks highLinks,
        final LinkMac linkMac,
        final UringEngineSettings settings)
    {
        final RouterContext ctx = router.context();
        this.router = router;
        this.counters = router.counters().block();
        this.linkMac = linkMac;
        this.linksFactory = linksFactory;
        this.highLinks = highLinks;
        this.controlPath = controlPath;
        this.highPath = highPath;
        this.maxFrameLength = router.ingress().maxMessageLength();
        this.acceptsPerCycle = ctx.acceptsPerCycle();
        this.maxPerUser = ctx.maxConnectionsPerUser();
        this.maxUnregistered = ctx.maxUnregisteredConnections();
        this.handshakeBufferBytes = ctx.handshakeBufferBytes();
        this.sendBufferBytes = ctx.connectionSendBytes();
        this.partialFrameTimeoutNs = ctx.partialFrameTimeoutNs();
        this.handshakeTimeoutNs = ctx.handshakeTimeoutNs();
        this.heldRetry = new HeldRetry(ctx.stallRetryNs());
        this.clock = ctx.nanoClock();
        final int buffers = settings.buffers();
        final int bufferLength = settings.bufferLength();
        this.ring = UringRing.create(256, 4096, settings.mode());
        int control = -1;
        int high = -1;
        try
        {
            this.pool = UringBufferRing.register(ring, BUFFER_GROUP, buffers, bufferLength);
            this.poolView = new SegmentBuffer(pool.buffers());
            this.poolMacView = pool.buffers().asByteBuffer();
            this.wakeBuffer = ring.arena().allocate(64, 8);
            this.wakeByte = ring.arena().allocate(8, 8);
            try (Arena scratch = Arena.ofConfined())
            {
                final MemorySegment pair = scratch.allocate(ValueLayout.JAVA_INT, 2);
                if (liburing_h.socketpair(liburing_h.allocateErrno(scratch), liburing_h.AF_UNIX(),
                    liburing_h.SOCK_STREAM() | liburing_h.SOCK_NONBLOCK() | liburing_h.SOCK_CLOEXEC(), 0, pair) != 0)
                {
                    throw new IllegalStateException("socketpair for the router's wake-up failed");
                }
                wakeFds[0] = pair.getAtIndex(ValueLayout.JAVA_INT, 0);
                wakeFds[1] = pair.getAtIndex(ValueLayout.JAVA_INT, 1);
            }
            OwnedFiles.removeStaleSocket(controlPath);
            control = UnixSocket.listen(controlPath, BACKLOG);
            Files.setPosixFilePermissions(controlPath, OwnedFiles.processDefault().fileMode());
            if (highPath != null)
            {
                OwnedFiles.removeStaleSocket(highPath);
                high = UnixSocket.listen(highPath, BACKLOG);
            }
        }
        catch (final Exception | Error e)
        {
            UnixSocket.closeQuietly(control);
            UnixSocket.closeQuietly(high);
            UnixSocket.closeQuietly(wakeFds[0]);
            UnixSocket.closeQuietly(wakeFds[1]);
            ring.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(
                "cannot start the router's io_uring engine: " + e.getMessage(), e);
        }
        this.controlFd = control;
        this.highFd = high;
    }

    /**
     * @return what the ring runs (mode and flags), for the report.
     */
    public String diagnostic()
    {
        return ring.setupDiagnostic() + "; receive pool " + pool.entries() + " x " + pool.bufferLength() + " bytes";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The duty cycle's calls
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Reap what completed (entering the kernel only when completions wait to be posted: one flag, read with one load),
     * handing every received frame to the router; arm the accepts.
     *
     * @return completions handled.
     */
    public int poll()
    {
        if (closed)
        {
            return 0;
        }
        if (ring.hasPendingCompletions())
        {
            counters.increment(ioPollsCounter);
            ring.submit(); // GETEVENTS: the kernel posts the waiting completions now
        }
        final int work = ring.reap(completions);
        pool.publish();
        for (int i = starved.size() - 1; i >= 0; i--)
        {
            starved.remove(i).armReceive(); // the pool had run dry: buffers are back now
        }
        armListeners();
        releaseClosed();
        return work;
    }

    /**
     * Offer again the frames that full receivers held, once a send completed or every stall-retry interval.
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
            final Conn conn = held.get(i);
            conn.held = false;
            held.remove(i);
            work += conn.parseStash();
            conn.afterReceive();
        }
        pool.publish();
        return work;
    }

    /**
     * Close connections past the partial-frame deadline, and HIGH links not attached within the handshake deadline.
     *
     * @param nowNs the router's clock now.
     * @return connections closed.
     */
    public int sweep(final long nowNs)
    {
        if (nowNs - nextSweepNs < 0)
        {
            return 0;
        }
        nextSweepNs = nowNs + Math.max(1_000_000L, Math.min(partialFrameTimeoutNs, handshakeTimeoutNs) / 4);
        int n = 0;
        for (int i = open.size() - 1; i >= 0; i--)
        {
            final Conn conn = open.get(i);
            if (conn.partialSinceNs != Long.MAX_VALUE && nowNs - conn.partialSinceNs >= partialFrameTimeoutNs)
            {
                counters.increment(CounterIds.of(RouterCounter.PARTIAL_FRAME_TIMEOUTS));
                conn.close("partial frame: incomplete for more than " +
                    TimeUnit.NANOSECONDS.toMillis(partialFrameTimeoutNs) +
                    " ms (switchboard.router.partial.frame.timeout.ms)");
                n++;
            }
            else if (conn.high && conn.attached == null && nowNs - conn.acceptedNs >= handshakeTimeoutNs)
            {
                counters.increment(CounterIds.of(RouterCounter.HANDSHAKE_TIMEOUTS));
                conn.close("HIGH link not attached within the handshake deadline");
                n++;
            }
        }
        return n;
    }

    /**
     * @return when {@link #sweep} next has something to look at, for the park: the next sweep while any connection
     * has a partial frame or an unattached HIGH link waits, else {@link Long#MAX_VALUE}.
     */
    public long nextDeadlineNs()
    {
        for (int i = 0, n = open.size(); i < n; i++)
        {
            final Conn conn = open.get(i);
            if (conn.partialSinceNs != Long.MAX_VALUE || (conn.high && conn.attached == null))
            {
                return nextSweepNs;
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Send what the router queued this duty cycle: one {@code IORING_OP_SEND} per connection written to (none while
     * one is in flight: it continues when that completes), then one {@code io_uring_enter} for everything queued.
     *
     * @return connections that got a send.
     */
    public int flush()
    {
        if (closed)
        {
            return 0;
        }
        int n = 0;
        // Not a snapshot of the size: closing a refused connection here tells the router, which may write to others
        // and mark them dirty during this loop; cleared unsent, their dirty flag would keep them out of it for good.
        for (int i = 0; i < dirty.size(); i++)
        {
            final Conn conn = dirty.get(i);
            conn.dirty = false;
            if (conn.submitSend())
            {
                n++;
            }
            else if (conn.session != null && conn.session.isCloseDue())
            {
                conn.close("refused"); // refused by the router: its Error is written
            }
        }
        dirty.clear();
        pool.publish();
        ring.submit();
        return n;
    }

    /**
     * @return true when completions wait (in the CQ, or to be posted): the duty cycle must not block.
     */
    public boolean hasReady()
    {
        return ring.hasCompletions() || ring.hasPendingCompletions();
    }

    /**
     * Submit what is queued, then block in the kernel until a completion is posted (a socket, a send, a producer's
     * wake-up) or the timeout passes. What came is reaped by the next {@link #poll()}.
     *
     * @param timeoutNs longest wait.
     */
    public void await(final long timeoutNs)
    {
        if (!closed)
        {
            ring.submit();
            ring.awaitCompletion(timeoutNs);
        }
    }

    /**
     * End an {@link #await} in progress (or make the next return at once): one byte on the wake-up socket pair, whose
     * receive is armed on the ring. Safe from any thread.
     */
    public void wakeup()
    {
        if (!closed)
        {
            UnixSocket.write(wakeFds[1], wakeByte, 0, 1);
        }
    }

    /**
     * @return control connections open now (a snapshot, from any thread).
     */
    public int connectionCount()
    {
        return connectionCount;
    }

    /**
     * @return bytes of native memory the open connections' own buffers hold (a snapshot, from any thread).
     */
    public long bufferBytes()
    {
        return bufferBytes;
    }

    @Override
    public void onDirty(final SocketSession session)
    {
        markDirty((Conn)session.link());
    }

    @Override
    public void onBound(final SocketSession session)
    {
        if (!session.everBound)
        {
            session.everBound = true;
            final Conn conn = (Conn)session.link();
            if (conn.countedUnregistered)
            {
                conn.countedUnregistered = false;
                unregistered--;
            }
        }
    }

    private void markDirty(final Conn conn)
    {
        if (!conn.dirty)
        {
            conn.dirty = true;
            dirty.add(conn);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Completions
    // ---------------------------------------------------------------------------------------------------------------

    private void onCompletion(final long userData, final int res, final int flags)
    {
        final int op = (int)(userData & 0xFF);
        final int slot = (int)((userData >>> 8) & 0xFF_FFFF);
        if (slot == CONTROL_LISTENER || slot == HIGH_LISTENER)
        {
            onAccept(slot == HIGH_LISTENER, res);
            return;
        }
        if (slot == WAKE_SLOT)
        {
            wakeArmed = false;
            armWake();
            return;
        }
        if (slot >= conns.length)
        {
            return;
        }
        final Conn conn = conns[slot];
        if (conn == null || conn.generation != (int)(userData >>> 32))
        {
            final int bid = UringBufferRing.bufferId(flags);
            if (bid >= 0)
            {
                pool.recycle(bid); // a late receive of a released slot: its buffer goes back
            }
            return;
        }
        switch (op)
        {
            case OP_RECV -> conn.onReceive(res, flags);
            case OP_SEND -> conn.onSend(res);
            case OP_CANCEL ->
            {
                conn.cancelInFlight = false;
                conn.afterReceive(); // re-armed if the connection was let go meanwhile
            }
            default ->
            {
            }
        }
    }

    private void armListeners()
    {
        if (!wakeArmed)
        {
            armWake();
        }
        // Several single-shot accepts in flight per socket, so that a burst of connections is taken within a cycle,
        // never more than the per-cycle budget (a flood waits in the listen queue, routing goes on).
        while (controlAccepts < acceptsPerCycle && armAccept(controlFd, CONTROL_LISTENER))
        {
            controlAccepts++;
        }
        while (highFd >= 0 && highAccepts < acceptsPerCycle && armAccept(highFd, HIGH_LISTENER))
        {
            highAccepts++;
        }
    }

    private boolean armAccept(final int fd, final int slot)
    {
        final long sqe = ring.nextSqe();
        if (sqe < 0)
        {
            return false;
        }
        ring.prepAccept(sqe, fd, liburing_h.SOCK_CLOEXEC(), ((long)slot << 8) | OP_ACCEPT);
        return true;
    }

    private void armWake()
    {
        final long sqe = ring.nextSqe();
        if (sqe >= 0)
        {
            ring.prepRecv(sqe, wakeFds[0], wakeBuffer.address(), (int)wakeBuffer.byteSize(),
                ((long)WAKE_SLOT << 8) | OP_WAKE);
            wakeArmed = true;
        }
    }

    /**
     * A connection came: limits first (per user, unregistered), before anything is allocated; a refused one is told
     * (one Error frame, MAC off) and closed, counted.
     */
    private void onAccept(final boolean highLink, final int res)
    {
        if (highLink)
        {
            highAccepts--;
        }
        else
        {
            controlAccepts--;
        }
        if (res < 0)
        {
            if (res != -liburing_h.ECANCELED())
            {
                LOG.log(System.Logger.Level.WARNING, "accept failed: errno " + (-res));
            }
            return;
        }
        final int fd = res;
        if (closed)
        {
            UnixSocket.closeQuietly(fd);
            return;
        }
        final PeerCredentials peer = peerOf(fd);
        final int uid = peer.uid();
        // A HIGH link is its agent's second link: bounded by the unregistered limit and the handshake deadline until
        // it attaches, not counted per user (the agent's control connection is).
        if (!highLink && perUser.get(uid) >= maxPerUser)
        {
            refuse(fd, RouterCounter.CONNECTIONS_REFUSED_PER_USER, "connection refused: " + peer.describe() +
                " already has " + perUser.get(uid) + " connections, the limit " +
                "(switchboard.router.max.connections.per.user)");
            return;
        }
        if (unregistered >= maxUnregistered)
        {
            refuse(fd, RouterCounter.CONNECTIONS_REFUSED_UNAUTHENTICATED, "connection refused: " + unregistered +
                " connections have not registered yet, the limit (switchboard.router.max.unregistered); " +
                "try again later");
            return;
        }
        final int slot = freeSlot();
        final Conn conn;
        try
        {
            conn = new Conn(slot, ++generations[slot], fd, highLink, peer);
        }
        catch (final OutOfMemoryError e)
        {
            refuse(fd, RouterCounter.CONNECTIONS_REFUSED_NO_MEMORY, null);
            LOG.log(System.Logger.Level.WARNING, "connection refused: no memory for its buffers: " + e.getMessage());
            return;
        }
        conns[slot] = conn;
        open.add(conn);
        if (highLink)
        {
            conn.countedPerUser = false;
        }
        else
        {
            perUser.put(uid, perUser.get(uid) + 1);
        }
        unregistered++;
        bufferBytes += conn.bufferBytes();
        if (!highLink)
        {
            final int sessionId = router.nextSessionId();
            final TierLinks links = linksFactory.apply(sessionId);
            links.onPeer(peer);
            conn.session = new SocketSession(sessionId, conn, links, peer, this);
            connectionCount++;
            if (!linkMac.enabled())
            {
                conn.join();
            }
        }
        conn.start();
    }

    private int freeSlot()
    {
        for (int i = 0; i < conns.length; i++)
        {
            if (conns[i] == null)
            {
                return i;
            }
        }
        final int slot = conns.length;
        conns = java.util.Arrays.copyOf(conns, 2 * conns.length);
        generations = java.util.Arrays.copyOf(generations, 2 * generations.length);
        return slot;
    }

    private void refuse(final int fd, final RouterCounter counter, final String reason)
    {
        counters.increment(CounterIds.of(counter));
        if (reason != null && !linkMac.enabled())
        {
            final ByteBuffer frame = refusal.encode(reason);
            UnixSocket.write(fd, MemorySegment.ofBuffer(frame), 0, frame.remaining());
        }
        UnixSocket.closeQuietly(fd);
    }

    private static PeerCredentials peerOf(final int fd)
    {
        final int[] cred = UnixSocket.peerCredentials(fd);
        if (cred == null)
        {
            return PeerCredentials.UNKNOWN;
        }
        return new PeerCredentials(nameOf(Path.of("/etc/passwd"), cred[1]), cred[1],
            nameOf(Path.of("/etc/group"), cred[2]), cred[2], false);
    }

    private static String nameOf(final Path file, final int id)
    {
        try
        {
            for (final String line : Files.readAllLines(file))
            {
                final String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Integer.toString(id)))
                {
                    return f[0];
                }
            }
        }
        catch (final java.io.IOException ignore)
        {
            // the number stands for the name
        }
        return Integer.toString(id);
    }

    private void releaseClosed()
    {
        for (int i = closing.size() - 1; i >= 0; i--)
        {
            final Conn conn = closing.get(i);
            if (conn.canRelease(clock.nanoTime()))
            {
                closing.remove(i);
                conn.release();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Closing the engine
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Close every connection (what is queued is sent first, within a second), the ring and the listening sockets, and
     * remove the socket files. Duty-cycle thread, once it has stopped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            // What is queued for each agent is sent first (within a second in all), then every connection closes.
            final long sendDeadline = System.nanoTime() + CLOSE_LINGER_NS;
            boolean sending = true;
            while (sending && System.nanoTime() - sendDeadline < 0)
            {
                sending = false;
                for (int i = open.size() - 1; i >= 0; i--)
                {
                    final Conn conn = open.get(i);
                    conn.submitSend();
                    sending |= conn.sendInFlight;
                }
                if (sending)
                {
                    ring.submit();
                    ring.awaitCompletion(10_000_000L);
                    ring.reap(completions);
                }
            }
            for (int i = open.size() - 1; i >= 0; i--)
            {
                open.get(i).close("router closed");
            }
            final long deadline = System.nanoTime() + CLOSE_LINGER_NS;
            while (!closing.isEmpty() && System.nanoTime() - deadline < 0)
            {
                ring.submit();
                ring.awaitCompletion(10_000_000L);
                ring.reap(completions);
                releaseClosed();
            }
            for (int i = closing.size() - 1; i >= 0; i--)
            {
                closing.get(i).release();
            }
            closing.clear();
        }
        finally
        {
            closed = true;
            ring.close();
            UnixSocket.closeQuietly(controlFd);
            UnixSocket.closeQuietly(highFd);
            UnixSocket.closeQuietly(wakeFds[0]);
            UnixSocket.closeQuietly(wakeFds[1]);
            deleteQuietly(controlPath);
            deleteQuietly(highPath);
            connectionCount = 0;
            bufferBytes = 0;
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            if (path != null)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final java.io.IOException ignore)
        {
            // a stale socket is replaced at the next start
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One connection
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The router's end of one connection on the ring (a control connection, or an agent's HIGH link): the
     * {@link LinkProtocol} over a multishot receive and a send buffer of its own.
     */
    private final class Conn implements SessionLink, LinkProtocol.FrameSink
    {
        final int slot;
        final int generation;
        final long userBase;
        final int fd;
        final boolean high;
        final LinkProtocol protocol;
        final PeerCredentials peer;
        final long acceptedNs;
        SocketSession session;
        TierLinks attached;
        final int[] heldBids;
        final int[] heldLengths;
        /** Bytes of each kept pool buffer already moved into the stash (a buffer larger than its room goes in parts). */
        final int[] heldOffsets;
        int heldHead;
        int heldCount;

        Arena stashArena;
        MemorySegment stash;
        SegmentBuffer stashView;
        ByteBuffer stashMacView;
        int readPosition;
        int writePosition;
        Arena sendArena;
        MemorySegment send;
        SegmentBuffer sendView;
        ByteBuffer sendMacView;
        int sendPosition;
        int sendLimit;
        int inFlightEnd;

        boolean recvArmed;
        boolean cancelInFlight;
        boolean sendInFlight;
        boolean peerGone;
        boolean isOpen = true;
        boolean released;
        boolean held;
        boolean dirty;
        boolean grown;
        boolean growRequested;
        boolean closeAfterSend;
        /** Counted against the unregistered limit (until it registers or attaches, or its buffers are freed). */
        boolean countedUnregistered = true;
        /** Counted against its user's connection limit. */
        boolean countedPerUser = true;
        long partialSinceNs = Long.MAX_VALUE;
        long closedNs;
        String closeReason;

        Conn(final int slot, final int generation, final int fd, final boolean high, final PeerCredentials peer)
        {
            this.slot = slot;
            this.generation = generation;
            this.userBase = ((long)generation << 32) | ((long)slot << 8);
            this.fd = fd;
            this.high = high;
            this.peer = peer;
            this.acceptedNs = clock.nanoTime();
            this.protocol = new LinkProtocol(linkMac, high ? LinkMac.KIND_HIGH : LinkMac.KIND_CONTROL, true,
                maxFrameLength, "the client", high ? "HIGH " : "", counters,
                high ? RouterCounter.LINK_MAC_REJECTED_HIGH : RouterCounter.LINK_MAC_REJECTED_NORMAL, null);
            this.heldBids = new int[pool.entries()];
            this.heldLengths = new int[pool.entries()];
            this.heldOffsets = new int[pool.entries()];
            final int stashBytes = Math.max(handshakeBufferBytes, pool.bufferLength());
            setStash(stashBytes);
            try
            {
                setSend(handshakeBufferBytes);
            }
            catch (final RuntimeException | Error e)
            {
                stashArena.close();
                throw e;
            }
        }

        /** Queue the hello (MAC on) and arm the receive. */
        void start()
        {
            final byte[] hello = protocol.localHello();
            if (hello != null)
            {
                sendLimit += LinkProtocol.writeRaw(send, sendLimit, hello);
                markDirty(this);
            }
            armReceive();
        }

        void join()
        {
            session.added = true;
            router.addSession(session);
        }

        long bufferBytes()
        {
            return released ? 0 : stash.byteSize() + send.byteSize();
        }

        private void setStash(final int size)
        {
            final Grown grown = Grown.of(size, stash, readPosition, writePosition);
            final Arena old = stashArena;
            stashArena = grown.arena();
            stash = grown.segment();
            stashView = new SegmentBuffer(stash);
            stashMacView = stash.asByteBuffer();
            writePosition -= readPosition;
            readPosition = 0;
            if (old != null)
            {
                old.close();
            }
        }

        private void setSend(final int size)
        {
            final Grown grown = Grown.of(size, send, sendPosition, sendLimit);
            final Arena old = sendArena;
            sendArena = grown.arena();
            send = grown.segment();
            sendView = new SegmentBuffer(send);
            sendMacView = send.asByteBuffer();
            sendLimit -= sendPosition;
            sendPosition = 0;
            if (old != null)
            {
                old.close();
            }
        }

        // -- SessionLink ---------------------------------------------------------------------------------------------

        @Override
        public int write(final DirectBuffer buffer, final int offset, final int length, final int flushThreshold)
        {
            final int admitted = protocol.admit(isOpen, length, maxFrameLength);
            if (admitted != OfferStatus.OK)
            {
                return admitted;
            }
            final int record = protocol.recordLength(length);
            if ((int)send.byteSize() - sendLimit < record)
            {
                if (!sendInFlight && sendPosition > 0)
                {
                    compactSend();
                }
                if ((int)send.byteSize() - sendLimit < record)
                {
                    return OfferStatus.BACK_PRESSURED;
                }
            }
            final int at = sendLimit;
            sendView.putBytes(at + LinkProtocol.LENGTH_PREFIX, buffer, offset, length);
            sendLimit = at + protocol.seal(send, sendMacView, at, length);
            markDirty(this);
            return OfferStatus.OK;
        }

        private void compactSend()
        {
            final int kept = sendLimit - sendPosition;
            MemorySegment.copy(send, sendPosition, send, 0, kept);
            sendPosition = 0;
            sendLimit = kept;
        }

        @Override
        public int pendingBytes()
        {
            return isOpen ? sendLimit - sendPosition : 0;
        }

        @Override
        public boolean isOpen()
        {
            return isOpen;
        }

        @Override
        public int maxFrameLength()
        {
            return maxFrameLength;
        }

        @Override
        public void requestGrow()
        {
            growRequested = true;
        }

        private void grow()
        {
            if (grown || !isOpen)
            {
                growRequested = false;
                return;
            }
            final long before = bufferBytes();
            final int full = Math.max(64 * 1024, 2 * protocol.recordLength(maxFrameLength)) + pool.bufferLength();
            if (stash.byteSize() < full)
            {
                setStash(full);
            }
            final int sendFull = Math.max(sendBufferBytes, protocol.recordLength(maxFrameLength));
            if (send.byteSize() < sendFull)
            {
                if (sendInFlight)
                {
                    return; // the kernel reads the send buffer: grow when the send completes
                }
                setSend(sendFull);
            }
            grown = true;
            growRequested = false;
            bufferBytes += bufferBytes() - before;
        }

        // -- Sending ---------------------------------------------------------------------------------------------------

        /**
         * @return true when a send was queued.
         */
        boolean submitSend()
        {
            if (!isOpen || sendInFlight || sendLimit == sendPosition)
            {
                return false;
            }
            final long sqe = ring.nextSqe();
            if (sqe < 0)
            {
                markDirty(this); // the SQ is full: next cycle
                return false;
            }
            ring.prepSend(sqe, fd, send.address() + sendPosition, sendLimit - sendPosition, MSG_NOSIGNAL,
                userBase | OP_SEND);
            inFlightEnd = sendLimit;
            sendInFlight = true;
            return true;
        }

        void onSend(final int res)
        {
            sendInFlight = false;
            if (res < 0)
            {
                close("send failed: errno " + (-res));
                return;
            }
            sendPosition += res;
            if (res > 0)
            {
                heldRetry.drained();
                signal();
            }
            if (sendPosition == sendLimit)
            {
                sendPosition = 0;
                sendLimit = 0;
                if (closeAfterSend || (session != null && session.isCloseDue()))
                {
                    close(closeReason != null ? closeReason : "refused");
                    return;
                }
            }
            if (growRequested)
            {
                grow();
            }
            if (sendLimit > sendPosition)
            {
                markDirty(this); // the rest, or what was queued meanwhile, goes with this cycle's submit
            }
        }

        private void signal()
        {
            if (session != null)
            {
                session.links().signalControl();
            }
            else if (attached != null)
            {
                attached.signalControl();
            }
        }

        // -- Receiving -----------------------------------------------------------------------------------------------

        void armReceive()
        {
            if (recvArmed || !isOpen || peerGone || held || cancelInFlight)
            {
                return;
            }
            final long sqe = ring.nextSqe();
            if (sqe >= 0)
            {
                ring.prepRecvMultishot(sqe, fd, BUFFER_GROUP, userBase | OP_RECV);
                recvArmed = true;
            }
        }

        void onReceive(final int res, final int flags)
        {
            if ((flags & liburing_h.IORING_CQE_F_MORE()) == 0)
            {
                recvArmed = false;
            }
            final int bid = UringBufferRing.bufferId(flags);
            if (res > 0 && bid >= 0)
            {
                onData(bid, res);
            }
            else
            {
                if (bid >= 0)
                {
                    pool.recycle(bid);
                }
                if (res == 0)
                {
                    peerGone = true;
                }
                else if (res == -liburing_h.ENOBUFS())
                {
                    if (!starved.contains(this))
                    {
                        starved.add(this); // re-armed once buffers come back, not in a loop of ENOBUFS
                    }
                    afterParse();
                    return;
                }
                else if (res < 0 && res != -liburing_h.ECANCELED())
                {
                    peerGone = true;
                    if (closeReason == null)
                    {
                        closeReason = "receive failed: errno " + (-res);
                    }
                }
            }
            afterReceive();
        }

        private void onData(final int bid, final int length)
        {
            if (!isOpen)
            {
                pool.recycle(bid);
                return;
            }
            if (held || heldCount > 0 || writePosition > readPosition)
            {
                // Bytes wait before these: they go behind them, in order, and the stash is parsed from its start.
                append(bid, length);
                if (!held)
                {
                    parseStash();
                }
                return;
            }
            // Nothing waits before it: hand the frames over in place, keep only what is left.
            final int from = (int)pool.offset(bid);
            final int end = from + length;
            protocol.parse(poolView, poolMacView, from, end, this, PARSE_LIMIT);
            final int position = protocol.position();
            if (!protocol.failed() && isOpen && position < end)
            {
                copyToStash(poolView, position, end - position);
            }
            pool.recycle(bid);
            afterParse();
            if (isOpen && !held && protocol.hasCompleteRecord(stashView, readPosition, writePosition))
            {
                parseStash(); // the sink stopped the parse after a frame (an attach): what followed it is complete
            }
        }

        private void append(final int bid, final int length)
        {
            if (heldCount == 0 && room() >= length)
            {
                copyToStash(poolView, (int)pool.offset(bid), length);
                pool.recycle(bid);
                return;
            }
            // The stash is full: keep the pool buffer, in order; stop receiving once a few are kept.
            final int at = (heldHead + heldCount) % heldBids.length;
            heldBids[at] = bid;
            heldLengths[at] = length;
            heldOffsets[at] = 0;
            heldCount++;
            if (heldCount >= Math.max(1, pool.entries() / 8))
            {
                cancelReceive();
            }
        }

        private int room()
        {
            if (readPosition > 0 && writePosition > readPosition &&
                (int)stash.byteSize() - writePosition < (int)stash.byteSize() / 2)
            {
                compactStash();
            }
            else if (readPosition == writePosition)
            {
                readPosition = 0;
                writePosition = 0;
            }
            return (int)stash.byteSize() - writePosition;
        }

        private void copyToStash(final SegmentBuffer from, final int offset, final int length)
        {
            if (room() < length)
            {
                compactStash();
            }
            if ((int)stash.byteSize() - writePosition < length)
            {
                // Only before registration, with the small handshake buffer: a frame that cannot fit closes the link.
                close("protocol error: a frame larger than the " + stash.byteSize() + "-byte handshake buffer before " +
                    "registration (switchboard.router.handshake.buffer.bytes)");
                return;
            }
            stashView.putBytes(writePosition, from, offset, length);
            writePosition += length;
        }

        private void compactStash()
        {
            final int kept = writePosition - readPosition;
            if (readPosition > 0 && kept > 0)
            {
                MemorySegment.copy(stash, readPosition, stash, 0, kept);
            }
            readPosition = 0;
            writePosition = Math.max(0, kept);
        }

        /**
         * Hand over what waits in the stash, then move kept pool buffers in, in order, while it takes them.
         *
         * @return frames handed over.
         */
        int parseStash()
        {
            int frames = parseStashOnce();
            // A parse the sink stopped after one frame (a HIGH link's attach, which grows the buffers) leaves complete
            // frames behind it; no receive may come to parse them (the peer sent everything already): parse them now.
            while (isOpen && !held && protocol.hasCompleteRecord(stashView, readPosition, writePosition))
            {
                final int n = parseStashOnce();
                if (n == 0)
                {
                    break; // nothing taken: the protocol said why (failed or held), afterParse acted on it
                }
                frames += n;
            }
            return frames;
        }

        private int parseStashOnce()
        {
            int frames = 0;
            while (isOpen && !held)
            {
                if (writePosition > readPosition)
                {
                    final int n = protocol.parse(stashView, stashMacView, readPosition, writePosition, this, PARSE_LIMIT);
                    frames += n;
                    if (protocol.failed() || !isOpen)
                    {
                        break;
                    }
                    readPosition = protocol.position();
                    if (n == PARSE_LIMIT && !held)
                    {
                        continue; // more complete frames may wait behind: no new receive would bring them here
                    }
                }
                if (held || heldCount == 0)
                {
                    break;
                }
                // A kept buffer goes in whole if it fits, else in parts: before registration the stash is the small
                // handshake buffer, and a receive may bring more than its room (a burst of small frames). Waiting for
                // room for the whole buffer would wait for ever; no room at all means the record waiting in the stash
                // is larger than the stash, which afterParse closes the connection for.
                final int room = room();
                if (room == 0)
                {
                    break;
                }
                final int bid = heldBids[heldHead];
                final int length = Math.min(room, heldLengths[heldHead] - heldOffsets[heldHead]);
                copyToStash(poolView, (int)pool.offset(bid) + heldOffsets[heldHead], length);
                heldOffsets[heldHead] += length;
                if (heldOffsets[heldHead] == heldLengths[heldHead])
                {
                    pool.recycle(bid);
                    heldHead = (heldHead + 1) % heldBids.length;
                    heldCount--;
                }
            }
            afterParse();
            return frames;
        }

        private void afterParse()
        {
            // Registered (or attached) is from the moment the grow is asked for, not from when it is done (after
            // this parse, or after a send in flight completes): a large frame right behind the Register is the agent's.
            if (!grown && !growRequested && isOpen && writePosition - readPosition >= LinkProtocol.LENGTH_PREFIX)
            {
                final int declared = stashView.getInt(readPosition, ByteOrder.LITTLE_ENDIAN);
                if (declared > 0 && LinkProtocol.LENGTH_PREFIX + declared > handshakeBufferBytes &&
                    declared <= protocol.maxFrameLength() + protocol.tagLength())
                {
                    close("protocol error: a frame of " + declared + " bytes before registration, over the " +
                        handshakeBufferBytes + "-byte handshake buffer (switchboard.router.handshake.buffer.bytes)");
                    return;
                }
            }
            if (protocol.failed())
            {
                final byte[] reply = protocol.takeReply();
                if (reply != null && isOpen)
                {
                    // The peer has the MAC on and we do not: our "off" hello tells it why, then the link closes.
                    sendLimit += LinkProtocol.writeRaw(send, sendLimit, reply);
                    closeAfterSend = true;
                    closeReason = protocol.failure();
                    markDirty(this);
                    cancelReceive();
                    return;
                }
                close(protocol.failure());
                return;
            }
            if (!isOpen)
            {
                return;
            }
            if (session != null && !session.added && protocol.isMacActive())
            {
                join(); // the client's hello came: the router can talk to it now
            }
            if (growRequested && !held)
            {
                grow();
            }
            final boolean partial = !held && protocol.missingBytes(stashView, readPosition, writePosition) > 0;
            partialSinceNs = !partial ? Long.MAX_VALUE :
                partialSinceNs == Long.MAX_VALUE ? clock.nanoTime() : partialSinceNs;
        }

        void afterReceive()
        {
            if (!isOpen)
            {
                return;
            }
            if (peerGone && !held && heldCount == 0 &&
                !protocol.hasCompleteRecord(stashView, readPosition, writePosition))
            {
                close(closeReason != null ? closeReason : "closed by peer");
                return;
            }
            if (held || heldCount > 0)
            {
                cancelReceive();
            }
            else
            {
                armReceive();
            }
        }

        private void cancelReceive()
        {
            if (recvArmed && !cancelInFlight)
            {
                final long sqe = ring.nextSqe();
                if (sqe >= 0)
                {
                    ring.prepCancel(sqe, userBase | OP_RECV, userBase | OP_CANCEL);
                    cancelInFlight = true;
                }
            }
        }

        // -- Frames to the router ------------------------------------------------------------------------------------

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            if (!grown && !growRequested && protocol.recordLength(length) > handshakeBufferBytes)
            {
                close("protocol error: a frame of " + length + " bytes before registration, over the " +
                    handshakeBufferBytes + "-byte handshake buffer (switchboard.router.handshake.buffer.bytes)");
                protocol.stopAfterThisFrame();
                return true;
            }
            try
            {
                if (high)
                {
                    if (attached == null)
                    {
                        attach(buffer, offset, length);
                        protocol.stopAfterThisFrame();
                        return true;
                    }
                    if (router.onSessionFrame(attached.sessionId(), Router.SECONDARY_LINK, buffer, offset, length))
                    {
                        return true;
                    }
                }
                else
                {
                    if (!session.added)
                    {
                        join();
                    }
                    if (router.onSessionFrame(session.sessionId(), buffer, offset, length))
                    {
                        return true;
                    }
                }
            }
            catch (final RuntimeException e)
            {
                // A frame the router cannot handle would come back on every cycle: the connection goes.
                counters.increment(CounterIds.of(RouterCounter.DUTY_CYCLE_ERRORS));
                LOG.log(System.Logger.Level.ERROR, "closing a connection after an error handling its frame", e);
                close("error handling a frame: " + e);
                protocol.stopAfterThisFrame();
                return true;
            }
            // A full receiver holds this frame: keep it (and what follows) and stop receiving until it goes.
            if (!held)
            {
                held = true;
                UringSocketServer.this.held.add(this);
            }
            return false;
        }

        private void attach(final DirectBuffer buffer, final int offset, final int length)
        {
            final boolean isHeartbeat = length >= MessageHeaderDecoder.ENCODED_LENGTH + HeartbeatDecoder.BLOCK_LENGTH &&
                (buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == HeartbeatDecoder.TEMPLATE_ID;
            final long agentId = isHeartbeat ?
                buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN) : 0;
            final TierLinks links = !isHeartbeat || highLinks == null ? null :
                highLinks.attach(agentId, peer.uid(), peer.gid(), this);
            if (links == null)
            {
                close("HIGH link refused: no registered agent " + agentId + " of this peer");
                return;
            }
            attached = links;
            unregistered--;
            countedUnregistered = false;
            requestGrow();
        }

        // -- Closing -------------------------------------------------------------------------------------------------

        void close(final String reason)
        {
            if (!isOpen)
            {
                return;
            }
            isOpen = false;
            closedNs = clock.nanoTime();
            if (closeReason == null)
            {
                closeReason = reason;
            }
            if (reason != null && reason.startsWith(PROTOCOL_ERROR))
            {
                counters.increment(CounterIds.of(RouterCounter.REJECTED_FRAMING));
            }
            UnixSocket.shutdown(fd); // in-flight receives and sends complete now
            cancelReceive();
            open.remove(this);
            if (held)
            {
                held = false;
                UringSocketServer.this.held.remove(this);
            }
            uncountPerUser();
            if (session != null)
            {
                connectionCount--;
                session.markClosed();
                if (session.added)
                {
                    router.onSessionClosed(session.sessionId());
                }
            }
            else if (attached != null && highLinks != null)
            {
                highLinks.detach(attached, this);
            }
            closing.add(this);
        }

        private void uncountPerUser()
        {
            if (countedPerUser)
            {
                countedPerUser = false;
                final int left = perUser.get(peer.uid()) - 1;
                if (left > 0)
                {
                    perUser.put(peer.uid(), left);
                }
                else
                {
                    perUser.remove(peer.uid());
                }
            }
        }

        boolean canRelease(final long nowNs)
        {
            return (!recvArmed && !sendInFlight && !cancelInFlight) || nowNs - closedNs > CLOSE_LINGER_NS;
        }

        void release()
        {
            if (released)
            {
                return;
            }
            bufferBytes -= bufferBytes();
            released = true;
            if (countedUnregistered && (session == null || !session.everBound))
            {
                // Counted until now, not at close: the limit bounds the memory unregistered connections hold.
                unregistered--;
            }
            countedUnregistered = false;
            UnixSocket.closeQuietly(fd);
            for (int i = 0; i < heldCount; i++)
            {
                pool.recycle(heldBids[(heldHead + i) % heldBids.length]);
            }
            heldCount = 0;
            if (conns[slot] == this)
            {
                conns[slot] = null;
            }
            stashArena.close();
            sendArena.close();
        }
    }

    /**
     * @return the engine's state, one line per open connection, for diagnostics (router thread; allocates).
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("UringSocketServer{").append(diagnostic())
            .append(", open=").append(open.size()).append(", closing=").append(closing.size())
            .append(", held=").append(held.size()).append(", unregistered=").append(unregistered);
        for (int i = 0, n = open.size(); i < n; i++)
        {
            final Conn c = open.get(i);
            sb.append("\n  ").append(c.high ? "HIGH" : "control").append(" slot ").append(c.slot)
                .append(c.session != null ? " session " + c.session.sessionId() : "")
                .append(c.attached != null ? " attached " + c.attached.sessionId() : "")
                .append(" recvArmed=").append(c.recvArmed).append(" cancel=").append(c.cancelInFlight)
                .append(" held=").append(c.held).append(" keptBuffers=").append(c.heldCount)
                .append(" stash=").append(c.readPosition).append("..").append(c.writePosition).append('/')
                .append(c.stash.byteSize()).append(" send=").append(c.sendPosition).append("..").append(c.sendLimit)
                .append('/').append(c.send.byteSize()).append(" inFlight=").append(c.sendInFlight)
                .append(" grown=").append(c.grown).append(" peerGone=").append(c.peerGone);
        }
        return sb.append('}').toString();
    }

    /** An Error frame (correlation 0, LIMIT_EXCEEDED) with its length prefix, for connections refused at accept. */
    private static final class ErrorFrame
    {
        private final ByteBuffer bytes = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
        private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final ErrorEncoder error = new ErrorEncoder();

        ByteBuffer encode(final String text)
        {
            error.wrapAndApplyHeader(buffer, LinkProtocol.LENGTH_PREFIX, header)
                .correlationId(0)
                .code(ErrorCode.LIMIT_EXCEEDED)
                .text(text);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
            buffer.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
            bytes.clear().limit(LinkProtocol.LENGTH_PREFIX + length);
            return bytes;
        }
    }
}
