package dev.switchboard.router;

import java.util.function.LongFunction;

import dev.switchboard.codecs.sbe.ChallengeEncoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.router.access.AuthFailure;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.RouterFeatures;

/**
 * The router's side of {@link dev.switchboard.router.access}: who may connect (kernel credentials against the policy,
 * then a {@code Challenge}), who may register (the token, through the {@link Authenticator}, and the failure limiter),
 * and what a registered agent may do: send as which agent, route which data frame (send, publish, broadcast, enqueue,
 * CRITICAL to whom), subscribe, join, consume, and whom a lookup shows a CRITICAL inbox. Each refusal is an Error to
 * the session, with the operation, the role and the policy's source, and one counter; a refused connection is closed
 * through {@link Sessions#refuse}.
 *
 * <p>Threads: the router's duty-cycle thread only. Allocation: a data frame from an unrestricted role (admin, and
 * everyone under the built-in policy) costs one boolean test and allocates nothing; a restricted role costs bit tests
 * and, for publish, a glob match, and allocates only to refuse. Connecting, registering and the other control-plane
 * checks allocate, by design.
 */
final class AccessControl
{
    private final Authenticator auth;
    private final RouterContext ctx;
    private final CounterBlock counters;
    private final ControlReplies replies;
    private final CycleClock clock;
    private final Sessions sessions;
    private final AgentRegistry registry;
    private final LongFunction<String> topicNames;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ChallengeEncoder challengeEncoder = new ChallengeEncoder();

    /**
     * @param auth       the policy, the token checks and the failure limiter.
     * @param ctx        whether the router relays Wakes (a Challenge flag).
     * @param counters   the router's counters.
     * @param replies    to send the Challenge and the refusals.
     * @param clock      the duty cycle's now (the failure limiter's clock).
     * @param sessions   to close a refused connection.
     * @param registry   the receivers of CRITICAL frames, by id.
     * @param topicNames a topic's name by its id, or null for an id the router knows no topic by.
     */
    AccessControl(
        final Authenticator auth,
        final RouterContext ctx,
        final CounterBlock counters,
        final ControlReplies replies,
        final CycleClock clock,
        final Sessions sessions,
        final AgentRegistry registry,
        final LongFunction<String> topicNames)
    {
        this.auth = auth;
        this.ctx = ctx;
        this.counters = counters;
        this.replies = replies;
        this.clock = clock;
        this.sessions = sessions;
        this.registry = registry;
        this.topicNames = topicNames;
    }

    // ---------------------------------------------------------------------------------------------------
    // connect and register

    /**
     * A new connection: a trusted in-process one is let in as it is; one from another process is checked against the
     * failure limiter and the policy's peer lines, then sent a {@code Challenge} (a fresh nonce, and flags: token
     * required, the router relays Wakes, the transport's features), or told why not and closed.
     *
     * @param state the session, just taken.
     */
    void admit(final SessionState state)
    {
        final PeerCredentials peer = state.peer;
        if (peer.inProcess())
        {
            return; // trusted code in this JVM: no challenge; its role is switchboard.auth.inprocess.role
        }
        if (auth.limiter().isLimited(peer.user(), clock.nowNs()))
        {
            refuseConnection(state, 0, AuthFailure.RATE_LIMITED, "connection refused: too many failed attempts from " +
                peer.describe() + "; the limit is " + auth.limiter().burst() +
                " (switchboard.auth.failures.burst), try again later");
            return;
        }
        final Authenticator.Outcome refusal = auth.admit(peer);
        if (refusal != null)
        {
            auth.limiter().onFailure(peer.user(), clock.nowNs());
            refuseConnection(state, 0, refusal.failure(), refusal.reason());
            return;
        }
        state.nonce = Authenticator.newNonce();
        headerEncoder.wrap(replies.buffer(), 0);
        challengeEncoder.wrapAndApplyHeader(replies.buffer(), 0, headerEncoder)
            .flags(auth.challengeFlags() | (ctx.relaysWakes() ? RouterFeatures.RELAYS_WAKES : 0) |
                state.session.features())
            .putNonce(state.nonce, 0, state.nonce.length);
        replies.send(state.session, ControlReplies.HEADER + challengeEncoder.encodedLength());
    }

