package dev.switchboard.ipc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.shm.ParkingIdleStrategy;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

/**
 * An agent process's connection to a router in another process: the control socket (which also carries
 * NORMAL data), plus whichever other tiers run here. Construct with {@link #connect(IpcContext)} and hand it
 * to {@link dev.switchboard.client.SwitchboardClient#connect}.
 *
 * <p>The socket carries control replies and NORMAL data frames interleaved; each poll reads the socket and
 * sends control frames to {@link #pollControl} and data frames to {@link #pollData}, stashing frames of the
 * other kind in a small local ring so that neither is lost nor reordered.
 *
 * <p>Thread-safety: the agent's thread. Allocation: none per frame.
 */
public final class IpcConnection implements RouterConnection
{
    /** The socket read interval backs off to at most this many times {@link IpcContext#socketPollIntervalNs()}. */
    static final int MAX_SOCKET_INTERVAL_FACTOR = 16;

    private final IpcContext ctx;
    private final FrameChannel frames;
    private final NormalTransport normal;
    private final Transport[] transports = new Transport[Tier.count()];
    private final List<Transport> receivers = new ArrayList<>();
    private final TierMapping mapping;
    private final CounterBlock counters;
    private final java.lang.foreign.MemorySegment countersValues;
    private final ManyToOneRing dataStash;
    private final ManyToOneRing controlStash;
    private final Demux demux = new Demux();
    private final ParkingIdleStrategy idleStrategy;
    private final CriticalTransport critical;
    private final HighTransport high;
    private final LowTransport low;
    private long nextInboxHeartbeatMs;
    /** When the socket may next be read while it keeps coming back empty (see IpcContext.socketPollIntervalNs). */
    private long nextSocketReadNs;
    private long parkCountAtLastRead = -1;
    private long framesQueuedAtLastRead = -1;
    private long socketIntervalNs;
    private long nextLowReadNs;
    private long lowParkCount = -1;
    private boolean closed;

