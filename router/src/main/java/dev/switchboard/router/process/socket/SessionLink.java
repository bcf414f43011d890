package dev.switchboard.router.process.socket;

import org.agrona.DirectBuffer;

/**
 * The router's end of one link to an agent (its control connection, or its HIGH link), as the router's side of a
 * session writes to it: whatever moves the bytes ({@code java.nio} in {@link ControlLink}, io_uring in
 * {@link UringSocketServer}) under the one {@link dev.switchboard.ipc.link.LinkProtocol}.
 *
 * <p>Thread-safety: the router's duty-cycle thread. Allocation: none in {@link #write}.
 */
public interface SessionLink
{
    /**
     * Queue a frame to the agent; its engine writes what was queued at the end of the duty cycle (or sooner, once at
     * least {@code flushThreshold} bytes wait, where it writes synchronously).
     *
     * @param buffer         holding the frame.
     * @param offset         of the frame.
     * @param length         of the frame.
     * @param flushThreshold bytes waiting that trigger a write now (engines that submit once per cycle ignore it).
     * @return an {@link dev.switchboard.transport.OfferStatus}: {@code BACK_PRESSURED} when the send buffer cannot
     * take the frame yet, {@code NOT_CONNECTED} or {@code CLOSED} once the link is gone.
     */
    int write(DirectBuffer buffer, int offset, int length, int flushThreshold);

    /**
     * @return bytes queued and not yet written.
     */
    int pendingBytes();

    /**
     * @return false once closed (by either end, or for a protocol error).
     */
    boolean isOpen();

    /**
     * @return the largest frame the link carries.
     */
    int maxFrameLength();

    /**
     * The agent registered: give the link its full-size buffers once its engine is done with the current read.
     */
    void requestGrow();
}
