package dev.switchboard.ipc.uring;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.ipc.uring.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UringLinkTest
{
    private static final int MILLION = 1_000_000;

    @TempDir
    Path dir;

    private final AtomicReference<String> serverClosedReason = new AtomicReference<>();
    private final AtomicInteger serverAccepted = new AtomicInteger();

    private final UringServer.LinkListener recordingListener = new UringServer.LinkListener()
    {
        @Override
        public void onAccepted(final UringLink link)
        {
            serverAccepted.incrementAndGet();
        }

        @Override
        public void onClosed(final UringLink link, final String reason)
        {
            serverClosedReason.set(reason);
        }
    };

    @Test
    @Tag("slow")
    void serverAndLinkExchangeOneMillionFramesEachWayInOrder() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final UringConfig config = UringConfig.defaults();
        final FrameChecker atServer = new FrameChecker();
        final FrameChecker atClient = new FrameChecker();
        final ServerSideSender serverSender = new ServerSideSender(MILLION);

        try (RunningServer running = RunningServer.start(
            socket,
            config,
            (link, buffer, offset, length) -> atServer.onFrame(buffer, offset, length),
            new UringServer.LinkListener()
            {
                @Override
                public void onAccepted(final UringLink link)
                {
                    serverSender.link = link;
                }

                @Override
                public void onClosed(final UringLink link, final String reason)
                {
                    serverClosedReason.set(reason);
                }
            },
            serverSender);
            Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(TestFrames.MAX_LENGTH));
            final AtomicReference<String> wrongType = new AtomicReference<>();
            final MessageHandler handler = (msgTypeId, buffer, index, length) ->
            {
                if (Tier.HIGH.typeId() != msgTypeId)
                {
                    wrongType.compareAndSet(null, "msgTypeId " + msgTypeId);
                }
                atClient.onFrame(buffer, index, length);
            };

            try (UringLink link = UringLink.connect(socket, config))
            {
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while ((sent < MILLION || atClient.received() < MILLION || atServer.received() < MILLION) &&
                    System.nanoTime() - deadlineNs < 0)
                {
                    int work = 0;
                    while (sent < MILLION && work < 256 && OfferStatus.OK == link.offer(frame, 0, TestFrames.encode(frame, sent)))
                    {
                        sent++;
                        work++;
                    }
                    work += link.poll(handler, 256);
                    if (0 == work)
                    {
                        Thread.yield();
                    }
                }

                assertNull(atServer.firstError());
                assertNull(atClient.firstError());
                assertNull(wrongType.get());
                assertEquals(MILLION, atServer.received(), "frames received by the server");
                assertEquals(MILLION, atClient.received(), "frames received by the client");
                assertEquals(MILLION, link.framesSent());
                assertTrue(link.isConnected());
                System.out.printf(
                    "HIGH same JVM: %,d frames each way; client io_uring_enter calls %,d (%.3f per frame sent+received)%n",
                    MILLION, link.enterCalls(), link.enterCalls() / (2.0 * MILLION));
            }

            await(() -> null != serverClosedReason.get(), 10, TimeUnit.SECONDS, "the server to see the link close");
            assertEquals("peer closed the connection", serverClosedReason.get());
            assertEquals(0, running.server.activeLinks());
        }
    }

    @Test
    void framesEchoedOneAtATimeByTheServerComeBackInOrder() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final int roundTrips = 5_000;
        final FrameChecker atClient = new FrameChecker();

        try (RunningServer running = RunningServer.start(
            socket,
            UringConfig.defaults(),
            (link, buffer, offset, length) -> assertEquals(OfferStatus.OK, link.offer(buffer, offset, length)),
            recordingListener,
            null);
            UringLink link = UringLink.connect(socket, UringConfig.defaults());
            Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(TestFrames.MAX_LENGTH));
            final MessageHandler handler = (t, b, o, n) -> atClient.onFrame(b, o, n);
            await(() -> 1 == serverAccepted.get(), 10, TimeUnit.SECONDS, "the connection");
            final long serverEntersBefore = running.server.enterCalls();
            final long clientEntersBefore = link.enterCalls();

            for (long seq = 0; seq < roundTrips; seq++)
            {
                assertEquals(OfferStatus.OK, link.offer(frame, 0, TestFrames.encode(frame, seq)));
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (atClient.received() == seq && System.nanoTime() - deadlineNs < 0)
                {
                    link.poll(handler, 10);
                }
            }

            assertNull(atClient.firstError());
            assertEquals(roundTrips, atClient.received());
            System.out.printf(
                "HIGH ping-pong: %,d round trips; io_uring_enter per message: client %.2f, server %.2f%n",
                roundTrips,
                (link.enterCalls() - clientEntersBefore) / (double)roundTrips,
                (running.server.enterCalls() - serverEntersBefore) / (double)roundTrips);
        }
    }

    @Test
    void awaitCompletionParksUntilAFrameArrivesAndReturnsFalseOnTimeout() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final FrameChecker atClient = new FrameChecker();
        final OneShotSender oneShot = new OneShotSender();

        try (RunningServer running = RunningServer.start(
            socket,
            UringConfig.defaults(),
            (l, b, o, n) -> {},
            new UringServer.LinkListener()
            {
                @Override
                public void onAccepted(final UringLink link)
                {
                    oneShot.link = link;
                }

                @Override
                public void onClosed(final UringLink link, final String reason)
                {
                    serverClosedReason.set(reason);
                }
            },
            oneShot);
            UringLink link = UringLink.connect(socket, UringConfig.defaults()))
        {
            assertFalse(link.awaitCompletion(TimeUnit.MILLISECONDS.toNanos(50)), "nothing was sent");

            oneShot.send = true;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (0 == atClient.received() && System.nanoTime() - deadlineNs < 0)
            {
                if (link.awaitCompletion(TimeUnit.SECONDS.toNanos(1)))
                {
                    link.poll((t, b, o, n) -> atClient.onFrame(b, o, n), 10);
                }
            }

            assertEquals(1, atClient.received());
            assertNull(atClient.firstError());
            assertEquals(1, running.server.activeLinks());
        }
    }

    @Test
    void serverDeliversEveryFrameThenReportsTheLinkClosedWhenThePeerCloses() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final FrameChecker atServer = new FrameChecker();
        final int frames = 10_000;

        try (RunningServer running = RunningServer.start(
            socket, UringConfig.defaults(), (l, b, o, n) -> atServer.onFrame(b, o, n), recordingListener, null);
            Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(TestFrames.MAX_LENGTH));
            try (UringLink link = UringLink.connect(socket, UringConfig.defaults()))
            {
                for (long seq = 0; seq < frames; seq++)
                {
                    while (OfferStatus.OK != link.offer(frame, 0, TestFrames.encode(frame, seq)))
                    {
                        link.flush();
                    }
                }
                // No flush: close() writes what is queued before it shuts the socket down.
            }

            await(() -> null != serverClosedReason.get(), 10, TimeUnit.SECONDS, "the server to see the link close");
            assertNull(atServer.firstError());
            assertEquals(frames, atServer.received());
            assertEquals("peer closed the connection", serverClosedReason.get());
            await(() -> 0 == running.server.activeLinks(), 10, TimeUnit.SECONDS, "the link released");
        }
    }

    @Test
    void incompleteTrailingFrameIsDroppedAndNamedInTheCloseReason() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final FrameChecker atServer = new FrameChecker();

        try (RunningServer running = RunningServer.start(
            socket, UringConfig.defaults(), (l, b, o, n) -> atServer.onFrame(b, o, n), recordingListener, null))
        {
            try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                peer.connect(UnixDomainSocketAddress.of(socket));
                final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                for (long seq = 0; seq < 10; seq++)
                {
                    putFrame(bytes, seq);
                }
                final int completeEnd = bytes.position();
                putFrame(bytes, 10);
                bytes.limit(completeEnd + 7).flip();
                while (bytes.hasRemaining())
                {
                    peer.write(bytes);
                }
            }

            await(() -> null != serverClosedReason.get(), 10, TimeUnit.SECONDS, "the server to see the link close");
            assertNull(atServer.firstError());
            assertEquals(10, atServer.received());
            assertEquals(
                "peer closed the connection; 7 bytes of an incomplete frame dropped", serverClosedReason.get());
            await(() -> 0 == running.server.activeLinks(), 10, TimeUnit.SECONDS, "the link released");
        }
    }

    @Test
    void frameLengthOutsideTheLimitClosesTheLinkAsAProtocolError() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final FrameChecker atServer = new FrameChecker();
        final UringConfig config = UringConfig.defaults();

        try (RunningServer running = RunningServer.start(
            socket, config, (l, b, o, n) -> atServer.onFrame(b, o, n), recordingListener, null);
            SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            peer.connect(UnixDomainSocketAddress.of(socket));
            final ByteBuffer bytes = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
            putFrame(bytes, 0);
            bytes.putInt(config.receiveBufferLength()).putLong(1L).flip();
            while (bytes.hasRemaining())
            {
                peer.write(bytes);
            }

            await(() -> null != serverClosedReason.get(), 10, TimeUnit.SECONDS, "the server to close the link");
            assertEquals(1, atServer.received());
            assertEquals(
                "protocol error: frame length " + config.receiveBufferLength() + " outside [1, " +
                (config.receiveBufferLength() - 4) + "]",
                serverClosedReason.get());
            await(() -> 0 == running.server.activeLinks(), 10, TimeUnit.SECONDS, "the link released");
        }
    }

    @Test
    void linkClosedByTheServerDeliversItsQueuedFramesThenReportsThePeerGone() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final FrameChecker atClient = new FrameChecker();
        final int frames = 1000;

        try (RunningServer running = RunningServer.start(
            socket,
            UringConfig.defaults(),
            (l, b, o, n) -> {},
            new UringServer.LinkListener()
            {
                @Override
                public void onAccepted(final UringLink link)
                {
                    final SegmentBuffer frame = new SegmentBuffer(Arena.ofAuto().allocate(TestFrames.MAX_LENGTH));
                    for (long seq = 0; seq < frames; seq++)
                    {
                        assertEquals(OfferStatus.OK, link.offer(frame, 0, TestFrames.encode(frame, seq)));
                    }
                    link.close();
                    assertEquals(OfferStatus.CLOSED, link.offer(frame, 0, TestFrames.encode(frame, 0)));
                }

                @Override
                public void onClosed(final UringLink link, final String reason)
                {
                    serverClosedReason.set(reason);
                }
            },
            null);
            UringLink link = UringLink.connect(socket, UringConfig.defaults()))
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (link.isConnected() && System.nanoTime() - deadlineNs < 0)
            {
                link.poll((t, b, o, n) -> atClient.onFrame(b, o, n), 100);
            }
            link.poll((t, b, o, n) -> atClient.onFrame(b, o, n), Integer.MAX_VALUE);

            assertFalse(link.isConnected());
            assertEquals("peer closed the connection", link.closeReason());
            assertNull(atClient.firstError());
            assertEquals(frames, atClient.received());
            assertEquals(OfferStatus.NOT_CONNECTED, link.offer(new SegmentBuffer(Arena.ofAuto().allocate(8)), 0, 8));
            await(() -> null != serverClosedReason.get(), 10, TimeUnit.SECONDS, "the server to release the link");
            assertEquals("closed locally", serverClosedReason.get());
            await(() -> 0 == running.server.activeLinks(), 10, TimeUnit.SECONDS, "the link released");
        }
    }

    @Test
    void offerReturnsBackPressuredWhenEverySendSlotIsFullOrInFlight() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final UringConfig config = UringConfig.builder().closeLinger(100, TimeUnit.MILLISECONDS).build();

        // The server never runs its duty cycle: the connection waits in the backlog and nobody reads it.
        try (UringServer server = UringServer.bind(socket, config, (l, b, o, n) -> {}, recordingListener);
            UringLink link = UringLink.connect(socket, config);
            Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(1000));
            long offered = 0;
            int status = OfferStatus.OK;
            final long bound = 100_000;
            while (offered < bound)
            {
                status = link.offer(frame, 0, 1000);
                if (OfferStatus.OK != status)
                {
                    break;
                }
                offered++;
                link.flush();
            }

            assertEquals(OfferStatus.BACK_PRESSURED, status, "after " + offered + " frames of 1000 bytes");
            assertEquals(0, server.acceptedConnections(), "nobody accepted, nobody reads");
            assertTrue(link.isConnected());
            assertEquals(OfferStatus.BACK_PRESSURED, link.offer(frame, 0, 1000));
        }
    }

    @Test
    void offerRefusesFramesLongerThanTheMaxFrameLengthOrEmpty() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final UringConfig config = UringConfig.builder().sendSlotLength(4096).build();

        try (UringServer server = UringServer.bind(socket, config, (l, b, o, n) -> {}, recordingListener);
            UringLink link = UringLink.connect(socket, config);
            Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(8192));

            assertEquals(4092, link.maxFrameLength());
            assertEquals(0, server.activeLinks());
            assertEquals(OfferStatus.TOO_LARGE, link.offer(frame, 0, 4093));
            assertEquals(OfferStatus.TOO_LARGE, link.offer(frame, 0, 4000, frame, 0, 93));
            assertEquals(OfferStatus.REJECTED, link.offer(frame, 0, 0));
            assertEquals(OfferStatus.REJECTED, link.offer(frame, 0, -1, frame, 0, 2));
            assertEquals(OfferStatus.OK, link.offer(frame, 0, 4092));
        }
    }

    @Test
    void offerAfterCloseReturnsClosed() throws Exception
    {
        final Path socket = dir.resolve("high.sock");

        try (UringServer server = UringServer.bind(socket, UringConfig.defaults(), (l, b, o, n) -> {}, recordingListener);
            Arena arena = Arena.ofConfined())
        {
            final UringLink link = UringLink.connect(socket, UringConfig.defaults());
            link.close();
            link.close();

            assertTrue(link.isClosed());
            assertEquals(0, server.activeLinks());
            assertEquals(OfferStatus.CLOSED, link.offer(new SegmentBuffer(arena.allocate(8)), 0, 8));
            assertEquals(0, link.poll((t, b, o, n) -> {}, 10));
        }
    }

    @Test
    void connectWithoutAServerFailsNamingThePath()
    {
        final Path socket = dir.resolve("nobody-listens.sock");

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> UringLink.connect(socket, UringConfig.defaults()));

        assertTrue(ex.getMessage().contains(socket.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("ENOENT"), ex.getMessage());
    }

    @Test
    void serverRefusesConnectionsBeyondMaxConnections() throws Exception
    {
        final Path socket = dir.resolve("high.sock");
        final UringConfig config = UringConfig.builder().maxConnections(1).build();

        try (RunningServer running = RunningServer.start(socket, config, (l, b, o, n) -> {}, recordingListener, null);
            UringLink first = UringLink.connect(socket, config))
        {
            await(() -> 1 == serverAccepted.get(), 10, TimeUnit.SECONDS, "the first connection");
            try (UringLink second = UringLink.connect(socket, config))
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (second.isConnected() && System.nanoTime() - deadlineNs < 0)
                {
                    second.poll((t, b, o, n) -> {}, 10);
                }

                assertFalse(second.isConnected());
                assertEquals("peer closed the connection", second.closeReason());
            }
            await(() -> 1 == running.server.rejectedConnections(), 10, TimeUnit.SECONDS, "the rejection count");
            assertEquals(
                "connection refused: all 1 links in use (switchboard.uring.max.connections)",
                running.server.lastRejection());
            assertTrue(first.isConnected());
        }
    }

    private static void putFrame(final ByteBuffer bytes, final long seq)
    {
        final int length = TestFrames.length(seq);
        bytes.putInt(length).putLong(seq);
        for (int i = TestFrames.MIN_LENGTH; i < length; i++)
        {
            bytes.put((byte)(seq + i));
        }
    }

    /**
     * Runs in the server's duty cycle: sends frame 0 once {@link #send} is set.
     */
    private static final class OneShotSender implements Agent
    {
        private final SegmentBuffer frame = new SegmentBuffer(Arena.ofAuto().allocate(TestFrames.MAX_LENGTH));
        volatile boolean send;
        UringLink link;

        @Override
        public int doWork()
        {
            if (send && null != link)
            {
                send = false;
                assertEquals(OfferStatus.OK, link.offer(frame, 0, TestFrames.encode(frame, 0)));
                return 1;
            }
            return 0;
        }

        @Override
        public String roleName()
        {
            return "one-shot-sender";
        }
    }

    /**
     * Runs in the server's duty cycle: sends frames 0..count-1 to the accepted link as fast as it takes them.
     */
    private static final class ServerSideSender implements Agent
    {
        private final long count;
        private final SegmentBuffer frame = new SegmentBuffer(Arena.ofAuto().allocate(TestFrames.MAX_LENGTH));
        private long sent;
        UringLink link;

        ServerSideSender(final long count)
        {
            this.count = count;
        }

        @Override
        public int doWork()
        {
            int work = 0;
            if (null != link)
            {
                while (sent < count && work < 1024 &&
                    OfferStatus.OK == link.offer(frame, 0, TestFrames.encode(frame, sent)))
                {
                    sent++;
                    work++;
                }
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "server-side-sender";
        }
    }
}
