/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterMain;
import dev.switchboard.router.process.RouterProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's robustness items of issue 18, with real processes and sockets: one router per runtime dir, a clean and
 * bounded stop on SIGINT/SIGTERM, the handshake deadline (idle and half-frame connections), connection limits with
 * refusal counters, allocation failures that refuse a connection instead of stopping the router, and no silent loss:
 * an agent whose lease expires is told, and so is a sender to a receiver that is gone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RouterRobustnessTest
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

    @ParameterizedTest
    @Tag("slow")
    @ValueSource(strings = {"uring", "nio"})
    void aSecondRouterOnTheSameRuntimeDirRefusesToStartNamingTheLiveOnesPidAndTheFirstKeepsServing(final String engine) throws Exception
    {
        final ChildJvm first = startRouter(engine);
        final long pid = first.process().pid();

        final IllegalStateException inThisJvm = assertThrows(IllegalStateException.class,
            () -> RouterProcess.launch(new RouterContext().engine(engine), new IpcContext().underDirectory(dir)));
        assertTrue(inThisJvm.getMessage().contains("pid " + pid), inThisJvm.getMessage());

        try (ChildJvm second = ChildJvm.start(dir, routerFlags(engine), RouterMain.class))
        {
            assertEquals(RouterMain.EXIT_FATAL, second.awaitExit(Duration.ofSeconds(60)), "a second router process refuses to start");
            assertTrue(second.stderrText().contains("pid " + pid), second.stderrText());
        }

        final SwitchboardClient client = client(new IpcContext().underDirectory(dir));
        client.register("StillServed");
        assertNotNull(client.lookup("StillServed"), "the first router still serves its socket");

        // Killed, it leaves its socket file behind; nothing answers there, so the next router replaces it.
        first.kill();
        first.process().waitFor();
        try (RouterProcess next = RouterProcess.launch(new RouterContext().engine(engine), new IpcContext().underDirectory(dir));
            SwitchboardClient again = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(next.ipcContext()))))
        {
            again.register("NextRouter");
            assertNotNull(again.lookup("NextRouter"));
        }
    }

    @Test
    @Tag("slow")
    void sigtermAndSigintStopTheRouterWithStatusZeroCountersPrintedAndAgentsSeeingTheirConnectionEnd() throws Exception
    {
        for (final String signal : new String[] {"TERM", "INT"})
        {
            final ChildJvm router = startRouter();
            final IpcConnection connection = IpcConnection.connect(new IpcContext().underDirectory(dir));
            final SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection));
            client.register("Agent-" + signal);

            final long signalledNs = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(router.process().pid())).start().waitFor();
            final int status = router.awaitExit(Duration.ofSeconds(30));
            final long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledNs);
            System.out.println("SIG" + signal + ": router exited " + status + " after " + stopMs + " ms");
            assertEquals(0, status, router.stderrText());
            assertTrue(router.stdoutText().contains("counters:"), router.stdoutText());
            assertTrue(router.stdoutText().contains("registrations"), router.stdoutText());

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connection.isConnected())
            {
                client.poll(m -> { });
                assertTrue(System.nanoTime() < deadline, "the agent saw its connection end");
                Thread.sleep(5);
            }
            client.close();
            router.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void connectionsThatDoNotRegisterInTimeAreToldAndClosedIdleOrHoldingHalfAFrame(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(
            new RouterContext().engine(engine).handshakeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        final List<RawAgent> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            idle.add(raw(router));
        }
        for (int i = 0; i < 20; i++)
        {
            final RawAgent halfFrame = raw(router);
            // A length prefix saying 100 bytes, then 10 of them, then nothing.
            final ByteBuffer half = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
            half.putInt(100).put(new byte[10]).flip();
            halfFrame.sendRaw(half);
            idle.add(halfFrame);
        }
        for (final RawAgent agent : idle)
        {
            assertTrue(agent.awaitClosedByPeer(10_000), "closed by the router after the handshake deadline");
        }
        assertEquals(40, router.router().counters().block().get(RouterCounter.HANDSHAKE_TIMEOUTS));

        // A connection that registers in time is not affected.
        final SwitchboardClient good = client(router.ipcContext());
        good.register("InTime");
        Thread.sleep(600);
        assertNotNull(good.lookup("InTime"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void connectionsBeyondTheUnregisteredLimitAreRefusedToldAndCounted(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine).maxUnregisteredConnections(8)
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(60)), new IpcContext().underDirectory(dir));
        toClose.add(router);
        final List<RawAgent> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            waiting.add(raw(router));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.connectionCount() < 8)
        {
            assertTrue(System.nanoTime() < deadline, "the router accepts the first 8");
            Thread.sleep(5);
        }
        for (int i = 0; i < 12; i++)
        {
            final RawAgent refused = raw(router);
            final byte[] error = refused.expect(ErrorDecoder.TEMPLATE_ID, 10_000);
            assertTrue(RawAgent.errorText(error).contains("switchboard.router.max.unregistered"),
                RawAgent.errorText(error));
            assertTrue(refused.awaitClosedByPeer(10_000));
        }
        assertEquals(12, router.router().counters().block().get(RouterCounter.CONNECTIONS_REFUSED_UNAUTHENTICATED));

        // Once they register (or go), there is room again.
        for (int i = 0; i < waiting.size(); i++)
        {
            waiting.get(i).register("Waiting-" + i, "", 0);
        }
        final SwitchboardClient late = client(router.ipcContext());
        late.register("Late");
        assertNotNull(late.lookup("Late"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void connectionsBeyondThePerUserLimitAreRefused(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine).maxConnectionsPerUser(3),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        for (int i = 0; i < 3; i++)
        {
            client(router.ipcContext()).register("Agent-" + i);
        }
        final RawAgent fourth = raw(router);
        final byte[] error = fourth.expect(ErrorDecoder.TEMPLATE_ID, 10_000);
        assertTrue(RawAgent.errorText(error).contains("switchboard.router.max.connections.per.user"),
            RawAgent.errorText(error));
        assertTrue(fourth.awaitClosedByPeer(10_000));
        assertEquals(1, router.router().counters().block().get(RouterCounter.CONNECTIONS_REFUSED_PER_USER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void connectionsHoldSmallBuffersUntilTheyRegisterAndFreeThemWhenTheyClose(final String engine) throws Exception
    {
        // HIGH off: the test is about control connections (an agent's HIGH link has full buffers once attached).
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine)
            .handshakeTimeoutNs(TimeUnit.SECONDS.toNanos(60)), new IpcContext().underDirectory(dir).disabledTiers("HIGH"));
        toClose.add(router);
        final List<RawAgent> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            waiting.add(raw(router));
        }
        awaitConnections(router, 50);
        final long handshake = 2L * router.router().context().handshakeBufferBytes();
        assertEquals(50 * handshake, router.connectionBufferBytes(), "50 unregistered connections: handshake buffers");

        final SwitchboardClient agent = client(router.ipcContext());
        agent.register("Registered");
        final long registered = router.connectionBufferBytes() - 50 * handshake;
        assertTrue(registered > handshake, "a registered connection has full buffers: " + registered);

        for (final RawAgent raw : waiting)
        {
            raw.close();
        }
        awaitConnections(router, 1);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.connectionBufferBytes() != registered && System.nanoTime() < deadline)
        {
            Thread.sleep(5); // the io_uring engine frees a closed connection's buffers once the kernel let go of them
        }
        assertEquals(registered, router.connectionBufferBytes(), "closed connections freed their buffers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aFrameLargerThanTheHandshakeBufferBeforeRegistrationClosesTheConnection(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine).handshakeBufferBytes(4096),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        final RawAgent agent = raw(router);
        final ByteBuffer big = ByteBuffer.allocate(4 + 8000).order(ByteOrder.LITTLE_ENDIAN);
        big.putInt(8000).put(new byte[8000]).flip();
        agent.sendRaw(big);
        assertTrue(agent.awaitClosedByPeer(10_000), "closed: the frame cannot fit before registration");
        assertEquals(1, router.router().counters().block().get(RouterCounter.REJECTED_FRAMING));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aRegisteredConnectionHoldingHalfAFrameIsClosedAfterThePartialFrameDeadline(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine)
            .partialFrameTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)), new IpcContext().underDirectory(dir));
        toClose.add(router);
        final RawAgent agent = raw(router);
        agent.register("HalfFrame", "", 60_000);
        final ByteBuffer half = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        half.putInt(100).put(new byte[10]).flip();
        agent.sendRaw(half);
        assertTrue(agent.awaitClosedByPeer(10_000), "closed after the partial-frame deadline");
        assertEquals(1, router.router().counters().block().get(RouterCounter.PARTIAL_FRAME_TIMEOUTS));
    }

    @ParameterizedTest
    @Tag("slow")
    @ValueSource(strings = {"uring", "nio"})
    void connectionBuffersAreNotDirectMemorySoARouterShortOfItStillAcceptsAndRoutes(final String engine) throws Exception
    {
        // Before, each connection took about 1.5 MiB of direct memory, freed at GC: a flood ran the router out of it
        // (issue 18). Its connections now use native memory of their own, freed on close: 12 MiB of direct memory
        // (the router's own buffers take about 5.5) are no limit on connections.
        final List<String> flags = new ArrayList<>(routerFlags(engine));
        flags.add("-XX:MaxDirectMemorySize=12m");
        flags.add("-Dswitchboard.tiers.disable=HIGH");
        flags.add("-Dswitchboard.lease.ms=60000");
        flags.add("-Dswitchboard.router.handshake.timeout.ms=60000");
        final ChildJvm router = ChildJvm.start(dir, flags, RouterMain.class);
        toClose.add(router);
        KilledSenderUnblockTest.awaitStdout(router, "listening");
        final IpcContext ipc = new IpcContext().underDirectory(dir).disabledTiers("HIGH,CRITICAL");
        final SwitchboardClient a = client(ipc);
        a.register("A");
        final SwitchboardClient b = client(ipc);
        b.register("B");
        for (int i = 0; i < 20; i++)
        {
            final RawAgent extra = RawAgent.connect(ipc.socketPath());
            toClose.add(extra);
            extra.expect(dev.switchboard.codecs.sbe.ChallengeDecoder.TEMPLATE_ID, 10_000);
        }
        assertEquals(100, InOrderTraffic.exchange(a, b, 100, Priority.NORMAL, tier -> { }),
            "the agents keep exchanging; router: " + router.stdoutText() + router.stderrText());

        new ProcessBuilder("kill", "-TERM", String.valueOf(router.process().pid())).start().waitFor();
        assertEquals(0, router.awaitExit(Duration.ofSeconds(30)), router.stderrText());
        assertFalse(router.stdoutText().contains("connections refused: no memory"), router.stdoutText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void anAgentWhoseLeaseExpiresIsToldAndSoAreSendersToIt(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(300)).maxLeaseNs(TimeUnit.SECONDS.toNanos(60)),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        final RawAgent silent = raw(router);
        final long silentId = silent.register("Silent", "", 300); // and never a heartbeat
        final RawAgent sender = raw(router);
        final long senderId = sender.register("Sender", "", 60_000);

        final byte[] event = silent.expect(AgentEventDecoder.TEMPLATE_ID, 10_000);
        final AgentEventDecoder decoded = new AgentEventDecoder().wrap(new UnsafeBuffer(event),
            MessageHeaderEncoder.ENCODED_LENGTH, AgentEventDecoder.BLOCK_LENGTH, AgentEventDecoder.SCHEMA_VERSION);
        assertEquals(silentId, decoded.agentId());
        assertEquals(dev.switchboard.codecs.sbe.AgentEventKind.EXPIRED, decoded.kind());
        assertEquals("Silent", decoded.name());
        assertEquals("", decoded.host(), "the whole event is in the frame (schema version 3 ends with the host)");
        final byte[] error = silent.expect(ErrorDecoder.TEMPLATE_ID, 10_000);
        assertTrue(RawAgent.errorText(error).contains("lease"), RawAgent.errorText(error));
        assertEquals(1, router.router().counters().block().get(RouterCounter.EXPIRED_AGENTS_TOLD));

        // A NORMAL send to the expired agent, accepted by the sender's socket, is not lost in silence.
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final EnvelopeEncoder envelope = new EnvelopeEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .sourceAgentId(senderId).targetId(silentId).correlationId(4242).timestampNs(0).flags(0)
            .targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(Priority.NORMAL);
        envelope.putPayload(new byte[8], 0, 8);
        for (int i = 0; i < 5; i++)
        {
            sender.send(frame, MessageHeaderEncoder.ENCODED_LENGTH + envelope.encodedLength());
        }
        final byte[] notice = sender.expect(ErrorDecoder.TEMPLATE_ID, 10_000);
        final ErrorDecoder noticeDecoder = new ErrorDecoder().wrap(new UnsafeBuffer(notice),
            MessageHeaderEncoder.ENCODED_LENGTH, ErrorDecoder.BLOCK_LENGTH, ErrorDecoder.SCHEMA_VERSION);
        assertEquals(4242, noticeDecoder.correlationId());
        assertEquals(dev.switchboard.codecs.sbe.ErrorCode.UNKNOWN_AGENT, noticeDecoder.code());
        assertNull(sender.nextFrame(300), "one notice a second per receiver, not one per frame");
        assertEquals(1, router.router().counters().block().get(RouterCounter.SENDERS_TOLD_RECEIVER_GONE));
        assertEquals(5, router.router().counters().block().get(RouterCounter.FANOUT_RECEIVER_GONE));
    }

    private ChildJvm startRouter() throws Exception
    {
        return startRouter(RouterContext.ENGINE_AUTO);
    }

    private ChildJvm startRouter(final String engine) throws Exception
    {
        final ChildJvm router = ChildJvm.start(dir, routerFlags(engine), RouterMain.class);
        toClose.add(router);
        KilledSenderUnblockTest.awaitStdout(router, "listening");
        return router;
    }

    private List<String> routerFlags(final String engine)
    {
        final List<String> flags = new ArrayList<>(List.of(
            "-Dswitchboard.router.engine=" + engine,
            "-Dswitchboard.runtime.dir=" + dir,
            "-Dswitchboard.shm.dir=" + dir.resolve("shm"),
            "-Dswitchboard.data.dir=" + dir.resolve("data")));
        flags.addAll(JvmFlags.router());
        return flags;
    }

    private static void awaitConnections(final RouterProcess router, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.connectionCount() != count)
        {
            assertTrue(System.nanoTime() < deadline, "connections: " + router.connectionCount() + ", expected " + count);
            Thread.sleep(5);
        }
    }

    private RawAgent raw(final RouterProcess router) throws IOException
    {
        final RawAgent agent = RawAgent.connect(router.ipcContext().socketPath());
        toClose.add(agent);
        return agent;
    }

    private SwitchboardClient client(final IpcContext ipc)
    {
        final SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
        toClose.add(client);
        return client;
    }

}
