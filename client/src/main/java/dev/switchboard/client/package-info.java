/**
 * The agent API: {@link dev.switchboard.client.SwitchboardClient}, the one entry point (connect, register, resolve a
 * {@link dev.switchboard.client.Destination}, send, publish, request, respond, enqueue, ack, broadcast, multicast,
 * poll), its settings ({@link dev.switchboard.client.ClientContext}) and what it hands back
 * ({@link dev.switchboard.client.Message}, {@link dev.switchboard.client.AgentInfo}, the handlers and listener, and
 * {@link dev.switchboard.client.SwitchboardException} for refused control calls).
 *
 * <p>Inside, split as Aeron splits its client conductor from its publications and subscriptions: a control plane
 * (package-private {@code ControlPlane}, {@code ControlFrameHandler}, {@code Destinations}: the calls that block, the
 * lease, reconnection, resolution in the background) and a data plane ({@code Destination}, {@code Sender},
 * {@code Poller}, {@code DataFrameHandler}, {@code PendingRequests}: offers and the poll, which never block and
 * allocate nothing once warm). {@code SwitchboardClient} builds them and delegates. One client belongs to one thread.
 * The module's README describes the parts, the threading model and the allocation rules.
 */
package dev.switchboard.client;
