package dev.switchboard.client;

import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ErrorCode;

/**
 * Asynchronous news for a client, delivered on its polling thread: registry changes (after
 * {@link SwitchboardClient#watchRegistry()}) and errors the router reports about frames this client sent
 * (for example a work item refused because its queue is full).
 */
public interface ClientListener
{
    /**
     * @param agentId id of the agent that changed.
     * @param kind    registered, deregistered or expired.
     * @param name    its name.
     */
    default void onAgentEvent(final long agentId, final AgentEventKind kind, final String name)
    {
    }

    /**
     * A registry change with where the agent lives; by default hands it to {@link #onAgentEvent(long, AgentEventKind,
     * String)}.
     *
     * @param agentId id of the agent that changed.
     * @param kind    registered, deregistered or expired.
     * @param name    its name.
     * @param host    the cluster endpoint of its router when that is another router (bridged routers), else empty.
     */
    default void onAgentEvent(final long agentId, final AgentEventKind kind, final String name, final String host)
    {
        onAgentEvent(agentId, kind, name);
    }

    /**
     * The connection to the router broke (the router died or closed it). Direct paths keep working (CRITICAL into
     * inboxes, agent-to-agent links); routed sends return {@code NOT_CONNECTED}. With reconnection on
     * ({@link ClientContext#reconnect()}), the client tries again on its own.
     *
     * @param reason what broke.
     */
    default void onDisconnected(final String reason)
    {
    }

    /**
     * The client reconnected to a router and registered again under its name, with its subscriptions, groups, queues
     * and registry watch restored. Agent ids come from the new router: ids learned before mean nothing now (lookups by
     * id and sends by id are resolved afresh); destinations made before still reach the inboxes they resolved to
     * (CRITICAL, BATCH) while those stay open. Agent-to-agent links (point-to-point NORMAL and HIGH) are closed at the
     * reconnection, after what they hold is written: their receivers hold them to this agent's old id and would drop
     * frames carrying the new one as spoofed. Sends through such a destination, and through a routed or LOW one, answer
     * {@code NOT_CONNECTED}: resolve it again.
     *
     * @param previousAgentId this agent's id before.
     * @param agentId         its id now.
     */
    default void onReconnected(final long previousAgentId, final long agentId)
    {
    }

    /**
     * An error the router (or the client itself) reports about a frame this client sent. By default it is logged
     * through {@link System.Logger} {@code dev.switchboard.client.ClientListener} at {@code WARNING}, with the
     * correlation id; a listener that handles errors overrides this.
     *
     * @param correlationId the correlation id of the refused frame, or 0.
     * @param code          why.
     * @param text          what, with the limit and value where there is one.
     */
    default void onError(final long correlationId, final ErrorCode code, final String text)
    {
        System.getLogger(ClientListener.class.getName()).log(System.Logger.Level.WARNING,
            "router refused a frame (correlation " + correlationId + "): " + code + ": " + text);
    }
}
