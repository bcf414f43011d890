/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.orchestrator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.switchboard.bench.harness.HdrLogs;
import dev.switchboard.client.Message;
import dev.switchboard.orchestrator.runtime.TaskAgent;
import dev.switchboard.orchestrator.runtime.WorkItem;
import dev.switchboard.transport.Tier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records hand-off latency: the agent's receipt time minus the envelope's timestamp, which the runtime's client
 * took with {@code System.nanoTime()} as it enqueued the work item. In another process that is still one clock:
 * HotSpot on Linux reads {@code System.nanoTime()} from {@code CLOCK_MONOTONIC}, which is system-wide (the harness
 * checks a child's clock against its own when the child starts, {@link TaskAgentsMain}). A negative difference (it would mean the clocks
 * disagree) is counted and recorded as 0, never dropped.
 *
 * <p>Thread-safety: {@link #onReceipt} may be called by several agents' threads at once (HdrHistogram's
 * {@link Recorder} is wait-free for writers); {@link #take()} from one other thread. Allocation: none per receipt
 * beyond what the histogram needs to grow.
 */
public final class HandoffRecorder implements TaskAgent.ReceiptListener
{
    private final Recorder recorder = new Recorder(HdrLogs.LOWEST_TRACKABLE_NS, HdrLogs.HIGHEST_TRACKABLE_NS,
        HdrLogs.SIGNIFICANT_DIGITS);
    private final AtomicLong negative = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLongArray byTier = new AtomicLongArray(Tier.values().length);

    @Override
    public void onReceipt(final WorkItem item, final Message message, final long receivedNs)
    {
        long delta = receivedNs - message.timestampNs();
        if (delta < 0)
        {
            negative.incrementAndGet();
            delta = 0;
        }
        if (delta > HdrLogs.HIGHEST_TRACKABLE_NS)
        {
            tooLarge.incrementAndGet();
            delta = HdrLogs.HIGHEST_TRACKABLE_NS;
        }
        recorder.recordValue(delta);
        byTier.incrementAndGet(message.tier().ordinal());
    }

    /**
     * The samples since the last call, and the counters with them; resets all.
     *
     * @return what was recorded.
     */
    public Taken take()
    {
        final Histogram histogram = recorder.getIntervalHistogram();
        final StringBuilder tiers = new StringBuilder();
        for (final Tier tier : Tier.values())
        {
            final long n = byTier.getAndSet(tier.ordinal(), 0);
            if (n > 0)
            {
                tiers.append(tiers.isEmpty() ? "" : ",").append(tier.name()).append(':').append(n);
            }
        }
        return new Taken(histogram, negative.getAndSet(0), tooLarge.getAndSet(0), tiers.toString());
    }

    /**
     * @param histogram hand-off latency, ns.
     * @param negative  samples whose receipt preceded the enqueue stamp (recorded as 0).
     * @param tooLarge  samples above the histogram's range (recorded at its top).
     * @param tiers     "TIER:count,..." of the tiers the work items arrived on.
     */
    public record Taken(Histogram histogram, long negative, long tooLarge, String tiers)
    {
    }
}
