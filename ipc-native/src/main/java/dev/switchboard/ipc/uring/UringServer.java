package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.security.LinkMac;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The router's end of HIGH: a Unix stream socket listening at a path, and one io_uring shared by every accepted
 * {@link UringLink}, driven by one duty cycle ({@link #doWork()}).
 *
 * <p>One ring for all links: an {@code IORING_OP_ACCEPT} is kept armed on the listening socket; each link keeps a
 * read armed and at most one write in flight; a duty cycle reaps every completion, delivers every link's complete
 * frames to the {@link FrameHandler}, arms what each link needs, and submits all of it with at most one
 * {@code io_uring_enter}. {@code user_data} identifies the request:
 * <pre>
 *   63                32 31                 8 7        0
 *  +--------------------+--------------------+----------+
 *  | link generation    | link slot          | op       |
 *  +--------------------+--------------------+----------+
 * </pre>
 * so that a late completion for a released slot is ignored. Each link's buffers are registered in two slots
 * ({@code 2 * slot}, {@code 2 * slot + 1}) of a sparse fixed-buffer table registered at bind (kernel 5.19+), filled
 * on accept and emptied on release.
 *
 * <p>A link is released, and {@link LinkListener#onClosed} called, when its peer closed (after every complete frame
 * it sent was delivered), on a read or write error, on a protocol error, or after {@link UringLink#close()} (once
 * its queued frames are written, bounded by {@link UringConfig#closeLingerNs()}).
 *
 * <p>Thread-safety: not thread-safe. {@link #bind} on any thread; then {@link #doWork()} and {@link #close()} on one
 * thread, the duty cycle's (an {@link org.agrona.concurrent.AgentRunner} calls {@link #onClose()} on it). The
 * callbacks run on that thread and may {@link UringLink#offer} to any link of this server and close links.
 * Allocation: none in {@link #doWork()} once warm, except on accept (the link, its {@link java.lang.foreign.Arena}
 * and registered buffers).
 */
public final class UringServer implements Agent, AutoCloseable
{
    /**
     * Receives each frame of every link, in order per link.
     */
    @FunctionalInterface
    public interface FrameHandler
    {
        /**
         * @param link   the frame came on.
         * @param buffer holding the frame, valid only during the call.
         * @param offset of the frame (after its length prefix).
         * @param length of the frame.
         */
        void onFrame(UringLink link, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Receives each frame of every link, in order per link, and may refuse one for now: the frame and every
     * later one of that link stay in the link's receive buffer and are offered again on the next duty cycle.
     * While they wait, the link's read is not re-armed once its buffer is full, so back-pressure reaches the
     * peer's socket instead of frames being dropped.
     */
    @FunctionalInterface
    public interface ControlledFrameHandler
    {
        /**
         * @param link   the frame came on.
         * @param buffer holding the frame, valid only during the call.
         * @param offset of the frame (after its length prefix).
         * @param length of the frame.
         * @return true when the frame was taken; false to keep it for the next duty cycle.
         */
        boolean onFrame(UringLink link, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Told when a link comes and goes.
     */
    public interface LinkListener
    {
        /**
         * A connection was accepted; frames can be offered to it from now on.
         *
         * @param link the new link.
         */
        default void onAccepted(final UringLink link)
        {
        }

        /**
         * The link is closed and its resources released; it accepts no more offers.
         *
         * @param link   the link.
         * @param reason why, one line (peer EOF, errno, protocol error, local close, server closed).
         */
        void onClosed(UringLink link, String reason);
    }

    private static final int ACCEPT_SLOT = 0xFF_FFFF;
    private static final int BACKLOG = 128;
    private static final long CLOSE_WAIT_SLICE_NS = 50_000_000L;

    private final Path socketPath;
    private final UringConfig config;
    private final ControlledFrameHandler frameHandler;
    private final LinkListener linkListener;
    private final UringRing ring;
    private final int listenFd;
    private final UringLink[] links;
    private final int[] generations;
    private final UringRing.CompletionHandler completions = this::onCompletion;

    private LinkMac linkMac = LinkMac.off();
    private CounterBlock counters;
    private boolean acceptArmed;
    private boolean inDutyCycle;
    private boolean closePending;
    private boolean closed;
    private int activeLinks;
    private long acceptedConnections;
    private long rejectedConnections;
    private String lastRejection;

    private UringServer(
        final Path socketPath,
        final UringConfig config,
        final ControlledFrameHandler frameHandler,
        final LinkListener linkListener,
        final UringRing ring,
        final int listenFd)
    {
        this.socketPath = socketPath;
        this.config = config;
        this.frameHandler = frameHandler;
        this.linkListener = linkListener;
        this.ring = ring;
        this.listenFd = listenFd;
        this.links = new UringLink[config.maxConnections()];
        this.generations = new int[config.maxConnections()];
    }

    /**
     * Listen at {@code socketPath} (a stale socket file is replaced; the new one is owner-only) with a ring sized
     * for {@link UringConfig#maxConnections()} links.
     *
     * @param socketPath   where to listen.
     * @param config       settings.
     * @param frameHandler receives every frame.
     * @param linkListener told of accepted and closed links.
     * @return the server; nothing is accepted until the first {@link #doWork()}.
     * @throws UncheckedIOException when io_uring or the socket cannot be set up (the message names the errno or
     *                              path).
     */
    public static UringServer bind(
        final Path socketPath,
        final UringConfig config,
        final FrameHandler frameHandler,
        final LinkListener linkListener)
    {
        return bindControlled(socketPath, config, (link, buffer, offset, length) ->
        {
            frameHandler.onFrame(link, buffer, offset, length);
            return true;
        }, linkListener);
    }

    /**
     * As {@link #bind}, with a handler that may refuse a frame for now (back-pressure from where it goes).
     *
     * @param socketPath   where to listen.
     * @param config       settings.
     * @param frameHandler receives every frame; returning false keeps it for the next duty cycle.
     * @param linkListener told of accepted and closed links.
     * @return the server.
     */
    public static UringServer bindControlled(
        final Path socketPath,
        final UringConfig config,
        final ControlledFrameHandler frameHandler,
        final LinkListener linkListener)
    {
        return bindControlled(socketPath, config, frameHandler, linkListener, LinkMac.off(), null);
    }

    /**
     * As {@link #bindControlled(Path, UringConfig, ControlledFrameHandler, LinkListener)}, with the frame MAC
     * setting every accepted link uses (see {@link UringLink}).
     *
     * @param socketPath   where to listen.
     * @param config       settings.
     * @param frameHandler receives every frame; returning false keeps it for the next duty cycle.
     * @param linkListener told of accepted and closed links.
     * @param linkMac      the frame MAC setting; clients must use the same.
     * @param counters     where MAC rejections and refused setups are counted, or null.
     * @return the server.
     */
    public static UringServer bindControlled(
        final Path socketPath,
        final UringConfig config,
        final ControlledFrameHandler frameHandler,
        final LinkListener linkListener,
        final LinkMac linkMac,
        final CounterBlock counters)
    {
        final int inFlightMax = 2 * config.maxConnections() + 1;
        final int entries = Math.max(8, 1 << (32 - Integer.numberOfLeadingZeros(inFlightMax)));
        final UringRing ring = UringRing.create(entries, 0);
        try
        {
            ring.registerSparseBuffers(2 * config.maxConnections());
            final int listenFd = UnixSocket.listen(socketPath, BACKLOG);
            final UringServer server = new UringServer(socketPath, config, frameHandler, linkListener, ring, listenFd);
            server.linkMac = linkMac;
            server.counters = counters;
            return server;
        }
        catch (final RuntimeException | Error ex)
        {
            ring.close();
            throw ex;
        }
    }

    /**
     * One duty cycle: reap completions (accepts, reads, writes), deliver up to
     * {@link UringConfig#fragmentLimit()} frames per link, release finished links, arm reads, writes and the accept,
     * and submit everything with at most one {@code io_uring_enter}.
     *
     * @return work done: completions reaped + frames delivered + links released.
     */
    @Override
    public int doWork()
    {
        if (closed)
        {
            return 0;
        }

        inDutyCycle = true;
        int work = 0;
        try
        {
            work += ring.reap(completions);
            if (!acceptArmed && !closePending)
            {
                armAccept();
            }

            final long nowNs = System.nanoTime();
            final int fragmentLimit = config.fragmentLimit();
            for (int i = 0; i < links.length && !closePending; i++)
            {
                final UringLink link = links[i];
                if (null != link)
                {
                    work += link.deliver(null, frameHandler, fragmentLimit);
                    if (link.serviceServerSide(nowNs))
                    {
                        releaseLink(link, "closed");
                        work++;
                    }
                }
            }

            if (!closePending)
            {
                ring.submit();
            }
        }
        finally
        {
            inDutyCycle = false;
        }

        if (closePending)
        {
            close();
        }

        return work;
    }

    /**
     * Submit what is queued, then block until a completion is posted or the timeout passes, in the kernel
     * ({@code io_uring_wait_cqe_timeout}); the next {@link #doWork()} reaps it. On the duty-cycle thread only; see
     * {@link UringIdleStrategy}.
     *
     * @param timeoutNs most nanoseconds to wait.
     * @return true if a completion is ready.
     */
    public boolean awaitCompletion(final long timeoutNs)
    {
        if (closed)
        {
            return false;
        }

        ring.submit();
        return ring.awaitCompletion(timeoutNs);
    }

    @Override
    public String roleName()
    {
        return "uring-server:" + socketPath;
    }

    /**
     * Closes the server when its {@link org.agrona.concurrent.AgentRunner} stops.
     */
    @Override
    public void onClose()
    {
        close();
    }

    /**
     * @return the path this server listens at.
     */
    public Path socketPath()
    {
        return socketPath;
    }

    /**
     * @return links currently open.
     */
    public int activeLinks()
    {
        return activeLinks;
    }

    /**
     * @return connections accepted and given a link.
     */
    public long acceptedConnections()
    {
        return acceptedConnections;
    }

    /**
     * @return connections accepted then closed at once (no free slot, buffers could not be registered).
     */
    public long rejectedConnections()
    {
        return rejectedConnections;
    }

    /**
     * @return why the last connection was rejected or the last accept failed, or null.
     */
    public String lastRejection()
    {
        return lastRejection;
    }

    /**
     * @return the descriptor of the server's ring: readable (for {@code poll}/{@code epoll}) while completions wait to
     * be reaped, so a caller can wait for them together with other descriptors ({@link Epoll}).
     */
    public int ringFd()
    {
        return ring.ringFd();
    }

    /**
     * @return {@code io_uring_enter} calls made by the server's ring.
     */
    public long enterCalls()
    {
        return ring.enterCalls();
    }

    /**
     * Close every link (each reported to {@link LinkListener#onClosed} with reason "server closed"), the ring, the
     * listening socket, and remove the socket file. In-flight requests get up to
     * {@link UringConfig#closeLingerNs()} to finish. Called from a callback, it takes effect at the end of the
     * current duty cycle. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (inDutyCycle)
        {
            closePending = true;
            return;
        }

        closed = true;
        try
        {
            for (final UringLink link : links)
            {
                if (null != link)
                {
                    link.shutdownSocket();
                }
            }

            final long deadlineNs = System.nanoTime() + config.closeLingerNs();
            while (anyInFlight() && System.nanoTime() - deadlineNs < 0)
            {
                ring.submit();
                ring.reap(completions);
                if (anyInFlight())
                {
                    ring.awaitCompletion(Math.min(CLOSE_WAIT_SLICE_NS, Math.max(0, deadlineNs - System.nanoTime())));
                }
            }
        }
        finally
        {
            ring.close();
            for (int i = 0; i < links.length; i++)
            {
                final UringLink link = links[i];
                if (null != link)
                {
                    links[i] = null;
                    activeLinks--;
                    link.release("server closed");
                    notifyClosed(link);
                }
            }

            UnixSocket.closeQuietly(listenFd);
            try
            {
                Files.deleteIfExists(socketPath);
            }
            catch (final IOException ignore)
            {
                // Best effort: a stale socket file is replaced by the next bind.
            }
        }
    }

    private boolean anyInFlight()
    {
        for (final UringLink link : links)
        {
            if (null != link && link.inFlight())
            {
                return true;
            }
        }

        return false;
    }

    private void armAccept()
    {
        final long sqe = ring.nextSqe();
        if (sqe >= 0)
        {
            ring.prepAccept(sqe, listenFd, liburing_h.SOCK_CLOEXEC(), ((long)ACCEPT_SLOT << 8) | UringLink.OP_ACCEPT);
            acceptArmed = true;
        }
    }

    private void onCompletion(final long userData, final int res, final int flags)
    {
        final int op = (int)(userData & 0xFF);
        if (UringLink.OP_ACCEPT == op)
        {
            acceptArmed = false;
            onAccept(res);
            return;
        }

        final int slot = (int)((userData >>> 8) & 0xFF_FFFF);
        if (slot < links.length)
        {
            final UringLink link = links[slot];
            if (null != link && link.generation() == (int)(userData >>> 32))
            {
                link.onCompletion(userData, res, flags);
            }
        }
    }

    private void onAccept(final int res)
    {
        if (res < 0)
        {
            if (-Errno.ECANCELED != res)
            {
                lastRejection = "accept failed: " + Errno.describe(res);
            }
            return;
        }
        if (closed || closePending)
        {
            UnixSocket.closeQuietly(res);
            return;
        }

        final int slot = freeSlot();
        if (slot < 0)
        {
            UnixSocket.closeQuietly(res);
            rejectedConnections++;
            lastRejection = "connection refused: all " + links.length + " links in use (" +
                UringConfig.MAX_CONNECTIONS_PROP + ")";
            return;
        }

        final int generation = ++generations[slot];
        UringLink link = null;
        try
        {
            link = new UringLink(ring, this, res, slot, generation, 2 * slot, config);
            ring.updateBuffers(2 * slot, link.sendArea(), link.receiveArea());
            link.startLinkSetup(linkMac, counters);
        }
        catch (final RuntimeException ex)
        {
            if (null != link)
            {
                link.release("rejected");
            }
            else
            {
                UnixSocket.closeQuietly(res);
            }
            rejectedConnections++;
            lastRejection = "connection refused: " + ex.getMessage();
            return;
        }

        links[slot] = link;
        activeLinks++;
        acceptedConnections++;
        linkListener.onAccepted(link);
    }

    private int freeSlot()
    {
        for (int i = 0; i < links.length; i++)
        {
            if (null == links[i])
            {
                return i;
            }
        }

        return -1;
    }

    private void releaseLink(final UringLink link, final String reason)
    {
        try
        {
            ring.updateBuffers(2 * link.slot(), MemorySegment.NULL, MemorySegment.NULL);
        }
        catch (final UncheckedIOException ignore)
        {
            // The slots are overwritten by the next accept into them; the pages stay pinned until then.
        }

        links[link.slot()] = null;
        activeLinks--;
        link.release(reason);
        notifyClosed(link);
    }

    private void notifyClosed(final UringLink link)
    {
        linkListener.onClosed(link, link.closeReason());
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("UringServer{").append(socketPath)
            .append(", links=").append(activeLinks)
            .append(", accepted=").append(acceptedConnections)
            .append(", rejected=").append(rejectedConnections)
            .append(", enterCalls=").append(ring.enterCalls());
        for (final UringLink link : links)
        {
            if (null != link)
            {
                sb.append(", ").append(link);
            }
        }
        return sb.append('}').toString();
    }
}
