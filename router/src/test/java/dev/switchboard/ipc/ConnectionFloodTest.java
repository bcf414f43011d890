/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 1 as a load test: while 2,000 connections are opened and held without registering and another 2,000
 * connect and close at once, a NORMAL stream between two registered agents keeps flowing with nothing lost, duplicated
 * or reordered; afterwards a new agent registers, the router's descriptors return to where they were, and its duty
 * cycle is alive. Before this work, such a flood starved the duty cycle, expired the agents' leases and dropped
 * messages accepted with {@code OK}.
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConnectionFloodTest
{
    private static final int HELD = 2_000;
    private static final int CHURN = 2_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aConnectionFloodNeitherStarvesNorLosesLegitimateTraffic(final String engine) throws Exception
    {
        try (RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine),
                new IpcContext().underDirectory(dir).disabledTiers("HIGH,CRITICAL"));
            SwitchboardClient sender = client(router);
            SwitchboardClient receiver = client(router))
        {
            sender.register("Sender");
            receiver.register("Receiver");
            final long receiverId = sender.agentIdOf("Receiver");
            final long fdsBefore = openDescriptors();
            final long directBefore = directMemoryUsed();

            final AtomicBoolean flooding = new AtomicBoolean(true);
            final AtomicLong peakDirect = new AtomicLong(directBefore);
            final long buffersBefore = router.connectionBufferBytes();
            final AtomicLong peakBuffers = new AtomicLong(buffersBefore);
            final AtomicReference<Throwable> floodFailure = new AtomicReference<>();
            final List<SocketChannel> held = new ArrayList<>();
            final Thread flood = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < Math.max(HELD, CHURN); i++)
                    {
                        if (i < HELD)
                        {
                            final SocketChannel channel = tryConnect(router);
                            if (channel != null)
                            {
                                held.add(channel);
                            }
                        }
                        if (i < CHURN)
                        {
                            final SocketChannel channel = tryConnect(router);
                            if (channel != null)
                            {
                                channel.close();
                            }
                        }
                        if ((i & 15) == 0)
                        {
                            peakDirect.accumulateAndGet(directMemoryUsed(), Math::max);
                            peakBuffers.accumulateAndGet(router.connectionBufferBytes(), Math::max);
                        }
                    }
                }
                catch (final Throwable t)
                {
                    floodFailure.set(t);
                }
                finally
                {
                    flooding.set(false);
                }
            }, "flood");

            // The legitimate stream, before, during and after the flood.
            final SegmentBuffer payload = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 8);
            long sent = 0;
            final long[] received = {0};
            long receivedDuringFlood = 0;
            flood.start();
            final long floodStart = System.nanoTime();
            while (flooding.get())
            {
                sent = sendSome(sender, receiverId, payload, sent, 64);
                final long before = received[0];
                receiver.poll(m -> assertEquals(received[0]++, m.buffer().getLong(m.payloadOffset()),
                    "in order, none lost, none duplicated"));
                receivedDuringFlood += received[0] - before;
            }
            final double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            flood.join();
            assertNull(floodFailure.get(), () -> "the flood itself failed: " + floodFailure.get());
            for (final SocketChannel channel : held)
            {
                channel.close();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received[0] < sent)
            {
                sender.poll(m -> { });
                receiver.poll(m -> assertEquals(received[0]++, m.buffer().getLong(m.payloadOffset())));
                assertTrue(System.nanoTime() < deadline, "received " + received[0] + " of " + sent);
            }

            System.out.printf("flood of %,d held and %,d churned connections over %.1f s: %,d messages sent with OK, " +
                "%,d received during the flood (%,.0f/s), all %,d in order; direct memory %,d -> peak %,d bytes; " +
                "connection buffers %,d -> peak %,d bytes; " +
                "refused: %d unregistered-limit, %d per-user, %d no-memory; %d closed by the handshake deadline%n",
                HELD, CHURN, floodSeconds, sent, receivedDuringFlood, receivedDuringFlood / floodSeconds, received[0],
                directBefore, peakDirect.get(), buffersBefore, peakBuffers.get(),
                counter(router, RouterCounter.CONNECTIONS_REFUSED_UNAUTHENTICATED),
                counter(router, RouterCounter.CONNECTIONS_REFUSED_PER_USER),
                counter(router, RouterCounter.CONNECTIONS_REFUSED_NO_MEMORY),
                counter(router, RouterCounter.HANDSHAKE_TIMEOUTS));
            assertTrue(receivedDuringFlood > 0, "the stream kept flowing during the flood");
            // The stated bound: the registered connections' buffers, plus a handshake buffer pair for each connection
            // allowed to wait for its registration.
            final RouterContext settings = router.router().context();
            final long bound = buffersBefore +
                (long)settings.maxUnregisteredConnections() * 2 * settings.handshakeBufferBytes();
            assertTrue(peakBuffers.get() <= bound, "connection buffers peaked at " + peakBuffers.get() +
                " bytes, over the bound " + bound);
            assertEquals(sent, received[0]);
            assertEquals(0, counter(router, RouterCounter.LEASES_EXPIRED), () -> "no lease expired under the flood; " +
                router.highServerState() + "\n" + router.router().counters().report());
            assertTrue(counter(router, RouterCounter.CONNECTIONS_REFUSED_UNAUTHENTICATED) > 0, "the limit refused");

            // A new agent registers; the router's descriptors come back; its duty cycle is alive.
            try (SwitchboardClient late = client(router))
            {
                late.register("Late");
                assertNotNull(sender.lookup("Late"));
            }
            final long fdDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (openDescriptors() > fdsBefore + 2)
            {
                assertTrue(System.nanoTime() < fdDeadline, "descriptors back to " + fdsBefore + ": " +
                    openDescriptors());
                sender.poll(m -> { });
                receiver.poll(m -> { });
                Thread.sleep(10);
            }
            assertFalse(router.terminated().isDone(), "the router's duty cycle is alive");
        }
    }

    private static long sendSome(
        final SwitchboardClient sender, final long receiverId, final SegmentBuffer payload, final long from,
        final int count)
    {
        long sent = from;
        for (int i = 0; i < count; i++)
        {
            payload.putLong(0, sent);
            if (sender.send(receiverId, Priority.NORMAL, payload, 0, 8) != OfferStatus.OK)
            {
                break;
            }
            sent++;
        }
        sender.poll(m -> { });
        return sent;
    }

    private static SocketChannel tryConnect(final RouterProcess router) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(router.ipcContext().socketPath()));
            return channel;
        }
        catch (final IOException e)
        {
            channel.close(); // the listen queue is full: the router accepts at its own pace
            return null;
        }
    }

    private static SwitchboardClient client(final RouterProcess router)
    {
        return SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(router.ipcContext())));
    }

    private static long counter(final RouterProcess router, final RouterCounter counter)
    {
        return router.router().counters().block().get(counter);
    }

    private static long openDescriptors() throws IOException
    {
        try (var fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }

    private static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
