package dev.switchboard.client;

import dev.switchboard.codecs.EnvelopeFlags;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A received message: a flyweight over the frame in the receiving ring. It is valid only during the
 * handler call that receives it; copy what you need to keep.
 *
 * <p>Thread-safety: confined to the polling thread. Allocation: none; the client reuses one instance.
 */
public final class Message
{
    private long sourceAgentId;
    private long targetId;
    private long correlationId;
    private long timestampNs;
    private int flags;
    private TargetKind targetKind;
    private Pattern pattern;
    private Priority priority;
    private Tier tier;
    private DirectBuffer buffer;
    private int payloadOffset;
    private int payloadLength;

    void set(
        final long sourceAgentId,
        final long targetId,
        final long correlationId,
        final long timestampNs,
        final int flags,
        final TargetKind targetKind,
        final Pattern pattern,
        final Priority priority,
        final Tier tier,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        this.sourceAgentId = sourceAgentId;
        this.targetId = targetId;
        this.correlationId = correlationId;
        this.timestampNs = timestampNs;
        this.flags = flags;
        this.targetKind = targetKind;
        this.pattern = pattern;
        this.priority = priority;
        this.tier = tier;
        this.buffer = buffer;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
    }

    /** @return id of the sending agent. */
    public long sourceAgentId()
    {
        return sourceAgentId;
    }

    /** @return the agent, topic, group or queue id it was addressed to. */
    public long targetId()
    {
        return targetId;
    }

    /** @return what {@link #targetId()} names. */
    public TargetKind targetKind()
    {
        return targetKind;
    }

    /** @return request/response correlation id, or the work-item id of a work item. */
    public long correlationId()
    {
        return correlationId;
    }

    /** @return the sender's {@code System.nanoTime()} when it sent. */
    public long timestampNs()
    {
        return timestampNs;
    }

    /** @return envelope flags, see {@link EnvelopeFlags}. */
    public int flags()
    {
        return flags;
    }

    /** @return true for a work item delivered again after its earlier holder left or missed its deadline. */
    public boolean isRedelivery()
    {
        return (flags & EnvelopeFlags.REDELIVERED) != 0;
    }

    /** @return the messaging pattern. */
    public Pattern pattern()
    {
        return pattern;
    }

    /** @return the priority the sender gave it. */
    public Priority priority()
    {
        return priority;
    }

    /** @return the tier that actually carried it. */
    public Tier tier()
    {
        return tier;
    }

    /** @return buffer holding the payload (valid during the callback only). */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return offset of the payload in {@link #buffer()}. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return length of the payload. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * Copy the payload out, for callers that keep it (allocates).
     *
     * @return a new array holding the payload.
     */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength];
        buffer.getBytes(payloadOffset, bytes);
        return bytes;
    }

    /**
     * Decode the payload as UTF-8 text (allocates).
     *
     * @return the payload as a string.
     */
    public String payloadAsString()
    {
        return buffer.getStringWithoutLengthUtf8(payloadOffset, payloadLength);
    }

    @Override
    public String toString()
    {
        return "Message{" + pattern + " from=" + sourceAgentId + " to=" + targetKind + ":" + targetId +
            " corr=" + correlationId + " priority=" + priority + " tier=" + tier + " bytes=" + payloadLength + '}';
    }
}
