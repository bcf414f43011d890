package dev.switchboard.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.WakeDecoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.access.Authenticator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * The router: one duty cycle (an Agrona {@link Agent}) that reads every frame agents hand it, through the MPSC
 * {@link Ingress} or straight from a transport that reads its sockets on this thread ({@link #onSessionFrame}), hands
 * each frame to the part of the router that owns its kind, and runs the timers. The parts run on this one thread and
 * each owns its own state; they get what they share through their constructors:
 * <ul>
 *   <li>{@link Sessions}: the connections (their hand-over from other threads, the table, the handshake deadline, the
 *       Wake relay);</li>
 *   <li>{@link AccessControl}: admission and the {@code Challenge}, authentication at Register, every grant check and
 *       its counted refusal;</li>
 *   <li>{@link Registrar}: register, deregister, leases and heartbeats, lookups, registry watchers;</li>
 *   <li>{@link Routing}: point-to-point relay, publish/subscribe, multicast groups, broadcast, and back-pressure;</li>
 *   <li>{@link WorkQueues}: enqueue, dispatch, ack, redelivery;</li>
 *   <li>{@link LinkBroker}: grants for agent-to-agent links;</li>
 *   <li>shared by them: {@link ControlReplies} (the control buffer, Error and Ack) and {@link CycleClock} (the cycle's
 *       now).</li>
 * </ul>
 * What stays here: the public API (launch, settings, sessions in, hooks, close), the duty cycle (new sessions, the
 * ingress, the timer, the next deadline for a quiet idle strategy), validation, the dispatch of each frame to its part
 * (decoding the control requests into values, as Aeron's command adapter does for its conductor), the end of a
 * session, and the order in which the parts let go of an agent that leaves.
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
 * role's {@link dev.switchboard.router.access.Grants}, which subscribe, join, consume, lookups (CRITICAL inbox grants)
 * and routed data frames are checked against; refusals are Errors plus counters ({@link AccessControl}).
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
    private final FrameHandler frameHandler = new FrameHandler();

    // The parts (see the class comment), and what they share.
    private final CycleClock clock;
    private final ControlReplies replies;
    private final Sessions sessions;
    private final AccessControl access;
    private final Registrar registrar;
    private final Routing routing;
    private final WorkQueues workQueues;
    private final LinkBroker links;

    // Flyweights over the frame being dispatched.
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final RegisterDecoder registerDecoder = new RegisterDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final DeregisterDecoder deregisterDecoder = new DeregisterDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final UnsubscribeDecoder unsubscribeDecoder = new UnsubscribeDecoder();
    private final JoinGroupDecoder joinGroupDecoder = new JoinGroupDecoder();
    private final LeaveGroupDecoder leaveGroupDecoder = new LeaveGroupDecoder();
    private final LookupDecoder lookupDecoder = new LookupDecoder();
    private final WakeDecoder wakeDecoder = new WakeDecoder();

    private long nextTimerNs;
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
        this.clock = new CycleClock(this.ctx.nanoClock());
        this.countersOwner = ctx.counters() != null ? ctx.counters() : new SwitchboardCounters();
        this.counters = countersOwner.block();
        this.ingress = new Ingress(ctx.ingressCapacity(), counters);
        this.validator = new FrameValidator(ingress.maxMessageLength(), rejections);
        this.registry = new AgentRegistry(ctx.maxAgents(), ctx.defaultLeaseNs(), ctx.maxLeaseNs());
        this.registry.addListener(new AgentDeparture());
        this.replies = new ControlReplies(counters);
        this.sessions = new Sessions(registry, this.ctx, counters, replies, clock);
        this.routing = new Routing(this.ctx, counters, replies, clock, sessions);
        this.access = new AccessControl(
            this.ctx.authenticator(), this.ctx, counters, replies, clock, sessions, registry, routing::topicName);
        this.workQueues = new WorkQueues(this.ctx, counters, replies, clock, sessions::sessionOf);
        this.registrar = new Registrar(registry, counters, replies, clock, sessions, access);
        this.links = new LinkBroker(registry, counters, sessions::sessionOf, ctx.linkGrantTtlMs());
        this.nextTimerNs = clock.nowNs();
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
        return sessions.nextSessionId();
    }

    /**
     * Hand a new session to the router. Safe from any thread; takes effect on the router thread before
     * any frame of that session is read.
     *
     * @param session a newly connected session.
     */
    public void addSession(final Session session)
    {
        sessions.add(session);
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
        return sessions.hasAdded();
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
        deadline = Math.min(deadline, workQueues.nextDeadlineNs());
        if (routing.isHoldingFrames())
        {
            deadline = Math.min(deadline, clock.nowNs() + ctx.stallRetryNs());
        }
        deadline = Math.min(deadline, sessions.nextHandshakeDeadlineNs());
        return deadline == Long.MAX_VALUE ? deadline : Math.max(deadline, nextTimerNs);
    }

    /**
     * @return true while a full receiver holds a frame (of the ingress or of a session): the duty cycle retries it
     * every {@link RouterContext#stallRetryNs()}.
     */
    public boolean isHoldingFrames()
    {
        return routing.isHoldingFrames();
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
        final long nowNs = clock.update();
        if (sessions.hasAdded())
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
    // the bridge: routers on several hosts (called only when a cluster is configured, from this router's thread)

    /**
     * Register an agent of a peer router on its proxy session here, so that lookups, watchers, name uniqueness and
     * routing see it as any other agent; frames routed to it go to {@code session.deliver}, which carries them to the
     * peer. The name must be free here (else the registry's refusal is returned and counted). Router thread only.
     *
     * @param session the proxy session (a fresh one per remote agent; its {@code peer()} must be in-process, so no
     *                challenge is sent to it).
     * @param name    the agent's name.
     * @param caps    its capabilities.
     * @param pid     its process id on its host.
     * @param tiers   its tiers.
     * @param leaseNs its proxy's lease here, renewed while {@link Session#heartbeat()} moves.
     * @return the registry's answer: the local record (with its local agent id), or why not.
     */
    public dev.switchboard.registry.RegistrationResult registerBridged(
        final Session session,
        final String name,
        final List<String> caps,
        final long pid,
        final int tiers,
        final long leaseNs)
    {
        sessions.add(session);
        drainNewSessions();
        final SessionState state = sessions.get(session.sessionId());
        return registrar.registerBridged(state, name, caps, pid, tiers, leaseNs);
    }

    /**
     * Remove an agent of a peer router (it left there, or its router is gone). Router thread only.
     *
     * @param agentId its local id, from {@link #registerBridged}.
     * @param expired true when its router went silent (counted and told as an expiry), false when it deregistered.
     */
    public void deregisterBridged(final long agentId, final boolean expired)
    {
        registry.deregister(agentId, expired ? DeregistrationReason.EXPIRED : DeregistrationReason.REQUESTED);
    }

    /**
     * Take a local agent out because a peer router's agent holds its name (a cluster name conflict the cluster's rule
     * resolved for the peer); the agent is told why ({@code NAME_TAKEN}) and its client registers again, which is
     * refused while the peer's agent holds the name. Router thread only.
     *
     * @param agentId the local agent.
     * @param why     the error text for the agent.
     * @return true when it was registered and is now out.
     */
    public boolean evictForNameConflict(final long agentId, final String why)
    {
        return registrar.evict(agentId, why) != null;
    }

    /**
     * @param name an agent name.
     * @return the agent registered under it here (local or bridged), or null. Router thread only.
     */
    public AgentRecord agentByName(final String name)
    {
        return registry.byName(name);
    }

    /**
     * Deliver an Envelope that came over the bridge to one local agent, as routing delivers a copy: validated first
     * (bad input from a peer is refused and counted as any frame), then handed to the agent's session. Router thread
     * only. Allocation: none.
     *
     * @param targetAgentId the local agent.
     * @param buffer        holding the Envelope.
     * @param index         of it.
     * @param length        of it.
     * @return an {@link dev.switchboard.transport.OfferStatus}: {@code BACK_PRESSURED} when the agent is full (offer
     * the same frame again later), {@code NOT_CONNECTED} when no such agent is registered, {@code REJECTED} for a
     * frame that is not a valid Envelope.
     */
    public int deliverBridged(final long targetAgentId, final DirectBuffer buffer, final int index, final int length)
    {
        final int templateId = validator.validate(buffer, index, length);
        if (templateId != EnvelopeDecoder.TEMPLATE_ID)
        {
            counters.increment(CounterIds.of(templateId < 0 ? RouterCounter.REJECTED_MALFORMED :
                RouterCounter.REJECTED_UNKNOWN_TEMPLATE));
            return dev.switchboard.transport.OfferStatus.REJECTED;
        }
        final Session target = sessions.sessionOf(targetAgentId);
        if (target == null)
        {
            counters.increment(CounterIds.of(RouterCounter.FANOUT_RECEIVER_GONE));
            return dev.switchboard.transport.OfferStatus.NOT_CONNECTED;
        }
        final int status = target.deliver(buffer, index, length);
        if (status == dev.switchboard.transport.OfferStatus.OK)
        {
            counters.increment(CounterIds.of(RouterCounter.FANOUT_DELIVERIES));
        }
        return status;
    }

    /**
     * Subscribe an agent of a peer router (its proxy here) to a topic or a multicast group, or take it out: what is
     * published or multicast here then reaches it through its proxy. Router thread only.
     *
     * @param agentId its local id, from {@link #registerBridged}.
     * @param topic   true for a topic, false for a group.
     * @param name    the topic's or group's name.
     * @param join    true to join.
     */
    public void joinBridged(final long agentId, final boolean topic, final String name, final boolean join)
    {
        final AgentRecord record = registry.byId(agentId);
        final SessionState state = record == null ? null : sessions.get((int)record.sessionId());
        if (state == null || state.agentId != agentId)
        {
            return;
        }
        if (topic)
        {
            routing.subscribe(state, 0, name, join);
        }
        else
        {
            routing.join(state, 0, name, join);
        }
    }

    /**
     * @param listener told of every topic subscription and group membership made or ended by request (one listener;
     *                 null for none). Call before the duty cycle starts, or from the router thread.
     */
    public void membershipListener(final MembershipListener listener)
    {
        routing.membershipListener(listener);
    }

    /**
     * @param action given every topic subscription and group membership now. Router thread only.
     */
    public void forEachMembership(final MembershipListener action)
    {
        routing.forEachMembership(action);
    }

    /**
     * Make an agent of a peer router (its proxy here) a consumer of a work queue by name, or stop it: the items
     * enqueued here are then dispatched to it too, through its proxy, and what it holds goes back to the queue,
     * flagged redelivered, when it stops. Router thread only.
     *
     * @param agentId its local id, from {@link #registerBridged}.
     * @param name    the queue's name.
     * @param consume true to consume.
     */
    public void consumeBridged(final long agentId, final String name, final boolean consume)
    {
        final Session session = sessions.sessionOf(agentId);
        if (session != null)
        {
            workQueues.consume(session, agentId, 0, name, consume);
        }
    }

    /**
     * Apply an ack that a peer router sent back: its consumer acked an item this router dispatched to the consumer's
     * proxy. Counted as a late ack when the proxy no longer holds the item (redelivered meanwhile). Router thread only.
     * Allocation: none.
     *
     * @param queueId the item's queue.
     * @param itemId  the item's id here.
     * @param agentId the proxy's local id, from {@link #registerBridged}.
     */
    public void ackBridged(final long queueId, final long itemId, final long agentId)
    {
        workQueues.ackBridged(queueId, itemId, agentId);
    }

    /**
     * @param listener told of every work-queue consumer that starts or stops by request (one listener; null for
     *                 none). Call before the duty cycle starts, or from the router thread.
     */
    public void queueConsumerListener(final QueueConsumerListener listener)
    {
        workQueues.consumerListener(listener);
    }

    /**
     * @param forwarder takes the acks that name no item of this router's queues (one; null for none). Call before the
     *                  duty cycle starts, or from the router thread.
     */
    public void workAckForwarder(final WorkAckForwarder forwarder)
    {
        workQueues.ackForwarder(forwarder);
    }

    /**
     * @param action given every work-queue consumer now, with its queue's name. Router thread only.
     */
    public void forEachQueueConsumer(final QueueConsumerListener action)
    {
        workQueues.forEachConsumer(action);
    }

    /**
     * @param agentId a local agent id.
     * @return its record, or null. Router thread only.
     */
    public AgentRecord agentById(final long agentId)
    {
        return registry.byId(agentId);
    }

    /**
     * @param action given every registered agent, local and bridged, in registration order. Router thread only.
     */
    public void forEachAgent(final java.util.function.Consumer<AgentRecord> action)
    {
        registry.forEach(action);
    }

    // ---------------------------------------------------------------------------------------------------
    // sessions in and out, and the timer

    private int drainNewSessions()
    {
        int n = 0;
        SessionState state;
        while ((state = sessions.takeAdded()) != null)
        {
            access.admit(state);
            n++;
        }
        return n;
    }

    /**
     * @return the session's state; a session added but not taken yet is taken now (its frames may come first).
     */
    private SessionState stateOf(final int sessionId)
    {
        final SessionState state = sessions.get(sessionId);
        if (state != null)
        {
            return state;
        }
        drainNewSessions();
        return sessions.get(sessionId);
    }

    /**
     * A session ended: its agent is deregistered, the frame it held is released, and it leaves the table.
     */
    private void endSession(final SessionState state)
    {
        if (state.agentId != 0)
        {
            registry.deregister(state.agentId, DeregistrationReason.CONNECTION_CLOSED);
        }
        routing.releaseHeld(state);
        sessions.remove(state);
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
        final SessionState state = stateOf(sessionId);
        if (state != null)
        {
            endSession(state);
        }
    }

    /**
     * Every {@link RouterContext#timerIntervalNs()}: leases (renewed from what keeps them without frames, then judged),
     * the handshake deadline, sessions whose transport closed, and the work queues' deadlines and retries.
     */
    private int onTimer()
    {
        registrar.renewLeasesIfRunOut();
        int work = registrar.judgeLeases(routing.ingressBlocker());
        work += sessions.enforceHandshakeDeadline();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final SessionState state = sessions.at(i);
            if (!state.session.isOpen() && !state.session.closesInBand())
            {
                endSession(state);
                work++;
            }
        }
        work += workQueues.onTimer();
        return work;
    }

    // ---------------------------------------------------------------------------------------------------
    // frames in: validated, then each to its part

    /**
     * Frames from the ingress: the held head frame first (until every receiver has it, nothing behind it is read),
     * then in-band session ends, then each frame of a known session.
     */
    private final class FrameHandler implements ControlledMessageHandler
    {
        @Override
        public Action onMessage(
            final int sessionId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (routing.isIngressFrameHeld())
            {
                return routing.resumeIngressFrame(buffer, index, length);
            }
            if ((sessionId & Ingress.SESSION_CLOSED_BIT) != 0)
            {
                onSessionClosed(sessionId & ~Ingress.SESSION_CLOSED_BIT);
                return Action.CONTINUE;
            }
            counters.increment(CounterIds.of(RouterCounter.INGRESS_FRAMES));
            final SessionState state = stateOf(sessionId);
            if (state == null)
            {
                counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
                return Action.CONTINUE;
            }
            routing.beginIngressFrame();
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
        final SessionState state = stateOf(sessionId);
        if (state == null)
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
            return true;
        }
        if (routing.isHeld(state, link))
        {
            return routing.resumeHeld(state, link, buffer, index, length);
        }
        routing.beginSessionFrame();
        if (route(state, buffer, index, length) == ControlledMessageHandler.Action.ABORT)
        {
            routing.hold(state, link);
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
        replies.sendError(state.session, 0, error.errorCode(), validator.lastErrorText());
    }

    /**
     * A data frame: sent in the session's own agent's name, allowed by its grants, then by pattern to routing or to
     * the work queues. Allocation: none once warm (a refusal builds its Error).
     */
    private ControlledMessageHandler.Action onEnvelope(
        final SessionState state, final DirectBuffer buffer, final int index, final int length)
    {
        envelopeDecoder.wrap(buffer, index + HEADER, headerDecoder.blockLength(), headerDecoder.version());
        if (!access.maySendAs(state, envelopeDecoder) || !access.mayRoute(state, envelopeDecoder))
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final long source = envelopeDecoder.sourceAgentId();
        final Pattern pattern = envelopeDecoder.pattern();
        final long targetId = envelopeDecoder.targetId();
        switch (pattern)
        {
            case SEND, REQUEST, RESPONSE ->
            {
                return routing.pointToPoint(state, targetId, envelopeDecoder.correlationId(), buffer, index, length);
            }
            case PUBLISH ->
            {
                return routing.publish(targetId, source, buffer, index, length);
            }
            case MULTICAST ->
            {
                return routing.multicast(state, targetId, source, envelopeDecoder.correlationId(), buffer, index,
                    length);
            }
            case BROADCAST ->
            {
                return routing.broadcast(source, buffer, index, length);
            }
            case WORK ->
            {
                workQueues.enqueue(state.session, targetId, source, envelopeDecoder.correlationId(), buffer, index,
                    length);
                return ControlledMessageHandler.Action.CONTINUE;
            }
            case WORK_ACK ->
            {
                workQueues.ack(targetId, envelopeDecoder.correlationId(), source);
                return ControlledMessageHandler.Action.CONTINUE;
            }
            default ->
            {
                counters.increment(CounterIds.of(RouterCounter.REJECTED_MALFORMED));
                return ControlledMessageHandler.Action.CONTINUE;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // control plane

    /**
     * A control request: decoded here into values and handed to its part (the control plane allocates, by design).
     */
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
                registrar.heartbeat(state, heartbeatDecoder.agentId());
            }
            case DeregisterDecoder.TEMPLATE_ID ->
            {
                deregisterDecoder.wrap(buffer, offset, blockLength, version);
                registrar.deregister(state, deregisterDecoder.correlationId(), deregisterDecoder.agentId());
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
                if (requireAgent(state, correlationId, "join group") && access.mayJoin(state, correlationId, name))
                {
                    routing.join(state, correlationId, name, true);
                }
            }
            case LeaveGroupDecoder.TEMPLATE_ID ->
            {
                leaveGroupDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = leaveGroupDecoder.correlationId();
                final String name = leaveGroupDecoder.name();
                if (requireAgent(state, correlationId, "leave group"))
                {
                    routing.join(state, correlationId, name, false);
                }
            }
            case LookupDecoder.TEMPLATE_ID ->
            {
                lookupDecoder.wrap(buffer, offset, blockLength, version);
                final long correlationId = lookupDecoder.correlationId();
                final long wanted = lookupDecoder.wantedAgentId();
                final LookupKind kind = lookupDecoder.kind();
                registrar.lookup(state, correlationId, kind, wanted, lookupDecoder.query());
            }
            case WakeDecoder.TEMPLATE_ID ->
            {
                wakeDecoder.wrap(buffer, offset, blockLength, version);
                sessions.relayWake(state, wakeDecoder.agentId(), wakeDecoder.targetAgentId());
            }
            case dev.switchboard.codecs.sbe.LinkListenDecoder.TEMPLATE_ID,
                dev.switchboard.codecs.sbe.LinkRequestDecoder.TEMPLATE_ID ->
                links.onControl(templateId, buffer, offset, blockLength, version, state.session, state.agentId,
                    access.grantsOf(state), state.peer);
            default -> replies.refuse(state.session, 0, ErrorCode.UNKNOWN_TEMPLATE,
                "frame refused: template " + templateId + " is not a request the router serves");
        }
    }

    private boolean requireAgent(final SessionState state, final long correlationId, final String what)
    {
        if (state.agentId == 0)
        {
            replies.refuse(state.session, correlationId, ErrorCode.NOT_REGISTERED,
                what + " refused: this connection has no registered agent; register first");
            return false;
        }
        return true;
    }

    /**
     * Decode a Register (its fields in schema order: the groups and variable-length fields are read once, in turn)
     * and hand it to the registrar.
     */
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
        registrar.register(state, correlationId, name, capabilities, pid, tiers, requestedLeaseNs, credential,
            requestedInbox);
    }

    /**
     * A Subscribe or Unsubscribe: its kind names the part (a topic: routing; a queue: the work queues; the registry:
     * the registrar); subscribing is checked against the grants first.
     */
    private void onSubscribe(
        final SessionState state,
        final long correlationId,
        final SubscriptionKind kind,
        final String name,
        final boolean subscribe)
    {
        if (subscribe && !access.maySubscribe(state, correlationId, kind, name))
        {
            return;
        }
        switch (kind)
        {
            case TOPIC -> routing.subscribe(state, correlationId, name, subscribe);
            case QUEUE -> workQueues.consume(state.session, state.agentId, correlationId, name, subscribe);
            case REGISTRY -> registrar.watch(state, correlationId, subscribe);
            default -> replies.refuse(state.session, correlationId, ErrorCode.MALFORMED,
                "unknown subscription kind " + kind);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // agents out

    /**
     * An agent left the registry (deregistered, expired, or its connection closed): routing takes it out of its topics
     * and groups, the work queues redeliver what it held, then the registrar counts, tells and unbinds it. Added to
     * the registry before any other listener.
     */
    private final class AgentDeparture implements RegistryListener
    {
        @Override
        public void onRegistered(final AgentRecord agent)
        {
        }

        @Override
        public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
        {
            routing.removeMember(agent.agentId());
            workQueues.removeConsumer(agent.agentId());
            registrar.onDeregistered(agent, reason);
        }
    }
}
