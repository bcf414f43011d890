package dev.switchboard.registry;

/**
 * Told of every registration and deregistration in an {@link AgentRegistry}, after the registry has been
 * updated: inside a callback the registry already reflects the change (a deregistered agent's name is free
 * and its id no longer resolves).
 *
 * <p>Thread-safety: callbacks run on the registry's owning duty-cycle thread, synchronously, inside the
 * registry call that caused them ({@code register}, {@code renew}, {@code deregister},
 * {@code expireLeases}...). A callback may call back into the registry. It should not block: it holds up
 * the duty cycle. An exception thrown by a callback propagates to the caller of the registry method;
 * listeners later in the list are not told of that event.
 */
public interface RegistryListener
{
    /**
     * An agent was registered.
     *
     * @param agent the new agent's record.
     */
    void onRegistered(AgentRecord agent);

    /**
     * An agent left the registry. Told exactly once per registration.
     *
     * @param agent  the record of the agent that left; its fields stay readable.
     * @param reason why it left.
     */
    void onDeregistered(AgentRecord agent, DeregistrationReason reason);
}
