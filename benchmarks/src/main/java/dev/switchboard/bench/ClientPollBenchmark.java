/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.CloseHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The client's data path as an application calls it, the whole {@link SwitchboardClient#poll} and
 * {@link SwitchboardClient#send}, on one benchmark thread, with a router running on its own thread:
 * <ul>
 *   <li>{@link #emptyPoll()}: a registered client polls and nothing has arrived. The target: at most 10 ns,
 *       no system call, no clock read.</li>
 *   <li>{@link #sendThenPoll()}: one client sends 32 bytes on CRITICAL to another through a {@link Destination}
 *       resolved in setup, and the other polls it back. Target: at least 10 M/s.</li>
 * </ul>
 * {@code transport}: {@code ipc} connects both clients to a {@link RouterProcess} in this JVM over its Unix socket,
 * with their CRITICAL inboxes mapped from {@code /dev/shm} (the cross-process setting, in one process);
 * {@code in-process} connects them through {@link InProcessHub} (inboxes in memory). A back-pressured send is never
 * dropped: it is counted, the receiver polled and the send retried; teardown checks that every message sent
 * arrived. Allocation: none once warm; {@code -prof gc} should show about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ClientPollBenchmark
{
    /** Lease long enough that a paused benchmark (between iterations) never loses it. */
    private static final int LEASE_MS = 60_000;

    /** Where the clients' router is: {@code ipc} (its socket, /dev/shm inboxes) or {@code in-process}. */
    @Param({ "ipc", "in-process" })
    public String transport;

    private final Counter handler = new Counter();
    private AutoCloseable router;
    private InProcessHub hub;
    private IpcContext ipc;
    private Path runtimeDir;
    private Path shmDir;
    private SwitchboardClient sender;
    private SwitchboardClient receiver;
    private Destination toReceiver;
    private Arena arena;
    private SegmentBuffer payload;

    /**
     * Offers that returned {@code BACK_PRESSURED} and were retried after polling.
     */
    long backPressured;

    /**
     * Messages sent with {@code OK}.
     */
    long sent;

    /**
     * Start the router, connect and register two clients, resolve the receiver's destination (a blocking control
     * call, not timed) and send one message through it.
     *
     * @throws IOException when the temp directories cannot be made.
     */
    @Setup
    public void setUp() throws IOException
    {
        arena = Arena.ofShared();
        payload = EnvelopeFrames.payload(arena);
        if ("ipc".equals(transport))
        {
            runtimeDir = Files.createTempDirectory("sb-client-poll-");
            final Path devShm = Path.of("/dev/shm");
            shmDir = Files.createTempDirectory(Files.isDirectory(devShm) ? devShm : runtimeDir, "sb-client-poll-");
            ipc = new IpcContext().underDirectory(runtimeDir.resolve("switchboard")).shmDir(shmDir);
            router = RouterProcess.launch(new RouterContext(), ipc);
        }
        else
        {
            final Router inProcess = Router.launch(new RouterContext());
            hub = new InProcessHub(inProcess);
            router = inProcess;
        }
        receiver = connect("bench-receiver");
        sender = connect("bench-sender");
        toReceiver = sender.destination(receiver.agentId(), Priority.CRITICAL);
        sendThenPoll();
        while (handler.received < sent)
        {
            receiver.poll(handler);
        }
    }

    private SwitchboardClient connect(final String name)
    {
        final RouterConnection connection = null != hub ? hub.connect() : IpcConnection.connect(ipc);
        final SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(connection).requestedLeaseMs(LEASE_MS));
        client.register(name, "bench");
        return client;
    }

    /**
     * Check nothing was lost, report back-pressure, close the clients and the router, remove the directories.
     */
    @TearDown
    public void tearDown()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (handler.received < sent && System.nanoTime() < deadline)
        {
            receiver.poll(handler);
        }
        final String summary = "ClientPollBenchmark(" + transport + "): sent=" + sent + " received=" +
            handler.received + " backPressured=" + backPressured;
        CloseHelper.quietCloseAll(sender, receiver);
        CloseHelper.quietClose(hub);
        CloseHelper.quietClose(router);
        arena.close();
        deleteTree(shmDir);
        deleteTree(runtimeDir);
        if (handler.received != sent)
        {
            throw new IllegalStateException("lost messages: " + summary);
        }
        System.out.println(summary);
    }

    /**
     * A registered client polls; nothing has arrived.
     *
     * @return the poll's work count (0).
     */
    @Benchmark
    public int emptyPoll()
    {
        return receiver.poll(handler);
    }

    /**
     * Send 32 bytes on CRITICAL through the destination into the receiver's inbox, then poll the receiver.
     *
     * @return the poll's work count (1).
     */
    @Benchmark
    public int sendThenPoll()
    {
        int status;
        while (OfferStatus.BACK_PRESSURED ==
            (status = sender.send(toReceiver, payload, 0, EnvelopeFrames.PAYLOAD_LENGTH)))
        {
            backPressured++;
            receiver.poll(handler);
        }
        if (OfferStatus.OK != status)
        {
            throw new IllegalStateException("send failed: " + OfferStatus.name(status));
        }
        sent++;
        return receiver.poll(handler);
    }

    private static void deleteTree(final Path dir)
    {
        if (null == dir)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // a temp dir left behind is not a benchmark failure
        }
    }

    /**
     * Counts what the receiver is handed and touches the payload, as a real handler would.
     */
    static final class Counter implements MessageHandler
    {
        long received;
        long bytes;

        @Override
        public void onMessage(final Message message)
        {
            received++;
            bytes += message.buffer().getByte(message.payloadOffset()) + message.payloadLength();
        }
    }
}
