/**
 * The bridge: routers on several hosts form one namespace over Aeron UDP. Each router subscribes on its own endpoint
 * and publishes to each peer's; peers authenticate each other with the shared secret ({@link
 * dev.switchboard.router.cluster.PeerLink}), replicate their agents (each remote agent is registered here on a proxy
 * session, {@link dev.switchboard.router.cluster.RemoteAgentSession}), and carry Envelopes routed to those proxies to
 * the agent's own router ({@link dev.switchboard.router.cluster.ClusterBridge}); work queues span the routers
 * ({@link dev.switchboard.router.cluster.WorkBridge}: consumers replicated, acks sent back to the item's router). LOW
 * to a remote agent is stored and forwarded between the durable queues of the two hosts
 * ({@link dev.switchboard.router.cluster.LowBridge}). Everything runs on the router's duty cycle; see the router
 * module's README, section "Bridged routers".
 */
package dev.switchboard.router.cluster;