    private IpcConnection(final IpcContext ctx, final SocketChannel channel) throws IOException
    {
        this.ctx = ctx;
        final Arena arena = Arena.ofAuto();
        this.countersValues = arena.allocate((long)CounterIds.COUNT * CounterBlock.COUNTER_LENGTH, 128);
        this.counters = new CounterBlock(countersValues);
        this.frames = new FrameChannel(channel, ctx.maxSocketFrameLength(), 256 * 1024, ctx.linkMac(), false, counters);
        // MAC on: the router's hello must come before anything is sent, so a mismatch fails here, clearly.
        frames.awaitLinkSetup(ctx.connectTimeoutNs());
        this.normal = new NormalTransport(frames);
        transports[Tier.NORMAL.ordinal()] = normal;
        this.dataStash = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(ctx.inboxCapacity()), 128));
        this.controlStash = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(256 * 1024), 128));

        int tiers = Tier.NORMAL.mask();
        final InboxFile inbox = TierProbe.createInbox(ctx, counters);
        if (inbox != null)
        {
            critical = new CriticalTransport(inbox, normal, ctx.inboxUnblockTimeoutNs(), counters);
            transports[Tier.CRITICAL.ordinal()] = critical;
            receivers.add(critical);
            tiers |= Tier.CRITICAL.mask();
        }
        else
        {
            critical = null;
        }
        high = TierProbe.highTransport(ctx, normal, counters);
        if (high != null)
        {
            transports[Tier.HIGH.ordinal()] = high;
            receivers.add(high);
            tiers |= Tier.HIGH.mask();
        }
        low = new LowTransport(ctx, normal);
        transports[Tier.LOW.ordinal()] = low;
        // LOW is polled on its own schedule (pollData): a Chronicle tailer read on every poll would slow CRITICAL.
        tiers |= Tier.LOW.mask();
        this.mapping = new TierMapping(tiers);
        this.idleStrategy = new ParkingIdleStrategy(
            inbox == null ? List.of() : List.of(inbox),
            () -> dataStash.size() == 0 && controlStash.size() == 0 && (inbox == null || inbox.ring().size() == 0),
            ParkingIdleStrategy.spinNsFromProperty(),
            ParkingIdleStrategy.yieldsFromProperty(),
            high == null ? ParkingIdleStrategy.maxParkMsFromProperty() : 1);
        idleStrategy.register(channel, SelectionKey.OP_READ);
    }

    /**
     * Connect to the router named by the context, retrying until its socket accepts or the connect
     * timeout passes.
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
        while (System.nanoTime() < deadline)
        {
            try
            {
                final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try
                {
                    channel.connect(UnixDomainSocketAddress.of(ctx.socketPath()));
                    return new IpcConnection(ctx, channel);
                }
                catch (final IOException e)
                {
                    channel.close();
                    throw e;
                }
                catch (final IllegalStateException e)
                {
                    // Link setup refused (frame MAC setting mismatch): retrying would not help.
                    channel.close();
                    throw new IllegalStateException("cannot connect to the router at " + ctx.socketPath() + ": " +
                        e.getMessage(), e);
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
        throw new IllegalStateException("no router at " + ctx.socketPath() + " within " +
            TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms (start one with ./switchboard router): " +
            (last == null ? "interrupted" : last.getMessage()));
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        return frames.write(buffer, offset, length, buffer, offset + length, 0);
    }

    @Override
    public boolean isChallenged()
    {
        return true; // the router challenges every control-socket connection (see Router, Challenge)
    }

    @Override
    public String inboxPath()
    {
        return critical == null ? "" : critical.inbox().path().toString();
    }

    @Override
    public boolean knowsDestination(final Tier tier, final long agentId)
    {
        return switch (tier)
        {
            case CRITICAL, BATCH -> critical == null || critical.knows(agentId);
            case LOW -> !low.isAvailable() || low.knows(agentId);
            default -> true;
        };
    }

    @Override
    public void learnDestination(final long agentId, final String name, final String inbox)
    {
        if (critical != null)
        {
            critical.learn(agentId, inbox);
        }
        low.learn(agentId, name);
    }

    @Override
    public void onRegistered(final long agentId, final String name)
    {
        low.onRegistered(name);
        if (high != null)
        {
            high.onRegistered(agentId);
        }
    }

    @Override
    public int pollControl(final MessageHandler handler, final int limit)
    {
        if (critical != null)
        {
            final long nowMs = System.currentTimeMillis();
            if (nowMs >= nextInboxHeartbeatMs)
            {
                nextInboxHeartbeatMs = nowMs + 100;
                critical.inbox().heartbeat();
            }
        }
        int n = controlStash.read(handler, limit);
        // Straight from the socket only once the stash is empty (a read may stop at a wrap's padding),
        // so that stashed frames are never overtaken.
        if (n < limit && controlStash.size() == 0 && socketReadDue())
        {
            demux.control = handler;
            demux.data = null;
            n += socketRead(limit - n);
        }
        frames.flush();
        return n;
    }

    /**
     * The socket is read on an adaptive schedule, so that a loop spinning on the CRITICAL inbox is not slowed by an
     * empty {@code read} system call on every poll: at once while reads keep finding frames (a burst goes on), after
     * this agent wrote to the socket (a reply may be on its way), after the agent parked (it may have woken for this
     * socket), and otherwise after an interval that starts at {@link IpcContext#socketPollIntervalNs()} and doubles
     * with each empty read up to {@link #MAX_SOCKET_INTERVAL_FACTOR} times that.
     */
    private boolean socketReadDue()
    {
        if (ctx.socketPollIntervalNs() == 0 || idleStrategy.parkCount() != parkCountAtLastRead ||
            frames.framesQueued() != framesQueuedAtLastRead)
        {
            return true;
        }
        return System.nanoTime() - nextSocketReadNs >= 0;
    }

    private int socketRead(final int limit)
    {
        final int frameCount = frames.read(demux, limit);
        parkCountAtLastRead = idleStrategy.parkCount();
        framesQueuedAtLastRead = frames.framesQueued();
        final long now = System.nanoTime();
        if (frameCount > 0)
        {
            socketIntervalNs = 0;
            nextSocketReadNs = now;
        }
        else
        {
            final long min = ctx.socketPollIntervalNs();
            socketIntervalNs = socketIntervalNs == 0 ? min : Math.min(min * MAX_SOCKET_INTERVAL_FACTOR, 2 * socketIntervalNs);
            nextSocketReadNs = now + socketIntervalNs;
        }
        return frameCount;
    }

    /**
     * LOW's queue is read at once after a find or a park, else once per {@link IpcContext#socketPollIntervalNs()}
     * (no back-off: a tailer read costs no system call, only a few hundred ns, and LOW replies have no socket write
     * to announce them).
     */
    private boolean lowReadDue()
    {
        return ctx.socketPollIntervalNs() == 0 || idleStrategy.parkCount() != lowParkCount ||
            System.nanoTime() - nextLowReadNs >= 0;
    }

    @Override
    public int pollData(final MessageHandler handler, final int fragmentLimitPerTier)
    {
        int n = 0;
        for (int i = 0, size = receivers.size(); i < size; i++)
        {
            n += receivers.get(i).poll(handler, fragmentLimitPerTier);
        }
        if (lowReadDue())
        {
            final int lowFrames = low.poll(handler, fragmentLimitPerTier);
            lowParkCount = idleStrategy.parkCount();
            nextLowReadNs = System.nanoTime() + (lowFrames > 0 ? 0 : ctx.socketPollIntervalNs());
            n += lowFrames;
        }
        int normalFrames = dataStash.read(handler, fragmentLimitPerTier);
        if (normalFrames < fragmentLimitPerTier && dataStash.size() == 0 && socketReadDue())
        {
            demux.control = null;
            demux.data = handler;
            normalFrames += socketRead(fragmentLimitPerTier - normalFrames);
        }
        frames.flush();
        return n + normalFrames;
    }

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

    @Override
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
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
    public String closeReason()
    {
        return frames.closeReason();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!frames.drainBlocking(TimeUnit.SECONDS.toNanos(10)))
            {
                System.err.println("switchboard: WARNING closing with " + frames.pendingBytes() +
                    " bytes of frames the router did not take within 10 s (" + frames.closeReason() + ")");
            }
            for (final Transport t : transports)
            {
                if (t != null)
                {
                    t.close();
                }
            }
            idleStrategy.close();
        }
    }

    /** Routes each socket frame to the poll that wants it, stashing the other kind. */
    private final class Demux implements FrameChannel.FrameHandler
    {
        MessageHandler control;
        MessageHandler data;

        @Override
        public boolean onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            final boolean isData = length >= 8 &&
                (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == EnvelopeDecoder.TEMPLATE_ID;
            if (isData)
            {
                if (data != null)
                {
                    data.onMessage(Tier.NORMAL.typeId(), (MutableDirectBuffer)buffer, offset, length);
                    return true;
                }
                return dataStash.offer(Tier.NORMAL.typeId(), buffer, offset, length) == OfferStatus.OK;
            }
            if (control != null)
            {
                control.onMessage(1, (MutableDirectBuffer)buffer, offset, length);
                return true;
            }
            return controlStash.offer(1, buffer, offset, length) == OfferStatus.OK;
        }
    }

}
