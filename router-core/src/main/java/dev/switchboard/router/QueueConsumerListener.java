package dev.switchboard.router;

/**
 * Told when an agent starts or stops consuming a work queue by request (an agent that leaves the registry stops
 * consuming without this being called: registry listeners see that). The bridge to peer routers uses it to replicate
 * consumers, so that a peer dispatches its own items to them too. Called on the router thread: keep it short.
 */
@FunctionalInterface
public interface QueueConsumerListener
{
    /**
     * @param agentId   the consumer.
     * @param queue     the queue's name.
     * @param consuming true when it started consuming, false when it stopped.
     */
    void onConsumer(long agentId, String queue, boolean consuming);
}
