package dev.switchboard.router;

import dev.switchboard.security.PeerCredentials;

import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * The router's view of one connected agent process or thread: where to deliver its data frames and its
 * control replies. Each transport that accepts connections (in-process hub, Unix socket server...)
 * implements it and hands new sessions to {@link Router#addSession(Session)}; frames from the session
 * enter the router's {@link Ingress} tagged with {@link #sessionId()}.
 *
 * <p>Thread-safety: {@link #deliver} and {@link #sendControl} are called by the router's duty-cycle
 * thread only; {@link #isOpen()} from any thread. Allocation: none in {@code deliver}.
 */
public interface Session
{
    /** {@link #heartbeat()} of a session whose agent keeps no heartbeat in shared memory. */
    long NO_HEARTBEAT = Long.MIN_VALUE;

    /**
     * @return id of this session, unique in the router, at least 1.
     */
    int sessionId();

    /**
     * @return the tier the router delivers data frames on.
     */
    Tier tier();

    /**
     * @return bitset of tiers this session's agent can use.
     */
    int tiers();

    /**
     * @return where the session's agent lives as lookups show it: the cluster endpoint of its router for an agent of a
     * peer router (a bridge proxy), empty for an agent of this router.
     */
    default String host()
    {
        return "";
    }

    /**
     * Deliver a data frame to this session's agent.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return an {@link dev.switchboard.transport.OfferStatus}.
     */
    int deliver(DirectBuffer buffer, int offset, int length);

    /**
     * Send a control frame (Registered, Ack, Error, LookupResult, AgentEvent) to this session.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return an {@link dev.switchboard.transport.OfferStatus}.
     */
    int sendControl(DirectBuffer buffer, int offset, int length);

    /**
     * @return the largest control frame this session accepts.
     */
    int maxControlLength();

    /**
     * @return false once the other end has gone (closed, process died).
     */
    boolean isOpen();

    /**
     * @return true when the transport reports this session's end in order with its frames, through
     * {@link Ingress#offerSessionClosed(int)}, so that frames still in the ingress are routed before the
     * agent is deregistered; false when the router should notice {@link #isOpen()} turning false.
     */
    default boolean closesInBand()
    {
        return false;
    }

    /**
     * Check the inbox an agent named in its registration, before the router registers it. A transport
     * with shared-memory inboxes verifies the path (inside its directory, owned by the agent's user) and
     * opens it for the router's own deliveries.
     *
     * @param requestedInbox inbox path the agent sent, possibly empty.
     * @return the inbox path to publish in lookups (empty for none), or null to refuse the registration.
     */
    default String acceptInbox(final String requestedInbox)
    {
        return "";
    }

    /**
     * The agent's heartbeat in shared memory (Aeron's client keepalive): an agent with a shared-memory inbox moves a
     * word in its inbox header as it polls instead of sending Heartbeat frames, and the router renews its lease when
     * it sees the word moved since its last look. Router thread. Allocation: none.
     *
     * @return the agent's heartbeat word, a count its client moves as it polls (compare it with the value seen last:
     * a word that moved means the agent was alive since), or {@link #NO_HEARTBEAT} when the agent keeps none (its
     * lease is renewed by Heartbeat frames only).
     */
    default long heartbeat()
    {
        return NO_HEARTBEAT;
    }

    /**
     * What this session's transport does for its agent, as {@link dev.switchboard.transport.RouterFeatures} bits
     * ({@code SIGNALS_CONTROL}, {@code READS_HEARTBEATS}); the router adds them to the {@code Challenge} flags so
     * that the client adapts. Router thread.
     *
     * @return the feature bits; 0 by default.
     */
    default int features()
    {
        return 0;
    }

    /**
     * Who is at the other end, as the kernel says ({@code SO_PEERCRED}); the router checks it against the access
     * policy when the session is added. Read once, on the router thread.
     *
     * @return the peer's credentials; {@link PeerCredentials#UNKNOWN} (never admitted) unless the transport knows,
     * {@link PeerCredentials#IN_PROCESS} for trusted in-process connections.
     */
    default PeerCredentials peer()
    {
        return PeerCredentials.UNKNOWN;
    }

    /**
     * The router refused this connection (authentication or rate limit): send what is queued (the Error), then
     * close it. Called on the router thread; the transport closes on its own thread.
     */
    default void closeAfterFlush()
    {
    }

    /**
     * Wake this session's agent if it is parked: the router's side of a {@code Wake} control frame, sent by an agent
     * that made data visible to this one but cannot make the futex call itself. Called on the router thread; must not
     * block. Allocation: none.
     *
     * @return true when the transport made a wake call (the agent may have been awake already: a spurious wake is
     * harmless), false when it has no way to wake this agent.
     */
    default boolean wake()
    {
        return false;
    }

    /**
     * The router registered an agent on this session: transports that deliver directly (by agent id)
     * publish it in their directory now.
     *
     * @param agentId granted id.
     * @param name    the agent's registered name.
     */
    void onAgentBound(long agentId, String name);

    /**
     * The agent of this session left the registry.
     *
     * @param agentId its id.
     */
    void onAgentUnbound(long agentId);
}
