/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Router bugs the fuzz campaign ({@code ./switchboard fuzz --target sockets}) found, each pinned on both engines with
 * the smallest real scenario: raw connections to a live router, no mocks.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RouterFuzzRegressionTest
{
    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = toClose.size() - 1; i >= 0; i--)
        {
            toClose.get(i).close();
        }
    }

    /**
     * The NIO engine wrote its connections' queued frames with a loop bounded by the number queued when it started:
     * a connection whose write failed was closed inside the loop, its agent's departure told to registry watchers,
     * and a watcher marked for writing then was dropped from the list with its mark still set, so nothing queued for
     * it was ever written again (the fuzz campaign saw a lookup unanswered for good).
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aWatcherToldOfAnAgentWhoseConnectionFailedWhileBeingWrittenStillGetsEverythingAfter(final String engine)
        throws Exception
    {
        final RouterProcess router = launch(engine);
        final RawAgent watcher = raw(router);
        watcher.register("Watcher", "", 60_000);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final SubscribeEncoder subscribe = new SubscribeEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).correlationId(7).agentId(watcher.agentId())
            .targetId(0).kind(SubscriptionKind.REGISTRY).name("");
        watcher.send(frame, MessageHeaderEncoder.ENCODED_LENGTH + subscribe.encodedLength());
        watcher.expect(AckDecoder.TEMPLATE_ID, 10_000);

        final RawAgent leaver = raw(router);
        final long leaverId = leaver.register("Leaver", "", 60_000);
        assertEquals(AgentEventKind.REGISTERED, event(watcher.expect(AgentEventDecoder.TEMPLATE_ID, 10_000)).kind());
        // It stops reading and asks for something: the router's write of the answer fails, and the router closes the
        // connection while writing its connections' queued frames.
        leaver.shutdownInput();
        leaver.send(frame, lookup(frame, 1, "Watcher"));

        final AgentEventDecoder departed = event(watcher.expect(AgentEventDecoder.TEMPLATE_ID, 10_000));
        assertEquals(leaverId, departed.agentId());
        assertEquals(AgentEventKind.DEREGISTERED, departed.kind());
        watcher.send(frame, lookup(frame, 4242, "Watcher"));
        final byte[] result = watcher.expect(LookupResultDecoder.TEMPLATE_ID, 10_000);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(result), 0);
        assertEquals(4242, new LookupResultDecoder().wrap(new UnsafeBuffer(result), MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version()).correlationId(), "the watcher's later requests are answered");
    }

    /**
     * The io_uring engine kept a receive larger than the room left in a connection's handshake buffer (16 KiB until
     * it registers) and waited for room for all of it, which never came: a burst of small frames over 16 KiB stalled
     * the connection until the partial-frame deadline closed it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aBurstOfSmallFramesLargerThanTheHandshakeBufferIsReadToTheEndBeforeRegistration(final String engine)
        throws Exception
    {
        final RouterProcess router = launch(engine);
        final RawAgent unregistered = raw(router);
        final int heartbeats = 1500; // 28-byte records: 42,000 bytes in one write
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final ByteBuffer burst = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < heartbeats; i++)
        {
            // A heartbeat in no registered agent's name: counted, never answered.
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + new HeartbeatEncoder()
                .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).agentId(0).timestampNs(i).encodedLength();
            burst.putInt(length).put(frame.byteArray(), 0, length);
        }
        final int lookupLength = lookup(frame, 4242, "nobody");
        burst.putInt(lookupLength).put(frame.byteArray(), 0, lookupLength).flip();
        unregistered.sendRaw(burst);

        final byte[] result = unregistered.expect(LookupResultDecoder.TEMPLATE_ID, 10_000);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(result), 0);
        assertEquals(4242, new LookupResultDecoder().wrap(new UnsafeBuffer(result), MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version()).correlationId());
        assertEquals(heartbeats, router.router().counters().block().get(RouterCounter.REJECTED_SPOOFED_SOURCE),
            "every frame of the burst was handled");
        assertEquals(0, router.router().counters().block().get(RouterCounter.PARTIAL_FRAME_TIMEOUTS));
    }

    /**
     * With the NIO engine, a HIGH link (on its own io_uring) that broke the framing was closed but not counted as the
     * control socket and the io_uring engine count it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void brokenFramingOnAHighLinkClosesItAndIsCountedOnBothEngines(final String engine) throws Exception
    {
        final RouterProcess router = launch(engine);
        final Path high = router.ipcContext().highSocketPath();
        assumeTrue(high != null && Files.exists(high), "HIGH does not run here");
        final RawAgent agent = raw(router);
        final long agentId = agent.register("HighAgent", "", 60_000);
        try (SocketChannel link = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            link.connect(UnixDomainSocketAddress.of(high));
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + new HeartbeatEncoder()
                .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).agentId(agentId).timestampNs(1)
                .encodedLength();
            final ByteBuffer out = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
            out.putInt(length).put(frame.byteArray(), 0, length).putInt(-1).putLong(0).flip();
            while (out.hasRemaining())
            {
                link.write(out);
            }
            assertEquals(-1, link.read(ByteBuffer.allocate(4096)),
                "the router closes a HIGH link that broke the framing");
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.router().counters().block().get(RouterCounter.REJECTED_FRAMING) == 0)
        {
            assertTrue(System.nanoTime() < deadline, "counted as a framing error");
            Thread.sleep(5);
        }
        assertEquals(1, router.router().counters().block().get(RouterCounter.REJECTED_FRAMING));
    }

    /**
     * The io_uring engine judged a frame by the handshake buffer's size until the buffers had grown, not from the
     * moment the connection registered (or its HIGH link attached): a frame over 16 KiB that came with the attach (or
     * the Register) closed the connection as "a frame before registration" (the fuzz campaign's long run: one HIGH
     * link in 26,680 connections, its first input a 60 KB frame).
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aLargeFrameRightAfterAHighLinksAttachIsTakenNotMistakenForOneBeforeRegistration(final String engine)
        throws Exception
    {
        final RouterProcess router = launch(engine);
        final Path high = router.ipcContext().highSocketPath();
        assumeTrue(high != null && Files.exists(high), "HIGH does not run here");
        final RawAgent agent = raw(router);
        final long agentId = agent.register("BigFirst", "", 60_000);
        try (SocketChannel link = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            link.connect(UnixDomainSocketAddress.of(high));
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[70_000]);
            final ByteBuffer out = ByteBuffer.allocate(140_000).order(ByteOrder.LITTLE_ENDIAN);
            final int attach = MessageHeaderEncoder.ENCODED_LENGTH + new HeartbeatEncoder()
                .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).agentId(agentId).timestampNs(1)
                .encodedLength();
            out.putInt(attach).put(frame.byteArray(), 0, attach);
            final int big = bigEnvelope(frame, agentId);
            out.putInt(big).put(frame.byteArray(), 0, big);
            final int fence = lookup(frame, 4242, "BigFirst");
            out.putInt(fence).put(frame.byteArray(), 0, fence).flip();
            while (out.hasRemaining())
            {
                link.write(out);
            }
            assertFenceAnswered(agent, 4242);
        }
        assertEquals(0, router.router().counters().block().get(RouterCounter.REJECTED_FRAMING), "nothing closed");
    }

    /**
     * The same on a control connection: a Register and a frame over 16 KiB in one write.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aLargeFrameRightAfterARegisterIsTakenNotMistakenForOneBeforeRegistration(final String engine)
        throws Exception
    {
        final RouterProcess router = launch(engine);
        final RawAgent agent = raw(router);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[70_000]);
        final ByteBuffer out = ByteBuffer.allocate(140_000).order(ByteOrder.LITTLE_ENDIAN);
        final RegisterEncoder register = new RegisterEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(1).pid(ProcessHandle.current().pid()).requestedLeaseMs(60_000);
        register.tiers().normal(true);
        register.capabilitiesCount(0);
        register.name("BigSecond");
        register.putCredential(new byte[0], 0, 0);
        register.inbox("");
        final int registerLength = MessageHeaderEncoder.ENCODED_LENGTH + register.encodedLength();
        out.putInt(registerLength).put(frame.byteArray(), 0, registerLength);
        final int big = bigEnvelope(frame, 0);
        out.putInt(big).put(frame.byteArray(), 0, big);
        final int fence = lookup(frame, 4242, "BigSecond");
        out.putInt(fence).put(frame.byteArray(), 0, fence).flip();
        agent.sendRaw(out);
        agent.expect(RegisteredDecoder.TEMPLATE_ID, 10_000);
        assertFenceAnswered(agent, 4242);
        assertEquals(0, router.router().counters().block().get(RouterCounter.REJECTED_FRAMING), "nothing closed");
    }

    /**
     * An agent with an inbox keeps its lease by the heartbeat word it moves as it polls, which the router reads only
     * when it judges leases on its timer. A Register (from any connection) expires every run-out lease first, in the
     * registry, without reading those words: one that came between a live agent's lease end and the next timer tick
     * deregistered it (the fuzz campaign: a good receiver polling the whole time lost its lease at 10 s, and what was
     * published to it was dropped). A timer slower than the lease widens that window to make it certain here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aLiveAgentKeepsItsLeaseWhileStrangersRegisterBetweenTimerTicks(final String engine) throws Exception
    {
        final long leaseMs = 200;
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(leaseMs))
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(leaseMs * 3 / 2)), new IpcContext().underDirectory(dir));
        toClose.add(router);
        final IpcConnection connection = IpcConnection.connect(router.ipcContext());
        final SwitchboardClient live = SwitchboardClient.connect(new ClientContext().connection(connection));
        toClose.add(live);
        final long firstId = live.register("Live").agentId();
        assertTrue(connection.heartbeatsInSharedMemory(), "the agent's lease rests on its inbox heartbeat word");

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final RegisterEncoder register = new RegisterEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(1).pid(ProcessHandle.current().pid()).requestedLeaseMs(0);
        register.tiers().normal(true);
        register.capabilitiesCount(0);
        register.name("Live"); // taken: refused NAME_TAKEN, after the registry expired what had run out
        register.putCredential(new byte[0], 0, 0);
        register.inbox("");
        final int registerLength = MessageHeaderEncoder.ENCODED_LENGTH + register.encodedLength();
        RawAgent stranger = raw(router);
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs * 6);
        while (System.nanoTime() < end)
        {
            live.poll(m -> { });
            if (stranger.closedByPeer())
            {
                stranger = raw(router);
            }
            stranger.send(frame, registerLength);
            while (stranger.nextFrame(0) != null)
            {
                live.poll(m -> { }); // the refusals, read so that the router never waits to write them
            }
        }
        live.poll(m -> { });
        assertEquals(0, router.router().counters().block().get(RouterCounter.LEASES_EXPIRED),
            "the live agent's lease never ran out");
        assertTrue(router.router().counters().block().get(RouterCounter.REGISTRATIONS_REFUSED) > 100,
            "strangers registered between the ticks");
        assertEquals(firstId, live.agentId(), "still registered under its first id");
    }

    /**
     * A valid 60,000-byte data frame from {@code source} to an agent that does not exist.
     */
    private static int bigEnvelope(final UnsafeBuffer frame, final long source)
    {
        final EnvelopeEncoder envelope = new EnvelopeEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sourceAgentId(source).targetId(Long.MAX_VALUE).correlationId(9).timestampNs(0).flags(0)
            .targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(Priority.NORMAL);
        envelope.putPayload(new byte[60_000], 0, 60_000);
        return MessageHeaderEncoder.ENCODED_LENGTH + envelope.encodedLength();
    }

    private static void assertFenceAnswered(final RawAgent agent, final long correlationId) throws IOException
    {
        final byte[] result = agent.expect(LookupResultDecoder.TEMPLATE_ID, 10_000);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(result), 0);
        assertEquals(correlationId, new LookupResultDecoder().wrap(new UnsafeBuffer(result),
            MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()).correlationId(),
            "everything after the large frame was handled");
    }

    private RouterProcess launch(final String engine)
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        return router;
    }

    private RawAgent raw(final RouterProcess router) throws IOException
    {
        final RawAgent agent = RawAgent.connect(router.ipcContext().socketPath());
        toClose.add(agent);
        return agent;
    }

    private static int lookup(final UnsafeBuffer frame, final long correlationId, final String name)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new LookupEncoder().wrapAndApplyHeader(frame, 0,
            new MessageHeaderEncoder()).correlationId(correlationId).agentId(0).kind(LookupKind.BY_NAME)
            .wantedAgentId(0).query(name).encodedLength();
    }

    private static AgentEventDecoder event(final byte[] frame)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(frame), 0);
        return new AgentEventDecoder().wrap(new UnsafeBuffer(frame), MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
    }
}
