package dev.switchboard.ipc.link;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.uring.UringBufferRing;
import dev.switchboard.ipc.uring.UringRing;
import dev.switchboard.ipc.uring.UnixSocket;
import org.agrona.concurrent.MessageHandler;

/**
 * The io_uring engine of an agent's HIGH links: one ring for every HIGH lane it sends on and every HIGH link it
 * receives on, one pool of provided buffers for all receives, and the accept kept armed on its {@code .hlink} socket.
 * A poll submits what the lanes queued and reaps what completed in at most one {@code io_uring_enter}, and none when
 * there is nothing to do: the ring runs in {@link UringRing.CompletionMode#DEFERRED} mode where the kernel has it
 * ({@code SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG}), so a completion waiting to be posted is a flag in the SQ
 * ring, read with one load, and the owner is never interrupted to post it ({@value #MODE_PROP} chooses another).
 * <pre>
 *   user_data:  63          32 31            8 7      0
 *              +--------------+---------------+--------+
 *              | generation   | slot          | op     |   a late completion for a reused slot is ignored
 *              +--------------+---------------+--------+
 * </pre>
 *
 * <p>Thread-safety: the owning agent's thread; the ring belongs to the first thread that polls it. Allocation: none
 * per frame; a link's buffers at accept or open.
 */
