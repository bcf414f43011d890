package dev.switchboard.ipc.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkListenEncoder;
import dev.switchboard.codecs.sbe.LinkRequestEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.ipc.uring.UnixSocket;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.Tier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * One agent's agent-to-agent links, HIGH and NORMAL point to point without the router on the path: the sockets it
 * accepts links on, the lanes it sends on, the links it receives on. Owned by the agent's connection; see the package
 * documentation for the hand-off and the wire.
 *
 * <h2>Receiving</h2>
 * Two owner-only sockets beside the agent's inbox: {@code <inbox>.nlink} ({@code java.nio}, always) and
 * {@code <inbox>.hlink} (io_uring, when this process can run it). Announce them to the router with
 * {@link #encodeListen}. A link is admitted only for a claim that matches a grant the router announced
 * ({@link #onControl}, a LinkExpect) from that agent, on that tier, unexpired and unused, from a process of the user the
 * router vouched for ({@code SO_PEERCRED}); anything else is refused with a verdict and counted. {@link #poll} reads
 * NORMAL links only when the inbox's link signal moved (senders add to it after each write) and HIGH links only when
 * the ring has completions: a poll with nothing to read makes no system call and reads no clock.
 *
 * <h2>Sending</h2>
 * {@link #encodeRequest} asks the router for a link; its LinkGrant goes to {@link #open}, which connects (bounded:
 * a full listen queue cannot hang it), exchanges the hellos when the MAC is on, queues the claim and returns the
 * {@link Lane} at once: frames may be offered before the receiver's verdict, they wait in the socket until it admits
 * the link. Offers are written to the kernel at the next {@link #poll} (or the lane's {@code flush}), and each write is
 * followed by a signal on the receiver's inbox ({@code LINK_SIGNAL}, waking it if parked).
 *
 * <h2>Order across the switch (issue 18)</h2>
 * A receiver delivers no frame of a link before it has processed the link's LinkExpect, which the router sends on the
 * receiver's control stream after every frame it routed to it from the same sender before. So the caller must hand
 * LinkExpect to {@link #onControl} in its place among the data frames of the control socket: after every data frame
 * that preceded it has been delivered.
 *
 * <h2>Threads and cost</h2>
 * Not thread-safe: one thread, the agent's, calls everything ({@link #open} included: it services this agent's own
 * incoming links while it waits, so two agents opening links to each other cannot deadlock). {@link #poll}, the lanes'
 * {@code offer} and {@code flush} allocate nothing and take no lock; {@link #open}, {@link #onControl} and accepts
 * allocate (control path).
 */
public final class DirectLinks implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("dev.switchboard.link");
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final FrameChannel.FrameHandler KEEP = (buffer, offset, length) -> false;

    private final IpcContext ctx;
    private final InboxFile ownInbox;
    private final CounterBlock counters;
    private final LinkSettings settings;
    private final LinkMac linkMac;
    private final GrantBook grants;
    private final int ownUid;
    private final Path shmDir;
    private final Path normalEndpoint;
    private final Path highEndpoint;
    private final ServerSocketChannel normalServer;
    private final LinkRing ring;
    private final String highUnavailable;
    private final ArrayList<NioReceivedLink> nioLinks = new ArrayList<>();
    private final ArrayList<ReceivedLink> allReceived = new ArrayList<>();
    private final ArrayList<Lane> lanes = new ArrayList<>();
    private final ArrayList<Lane> dirty = new ArrayList<>();
    private final ArrayList<HighLane> sent = new ArrayList<>();
    private final ArrayList<HighLane> retiring = new ArrayList<>();
    private final Map<Path, MappedInbox> inboxes = new HashMap<>();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final LinkExpectDecoder expectDecoder = new LinkExpectDecoder();
    private final LinkGrantDecoder grantDecoder = new LinkGrantDecoder();
    // SegmentBuffer, not Agrona's UnsafeBuffer: a NORMAL agent runs with no JVM flags.
    private final SegmentBuffer expectGrant = SegmentBuffer.allocate(Arena.ofAuto(), LinkClaim.GRANT_LENGTH);
    private final SegmentBuffer claimScratch = SegmentBuffer.allocate(Arena.ofAuto(), LinkClaim.CLAIM_LENGTH);
    private Selector selector;
    private MessageHandler readyHandler;
    private int readyLimit;
    private int readyFrames;
    private final java.util.function.Consumer<SelectionKey> onReady = this::onReady;
    private long selfAgentId;
    private long lastSignal;
    private boolean nioPending;
    private long nextSweepNs;
    private boolean closed;

    /** A receiver's inbox mapped for its link signal, shared by the lanes to it. */
    private static final class MappedInbox
    {
        final InboxFile inbox;
        int users;

        MappedInbox(final InboxFile inbox)
        {
            this.inbox = inbox;
        }
    }

    /**
     * Links with the context's settings ({@link IpcContext#linkSettings()}), HIGH where io_uring runs here.
     *
     * @param ctx      the agent's IPC settings (shm dir, frame MAC, link settings).
     * @param ownInbox the agent's inbox: the endpoints are made beside it and the link signal is read from its header;
     *                 null for an agent that only sends.
     * @param counters where refusals and admissions are counted.
     */
    public DirectLinks(final IpcContext ctx, final InboxFile ownInbox, final CounterBlock counters)
    {
        this(ctx, ownInbox, counters, ctx.linkSettings(), !ctx.isDisabled("HIGH"));
    }

    /**
     * @param ctx      the agent's IPC settings (shm dir, frame MAC).
     * @param ownInbox the agent's inbox, or null for an agent that only sends.
     * @param counters where refusals and admissions are counted.
     * @param settings limits and sizes.
     * @param wantHigh whether to run HIGH links (io_uring) if this process can; false: NORMAL only.
     * @throws UncheckedIOException when the NORMAL socket cannot be created.
     */
    public DirectLinks(
        final IpcContext ctx,
        final InboxFile ownInbox,
        final CounterBlock counters,
        final LinkSettings settings,
        final boolean wantHigh)
    {
        this.ctx = ctx;
        this.ownInbox = ownInbox;
        this.counters = counters;
        this.settings = settings;
        this.linkMac = ctx.linkMac();
        this.grants = new GrantBook(settings.maxExpected());
        this.ownUid = PeerCredentials.self().uid();
        this.shmDir = ownInbox != null ? ownInbox.path().getParent() : ctx.shmDir().toAbsolutePath().normalize();
        if (ownInbox != null)
        {
            final String base = baseOf(ownInbox.path());
            this.normalEndpoint = Path.of(base + ".nlink");
            this.normalServer = listenNio(normalEndpoint);
            this.lastSignal = ownInbox.signalValue(InboxDescriptor.LINK_SIGNAL_OFFSET);
        }
        else
        {
            this.normalEndpoint = null;
            this.normalServer = null;
        }

        LinkRing r = null;
        String why = null;
        if (wantHigh)
        {
            final UringProbe.Result probe = UringProbe.probe();
            if (probe.available())
            {
                final Path high = ownInbox == null ? null : Path.of(baseOf(ownInbox.path()) + ".hlink");
                try
                {
                    r = new LinkRing(this, settings, high, ctx.linkUringMode());
                }
                catch (final RuntimeException | LinkageError ex)
                {
                    why = "io_uring link ring: " + ex;
                }
            }
            else
            {
                why = probe.reason();
            }
        }
        else
        {
            why = "HIGH disabled";
        }
        this.ring = r;
        this.highUnavailable = why;
        this.highEndpoint = r != null && ownInbox != null ? Path.of(baseOf(ownInbox.path()) + ".hlink") : null;
        this.nextSweepNs = System.nanoTime() + settings.sweepIntervalNs();
    }

    private static String baseOf(final Path inbox)
    {
        final String text = inbox.toString();
        if (!text.endsWith(InboxDescriptor.INBOX_SUFFIX))
        {
            throw new IllegalArgumentException("not an inbox path: " + inbox);
        }
        return text.substring(0, text.length() - InboxDescriptor.INBOX_SUFFIX.length());
    }

    private static ServerSocketChannel listenNio(final Path path)
    {
        try
        {
            OwnedFiles.removeStaleSocket(path);
            final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                server.bind(UnixDomainSocketAddress.of(path), 64);
                Files.setPosixFilePermissions(path, OwnedFiles.processDefault().fileMode());
                server.configureBlocking(false);
                return server;
            }
            catch (final IOException | RuntimeException ex)
            {
                server.close();
                throw ex;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen for NORMAL agent links at " + path + ": " + ex.getMessage(),
                ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Control plane: what the caller sends and receives on the control socket
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * @return where NORMAL links are accepted, or "" (no inbox).
     */
    public String normalEndpoint()
    {
        return normalEndpoint == null ? "" : normalEndpoint.toString();
    }

    /**
     * @return where HIGH links are accepted, or "" (no io_uring here, or no inbox).
     */
    public String highEndpoint()
    {
        return highEndpoint == null ? "" : highEndpoint.toString();
    }

    /**
     * @return whether this agent can open HIGH lanes (io_uring runs here).
     */
    public boolean canSendHigh()
    {
        return ring != null;
    }

    /**
     * @return one line: the endpoints, the io_uring mode and pool, or why HIGH does not run.
     */
    public String diagnostic()
    {
        return "agent links: NORMAL " + (normalEndpoint == null ? "send only" : "at " + normalEndpoint) + "; HIGH " +
            (ring == null ? "unavailable (" + highUnavailable + ")" :
            (highEndpoint == null ? "send only" : "at " + highEndpoint) + ", " + ring.diagnostic());
    }

    /**
     * The agent's id once registered: a claim must name it.
     *
     * @param agentId the id the router granted.
     */
    public void selfAgentId(final long agentId)
    {
        this.selfAgentId = agentId;
    }

    /**
     * Encode the LinkListen that announces this agent's endpoints (send it on the control socket once registered; the
     * router answers Ack or Error).
     *
     * @param buffer        where.
     * @param offset        at.
     * @param correlationId to match the answer.
     * @param agentId       this agent's id.
     * @return the frame's length (SBE header included).
     */
    public int encodeListen(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long agentId)
    {
        selfAgentId(agentId);
        final LinkListenEncoder e = new LinkListenEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .agentId(agentId);
        e.normalPath(normalEndpoint());
        e.highPath(highEndpoint());
        return HEADER + e.encodedLength();
    }

    /**
     * Encode a LinkRequest (send it on the control socket after every frame routed to the target so far; the router
     * answers LinkGrant, for {@link #open}, or Error: keep sending through the router).
     *
     * @param buffer        where.
     * @param offset        at.
     * @param correlationId to match the answer.
     * @param agentId       this agent's id.
     * @param targetAgentId the receiver.
     * @param tier          {@link Tier#HIGH} or {@link Tier#NORMAL}.
     * @return the frame's length (SBE header included).
     */
    public int encodeRequest(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long agentId,
        final long targetAgentId,
        final Tier tier)
    {
        final LinkRequestEncoder e = new LinkRequestEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .agentId(agentId)
            .targetAgentId(targetAgentId)
            .priority(tier == Tier.HIGH ? Priority.HIGH : Priority.NORMAL);
        return HEADER + e.encodedLength();
    }

    /**
     * Handle a control frame if it is a LinkExpect (hand every control frame here first, in its order on the socket
     * relative to data frames).
     *
     * @param buffer holding the frame (SBE header first).
     * @param offset of the frame.
     * @param length of the frame.
     * @return true when it was a LinkExpect and is taken.
     */
    public boolean onControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER ||
            (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != LinkExpectDecoder.TEMPLATE_ID)
        {
            return false;
        }
        expectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long from = expectDecoder.fromAgentId();
        final int uid = expectDecoder.fromUid();
        final Priority priority = expectDecoder.priority();
        final long ttlNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, expectDecoder.ttlMs()));
        final int grantLength = expectDecoder.grantLength();
        if (grantLength != LinkClaim.GRANT_LENGTH || (priority != Priority.HIGH && priority != Priority.NORMAL))
        {
            count(RouterCounter.LINK_FRAMES_REJECTED);
            LOG.log(System.Logger.Level.WARNING, "switchboard: LinkExpect ignored: grant of " + grantLength +
                " bytes at " + priority);
            return true;
        }
        expectDecoder.getGrant(expectGrant, 0, grantLength);
        final long nowNs = System.nanoTime();
        if (!grants.add(from, priority == Priority.HIGH ? Tier.HIGH : Tier.NORMAL, expectGrant, 0, uid, ttlNs, nowNs))
        {
            count(RouterCounter.LINK_REFUSED_PEER);
            LOG.log(System.Logger.Level.WARNING, "switchboard: LinkExpect from agent " + from + " dropped: " +
                settings.maxExpected() + " grants wait already (" + LinkSettings.MAX_EXPECTED_PROP + ")");
            return true;
        }
        // A claim may be waiting for it; a connection may be waiting to be accepted.
        acceptNio(nowNs);
        for (int i = 0, n = allReceived.size(); i < n; i++)
        {
            final ReceivedLink link = allReceived.get(i);
            link.tryAdmit(nowNs);
            if (link.isActive())
            {
                nioPending = true;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Opening lanes
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Open the lane a LinkGrant allows: see {@link #open(long, long, Tier, byte[], Path, Path)}.
     *
     * @param selfAgentId this agent's id.
     * @param buffer      holding the LinkGrant frame (SBE header first).
     * @param offset      of the frame.
     * @param length      of the frame.
     * @return the lane.
     * @throws IllegalArgumentException when the frame is not a LinkGrant.
     * @throws IllegalStateException    naming the cause when the lane cannot open.
     */
    public Lane open(final long selfAgentId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER ||
            (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != LinkGrantDecoder.TEMPLATE_ID)
        {
            throw new IllegalArgumentException("not a LinkGrant frame");
        }
        grantDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long target = grantDecoder.targetAgentId();
        final Tier tier = grantDecoder.priority() == Priority.HIGH ? Tier.HIGH : Tier.NORMAL;
        final byte[] grant = new byte[grantDecoder.grantLength()];
        grantDecoder.getGrant(grant, 0, grant.length);
        final String path = grantDecoder.path();
        final String inbox = grantDecoder.inbox();
        return open(selfAgentId, target, tier, grant, Path.of(path), inbox.isEmpty() ? null : Path.of(inbox));
    }

    /**
     * Open a lane to {@code targetAgentId}: connect to its endpoint (bounded by {@link LinkSettings#openTimeoutNs()},
     * a full listen queue included), exchange the hellos when the MAC is on (this agent's own incoming links are
     * serviced meanwhile), queue the claim and write it. Returns without waiting for the receiver's verdict: frames
     * offered meanwhile wait in the socket; a refusal closes the lane later ({@code NOT_CONNECTED}).
     *
     * @param selfAgentId   this agent's id.
     * @param targetAgentId the receiver.
     * @param tier          {@link Tier#HIGH} (io_uring, both ends) or {@link Tier#NORMAL} ({@code java.nio}).
     * @param grant         the 16 bytes of the LinkGrant.
     * @param endpoint      the receiver's socket for that tier (must be in this agent's shm dir).
     * @param targetInbox   the receiver's inbox for the link signal, or null (then it finds the frames on its sweep).
     * @return the lane; close it when done.
     * @throws IllegalStateException naming the cause: a path outside the shm dir, HIGH without io_uring here, no such
     *                               socket, a refused or timed-out connect, a MAC mismatch.
     */
    public Lane open(
        final long selfAgentId,
        final long targetAgentId,
        final Tier tier,
        final byte[] grant,
        final Path endpoint,
        final Path targetInbox)
    {
        if (closed)
        {
            throw new IllegalStateException("agent links are closed");
        }
        if (tier != Tier.HIGH && tier != Tier.NORMAL)
        {
            throw new IllegalStateException("agent links carry HIGH or NORMAL, not " + tier);
        }
        if (grant.length != LinkClaim.GRANT_LENGTH)
        {
            throw new IllegalStateException("a grant has " + LinkClaim.GRANT_LENGTH + " bytes, not " + grant.length);
        }
        if (tier == Tier.HIGH && ring == null)
        {
            throw new IllegalStateException("a HIGH lane needs io_uring in this process: " + highUnavailable);
        }
        final Path socket = inside(endpoint, tier == Tier.HIGH ? ".hlink" : ".nlink");
        final Path inboxPath = targetInbox == null ? null : inside(targetInbox, InboxDescriptor.INBOX_SUFFIX);
        final long deadline = System.nanoTime() + settings.openTimeoutNs();
        LinkClaim.writeClaim(claimScratch, 0, tier, selfAgentId, targetAgentId, grant);
        final InboxFile inbox = inboxPath == null ? null : mapInbox(inboxPath);
        try
        {
            final Lane lane = tier == Tier.NORMAL ?
                openNormal(socket, targetAgentId, inbox, deadline) : openHigh(socket, targetAgentId, inbox, deadline);
            lanes.add(lane);
            lane.flush();
            return lane;
        }
        catch (final RuntimeException ex)
        {
            if (inbox != null)
            {
                unmapInbox(inbox);
            }
            throw ex;
        }
    }

    private Path inside(final Path path, final String suffix)
    {
        try
        {
            final Path p = OwnedFiles.requireInside(shmDir, path);
            if (!p.getFileName().toString().endsWith(suffix))
            {
                throw new IllegalStateException("not an agent link path (" + suffix + "): " + path);
            }
            return p;
        }
        catch (final RefusedFileException ex)
        {
            throw new IllegalStateException("agent link path refused: " + ex.getMessage(), ex);
        }
    }

    private Lane openNormal(final Path socket, final long target, final InboxFile inbox, final long deadline)
    {
        final SocketChannel channel = connectNio(socket, deadline);
        try
        {
            final FrameChannel frames = new FrameChannel(channel, new LinkProtocol(linkMac, LinkMac.KIND_LINK_NORMAL,
                false, settings.maxFrameLength(), "agent " + target, "NORMAL agent link ", counters,
                RouterCounter.LINK_MAC_REJECTED_NORMAL, RouterCounter.LINK_FRAMES_REJECTED),
                settings.sendBufferLength());
            while (frames.isOpen() && !frames.protocol().isSetUp())
            {
                frames.flush();
                frames.read(KEEP, 1);
                if (frames.protocol().isSetUp())
                {
                    break;
                }
                if (System.nanoTime() - deadline > 0)
                {
                    frames.close();
                    throw new IllegalStateException("link setup failed: no link hello from agent " + target +
                        " within " + TimeUnit.NANOSECONDS.toMillis(settings.openTimeoutNs()) + " ms");
                }
                serviceIncoming();
                LockSupport.parkNanos(50_000);
            }
            if (!frames.isOpen())
            {
                throw new IllegalStateException("NORMAL link to agent " + target + " failed: " + frames.closeReason());
            }
            final NormalLane lane = new NormalLane(this, frames, inbox, target, settings.maxPayloadLength());
            lane.claim(claimScratch);
            return lane;
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("NORMAL link to agent " + target + " failed: " + ex.getMessage(), ex);
        }
    }

    private static SocketChannel connectNio(final Path socket, final long deadline)
    {
        while (true)
        {
            SocketChannel channel = null;
            try
            {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.configureBlocking(false);
                if (channel.connect(UnixDomainSocketAddress.of(socket)) || channel.finishConnect())
                {
                    return channel;
                }
                closeQuietly(channel);
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                // A full listen queue answers EAGAIN to a non-blocking connect: retry until the deadline.
                final boolean retry = ex.getMessage() != null && ex.getMessage().contains("temporarily unavailable");
                if (!retry || System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("cannot connect to the agent link socket " + socket + ": " +
                        ex.getMessage() + (retry ? " (its listen queue stayed full)" : ""), ex);
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("cannot connect to the agent link socket " + socket + " in time");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private Lane openHigh(final Path socket, final long target, final InboxFile inbox, final long deadline)
    {
        final int fd;
        try
        {
            fd = UnixSocket.connectNonBlocking(socket, deadline);
        }
        catch (final UncheckedIOException ex)
        {
            throw new IllegalStateException("cannot connect to the agent link socket " + socket + ": " +
                ex.getCause().getMessage(), ex);
        }
        try
        {
            final LinkProtocol protocol = new LinkProtocol(linkMac, LinkMac.KIND_LINK_HIGH, false,
                settings.maxFrameLength(), "agent " + target, "HIGH agent link ", counters,
                RouterCounter.LINK_MAC_REJECTED_HIGH, RouterCounter.LINK_FRAMES_REJECTED);
            final byte[] hello = protocol.localHello();
            if (hello != null)
            {
                exchangeHellos(fd, protocol, hello, target, deadline);
            }
            final HighLane lane = new HighLane(ring, fd, protocol, inbox, target, settings);
            lane.claim(claimScratch);
            return lane;
        }
        catch (final RuntimeException ex)
        {
            UnixSocket.closeQuietly(fd);
            throw ex;
        }
    }

    /**
     * MAC on: write this end's hello and read the receiver's on the raw descriptor, before the ring takes it over
     * (nothing else can come first: the claim is not sent yet).
     */
    private void exchangeHellos(
        final int fd, final LinkProtocol protocol, final byte[] hello, final long target, final long deadline)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final java.lang.foreign.MemorySegment out = arena.allocate(LinkProtocol.LENGTH_PREFIX + hello.length);
            final int length = LinkProtocol.writeRaw(out, 0, hello);
            int written = 0;
            while (written < length)
            {
                final int n = UnixSocket.write(fd, out, written, length - written);
                if (n < 0 && n != -dev.switchboard.ipc.uring.liburing.liburing_h.EAGAIN())
                {
                    throw new IllegalStateException("link setup failed: cannot write the hello to agent " + target +
                        ": errno " + -n);
                }
                written += Math.max(0, n);
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("link setup failed: the hello to agent " + target + " timed out");
                }
            }
            final java.lang.foreign.MemorySegment in = arena.allocate(256);
            final SegmentBuffer view = new SegmentBuffer(in);
            int end = 0;
            while (!protocol.isSetUp())
            {
                if (UnixSocket.awaitReadable(fd, 1))
                {
                    final int n = UnixSocket.read(fd, in, end, LinkProtocol.LENGTH_PREFIX + LinkMac.HELLO_LENGTH - end);
                    if (n == 0)
                    {
                        throw new IllegalStateException("link setup failed: agent " + target +
                            " closed the link before its hello");
                    }
                    end += Math.max(0, n);
                    protocol.parse(view, in.asByteBuffer(), 0, end, (b, o, l) -> false, 1);
                    if (protocol.failed())
                    {
                        throw new IllegalStateException(protocol.failure());
                    }
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("link setup failed: no link hello from agent " + target +
                        " within " + TimeUnit.NANOSECONDS.toMillis(settings.openTimeoutNs()) + " ms");
                }
                serviceIncoming();
            }
        }
    }

    /**
     * While {@link #open} waits: accept and set up this agent's incoming links (no frame is delivered).
     */
    private void serviceIncoming()
    {
        acceptNio(System.nanoTime());
        for (int i = 0, n = nioLinks.size(); i < n; i++)
        {
            nioLinks.get(i).channel().flush();
        }
        if (ring != null)
        {
            ring.poll(null, 0);
        }
    }

    private InboxFile mapInbox(final Path path)
    {
        final MappedInbox mapped = inboxes.get(path);
        if (mapped != null)
        {
            mapped.users++;
            return mapped.inbox;
        }
        final InboxFile inbox = InboxFile.open(path);
        final MappedInbox m = new MappedInbox(inbox);
        m.users = 1;
        inboxes.put(path, m);
        return inbox;
    }

    private void unmapInbox(final InboxFile inbox)
    {
        final MappedInbox mapped = inboxes.get(inbox.path());
        if (mapped != null && --mapped.users == 0)
        {
            inboxes.remove(inbox.path());
            inbox.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The data path
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Write what the lanes queued (and signal their receivers), then deliver frames of the links this agent receives
     * on: HIGH when the ring has completions, NORMAL when the inbox's link signal moved. With nothing to do: no system
     * call, no clock read, a few loads.
     *
     * @param handler receives each frame: type {@code FrameTypes.direct(tier)}, the buffer at its
     *                {@code DirectFrame} block, the length of header and payload (valid during the call only).
     * @param limit   most frames.
     * @return work done: frames delivered plus writes and completions.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        int work = 0;
        if (!dirty.isEmpty())
        {
            work += flushDirty();
        }
        if (ring != null && ring.hasWork())
        {
            work += ring.poll(handler, limit);
            afterReap();
        }
        if (ownInbox != null)
        {
            final long signal = ownInbox.signalValue(InboxDescriptor.LINK_SIGNAL_OFFSET);
            if (signal != lastSignal || nioPending)
            {
                lastSignal = signal;
                work += readNio(handler, limit, grants.size() > 0);
            }
        }
        return work;
    }

    private int flushDirty()
    {
        int work = 0;
        boolean high = false;
        // Lanes that stay dirty (a full socket) mark themselves again: they are flushed on the next poll, not now.
        final int n = dirty.size();
        for (int i = 0; i < n; i++)
        {
            final Lane lane = dirty.get(i);
            if (lane instanceof HighLane h)
            {
                h.prepare();
                high = true;
            }
            else
            {
                work += lane.flush();
            }
        }
        if (dirty.size() == n)
        {
            dirty.clear();
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                dirty.remove(0); // rare (a lane re-marked itself): no subList view, which would allocate
            }
        }
        if (high)
        {
            work += ring.poll(null, 0);
            afterReap();
        }
        return work;
    }

    /** Signal the receivers of the sends that completed, and queue the next sends. */
    private void afterReap()
    {
        for (int i = 0; i < sent.size(); i++)
        {
            sent.get(i).afterReap();
        }
        sent.clear();
    }

    private int readNio(final MessageHandler handler, final int limit, final boolean accept)
    {
        if (accept)
        {
            acceptNio(System.nanoTime());
        }
        nioPending = false;
        int frames = 0;
        final int n = nioLinks.size();
        if (n == 1 || selector == null)
        {
            for (int i = 0; i < n && frames < limit; i++)
            {
                frames += readOne(nioLinks.get(i), handler, limit - frames);
            }
        }
        else
        {
            // Frames an earlier read left in a link's own buffer (it stopped at a poll's limit) are no news to the
            // selector, which sees only the sockets: those links are read first, or their frames would wait for
            // bytes that may never come.
            for (int i = 0; i < n && frames < limit; i++)
            {
                final NioReceivedLink link = nioLinks.get(i);
                if (link.hasBufferedFrames())
                {
                    frames += readOne(link, handler, limit - frames);
                }
            }
            // Then only the links with bytes: no EAGAIN read on an idle one. The action form allocates no iterator.
            readyHandler = handler;
            readyLimit = limit;
            readyFrames = frames;
            try
            {
                selector.selectNow(onReady);
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "switchboard: agent link selector failed: " + ex.getMessage());
            }
            readyHandler = null;
            frames = readyFrames;
            // The selector only announces bytes still in a socket: frames a link has read already (beyond the last
            // read's limit, or held while its claim waited for the LinkExpect) are read here, or they would wait for the
            // sender's next bytes, which may never come.
            for (int i = 0; i < n; i++)
            {
                final NioReceivedLink link = nioLinks.get(i);
                if (link.hasBufferedFrames())
                {
                    if (frames < limit)
                    {
                        frames += readOne(link, handler, limit - frames);
                    }
                    nioPending |= link.hasBufferedFrames();
                }
            }
        }
        removeClosedNio();
        return frames;
    }

    private void onReady(final SelectionKey key)
    {
        if (readyFrames < readyLimit)
        {
            readyFrames += readOne((NioReceivedLink)key.attachment(), readyHandler, readyLimit - readyFrames);
        }
        else
        {
            nioPending = true;
        }
    }

    private int readOne(final NioReceivedLink link, final MessageHandler handler, final int limit)
    {
        if (link.isClosed() || link.state == ReceivedLink.EXPECTING)
        {
            return 0;
        }
        final int frames = link.read(handler, limit);
        nioPending |= link.hasBufferedFrames();
        return frames;
    }

    private void acceptNio(final long nowNs)
    {
        if (normalServer == null)
        {
            return;
        }
        while (true)
        {
            final SocketChannel channel;
            try
            {
                channel = normalServer.accept();
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "switchboard: accepting a NORMAL agent link failed: " +
                    ex.getMessage());
                return;
            }
            if (channel == null)
            {
                return;
            }
            if (!admitsAnotherLink())
            {
                count(RouterCounter.LINK_REFUSED_PEER);
                closeQuietly(channel);
                continue;
            }
            try
            {
                final UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                final int uid = PeerCredentials.of(principal.user().getName(), principal.group().getName()).uid();
                final NioReceivedLink link = new NioReceivedLink(this, channel, uid, nowNs);
                nioLinks.add(link);
                added(link);
                if (selector != null)
                {
                    // Once made, the selector reads every link whenever there are two or more: each link is in it,
                    // including one accepted while it was the only one (read directly then).
                    channel.register(selector, SelectionKey.OP_READ, link);
                }
                else if (nioLinks.size() > 1)
                {
                    selector = Selector.open();
                    for (final NioReceivedLink l : nioLinks)
                    {
                        l.channel().channel().register(selector, SelectionKey.OP_READ, l);
                    }
                }
                nioPending = true;
            }
            catch (final IOException | RuntimeException ex)
            {
                count(RouterCounter.LINK_REFUSED_PEER);
                closeQuietly(channel);
            }
        }
    }

    private void removeClosedNio()
    {
        for (int i = nioLinks.size() - 1; i >= 0; i--)
        {
            final NioReceivedLink link = nioLinks.get(i);
            if (link.isClosed())
            {
                nioLinks.remove(i);
                removed(link);
            }
        }
    }

    /**
     * The duty slice: accept waiting connections, refuse claims past their deadline, drop expired grants, sweep the
     * NORMAL links on the sweep interval (late frames from a sender that could not signal), service the ring, release
     * finished lanes. Reads the clock; may make system calls.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return work done.
     */
    public int duty(final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        grants.expire(nowNs);
        acceptNio(nowNs);
        for (int i = 0, n = nioLinks.size(); i < n; i++)
        {
            final NioReceivedLink link = nioLinks.get(i);
            if (link.expireIfDue(nowNs))
            {
                work++;
            }
            else if (link.state == ReceivedLink.CLAIM_WAIT)
            {
                nioPending = true; // its claim may be in: read it on the next poll
            }
        }
        if (nowNs - nextSweepNs >= 0)
        {
            nextSweepNs = nowNs + settings.sweepIntervalNs();
            nioPending = true;
        }
        removeClosedNio();
        if (ring != null)
        {
            work += ring.duty(nowNs);
            afterReap();
        }
        for (int i = 0, n = lanes.size(); i < n; i++)
        {
            if (lanes.get(i) instanceof NormalLane lane && lane.awaitsVerdict())
            {
                lane.readVerdict(); // one read per duty slice until the receiver has answered the claim
            }
        }
        for (int i = retiring.size() - 1; i >= 0; i--)
        {
            final HighLane lane = retiring.get(i);
            if (!lane.inFlight())
            {
                lane.release();
                retiring.remove(i);
            }
        }
        if (!dirty.isEmpty())
        {
            work += flushDirty();
        }
        return work;
    }

    /**
     * The owner's last look before it parks: true when {@link #poll} has something to do (queued writes, completions,
     * a NORMAL link signalled or pending). Loads only, no system call.
     *
     * @return true when the owner should poll rather than sleep.
     */
    public boolean hasWork()
    {
        return !dirty.isEmpty() || nioPending || (ring != null && ring.hasWork()) ||
            (ownInbox != null && ownInbox.signalValue(InboxDescriptor.LINK_SIGNAL_OFFSET) != lastSignal);
    }

    /**
     * @return true while a lane has bytes to write or a write in flight: the owner should poll again soon rather than
     * park for long (a completed HIGH send signals its receiver from the owner's next poll).
     */
    public boolean isBusy()
    {
        if (!dirty.isEmpty())
        {
            return true;
        }
        for (int i = 0, n = lanes.size(); i < n; i++)
        {
            if (lanes.get(i) instanceof HighLane h && h.isBusy())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return links admitted and delivering now.
     */
    public int activeLinks()
    {
        int active = 0;
        for (int i = 0, n = allReceived.size(); i < n; i++)
        {
            active += allReceived.get(i).isActive() ? 1 : 0;
        }
        return active;
    }

    /**
     * @return links being received on now (admitted or being set up).
     */
    public int receivedLinks()
    {
        return allReceived.size();
    }

    /**
     * @return lanes open now.
     */
    public int openLanes()
    {
        return lanes.size();
    }

    /**
     * Close every lane (queued frames are written, bounded), every received link, the ring and the sockets; delete
     * the socket files. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        for (final Lane lane : new ArrayList<>(lanes))
        {
            lane.close();
        }
        closed = true;
        for (final NioReceivedLink link : nioLinks)
        {
            link.close("closed");
        }
        nioLinks.clear();
        if (ring != null)
        {
            for (final HighLane lane : retiring)
            {
                lane.release();
            }
            ring.close();
        }
        if (selector != null)
        {
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // closing
            }
        }
        if (normalServer != null)
        {
            closeQuietly(normalServer);
            // java.nio, not UnixSocket.unlink: NORMAL links run in a JVM without native access.
            try
            {
                Files.deleteIfExists(normalEndpoint);
            }
            catch (final IOException ignore)
            {
                // closing; a stale socket of a dead pid is removed by the next router's cleaner
            }
        }
        for (final MappedInbox m : inboxes.values())
        {
            m.inbox.close();
        }
        inboxes.clear();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // For the lanes and links of this package
    // ---------------------------------------------------------------------------------------------------------------

    LinkSettings settings()
    {
        return settings;
    }

    LinkMac linkMac()
    {
        return linkMac;
    }

    CounterBlock counters()
    {
        return counters;
    }

    GrantBook grants()
    {
        return grants;
    }

    long selfAgentId()
    {
        return selfAgentId;
    }

    int ownUid()
    {
        return ownUid;
    }

    long nowNs()
    {
        return System.nanoTime();
    }

    void count(final RouterCounter counter)
    {
        if (counters != null)
        {
            counters.increment(CounterIds.of(counter));
        }
    }

    boolean admitsAnotherLink()
    {
        return !closed && allReceived.size() < settings.maxLinks();
    }

    void added(final ReceivedLink link)
    {
        allReceived.add(link);
    }

    void removed(final ReceivedLink link)
    {
        allReceived.remove(link);
    }

    void markDirty(final Lane lane)
    {
        dirty.add(lane);
    }

    void sent(final HighLane lane)
    {
        sent.add(lane);
    }

    void released(final Lane lane, final InboxFile receiverInbox)
    {
        lanes.remove(lane);
        dirty.remove(lane);
        if (lane instanceof HighLane h && !h.isReleased())
        {
            retiring.add(h);
        }
        if (receiverInbox != null && !closed)
        {
            unmapInbox(receiverInbox);
        }
    }

    private static void closeQuietly(final java.io.Closeable c)
    {
        if (c != null)
        {
            try
            {
                c.close();
            }
            catch (final IOException ignore)
            {
                // closing
            }
        }
    }

    @Override
    public String toString()
    {
        return "DirectLinks{" + diagnostic() + ", lanes=" + lanes + ", received=" + allReceived + ", nioPending=" +
            nioPending + ", lastSignal=" + lastSignal + ", signal=" +
            (ownInbox == null ? "none" : ownInbox.signalValue(InboxDescriptor.LINK_SIGNAL_OFFSET)) + '}';
    }
}
