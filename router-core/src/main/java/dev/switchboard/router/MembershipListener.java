package dev.switchboard.router;

/**
 * Told when an agent subscribes to a topic or joins a multicast group, or leaves one by request (an agent that leaves
 * the registry leaves its topics and groups without this being called: registry listeners see that). The bridge to
 * peer routers uses it to replicate memberships. Called on the router thread: keep it short.
 */
@FunctionalInterface
public interface MembershipListener
{
    /**
     * @param agentId the agent.
     * @param topic   true for a topic, false for a multicast group.
     * @param name    the topic's or group's name.
     * @param joined  true when it subscribed or joined, false when it left.
     */
    void onMembership(long agentId, boolean topic, String name, boolean joined);
}
