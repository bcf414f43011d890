package dev.switchboard.transport;

import org.agrona.MutableDirectBuffer;

/**
 * A claimed region of a receiver's ring, for zero-copy sends (BATCH): the sender writes its payload in
 * place, straight into the receiver's inbox, then commits; the message appears to the receiver only on
 * {@link #commit()}. Reuse one claim per sender thread: it is a flyweight.
 *
 * <p>Between a successful claim and its commit or abort, the receiver cannot read past this record: commit
 * or abort promptly (a sender that dies holding a claim is unblocked by the ring's {@code unblock()}).
 *
 * <p>Thread-safety: one thread. Allocation: none.
 */
public final class FrameClaim
{
    /** Commits or aborts a claimed record in the ring it came from. */
    public interface Committer
    {
        /**
         * @param index index of the record body, as returned by the ring's claim.
         */
        void commit(int index);

        /**
         * @param index index of the record body, as returned by the ring's claim.
         */
        void abort(int index);
    }

    private MutableDirectBuffer buffer;
    private int index = -1;
    private int frameLength;
    private int payloadOffset;
    private int payloadLength;
    private Committer committer;

    /**
     * Called by a transport that claimed a record.
     *
     * @param buffer      the ring's buffer.
     * @param index       index of the record body.
     * @param frameLength length of the claimed record body.
     * @param committer   commits or aborts it.
     */
    public void wrap(final MutableDirectBuffer buffer, final int index, final int frameLength, final Committer committer)
    {
        this.buffer = buffer;
        this.index = index;
        this.frameLength = frameLength;
        this.committer = committer;
        this.payloadOffset = index;
        this.payloadLength = frameLength;
    }

    /**
     * Called by the client once it wrote the envelope in front of the payload.
     *
     * @param offset where the payload starts in {@link #buffer()}.
     * @param length payload length.
     */
    public void payload(final int offset, final int length)
    {
        payloadOffset = offset;
        payloadLength = length;
    }

    /** @return the buffer to write the payload into. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** @return index of the claimed record body (the frame starts here). */
    public int index()
    {
        return index;
    }

    /** @return length of the claimed frame. */
    public int frameLength()
    {
        return frameLength;
    }

    /** @return where to write the payload. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return how many payload bytes were claimed. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** @return true between a successful claim and its commit or abort. */
    public boolean isClaimed()
    {
        return index >= 0;
    }

    /**
     * Publish the message to the receiver.
     */
    public void commit()
    {
        final Committer c = committer;
        final int i = index;
        reset();
        c.commit(i);
    }

    /**
     * Give the space back; the receiver never sees the message.
     */
    public void abort()
    {
        final Committer c = committer;
        final int i = index;
        reset();
        c.abort(i);
    }

    private void reset()
    {
        if (index < 0)
        {
            throw new IllegalStateException("no claim to commit or abort");
        }
        index = -1;
        committer = null;
    }
}
