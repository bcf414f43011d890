package dev.switchboard.router.process.socket;

/**
 * Where an agent's HIGH link attaches: the router's directory of registered agents. A link's first frame is a Heartbeat
 * naming the agent; the link is attached only if that agent is registered and the link's peer (the kernel's
 * {@code SO_PEERCRED}) is the user and group of the agent's control connection, so that a HIGH link is no way around
 * the control socket's authentication.
 *
 * <p>Thread-safety: the router's duty-cycle thread.
 */
public interface HighLinks
{
    /**
     * Attach a HIGH link to a registered agent.
     *
     * @param agentId the agent its first frame names.
     * @param uid     the link's peer uid.
     * @param gid     the link's peer gid.
     * @param link    the link, through which the router then sends the agent its HIGH frames.
     * @return the agent's links (their {@link TierLinks#sessionId()} is the session its frames belong to), or null when
     * refused (counted).
     */
    TierLinks attach(long agentId, int uid, int gid, SessionLink link);

    /**
     * A HIGH link closed.
     *
     * @param links what it was attached to.
     * @param link  the link.
     */
    void detach(TierLinks links, SessionLink link);

    /**
     * @return HIGH links refused because their agent was unknown or their peer not the control connection's.
     */
    long refused();
}
