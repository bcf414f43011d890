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
     * @param correlationId the correlation id of the refused frame, or 0.
     * @param code          why.
     * @param text          what, with the limit and value where there is one.
     */
    default void onError(final long correlationId, final ErrorCode code, final String text)
    {
        System.err.println("switchboard: router refused a frame (correlation " + correlationId + "): " +
            code + ": " + text);
    }
}
