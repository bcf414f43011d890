package dev.switchboard.ipc.durable;

import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.IpcLog;
import dev.switchboard.ipc.RateLimitedErrors;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.switchboard.ipc.durable.DurableInbox;
import dev.switchboard.ipc.durable.DurableOutbox;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.FixedTransport;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.MessageHandler;

/**
 * LOW: durable delivery. A point-to-point frame is appended to the destination's Chronicle queue (named by
 * the destination agent's name, stable across restarts); the agent reads its own queue with a named tailer
 * whose position persists, so a frame survives a crash of either side and of the router (see
 * {@link DurableInbox} for the exact guarantee). Frames for the router go over the control socket.
 *
 * <p><b>Opened lazily.</b> Nothing of Chronicle loads until LOW is used: the sending side opens when a LOW destination is
 * resolved ({@link #openDestination}), the receiving side when a sender signals an append
 * ({@link InboxDescriptor#DURABLE_SIGNAL_OFFSET}) or, at registration, when this agent's queue already exists (messages
 * sent while it was away). An agent that never touches LOW starts no Chronicle thread.
 *
 * <p><b>Signalled.</b> After each append the sender adds 1 to the receiver's durable signal (and wakes it if parked), so
 * the receiver reads its queue when something came, not on a schedule.
 *
 * <p>When Chronicle cannot run in this JVM (it needs the flags in {@link DurableQueues#JVM_FLAGS}), LOW has no
 * fallback, since durability cannot be faked: offers return {@link OfferStatus#NOT_CONNECTED}, and the first one
 * prints the reason once.
 *
 * <p>Thread-safety: the agent's thread. Allocation: none per frame once warm (Chronicle's appender).
 */
public final class LowTransport extends FixedTransport
{
    private final IpcContext ctx;
    private final Transport toRouter;
    private final Long2ObjectHashMap<String> names = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<InboxFile> receivers = new Long2ObjectHashMap<>();
    /** LOW's errors (refused appends, faults, skipped records): one line per second at most, with a count. */
    private final RateLimitedErrors errors;
    private final dev.switchboard.counters.file.DistinctErrorLog errorLog;
    private DurableQueues queues;
    private DurableOutbox outbox;
    private String unavailableReason;
    private DurableInbox inbox;
    private String ownName;
    /** Where this agent's own queue is (named by {@link #ownName}; computed without loading Chronicle). */
    private Path ownQueue;
    private boolean warned;
    private long nextQueueCheckMs;

    public LowTransport(final IpcContext ctx, final Transport toRouter)
    {
        this(ctx, toRouter, null);
    }

    /**
     * @param ctx      settings.
     * @param toRouter where LOW frames for the router go.
     * @param errorLog where LOW's errors are also logged, by kind (the agent's counters file), or null.
     */
    public LowTransport(final IpcContext ctx, final Transport toRouter,
        final dev.switchboard.counters.file.DistinctErrorLog errorLog)
    {
        super(new TransportCapabilities(Tier.LOW, ctx.maxSocketFrameLength(), true, true, true));
        this.errors = new RateLimitedErrors("LOW", 1_000_000_000L, errorLog);
        this.errorLog = errorLog;
        this.ctx = ctx;
        this.toRouter = toRouter;
    }

    /**
     * Open Chronicle's side of this process, once: false (with the reason kept) when it cannot run here.
     */
    private boolean ensureOpen()
    {
        if (queues != null)
        {
            return true;
        }
        if (unavailableReason != null)
        {
            return false;
        }
        unavailableReason = ctx.isDisabled("LOW") ? "disabled by " + IpcContext.TIERS_DISABLE_PROP :
            !chronicleOnClassPath() ? CHRONICLE_ABSENT : DurableQueues.unavailableReason();
        if (unavailableReason != null)
        {
            return false;
        }
        queues = ctx.lowQueues().conclude();
        outbox = new DurableOutbox(queues, errors);
        return true;
    }

    /** Why LOW cannot run when Chronicle Queue is not on the class path (it is an optional dependency). */
    static final String CHRONICLE_ABSENT = "LOW tier unavailable: Chronicle Queue (net.openhft:chronicle-queue, an " +
        "optional dependency of ipc-native) is not on the class path; add it to the agent's dependencies to use LOW";

