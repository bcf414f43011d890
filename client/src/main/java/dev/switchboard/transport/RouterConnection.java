package dev.switchboard.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * A client's connection to a router: a control channel (register, heartbeat, subscribe, lookup and
 * their replies), one {@link Transport} per tier for frames the router routes (publish, multicast, broadcast, work
 * items, and point-to-point frames whose receiver has no direct path yet), and {@link Lane}s for point-to-point frames
 * that go straight to the receiver. Each kind of deployment provides one: in-process (agents as threads of the
 * router's JVM) or cross-process (a control socket plus the tiers).
 *
 * <p><b>Three ways in, by cost</b> (the Aeron split between {@code Subscription.poll} and the client conductor):
 * <ol>
 *   <li>{@link #pollData} reads this client's own inbox ring and nothing else: no clock read, no system call, no load
 *       of a producer's cache line when it is empty. It runs on every poll.</li>
 *   <li>{@link #pollSignalled} reads the other sources (control socket, links, durable queue...) only when their
 *       readiness word says something came; with nothing signalled it costs a few loads of this client's own
 *       lines. It runs on every poll after {@link #pollData}.</li>
 *   <li>{@link #duty} does the slow and periodic work (heartbeats, stuck records, safety sweeps, deferred
 *       flushes); the client runs it every so many polls and after its idle strategy parked.</li>
 * </ol>
 *
 * <p>Thread-safety: owned by one client thread. Allocation: none in {@link #sendControl}, {@link #pollControl},
 * {@link #pollData}, {@link #pollSignalled} and {@link #duty} once warm.
 */
public interface RouterConnection extends AutoCloseable
{
    /**
     * A memory fault the JVM reported after the access that caused it, out of {@link #pollData}, {@link #pollSignalled}
     * or {@link #duty}: HotSpot raises the {@link InternalError} of a faulting unsafe access in JIT-compiled code at the
     * next safepoint poll, which inlining can put outside the try block around the access. A connection that maps
     * files another process may truncate (an inbox) contains it, if one of its mappings is the one that faulted: counts
     * it, stops using that mapping, and returns true. The client's poll calls this and rethrows what is not contained.
     *
     * @param fault what the JVM threw.
     * @return true when it was this connection's and is contained; false by default.
     */
    default boolean onLateMemoryFault(final InternalError fault)
    {
        return false;
    }

    /**
     * Send a control frame to the router.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return an {@link OfferStatus}.
     */
    int sendControl(DirectBuffer buffer, int offset, int length);

    /**
     * Read control frames from the router now, whatever the readiness words say (blocking control calls wait on
     * this). Data frames met on the way are kept for the next {@link #pollSignalled}, in order.
     *
     * @param handler called per frame.
     * @param limit   most frames.
     * @return frames read.
     */
    int pollControl(MessageHandler handler, int limit);

    /**
     * @return which tier carries each priority here.
     */
    TierMapping tierMapping();

    /**
     * @param tier a tier from {@link #tierMapping()}.
     * @return the transport that carries frames for the router on that tier (routed patterns).
     */
    Transport transport(Tier tier);

    /**
     * The hot read: frames in this client's own inbox ring only ({@link Tier#CRITICAL} or {@link Tier#IN_PROCESS}),
     * handed over with their {@link FrameTypes} type id.
     *
     * @param handler called per frame.
     * @param limit   most frames.
     * @return frames read.
     */
    int pollData(MessageHandler handler, int limit);

    /**
     * Read every other source whose readiness moved since the last look: control replies go to {@code control},
     * data frames (with their {@link FrameTypes} type id) to {@code data}. With nothing signalled: no system call.
     *
     * @param data    called per data frame.
     * @param control called per control frame.
     * @param limit   most frames per source.
     * @return frames read.
     */
    int pollSignalled(MessageHandler data, MessageHandler control, int limit);

    /**
     * The slow slice: heartbeat, stuck-record check, safety sweeps of sources that were not signalled, deferred
     * flushes, lazy opening of tiers. The client calls it every {@code ClientContext.dutyInterval()} polls, and at
     * once when {@link #dutyRequested()}.
     *
     * @param nowNs   {@link System#nanoTime()} read once by the caller.
     * @param data    called per data frame found.
     * @param control called per control frame found.
     * @return work done.
     */
    int duty(long nowNs, MessageHandler data, MessageHandler control);

    /**
     * @return true when the duty slice should run on the next poll whatever the count (the idle strategy parked,
     * a tier asked for it).
     */
    default boolean dutyRequested()
    {
        return false;
    }

    /**
     * Open the direct path to a receiver on a tier that writes into its ring ({@link Tier#CRITICAL},
     * {@link Tier#BATCH}, {@link Tier#IN_PROCESS}): map its inbox, check it. May block briefly (a file mapping);
     * called from the client's control-side code, never from a send.
     *
     * @param targetAgentId the receiver.
     * @param targetName    its name.
     * @param targetInbox   its inbox path from the registry, possibly empty.
     * @param tier          the tier to write on.
     * @return the lane, or null when the receiver has no direct path on that tier here (no inbox, outside the shm dir,
     * gone): its frames then go through the router.
     */
    default Lane openLane(final long targetAgentId, final String targetName, final String targetInbox, final Tier tier)
    {
        return null;
    }

    /**
     * After registration: a control frame this connection must send the router (agent links announce their sockets),
     * answered by an Ack or an Error.
     *
     * @param buffer        where to encode it.
     * @param offset        at.
     * @param correlationId to match the answer.
     * @param agentId       the agent's id.
     * @return the frame's length, or 0 when there is nothing to send.
     */
    default int encodeAfterRegistration(
        final org.agrona.MutableDirectBuffer buffer, final int offset, final long correlationId, final long agentId)
    {
        return 0;
    }

    /**
     * @param tier a tier.
     * @return true when point-to-point frames on that tier can go agent to agent over a link the router grants
     * ({@link #encodeLinkRequest}, then {@link #openLink}).
     */
    default boolean linksTo(final Tier tier)
    {
        return false;
    }

    /**
     * Ask the router for an agent-to-agent link (send it after every frame routed to the target so far).
     *
     * @param buffer        where to encode it.
     * @param offset        at.
     * @param correlationId to match the LinkGrant or Error.
     * @param selfAgentId   this agent's id.
     * @param targetAgentId the receiver.
     * @param tier          a tier {@link #linksTo} says yes for.
     * @return the frame's length, or 0 when this connection has no links.
     */
    default int encodeLinkRequest(
        final org.agrona.MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long selfAgentId,
        final long targetAgentId,
        final Tier tier)
    {
        return 0;
    }

    /**
     * Open the lane a LinkGrant allows (a connect; it does not wait for the receiver's verdict). Called from the control
     * handler while the grant frame is valid.
     *
     * @param selfAgentId this agent's id.
     * @param buffer      holding the LinkGrant frame (SBE header first).
     * @param offset      of the frame.
     * @param length      of the frame.
     * @return the lane.
     * @throws IllegalStateException naming the cause when it cannot open: the destination stays routed.
     */
    default Lane openLink(final long selfAgentId, final DirectBuffer buffer, final int offset, final int length)
    {
        throw new IllegalStateException("this connection has no agent links");
    }

    /**
     * @param tier a tier.
     * @return true when {@link #openLane} returning null for that tier means the receiver does not exist (so a send to
     * it is {@link OfferStatus#NOT_CONNECTED} at once); false when the registry must be asked (the frame goes through
     * the router meanwhile).
     */
    default boolean knowsEveryReceiver(final Tier tier)
    {
        return false;
    }

    /**
     * Open the durable (LOW) path to a receiver: this process appends to its queue directly (opening Chronicle files
     * the first time: may block for milliseconds; never called from a send).
     *
     * @param targetAgentId the receiver.
     * @param targetName    its name, which names its durable queue.
     * @param targetInbox   its inbox path, possibly empty (used to signal it after an append).
     * @return true when appends can go to the receiver's queue from here; false: through the router.
     */
    default boolean openDurable(final long targetAgentId, final String targetName, final String targetInbox)
    {
        return false;
    }

    /**
     * This client sent a routed frame to an agent that is parked on its futex and could not be woken from here (this
     * process has no native access): the connection asks the router to wake it.
     *
     * @param selfAgentId   this client's agent id.
     * @param targetAgentId the parked agent.
     */
    default void relayWake(final long selfAgentId, final long targetAgentId)
    {
    }

    /**
     * @return true when the router can see this client's liveness in shared memory (its inbox heartbeat), so the
     * client sends no Heartbeat frames; false when it must send them.
     */
    default boolean heartbeatsInSharedMemory()
    {
        return false;
    }

    /**
     * @return true when the router sends this connection a {@code Challenge} as it connects (socket connections),
     * which a registration token answers; false for trusted in-process connections, which are never challenged.
     */
    default boolean isChallenged()
    {
        return false;
    }

    /**
     * @return path of this connection's CRITICAL inbox file, sent at registration so that senders can
     * write to it directly; empty when the connection has no such inbox (in-process).
     */
    default String inboxPath()
    {
        return "";
    }

    /**
     * The router registered this connection's agent: tiers that need the agent's identity (its durable
     * queue, a second link that attaches to the first) may start now.
     *
     * @param agentId the granted id.
     * @param name    the agent's name.
     */
    default void onRegistered(final long agentId, final String name)
    {
    }

    /**
     * The client is about to receive routed traffic (it subscribed, consumes a queue or joined a group): tiers opened
     * lazily for routed receiving (the router's HIGH link) open now.
     */
    default void onRoutedReceiver()
    {
    }

    /**
     * How an agent loop on this connection should wait when it found no work: it must wake on every tier's traffic.
     * The same instance is returned for the same settings.
     *
     * @param settings kind ({@code busy-spin}, {@code yield}, {@code backoff}, {@code spin-park}) and bounds.
     * @return the strategy.
     */
    default org.agrona.concurrent.IdleStrategy idleStrategy(final dev.switchboard.idle.IdleSettings settings)
    {
        return dev.switchboard.idle.IdleStrategies.create(
            settings.kind() == dev.switchboard.idle.IdleSettings.Kind.SPIN_PARK ?
                settings.withKind(dev.switchboard.idle.IdleSettings.Kind.BACKOFF) : settings, null, null, null);
    }

    /**
     * @return the counters values buffer this connection counts into (Agrona's counters layout, see
     * {@code dev.switchboard.counters.CounterBlock}).
     */
    java.lang.foreign.MemorySegment countersValues();

    /**
     * Where the client on this connection records each request's round trip (send to matched response, ns, on the
     * client's thread, allocation-free): an agent process's counters file histogram {@code request_response_ns}
     * ({@code dev.switchboard.counters.file.LatencyHistogram}, single-writer).
     *
     * @return the recorder, or null when this connection keeps none (in-process connections: their clients share
     * the router's file, and a histogram has one writer).
     */
    default java.util.function.LongConsumer requestLatencyRecorder()
    {
        return null;
    }

    /**
     * @return false once the router is gone or the connection closed.
     */
    boolean isConnected();

    /**
     * The control connection broke: try once to open a new one to the router (the same address), without blocking
     * for long (a refused or full socket fails at once). On success the connection is as new for the control plane
     * (not registered, a fresh challenge) but keeps its inbox, links and durable queue, so direct paths live on.
     *
     * @return true when a new control connection is up.
     */
    default boolean reconnect()
    {
        return false;
    }

    /**
     * @return why the control connection broke, or null while it is up.
     */
    default String closeReason()
    {
        return null;
    }

    /**
     * Close the connection and its transports. Idempotent.
     */
    @Override
    void close();
}
