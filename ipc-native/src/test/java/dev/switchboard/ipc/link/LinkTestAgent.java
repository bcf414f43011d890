package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.socket.FrameChannel;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * A minimal agent for the cross-process link tests and the link benchmark: a raw control connection to a real router
 * (register with an inbox, look up, send routed frames, the link messages) and a {@link DirectLinks}, driven by hand,
 * the way the client will drive them once wired ({@code SwitchboardClient} is the lead's). Frames from the control
 * socket are handled in their order on the socket, so a LinkExpect reaches the links after every routed frame before
 * it, as the contract asks. Uses no Agrona {@code Unsafe} buffer: it runs in a JVM with no flags (NORMAL) or only
 * {@code --enable-native-access} (HIGH).
 *
 * <p>Thread-safety: one thread. Allocation: control paths only.
 */
final class LinkTestAgent implements AutoCloseable
{
    /** Receives each data frame, routed (an Envelope's payload) or direct (after the direct header). */
    interface DataHandler
    {
        /**
         * @param direct  whether it came on a link.
         * @param buffer  holding the payload.
         * @param offset  of the payload.
         * @param length  of the payload.
         */
        void onData(boolean direct, DirectBuffer buffer, int offset, int length);
    }

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    final IpcContext ctx;
    final FrameChannel control;
    final InboxFile inbox;
    final DirectLinks links;
    final CounterBlock counters;
    private final SegmentBuffer out = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EnvelopeEncoder envelope = new EnvelopeEncoder();
    private final EnvelopeDecoder envelopeDecoder = new EnvelopeDecoder();
    private final FrameChannel.FrameHandler controlHandler = this::onControlFrame;
    private final SegmentBuffer reply = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
    private int replyTemplate;
    private long replyCorrelation;
    private int replyLength;
    private DataHandler data;
    private long agentId;
    private long nextCorrelation = 1;
    private long nextDutyNs;
    private long nextHeartbeatNs;

    private LinkTestAgent(final IpcContext ctx, final FrameChannel control, final InboxFile inbox,
        final DirectLinks links, final CounterBlock counters)
    {
        this.ctx = ctx;
        this.control = control;
        this.inbox = inbox;
        this.links = links;
        this.counters = counters;
    }

    static LinkTestAgent connect(final IpcContext ctx, final String name, final boolean high) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(ctx.socketPath()));
        final FrameChannel control = new FrameChannel(channel, ctx.maxSocketFrameLength(), 256 * 1024, ctx.linkMac(),
            false, null);
        control.awaitLinkSetup(TimeUnit.SECONDS.toNanos(5));
        final InboxFile inbox = InboxFile.create(ctx.shmDir(), name, 256 * 1024);
        final CounterBlock counters = new CounterBlock(
            Arena.ofAuto().allocate((long)CounterIds.COUNT * CounterBlock.COUNTER_LENGTH, 128));
        final DirectLinks links = new DirectLinks(ctx, inbox, counters, ctx.linkSettings(), high);
        final LinkTestAgent agent = new LinkTestAgent(ctx, control, inbox, links, counters);
        agent.register(name);
        return agent;
    }

    long agentId()
    {
        return agentId;
    }

    private void register(final String name)
    {
        final int challenge = await(dev.switchboard.codecs.sbe.ChallengeDecoder.TEMPLATE_ID, -1);
        if (challenge < 0)
        {
            throw new IllegalStateException("no Challenge from the router");
        }
        final long correlation = nextCorrelation++;
        final RegisterEncoder e = new RegisterEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(correlation).pid(ProcessHandle.current().pid()).requestedLeaseMs(0);
        e.tiers().clear().critical(true).normal(true);
        e.capabilitiesCount(0);
        e.name(name);
        e.putCredential(new byte[0], 0, 0);
        e.inbox(inbox.path().toString());
        send(HEADER + e.encodedLength());
        if (await(RegisteredDecoder.TEMPLATE_ID, correlation) < 0)
        {
            throw new IllegalStateException("register refused: " + errorText());
        }
        agentId = new RegisteredDecoder().wrapAndApplyHeader(reply, 0, header).agentId();
        links.selfAgentId(agentId);
    }

    /** Announce the link endpoints; true when the router took them. */
    boolean listen()
    {
        final long correlation = nextCorrelation++;
        send(links.encodeListen(out, 0, correlation, agentId));
        return await(AckDecoder.TEMPLATE_ID, correlation) >= 0;
    }

    /** @return the agent's id, or 0 when there is none (yet). */
    long lookup(final String name)
    {
        final long correlation = nextCorrelation++;
        final LookupEncoder e = new LookupEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(correlation).agentId(agentId).kind(LookupKind.BY_NAME).wantedAgentId(0);
        e.query(name);
        send(HEADER + e.encodedLength());
        if (await(LookupResultDecoder.TEMPLATE_ID, correlation) < 0)
        {
            return 0;
        }
        final LookupResultDecoder d = new LookupResultDecoder().wrapAndApplyHeader(reply, 0, header);
        final LookupResultDecoder.AgentsDecoder agents = d.agents();
        return agents.hasNext() ? agents.next().agentId() : 0;
    }

    long awaitAgent(final String name, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline)
        {
            final long id = lookup(name);
            if (id != 0)
            {
                return id;
            }
            poll(null, 10);
        }
        throw new IllegalStateException("no agent '" + name + "' within " + timeoutMs + " ms");
    }

    /** Send one frame through the router (an Envelope on the control socket). */
    int sendRouted(final long target, final Priority priority, final DirectBuffer payload, final int offset,
        final int length)
    {
        envelope.wrapAndApplyHeader(out, 0, headerEncoder)
            .sourceAgentId(agentId).targetId(target).correlationId(0).timestampNs(0).flags(0)
            .targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(priority)
            .putPayload(payload, offset, length);
        return control.write(out, 0, HEADER + envelope.encodedLength(), out, 0, 0);
    }

    /**
     * Ask for a link and open it.
     *
     * @return the lane, or null when the router refused (the Error text is in {@link #errorText()}).
     */
    Lane requestLink(final long target, final Tier tier)
    {
        final long correlation = nextCorrelation++;
        send(links.encodeRequest(out, 0, correlation, agentId, target, tier));
        if (await(LinkGrantDecoder.TEMPLATE_ID, correlation) < 0)
        {
            return null;
        }
        return links.open(agentId, reply, 0, replyLength);
    }

    String errorText()
    {
        return replyTemplate == ErrorDecoder.TEMPLATE_ID ?
            new ErrorDecoder().wrapAndApplyHeader(reply, 0, header).text() : "(no error)";
    }

    /**
     * Read the control socket (routed data to the handler, LinkExpect to the links, in socket order), poll the links,
     * and run the duty slice every millisecond.
     *
     * @return work done.
     */
    int poll(final DataHandler handler, final int limit)
    {
        data = handler;
        int work = control.read(controlHandler, limit);
        control.flush();
        work += links.poll(this::onDirect, limit);
        final long now = System.nanoTime();
        if (now - nextDutyNs > 0)
        {
            nextDutyNs = now + 1_000_000;
            work += links.duty(now);
            if (now - nextHeartbeatNs > 0)
            {
                nextHeartbeatNs = now + 500_000_000;
                inbox.heartbeat();
                final HeartbeatEncoder hb = new HeartbeatEncoder().wrapAndApplyHeader(out, 0, headerEncoder)
                    .agentId(agentId).timestampNs(now);
                control.write(out, 0, HEADER + hb.encodedLength(), out, 0, 0);
            }
        }
        return work;
    }

    private void onDirect(final int typeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        if (data == null)
        {
            // A poll without a handler may not take data frames: that would lose them.
            throw new IllegalStateException("a link frame arrived during a poll with no data handler");
        }
        data.onData(true, buffer, index + DirectFrames.HEADER_LENGTH, length - DirectFrames.HEADER_LENGTH);
    }

    private boolean onControlFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        final int template = header.templateId();
        if (template == EnvelopeDecoder.TEMPLATE_ID)
        {
            if (data == null)
            {
                return false; // keep it (and what follows) until a poll with a handler: order is the point
            }
            envelopeDecoder.wrapAndApplyHeader(buffer, offset, header);
            final int payloadLength = envelopeDecoder.payloadLength();
            final int payloadOffset = envelopeDecoder.limit() + 4;
            data.onData(false, buffer, payloadOffset, payloadLength);
            return true;
        }
        if (links.onControl(buffer, offset, length))
        {
            return true;
        }
        // A reply: keep a copy for await().
        buffer.getBytes(offset, reply, 0, length);
        replyTemplate = template;
        replyLength = length;
        replyCorrelation = length >= HEADER + 8 ? buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN) : 0;
        return true;
    }

    private void send(final int length)
    {
        if (control.write(out, 0, length, out, 0, 0) < 0)
        {
            throw new IllegalStateException("control socket refused a frame: " + control.closeReason());
        }
    }

    /**
     * Poll until a reply of the template with the correlation id (or any Error for it) comes.
     *
     * @return its length, or -1 for an Error or a timeout.
     */
    private int await(final int template, final long correlation)
    {
        replyTemplate = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && control.isOpen())
        {
            poll(data, 100);
            if (replyTemplate == template && (correlation < 0 || replyCorrelation == correlation))
            {
                return replyLength;
            }
            if (replyTemplate == ErrorDecoder.TEMPLATE_ID && replyCorrelation == correlation)
            {
                return -1;
            }
            if (replyTemplate != 0)
            {
                replyTemplate = 0;
            }
            Thread.onSpinWait();
        }
        return -1;
    }

    long counter(final dev.switchboard.counters.RouterCounter c)
    {
        return counters.get(c);
    }

    @Override
    public void close()
    {
        links.close();
        control.drainBlocking(TimeUnit.SECONDS.toNanos(1));
        control.close();
        inbox.close();
    }

    static IpcContext context(final Path dir)
    {
        return new IpcContext().underDirectory(dir);
    }

    static Path dirOf(final String arg)
    {
        return Path.of(arg);
    }
}
