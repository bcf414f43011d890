package dev.switchboard.ipc;

import dev.switchboard.ipc.shm.InboxLane;
import dev.switchboard.ipc.durable.LowTransport;
import dev.switchboard.ipc.socket.NormalTransport;
import dev.switchboard.ipc.uring.HighTransport;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.WakeEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.idle.IdleSettings;
import dev.switchboard.ipc.counters.CountersFile;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.ipc.link.DirectLinks;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.shm.ParkingIdleStrategy;
import dev.switchboard.ipc.shm.StuckRecordDetector;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.transport.FrameTypes;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.RouterFeatures;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

/**
 * An agent process's connection to a router in another process: the control socket (which also carries routed
 * NORMAL data), this process's CRITICAL inbox, and whichever other tiers run here. Construct with
 * {@link #connect(IpcContext)} and hand it to {@link dev.switchboard.client.SwitchboardClient#connect}.
 *
 * <h2>Reading: the inbox first, the rest when signalled</h2>
 * {@link #pollData} reads the CRITICAL inbox ring and nothing else. {@link #pollSignalled} looks at the signals block of
 * the inbox header ({@link InboxDescriptor#CONTROL_SIGNAL_OFFSET} and the others: three loads of one line of this
 * process's own memory) and reads a source only when its signal moved: the control socket when the router wrote to it
 * (a router that says so in its {@code Challenge}: {@link RouterFeatures#SIGNALS_CONTROL}), the durable queue when a
 * sender appended. A poll with nothing to read makes no system call and reads no clock; it adds 1 to the inbox
 * heartbeat word, from which the router renews the lease ({@link RouterFeatures#READS_HEARTBEATS}). The router's HIGH
 * link, when open, is looked at on every poll (its completion queue is memory). {@link #duty} does the rest on the
 * client's duty slice: the stuck-record check, corruption reports, and a safety sweep of the socket (each frame it
 * finds that no signal announced is counted: {@link RouterCounter#UNSIGNALLED_FRAMES}). Against a router that does not
 * signal, the socket is read on every poll, as before.
 *
 * <p>The socket carries control replies and NORMAL data frames interleaved; a read hands each to its handler, and a
 * read for control only ({@link #pollControl}, used by blocking control calls) stashes data frames in a small local
 * ring, delivered first by the next {@link #pollSignalled}, so that neither is lost nor reordered.
 *
 * <h2>Tiers open lazily</h2>
 * HIGH's io_uring link to the router opens on the first HIGH frame for the router (in that send: a connect and a ring
 * mapping, once per process, so that no HIGH frame goes NORMAL before it and is overtaken) or when the agent starts
 * receiving routed traffic (subscribe, consume, join); LOW's Chronicle queues open when a LOW destination is resolved or when the durable
 * signal first moves (or at registration, if this agent's queue already holds messages): an agent that only uses
 * CRITICAL starts no io_uring ring and no Chronicle thread.
 *
 * <h2>Counters file</h2>
 * The connection's counters are the values of this agent process's counters file ({@link AgentCountersFile}: created
 * at connect, renamed at registration, removed at close), so {@code ./switchboard stat} reads them while it runs: the
 * client flushes its batched counts there from its duty slice, {@link #duty} writes the heartbeat once a second, the
 * client records its request round trips in its {@value AgentCountersFile#REQUEST_RESPONSE_HISTOGRAM} histogram
 * ({@link #requestLatencyRecorder()}), and the errors this connection reports go to its distinct error log too.
 *
 * <p>Thread-safety: the agent's thread. Allocation: none per frame.
 */
