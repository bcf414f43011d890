/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ipc.fuzz;

import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.RouterProcess;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, target 2: a live router ({@link RouterProcess}: real control socket, real sessions) attacked through raw
 * Unix domain sockets, while a well-behaved sender and receiver ({@link GoodTraffic}, real clients on their own
 * connections) exchange numbered messages that must all arrive, in order. Attacks:
 * <ul>
 *     <li>malformed SBE frames inside correct socket framing: each is refused with an {@code Error} and counted
 *     under the same {@link FrameError} a local validator gives it; the connection stays open;</li>
 *     <li>broken socket framing (length prefix zero, negative, over the maximum; a frame cut off by a close): the
 *     router closes that connection and counts {@link RouterCounter#REJECTED_FRAMING};</li>
 *     <li>a flood of registrations on short-lived connections, with distinct, duplicate, oversized and empty names:
 *     each is answered ({@code Registered} or {@code Error}) and counted.</li>
 * </ul>
 * Sizes: {@code switchboard.fuzz.router.frames} (default {@value #DEFAULT_FRAMES}) and
 * {@code switchboard.fuzz.router.registrations} (default {@value #DEFAULT_REGISTRATIONS}).
 */
class RouterSocketFuzzTest
{
    static final int DEFAULT_FRAMES = 20_000;
    static final int DEFAULT_REGISTRATIONS = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void routerSurvivesCountsAndKeepsGoodTrafficFlowingUnderMalformedFramesBrokenFramingAndARegistrationFlood()
        throws Exception
    {
        final int frames = Integer.getInteger("switchboard.fuzz.router.frames", DEFAULT_FRAMES);
        final int registrations = Integer.getInteger("switchboard.fuzz.router.registrations", DEFAULT_REGISTRATIONS);
        final long seed = Long.getLong("switchboard.fuzz.seed", 0x5EED_F022L);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        // The attacking connection never registers: the handshake deadline must not cut the campaign short.
        try (RouterProcess process = RouterProcess.launch(
                new RouterContext().handshakeTimeoutNs(java.util.concurrent.TimeUnit.MINUTES.toNanos(10)), ipc);
            GoodTraffic good = new GoodTraffic(ipc, Priority.NORMAL))
        {
            final Router router = process.router();
            good.start();
            good.awaitReceived(100, 30_000);

            final long start = System.nanoTime();
            final long receivedBefore = good.received();
            malformedFramesAreRefusedAndCounted(router, ipc, frames, seed);
            final long framesNs = System.nanoTime() - start;
            brokenFramingClosesTheConnectionAndIsCounted(router, ipc);
            final long floodStart = System.nanoTime();
            registrationFloodIsAnsweredAndCounted(router, ipc, registrations);
            final long floodNs = System.nanoTime() - floodStart;
            final long receivedDuring = good.received() - receivedBefore;

            final long sent = good.stop();
            System.out.printf("router fuzz: %,d malformed frames in %.1f s (%,.0f/s), %,d registrations in %.1f s " +
                "(%,.0f/s); good traffic: %,d messages in order, %,d of them during the attacks; counters: %s%n",
                frames, framesNs / 1e9, frames * 1e9 / framesNs, registrations, floodNs / 1e9,
                registrations * 1e9 / floodNs, sent, receivedDuring, router.rejections());
            assertTrue(receivedDuring > 0, "good traffic flowed while the router was attacked");
        }
    }

    private static void malformedFramesAreRefusedAndCounted(
        final Router router, final IpcContext ipc, final int count, final long seed) throws IOException
    {
        final int maxFrameLength = router.ingress().maxMessageLength();
        final FrameRejections expected = new FrameRejections();
        final FrameValidator validator = new FrameValidator(Math.min(maxFrameLength, WireLimits.MAX_FRAME_LENGTH),
            expected);
        final FrameRejections actual = router.rejections();
        final long[] before = snapshot(actual);
        final RawFrames generator = new RawFrames(seed);
        int sent = 0;
        try (RawConnection connection = RawConnection.open(ipc.socketPath()))
        {
            for (int i = 0; i < count; i++)
            {
                final byte[] frame = generator.next();
                if (frame.length > maxFrameLength)
                {
                    continue;
                }
                validator.validate(new UnsafeBuffer(frame), 0, frame.length);
                connection.send(frame);
                sent++;
            }
            // A frame the router serves last: its answer means everything before it was handled.
            connection.send(RawFrames.lookup("Receiver"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (totalDelta(actual, before) < expected.total())
            {
                connection.drain();
                assertTrue(System.nanoTime() < deadline, "router counted " + totalDelta(actual, before) +
                    " rejections of the " + expected.total() + " expected: " + actual);
                assertTrue(connection.isOpen(), "router closed a connection whose framing was correct");
            }
            connection.drain();
            assertTrue(connection.isOpen(), "a malformed SBE frame in correct framing must not close the connection");
            assertTrue(connection.framesReceived() > 0, "the router answered");
        }

        for (final FrameError error : FrameError.values())
        {
            assertEquals(expected.count(error), actual.count(error) - before[error.ordinal()],
                "router's count of " + error + " after " + sent + " frames");
        }
        assertTrue(expected.total() > sent / 2, "most mutated frames are malformed: " + expected);
    }

    private static void brokenFramingClosesTheConnectionAndIsCounted(final Router router, final IpcContext ipc)
        throws Exception
    {
        final long before = router.counters().block().get(RouterCounter.REJECTED_FRAMING);
        final int maxFrameLength = router.ingress().maxMessageLength();
        final int[] badLengths = {0, -1, Integer.MIN_VALUE, maxFrameLength + 1, Integer.MAX_VALUE};
        for (final int length : badLengths)
        {
            try (RawConnection connection = RawConnection.open(ipc.socketPath()))
            {
                connection.sendRaw(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(length).putLong(0)
                    .flip());
                assertTrue(connection.awaitClosedByPeer(10_000), "router kept a connection that sent length " + length);
            }
        }
        // A frame cut off by the sender's close: not a protocol error, just a peer gone; the router must carry on.
        try (RawConnection connection = RawConnection.open(ipc.socketPath()))
        {
            connection.sendRaw(ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putInt(100).putShort((short)1)
                .flip());
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.counters().block().get(RouterCounter.REJECTED_FRAMING) - before < badLengths.length)
        {
            assertTrue(System.nanoTime() < deadline, "framing errors counted: " +
                (router.counters().block().get(RouterCounter.REJECTED_FRAMING) - before));
            Thread.sleep(1);
        }
        assertEquals(badLengths.length, router.counters().block().get(RouterCounter.REJECTED_FRAMING) - before);
    }

    private static void registrationFloodIsAnsweredAndCounted(
        final Router router, final IpcContext ipc, final int count) throws Exception
    {
        final long registeredBefore = router.counters().block().get(RouterCounter.REGISTRATIONS);
        final long refusedBefore = router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED);
        final int batch = 25;
        int registered = 0;
        int refused = 0;
        int expectedRefused = 0;
        for (int done = 0, round = 0; done < count; round++)
        {
            final List<RawConnection> connections = new ArrayList<>();
            final Set<String> taken = new HashSet<>();
            try
            {
                for (int k = 0; k < batch && done < count; k++, done++)
                {
                    final String name = switch (k % 5)
                    {
                        case 0, 1 -> "flood-" + round + "-" + k;
                        case 2 -> "dup-" + round;
                        case 3 -> "x".repeat(WireLimits.MAX_NAME_LENGTH + 1 + k);
                        default -> k % 10 == 4 ? "" : "dup-" + round;
                    };
                    final boolean valid = !name.isEmpty() && name.length() <= WireLimits.MAX_NAME_LENGTH;
                    expectedRefused += valid && taken.add(name) ? 0 : 1;
                    final RawConnection connection = RawConnection.open(ipc.socketPath());
                    connections.add(connection);
                    connection.send(RawFrames.register(done, name, ""));
                }
                for (final RawConnection connection : connections)
                {
                    final int templateId = connection.awaitReply(10_000);
                    if (templateId == RegisteredDecoder.TEMPLATE_ID)
                    {
                        registered++;
                    }
                    else if (templateId == ErrorDecoder.TEMPLATE_ID)
                    {
                        refused++;
                    }
                    else
                    {
                        throw new AssertionError("registration answered with template " + templateId);
                    }
                }
            }
            finally
            {
                for (final RawConnection connection : connections)
                {
                    connection.close();
                }
            }
        }

        assertEquals(count, registered + refused, "every registration answered");
        assertEquals(expectedRefused, refused, "duplicate, oversized and empty names refused");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.counters().block().get(RouterCounter.REGISTRATIONS) - registeredBefore != registered ||
            router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED) - refusedBefore != refused)
        {
            assertTrue(System.nanoTime() < deadline, "registrations counted " +
                (router.counters().block().get(RouterCounter.REGISTRATIONS) - registeredBefore) + "/" + registered +
                ", refusals " + (router.counters().block().get(RouterCounter.REGISTRATIONS_REFUSED) - refusedBefore) +
                "/" + refused);
            Thread.sleep(1);
        }
    }

    private static long[] snapshot(final FrameRejections rejections)
    {
        final long[] counts = new long[FrameError.values().length];
        for (final FrameError error : FrameError.values())
        {
            counts[error.ordinal()] = rejections.count(error);
        }
        return counts;
    }

    private static long totalDelta(final FrameRejections rejections, final long[] before)
    {
        long delta = 0;
        for (final FrameError error : FrameError.values())
        {
            delta += rejections.count(error) - before[error.ordinal()];
        }
        return delta;
    }

    /**
     * A raw client of the control socket: length-prefixed frames out, replies read and counted, no client library.
     */
    static final class RawConnection implements AutoCloseable
    {
        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final ByteBuffer out = ByteBuffer.allocate(1 << 17).order(ByteOrder.LITTLE_ENDIAN);
        private long framesReceived;
        private int lastTemplateId;
        private boolean peerClosed;

        private RawConnection(final SocketChannel channel)
        {
            this.channel = channel;
        }

        static RawConnection open(final Path socketPath) throws IOException
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            channel.configureBlocking(false);
            return new RawConnection(channel);
        }

        void send(final byte[] frame) throws IOException
        {
            out.clear();
            out.putInt(frame.length).put(frame).flip();
            sendRaw(out);
        }

        void sendRaw(final ByteBuffer bytes) throws IOException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bytes.hasRemaining())
            {
                if (channel.write(bytes) == 0)
                {
                    drain();
                    if (System.nanoTime() > deadline)
                    {
                        throw new AssertionError("router stopped reading this connection");
                    }
                    Thread.onSpinWait();
                }
            }
        }

        /**
         * Read what has arrived and count whole frames.
         */
        void drain() throws IOException
        {
            if (peerClosed)
            {
                return;
            }
            final int n;
            try
            {
                n = channel.read(in);
            }
            catch (final IOException ex)
            {
                peerClosed = true;
                return;
            }
            if (n < 0)
            {
                peerClosed = true;
            }
            in.flip();
            while (in.remaining() >= 4 && in.remaining() >= 4 + in.getInt(in.position()))
            {
                final int length = in.getInt();
                final int templateId = in.getShort(in.position() + 2) & 0xFFFF;
                in.position(in.position() + length);
                if (templateId != ChallengeDecoder.TEMPLATE_ID) // every connection is challenged first: not a reply
                {
                    lastTemplateId = templateId;
                    framesReceived++;
                }
            }
            in.compact();
        }

        int awaitReply(final long timeoutMs) throws IOException, InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (framesReceived == 0)
            {
                drain();
                if (peerClosed || System.nanoTime() > deadline)
                {
                    throw new AssertionError("no reply" + (peerClosed ? ": router closed the connection" : ""));
                }
                Thread.sleep(0, 100_000);
            }
            return lastTemplateId;
        }

        boolean awaitClosedByPeer(final long timeoutMs) throws IOException, InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!peerClosed && System.nanoTime() < deadline)
            {
                drain();
                Thread.sleep(1);
            }
            return peerClosed;
        }

        boolean isOpen()
        {
            return !peerClosed;
        }

        long framesReceived()
        {
            return framesReceived;
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }
}
