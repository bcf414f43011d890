/*
 * Copyright 2025 Switchboard contributors.
 */
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quiet router (issue 11 item 3) with real sockets and shared memory: an idle router sleeps until its next
 * deadline and is woken by what it must see (a socket, an in-process agent); an agent with an inbox keeps its lease by
 * the heartbeat it writes into its inbox header, sending no frames; the router signals an agent through its inbox
 * after writing to its control socket; socket frames are routed without an ingress hop; and a full receiver holds back
 * only the senders writing to it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QuietRouterTest
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
    void anIdleRouterWithAgentsConnectedWakesAtMostTenTimesASecond(final String engine) throws Exception
    {
        // NIO engine (HIGH off): every socket is in the one selector the router waits in.
        idleRouterWakeUps(engine, new IpcContext().underDirectory(dir).disabledTiers("HIGH"));
    }

    @ParameterizedTest
    @Tag("slow")
    @ValueSource(strings = {"uring", "nio"})
    void anIdleRouterWithHighLinksAttachedWakesAtMostTenTimesASecond(final String engine) throws Exception
    {
        // HIGH on: the agents attach io_uring links; the router waits on its selector and its ring at once.
        idleRouterWakeUps(engine, new IpcContext().underDirectory(dir));
    }

    private void idleRouterWakeUps(final String engine, final IpcContext settings) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine), settings);
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        for (int i = 0; i < 2; i++)
        {
            final SwitchboardClient client = client(ipc);
            client.register("Idle-" + i);
            keepPolling(client);
        }
        Thread.sleep(1_000); // registration traffic settles

        final Path routerThread = routerThreadStatus();
        final long switchesBefore = voluntarySwitches(routerThread);
        final long parksBefore = router.router().counters().block().get(RouterCounter.ROUTER_PARKS);
        final long pollsBefore = router.router().counters().block().get(RouterCounter.ROUTER_IO_POLLS);
        final long startNs = System.nanoTime();
        Thread.sleep(3_000);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final long wakeUps = voluntarySwitches(routerThread) - switchesBefore;
        final long parks = router.router().counters().block().get(RouterCounter.ROUTER_PARKS) - parksBefore;
        final long polls = router.router().counters().block().get(RouterCounter.ROUTER_IO_POLLS) - pollsBefore;

        System.out.printf("idle router, 2 agents (engine %s, HIGH %s): %d wake-ups (voluntary context switches), " +
            "%d parks, %d readiness system calls in %.1f s = %.1f wake-ups/s%n", router.engine(),
            settings.isDisabled("HIGH") ? "off" : "on", wakeUps, parks, polls, seconds, wakeUps / seconds);
        assertTrue(wakeUps <= 10 * seconds, "an idle router woke " + wakeUps + " times in " + seconds + " s");
        assertTrue(parks <= 10 * seconds, "an idle router parked " + parks + " times in " + seconds + " s");
        assertTrue(polls <= 2 * parks + 2, "readiness checks (" + polls + ") only after waking (" + parks + " parks)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aParkedRouterIsWokenByAnAgentInItsProcess(final String engine) throws Exception
    {
        // Parks up to 30 s and a 60 s lease (heartbeats every 15 s): only a wake-up can make the router route the
        // frames below within seconds.
        final RouterContext routerContext = new RouterContext().engine(engine).idleMaxParkNs(TimeUnit.SECONDS.toNanos(30))
            .defaultLeaseNs(TimeUnit.SECONDS.toNanos(60)).maxLeaseNs(TimeUnit.SECONDS.toNanos(60));
        final RouterProcess router = RouterProcess.launch(routerContext, new IpcContext().underDirectory(dir));
        toClose.add(router);
        final InProcessHub hub = new InProcessHub(router.router());
        final SwitchboardClient publisher = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
        final SwitchboardClient subscriber = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
        toClose.add(publisher);
        toClose.add(subscriber);
        publisher.register("Publisher");
        subscriber.register("Subscriber");
        final long topic = subscriber.subscribe("news");
        final SegmentBuffer payload = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 8);

        for (int round = 0; round < 5; round++)
        {
            awaitParked(router);
            payload.putLong(0, round);
            assertEquals(OfferStatus.OK, publisher.publish(topic, Priority.NORMAL, payload, 0, 8));
            final long startNs = System.nanoTime();
            final long[] got = {-1};
            while (got[0] != round)
            {
                subscriber.poll(m -> got[0] = m.buffer().getLong(m.payloadOffset()));
                if (System.nanoTime() - startNs > TimeUnit.SECONDS.toNanos(10))
                {
                    fail("round " + round + ": the parked router was not woken by the in-process publish");
                }
            }
        }
    }

    @ParameterizedTest
    @Tag("slow")
    @ValueSource(strings = {"uring", "nio"})
    void anAgentWithAnInboxKeepsItsLeaseByItsSharedMemoryHeartbeatAloneAndLosesItWhenItStops(final String engine) throws Exception
    {
        final RouterContext routerContext = new RouterContext().engine(engine)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(500)).maxLeaseNs(TimeUnit.MILLISECONDS.toNanos(500));
        final RouterProcess router = RouterProcess.launch(routerContext, new IpcContext().underDirectory(dir));
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        Files.createDirectories(ipc.shmDir());
        final InboxFile inbox = InboxFile.create(ipc.shmDir(), "Quiet", 4096);
        toClose.add(inbox);
        final RawAgent agent = RawAgent.connect(ipc.socketPath());
        toClose.add(agent);
        inbox.heartbeat();
        agent.register("Quiet", inbox.path().toString(), 500);

        final AtomicBoolean beating = new AtomicBoolean(true);
        final Thread heart = new Thread(() ->
        {
            while (beating.get())
            {
                inbox.heartbeat();
                sleep(50);
            }
        }, "shm-heartbeat");
        heart.start();
        final SwitchboardClient observer = client(ipc);
        observer.register("Observer");
        try
        {
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) // six leases, and not one Heartbeat frame from "Quiet"
            {
                observer.poll(m -> { }); // the observer heartbeats as usual
                Thread.sleep(5);
            }
            assertNotNull(observer.lookup("Quiet"), "the shared-memory heartbeat kept the lease");
            assertEquals(0, router.router().counters().block().get(RouterCounter.LEASES_EXPIRED));
        }
        finally
        {
            beating.set(false);
            heart.join();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (observer.lookup("Quiet") != null)
        {
            assertTrue(System.nanoTime() < deadline, "the lease outlived the heartbeat");
            observer.poll(m -> { });
            Thread.sleep(5);
        }
        assertEquals(1, router.router().counters().block().get(RouterCounter.LEASES_EXPIRED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void theRouterSignalsAnAgentThroughItsInboxAfterWritingToItsControlSocket(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine), new IpcContext().underDirectory(dir));
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        final IpcConnection receiverConnection = IpcConnection.connect(ipc);
        final SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(receiverConnection));
        toClose.add(receiver);
        receiver.register("Receiver");
        final SwitchboardClient sender = client(ipc);
        sender.register("Sender");
        final long receiverId = sender.agentIdOf("Receiver");
        final InboxFile view = InboxFile.open(Path.of(receiverConnection.inboxPath()));
        toClose.add(view);

        final long before = view.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET);
        final SegmentBuffer payload = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 8);
        for (int i = 0; i < 100; i++)
        {
            payload.putLong(0, i);
            while (sender.send(receiverId, Priority.NORMAL, payload, 0, 8) != OfferStatus.OK)
            {
                sender.poll(m -> { });
            }
        }
        final long[] got = {0};
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got[0] < 100)
        {
            receiver.poll(m -> got[0]++);
            sender.poll(m -> { }); // a client writes its socket from poll
            assertTrue(System.nanoTime() < deadline, "received " + got[0] + " of 100");
        }
        final long signals = view.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET) - before;
        System.out.println("control signals for 100 NORMAL messages: " + signals);
        assertTrue(signals >= 1, "the router signalled the receiver's inbox after writing to its socket");
        assertTrue(signals <= 100, "at most once per flush, not per frame: " + signals);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void socketFramesAreRoutedStraightFromTheSendersBufferWithoutAnIngressHop(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine),
            new IpcContext().underDirectory(dir).disabledTiers("HIGH"));
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        final SwitchboardClient receiver = client(ipc);
        receiver.register("Receiver");
        final long topic = receiver.subscribe("t");
        final SwitchboardClient sender = client(ipc);
        sender.register("Sender");
        final long ingressBefore = router.router().counters().block().get(RouterCounter.INGRESS_FRAMES);
        final long directBefore = router.router().counters().block().get(RouterCounter.SESSION_FRAMES);

        final int count = 1_000;
        final SegmentBuffer payload = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 8);
        final long[] next = {0};
        for (int i = 0; i < count; i++)
        {
            payload.putLong(0, i);
            while (sender.publish(topic, Priority.NORMAL, payload, 0, 8) != OfferStatus.OK)
            {
                sender.poll(m -> { });
                receiver.poll(m -> assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset())));
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (next[0] < count)
        {
            receiver.poll(m -> assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset())));
            sender.poll(m -> { });
            assertTrue(System.nanoTime() < deadline, "received " + next[0] + " of " + count);
        }
        assertEquals(0, router.router().counters().block().get(RouterCounter.INGRESS_FRAMES) - ingressBefore,
            "no socket frame went through the ingress");
        assertTrue(router.router().counters().block().get(RouterCounter.SESSION_FRAMES) - directBefore >= count);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aFullReceiverHoldsBackOnlyTheSendersWritingToIt(final String engine) throws Exception
    {
        final RouterContext routerContext = new RouterContext().engine(engine)
            .defaultLeaseNs(TimeUnit.SECONDS.toNanos(30)).maxLeaseNs(TimeUnit.SECONDS.toNanos(30));
        final RouterProcess router = RouterProcess.launch(routerContext,
            new IpcContext().underDirectory(dir).disabledTiers("HIGH,CRITICAL"));
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        final SwitchboardClient stuck = client(ipc); // registers, then does not read until the end
        stuck.register("Stuck");
        final SwitchboardClient flooder = client(ipc);
        flooder.register("Flooder");
        final SwitchboardClient other = client(ipc);
        other.register("Other");
        final SwitchboardClient otherReceiver = client(ipc);
        otherReceiver.register("OtherReceiver");
        final long stuckId = flooder.agentIdOf("Stuck");
        final long otherReceiverId = other.agentIdOf("OtherReceiver");
        final long stallsBefore = router.router().counters().block().get(RouterCounter.ROUTER_STALLS);

        // Flood the stuck receiver until the back-pressure reaches the flooder.
        final SegmentBuffer payload = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 256);
        long flooded = 0;
        final long floodDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            payload.putLong(0, flooded);
            final int status = flooder.send(stuckId, Priority.NORMAL, payload, 0, 256);
            if (status == OfferStatus.OK)
            {
                flooded++;
                continue;
            }
            assertEquals(OfferStatus.BACK_PRESSURED, status);
            if (router.router().counters().block().get(RouterCounter.ROUTER_STALLS) > stallsBefore)
            {
                break;
            }
            flooder.poll(m -> { });
            assertTrue(System.nanoTime() < floodDeadline, "no back-pressure after " + flooded + " messages");
        }

        // Meanwhile other senders and receivers keep flowing.
        final long[] got = {0};
        for (int i = 0; i < 200; i++)
        {
            payload.putLong(0, i);
            while (other.send(otherReceiverId, Priority.NORMAL, payload, 0, 8) != OfferStatus.OK)
            {
                other.poll(m -> { });
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got[0] < 200)
        {
            otherReceiver.poll(m -> assertEquals(got[0]++, m.buffer().getLong(m.payloadOffset())));
            other.poll(m -> { });
            assertTrue(System.nanoTime() < deadline, "other traffic stalled behind the full receiver: " + got[0]);
        }

        // The stuck receiver reads at last: every flooded message arrives once, in order.
        final long[] next = {0};
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (next[0] < flooded)
        {
            stuck.poll(m -> assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset()), "in order, once"));
            flooder.poll(m -> { });
            assertTrue(System.nanoTime() < drainDeadline, "received " + next[0] + " of " + flooded);
        }
        System.out.println("held back after " + flooded + " messages; other traffic flowed; all arrived in order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void aHighLinkWhoseFirstWriteCarriesItsAttachAndItsFramesDeliversEveryFrame(final String engine) throws Exception
    {
        final RouterProcess router = RouterProcess.launch(new RouterContext().engine(engine),
            new IpcContext().underDirectory(dir));
        toClose.add(router);
        final IpcContext ipc = router.ipcContext();
        assumeTrue(ipc.highSocketPath() != null && Files.exists(ipc.highSocketPath()), "HIGH does not run here");
        final SwitchboardClient receiver = client(ipc);
        receiver.register("Receiver");
        final RawAgent sender = RawAgent.connect(ipc.socketPath());
        toClose.add(sender);
        final long senderId = sender.register("Sender", "", 60_000);

        // One write on a new HIGH link: the Heartbeat that attaches it, then the frames, and nothing after them (a
        // sender that sends a burst and waits). The router must route every frame that came with the attach.
        final int frames = 5;
        final ByteBuffer out = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int heartbeatLength = MessageHeaderEncoder.ENCODED_LENGTH + new HeartbeatEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).agentId(senderId).timestampNs(1).encodedLength();
        out.putInt(heartbeatLength).put(frame.byteArray(), 0, heartbeatLength);
        for (int i = 0; i < frames; i++)
        {
            final EnvelopeEncoder envelope = new EnvelopeEncoder().wrapAndApplyHeader(frame, 0,
                new MessageHeaderEncoder()).sourceAgentId(senderId).targetId(receiver.agentId()).correlationId(0)
                .timestampNs(0).flags(0).targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(Priority.HIGH);
            final byte[] payload = new byte[8];
            payload[0] = (byte)i;
            envelope.putPayload(payload, 0, payload.length);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + envelope.encodedLength();
            out.putInt(length).put(frame.byteArray(), 0, length);
        }
        out.flip();
        try (SocketChannel high = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            high.connect(UnixDomainSocketAddress.of(ipc.highSocketPath()));
            assertEquals(out.remaining(), high.write(out), "one write");
            final List<Integer> seen = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < frames && System.nanoTime() < deadline)
            {
                receiver.poll(m -> seen.add((int)m.buffer().getByte(m.payloadOffset())));
            }
            assertEquals(List.of(0, 1, 2, 3, 4), seen, router.highServerState());
        }
    }

    private SwitchboardClient client(final IpcContext ipc)
    {
        final SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
        toClose.add(client);
        return client;
    }

    private void keepPolling(final SwitchboardClient client)
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong polls = new AtomicLong();
        final Thread thread = new Thread(() ->
        {
            while (running.get())
            {
                client.idleStrategy().idle(client.poll(m -> { }));
                polls.incrementAndGet();
            }
        }, "poller");
        thread.start();
        // Closed before the client (toClose runs in reverse).
        toClose.add(() ->
        {
            running.set(false);
            thread.join(10_000);
        });
    }

    private static void awaitParked(final RouterProcess router) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!router.router().ingress().isParked())
        {
            assertTrue(System.nanoTime() < deadline, "the router never parked");
            Thread.sleep(1);
        }
        Thread.sleep(20); // now inside its 30 s wait
    }

    /** The status file of the router's duty-cycle thread (named after its role, cut to 15 bytes by the kernel). */
    private static Path routerThreadStatus() throws IOException
    {
        try (var tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                final String comm = Files.readString(task.resolve("comm")).trim();
                if ("switchboard-router".startsWith(comm) && comm.length() >= 12)
                {
                    return task.resolve("status");
                }
            }
        }
        fail("no thread named switchboard-router");
        return null;
    }

    private static long voluntarySwitches(final Path status) throws IOException
    {
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("voluntary_ctxt_switches:"))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        fail("no voluntary_ctxt_switches in " + status);
        return 0;
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
