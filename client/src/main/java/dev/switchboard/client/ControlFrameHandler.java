package dev.switchboard.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.RouterConnection;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Reads what the router sends on the control stream: answers (Registered, Ack, LookupResult, LinkGrant, Error),
 * registry events, the connection's challenge. An answer to the one call the control plane is waiting for
 * ({@link #expect}) is kept here for it to read ({@link #answered}, then the fields of that answer); answers to what
 * was sent in the background (a destination's lookup, link request or barrier, a name's lookup) go to
 * {@link Destinations}; registry events and refusals nobody waits for go to the application's {@link ClientListener}.
 *
 * <p>Whoever reads the control stream passes this handler: the control plane while it waits, the poll when the
 * control stream's readiness moved, and a send that makes progress for a destination between paths.
 *
 * <p>Thread: the client's thread only. Allocation: an answer that carries data the caller keeps (a lookup's agents, a
 * challenge's nonce, an error's text) allocates; the control stream is not a hot path.
 */
final class ControlFrameHandler implements MessageHandler
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final RouterConnection connection;
    private final ClientSession session;
    private final Destinations destinations;
    private final FrameValidator validator;
    private final LocalCounters counters;
    private final ClientListener listener;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final RegisteredDecoder registered = new RegisteredDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final LookupResultDecoder lookupResultDecoder = new LookupResultDecoder();
    private final AgentEventDecoder agentEvent = new AgentEventDecoder();
    private final ChallengeDecoder challenge = new ChallengeDecoder();
    private final LinkGrantDecoder linkGrant = new LinkGrantDecoder();

    /** Correlation id of the call being waited for, 0 when none. */
    long expected;
    /** The call being waited for was answered (or refused: {@link #errorCode}). */
    boolean answered;
    /** Registered: the agent id given. */
    long agentId;
    /** Registered: how often to renew the lease. */
    int heartbeatIntervalMs;
    /** Registered: the tiers the router serves. */
    int tiers;
    /** Ack: the id of what was subscribed to or joined. */
    long resolvedId;
    /** Error: why the call was refused, or null. */
    ErrorCode errorCode;
    String errorText;
    /** LookupResult: the agents found. */
    List<AgentInfo> lookupResult = List.of();
    /** This connection's challenge from the router; null until it arrives. */
    byte[] nonce;
    /** The lane a LinkGrant answered with (foreground link request), or null. */
    Lane linkLane;
    /** Why the granted lane could not open (foreground link request), or null. */
    String linkFailure;
    /** The router refused the connection itself (correlation 0): why. */
    ErrorCode refusalCode;
    String refusalText;
    /** The router said this agent expired (an AgentEvent about itself, the connection up): register again. */
    boolean leaseLost;

    ControlFrameHandler(
        final RouterConnection connection,
        final ClientSession session,
        final Destinations destinations,
        final FrameValidator validator,
        final LocalCounters counters,
        final ClientListener listener)
    {
        this.connection = connection;
        this.session = session;
        this.destinations = destinations;
        this.validator = validator;
        this.counters = counters;
        this.listener = listener;
    }

    /**
     * Wait for the answer to this correlation id from now on (0: to none).
     *
     * @param correlationId the call's.
     */
    void expect(final long correlationId)
    {
        expected = correlationId;
        answered = false;
        errorCode = null;
        errorText = null;
    }

    @Override
    public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (validator.validate(buffer, index, length) < 0)
        {
            counters.increment(RouterCounter.REJECTED_MALFORMED);
            return;
        }
        headerDecoder.wrap(buffer, index);
        final int offset = index + HEADER;
        final int block = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case RegisteredDecoder.TEMPLATE_ID ->
            {
                registered.wrap(buffer, offset, block, version);
                if (registered.correlationId() == expected)
                {
                    agentId = registered.agentId();
                    heartbeatIntervalMs = registered.heartbeatIntervalMs();
                    tiers = registered.tiers().getRaw();
                    answered = true;
                }
            }
            case AckDecoder.TEMPLATE_ID ->
            {
                ack.wrap(buffer, offset, block, version);
                if (ack.correlationId() == expected)
                {
                    resolvedId = ack.resolvedId();
                    answered = true;
                }
            }
            case ErrorDecoder.TEMPLATE_ID ->
            {
                error.wrap(buffer, offset, block, version);
                onError(error.correlationId(), error.code(), error.text());
            }
            case LookupResultDecoder.TEMPLATE_ID ->
            {
                lookupResultDecoder.wrap(buffer, offset, block, version);
                final long correlationId = lookupResultDecoder.correlationId();
                if (correlationId == expected)
                {
                    lookupResult = decodeLookup(lookupResultDecoder);
                    answered = true;
                }
                else if (destinations.awaitsLookup(correlationId))
                {
                    destinations.onLookupAnswer(correlationId, decodeLookup(lookupResultDecoder));
                }
                // else a late answer to a call that timed out
            }
            case AgentEventDecoder.TEMPLATE_ID ->
            {
                agentEvent.wrap(buffer, offset, block, version);
                final long id = agentEvent.agentId();
                final AgentEventKind kind = agentEvent.kind();
                final String agentName = agentEvent.name();
                final String host = agentEvent.host(); // "" from a router of schema version 2
                if (kind != AgentEventKind.REGISTERED)
                {
                    destinations.forgetAgentId(agentName);
                }
                if (id == session.agentId() && id != 0 && kind != AgentEventKind.REGISTERED)
                {
                    // The router dropped this agent (its lease expired while the connection stayed up): register
                    // again from the next duty slice, as after a reconnection.
                    leaseLost = true;
                }
                listener.onAgentEvent(id, kind, agentName, host);
            }
            case LinkGrantDecoder.TEMPLATE_ID ->
            {
                linkGrant.wrap(buffer, offset, block, version);
                onLinkGrant(linkGrant.correlationId(), buffer, index, length);
            }
            case ChallengeDecoder.TEMPLATE_ID ->
            {
                challenge.wrap(buffer, offset, block, version);
                final byte[] bytes = new byte[challenge.nonceLength()];
                challenge.getNonce(bytes, 0, bytes.length);
                nonce = bytes;
            }
            default -> counters.increment(RouterCounter.REJECTED_UNKNOWN_TEMPLATE);
        }
    }

    private void onError(final long correlationId, final ErrorCode code, final String text)
    {
        // A frame the router could not even parse comes back with correlation 0: if a call is waiting, it was most
        // likely that call's frame, so fail it now rather than time out. Before registration, a refusal with
        // correlation 0 is the router refusing the connection itself (peer not admitted, rate-limited); after it, the
        // same codes answer refused data frames.
        final boolean connectionRefused = correlationId == 0 && session.agentId() == 0 && isRefusal(code);
        if (connectionRefused)
        {
            refusalCode = code;
            refusalText = text;
        }
        if (expected != 0 && (correlationId == expected ||
            (correlationId == 0 && (isFrameError(code) || connectionRefused))))
        {
            errorCode = code;
            errorText = text;
            answered = true;
        }
        else if (!destinations.onRefused(correlationId))
        {
            listener.onError(correlationId, code, text);
        }
    }

    private static boolean isRefusal(final ErrorCode code)
    {
        return code == ErrorCode.NOT_AUTHORISED || code == ErrorCode.RATE_LIMITED ||
            code == ErrorCode.AUTHENTICATION_FAILED;
    }

    private static boolean isFrameError(final ErrorCode code)
    {
        return switch (code)
        {
            case UNKNOWN_SCHEMA, UNSUPPORTED_VERSION, TRUNCATED, TOO_LARGE, UNKNOWN_TEMPLATE, MALFORMED -> true;
            default -> false;
        };
    }

    private static List<AgentInfo> decodeLookup(final LookupResultDecoder d)
    {
        final List<AgentInfo> result = new ArrayList<>();
        for (final LookupResultDecoder.AgentsDecoder a : d.agents())
        {
            final long id = a.agentId();
            final long pid = a.pid();
            final int agentTiers = a.tiers().getRaw();
            final List<String> caps = new ArrayList<>();
            for (final LookupResultDecoder.AgentsDecoder.CapabilitiesDecoder c : a.capabilities())
            {
                caps.add(c.capability());
            }
            final String agentName = a.name();
            final String inbox = a.inbox();
            final String host = a.host(); // "" from a router of schema version 2
            result.add(
                new AgentInfo(id, agentName, Collections.unmodifiableList(caps), pid, agentTiers, inbox, host));
        }
        return result;
    }

    /**
     * A LinkGrant: open the lane now, while the frame is valid. A foreground request keeps it for the control plane
     * ({@link #linkLane}); a background one gives it to its destination. A lane that cannot open leaves the destination
     * routed.
     */
    private void onLinkGrant(
        final long correlationId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final boolean foreground = correlationId == expected;
        if (!foreground && !destinations.awaitsLink(correlationId))
        {
            counters.increment(RouterCounter.LATE_RESPONSES);
            return;
        }
        Lane lane = null;
        try
        {
            lane = connection.openLink(session.agentId(), buffer, index, length);
        }
        catch (final RuntimeException e)
        {
            linkFailure = e.getMessage();
        }
        if (foreground)
        {
            linkLane = lane;
            answered = true;
            return;
        }
        destinations.onLinkGranted(correlationId, lane);
    }
}
