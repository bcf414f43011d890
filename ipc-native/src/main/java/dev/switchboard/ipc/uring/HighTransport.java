package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.TierProbe;
import java.lang.foreign.Arena;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.ipc.uring.UringLink;
import dev.switchboard.transport.FixedTransport;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.Transport;
import dev.switchboard.transport.TransportCapabilities;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * HIGH: frames to and from the router over a second Unix stream socket driven by io_uring (FFM +
 * liburing), with registered buffers and batched submissions: offers are queued and submitted together at
 * the next poll. The link opens once the agent is registered; its first frame (a Heartbeat carrying the
 * agent id) attaches it to the agent's session at the router. Until then, or if the link cannot open, HIGH
 * frames go NORMAL (one warning, one counted fallback): nothing is lost.
 *
 * <p>Thread-safety: the agent's thread only (io_uring completes requests on the submitting thread).
 * Allocation: none per frame.
 */
public final class HighTransport extends FixedTransport
{
    private final IpcContext ctx;
    private final Transport normal;
    private final CounterBlock counters;
    private UringLink link;

    public HighTransport(final IpcContext ctx, final Transport normal, final CounterBlock counters)
    {
        super(new TransportCapabilities(Tier.HIGH, ctx.uringConfig().maxFrameLength() -
            (ctx.linkMac().enabled() ? dev.switchboard.security.FrameMac.TAG_LENGTH : 0), false, false, true));
        this.ctx = ctx;
        this.normal = normal;
        this.counters = counters;
    }

    public void onRegistered(final long agentId)
    {
        try
        {
            final UringLink l = UringLink.connect(ctx.highSocketPath(), ctx.uringConfig(), ctx.linkMac(), counters);
            final SegmentBuffer attach = SegmentBuffer.allocate(Arena.ofAuto(), 64);
            new HeartbeatEncoder().wrapAndApplyHeader(attach, 0, new MessageHeaderEncoder())
                .agentId(agentId)
                .timestampNs(System.nanoTime());
            l.offer(attach, 0, MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH);
            l.flush();
            link = l;
        }
        catch (final RuntimeException e)
        {
            TierProbe.fallback("HIGH", "NORMAL", "cannot open the io_uring link to " + ctx.highSocketPath() +
                ": " + e.getMessage(), counters);
        }
    }

    /**
     * @return the open link, or null (not registered yet, or fell back to NORMAL).
     */
    public UringLink link()
    {
        return link;
    }


    @Override
    public int offer(final long destination, final DirectBuffer header, final int headerOffset, final int headerLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final UringLink l = link;
        if (l == null || !l.isConnected())
        {
            return normal.offer(destination, header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
        }
        return l.offer(header, headerOffset, headerLength, payload, payloadOffset, payloadLength);
    }

    @Override
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        final UringLink l = link;
        return l == null ? 0 : l.poll(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        if (link != null)
        {
            link.close();
            link = null;
        }
    }
}
