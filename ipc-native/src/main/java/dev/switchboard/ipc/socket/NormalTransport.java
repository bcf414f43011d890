package dev.switchboard.ipc.socket;

import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.transport.FixedTransport;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;

/**
 * NORMAL: frames to the router over the agent's Unix domain control socket; the router forwards them.
 * Receiving is done by the connection, which demultiplexes the socket (control replies and NORMAL data).
 * Frames are written at the latest at the agent's next poll (or once {@link #BATCH_BYTES} wait).
 *
 * <p>Thread-safety: the agent's thread. Allocation: none.
 */
public final class NormalTransport extends FixedTransport
{
    /**
     * Data frames gather in the socket's send buffer until this many bytes wait or the agent polls
     * (every poll flushes): one system call carries many frames when an agent sends in bursts.
     */
    static final int BATCH_BYTES = 16 * 1024;

    private FrameChannel frames;

    public NormalTransport(final FrameChannel frames)
    {
        super(new TransportCapabilities(Tier.NORMAL, frames.maxFrameLength(), false, false, true));
        this.frames = frames;
    }

    /**
     * The connection reconnected: frames go to the new control socket from now on.
     *
     * @param fresh the new channel.
     */
    public void frames(final FrameChannel fresh)
    {
        frames = fresh;
    }


    @Override
    public int offer(final long destination, final DirectBuffer header, final int headerOffset, final int headerLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        return frames.write(header, headerOffset, headerLength, payload, payloadOffset, payloadLength, BATCH_BYTES);
    }

    @Override
    public void close()
    {
        frames.close();
    }

}