    /**
     * Authenticate a Register: the failure limiter, then the token against this connection's challenge and the name,
     * then the role's grant of the name. A failure is counted, answered, charged to the peer's failure bucket, and
     * closes the connection when the peer is not admitted at all or has no failures left.
     *
     * @param state         the session the Register came on.
     * @param correlationId of the Register.
     * @param name          the agent name asked for.
     * @param credential    the Register's credential field (kind byte, then the token).
     * @return the role's grants, or null when refused (already answered).
     */
    Grants authenticate(
        final SessionState state, final long correlationId, final String name, final byte[] credential)
    {
        final PeerCredentials peer = state.peer;
        if (!peer.inProcess() && auth.limiter().isLimited(peer.user(), clock.nowNs()))
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
        replies.sendError(state.session, correlationId, errorCodeOf(outcome.failure()), outcome.reason());
        if (!peer.inProcess())
        {
            final long nowNs = clock.nowNs();
            auth.limiter().onFailure(peer.user(), nowNs);
            if (outcome.failure() == AuthFailure.PEER_NOT_ADMITTED || auth.limiter().isLimited(peer.user(), nowNs))
            {
                sessions.refuse(state);
            }
        }
        return null;
    }

    private void refuseConnection(
        final SessionState state, final long correlationId, final AuthFailure failure, final String reason)
    {
        counters.increment(CounterIds.of(counterOf(failure)));
        replies.sendError(state.session, correlationId, errorCodeOf(failure), reason);
        sessions.refuse(state);
    }

    static RouterCounter counterOf(final AuthFailure failure)
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

    static ErrorCode errorCodeOf(final AuthFailure failure)
    {
        return switch (failure)
        {
            case TOKEN_MISSING, TOKEN_MALFORMED, HMAC_MISMATCH, JWT_INVALID, JWT_EXPIRED ->
                ErrorCode.AUTHENTICATION_FAILED;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            case PEER_NOT_ADMITTED, NO_ROLE, NAME_NOT_PERMITTED -> ErrorCode.NOT_AUTHORISED;
        };
    }

    // ---------------------------------------------------------------------------------------------------
    // control-plane grants

    /**
     * @param state a session.
     * @return what its agent may do: its role's grants once registered; before that the in-process role's for an
     * in-process connection, else null (nothing).
     */
    Grants grantsOf(final SessionState state)
    {
        if (state.grants != null)
        {
            return state.grants;
        }
        return state.peer.inProcess() ? auth.inProcessGrants() : null;
    }