    /**
     * Whether Chronicle Queue can be loaded, asked without loading any class of ours that links to it
     * ({@link DurableQueues} and the durable inbox and outbox do): an agent that leaves the optional dependency out
     * still runs every other tier, and LOW answers {@link OfferStatus#NOT_CONNECTED} with {@link #CHRONICLE_ABSENT}.
     */
    static boolean chronicleOnClassPath()
    {
        try
        {
            Class.forName("net.openhft.chronicle.queue.impl.single.SingleChronicleQueue", false,
                LowTransport.class.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException | LinkageError e)
        {
            return false;
        }
    }

    public boolean isOpen()
    {
        return queues != null;
    }

    boolean isInboxOpen()
    {
        return inbox != null;
    }

    /**
     * Duty slice, while the reading side is closed: open it once this agent's queue exists (a sender that could not
     * signal, the router appending a routed LOW frame). At most one directory check per 100 ms.
     *
     * @param nowMs the time.
     */
    public void openInboxIfQueueAppeared(final long nowMs)
    {
        if (inbox != null || ownName == null || nowMs < nextQueueCheckMs || ctx.isDisabled("LOW"))
        {
            return;
        }
        nextQueueCheckMs = nowMs + 100;
        if (Files.isDirectory(ownQueue, LinkOption.NOFOLLOW_LINKS))
        {
            openInbox();
        }
    }

    /**
     * The agent registered: remember its name, and open its queue for reading now only if it already exists (frames
     * may have been appended while it was away).
     */
    public void onRegistered(final String name)
    {
        ownName = name;
        ownQueue = DurableNames.queuePath(ctx.dataDir(), name);
        if (ctx.isDisabled("LOW"))
        {
            return;
        }
        if (Files.isDirectory(ownQueue, LinkOption.NOFOLLOW_LINKS))
        {
            openInbox();
        }
    }

    private void openInbox()
    {
        if (inbox == null && ownName != null && ensureOpen())
        {
            inbox = new DurableInbox(queues, ownName, "inbox", errors);
        }
    }

    /**
     * Resolve a LOW destination: open the sending side (Chronicle) and learn where the receiver's queue and inbox are.
     *
     * @param agentId  the receiver.
     * @param name     its name (its queue's name).
     * @param receiver its inbox mapping, to signal after each append; null when it has none here.
     * @return true when appends go to its queue from here.
     */
    public boolean openDestination(final long agentId, final String name, final InboxFile receiver)
    {
        if (!ensureOpen())
        {
            return false;
        }
        names.put(agentId, name);
        if (receiver != null)
        {
            receivers.put(agentId, receiver);
        }
        return true;
    }


    @Override
    public int offer(final long destination, final DirectBuffer header, final int headerOffset, final int headerLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (destination == ROUTER)
        {
            return toRouter.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }
        if (outbox == null)
        {
            if (!warned && unavailableReason != null)
            {
                warned = true;
                IpcLog.warn("LOW tier unavailable (no fallback: durability cannot be faked): " + unavailableReason);
                if (errorLog != null)
                {
                    errorLog.record("LOW unavailable", unavailableReason);
                }
            }
            return OfferStatus.NOT_CONNECTED;
        }
        final String name = names.get(destination);
        if (name == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int status =
            outbox.append(name, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        if (status == OfferStatus.OK)
        {
            final InboxFile receiver = receivers.get(destination);
            if (receiver != null)
            {
                receiver.signal(InboxDescriptor.DURABLE_SIGNAL_OFFSET);
            }
        }
        return status;
    }

    /**
     * A sender signalled an append: open the reading side if it is not yet, then read.
     */
    public int pollOpening(final MessageHandler handler, final int fragmentLimit)
    {
        if (inbox == null)
        {
            openInbox();
        }
        return poll(handler, fragmentLimit);
    }

    @Override
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        return inbox == null ? 0 : inbox.poll(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        if (inbox != null)
        {
            inbox.close();
        }
        if (outbox != null)
        {
            outbox.close();
        }
    }
}
