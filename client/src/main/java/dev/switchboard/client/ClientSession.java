package dev.switchboard.client;

import dev.switchboard.codecs.sbe.ErrorCode;

/**
 * What every part of one client reads about the client itself: the agent id the router gave it, whether it is closed,
 * its correlation ids, and whether one of its message handlers is running.
 *
 * <p>Writers: the {@link ControlPlane} sets the agent id (register, reconnection); {@link SwitchboardClient#close()}
 * closes the session (closed, agent id 0); the {@link DataFrameHandler} enters and leaves handlers. Readers: every
 * part. Every part takes correlation ids from the one sequence, so control requests, requests and work items never
 * share an id.
 *
 * <p>Thread: the client's thread only, like the client; plain fields, no fences (the thread that writes them is the
 * thread that reads them). Allocation: none after construction (the {@code ensure} checks allocate their exception).
 */
final class ClientSession
{
    private long agentId;
    private boolean closed;
    private long nextCorrelationId = 1;
    /**
     * Above 0 while a message handler runs (inside a poll): a send from there must not drive the control plane (that
     * would re-enter the read that is delivering), so it never waits for a resolution it cannot finish.
     */
    private int handlerDepth;

    /**
     * @return this agent's id, 0 before registration and after close.
     */
    long agentId()
    {
        return agentId;
    }

    /**
     * @param agentId the id the router gave (or 0 while registering again).
     */
    void agentId(final long agentId)
    {
        this.agentId = agentId;
    }

    /**
     * @return true once {@link #close()} was called.
     */
    boolean isClosed()
    {
        return closed;
    }

    /**
     * The client closed: no more calls, no agent id.
     */
    void close()
    {
        closed = true;
        agentId = 0;
    }

    /**
     * @return a correlation id never handed out before by this client.
     */
    long nextCorrelationId()
    {
        return nextCorrelationId++;
    }

    /**
     * A message, response or timeout handler is about to run.
     */
    void enterHandler()
    {
        handlerDepth++;
    }

    /**
     * The handler entered last returned (or threw).
     */
    void leaveHandler()
    {
        handlerDepth--;
    }

    /**
     * @return true while a message handler runs, inside a poll.
     */
    boolean inHandler()
    {
        return handlerDepth > 0;
    }

    /**
     * @throws IllegalStateException when the client is closed.
     */
    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("client is closed");
        }
    }

    /**
     * @throws IllegalStateException when the client is closed.
     * @throws SwitchboardException  ({@link ErrorCode#NOT_REGISTERED}) before registration.
     */
    void ensureRegistered()
    {
        ensureOpen();
        if (agentId == 0)
        {
            throw new SwitchboardException(ErrorCode.NOT_REGISTERED, "register before this call");
        }
    }
}
