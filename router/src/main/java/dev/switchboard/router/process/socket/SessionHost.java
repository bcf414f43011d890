package dev.switchboard.router.process.socket;

/**
 * The engine a {@link SocketSession} belongs to: told when the router wrote to the session (so that the engine
 * writes it at the end of the duty cycle) and when its agent registered (limits count registered connections apart).
 *
 * <p>Thread-safety: the router's duty-cycle thread.
 */
interface SessionHost
{
    /**
     * The router queued a frame to this session since the last flush.
     *
     * @param session the session.
     */
    void onDirty(SocketSession session);

    /**
     * An agent registered on this session.
     *
     * @param session the session.
     */
    void onBound(SocketSession session);
}