public final class IpcConnection implements RouterConnection
{
    /** Against a router that signals, the socket is still read this often, as a safety net (counted when it finds). */
    static final long SOCKET_SWEEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The durable queue, once open, is read this often even when unsignalled (a sender that could not signal). */
    static final long DURABLE_SWEEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long one reconnection attempt may wait for the router's socket to accept (from a duty slice). */
    static final long RECONNECT_CONNECT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Longest park while the router's HIGH link is open and the router does not signal (see nanosUntilLook). */
    static final long UNSIGNALLED_HIGH_LOOK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** What a router must do for this agent to park on its futex (see {@link #idleStrategy}). */
    static final int FUTEX_FEATURES = RouterFeatures.RELAYS_WAKES | RouterFeatures.SIGNALS_CONTROL;

    private final IpcContext ctx;
    /** The control socket; replaced when the connection reconnects (agent thread only). */
    private FrameChannel frames;
    private final NormalTransport normal;
    private final HighRoute highRoute;
    private final Transport[] transports = new Transport[Tier.count()];
    private final TierMapping mapping;
    private final CounterBlock counters;
    private final java.lang.foreign.MemorySegment countersValues;
    /** This agent process's counters file (its values are {@link #countersValues}); named at registration. */
    private final CountersFile countersFile;
    private final ManyToOneRing dataStash;
    private final ManyToOneRing controlStash;
    private final Demux demux = new Demux();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ChallengeDecoder challengeDecoder = new ChallengeDecoder();
    private final WakeEncoder wakeEncoder = new WakeEncoder();
    private final MessageHeaderEncoder wakeHeader = new MessageHeaderEncoder();
    private final dev.switchboard.codecs.SegmentBuffer wakeBuffer =
        dev.switchboard.codecs.SegmentBuffer.allocate(Arena.ofAuto(), 64);
    private final InboxFile inbox;
    private final ManyToOneRing ring;
    private final StuckRecordDetector stuckRecords;
    private final LowTransport low;
    private final boolean highAvailable;
    /** Agent-to-agent links (point-to-point NORMAL and HIGH without the router), or null when they cannot run. */
    private final DirectLinks links;
    private final Long2ObjectHashMap<InboxFile> peers = new Long2ObjectHashMap<>();
    private final Map<InboxFile, int[]> peerRefs = new IdentityHashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    private ParkingIdleStrategy parking;
    private IdleStrategy idleStrategy;
    private IdleSettings idleSettings;
    private HighTransport high;
    private long agentId;
    private int routerFeatures;

    // Signals seen, and the reads they call for (agent thread only).
    private long seenControlSignal;
    private long seenDurableSignal;
    private boolean socketMore;
    /** Frames wait in a stash (this thread's own rings): checked with one field read rather than four loads. */
    private boolean stashed;
    /** Inside a read of the socket or the links: a handler's control read must not re-enter it (see pollControl). */
    private boolean reading;
    /** The own inbox faulted (truncated by another process): it is no longer read. */
    private boolean inboxFaulted;
    private long nextCorruptionReportNs;
    private boolean durableMore;
    private long lastParkCount;
    private long nextSocketSweepNs;
    private long nextDurableSweepNs;
    private long corruptRecordsCounted;
    private long discardedBytesCounted;
    private boolean closed;

    private IpcConnection(final IpcContext ctx, final SocketChannel channel, final CountersFile countersFile)
        throws IOException
    {
        this.ctx = ctx;
        final Arena arena = Arena.ofAuto();
        // The client's counter flushes and this connection's counts go straight into the shared counters file.
        this.countersFile = countersFile;
        this.countersValues = countersFile.writer().values();
        this.counters = countersFile.writer().counters();
        this.frames = new FrameChannel(channel, ctx.maxSocketFrameLength(), 256 * 1024, ctx.linkMac(), false, counters);
        // MAC on: the router's hello must come before anything is sent, so a mismatch fails here, clearly.
        frames.awaitLinkSetup(ctx.connectTimeoutNs());
        this.normal = new NormalTransport(frames);
        this.dataStash = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(ctx.inboxCapacity()), 128));
        this.controlStash = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(256 * 1024), 128));

        int tiers = Tier.NORMAL.mask() | Tier.LOW.mask();
        this.inbox = TierProbe.createInbox(ctx, counters);
        if (inbox != null)
        {
            tiers |= Tier.CRITICAL.mask() | Tier.BATCH.mask();
            this.ring = inbox.ring();
            this.stuckRecords = new StuckRecordDetector(ring, ctx.inboxUnblockTimeoutNs());
            this.seenControlSignal = inbox.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET);
            this.seenDurableSignal = inbox.signalValue(InboxDescriptor.DURABLE_SIGNAL_OFFSET);
        }
        else
        {
            this.ring = null;
            this.stuckRecords = null;
        }
        this.highAvailable = TierProbe.highAvailable(ctx, counters);
        if (highAvailable)
        {
            tiers |= Tier.HIGH.mask();
        }
        this.mapping = new TierMapping(tiers);
        this.links = openLinks(ctx, inbox, counters, highAvailable);
        this.highRoute = new HighRoute();
        this.low = new LowTransport(ctx, normal, countersFile.writer().errors());
        transports[Tier.NORMAL.ordinal()] = normal;
        transports[Tier.CRITICAL.ordinal()] = normal;
        transports[Tier.BATCH.ordinal()] = normal;
        transports[Tier.HIGH.ordinal()] = highRoute;
        transports[Tier.LOW.ordinal()] = low;
    }

    private static DirectLinks openLinks(
        final IpcContext ctx, final InboxFile inbox, final CounterBlock counters, final boolean highAvailable)
    {
        if (ctx.isDisabled("LINKS"))
        {
            return null;
        }
        try
        {
            return new DirectLinks(ctx, inbox, counters, ctx.linkSettings(), highAvailable);
        }
        catch (final RuntimeException e)
        {
            TierProbe.fallback("agent links", "the router's path", e.getMessage(), counters);
            return null;
        }
    }

    /**
     * Connect to the router named by the context, retrying until its socket accepts or the connect
     * timeout passes (or this process is asked to stop: {@link StopSignals}).
     *
     * @param ctx where the router is.
     * @return a connection, not yet registered.
     * @throws IllegalStateException when no router answers in time, naming the socket path.
     */
    public static IpcConnection connect(final IpcContext ctx)
    {
        ctx.conclude();
        final long deadline = System.nanoTime() + ctx.connectTimeoutNs();
        IOException last = null;
        while (System.nanoTime() < deadline && !StopSignals.current().isStopRequested())
        {
            try
            {
                final SocketChannel channel = connectChannel(ctx, deadline);
                final CountersFile countersFile = AgentCountersFile.open(ctx);
                try
                {
                    return new IpcConnection(ctx, channel, countersFile);
                }
                catch (final IOException e)
                {
                    countersFile.close();
                    channel.close();
                    throw e;
                }
                catch (final IllegalStateException e)
                {
                    // Link setup refused (frame MAC setting mismatch): retrying would not help.
                    countersFile.close();
                    channel.close();
                    throw new IllegalStateException("cannot connect to the router at " + ctx.socketPath() + ": " +
                        e.getMessage(), e);
                }
                catch (final RuntimeException | Error e)
                {
                    countersFile.close();
                    channel.close();
                    throw e;
                }
            }
            catch (final IOException e)
            {
                last = e;
                try
                {
                    Thread.sleep(20);
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (StopSignals.current().isStopRequested())
        {
            throw new IllegalStateException("no router at " + ctx.socketPath() + " yet, and this process is stopping (" +
                StopSignals.current().reason() + ")");
        }
        throw new IllegalStateException("no router at " + ctx.socketPath() + " within " +
            TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms (start one with ./switchboard router): " +
            (last == null ? "interrupted" : last.getMessage()));
    }

    /**
     * Connect to the router's socket, giving up at the deadline even when its listen queue is full (a blocking
     * {@code connect} to a Unix socket with a full backlog waits for ever): the connect is made non-blocking, and a
     * full queue answers at once ({@code EAGAIN}), which the caller retries until its deadline.
     */
    private static SocketChannel connectChannel(final IpcContext ctx, final long deadlineNs) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.configureBlocking(false);
            boolean connected = channel.connect(UnixDomainSocketAddress.of(ctx.socketPath()));
            while (!connected)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IOException("connect to " + ctx.socketPath() + " did not complete in time");
                }
                Thread.onSpinWait();
                connected = channel.finishConnect();
            }
            channel.configureBlocking(true);
            return channel;
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean reconnect()
    {
        if (closed)
        {
            return false;
        }
        if (frames.isOpen())
        {
            return true;
        }
        final SocketChannel channel;
        try
        {
            channel = connectChannel(ctx, System.nanoTime() + RECONNECT_CONNECT_TIMEOUT_NS);
        }
        catch (final IOException e)
        {
            return false; // no router there yet (refused, absent, or its queue is full): the caller tries later
        }
        try
        {
            final FrameChannel fresh =
                new FrameChannel(channel, ctx.maxSocketFrameLength(), 256 * 1024, ctx.linkMac(), false, counters);
            fresh.awaitLinkSetup(ctx.connectTimeoutNs());
            frames.close();
            frames = fresh;
            normal.frames(fresh);
            routerFeatures = 0;
            socketMore = false;
            agentId = 0;
            if (inbox != null)
            {
                seenControlSignal = inbox.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET);
            }
            if (high != null)
            {
                high.close(); // its link was to the old router: HIGH opens again on first use
                high = null;
            }
            if (parking != null)
            {
                parking.register(channel, SelectionKey.OP_READ);
            }
            return true;
        }
        catch (final IOException | RuntimeException e)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // giving up on this attempt
            }
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // control

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        final int status = frames.write(buffer, offset, length, buffer, offset + length, 0);
        frames.flush();
        return status;
    }

    @Override
    public int pollControl(final MessageHandler handler, final int limit)
    {
        if (reading)
        {
            // Called from a handler inside one of this connection's reads (the socket's, the links'): reading again
            // would re-enter it. The frames wait for the outer read's next turn.
            return 0;
        }
        int n = controlStash.read(handler, limit);
        // Straight from the socket only once the stash is empty (a read may stop at a wrap's padding), so that
        // stashed frames are never overtaken.
        if (n < limit && controlStash.size() == 0)
        {
            n += readSocket(null, handler, limit - n);
        }
        return n;
    }

    @Override
    public boolean isChallenged()
    {
        return true; // the router challenges every control-socket connection (see Router, Challenge)
    }

    @Override
    public String inboxPath()
    {
        return inbox == null ? "" : inbox.path().toString();
    }

    @Override
    public void onRegistered(final long agentId, final String name)
    {
        this.agentId = agentId;
        countersFile.rename(name);
        low.onRegistered(name);
        if (links != null)
        {
            links.selfAgentId(agentId);
        }
    }

    @Override
    public void onRoutedReceiver()
    {
        highRoute.open();
    }

    @Override
    public int encodeAfterRegistration(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long agentId)
    {
        return links == null || inbox == null ? 0 : links.encodeListen(buffer, offset, correlationId, agentId);
    }

    @Override
    public boolean linksTo(final Tier tier)
    {
        return links != null && (tier == Tier.NORMAL || (tier == Tier.HIGH && links.canSendHigh()));
    }

    @Override
    public int encodeLinkRequest(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long selfAgentId,
        final long targetAgentId,
        final Tier tier)
    {
        return linksTo(tier) ? links.encodeRequest(buffer, offset, correlationId, selfAgentId, targetAgentId, tier) : 0;
    }

    @Override
    public Lane openLink(final long selfAgentId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (links == null || closed)
        {
            throw new IllegalStateException("agent links do not run here");
        }
        return links.open(selfAgentId, buffer, offset, length);
    }

    // ---------------------------------------------------------------------------------------------------
    // reading

    @Override
    public int pollData(final MessageHandler handler, final int limit)
    {
        final ManyToOneRing ring = this.ring;
        if (ring == null || inboxFaulted)
        {
            return 0;
        }
        try
        {
            return ring.read(handler, limit);
        }
        catch (final InternalError e)
        {
            onOwnInboxFault(e);
            return 0;
        }
    }

    /**
     * This process's own inbox faulted on a read ({@code SIGBUS}: another process truncated the file): the ring cannot
     * be read any more. Reported once and counted; CRITICAL frames for this agent then fail at their senders
     * ({@code NOT_CONNECTED}, their lanes fault too), and nothing is thrown from {@code poll}.
     */
    private void onOwnInboxFault(final InternalError e)
    {
        inboxFaulted = true;
        counters.increment(CounterIds.of(RouterCounter.INBOX_FAULTS));
        final String message = "this agent's CRITICAL inbox " + inbox.path() + " faulted on a read (" + e.getMessage() +
            "; the file is now " + sizeOf(inbox.path()) + "): it was truncated or damaged by another process; " +
            "CRITICAL messages to this agent can no longer be received (counter '" +
            RouterCounter.INBOX_FAULTS.label() + "')";
        countersFile.writer().errors().record(AgentCountersFile.INBOX_FAULT, message);
        IpcLog.error(message);
    }

    /**
     * A fault the JVM reported late, out of a poll ({@link RouterConnection#onLateMemoryFault}): this process's own
     * inbox faulted if its file is now shorter than its mapping (truncated by another process); then it is handled as
     * a fault on a read, once.
     */
    @Override
    public boolean onLateMemoryFault(final InternalError fault)
    {
        if (inbox == null)
        {
            return false;
        }
        if (inboxFaulted)
        {
            return true;
        }
        try
        {
            if (Files.size(inbox.path()) >= InboxDescriptor.fileLength(ring.capacity()))
            {
                return false; // not this mapping
            }
        }
        catch (final IOException e)
        {
            // gone or unreadable: it cannot be read any more either way
        }
        onOwnInboxFault(fault);
        return true;
    }

    /**
     * A peer's inbox faulted while this process wrote to it: the lane is closed (its send reported NOT_CONNECTED).
     *
     * @param peer the peer's inbox.
     * @param e    what the JVM threw.
     */
    public void onPeerInboxFault(final InboxFile peer, final InternalError e)
    {
        counters.increment(CounterIds.of(RouterCounter.INBOX_FAULTS));
        final String message = "a receiver's CRITICAL inbox " + peer.path() + " faulted on a write (" +
            e.getMessage() + "; the file is now " + sizeOf(peer.path()) + "): truncated or damaged by another " +
            "process; sends to it report NOT_CONNECTED (counter '" + RouterCounter.INBOX_FAULTS.label() + "')";
        countersFile.writer().errors().record(AgentCountersFile.PEER_INBOX_FAULT, message);
        IpcLog.error(message);
    }

    private static String sizeOf(final Path path)
    {
        try
        {
            return java.nio.file.Files.size(path) + " bytes";
        }
        catch (final IOException ex)
        {
            return "unreadable: " + ex.getMessage();
        }
    }

    @Override
    public int pollSignalled(final MessageHandler data, final MessageHandler control, final int limit)
    {
        int n = 0;
        if (stashed)
        {
            n += dataStash.read(data, limit) + controlStash.read(control, limit);
            stashed = dataStash.size() != 0 || controlStash.size() != 0;
        }
        final InboxFile inbox = this.inbox;
        if (inbox != null)
        {
            // Liveness for the router's lease: a store to this process's own line, no clock, no system call.
            inbox.heartbeat();
            if ((routerFeatures & RouterFeatures.SIGNALS_CONTROL) != 0)
            {
                final long controlSignal = inbox.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET);
                if (controlSignal != seenControlSignal || socketMore)
                {
                    seenControlSignal = controlSignal;
                    n += readSocket(data, control, limit);
                }
            }
            else
            {
                // A router that does not signal: the socket is read on every poll, as clients of such routers did.
                n += readSocket(data, control, limit);
            }
            final long durableSignal = inbox.signalValue(InboxDescriptor.DURABLE_SIGNAL_OFFSET);
            if (durableSignal != seenDurableSignal || durableMore)
            {
                seenDurableSignal = durableSignal;
                final int read = low.pollOpening(data, limit);
                durableMore = read >= limit;
                n += read;
            }
        }
        else
        {
            n += readSocket(data, control, limit);
        }
        final HighTransport high = this.high;
        if (high != null)
        {
            n += high.poll(data, limit);
        }
        final DirectLinks links = this.links;
        if (links != null && !stashed)
        {
            // Only with nothing stashed: a link's frames must not overtake routed frames from the control socket that
            // came before its LinkExpect (DirectLinks' order rule).
            reading = true;
            try
            {
                n += links.poll(data, limit);
            }
            finally
            {
                reading = false;
            }
        }
        if (frames.pendingBytes() != 0)
        {
            frames.flush();
        }
        return n;
    }

    /**
     * Read the socket: control frames to {@code control}, data frames to {@code data}; a null handler stashes that kind.
     */
    private int readSocket(final MessageHandler data, final MessageHandler control, final int limit)
    {
        demux.data = data;
        demux.control = control;
        reading = true;
        try
        {
            final int n = frames.read(demux, limit);
            socketMore = n >= limit;
            return n;
        }
        finally
        {
            reading = false;
        }
    }

    @Override
    public int duty(final long nowNs, final MessageHandler data, final MessageHandler control)
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        countersFile.heartbeat(nowNs);
        final InboxFile inbox = this.inbox;
        if (inbox != null)
        {
            inbox.heartbeat();
            work += checkInbox(nowNs);
        }
        if (inbox != null && (routerFeatures & RouterFeatures.SIGNALS_CONTROL) != 0 && nowNs - nextSocketSweepNs >= 0)
        {
            nextSocketSweepNs = nowNs + SOCKET_SWEEP_NS;
            final int swept = readSocket(data, control, 64);
            if (swept > 0)
            {
                counters.add(CounterIds.of(RouterCounter.UNSIGNALLED_FRAMES), swept);
                work += swept;
            }
        }
        if (nowNs - nextDurableSweepNs >= 0)
        {
            nextDurableSweepNs = nowNs + DURABLE_SWEEP_NS;
            low.openInboxIfQueueAppeared(TimeUnit.NANOSECONDS.toMillis(nowNs));
            work += low.poll(data, 64);
        }
        if (high != null)
        {
            work += high.poll(data, 64);
        }
        if (links != null)
        {
            work += links.duty(nowNs);
        }
        if (frames.pendingBytes() != 0)
        {
            frames.flush();
        }
        return work;
    }

    /**
     * Duty-slice care of this process's inbox: a sender killed between claim and commit leaves a record that would stop
     * the inbox for ever (unblocked after the timeout); a sender that wrote garbage made the ring discard up to the tail
     * (counted, reported once per occurrence).
     */
    private int checkInbox(final long nowNs)
    {
        int work = 0;
        if (inboxFaulted)
        {
            return 0;
        }
        try
        {
            if (ring.checkTrailer())
            {
                work++;
            }
            if (ring.size() != 0 && stuckRecords.onEmptyRead())
            {
                counters.increment(CounterIds.of(RouterCounter.INBOX_RECORDS_UNBLOCKED));
                work++;
                final String message = "unblocked a CRITICAL inbox record claimed but never committed for " +
                    stuckRecords.timeoutNs() / 1_000_000 + " ms (its sender died mid-write?): " + inbox.path();
                countersFile.writer().errors().record(AgentCountersFile.INBOX_RECORD_UNBLOCKED, message);
                IpcLog.warn(message);
            }
        }
        catch (final InternalError e)
        {
            onOwnInboxFault(e);
            return 0;
        }
        if (ring.corruptRecordCount() != corruptRecordsCounted && nowNs - nextCorruptionReportNs >= 0)
        {
            // Counted and reported at most once a second, with what accumulated: a sender writing garbage in a loop
            // must not flood the log.
            nextCorruptionReportNs = nowNs + TimeUnit.SECONDS.toNanos(1);
            final long records = ring.corruptRecordCount() - corruptRecordsCounted;
            final long bytes = ring.discardedByteCount() - discardedBytesCounted;
            corruptRecordsCounted = ring.corruptRecordCount();
            discardedBytesCounted = ring.discardedByteCount();
            counters.add(CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS), records);
            counters.add(CounterIds.of(RouterCounter.INBOX_DISCARDED_BYTES), bytes);
            final String message = "inbox " + inbox.path() + " held " + records + " corrupt record(s) since the last " +
                "report (a length or a trailer position no sender writes); discarded " + bytes + " byte(s) and " +
                "carried on (counter '" + RouterCounter.INBOX_CORRUPT_RECORDS.label() + "', reported at most once a " +
                "second)";
            countersFile.writer().errors().record(AgentCountersFile.INBOX_CORRUPT, message);
            IpcLog.error(message);
        }
        return work;
    }

    @Override
    public boolean dutyRequested()
    {
        final ParkingIdleStrategy p = parking;
        if (p != null && p.parkCount() != lastParkCount)
        {
            lastParkCount = p.parkCount();
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------
    // direct paths

    @Override
    public Lane openLane(final long targetAgentId, final String targetName, final String targetInbox, final Tier tier)
    {
        if (closed || inbox == null || (tier != Tier.CRITICAL && tier != Tier.BATCH))
        {
            return null;
        }
        final InboxFile peer = peer(targetAgentId, targetInbox);
        if (peer == null)
        {
            return null;
        }
        peerRefs.get(peer)[0]++;
        final InboxLane lane = new InboxLane(peer, tier, this);
        lanes.add(lane);
        return lane;
    }

    /**
     * The mapping of a peer's inbox, opened once and shared by its lanes (and by the durable path, to signal it). The
     * registry's path must name a file in our own shm dir (refusals are counted as OUTSIDE_ROOT).
     */
    private InboxFile peer(final long targetAgentId, final String targetInbox)
    {
        InboxFile peer = peers.get(targetAgentId);
        if (peer != null && peer.isOpen())
        {
            return peer;
        }
        if (targetInbox == null || targetInbox.isEmpty())
        {
            return null;
        }
        try
        {
            final Path path = OwnedFiles.requireInside(inbox.path().getParent(), Path.of(targetInbox));
            peer = InboxFile.open(path);
        }
        catch (final RuntimeException | RefusedFileException e)
        {
            // Not reachable directly (gone, not an inbox, not ours, outside the shm dir): routed instead.
            return null;
        }
        peer.wakeRelay(() -> relayWake(targetAgentId));
        peers.put(targetAgentId, peer);
        peerRefs.put(peer, new int[1]);
        return peer;
    }

    /**
     * A lane into a peer's inbox closed: unmap the inbox once no lane uses it.
     *
     * @param peer the peer's inbox.
     */
    public void release(final InboxFile peer)
    {
        final int[] refs = peerRefs.get(peer);
        if (refs != null && --refs[0] <= 0)
        {
            peerRefs.remove(peer);
            peers.values().remove(peer);
            peer.close();
        }
    }

    @Override
    public boolean openDurable(final long targetAgentId, final String targetName, final String targetInbox)
    {
        if (closed || targetName == null)
        {
            return false;
        }
        final InboxFile peer = inbox == null ? null : peer(targetAgentId, targetInbox);
        if (peer != null)
        {
            peerRefs.get(peer)[0]++;
        }
        return low.openDestination(targetAgentId, targetName, peer);
    }

    /**
     * A peer is parked on its futex and this process cannot make the call: ask the router to wake it ({@code Wake}).
     * Runs inside a send, only on the wake-up path (the receiver was asleep).
     */
    private void relayWake(final long targetAgentId)
    {
        if (agentId != 0 && !closed)
        {
            wakeEncoder.wrapAndApplyHeader(wakeBuffer, 0, wakeHeader).agentId(agentId).targetAgentId(targetAgentId);
            sendControl(wakeBuffer, 0, MessageHeaderDecoder.ENCODED_LENGTH + WakeEncoder.BLOCK_LENGTH);
        }
    }

    @Override
    public boolean heartbeatsInSharedMemory()
    {
        return inbox != null && (routerFeatures & RouterFeatures.READS_HEARTBEATS) != 0;
    }

    // ---------------------------------------------------------------------------------------------------

    @Override
    public TierMapping tierMapping()
    {
        return mapping;
    }

    @Override
    public Transport transport(final Tier tier)
    {
        return transports[tier.ordinal()];
    }

    @Override
    public java.lang.foreign.MemorySegment countersValues()
    {
        return countersValues;
    }

    /**
     * @return this connection's counters file's {@value AgentCountersFile#REQUEST_RESPONSE_HISTOGRAM} histogram: the
     * client records each request's round trip in it (single writer: the client's thread).
     */
    @Override
    public java.util.function.LongConsumer requestLatencyRecorder()
    {
        return countersFile.writer().histogram(AgentCountersFile.REQUEST_RESPONSE_HISTOGRAM);
    }

    /**
     * @return this connection's counters file (values, histograms, error log): see {@link AgentCountersFile}.
     */
    public CountersFile countersFile()
    {
        return countersFile;
    }

    @Override
    public IdleStrategy idleStrategy(final IdleSettings settings)
    {
        if (idleStrategy == null || settings != idleSettings)
        {
            if (parking != null)
            {
                parking.close();
                parking = null;
            }
            idleSettings = settings;
            // The futex is this agent's only wake-up when it parks on it: only against a router that both relays
            // wakes and signals every write to this agent's sockets; otherwise the doorbell, whose Selector also
            // watches the control socket.
            idleStrategy = ParkingIdleStrategy.create(settings, inbox, () -> !nothingToRead(), this::nanosUntilLook,
                () -> (routerFeatures & FUTEX_FEATURES) == FUTEX_FEATURES, frames.channel());
            if (idleStrategy instanceof ParkingIdleStrategy p)
            {
                parking = p;
            }
        }
        return idleStrategy;
    }

    /**
     * How long a park may last: unbounded (the settings' longest park) when every producer wakes this agent, but a
     * millisecond while its router HIGH link is open and the router does not signal: frames on that link do not ring
     * the doorbell, so they are looked for after at most that long.
     */
    private long nanosUntilLook()
    {
        if (links != null && links.isBusy())
        {
            return 0; // a lane has bytes to write or a HIGH send in flight: poll again rather than sleep
        }
        return high != null && (routerFeatures & RouterFeatures.SIGNALS_CONTROL) == 0 ? UNSIGNALLED_HIGH_LOOK_NS :
            Long.MAX_VALUE;
    }

    /** The last look before sleeping: nothing in the ring, the stashes, or any signalled source. */
    private boolean nothingToRead()
    {
        if (stashed || socketMore || (links != null && links.hasWork()))
        {
            return false;
        }
        if (inbox == null)
        {
            return true;
        }
        return ringLooksEmpty() &&
            ((routerFeatures & RouterFeatures.SIGNALS_CONTROL) == 0 ||
                inbox.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET) == seenControlSignal) &&
            inbox.signalValue(InboxDescriptor.DURABLE_SIGNAL_OFFSET) == seenDurableSignal;
    }

    /**
     * @return whether this agent's ring holds nothing: true once its file faulted (it cannot be read any more, and the
     * idle strategy's last look must not fault again outside a poll).
     */
    private boolean ringLooksEmpty()
    {
        if (inboxFaulted)
        {
            return true;
        }
        try
        {
            return ring.size() == 0;
        }
        catch (final InternalError e)
        {
            onOwnInboxFault(e);
            return true;
        }
    }

    @Override
    public boolean isConnected()
    {
        return !closed && frames.isOpen();
    }

    /**
     * @return whether the control socket's frames carry a MAC ({@code switchboard.link.mac=on}, link set up).
     */
    public boolean isFrameMacActive()
    {
        return frames.isMacActive();
    }

    /**
     * @return why the socket closed, or null while open.
     */
    @Override
    public String closeReason()
    {
        return frames.closeReason();
    }

    /**
     * @return what the router said it does ({@link RouterFeatures} bits), 0 before its {@code Challenge} was read.
     */
    public int routerFeatures()
    {
        return routerFeatures;
    }

    /**
     * Open HIGH's io_uring link to the router now, if HIGH runs here (it opens by itself on the first HIGH frame or
     * routed subscription).
     *
     * @return the HIGH transport, or null when HIGH does not run here.
     */
    HighTransport openHigh()
    {
        highRoute.open();
        return high;
    }

    /**
     * @return true once HIGH's io_uring link to the router is open (it opens lazily).
     */
    public boolean isHighOpen()
    {
        return high != null && high.link() != null;
    }

    /**
     * @return true once LOW's Chronicle files are open in this process (they open lazily).
     */
    public boolean isDurableOpen()
    {
        return low.isOpen();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!frames.drainBlocking(TimeUnit.SECONDS.toNanos(10)))
            {
                IpcLog.warn("closing with " + frames.pendingBytes() + " bytes of frames the router did not take " +
                    "within 10 s (" + frames.closeReason() + ")");
            }
            for (final Lane lane : lanes)
            {
                lane.close();
            }
            lanes.clear();
            for (final InboxFile peer : peers.values())
            {
                peer.close();
            }
            peers.clear();
            peerRefs.clear();
            if (high != null)
            {
                high.close();
            }
            if (links != null)
            {
                links.close();
            }
            low.close();
            normal.close();
            if (inbox != null)
            {
                inbox.close();
            }
            if (parking != null)
            {
                parking.close();
            }
            countersFile.close();
        }
    }

    /**
     * HIGH frames for the router: over the io_uring link once it is open, until then (and if it cannot open) over the
     * control socket as NORMAL. The link opens lazily, on the first HIGH send (on the next duty slice: opening
     * connects a socket and maps a ring) or when the agent becomes a routed receiver.
     */
    private final class HighRoute implements Transport
    {
        private final dev.switchboard.transport.TransportCapabilities capabilities =
            new dev.switchboard.transport.TransportCapabilities(Tier.HIGH, ctx.maxSocketFrameLength(), false, false, true);

        @Override
        public void open()
        {
            if (highAvailable && high == null && agentId != 0 && !closed)
            {
                high = TierProbe.highTransport(ctx, normal, counters);
                if (high != null)
                {
                    high.onRegistered(agentId);
                }
            }
        }

        @Override
        public dev.switchboard.transport.TransportCapabilities capabilities()
        {
            return capabilities;
        }

        @Override
        public int offer(
            final long destination,
            final DirectBuffer header,
            final int headerOffset,
            final int headerLength,
            final DirectBuffer payload,
            final int payloadOffset,
            final int payloadLength)
        {
            HighTransport h = high;
            if (h == null && highAvailable && agentId != 0)
            {
                // First HIGH frame of this process: open the link here, once (a connect and a ring mapping), rather
                // than send some frames NORMAL and later ones HIGH, which the router could reorder.
                open();
                h = high;
            }
            if (h == null)
            {
                return normal.offer(destination, header, headerOffset, headerLength, payload, payloadOffset,
                    payloadLength);
            }
            return h.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }

        @Override
        public void close()
        {
        }
    }

    /** Routes each socket frame to the handler that wants it, stashing the kind nobody asked for. */
    private final class Demux implements FrameChannel.FrameHandler
    {
        MessageHandler control;
        MessageHandler data;

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            final int templateId = length >= MessageHeaderDecoder.ENCODED_LENGTH ?
                buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF : -1;
            if (templateId == EnvelopeDecoder.TEMPLATE_ID)
            {
                if (data != null)
                {
                    data.onMessage(FrameTypes.envelope(Tier.NORMAL), (MutableDirectBuffer)buffer, offset, length);
                    return true;
                }
                stashed = true;
                return dataStash.offer(FrameTypes.envelope(Tier.NORMAL), buffer, offset, length) == OfferStatus.OK;
            }
            if (templateId == ChallengeDecoder.TEMPLATE_ID)
            {
                onChallenge(buffer, offset);
            }
            else if (links != null && links.onControl(buffer, offset, length))
            {
                return true; // a LinkExpect, taken in its place on the socket
            }
            if (control != null)
            {
                control.onMessage(1, (MutableDirectBuffer)buffer, offset, length);
                return true;
            }
            stashed = true;
            return controlStash.offer(1, buffer, offset, length) == OfferStatus.OK;
        }

        private void onChallenge(final DirectBuffer buffer, final int offset)
        {
            headerDecoder.wrap(buffer, offset);
            if (headerDecoder.schemaId() == ChallengeDecoder.SCHEMA_ID)
            {
                challengeDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                    headerDecoder.version());
                routerFeatures = (int)challengeDecoder.flags();
            }
        }
    }
}
