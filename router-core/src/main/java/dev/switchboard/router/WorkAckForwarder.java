package dev.switchboard.router;

/**
 * Where an ack goes that names no item of this router's queues: the bridge to peer routers, which remembers the work
 * items a peer dispatched to a local consumer and sends their acks back to that peer. Called on the router thread from
 * the data path: it must allocate nothing and take no lock.
 */
@FunctionalInterface
public interface WorkAckForwarder
{
    /**
     * @param queueId  the ack's queue.
     * @param itemId   the ack's item id.
     * @param consumer the local agent that acked.
     * @return true when the item came from a peer router and the ack is on its way there (or counted as not
     * forwardable), false when nobody here knows the item (the router counts a late ack).
     */
    boolean forwardAck(long queueId, long itemId, long consumer);
}
