package dev.switchboard.router;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.EnvelopeFlags;
import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.AckEncoder;
import dev.switchboard.codecs.sbe.AgentEventEncoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ChallengeEncoder;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorEncoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupResultEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.RegisteredEncoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.WakeDecoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistrationResult;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.access.AuthFailure;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The router: one duty cycle (an Agrona {@link Agent}) that owns the agent registry, subscriptions,
 * groups and work queues, reads every frame that agents hand it through the MPSC {@link Ingress}, and
 * routes: fan-out for publish, multicast and broadcast; competing consumers with acks for work queues;
 * forwarding for point-to-point frames on tiers that are not direct.
 *
 * <p><b>Back-pressure.</b> Nothing is dropped. When a receiver's inbox is full the router stops at that
 * frame (it stays at the head of the ingress, delivery resumes at the receiver that was full, never
 * duplicating earlier ones) and counts a stall; producers then see {@code BACK_PRESSURED} from the
 * ingress. A receiver that stops reading for good loses its lease and is removed, which unblocks the
 * router; meanwhile the other agents' leases, whose heartbeats wait behind the blocked frame, are renewed
 * rather than judged. Work items the router cannot hand out stay queued; a queue at its depth limit refuses new
 * items with an Error to the producer.
 *
 * <p><b>Threads.</b> {@link #launch} runs the duty cycle on its own thread with the context's idle
 * strategy, or, with {@link RouterContext#useInvoker(boolean)}, leaves it to the embedder, who calls
 * {@link #invoker()}{@code .invoke()}. All state is confined to that one thread; other threads only offer
 * to the ingress and add sessions.
 *
 * <p><b>Access control.</b> Each new session's kernel credentials are checked against the access policy and an
 * admitted socket session gets a {@code Challenge}; Register is authenticated (HMAC answer or JWT) and given its
 * role's {@link Grants}, which subscribe, join, consume, lookups (CRITICAL inbox grants) and routed data frames are
 * checked against; refusals are Errors plus counters ({@link dev.switchboard.router.access.Authenticator}).
 *
 * <p><b>Allocation.</b> Routing a data frame (validate, decode, fan-out, work dispatch, ack) allocates
 * nothing once warm. The control plane (register, lookup, subscribe) allocates, by design.
 */
public final class Router implements Agent, AutoCloseable
{
    /**
     * Bit 1 of {@code Challenge.flags}: this router relays {@code Wake} frames ({@link RouterContext#relaysWakes()}),
     * so a client may park on its inbox's futex: a sender that cannot make the futex call asks the router to. Bit 0 is
     * {@link Authenticator#FLAG_TOKEN_REQUIRED}.
     */
    public static final int CHALLENGE_RELAYS_WAKES = dev.switchboard.transport.RouterFeatures.RELAYS_WAKES;

    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    /** Duty cycles failing in a row after which the router stops ({@link #onDutyCycleError}). */
    public static final int FATAL_CONSECUTIVE_ERRORS = 1000;

    /** {@link #onSessionFrame(int, int, DirectBuffer, int, int)}: the session's own connection. */
    public static final int PRIMARY_LINK = 0;
    /** {@link #onSessionFrame(int, int, DirectBuffer, int, int)}: a second link of the same agent (HIGH). */
    public static final int SECONDARY_LINK = 1;

    private final RouterContext ctx;
    private final SwitchboardCounters countersOwner;
    private final CounterBlock counters;
    private final Ingress ingress;
    private final AgentRegistry registry;
    private final FrameRejections rejections = new FrameRejections();
    private final FrameValidator validator;
    private final java.util.List<AutoCloseable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final ConcurrentLinkedQueue<Session> newSessions = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger nextSessionId = new java.util.concurrent.atomic.AtomicInteger();
    private final Int2ObjectHashMap<SessionState> sessions = new Int2ObjectHashMap<>();
    private final ArrayList<SessionState> sessionList = new ArrayList<>();
    private final Long2ObjectHashMap<MemberSet> topics = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<MemberSet> groups = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<WorkQueue> queues = new Long2ObjectHashMap<>();
    private final ArrayList<WorkQueue> queueList = new ArrayList<>();
    private final MemberSet watchers = new MemberSet(0, "registry");
    private final ArrayList<WorkItem> itemPool = new ArrayList<>();

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final EnvelopeEncoder envelopeEncoder = new EnvelopeEncoder();
    private final RegisterDecoder registerDecoder = new RegisterDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final DeregisterDecoder deregisterDecoder = new DeregisterDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final UnsubscribeDecoder unsubscribeDecoder = new UnsubscribeDecoder();
    private final JoinGroupDecoder joinGroupDecoder = new JoinGroupDecoder();
    private final LeaveGroupDecoder leaveGroupDecoder = new LeaveGroupDecoder();
    private final LookupDecoder lookupDecoder = new LookupDecoder();
    private final WakeDecoder wakeDecoder = new WakeDecoder();
    private final RegisteredEncoder registeredEncoder = new RegisteredEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final LookupResultEncoder lookupResultEncoder = new LookupResultEncoder();
    private final AgentEventEncoder agentEventEncoder = new AgentEventEncoder();
    private final ChallengeEncoder challengeEncoder = new ChallengeEncoder();
    private final Authenticator auth;
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * 1024));
    private final FrameHandler frameHandler = new FrameHandler();
    private final LinkBroker links;

    /** Fan-out state of the ingress's head frame: held there while a receiver is full. */
    private final Fanout ingressFanout;
    /** Fan-out state for a frame a session hands over directly; swapped into the session when a receiver is full. */
    private Fanout scratchFanout;
    /** The fan-out of the frame being routed (one of the two above). */
    private Fanout fanout;
    private final ArrayList<Fanout> fanoutPool = new ArrayList<>();
    /** Sessions with a frame held by a full receiver (direct path). */
    private int heldSessions;
    /** Connections from other processes that have not registered yet (the handshake deadline runs for them). */
    private int awaitingRegistration;

    private long nowNs;
    private long nextTimerNs;
    /**
     * Work item ids start at a random point in each router, so that an ack for an item of a router that died (a
     * consumer that reconnected and acked what it held) does not name an item of this one.
     */
    private long nextItemId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE >> 1);
    private AgentRunner runner;
    private AgentInvoker invoker;
    private volatile Throwable fatalError;
    private int consecutiveErrors;
    private long errorsLogged;
    private long errorsSuppressed;
    private long lastErrorLogNs;
    private volatile boolean closed;
    /**
     * Set by {@link #close()} before it stops the runner (the closing thread writes, the duty cycle reads before it
     * parks): a duty cycle that parked would otherwise sleep out its park, up to {@link RouterContext#idleMaxParkNs()},
     * before it saw its runner stop.
     */
    private volatile boolean stopping;

    /**
     * Build a router; prefer {@link #launch(RouterContext)}, which also starts the duty cycle.
     *
     * @param ctx settings; concluded here if not already.
     */
    public Router(final RouterContext ctx)
    {
        this.ctx = ctx.isConcluded() ? ctx : ctx.conclude();
        this.countersOwner = ctx.counters() != null ? ctx.counters() : new SwitchboardCounters();
        this.counters = countersOwner.block();
        this.ingress = new Ingress(ctx.ingressCapacity(), counters);
        this.validator = new FrameValidator(ingress.maxMessageLength(), rejections);
        this.registry = new AgentRegistry(ctx.maxAgents(), ctx.defaultLeaseNs(), ctx.maxLeaseNs());
        this.registry.addListener(new RegistryCleanup());
        this.auth = this.ctx.authenticator();
        this.links = new LinkBroker(registry, counters, this::sessionOf);
        this.ingressFanout = new Fanout(ctx.maxAgents());
        this.scratchFanout = new Fanout(ctx.maxAgents());
        this.fanout = ingressFanout;
        this.nowNs = ctx.nanoClock().nanoTime();
        this.nextTimerNs = nowNs;
    }

    /**
     * Build a router and start its duty cycle: on a new thread, or in invoker mode.
     *
     * @param ctx settings.
     * @return the running router.
     */
    public static Router launch(final RouterContext ctx)
    {
        final Router router = new Router(ctx);
        if (router.ctx.useInvoker())
        {
            router.invoker = new AgentInvoker(router::onDutyCycleError, null, router);
            router.invoker.start();
        }
        else
        {
            final org.agrona.concurrent.IdleStrategy idle = router.ctx.idleStrategy() != null ?
                router.ctx.idleStrategy() : new QuietIdleStrategy(router);
            router.runner = new AgentRunner(idle, router::onDutyCycleError, null, router);
            AgentRunner.startOnThread(router.runner);
        }
        return router;
    }

    /**
     * @return the invoker, when launched in invoker mode; the embedder calls {@code invoke()} on it.
     */
    public AgentInvoker invoker()
    {
        return invoker;
    }

    /**
     * Close something with the router (for example an in-process hub and its connections). Hooks run
     * when the duty cycle stops, in the order added.
     *
     * @param hook to close.
     */
    public void addCloseHook(final AutoCloseable hook)
    {
        closeHooks.add(hook);
    }

    /**
     * @return the MPSC ingress every session's frames enter through.
     */
    public Ingress ingress()
    {
        return ingress;
    }

    /**
     * @return the router's counters.
     */
    public SwitchboardCounters counters()
    {
        return countersOwner;
    }

    /**
     * @return counts of frames refused by validation, by reason.
     */
    public FrameRejections rejections()
    {
        return rejections;
    }

    /**
     * @return the settings in force.
     */
    public RouterContext context()
    {
        return ctx;
    }

    /**
     * @return a new session id, unique in this router across every transport. Safe from any thread.
     */
    public int nextSessionId()
    {
        return nextSessionId.incrementAndGet();
    }

    /**
     * Hand a new session to the router. Safe from any thread; takes effect on the router thread before
     * any frame of that session is read.
     *
     * @param session a newly connected session.
     */
    public void addSession(final Session session)
    {
        newSessions.offer(session);
        ingress.wakeIfParked();
    }

    /**
     * An unexpected error in the duty cycle (the router's, or the I/O engine's around it): counted
     * ({@link RouterCounter#DUTY_CYCLE_ERRORS}), logged (the first with its stack trace, then at most one line a
     * second with the count since), handed to {@link RouterContext#errorHandler()} if set. The duty cycle carries on,
     * unless the error is fatal ({@link #fatalError()}): an {@link Error} (out of memory, a fault, a stack overflow),
     * or {@value #FATAL_CONSECUTIVE_ERRORS} cycles in a row failing. Then whoever runs the duty cycle stops it, so the
     * router never lingers half-dead. Duty-cycle thread.
     *
     * @param error what was thrown.
     */
    public void onDutyCycleError(final Throwable error)
    {
        if (error instanceof org.agrona.concurrent.AgentTerminationException)
        {
            return; // the runner stopping on a fatal error already reported
        }
        counters.increment(CounterIds.of(RouterCounter.DUTY_CYCLE_ERRORS));
        if (fatalError == null && (error instanceof Error || ++consecutiveErrors >= FATAL_CONSECUTIVE_ERRORS))
        {
            fatalError = error;
            LOG.log(System.Logger.Level.ERROR, "router duty cycle stopping on a fatal error (" +
                (error instanceof Error ? "an Error" : consecutiveErrors + " failing cycles in a row") + ")", error);
        }
        else
        {
            final long now = System.nanoTime();
            if (errorsLogged == 0 || now - lastErrorLogNs >= TimeUnit.SECONDS.toNanos(1))
            {
                if (errorsLogged == 0)
                {
                    LOG.log(System.Logger.Level.ERROR, "router duty-cycle error (the router carries on)", error);
                }
                else
                {
                    LOG.log(System.Logger.Level.ERROR, "router duty-cycle errors: " + (errorsSuppressed + 1) +
                        " since the last report, the last: " + error);
                }
                errorsLogged++;
                errorsSuppressed = 0;
                lastErrorLogNs = now;
            }
            else
            {
                errorsSuppressed++;
            }
        }
        if (ctx.errorHandler() != null)
        {
            ctx.errorHandler().onError(error);
        }
    }

    /**
     * @return the error that made the duty cycle unable to carry on, or null; see {@link #onDutyCycleError}.
     */
    public Throwable fatalError()
    {
        return fatalError;
    }

    /**
     * Wake the duty cycle if it is parked (for something it must see that did not pass through the ingress). Safe
     * from any thread.
     */
    public void wake()
    {
        ingress.wakeIfParked();
    }

    /**
     * @return true when a session was added and the duty cycle has not taken it yet (router thread, before parking).
     */
    public boolean hasNewSessions()
    {
        return !newSessions.isEmpty();
    }

    /**
     * @return true once {@link #close()} has begun: an idle strategy must not block any more (any thread).
     */
    public boolean isStopping()
    {
        return stopping;
    }

    /**
     * When the duty cycle next has something to do if no frame arrives: the first timer tick at or after the earliest
     * of the next lease to judge, the next work item ack deadline, and, while a full receiver holds a frame or a work
     * item, the next retry ({@link RouterContext#stallRetryNs()}). A quiet idle strategy parks until then (at most
     * {@link RouterContext#idleMaxParkNs()}). Router thread only. Allocation: none.
     *
     * @return a time on the router's {@link RouterContext#nanoClock()}; {@link Long#MAX_VALUE} for none.
     */
    public long nextDeadlineNs()
    {
        long deadline = registry.nextExpiryNs();
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            deadline = Math.min(deadline, q.nextDeadlineNs);
            if (q.dispatchBlocked)
            {
                deadline = Math.min(deadline, nowNs + ctx.stallRetryNs());
            }
        }
        if (ingressFanout.inProgress || heldSessions > 0)
        {
            deadline = Math.min(deadline, nowNs + ctx.stallRetryNs());
        }
        if (awaitingRegistration > 0)
        {
            for (int i = 0, n = sessionList.size(); i < n; i++)
            {
                final SessionState state = sessionList.get(i);
                if (isAwaitingRegistration(state))
                {
                    deadline = Math.min(deadline, state.connectedNs + ctx.handshakeTimeoutNs());
                }
            }
        }
        return deadline == Long.MAX_VALUE ? deadline : Math.max(deadline, nextTimerNs);
    }

    private static boolean isAwaitingRegistration(final SessionState state)
    {
        return !state.everRegistered && !state.refused && !state.peer.inProcess();
    }

    /**
     * @return true while a full receiver holds a frame (of the ingress or of a session): the duty cycle retries it
     * every {@link RouterContext#stallRetryNs()}.
     */
    public boolean isHoldingFrames()
    {
        return ingressFanout.inProgress || heldSessions > 0;
    }

    /**
     * Add a listener of registry changes. It is called on the router thread: keep it short.
     * Call before agents register, or from the router thread.
     *
     * @param listener to add.
     */
    public void addRegistryListener(final RegistryListener listener)
    {
        registry.addListener(listener);
    }

    @Override
    public String roleName()
    {
        return "switchboard-router";
    }

    @Override
    public int doWork()
    {
        int work = 0;
        nowNs = ctx.nanoClock().nanoTime();
        if (!newSessions.isEmpty())
        {
            work += drainNewSessions();
        }
        work += ingress.read(frameHandler, ctx.fragmentLimit());
        if (nowNs - nextTimerNs >= 0)
        {
            nextTimerNs = nowNs + ctx.timerIntervalNs();
            work += onTimer();
        }
        consecutiveErrors = 0;
        if (fatalError != null)
        {
            throw new org.agrona.concurrent.AgentTerminationException(fatalError);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        closed = true;
        for (final AutoCloseable hook : closeHooks)
        {
            CloseHelper.quietClose(hook);
        }
    }

    /**
     * Stop the duty cycle (waking it when it is parked, then joining the router thread) and close in-process sessions.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (runner != null)
        {
            stopping = true;
            // The store above, then the fence in wakeIfParked, then the load of the parked word: either the duty
            // cycle sees stopping before it blocks, or it has raised its parked word and is woken here.
            ingress.wakeIfParked();
            CloseHelper.close(runner);
        }
        else if (invoker != null)
        {
            CloseHelper.close(invoker);
        }
        else if (!closed)
        {
            onClose();
        }
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------------------------------------------
    // sessions and timers

    private int drainNewSessions()
    {
        int n = 0;
        Session s;
        while ((s = newSessions.poll()) != null)
        {
            final SessionState state = new SessionState(s);
            state.connectedNs = nowNs;
            sessions.put(s.sessionId(), state);
            sessionList.add(state);
            onConnected(state);
            n++;
        }
        return n;
    }

    /**
     * While a full receiver holds the router back, every other agent's heartbeats wait in the ingress behind
     * the blocked frame, so their leases cannot be judged: they are renewed. Only the receiver that blocks is
     * judged by its lease; a receiver that stops reading for a whole lease is deregistered, which unblocks
     * the router (its undelivered copies are counted as FANOUT_RECEIVER_GONE).
     */
    private int judgeLeasesWhileStalled()
    {
        final long blocker = ingressFanout.targets[ingressFanout.next];
        for (int i = 0, n = sessionList.size(); i < n; i++)
        {
            final long agentId = sessionList.get(i).agentId;
            if (agentId != 0 && agentId != blocker)
            {
                registry.renew(agentId, nowNs);
            }
        }
        final AgentRecord record = registry.byId(blocker);
        if (record != null && record.leaseExpiryNs() <= nowNs)
        {
            registry.deregister(blocker, DeregistrationReason.EXPIRED);
            return 1;
        }
        return 0;
    }

    /**
     * A session's transport, on the router thread, reports that the session closed, after handing over its last
     * frame through {@link #onSessionFrame}: those frames are routed, now its agent is deregistered. Frames of other
     * transports use {@link Ingress#offerSessionClosed(int)} instead.
     *
     * @param sessionId the closed session.
     */
    public void onSessionClosed(final int sessionId)
    {
        SessionState state = sessions.get(sessionId);
        if (state == null)
        {
            drainNewSessions();
            state = sessions.get(sessionId);
        }
        if (state != null)
        {
            if (state.agentId != 0)
            {
                registry.deregister(state.agentId, DeregistrationReason.CONNECTION_CLOSED);
            }
            forget(state);
            sessions.remove(sessionId);
            sessionList.remove(state);
        }
    }

    private void forget(final SessionState state)
    {
        releaseHeld(state);
        if (isAwaitingRegistration(state))
        {
            awaitingRegistration--;
        }
        state.refused = true;
    }

    private void releaseHeld(final SessionState state)
    {
        releaseHeld(state, PRIMARY_LINK);
        releaseHeld(state, SECONDARY_LINK);
    }

    private void releaseHeld(final SessionState state, final int link)
    {
        final Fanout f = state.held[link];
        if (f != null)
        {
            f.reset();
            fanoutPool.add(f);
            state.held[link] = null;
            heldSessions--;
        }
    }

    private int onTimer()
    {
        renewLeasesIfRunOut();
        int work = ingressFanout.inProgress ? judgeLeasesWhileStalled() : registry.expireLeases(nowNs);
        if (awaitingRegistration > 0)
        {
            work += enforceHandshakeDeadline();
        }
        for (int i = sessionList.size() - 1; i >= 0; i--)
        {
            final SessionState state = sessionList.get(i);
            if (!state.session.isOpen() && !state.session.closesInBand())
            {
                if (state.agentId != 0)
                {
                    registry.deregister(state.agentId, DeregistrationReason.CONNECTION_CLOSED);
                }
                forget(state);
                sessions.remove(state.session.sessionId());
                sessionList.remove(i);
                work++;
            }
        }
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            if (nowNs >= q.nextDeadlineNs)
            {
                work += redeliverOverdue(q);
            }
            if (!q.waiting.isEmpty())
            {
                work += dispatch(q);
            }
        }
        return work;
    }

    /**
     * A connection from another process must register within {@link RouterContext#handshakeTimeoutNs()}: one that
     * does not (idle, or dribbling half a frame) is told, counted and closed, so that it holds no memory for long.
     */
    private int enforceHandshakeDeadline()
    {
        int n = 0;
        for (int i = 0, size = sessionList.size(); i < size; i++)
        {
            final SessionState state = sessionList.get(i);
            if (isAwaitingRegistration(state) && nowNs - state.connectedNs >= ctx.handshakeTimeoutNs())
            {
                counters.increment(CounterIds.of(RouterCounter.HANDSHAKE_TIMEOUTS));
                sendError(state, 0, ErrorCode.NOT_REGISTERED, "connection closed: no registration within " +
                    TimeUnit.NANOSECONDS.toMillis(ctx.handshakeTimeoutNs()) +
                    " ms of connecting (switchboard.router.handshake.timeout.ms)");
                markRefused(state);
                n++;
            }
        }
        return n;
    }

    private void markRefused(final SessionState state)
    {
        if (isAwaitingRegistration(state))
        {
            awaitingRegistration--;
        }
        state.refused = true;
        state.session.closeAfterFlush();
    }

    /**
     * Before anything that judges leases: the timer, and the registry calls that expire run-out leases on their own
     * (a registration, a heartbeat frame's renewal, both of which can come between a lease's end and the next timer
     * tick, from any connection). Without this, such a frame expired a live agent whose lease rests on its inbox
     * heartbeat word, which only {@link #renewLeases()} reads (the fuzz campaign: a live receiver deregistered by a
     * stranger's Register). One comparison when no lease has run out. Allocation: none.
     */
    private void renewLeasesIfRunOut()
    {
        if (registry.nextExpiryNs() <= nowNs)
        {
            renewLeases();
        }
    }

    /**
     * Some lease has run out. Before judging, renew every lease that an agent keeps alive without frames: an agent
     * with a shared-memory inbox moves a heartbeat word in its header as it polls ({@link Session#heartbeat()}), and a
     * session whose frame a full receiver holds cannot send its heartbeat frames (they wait behind that frame) though
     * it is alive. Leases due within half a lease are renewed together, so that an idle router wakes about twice per
     * lease however many agents it serves, rather than once per agent. Allocation: none.
     */
    private void renewLeases()
    {
        for (int i = 0, n = sessionList.size(); i < n; i++)
        {
            final SessionState state = sessionList.get(i);
            final long agentId = state.agentId;
            final AgentRecord record = agentId == 0 ? null : registry.byId(agentId);
            if (record == null || record.leaseExpiryNs() - nowNs > record.leaseNs() / 2)
            {
                continue;
            }
            if (state.held[PRIMARY_LINK] != null || state.held[SECONDARY_LINK] != null)
            {
                registry.renewFrom(agentId, nowNs);
                continue;
            }
            final long beat = state.session.heartbeat();
            if (beat == Session.NO_HEARTBEAT || beat == state.lastHeartbeat)
            {
                continue; // no word, or it has not moved since the last look: the lease runs on
            }
            state.lastHeartbeat = beat;
            // Heard now; renewed even if this judge comes just after the old expiry (the agent moved its word before).
            registry.renewFrom(agentId, nowNs);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // frames

    private final class FrameHandler implements ControlledMessageHandler
    {
        @Override
        public Action onMessage(final int sessionId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            fanout = ingressFanout;
            if (ingressFanout.inProgress)
            {
                return continueFanout(buffer, index, length);
            }
            if ((sessionId & Ingress.SESSION_CLOSED_BIT) != 0)
            {
                onSessionClosed(sessionId & ~Ingress.SESSION_CLOSED_BIT);
                return Action.CONTINUE;
            }
            counters.increment(CounterIds.of(RouterCounter.INGRESS_FRAMES));
            SessionState state = sessions.get(sessionId);
            if (state == null)
            {
                drainNewSessions();
                state = sessions.get(sessionId);
                if (state == null)
                {
                    counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
                    return Action.CONTINUE;
                }
            }
            return route(state, buffer, index, length);
        }
    }

    /**
     * Route a frame that a session's transport read on this router's own thread, straight from the transport's
     * receive buffer: validated in place, copied once into each receiver's buffer (socket send buffer, inbox, link),
     * with no hop through the {@link Ingress}. A transport whose reads run on another thread uses the ingress instead.
     *
     * <p>Back-pressure: when a receiver is full the frame is held, with how far its fan-out got, and false returned;
     * the transport keeps the frame (and every later frame of that session) where it is, stops reading the session,
     * and offers the same frame again later (the duty cycle retries every {@link RouterContext#stallRetryNs()}):
     * delivery resumes at the receiver that was full, never duplicating earlier copies. Other sessions keep flowing.
     *
     * <p>Router thread only (the duty cycle's, or the invoker's). Allocation: none once warm.
     *
     * @param sessionId the session the frame came from, added by {@link #addSession}.
     * @param buffer    holding the frame; valid during the call.
     * @param index     of the frame.
     * @param length    of the frame.
     * @return true when the frame was taken (routed, answered or refused); false when it is held by a full receiver.
     */
    public boolean onSessionFrame(final int sessionId, final DirectBuffer buffer, final int index, final int length)
    {
        return onSessionFrame(sessionId, PRIMARY_LINK, buffer, index, length);
    }

    /**
     * As {@link #onSessionFrame(int, DirectBuffer, int, int)}, for a session whose agent reaches the router over more
     * than one link (its control socket and a HIGH link): frames are held per link, so a frame held on one link never
     * mixes with the other link's frames.
     *
     * @param sessionId the session the frame came from.
     * @param link      {@link #PRIMARY_LINK} or {@link #SECONDARY_LINK}.
     * @param buffer    holding the frame; valid during the call.
     * @param index     of the frame.
     * @param length    of the frame.
     * @return true when the frame was taken; false when it is held by a full receiver.
     */
    public boolean onSessionFrame(
        final int sessionId, final int link, final DirectBuffer buffer, final int index, final int length)
    {
        counters.increment(CounterIds.of(RouterCounter.SESSION_FRAMES));
        SessionState state = sessions.get(sessionId);
        if (state == null)
        {
            drainNewSessions();
            state = sessions.get(sessionId);
            if (state == null)
            {
                counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
                return true;
            }
        }
        final ControlledMessageHandler.Action action;
        if (state.held[link] != null)
        {
            fanout = state.held[link];
            action = continueFanout(buffer, index, length);
            if (action != ControlledMessageHandler.Action.ABORT)
            {
                releaseHeld(state, link);
            }
            return action != ControlledMessageHandler.Action.ABORT;
        }
        fanout = scratchFanout;
        action = route(state, buffer, index, length);
        if (action == ControlledMessageHandler.Action.ABORT)
        {
            state.held[link] = scratchFanout;
            heldSessions++;
            scratchFanout = fanoutPool.isEmpty() ? new Fanout(ctx.maxAgents()) : fanoutPool.removeLast();
            return false;
        }
        return true;
    }

    private ControlledMessageHandler.Action route(
        final SessionState state, final DirectBuffer buffer, final int index, final int length)
    {
        if (state.refused)
        {
            // Authentication refused this connection; it is being closed. Read nothing more from it.
            counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final int templateId = validator.validate(buffer, index, length);
        if (templateId < 0)
        {
            onInvalidFrame(state);
            return ControlledMessageHandler.Action.CONTINUE;
        }
        headerDecoder.wrap(buffer, index);
        if (templateId == EnvelopeDecoder.TEMPLATE_ID)
        {
            return onEnvelope(state, buffer, index, length);
        }
        onControl(state, templateId, buffer, index);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private void onInvalidFrame(final SessionState state)
    {
        final FrameError error = validator.lastError();
        counters.increment(CounterIds.of(switch (error)
        {
            case UNKNOWN_SCHEMA -> RouterCounter.REJECTED_UNKNOWN_SCHEMA;
            case UNSUPPORTED_VERSION -> RouterCounter.REJECTED_UNSUPPORTED_VERSION;
            case TRUNCATED -> RouterCounter.REJECTED_TRUNCATED;
            case TOO_LARGE -> RouterCounter.REJECTED_TOO_LARGE;
            case UNKNOWN_TEMPLATE -> RouterCounter.REJECTED_UNKNOWN_TEMPLATE;
            case MALFORMED -> RouterCounter.REJECTED_MALFORMED;
        }));
        sendError(state, 0, error.errorCode(), validator.lastErrorText());
    }

    private ControlledMessageHandler.Action onEnvelope(
        final SessionState state, final DirectBuffer buffer, final int index, final int length)
    {
        envelopeDecoder.wrap(buffer, index + HEADER, headerDecoder.blockLength(), headerDecoder.version());
        final long source = envelopeDecoder.sourceAgentId();
        if (state.agentId == 0 && (source == 0 || source != state.departedAgentId))
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
            sendError(state, envelopeDecoder.correlationId(), ErrorCode.NOT_REGISTERED,
                "data frame refused: this connection has no registered agent");
            return ControlledMessageHandler.Action.CONTINUE;
        }
        if (source != state.agentId && source != state.departedAgentId)
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
            sendError(state, envelopeDecoder.correlationId(), ErrorCode.NOT_AUTHORISED,
                "data frame refused: source agent id does not match this connection's agent");
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final Pattern pattern = envelopeDecoder.pattern();
        final long targetId = envelopeDecoder.targetId();
        final Grants grants = state.grants;
        if (grants != null && !grants.unrestrictedData() && !isPermitted(state, grants, pattern, targetId))
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        switch (pattern)
        {
            case SEND, REQUEST, RESPONSE ->
            {
                fanout.count = 0;
                fanout.targets[fanout.count++] = targetId;
                fanout.sender = state;
                fanout.correlationId = envelopeDecoder.correlationId();
                fanout.pointToPoint = true;
                return startFanout(buffer, index, length);
            }
            case PUBLISH ->
            {
                final MemberSet topic = topics.get(targetId);
                if (topic == null || topic.size() == 0)
                {
                    counters.increment(CounterIds.of(RouterCounter.PUBLISH_NO_SUBSCRIBER));
                    return ControlledMessageHandler.Action.CONTINUE;
                }
                return fanoutTo(topic, source, buffer, index, length);
            }
            case MULTICAST ->
            {
                final MemberSet group = groups.get(targetId);
                if (group == null)
                {
                    sendError(state, envelopeDecoder.correlationId(), ErrorCode.UNKNOWN_AGENT,
                        "multicast refused: no group with id " + targetId);
                    return ControlledMessageHandler.Action.CONTINUE;
                }
                return fanoutTo(group, source, buffer, index, length);
            }
            case BROADCAST ->
            {
                fanout.count = 0;
                for (int i = 0, n = sessionList.size(); i < n; i++)
                {
                    final long agentId = sessionList.get(i).agentId;
                    if (agentId != 0 && agentId != source)
                    {
                        fanout.targets[fanout.count++] = agentId;
                    }
                }
                return startFanout(buffer, index, length);
            }
            case WORK ->
            {
                onWork(state, buffer, index, length);
                return ControlledMessageHandler.Action.CONTINUE;
            }
            case WORK_ACK ->
            {
                onWorkAck(targetId, envelopeDecoder.correlationId(), source);
                return ControlledMessageHandler.Action.CONTINUE;
            }
            default ->
            {
                counters.increment(CounterIds.of(RouterCounter.REJECTED_MALFORMED));
                return ControlledMessageHandler.Action.CONTINUE;
            }
        }
    }

    private ControlledMessageHandler.Action fanoutTo(
        final MemberSet members, final long source, final DirectBuffer buffer, final int index, final int length)
    {
        fanout.count = 0;
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final long agentId = members.get(i);
            if (agentId != source)
            {
                fanout.targets[fanout.count++] = agentId;
            }
        }
        return startFanout(buffer, index, length);
    }

    private ControlledMessageHandler.Action startFanout(final DirectBuffer buffer, final int index, final int length)
    {
        fanout.next = 0;
        return continueFanout(buffer, index, length);
    }

    private ControlledMessageHandler.Action continueFanout(
        final DirectBuffer buffer, final int index, final int length)
    {
        final Fanout f = fanout;
        for (int i = f.next; i < f.count; i++)
        {
            final Session target = sessionOf(f.targets[i]);
            if (target == null)
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_RECEIVER_GONE));
                tellReceiverGone(f, f.targets[i]);
                continue;
            }
            final int status = target.deliver(buffer, index, length);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                f.next = i;
                if (!f.inProgress)
                {
                    f.inProgress = true;
                    counters.increment(CounterIds.of(RouterCounter.ROUTER_STALLS));
                }
                return ControlledMessageHandler.Action.ABORT;
            }
            if (status == OfferStatus.OK)
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_DELIVERIES));
            }
            else
            {
                counters.increment(CounterIds.of(RouterCounter.FANOUT_RECEIVER_GONE));
                tellReceiverGone(f, f.targets[i]);
            }
        }
        f.reset();
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private Session sessionOf(final long agentId)
    {
        final AgentRecord record = registry.byId(agentId);
        if (record == null)
        {
            return null;
        }
        final SessionState state = sessions.get((int)record.sessionId());
        return state == null ? null : state.session;
    }

    // ---------------------------------------------------------------------------------------------------
    // work queues

    private void onWork(final SessionState state, final DirectBuffer buffer, final int index, final int length)
    {
        final long queueId = envelopeDecoder.targetId();
        final long producerCorrelationId = envelopeDecoder.correlationId();
        WorkQueue q = queues.get(queueId);
        if (q == null)
        {
            if (queues.size() >= ctx.maxNames())
            {
                refuse(state, producerCorrelationId, ErrorCode.LIMIT_EXCEEDED,
                    "work item refused: cannot create queue " + queueId + ": " + queues.size() +
                    " queues exist, the limit (switchboard.max.names)");
                return;
            }
            q = new WorkQueue(queueId, null);
            queues.put(queueId, q);
            queueList.add(q);
        }
        if (q.depth() >= ctx.maxWorkQueueDepth())
        {
            counters.increment(CounterIds.of(RouterCounter.WORK_QUEUE_FULL));
            sendError(state, producerCorrelationId, ErrorCode.BACK_PRESSURED,
                "work item refused: queue '" + q.name() + "' holds " + q.depth() + " items, its limit " +
                "(switchboard.work.max.depth)");
            return;
        }
        final WorkItem item = itemPool.isEmpty() ? new WorkItem() : itemPool.removeLast();
        item.itemId = nextItemId++;
        item.queueId = queueId;
        item.producerAgentId = envelopeDecoder.sourceAgentId();
        item.producerCorrelationId = producerCorrelationId;
        item.length = length;
        item.frame.putBytes(0, buffer, index, length);
        envelopeEncoder.wrap(item.frame, HEADER).correlationId(item.itemId);
        q.waiting.addLast(item);
        counters.increment(CounterIds.of(RouterCounter.WORK_ENQUEUED));
        dispatch(q);
    }

    private int dispatch(final WorkQueue q)
    {
        int n = 0;
        q.dispatchBlocked = false;
        while (!q.waiting.isEmpty())
        {
            final long consumer = q.nextConsumerWithRoom(ctx.workPrefetch());
            if (consumer == 0)
            {
                break;
            }
            final Session session = sessionOf(consumer);
            if (session == null)
            {
                q.consumers.remove(consumer);
                continue;
            }
            final WorkItem item = q.waiting.peekFirst();
            final int status = session.deliver(item.frame, 0, item.length);
            if (status == OfferStatus.BACK_PRESSURED)
            {
                if (!q.dispatchBlocked)
                {
                    q.dispatchBlocked = true;
                    counters.increment(CounterIds.of(RouterCounter.ROUTER_STALLS));
                }
                return n;
            }
            q.waiting.pollFirst();
            if (status != OfferStatus.OK)
            {
                q.waiting.addFirst(item);
                q.consumers.remove(consumer);
                continue;
            }
            item.holder = consumer;
            item.deadlineNs = nowNs + ctx.workAckTimeoutNs();
            item.deliveries++;
            q.inflight.put(item.itemId, item);
            q.held.put(consumer, q.held.get(consumer) + 1);
            if (item.deadlineNs < q.nextDeadlineNs)
            {
                q.nextDeadlineNs = item.deadlineNs;
            }
            counters.increment(CounterIds.of(RouterCounter.WORK_DELIVERED));
            n++;
        }
        return n;
    }

    /**
     * An ack counts only from the consumer that holds the item; any other (late after a redelivery, for an item of
     * another router, or from an agent that never held it) is counted and ignored, and the item stays in flight.
     */
    private void onWorkAck(final long queueId, final long itemId, final long source)
    {
        final WorkQueue q = queues.get(queueId);
        final WorkItem item = q == null ? null : q.inflight.get(itemId);
        if (item == null || item.holder != source)
        {
            counters.increment(CounterIds.of(RouterCounter.WORK_LATE_ACKS));
            return;
        }
        q.inflight.remove(itemId);
        releaseHold(q, item.holder);
        counters.increment(CounterIds.of(RouterCounter.WORK_ACKED));
        item.reset();
        itemPool.add(item);
        dispatch(q);
    }

    private void releaseHold(final WorkQueue q, final long holder)
    {
        final long held = q.held.get(holder);
        if (held <= 1)
        {
            q.held.remove(holder);
        }
        else
        {
            q.held.put(holder, held - 1);
        }
    }

    private int redeliverOverdue(final WorkQueue q)
    {
        int n = 0;
        long next = Long.MAX_VALUE;
        final Long2ObjectHashMap<WorkItem>.ValueIterator it = q.inflight.values().iterator();
        while (it.hasNext())
        {
            final WorkItem item = it.next();
            if (item.deadlineNs <= nowNs)
            {
                it.remove();
                requeueForRedelivery(q, item);
                n++;
            }
            else if (item.deadlineNs < next)
            {
                next = item.deadlineNs;
            }
        }
        q.nextDeadlineNs = next;
        return n;
    }

    private void requeueForRedelivery(final WorkQueue q, final WorkItem item)
    {
        releaseHold(q, item.holder);
        item.holder = 0;
        final int flagsOffset = HEADER + EnvelopeEncoder.flagsEncodingOffset();
        item.frame.putInt(flagsOffset,
            item.frame.getInt(flagsOffset, java.nio.ByteOrder.LITTLE_ENDIAN) | EnvelopeFlags.REDELIVERED,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        q.waiting.addFirst(item);
        counters.increment(CounterIds.of(RouterCounter.WORK_REDELIVERED));
    }

    private void redeliverHeldBy(final long agentId)
    {
        for (int i = 0, n = queueList.size(); i < n; i++)
        {
            final WorkQueue q = queueList.get(i);
            q.consumers.remove(agentId);
            if (q.held.get(agentId) == 0)
            {
                continue;
            }
            final Long2ObjectHashMap<WorkItem>.ValueIterator it = q.inflight.values().iterator();
            while (it.hasNext())
            {
                final WorkItem item = it.next();
                if (item.holder == agentId)
                {
                    it.remove();
                    requeueForRedelivery(q, item);
                }
            }
            q.held.remove(agentId);
            dispatch(q);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // control plane

    private void onControl(final SessionState state, final int templateId, final DirectBuffer buffer, final int index)
    {
        final int offset = index + HEADER;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (templateId)
        {
            case RegisterDecoder.TEMPLATE_ID ->
            {
                registerDecoder.wrap(buffer, offset, blockLength, version);
                onRegister(state);
            }
            case HeartbeatDecoder.TEMPLATE_ID ->
            {
                heartbeatDecoder.wrap(buffer, offset, blockLength, version);
                if (state.agentId != 0 && heartbeatDecoder.agentId() == state.agentId)
                {
                    renewLeasesIfRunOut(); // a renewal of a run-out lease expires every run-out lease
                    registry.renew(state.agentId, nowNs);
                }
                else
                {
                    counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
                }
            }
            case DeregisterDecoder.TEMPLATE_ID ->
            {
                deregisterDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = deregisterDecoder.correlationId();
                if (state.agentId == 0 || deregisterDecoder.agentId() != state.agentId)
                {
                    refuse(state, correlationId, ErrorCode.NOT_REGISTERED,
                        "deregister refused: agent " + deregisterDecoder.agentId() +
                        " is not registered on this connection");
                    return;
                }
                registry.deregister(state.agentId, DeregistrationReason.REQUESTED);
                sendAck(state, correlationId, 0);
            }
            case SubscribeDecoder.TEMPLATE_ID ->
            {
                subscribeDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = subscribeDecoder.correlationId();
                final SubscriptionKind kind = subscribeDecoder.kind();
                final String name = subscribeDecoder.name();
                if (requireAgent(state, correlationId, "subscribe"))
                {
                    onSubscribe(state, correlationId, kind, name, true);
                }
            }
            case UnsubscribeDecoder.TEMPLATE_ID ->
            {
                unsubscribeDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = unsubscribeDecoder.correlationId();
                final SubscriptionKind kind = unsubscribeDecoder.kind();
                final String name = unsubscribeDecoder.name();
                if (requireAgent(state, correlationId, "unsubscribe"))
                {
                    onSubscribe(state, correlationId, kind, name, false);
                }
            }
            case JoinGroupDecoder.TEMPLATE_ID ->
            {
                joinGroupDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = joinGroupDecoder.correlationId();
                final String name = joinGroupDecoder.name();
                if (requireAgent(state, correlationId, "join group") && mayJoin(state, correlationId, name))
                {
                    onMembership(state, correlationId, groups, "group", name, true);
                }
            }
            case LeaveGroupDecoder.TEMPLATE_ID ->
            {
                leaveGroupDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = leaveGroupDecoder.correlationId();
                final String name = leaveGroupDecoder.name();
                if (requireAgent(state, correlationId, "leave group"))
                {
                    onMembership(state, correlationId, groups, "group", name, false);
                }
            }
            case LookupDecoder.TEMPLATE_ID ->
            {
                lookupDecoder.wrap(buffer, offset, blockLength, version);
                onLookup(state);
            }
            case WakeDecoder.TEMPLATE_ID ->
            {
                wakeDecoder.wrap(buffer, offset, blockLength, version);
                onWake(state);
            }
            case dev.switchboard.codecs.sbe.LinkListenDecoder.TEMPLATE_ID,
                dev.switchboard.codecs.sbe.LinkRequestDecoder.TEMPLATE_ID ->
                links.onControl(templateId, buffer, offset, blockLength, version, state.session, state.agentId,
                    grantsOf(state), state.peer);
            default -> refuse(state, 0, ErrorCode.UNKNOWN_TEMPLATE,
                "frame refused: template " + templateId + " is not a request the router serves");
        }
    }

    /**
     * A sender that cannot make the futex call took a parked agent's word and asks the router to wake it. Only the
     * agent registered on the session may ask, in its own name (else counted as spoofed, like a Heartbeat); a wake
     * reveals nothing and delivers nothing, so any registered agent may wake any other. No reply: the frame is
     * fire-and-forget, and a refusal Error per frame would let a peer make the router write. Allocation: none.
     */
    private void onWake(final SessionState state)
    {
        if (state.agentId == 0 || wakeDecoder.agentId() != state.agentId)
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
            return;
        }
        final Session target = sessionOf(wakeDecoder.targetAgentId());
        counters.increment(CounterIds.of(target != null && target.wake() ?
            RouterCounter.WAKES_RELAYED : RouterCounter.WAKES_NOT_RELAYED));
    }

    private boolean requireAgent(final SessionState state, final long correlationId, final String what)
    {
        if (state.agentId == 0)
        {
            refuse(state, correlationId, ErrorCode.NOT_REGISTERED,
                what + " refused: this connection has no registered agent; register first");
            return false;
        }
        return true;
    }

    private void onRegister(final SessionState state)
    {
        final long correlationId = registerDecoder.correlationId();
        final long pid = registerDecoder.pid();
        final long requestedLeaseNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, registerDecoder.requestedLeaseMs()));
        final int tiers = registerDecoder.tiers().getRaw();
        final List<String> capabilities = new ArrayList<>();
        for (final RegisterDecoder.CapabilitiesDecoder cap : registerDecoder.capabilities())
        {
            capabilities.add(cap.capability());
        }
        final String name = registerDecoder.name();
        final byte[] credential = new byte[registerDecoder.credentialLength()];
        registerDecoder.getCredential(credential, 0, credential.length);
        final String requestedInbox = registerDecoder.inbox();
        if (state.agentId != 0)
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            refuse(state, correlationId, ErrorCode.NOT_AUTHORISED,
                "register '" + name + "' refused: this connection already carries agent " + state.agentId);
            return;
        }
        final Grants grants = authenticate(state, correlationId, name, credential);
        if (grants == null)
        {
            return;
        }
        final String inbox = state.session.acceptInbox(requestedInbox);
        if (inbox == null)
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            refuse(state, correlationId, ErrorCode.NOT_AUTHORISED,
                "register '" + name + "' refused: inbox '" + requestedInbox + "' is not acceptable");
            return;
        }
        renewLeasesIfRunOut(); // a registration expires every run-out lease first
        final RegistrationResult result = registry.register(
            name, capabilities, pid, tiers & state.session.tiers(), requestedLeaseNs, state.session.sessionId(), nowNs);
        if (!result.isOk())
        {
            counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
            refuse(state, correlationId, result.errorCode(), result.message());
            return;
        }
        final AgentRecord agent = result.agent();
        agent.inbox(inbox);
        state.grants = grants;
        state.agentId = agent.agentId();
        state.lastHeartbeat = state.session.heartbeat(); // its lease is renewed when the word moves from here
        if (isAwaitingRegistration(state))
        {
            awaitingRegistration--;
        }
        state.everRegistered = true;
        state.session.onAgentBound(agent.agentId(), agent.name());
        counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS));

        headerEncoder.wrap(controlBuffer, 0);
        registeredEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .agentId(agent.agentId())
            .leaseMs((int)TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()))
            .heartbeatIntervalMs((int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()) / 4));
        putTiers(registeredEncoder.tiers(), agent.tiers());
        send(state, HEADER + registeredEncoder.encodedLength());
        notifyWatchers(agent, AgentEventKind.REGISTERED);
    }

    private void onSubscribe(
        final SessionState state,
        final long correlationId,
        final SubscriptionKind kind,
        final String name,
        final boolean subscribe)
    {
        if (subscribe && !maySubscribe(state, correlationId, kind, name))
        {
            return;
        }
        switch (kind)
        {
            case TOPIC -> onMembership(state, correlationId, topics, "topic", name, subscribe);
            case QUEUE -> onQueueConsumer(state, correlationId, name, subscribe);
            case REGISTRY ->
            {
                if (subscribe)
                {
                    watchers.add(state.agentId);
                }
                else
                {
                    watchers.remove(state.agentId);
                }
                sendAck(state, correlationId, 0);
            }
            default -> refuse(state, correlationId, ErrorCode.MALFORMED, "unknown subscription kind " + kind);
        }
    }

    private String checkName(final String what, final String name)
    {
        final int bytes = utf8Length(name);
        if (bytes == 0 || name.isBlank())
        {
            return what + " name must not be empty";
        }
        if (bytes > WireLimits.MAX_NAME_LENGTH)
        {
            return what + " name is " + bytes + " bytes; the limit is " + WireLimits.MAX_NAME_LENGTH;
        }
        return null;
    }

    private static void putTiers(final dev.switchboard.codecs.sbe.TiersEncoder encoder, final int tiers)
    {
        encoder.buffer().putByte(encoder.offset(), (byte)tiers);
    }

    private static int utf8Length(final String s)
    {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private void onMembership(
        final SessionState state,
        final long correlationId,
        final Long2ObjectHashMap<MemberSet> table,
        final String what,
        final String name,
        final boolean join)
    {
        final String problem = checkName(what, name);
        if (problem != null)
        {
            refuse(state, correlationId, ErrorCode.NAME_INVALID, problem);
            return;
        }
        final long id = NameIds.of(name);
        MemberSet set = table.get(id);
        if (set != null && !set.name.equals(name))
        {
            refuse(state, correlationId, ErrorCode.NAME_TAKEN,
                what + " '" + name + "' has the same id as existing " + what + " '" + set.name + "'; rename one");
            return;
        }
        if (join)
        {
            if (set == null)
            {
                if (table.size() >= ctx.maxNames())
                {
                    refuse(state, correlationId, ErrorCode.LIMIT_EXCEEDED,
                        "cannot create " + what + " '" + name + "': " + table.size() +
                        " exist, the limit (switchboard.max.names)");
                    return;
                }
                set = new MemberSet(id, name);
                table.put(id, set);
            }
            set.add(state.agentId);
        }
        else if (set != null)
        {
            set.remove(state.agentId);
        }
        sendAck(state, correlationId, id);
    }

    private void onQueueConsumer(
        final SessionState state, final long correlationId, final String name, final boolean consume)
    {
        final String problem = checkName("queue", name);
        if (problem != null)
        {
            refuse(state, correlationId, ErrorCode.NAME_INVALID, problem);
            return;
        }
        final long id = NameIds.of(name);
        WorkQueue q = queues.get(id);
        if (q != null && q.name == null)
        {
            q.name = name;
        }
        if (q != null && !q.name.equals(name))
        {
            refuse(state, correlationId, ErrorCode.NAME_TAKEN,
                "queue '" + name + "' has the same id as existing queue '" + q.name() + "'; rename one");
            return;
        }
        if (consume)
        {
            if (q == null)
            {
                if (queues.size() >= ctx.maxNames())
                {
                    refuse(state, correlationId, ErrorCode.LIMIT_EXCEEDED,
                        "cannot create queue '" + name + "': " + queues.size() +
                        " exist, the limit (switchboard.max.names)");
                    return;
                }
                q = new WorkQueue(id, name);
                queues.put(id, q);
                queueList.add(q);
            }
            q.consumers.add(state.agentId);
            sendAck(state, correlationId, id);
            dispatch(q);
        }
        else
        {
            if (q != null && q.consumers.remove(state.agentId))
            {
                redeliverHeldBy(state.agentId);
            }
            sendAck(state, correlationId, id);
        }
    }

    private void onLookup(final SessionState state)
    {
        final long correlationId = lookupDecoder.correlationId();
        final long wanted = lookupDecoder.wantedAgentId();
        final var kind = lookupDecoder.kind();
        final String query = lookupDecoder.query();
        final List<AgentRecord> found = new ArrayList<>();
        switch (kind)
        {
            case BY_NAME ->
            {
                final AgentRecord r = registry.byName(query);
                if (r != null)
                {
                    found.add(r);
                }
            }
            case BY_CAPABILITY -> found.addAll(registry.byCapability(query));
            case BY_ID ->
            {
                final AgentRecord r = registry.byId(wanted);
                if (r != null)
                {
                    found.add(r);
                }
            }
            default ->
            {
                refuse(state, correlationId, ErrorCode.MALFORMED, "unknown lookup kind " + kind);
                return;
            }
        }
        headerEncoder.wrap(controlBuffer, 0);
        lookupResultEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder).correlationId(correlationId);
        final LookupResultEncoder.AgentsEncoder agents = lookupResultEncoder.agentsCount(found.size());
        for (final AgentRecord r : found)
        {
            agents.next().agentId(r.agentId()).pid(r.pid());
            putTiers(agents.tiers(), r.tiers());
            final LookupResultEncoder.AgentsEncoder.CapabilitiesEncoder caps =
                agents.capabilitiesCount(r.capabilities().size());
            for (final String c : r.capabilities())
            {
                caps.next().capability(c);
            }
            agents.name(r.name());
            agents.inbox(inboxGrant(state, r));
        }
        final int length = HEADER + lookupResultEncoder.encodedLength();
        if (length > state.session.maxControlLength())
        {
            refuse(state, correlationId, ErrorCode.LIMIT_EXCEEDED,
                "lookup result of " + found.size() + " agents is " + length +
                " bytes, over this connection's control limit " + state.session.maxControlLength() +
                "; narrow the query");
            return;
        }
        send(state, length);
    }

    private void notifyWatchers(final AgentRecord agent, final AgentEventKind kind)
    {
        if (watchers.size() == 0)
        {
            return;
        }
        headerEncoder.wrap(controlBuffer, 0);
        agentEventEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .agentId(agent.agentId())
            .kind(kind)
            .name(agent.name());
        final int length = HEADER + agentEventEncoder.encodedLength();
        for (int i = 0; i < watchers.size(); i++)
        {
            final long watcher = watchers.get(i);
            if (watcher == agent.agentId())
            {
                continue;
            }
            final Session s = sessionOf(watcher);
            if (s != null)
            {
                s.sendControl(controlBuffer, 0, length);
            }
        }
    }

    /**
     * An agent whose lease ran out is told, on its own connection, so that it knows its messages are no longer routed
     * and can register again: an AgentEvent EXPIRED naming itself (for the client library), then an Error saying why.
     */
    private void tellExpired(final SessionState state, final AgentRecord agent)
    {
        headerEncoder.wrap(controlBuffer, 0);
        agentEventEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .agentId(agent.agentId())
            .kind(AgentEventKind.EXPIRED)
            .name(agent.name());
        send(state, HEADER + agentEventEncoder.encodedLength());
        sendError(state, 0, ErrorCode.NOT_REGISTERED, "agent '" + agent.name() + "' (" + agent.agentId() +
            ") deregistered: its lease of " + TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()) +
            " ms ran out without a heartbeat; nothing is routed to or from it until it registers again");
        counters.increment(CounterIds.of(RouterCounter.EXPIRED_AGENTS_TOLD));
    }

    /**
     * A point-to-point frame (send, request, response) whose receiver is not registered: the sender is told with an
     * Error naming the receiver and carrying the frame's correlation id, so that an {@code OK} from its send is never a
     * silent loss. At most one notice per sender per second for the same receiver (the rest are counted in the next).
     */
    private void tellReceiverGone(final Fanout f, final long receiver)
    {
        final SessionState sender = f.sender;
        if (sender == null || !f.pointToPoint || sender.refused)
        {
            return;
        }
        if (sender.goneTarget == receiver && nowNs - sender.goneNoticeNs < TimeUnit.SECONDS.toNanos(1))
        {
            sender.goneSuppressed++;
            return;
        }
        final int suppressed = sender.goneTarget == receiver ? sender.goneSuppressed : 0;
        sender.goneTarget = receiver;
        sender.goneNoticeNs = nowNs;
        sender.goneSuppressed = 0;
        counters.increment(CounterIds.of(RouterCounter.SENDERS_TOLD_RECEIVER_GONE));
        sendError(sender, f.correlationId, ErrorCode.UNKNOWN_AGENT, "not delivered: agent " + receiver +
            " is not registered (it left, or its lease ran out)" +
            (suppressed > 0 ? "; " + suppressed + " more to it since the last notice" : ""));
    }

    private void refuse(final SessionState state, final long correlationId, final ErrorCode code, final String text)
    {
        counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        sendError(state, correlationId, code, text);
    }

    private void sendError(final SessionState state, final long correlationId, final ErrorCode code, final String text)
    {
        headerEncoder.wrap(controlBuffer, 0);
        errorEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .text(text.length() > WireLimits.MAX_TEXT_LENGTH ? text.substring(0, WireLimits.MAX_TEXT_LENGTH) : text);
        send(state, HEADER + errorEncoder.encodedLength());
    }

    private void sendAck(final SessionState state, final long correlationId, final long resolvedId)
    {
        headerEncoder.wrap(controlBuffer, 0);
        ackEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .resolvedId(resolvedId);
        send(state, HEADER + ackEncoder.encodedLength());
    }

    private void send(final SessionState state, final int length)
    {
        final int status = state.session.sendControl(controlBuffer, 0, length);
        if (status != OfferStatus.OK && state.session.isOpen())
        {
            counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // authentication and authorisation (control plane; data frames pay one boolean unless a role is restricted)

    private void onConnected(final SessionState state)
    {
        final PeerCredentials peer = state.session.peer();
        state.peer = peer;
        if (peer.inProcess())
        {
            return; // trusted code in this JVM: no challenge; its role is switchboard.auth.inprocess.role
        }
        awaitingRegistration++;
        if (auth.limiter().isLimited(peer.user(), nowNs))
        {
            refuseConnection(state, 0, AuthFailure.RATE_LIMITED, "connection refused: too many failed attempts from " +
                peer.describe() + "; the limit is " + auth.limiter().burst() +
                " (switchboard.auth.failures.burst), try again later");
            return;
        }
        final Authenticator.Outcome refusal = auth.admit(peer);
        if (refusal != null)
        {
            auth.limiter().onFailure(peer.user(), nowNs);
            refuseConnection(state, 0, refusal.failure(), refusal.reason());
            return;
        }
        state.nonce = Authenticator.newNonce();
        headerEncoder.wrap(controlBuffer, 0);
        challengeEncoder.wrapAndApplyHeader(controlBuffer, 0, headerEncoder)
            .flags(auth.challengeFlags() | (ctx.relaysWakes() ? CHALLENGE_RELAYS_WAKES : 0) | state.session.features())
            .putNonce(state.nonce, 0, state.nonce.length);
        send(state, HEADER + challengeEncoder.encodedLength());
    }

    private Grants authenticate(
        final SessionState state, final long correlationId, final String name, final byte[] credential)
    {
        final PeerCredentials peer = state.peer;
        if (!peer.inProcess() && auth.limiter().isLimited(peer.user(), nowNs))
        {
            refuseConnection(state, correlationId, AuthFailure.RATE_LIMITED, "register '" + name +
                "' refused: too many failed attempts from " + peer.describe() + "; the limit is " +
                auth.limiter().burst() + " (switchboard.auth.failures.burst), try again later");
            return null;
        }
        final Authenticator.Outcome outcome = auth.authenticate(peer, state.nonce, name, credential);
        if (outcome.isGranted())
        {
            counters.increment(CounterIds.of(RouterCounter.AUTH_GRANTED));
            return outcome.grants();
        }
        counters.increment(CounterIds.of(RouterCounter.REGISTRATIONS_REFUSED));
        counters.increment(CounterIds.of(counterOf(outcome.failure())));
        sendError(state, correlationId, errorCodeOf(outcome.failure()), outcome.reason());
        if (!peer.inProcess())
        {
            auth.limiter().onFailure(peer.user(), nowNs);
            if (outcome.failure() == AuthFailure.PEER_NOT_ADMITTED || auth.limiter().isLimited(peer.user(), nowNs))
            {
                markRefused(state);
            }
        }
        return null;
    }

    private void refuseConnection(
        final SessionState state, final long correlationId, final AuthFailure failure, final String reason)
    {
        counters.increment(CounterIds.of(counterOf(failure)));
        sendError(state, correlationId, errorCodeOf(failure), reason);
        markRefused(state);
    }

    private static RouterCounter counterOf(final AuthFailure failure)
    {
        return switch (failure)
        {
            case PEER_NOT_ADMITTED -> RouterCounter.AUTH_PEER_REFUSED;
            case TOKEN_MISSING -> RouterCounter.AUTH_TOKEN_MISSING;
            case TOKEN_MALFORMED -> RouterCounter.AUTH_TOKEN_MALFORMED;
            case HMAC_MISMATCH -> RouterCounter.AUTH_HMAC_MISMATCH;
            case JWT_INVALID -> RouterCounter.AUTH_JWT_INVALID;
            case JWT_EXPIRED -> RouterCounter.AUTH_JWT_EXPIRED;
            case NO_ROLE, NAME_NOT_PERMITTED -> RouterCounter.AUTH_NAME_REFUSED;
            case RATE_LIMITED -> RouterCounter.AUTH_RATE_LIMITED;
        };
    }

    private static ErrorCode errorCodeOf(final AuthFailure failure)
    {
        return switch (failure)
        {
            case TOKEN_MISSING, TOKEN_MALFORMED, HMAC_MISMATCH, JWT_INVALID, JWT_EXPIRED ->
                ErrorCode.AUTHENTICATION_FAILED;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            case PEER_NOT_ADMITTED, NO_ROLE, NAME_NOT_PERMITTED -> ErrorCode.NOT_AUTHORISED;
        };
    }

    private Grants grantsOf(final SessionState state)
    {
        if (state.grants != null)
        {
            return state.grants;
        }
        return state.peer.inProcess() ? auth.inProcessGrants() : null;
    }

    private boolean maySubscribe(
        final SessionState state, final long correlationId, final SubscriptionKind kind, final String name)
    {
        final Grants g = grantsOf(state);
        final boolean ok = g != null && switch (kind)
        {
            case TOPIC -> g.maySubscribe(name);
            case QUEUE -> g.mayConsume(name);
            case REGISTRY -> g.maySubscribe("registry");
            default -> true;
        };
        if (!ok)
        {
            final boolean queue = kind == SubscriptionKind.QUEUE;
            counters.increment(CounterIds.of(queue ? RouterCounter.POLICY_DENIED_CONSUME :
                RouterCounter.POLICY_DENIED_SUBSCRIBE));
            refuse(state, correlationId, ErrorCode.NOT_AUTHORISED, (queue ? "consume queue '" :
                kind == SubscriptionKind.REGISTRY ? "watch registry '" : "subscribe to topic '") + name +
                "' refused: role " + roleOf(g) + " is not granted it (" + auth.policy().source() + ")");
        }
        return ok;
    }

    private boolean mayJoin(final SessionState state, final long correlationId, final String name)
    {
        final Grants g = grantsOf(state);
        if (g != null && g.mayJoin(name))
        {
            return true;
        }
        counters.increment(CounterIds.of(RouterCounter.POLICY_DENIED_JOIN));
        refuse(state, correlationId, ErrorCode.NOT_AUTHORISED, "join group '" + name + "' refused: role " +
            roleOf(g) + " is not granted it (" + auth.policy().source() + ")");
        return false;
    }

    private static String roleOf(final Grants g)
    {
        return g == null ? "(none)" : g.role().label();
    }

    /**
     * The CRITICAL inbox of {@code target} is handed out only to an asker whose role may send CRITICAL to it: the
     * inbox is the only way into the receiver that bypasses the router.
     */
    private String inboxGrant(final SessionState asker, final AgentRecord target)
    {
        final String inbox = target.inbox();
        if (inbox == null || inbox.isEmpty())
        {
            return "";
        }
        final Grants g = grantsOf(asker);
        if (g != null && g.maySendCriticalTo(target.name()))
        {
            return inbox;
        }
        counters.increment(CounterIds.of(RouterCounter.POLICY_DENIED_CRITICAL_INBOX));
        return "";
    }

    /**
     * Checks a data frame against a restricted role. Allocation: none when permitted; a refusal builds its Error.
     */
    private boolean isPermitted(final SessionState state, final Grants g, final Pattern pattern, final long targetId)
    {
        final int priority = envelopeDecoder.priorityRaw();
        switch (pattern)
        {
            case BROADCAST ->
            {
                if (!g.mayBroadcast(priority))
                {
                    return deny(state, RouterCounter.POLICY_DENIED_BROADCAST, "broadcast at " +
                        envelopeDecoder.priority() + " refused: role " + g.role().label() + " may not broadcast at it");
                }
                return true;
            }
            case WORK_ACK ->
            {
                return true;
            }
            case WORK ->
            {
                if (!g.mayEnqueue())
                {
                    return deny(state, RouterCounter.POLICY_DENIED_ENQUEUE, "work item refused: role " +
                        g.role().label() + " may not enqueue work");
                }
            }
            default ->
            {
            }
        }
        if (!g.maySend(priority))
        {
            return deny(state, RouterCounter.POLICY_DENIED_SEND, pattern + " at " + envelopeDecoder.priority() +
                " refused: role " + g.role().label() + " may not send at this priority");
        }
        if (pattern == Pattern.PUBLISH)
        {
            final MemberSet topic = topics.get(targetId);
            if (topic != null && !g.mayPublish(topic.name))
            {
                return deny(state, RouterCounter.POLICY_DENIED_PUBLISH, "publish to topic '" + topic.name +
                    "' refused: role " + g.role().label() + " is not granted it");
            }
        }
        else if (priority == Grants.CRITICAL_PRIORITY &&
            (pattern == Pattern.SEND || pattern == Pattern.REQUEST || pattern == Pattern.RESPONSE))
        {
            final AgentRecord receiver = registry.byId(targetId);
            if (receiver != null && !g.maySendCriticalTo(receiver.name()))
            {
                return deny(state, RouterCounter.POLICY_DENIED_SEND, "CRITICAL " + pattern + " to '" +
                    receiver.name() + "' refused: role " + g.role().label() + " may not send CRITICAL to it");
            }
        }
        return true;
    }

    private boolean deny(final SessionState state, final RouterCounter counter, final String text)
    {
        counters.increment(CounterIds.of(counter));
        sendError(state, envelopeDecoder.correlationId(), ErrorCode.NOT_AUTHORISED, text);
        return false;
    }

    // ---------------------------------------------------------------------------------------------------

    private final class RegistryCleanup implements RegistryListener
    {
        @Override
        public void onRegistered(final AgentRecord agent)
        {
        }

        @Override
        public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
        {
            final long agentId = agent.agentId();
            counters.increment(CounterIds.of(switch (reason)
            {
                case REQUESTED -> RouterCounter.DEREGISTRATIONS;
                case EXPIRED -> RouterCounter.LEASES_EXPIRED;
                case CONNECTION_CLOSED -> RouterCounter.CONNECTIONS_CLOSED;
            }));
            for (final MemberSet t : topics.values())
            {
                t.remove(agentId);
            }
            for (final MemberSet g : groups.values())
            {
                g.remove(agentId);
            }
            watchers.remove(agentId);
            redeliverHeldBy(agentId);
            final SessionState state = sessions.get((int)agent.sessionId());
            if (state != null && state.agentId == agentId && reason == DeregistrationReason.EXPIRED)
            {
                tellExpired(state, agent);
            }
            if (state != null && state.agentId == agentId)
            {
                // Frames this agent sent before leaving may still arrive on another link of the same
                // connection (an io_uring link is not ordered with the control socket): they are still routed.
                state.departedAgentId = agentId;
                state.agentId = 0;
                state.session.onAgentUnbound(agentId);
            }
            notifyWatchers(agent, reason == DeregistrationReason.EXPIRED ?
                AgentEventKind.EXPIRED : AgentEventKind.DEREGISTERED);
        }
    }

    /**
     * Where the fan-out of one frame stands: its receivers and the next to deliver to. The ingress has one for its
     * head frame; a session whose frame a full receiver refused holds one until the frame is delivered.
     */
    private static final class Fanout
    {
        final long[] targets;
        int count;
        int next;
        /** A receiver refused the frame: delivery resumes at {@link #next}. */
        boolean inProgress;
        /** Who sent a point-to-point frame and its correlation id: its sender is told of a gone receiver. */
        SessionState sender;
        long correlationId;
        boolean pointToPoint;

        Fanout(final int maxTargets)
        {
            targets = new long[maxTargets];
        }

        void reset()
        {
            count = 0;
            next = 0;
            inProgress = false;
            sender = null;
            pointToPoint = false;
        }
    }

    private static final class SessionState
    {
        final Session session;
        /** Per link, the fan-out of this session's frame that a full receiver holds (direct path), or null. */
        final Fanout[] held = new Fanout[2];
        long agentId;
        long departedAgentId;
        /** Kernel credentials of the connection, read once when it is added. */
        PeerCredentials peer = PeerCredentials.UNKNOWN;
        /** This connection's challenge; null for in-process connections. */
        byte[] nonce;
        /** What the registered agent may do; null before registration. */
        Grants grants;
        /** Authentication refused the connection: its frames are ignored while it closes. */
        boolean refused;
        /** The heartbeat word as last seen (see {@link Session#heartbeat()}). */
        long lastHeartbeat = Session.NO_HEARTBEAT;
        /** When the router learned of the session (its clock). */
        long connectedNs;
        /** An agent registered on it once: the handshake deadline no longer applies. */
        boolean everRegistered;
        /** Receiver-gone notices to this sender: the last receiver, when, and how many were not sent since. */
        long goneTarget;
        long goneNoticeNs;
        int goneSuppressed;

        SessionState(final Session session)
        {
            this.session = session;
        }
    }
}