    /**
     * May the session's agent subscribe to a topic, consume a queue or watch the registry? Refused: counted and
     * answered.
     *
     * @param state         the asker's session.
     * @param correlationId of the Subscribe.
     * @param kind          topic, queue or registry.
     * @param name          the topic's or queue's name.
     * @return true when granted.
     */
    boolean maySubscribe(
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
            replies.refuse(state.session, correlationId, ErrorCode.NOT_AUTHORISED, (queue ? "consume queue '" :
                kind == SubscriptionKind.REGISTRY ? "watch registry '" : "subscribe to topic '") + name +
                "' refused: role " + roleOf(g) + " is not granted it (" + auth.policy().source() + ")");
        }
        return ok;
    }

    /**
     * May the session's agent join a multicast group? Refused: counted and answered.
     *
     * @param state         the asker's session.
     * @param correlationId of the JoinGroup.
     * @param name          the group's name.
     * @return true when granted.
     */
    boolean mayJoin(final SessionState state, final long correlationId, final String name)
    {
        final Grants g = grantsOf(state);
        if (g != null && g.mayJoin(name))
        {
            return true;
        }
        counters.increment(CounterIds.of(RouterCounter.POLICY_DENIED_JOIN));
        replies.refuse(state.session, correlationId, ErrorCode.NOT_AUTHORISED, "join group '" + name +
            "' refused: role " + roleOf(g) + " is not granted it (" + auth.policy().source() + ")");
        return false;
    }

    private static String roleOf(final Grants g)
    {
        return g == null ? "(none)" : g.role().label();
    }

    /**
     * The CRITICAL inbox of {@code target} is handed out only to an asker whose role may send CRITICAL to it: the
     * inbox is the only way into the receiver that bypasses the router. Withheld, it is not an error: counted, and the
     * lookup answers without it.
     *
     * @param asker  the session asking (a lookup).
     * @param target the agent looked up.
     * @return the inbox path to show, or empty.
     */
    String inboxGrant(final SessionState asker, final AgentRecord target)
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

    // ---------------------------------------------------------------------------------------------------
    // data frames (the hot path)

    /**
     * May the session send a data frame in the name of its source agent? Only the agent registered on it may, or the
     * one that left it last (its frames still in flight on another link of the connection). Refused: counted
     * ({@link RouterCounter#REJECTED_NOT_REGISTERED}, {@link RouterCounter#REJECTED_SPOOFED_SOURCE}) and answered.
     * Allocation: none unless refused.
     *
     * @param state    the session the frame came on.
     * @param envelope the frame's envelope, wrapped.
     * @return true when the source is the session's own.
     */
    boolean maySendAs(final SessionState state, final EnvelopeDecoder envelope)
    {
        final long source = envelope.sourceAgentId();
        if (state.agentId == 0 && (source == 0 || source != state.departedAgentId))
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_NOT_REGISTERED));
            replies.sendError(state.session, envelope.correlationId(), ErrorCode.NOT_REGISTERED,
                "data frame refused: this connection has no registered agent");
            return false;
        }
        if (source != state.agentId && source != state.departedAgentId)
        {
            counters.increment(CounterIds.of(RouterCounter.REJECTED_SPOOFED_SOURCE));
            replies.sendError(state.session, envelope.correlationId(), ErrorCode.NOT_AUTHORISED,
                "data frame refused: source agent id does not match this connection's agent");
            return false;
        }
        return true;
    }

    /**
     * May the session's agent have the router route this data frame? An unrestricted role (or a session with no
     * grants) may, at the cost of one boolean test; a restricted one is checked against its grants
     * ({@link #isPermitted}). Allocation: none unless refused.
     *
     * @param state    the session the frame came on, its source checked by {@link #maySendAs}.
     * @param envelope the frame's envelope, wrapped.
     * @return true when the frame may be routed; false when refused (counted and answered).
     */
    boolean mayRoute(final SessionState state, final EnvelopeDecoder envelope)
    {
        final Grants grants = state.grants;
        return grants == null || grants.unrestrictedData() || isPermitted(state, grants, envelope);
    }

    /**
     * Checks a data frame against a restricted role. Allocation: none when permitted; a refusal builds its Error.
     */
    private boolean isPermitted(final SessionState state, final Grants g, final EnvelopeDecoder envelope)
    {
        final Pattern pattern = envelope.pattern();
        final long targetId = envelope.targetId();
        final int priority = envelope.priorityRaw();
        switch (pattern)
        {
            case BROADCAST ->
            {
                if (!g.mayBroadcast(priority))
                {
                    return deny(state, envelope, RouterCounter.POLICY_DENIED_BROADCAST, "broadcast at " +
                        envelope.priority() + " refused: role " + g.role().label() + " may not broadcast at it");
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
                    return deny(state, envelope, RouterCounter.POLICY_DENIED_ENQUEUE, "work item refused: role " +
                        g.role().label() + " may not enqueue work");
                }
            }
            default ->
            {
            }
        }
        if (!g.maySend(priority))
        {
            return deny(state, envelope, RouterCounter.POLICY_DENIED_SEND, pattern + " at " + envelope.priority() +
                " refused: role " + g.role().label() + " may not send at this priority");
        }
        if (pattern == Pattern.PUBLISH)
        {
            final String topic = topicNames.apply(targetId);
            if (topic != null && !g.mayPublish(topic))
            {
                return deny(state, envelope, RouterCounter.POLICY_DENIED_PUBLISH, "publish to topic '" + topic +
                    "' refused: role " + g.role().label() + " is not granted it");
            }
        }
        else if (priority == Grants.CRITICAL_PRIORITY &&
            (pattern == Pattern.SEND || pattern == Pattern.REQUEST || pattern == Pattern.RESPONSE))
        {
            final AgentRecord receiver = registry.byId(targetId);
            if (receiver != null && !g.maySendCriticalTo(receiver.name()))
            {
                return deny(state, envelope, RouterCounter.POLICY_DENIED_SEND, "CRITICAL " + pattern + " to '" +
                    receiver.name() + "' refused: role " + g.role().label() + " may not send CRITICAL to it");
            }
        }
        return true;
    }

    private boolean deny(
        final SessionState state, final EnvelopeDecoder envelope, final RouterCounter counter, final String text)
    {
        counters.increment(CounterIds.of(counter));
        replies.sendError(state.session, envelope.correlationId(), ErrorCode.NOT_AUTHORISED, text);
        return false;
    }
}
