package dev.switchboard.router;

import org.agrona.ExpandableDirectByteBuffer;

/**
 * One work item held by the router until a consumer acknowledges it: a router-owned copy of the frame
 * (so the producer's buffer is free at once), its holder and its ack deadline. Items are pooled.
 *
 * <p>Thread-safety: router thread only. Allocation: the frame buffer grows to the largest item seen, then
 * is reused.
 */
final class WorkItem
{
    final ExpandableDirectByteBuffer frame = new ExpandableDirectByteBuffer(256);
    long itemId;
    long queueId;
    long producerAgentId;
    long producerCorrelationId;
    long holder;
    long deadlineNs;
    int length;
    int deliveries;

    void reset()
    {
        itemId = 0;
        queueId = 0;
        producerAgentId = 0;
        producerCorrelationId = 0;
        holder = 0;
        deadlineNs = 0;
        length = 0;
        deliveries = 0;
    }
}