final class LinkRing implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("dev.switchboard.link");

    /**
     * System property: the completion mode of agents' link rings (deferred, cooperative, interrupt); read by
     * {@link IpcContext} ({@link IpcContext#LINK_URING_MODE_PROP}), handed over by {@link DirectLinks}.
     */
    static final String MODE_PROP = IpcContext.LINK_URING_MODE_PROP;

    static final int OP_ACCEPT = 1;
    static final int OP_RECV = 2;
    static final int OP_SEND = 3;
    static final int OP_VERDICT = 4;
    static final int OP_CTRL = 5;
    static final int OP_CANCEL = 6;

    private static final int ACCEPT_SLOT = 0xFF_FFFF;
    private static final int BUFFER_GROUP = 0;

    /** What a slot of the ring holds: a lane or a received link. */
    interface Peer
    {
        /**
         * @param op    the operation (bits 0-7 of user_data).
         * @param res   the result.
         * @param flags CQE flags.
         */
        void onCompletion(int op, int res, int flags);
    }

    private final DirectLinks owner;
    private final UringRing ring;
    private final UringBufferRing pool;
    private final SegmentBuffer poolView;
    private final ByteBuffer poolMacView;
    private final int listenFd;
    private final Path endpoint;
    private final Peer[] peers;
    private final int[] generations;
    private final ArrayList<UringReceivedLink> received = new ArrayList<>();
    private final UringRing.CompletionHandler completions = this::onCompletion;
    private boolean acceptArmed;
    private boolean delivering;
    private MessageHandler handler;
    private int budget;
    private int heldBuffers;
    private boolean buffered;
    private boolean closed;
    private long nextForeignThreadWarningNs = Long.MIN_VALUE;

    /**
     * @param owner    the agent's links.
     * @param settings limits and sizes.
     * @param endpoint where to accept HIGH links, or null for a send-only ring.
     * @param mode     the ring's strongest completion mode ({@value #MODE_PROP}).
     */
    LinkRing(final DirectLinks owner, final LinkSettings settings, final Path endpoint,
        final UringRing.CompletionMode mode)
    {
        this.owner = owner;
        this.endpoint = endpoint;
        final int slots = 2 * settings.maxLinks() + 16;
        final int entries = Math.max(16, Integer.highestOneBit(2 * slots - 1));
        this.ring = UringRing.create(entries, 4 * entries, mode);
        try
        {
            this.pool = UringBufferRing.register(ring, BUFFER_GROUP, settings.receiveBuffers(),
                settings.receiveBufferLength());
            this.poolView = new SegmentBuffer(pool.buffers());
            this.poolMacView = pool.buffers().asByteBuffer();
            this.peers = new Peer[slots];
            this.generations = new int[slots];
            this.listenFd = endpoint == null ? -1 : UnixSocket.listen(endpoint, 64);
        }
        catch (final RuntimeException | Error ex)
        {
            ring.close();
            throw ex;
        }
    }

    UringRing ring()
    {
        return ring;
    }

    UringBufferRing pool()
    {
        return pool;
    }

    SegmentBuffer poolView()
    {
        return poolView;
    }

    ByteBuffer poolMacView()
    {
        return poolMacView;
    }

    DirectLinks owner()
    {
        return owner;
    }

    String diagnostic()
    {
        return ring.setupDiagnostic() + "; receive pool " + pool.entries() + " x " + pool.bufferLength() + " bytes";
    }

    /**
     * @return a free slot for a peer, or -1.
     */
    int register(final Peer peer)
    {
        for (int i = 0; i < peers.length; i++)
        {
            if (peers[i] == null)
            {
                peers[i] = peer;
                generations[i]++;
                return i;
            }
        }
        return -1;
    }

    void free(final int slot)
    {
        peers[slot] = null;
    }

    long userData(final int slot, final int op)
    {
        return ((long)generations[slot] << 32) | ((long)slot << 8) | op;
    }

    /**
     * @return an SQE offset, submitting first if the SQ is full; -1 when it stays full.
     */
    long sqe()
    {
        long sqe = ring.nextSqe();
        if (sqe < 0 && !usedFromForeignThread())
        {
            ring.submit();
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    /** Buffers the application holds (received, not yet copied or delivered). */
    void held(final int delta)
    {
        heldBuffers += delta;
    }

    /**
     * @return true when the pool has room to re-arm a receive that ran out of buffers.
     */
    boolean poolHasRoom()
    {
        return heldBuffers < pool.entries() / 2;
    }

    boolean isDelivering()
    {
        return delivering;
    }

    /** The handler of the poll in progress, for in-place delivery from a provided buffer. */
    MessageHandler handler()
    {
        return handler;
    }

    /** Frames the poll in progress may still deliver. */
    int budget()
    {
        return budget;
    }

    void spend(final int frames)
    {
        budget -= frames;
    }

    /**
     * @return true when the ring has something to do: SQEs to submit, completions to reap or to be posted.
     */
    boolean hasWork()
    {
        return buffered || ring.hasCompletions() || ring.hasPendingCompletions() || ring.queuedSqes() != 0;
    }

    /** A received link has frames to deliver without new input (it was just admitted, or a poll ran out of budget). */
    void markBuffered()
    {
        buffered = true;
    }

    /**
     * Submit what is queued and reap: deliver HIGH frames to the handler (in place where a whole frame sits in a
     * received buffer), up to {@code limit}.
     *
     * @return completions reaped + frames delivered.
     */
    int poll(final MessageHandler messageHandler, final int limit)
    {
        if (closed || usedFromForeignThread())
        {
            return 0;
        }
        if (!acceptArmed && listenFd >= 0)
        {
            armAccept();
        }
        ring.submit();
        handler = messageHandler;
        budget = limit;
        delivering = true;
        int work;
        try
        {
            work = ring.reap(completions);
            for (int i = 0, n = received.size(); i < n && budget > 0; i++)
            {
                budget -= received.get(i).read(messageHandler, budget);
            }
        }
        finally
        {
            delivering = false;
            handler = null;
        }
        pool.publish();
        return work + (limit - budget) + service();
    }

    /**
     * A {@code SINGLE_ISSUER} ring (the default {@code deferred} mode) serves only the thread that first submitted to
     * it: the kernel refuses any other. A client used from a second thread gets its HIGH links stalled (frames wait in
     * their send buffers; senders see back-pressure) and one warning a second saying why, never an exception from a
     * data-plane call.
     *
     * @return true when the calling thread may not use this ring.
     */
    private boolean usedFromForeignThread()
    {
        final Thread ringOwner = ring.owner();
        if (ringOwner == null || ringOwner == Thread.currentThread())
        {
            return false;
        }
        final long nowNs = System.nanoTime();
        if (nextForeignThreadWarningNs == Long.MIN_VALUE || nowNs - nextForeignThreadWarningNs >= 0)
        {
            nextForeignThreadWarningNs = nowNs + 1_000_000_000L;
            LOG.log(System.Logger.Level.WARNING, "switchboard: this agent's HIGH links are stalled: their io_uring " +
                "ring belongs to thread '" + ringOwner.getName() + "', the first to use it (" + MODE_PROP +
                "=deferred or cooperative rings serve one thread), and thread '" + Thread.currentThread().getName() +
                "' is using the client now. Use a client from one thread for its whole life, or set " + MODE_PROP +
                "=interrupt to hand it between threads");
        }
        return true;
    }

    /**
     * Re-arm receives, release finished links, submit.
     */
    private int service()
    {
        int work = 0;
        buffered = false;
        for (int i = received.size() - 1; i >= 0; i--)
        {
            final UringReceivedLink link = received.get(i);
            if (link.service())
            {
                received.remove(i);
                owner.removed(link);
                work++;
            }
            else
            {
                buffered |= link.hasBufferedFrames();
            }
        }
        if (ring.queuedSqes() != 0)
        {
            ring.submit();
        }
        return work;
    }

    /**
     * Duty slice: claim deadlines, re-arms.
     */
    int duty(final long nowNs)
    {
        int work = 0;
        for (int i = 0, n = received.size(); i < n; i++)
        {
            if (received.get(i).expireIfDue(nowNs))
            {
                work++;
            }
        }
        return work + poll(NO_FRAMES, 0);
    }

    private static final MessageHandler NO_FRAMES = (typeId, buffer, index, length) ->
    {
        throw new IllegalStateException("no frame is delivered on a duty slice");
    };

    /**
     * Links being set up that a new LinkExpect may admit.
     */
    void retryClaims(final long nowNs)
    {
        for (int i = 0, n = received.size(); i < n; i++)
        {
            received.get(i).tryAdmit(nowNs);
        }
    }

    int receivedCount()
    {
        return received.size();
    }

    private void armAccept()
    {
        final long sqe = sqe();
        if (sqe >= 0)
        {
            ring.prepAccept(sqe, listenFd, dev.switchboard.ipc.uring.liburing.liburing_h.SOCK_CLOEXEC(), ((long)ACCEPT_SLOT << 8) | OP_ACCEPT);
            acceptArmed = true;
        }
    }

    private void onCompletion(final long userData, final int res, final int flags)
    {
        final int op = (int)(userData & 0xFF);
        final int slot = (int)((userData >>> 8) & 0xFF_FFFF);
        if (slot == ACCEPT_SLOT)
        {
            acceptArmed = false;
            onAccept(res);
            return;
        }
        if (slot < peers.length)
        {
            final Peer peer = peers[slot];
            if (peer != null && generations[slot] == (int)(userData >>> 32))
            {
                peer.onCompletion(op, res, flags);
                return;
            }
        }
        // A late completion for a released slot: give back a buffer it may hold.
        final int bid = UringBufferRing.bufferId(flags);
        if (bid >= 0)
        {
            pool.recycle(bid);
        }
    }

    private void onAccept(final int fd)
    {
        if (fd < 0)
        {
            return; // cancelled at close, or a transient error: re-armed by the next poll
        }
        if (closed)
        {
            UnixSocket.close(fd);
            return;
        }
        final int[] cred = UnixSocket.peerCredentials(fd);
        final int peerUid = cred == null ? -1 : cred[1];
        if (!owner.admitsAnotherLink())
        {
            owner.count(dev.switchboard.counters.RouterCounter.LINK_REFUSED_PEER);
            UnixSocket.close(fd);
            return;
        }
        final UringReceivedLink link;
        try
        {
            link = new UringReceivedLink(this, fd, peerUid, owner.nowNs());
        }
        catch (final RuntimeException ex)
        {
            owner.count(dev.switchboard.counters.RouterCounter.LINK_REFUSED_PEER);
            UnixSocket.close(fd);
            return;
        }
        if (link.slot() < 0)
        {
            link.release();
            owner.count(dev.switchboard.counters.RouterCounter.LINK_REFUSED_PEER);
            return;
        }
        received.add(link);
        owner.added(link);
    }

    /**
     * Close every received link, the listening socket (and its file), then the ring (the kernel cancels what is in
     * flight; the buffers live until then). Lanes are closed by their owner first.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            for (final UringReceivedLink link : received)
            {
                link.close("closed");
            }
            final long deadline = System.nanoTime() + 200_000_000L;
            final Thread ringOwner = ring.owner();
            final boolean ownedHere = ringOwner == null || ringOwner == Thread.currentThread();
            while (ownedHere && anyInFlight() && System.nanoTime() - deadline < 0)
            {
                ring.submit();
                ring.reap(completions);
                ring.awaitCompletion(10_000_000L);
            }
            for (final UringReceivedLink link : received)
            {
                link.release();
            }
            received.clear();
            if (listenFd >= 0)
            {
                UnixSocket.close(listenFd);
                UnixSocket.unlink(endpoint);
            }
            ring.close();
        }
    }

    private boolean anyInFlight()
    {
        for (final UringReceivedLink link : received)
        {
            if (link.inFlight())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString()
    {
        return "LinkRing{" + diagnostic() + ", received=" + received.size() + ", held=" + heldBuffers + '}';
    }

    /**
     * @return bytes of the pool buffer {@code bid}, as a segment offset.
     */
    long poolOffset(final int bid)
    {
        return pool.offset(bid);
    }

    MemorySegment poolBuffers()
    {
        return pool.buffers();
    }
}
