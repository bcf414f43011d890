package dev.switchboard.transport.inprocess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.router.Session;
import dev.switchboard.idle.IdleSettings;
import dev.switchboard.idle.IdleStrategies;
import dev.switchboard.idle.ThreadParker;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

/**
 * One in-process agent's connection: its inbox and control ring (process memory, reclaimed by the GC
 * once neither the client nor the router refers to them, so a late delivery never touches freed
 * memory), its {@link InProcessTransport}, and the router-side {@link Session}.
 *
 * <p>Thread-safety: client methods on the owning agent thread; the session's methods on the router
 * thread. Allocation: none per message.
 */
public final class InProcessConnection implements RouterConnection
{
    private static final TierMapping MAPPING = new TierMapping(Tier.IN_PROCESS.mask());

    private final InProcessHub hub;
    private final int sessionId;
    private final ManyToOneRing inbox;
    private final ManyToOneRing control;
    private final InProcessTransport transport;
    private final RouterSession session = new RouterSession();
    private final dev.switchboard.transport.FrameClaim.Committer inboxCommitter =
        new dev.switchboard.transport.FrameClaim.Committer()
        {
            @Override
            public void commit(final int index)
            {
                inbox.commit(index);
            }

            @Override
            public void abort(final int index)
            {
                inbox.abort(index);
            }
        };
    private volatile long agentId;
    private volatile boolean closed;
    /** How the owner thread sleeps under {@code spin-park} and senders wake it (lock-free, padded parked word). */
    private final ThreadParker parker = new ThreadParker();
    private IdleStrategy idleStrategy;
    private IdleSettings idleSettings;

    InProcessConnection(final InProcessHub hub, final int sessionId, final int inboxCapacity, final int controlCapacity)
    {
        this.hub = hub;
        this.sessionId = sessionId;
        final Arena arena = Arena.ofAuto();
        this.inbox = ManyToOneRing.create(allocate(arena, inboxCapacity));
        this.control = ManyToOneRing.create(allocate(arena, controlCapacity));
        this.transport = new InProcessTransport(this);
    }

    private static MemorySegment allocate(final Arena arena, final int capacity)
    {
        return arena.allocate(ManyToOneRing.requiredSize(capacity), 128);
    }

    Session session()
    {
        return session;
    }

    int sessionId()
    {
        return sessionId;
    }

    long agentId()
    {
        return agentId;
    }

    InProcessHub hub()
    {
        return hub;
    }

    ManyToOneRing inbox()
    {
        return inbox;
    }

    dev.switchboard.transport.FrameClaim.Committer inboxCommitter()
    {
        return inboxCommitter;
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return OfferStatus.CLOSED;
        }
        return hub.router().ingress().offer(sessionId, buffer, offset, length);
    }

    @Override
    public int pollControl(final MessageHandler handler, final int limit)
    {
        return control.read(handler, limit);
    }

    @Override
    public TierMapping tierMapping()
    {
        return MAPPING;
    }

    @Override
    public Transport transport(final Tier tier)
    {
        return tier == Tier.IN_PROCESS ? transport : null;
    }

    @Override
    public int pollData(final MessageHandler handler, final int limit)
    {
        return inbox.read(handler, limit);
    }

    @Override
    public int pollSignalled(final MessageHandler data, final MessageHandler controlHandler, final int limit)
    {
        // The control ring is process memory: looking at it is two loads, no system call.
        return control.read(controlHandler, limit);
    }

    @Override
    public int duty(final long nowNs, final MessageHandler data, final MessageHandler controlHandler)
    {
        return 0;
    }

    @Override
    public Lane openLane(final long targetAgentId, final String targetName, final String targetInbox, final Tier tier)
    {
        if (tier != Tier.IN_PROCESS)
        {
            return null;
        }
        final InProcessConnection target = hub.lookup(targetAgentId);
        return target == null || target.isClosed() ? null : new InProcessLane(target, targetAgentId);
    }

    @Override
    public boolean knowsEveryReceiver(final Tier tier)
    {
        // Every agent an in-process client can send to point-to-point is in the hub's directory.
        return tier == Tier.IN_PROCESS;
    }

    @Override
    public IdleStrategy idleStrategy(final IdleSettings settings)
    {
        IdleStrategy s = idleStrategy;
        if (s == null || !settings.equals(idleSettings))
        {
            s = IdleStrategies.create(settings, parker, () -> inbox.size() != 0 || control.size() != 0, null);
            idleStrategy = s;
            idleSettings = settings;
        }
        return s;
    }

    /**
     * A sender committed to this connection's inbox or control ring: wake the owner thread if it sleeps in its
     * {@code spin-park} idle strategy.
     */
    void wakeIfParked()
    {
        parker.wakeIfParked();
    }

    @Override
    public MemorySegment countersValues()
    {
        return hub.router().counters().valuesSegment();
    }

    @Override
    public boolean isConnected()
    {
        return !closed && !hub.router().isClosed();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            transport.close();
            hub.forget(this);
            hub.router().wake(); // a parked router notices the close now, not at its longest park
        }
    }

    @Override
    public boolean reconnect()
    {
        // In process there is no connection to lose: only a lease that expired (the agent did not poll for a whole
        // lease), after which the client registers again on this same connection.
        return isConnected();
    }

    private final class RouterSession implements Session
    {
        @Override
        public int sessionId()
        {
            return sessionId;
        }

        @Override
        public Tier tier()
        {
            return Tier.IN_PROCESS;
        }

        @Override
        public int tiers()
        {
            return Tier.IN_PROCESS.mask();
        }

        @Override
        public int deliver(final DirectBuffer buffer, final int offset, final int length)
        {
            if (closed)
            {
                return OfferStatus.NOT_CONNECTED;
            }
            final int status = inbox.offer(Tier.IN_PROCESS.typeId(), buffer, offset, length);
            if (status == OfferStatus.OK)
            {
                wakeIfParked();
            }
            return status;
        }

        @Override
        public int sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
            if (closed)
            {
                return OfferStatus.NOT_CONNECTED;
            }
            final int status = control.offer(1, buffer, offset, length);
            if (status == OfferStatus.OK)
            {
                wakeIfParked();
            }
            return status;
        }

        @Override
        public int maxControlLength()
        {
            return control.maxMessageLength();
        }

        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public dev.switchboard.security.PeerCredentials peer()
        {
            return dev.switchboard.security.PeerCredentials.IN_PROCESS;
        }

        @Override
        public void onAgentBound(final long id, final String name)
        {
            agentId = id;
            hub.bind(id, InProcessConnection.this);
        }

        @Override
        public void onAgentUnbound(final long id)
        {
            hub.unbind(id, InProcessConnection.this);
            if (agentId == id)
            {
                agentId = 0;
            }
        }
    }
}
