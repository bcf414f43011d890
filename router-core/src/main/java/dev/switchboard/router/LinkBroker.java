package dev.switchboard.router;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.function.LongFunction;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.AckEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorEncoder;
import dev.switchboard.codecs.sbe.LinkExpectEncoder;
import dev.switchboard.codecs.sbe.LinkGrantEncoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.registry.DeregistrationReason;
import dev.switchboard.registry.RegistryListener;
import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The router's part in agent-to-agent links (point-to-point HIGH and NORMAL without the router on the path): it
 * records where each agent accepts links, checks a link request against the access policy, mints a one-time grant
 * and tells both ends. It carries no data and keeps no per-link state: after the grant the two agents talk directly.
 *
 * <h2>The hand-off</h2>
 * <pre>
 *   receiver R                         router (LinkBroker)                      asker A
 *   LinkListen{R, .nlink, .hlink} ---> endpoint of R recorded, Ack
 *                                                                  <--- LinkRequest{A, R, HIGH|NORMAL}
 *                                      policy: A may send at that priority; R has an endpoint for it
 *                                      grant = 16 random bytes
 *   <--- LinkExpect{A, uid of A, tier, grant, ttl}    (on R's control stream, after every frame routed
 *                                                      to R from A before this request)
 *                                      LinkGrant{R, pid, tier, grant, path, inbox, ttl} --->
 *   <=========== connect(path), claim{A, R, tier, grant} as the link's first record ============
 *   R admits the link only for a grant it was told of, unexpired, unused, from A, of A's uid (SO_PEERCRED)
 * </pre>
 * Why a grant rather than handing a socket over with {@code SCM_RIGHTS}: a {@code java.nio} agent can neither send nor
 * adopt a descriptor (its control socket is a {@code SocketChannel} whose descriptor Java does not expose), so the
 * router cannot pass one; the receiver listens on an owner-only socket beside its inbox instead, and the grant makes
 * the router's access check the only way to be admitted. See {@code dev.switchboard.ipc.link} for the agent side.
 *
 * <h2>Order across the switch</h2>
 * A LinkRequest is read from the asker's control stream after every frame the asker sent before it on that stream,
 * and the router handles its ingress in order, so each earlier routed frame to R is in R's outbound stream before the
 * LinkExpect that follows it there. R delivers a link's frames only after its LinkExpect: frames routed before the
 * link come first. This holds when those frames and the LinkExpect share R's stream (the control socket, which
 * carries NORMAL); frames the router delivers on another of R's sockets are not ordered with it.
 *
 * <h2>Refusals</h2>
 * Each is an {@code Error} to the asker with its correlation id and a counter: not registered ({@code NOT_REGISTERED}),
 * unknown or departed receiver ({@code UNKNOWN_AGENT}), the policy ({@code NOT_AUTHORISED},
 * {@link RouterCounter#POLICY_DENIED_LINK}), no endpoint for the tier, a link to oneself, a priority other than HIGH
 * or NORMAL, or a receiver whose control stream is full ({@code LINK_UNAVAILABLE}: keep sending through the router,
 * {@link RouterCounter#LINK_REQUESTS_REFUSED}). A LinkListen naming a socket that is not beside the agent's inbox, or
 * from an agent without an inbox (the link signal lives in its header), is refused too.
 *
 * <p>Settings: {@link RouterContext#linkGrantTtlMs()} ({@value RouterContext#LINK_GRANT_TTL_MS_PROP}, default
 * {@value RouterContext#LINK_GRANT_TTL_MS_DEFAULT} ms): how long the receiver keeps a grant it was told of.
 *
 * <p>Thread-safety: the router's duty-cycle thread only. Allocation: control plane; a grant allocates its bytes.
 */
final class LinkBroker
{
    /** Bytes of a grant. */
    static final int GRANT_LENGTH = 16;
    /** Suffix of an agent's NORMAL link socket, beside its inbox. */
    static final String NORMAL_SUFFIX = ".nlink";
    /** Suffix of an agent's HIGH link socket, beside its inbox. */
    static final String HIGH_SUFFIX = ".hlink";
    private static final String INBOX_SUFFIX = ".inbox";
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final AgentRegistry registry;
    private final CounterBlock counters;
    private final LongFunction<Session> sessionOf;
    private final int grantTtlMs;
    private final SecureRandom random = new SecureRandom();
    private final Long2ObjectHashMap<Endpoint> endpoints = new Long2ObjectHashMap<>();
    private final LinkListenDecoder listenDecoder = new LinkListenDecoder();
    private final LinkRequestDecoder requestDecoder = new LinkRequestDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LinkGrantEncoder grantEncoder = new LinkGrantEncoder();
    private final LinkExpectEncoder expectEncoder = new LinkExpectEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

    /** Where one agent accepts links. */
    private record Endpoint(String normalPath, String highPath)
    {
        String pathFor(final Priority priority)
        {
            return priority == Priority.HIGH ? highPath : normalPath;
        }
    }

    /**
     * @param registry  the router's registry; the broker forgets an agent's endpoint when it leaves.
     * @param counters  the router's counters.
     * @param sessionOf  the session of a registered agent, or null.
     * @param grantTtlMs how long a receiver keeps a grant, ms ({@link RouterContext#linkGrantTtlMs()}, checked there).
     */
    LinkBroker(
        final AgentRegistry registry,
        final CounterBlock counters,
        final LongFunction<Session> sessionOf,
        final int grantTtlMs)
    {
        this.registry = registry;
        this.counters = counters;
        this.sessionOf = sessionOf;
        this.grantTtlMs = grantTtlMs;
        registry.addListener(new RegistryListener()
        {
            @Override
            public void onRegistered(final AgentRecord agent)
            {
            }

            @Override
            public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
            {
                endpoints.remove(agent.agentId());
            }
        });
    }

    /**
     * Handle a LinkListen or LinkRequest (the router validated the frame).
     *
     * @param templateId   which.
     * @param frame        holding the message.
     * @param offset       of the message body (after the SBE header).
     * @param blockLength  from the header.
     * @param version      from the header.
     * @param asker        the session it came on.
     * @param askerAgentId the agent registered on that session, 0 for none.
     * @param grants       what that agent may do, or null.
     * @param peer         the session's kernel credentials.
     */
    void onControl(
        final int templateId,
        final DirectBuffer frame,
        final int offset,
        final int blockLength,
        final int version,
        final Session asker,
        final long askerAgentId,
        final Grants grants,
        final PeerCredentials peer)
    {
        if (templateId == LinkListenDecoder.TEMPLATE_ID)
        {
            listenDecoder.wrap(frame, offset, blockLength, version);
            onListen(asker, askerAgentId);
        }
        else
        {
            requestDecoder.wrap(frame, offset, blockLength, version);
            onRequest(asker, askerAgentId, grants, peer);
        }
    }

    /**
     * @return agents with a recorded endpoint (tests, diagnostics).
     */
    int endpointCount()
    {
        return endpoints.size();
    }

    private void onListen(final Session asker, final long askerAgentId)
    {
        final long correlationId = listenDecoder.correlationId();
        final long agentId = listenDecoder.agentId();
        final String normalPath = listenDecoder.normalPath();
        final String highPath = listenDecoder.highPath();
        if (askerAgentId == 0 || agentId != askerAgentId)
        {
            refuse(asker, correlationId, ErrorCode.NOT_REGISTERED, RouterCounter.LINK_REQUESTS_REFUSED,
                "link listen refused: agent " + agentId + " is not registered on this connection");
            return;
        }
        final AgentRecord self = registry.byId(agentId);
        final String inbox = self == null ? "" : self.inbox();
        if (inbox == null || inbox.isEmpty() || !inbox.endsWith(INBOX_SUFFIX))
        {
            refuse(asker, correlationId, ErrorCode.LINK_UNAVAILABLE, RouterCounter.LINK_REQUESTS_REFUSED,
                "link listen refused: agent " + agentId + " has no inbox, and a link's receiver is signalled " +
                "through its inbox header");
            return;
        }
        final String base = inbox.substring(0, inbox.length() - INBOX_SUFFIX.length());
        final String problem = checkPath(normalPath, base + NORMAL_SUFFIX);
        final String highProblem = problem != null ? problem : checkPath(highPath, base + HIGH_SUFFIX);
        if (highProblem != null)
        {
            refuse(asker, correlationId, ErrorCode.MALFORMED, RouterCounter.LINK_REQUESTS_REFUSED,
                "link listen refused: " + highProblem);
            return;
        }
        if (normalPath.isEmpty() && highPath.isEmpty())
        {
            endpoints.remove(agentId);
        }
        else
        {
            endpoints.put(agentId, new Endpoint(normalPath, highPath));
            counters.increment(CounterIds.of(RouterCounter.LINK_ENDPOINTS));
        }
        headerEncoder.wrap(buffer, 0);
        ackEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId).resolvedId(agentId);
        send(asker, HEADER + ackEncoder.encodedLength());
    }

    private static String checkPath(final String path, final String expected)
    {
        if (path.isEmpty() || path.equals(expected) &&
            expected.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES)
        {
            return null;
        }
        return "a link socket must be " + expected + " (beside the agent's inbox, at most " + MAX_SOCKET_PATH_BYTES +
            " bytes), not " + path;
    }

    private void onRequest(final Session asker, final long askerAgentId, final Grants grants, final PeerCredentials peer)
    {
        final long correlationId = requestDecoder.correlationId();
        final long agentId = requestDecoder.agentId();
        final long targetId = requestDecoder.targetAgentId();
        final Priority priority = requestDecoder.priority();
        if (askerAgentId == 0 || agentId != askerAgentId)
        {
            refuse(asker, correlationId, ErrorCode.NOT_REGISTERED, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: agent " + agentId + " is not registered on this connection");
            return;
        }
        if (priority != Priority.HIGH && priority != Priority.NORMAL)
        {
            refuse(asker, correlationId, ErrorCode.LINK_UNAVAILABLE, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: agent links carry HIGH or NORMAL, not " + priority);
            return;
        }
        final AgentRecord target = registry.byId(targetId);
        final Session targetSession = target == null ? null : sessionOf.apply(targetId);
        if (target == null || targetSession == null || !targetSession.isOpen())
        {
            refuse(asker, correlationId, ErrorCode.UNKNOWN_AGENT, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: no agent " + targetId);
            return;
        }
        if (targetId == agentId)
        {
            refuse(asker, correlationId, ErrorCode.LINK_UNAVAILABLE, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: a link to oneself (agent " + agentId + ")");
            return;
        }
        if (grants == null || !grants.maySend(priority.value()))
        {
            refuse(asker, correlationId, ErrorCode.NOT_AUTHORISED, RouterCounter.POLICY_DENIED_LINK,
                "link to '" + target.name() + "' at " + priority + " refused: role " +
                (grants == null ? "(none)" : grants.role().label()) + " may not send at this priority");
            return;
        }
        final Endpoint endpoint = endpoints.get(targetId);
        final String path = endpoint == null ? "" : endpoint.pathFor(priority);
        if (path.isEmpty())
        {
            refuse(asker, correlationId, ErrorCode.LINK_UNAVAILABLE, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: '" + target.name() + "' accepts no " + priority + " link" +
                (endpoint == null ? "" : " (its endpoints: " + endpoint + ")") + "; send through the router");
            return;
        }

        final byte[] grant = new byte[GRANT_LENGTH];
        random.nextBytes(grant);
        // The receiver first, on its control stream: it must know the grant before the asker can present it, and
        // after every frame the router routed to it from the asker before this request.
        headerEncoder.wrap(buffer, 0);
        expectEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromAgentId(agentId)
            .fromUid(peer == null || peer.inProcess() ? -1 : peer.uid())
            .priority(priority)
            .ttlMs(grantTtlMs)
            .putGrant(grant, 0, GRANT_LENGTH);
        if (targetSession.sendControl(buffer, 0, HEADER + expectEncoder.encodedLength()) != OfferStatus.OK)
        {
            refuse(asker, correlationId, ErrorCode.LINK_UNAVAILABLE, RouterCounter.LINK_REQUESTS_REFUSED,
                "link request refused: '" + target.name() + "' is not taking control messages now; retry later " +
                "or send through the router");
            return;
        }

        // The inbox (for the link signal) only to an asker that may map it: it is also the way to send CRITICAL.
        final String inbox = grants.maySendCriticalTo(target.name()) && target.inbox() != null ? target.inbox() : "";
        headerEncoder.wrap(buffer, 0);
        grantEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .targetAgentId(targetId)
            .targetPid(target.pid())
            .priority(priority)
            .ttlMs(grantTtlMs)
            .putGrant(grant, 0, GRANT_LENGTH);
        grantEncoder.path(path).inbox(inbox);
        send(asker, HEADER + grantEncoder.encodedLength());
        counters.increment(CounterIds.of(RouterCounter.LINK_GRANTS));
    }

    private void refuse(
        final Session session, final long correlationId, final ErrorCode code, final RouterCounter counter,
        final String text)
    {
        counters.increment(CounterIds.of(counter));
        counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        headerEncoder.wrap(buffer, 0);
        errorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .text(text.length() > WireLimits.MAX_TEXT_LENGTH ? text.substring(0, WireLimits.MAX_TEXT_LENGTH) : text);
        send(session, HEADER + errorEncoder.encodedLength());
    }

    private void send(final Session session, final int length)
    {
        if (session.sendControl(buffer, 0, length) != OfferStatus.OK && session.isOpen())
        {
            counters.increment(CounterIds.of(RouterCounter.CONTROL_ERRORS));
        }
    }
}
