package dev.switchboard.ipc.link;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.SocketChannel;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.security.LinkMac;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.MessageHandler;

/**
 * The receiving end of a NORMAL agent link, on {@code java.nio}: a {@link FrameChannel} accepted from the agent's
 * {@code .nlink} socket, speaking the link protocol as the accepting end. Read when the inbox's link signal moved
 * (and on the safety sweep).
 *
 * <p>Thread-safety: the owning agent's thread. Allocation: the channel's buffers at accept; none per frame.
 */
final class NioReceivedLink extends ReceivedLink
{
    private final FrameChannel frames;
    private final SegmentBuffer verdict = SegmentBuffer.allocate(Arena.ofAuto(), LinkClaim.VERDICT_LENGTH);

    NioReceivedLink(
        final DirectLinks owner, final SocketChannel channel, final int peerUid, final long nowNs) throws IOException
    {
        super(owner, Tier.NORMAL, peerUid, nowNs);
        final LinkSettings settings = owner.settings();
        this.frames = new FrameChannel(channel, new LinkProtocol(owner.linkMac(), LinkMac.KIND_LINK_NORMAL, true,
            settings.maxFrameLength(), "an agent", "NORMAL agent link ", owner.counters(),
            RouterCounter.LINK_MAC_REJECTED_NORMAL, RouterCounter.LINK_FRAMES_REJECTED), 4096);
    }

    FrameChannel channel()
    {
        return frames;
    }

    @Override
    int read(final MessageHandler messageHandler, final int limit)
    {
        if (state == CLOSED)
        {
            return 0;
        }
        handler(messageHandler);
        final long before = framesDelivered();
        if (state == CLAIM_WAIT)
        {
            frames.read(this, 1);
        }
        if (state == ACTIVE)
        {
            frames.read(this, limit);
        }
        if (!frames.isOpen() && state != CLOSED)
        {
            close(frames.closeReason());
        }
        return (int)(framesDelivered() - before);
    }

    @Override
    boolean hasBufferedFrames()
    {
        return state == ACTIVE && (frames.hasCompleteFrame() || frames.lastReadFilled());
    }

    @Override
    void sendVerdict(final int status)
    {
        LinkClaim.writeVerdict(verdict, 0, status);
        frames.write(verdict, 0, LinkClaim.VERDICT_LENGTH, verdict, 0, 0);
    }

    @Override
    void close(final String reason)
    {
        if (state != CLOSED)
        {
            state = CLOSED;
            closeReason = reason;
            frames.drainBlocking(1_000_000L);
            frames.close();
        }
    }

    @Override
    public String toString()
    {
        return "NioReceivedLink{state=" + state + ", delivered=" + framesDelivered() + ", completeFrameBuffered=" +
            frames.hasCompleteFrame() + ", lastReadFilled=" + frames.lastReadFilled() + ", open=" + frames.isOpen() + '}';
    }
}
