/**
 * The agent-discovery registry of the control plane: which agents are registered, under which name and
 * id, with which capabilities and tiers, on which connection, where their CRITICAL inbox lives, and how
 * long their lease runs.
 *
 * <p>Owns: {@link dev.switchboard.registry.AgentRegistry} (names, ids, slots, leases, the capability
 * index), {@link dev.switchboard.registry.AgentRecord} (one registered agent),
 * {@link dev.switchboard.registry.RegistrationResult}, {@link dev.switchboard.registry.DeregistrationReason}
 * and {@link dev.switchboard.registry.RegistryListener}.
 *
 * <p>Does not own: the wire (the control-plane codecs in {@code dev.switchboard.codecs}), connections
 * (transports), or routing. The transport decodes a {@code Register}, {@code Heartbeat} or
 * {@code Deregister} and calls the registry; it reads results back and encodes replies.
 *
 * <p>Thread-safety: everything here belongs to the router's single duty-cycle thread and is not
 * thread-safe by design; there are no locks and no volatile fields. Another thread that needs registry
 * state is sent it (for example through a {@link dev.switchboard.registry.RegistryListener} that copies
 * what it needs onto a queue).
 */
package dev.switchboard.registry;
