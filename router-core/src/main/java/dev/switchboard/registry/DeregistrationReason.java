package dev.switchboard.registry;

/**
 * Why an agent left the registry, as told to every {@link RegistryListener}.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum DeregistrationReason
{
    /** The agent asked to leave (a {@code Deregister} message or a clean client close). */
    REQUESTED,

    /** The agent's lease ran out: no heartbeat renewed it in time. */
    EXPIRED,

    /** The control connection the agent registered on was closed or lost. */
    CONNECTION_CLOSED,

    /**
     * Routers on several hosts: the agent's name was registered at the same time on another router, and the cluster's
     * rule gave it to that router's agent (the router whose cluster endpoint sorts first keeps the name).
     */
    NAME_CONFLICT
}
