/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every peer case, both sides in this JVM (threads; a case that is not in-process gets one instance per side, as
 * its processes would): echoes come back whole and in order, and several producers lose, duplicate and reorder
 * nothing.
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PeerCasesTest
{
    private static final int MAX_PAYLOAD = 1024;
    private static final int SMALL_PAYLOAD = 32;
    private static final int SMALL_ROUND_TRIPS = 10_000;
    private static final int LARGE_ROUND_TRIPS = 1_000;
    private static final int MESSAGES_PER_PRODUCER = 10_000;
    private static final int PRODUCERS = 2;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long SEQ_MASK = (1L << 56) - 1;

    @TempDir
    Path dir;
    private Path shmDir;

    static Stream<Named<Supplier<BenchCase>>> cases()
    {
        return Stream.of(
            Named.of(AeronIpcCase.ID, AeronIpcCase::new),
            Named.of(AgronaShmCase.ID, AgronaShmCase::new),
            Named.of(AbqThreadsCase.ID, AbqThreadsCase::new),
            Named.of(ClqThreadsCase.ID, ClqThreadsCase::new),
            Named.of(UdsNioCase.ID, UdsNioCase::new),
            Named.of(UdsRelayCase.ID, UdsRelayCase::new),
            Named.of(ChronicleQueueCase.ID, ChronicleQueueCase::new));
    }

    @BeforeEach
    void createShmDir() throws IOException
    {
        final Path devShm = Path.of("/dev/shm");
        shmDir = Files.isDirectory(devShm) ? Files.createTempDirectory(devShm, "peer-cases-test-") :
            Files.createTempDirectory("peer-cases-test-shm-");
    }

    @AfterEach
    void deleteShmDir() throws IOException
    {
        try (Stream<Path> paths = Files.walk(shmDir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void everyCaseIsAPeerWithItsOwnStableId()
    {
        final List<BenchCase> all = cases().map((named) -> named.getPayload().get()).toList();
        final Set<String> ids = all.stream().map(BenchCase::id).collect(Collectors.toSet());
        assertEquals(
            Set.of("aeron-ipc", "agrona-shm", "abq-threads", "clq-threads", "uds-nio", "uds-relay", "chronicle-queue"),
            ids);
        for (final BenchCase peer : all)
        {
            assertEquals(BenchCase.Kind.PEER, peer.kind(), peer.id());
            assertNull(peer.unavailableReason(), peer.id());
            assertTrue(peer.maxProducers() >= 1, peer.id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pingPongEchoesEveryStampAndSeqInOrder(final Supplier<BenchCase> factory) throws Exception
    {
        try (Running running = new Running(factory, env(factory)))
        {
            final BenchEndpoint initiator = running.openInitiator(0);
            final Echoes echoes = new Echoes();
            long seq = 0;
            seq = pingPong(running, initiator, echoes, SMALL_PAYLOAD, SMALL_ROUND_TRIPS, seq);
            seq = pingPong(running, initiator, echoes, MAX_PAYLOAD, LARGE_ROUND_TRIPS, seq);
            assertEquals(SMALL_ROUND_TRIPS + LARGE_ROUND_TRIPS, seq);

            // Nothing more may arrive: every echo was taken exactly once.
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < until)
            {
                initiator.poll(echoes);
            }
            running.stop(initiator);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoProducersDeliverEveryCountMessageOnceInProducerOrder(final Supplier<BenchCase> factory) throws Exception
    {
        assumeTrue(factory.get().maxProducers() >= PRODUCERS, "one-to-one case");
        try (Running running = new Running(factory, env(factory)))
        {
            // As the harness does: every producer opened on this thread, producer 0 first, each used by its own.
            final BenchEndpoint[] producers = new BenchEndpoint[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++)
            {
                producers[p] = running.openInitiator(p);
            }
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] threads = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int index = p;
                threads[p] = new Thread(() ->
                {
                    try
                    {
                        produce(producers[index], index, running.responder);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "producer-" + p);
                threads[p].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (failure.get() != null)
            {
                throw new AssertionError("a producer failed: " + failure.get(), failure.get());
            }

            final long expected = (long)PRODUCERS * MESSAGES_PER_PRODUCER;
            final long deadline = System.nanoTime() + WAIT_NS;
            while (running.responder.total.get() < expected)
            {
                running.responder.checkAlive();
                assertTrue(System.nanoTime() < deadline, "responder counted " + running.responder.total.get() +
                    " of " + expected + " messages within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s");
                Thread.sleep(1);
            }
            // Give duplicates a chance to show.
            Thread.sleep(50);
            running.responder.checkAlive();
            assertEquals(expected, running.responder.total.get(), "messages counted (duplicates?)");
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(MESSAGES_PER_PRODUCER, running.responder.counted[p],
                    "messages counted from producer " + p);
            }
            assertNull(running.responder.orderViolation, "per-producer order");

            for (int p = 1; p < PRODUCERS; p++)
            {
                running.closeInitiator(producers[p]);
            }
            running.stop(producers[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void offerReturnsFalseInsteadOfBlockingWhenTheResponderDoesNotPoll(final Supplier<BenchCase> factory)
        throws Exception
    {
        assumeTrue(!ChronicleQueueCase.ID.equals(factory.get().id()), "Chronicle Queue never refuses an append");
        final CaseEnv env = env(factory);
        final BenchCase responderSide = factory.get();
        final BenchCase initiatorSide = responderSide.inProcess() ? responderSide : factory.get();
        final BenchCase serverSide = factory.get();
        final AutoCloseable server = serverSide.needsServer() ? serverSide.startServer(env) : null;
        // Opened and never polled: whatever it is sent stays queued until the transport is full.
        final BenchEndpoint responder = responderSide.openResponder(env);
        try (BenchEndpoint initiator = initiatorSide.openInitiator(env, 0))
        {
            final int bound = 1_000_000;
            int accepted = 0;
            while (accepted < bound && initiator.offer(accepted, accepted, Payload.COUNT, MAX_PAYLOAD))
            {
                accepted++;
            }
            assertTrue(accepted < bound, "every one of " + bound + " offers accepted by an unpolled responder");
            assertTrue(accepted > 0, "not even one offer accepted");
        }
        finally
        {
            responder.close();
            if (server != null)
            {
                server.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void openInitiatorFailsNamingWhatItAwaitedWhenNoResponderComes(final Supplier<BenchCase> factory) throws Exception
    {
        final BenchCase peer = factory.get();
        final String previous = System.setProperty(PeerLimits.OPEN_TIMEOUT_MS_PROP, "300");
        try
        {
            final long start = System.nanoTime();
            final TimeoutException ex = assertThrows(TimeoutException.class, () -> peer.openInitiator(env(factory), 0));
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ex.getMessage().startsWith(peer.id() + ": "), ex.getMessage());
            assertTrue(ex.getMessage().contains("300 ms"), ex.getMessage());
            assertTrue(tookMs < 10_000, "took " + tookMs + " ms to time out");
        }
        finally
        {
            if (previous == null)
            {
                System.clearProperty(PeerLimits.OPEN_TIMEOUT_MS_PROP);
            }
            else
            {
                System.setProperty(PeerLimits.OPEN_TIMEOUT_MS_PROP, previous);
            }
        }
    }

    private CaseEnv env(final Supplier<BenchCase> factory)
    {
        return new CaseEnv(factory.get().id(), dir, shmDir, MAX_PAYLOAD, PRODUCERS);
    }

    private static long pingPong(
        final Running running, final BenchEndpoint initiator, final Echoes echoes, final int payload,
        final int roundTrips, final long firstSeq)
    {
        long seq = firstSeq;
        for (int i = 0; i < roundTrips; i++, seq++)
        {
            final long stamp = System.nanoTime();
            final long deadline = stamp + WAIT_NS;
            // As the driver does: the ping carries its length in the kind field's upper bits, for the echo.
            while (!initiator.offer(stamp, seq, Payload.withLength(Payload.PING, payload), payload))
            {
                initiator.poll(echoes);
                running.checkBefore(deadline, "offer of ping " + seq);
            }
            echoes.expect(stamp, seq);
            while (!echoes.arrived)
            {
                if (initiator.poll(echoes) == 0)
                {
                    running.checkBefore(deadline, "echo of ping " + seq + " (" + payload + " B)");
                    Thread.onSpinWait();
                }
            }
        }
        return seq;
    }

    private static void produce(final BenchEndpoint producer, final int index, final EchoingResponder responder)
    {
        final Inbound nothingExpected = (stamp, seq, kind) ->
        {
            throw new AssertionError("producer " + index + " received kind " + kind + " seq " + seq);
        };
        final long seqBase = (long)index << 56;
        final long deadline = System.nanoTime() + WAIT_NS;
        for (long n = 0; n < MESSAGES_PER_PRODUCER; n++)
        {
            while (!producer.offer(n, seqBase | n, Payload.COUNT, SMALL_PAYLOAD))
            {
                producer.poll(nothingExpected);
                responder.checkAlive();
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("producer " + index + " back-pressured for " +
                        TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s at message " + n);
                }
                Thread.onSpinWait();
            }
        }
    }

    /** The initiator's side of a ping-pong: checks each echo against the ping it answers. */
    private static final class Echoes implements Inbound
    {
        boolean arrived = true;
        long expectedStamp;
        long expectedSeq;

        void expect(final long stamp, final long seq)
        {
            expectedStamp = stamp;
            expectedSeq = seq;
            arrived = false;
        }

        @Override
        public void onMessage(final long stamp, final long seq, final int kind)
        {
            if (arrived)
            {
                throw new AssertionError("unexpected message: kind " + kind + " seq " + seq + " (last ping " +
                    expectedSeq + " was already answered)");
            }
            assertEquals(Payload.PONG, kind, "kind of the echo of ping " + expectedSeq);
            assertEquals(expectedSeq, seq, "seq of the echo");
            assertEquals(expectedStamp, stamp, "stamp of the echo of ping " + expectedSeq);
            arrived = true;
        }
    }

    /** The responder, on a thread of its own: echoes pings, counts COUNT messages, stops on STOP. */
    private static final class EchoingResponder implements Inbound, Runnable
    {
        final BenchCase peer;
        final CaseEnv env;
        final CountDownLatch opened = new CountDownLatch(1);
        final AtomicLong total = new AtomicLong();
        // Written by the responder thread only; read by the test after total says they are complete.
        final long[] counted = new long[PRODUCERS];
        final long[] nextSeq = new long[PRODUCERS];
        volatile String orderViolation;
        volatile Throwable failure;
        volatile boolean running = true;
        private BenchEndpoint endpoint;

        EchoingResponder(final BenchCase peer, final CaseEnv env)
        {
            this.peer = peer;
            this.env = env;
        }

        @Override
        public void run()
        {
            try
            {
                endpoint = peer.openResponder(env);
                opened.countDown();
                while (running)
                {
                    if (endpoint.poll(this) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
            finally
            {
                opened.countDown();
                if (endpoint != null)
                {
                    endpoint.close();
                }
            }
        }

        @Override
        public void onMessage(final long stamp, final long seq, final int field)
        {
            final int kind = Payload.kindOf(field);
            switch (kind)
            {
                case Payload.PING ->
                {
                    // Echo from inside the handler: every endpoint must allow an offer during its poll.
                    final long deadline = System.nanoTime() + WAIT_NS;
                    while (!endpoint.offer(stamp, seq, Payload.PONG, Payload.lengthOf(field)))
                    {
                        if (System.nanoTime() > deadline)
                        {
                            throw new AssertionError("responder could not echo ping " + seq);
                        }
                        Thread.onSpinWait();
                    }
                }
                case Payload.COUNT ->
                {
                    final int producer = (int)(seq >>> 56);
                    final long n = seq & SEQ_MASK;
                    if (n != nextSeq[producer] && orderViolation == null)
                    {
                        orderViolation = "producer " + producer + ": expected message " + nextSeq[producer] +
                            ", got " + n;
                    }
                    nextSeq[producer] = n + 1;
                    counted[producer]++;
                    total.incrementAndGet();
                }
                case Payload.STOP -> running = false;
                default -> throw new AssertionError("responder got unexpected kind " + kind + " seq " + seq);
            }
        }

        void checkAlive()
        {
            final Throwable ex = failure;
            if (ex != null)
            {
                throw new AssertionError("the responder failed: " + ex, ex);
            }
        }
    }

    /** A case started as the harness would: its server, its responder thread, then initiators. */
    private static final class Running implements AutoCloseable
    {
        final EchoingResponder responder;
        private final BenchCase initiatorSide;
        private final CaseEnv env;
        private final AutoCloseable server;
        private final Thread responderThread;
        private final List<BenchEndpoint> initiators = new ArrayList<>();

        Running(final Supplier<BenchCase> factory, final CaseEnv env) throws Exception
        {
            this.env = env;
            final BenchCase responderSide = factory.get();
            // Sides of a cross-process case never share an instance; the sides of an in-process case must.
            this.initiatorSide = responderSide.inProcess() ? responderSide : factory.get();
            final BenchCase serverSide = factory.get();
            this.server = serverSide.needsServer() ? serverSide.startServer(env) : null;
            this.responder = new EchoingResponder(responderSide, env);
            this.responderThread = new Thread(responder, "responder-" + env.caseId());
            responderThread.start();
            assertTrue(responder.opened.await(WAIT_NS, TimeUnit.NANOSECONDS), "responder opened");
            responder.checkAlive();
        }

        void closeInitiator(final BenchEndpoint endpoint)
        {
            initiators.remove(endpoint);
            endpoint.close();
        }

        BenchEndpoint openInitiator(final int producerIndex) throws Exception
        {
            final BenchEndpoint endpoint = initiatorSide.openInitiator(env, producerIndex);
            initiators.add(endpoint);
            return endpoint;
        }

        void checkBefore(final long deadline, final String what)
        {
            responder.checkAlive();
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(env.caseId() + ": no " + what + " within " +
                    TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + " s");
            }
        }

        void stop(final BenchEndpoint producer0) throws InterruptedException
        {
            final long deadline = System.nanoTime() + WAIT_NS;
            while (!producer0.offer(0, 0, Payload.STOP, Payload.MIN_LENGTH))
            {
                checkBefore(deadline, "offer of STOP");
                Thread.onSpinWait();
            }
            responderThread.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NS));
            assertFalse(responderThread.isAlive(), "responder stopped on STOP");
            responder.checkAlive();
        }

        @Override
        public void close()
        {
            // After a failure the responder may still spin: stop it before anything it uses goes away.
            responder.running = false;
            try
            {
                responderThread.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            for (final BenchEndpoint endpoint : initiators)
            {
                endpoint.close();
            }
            initiators.clear();
            if (server != null)
            {
                try
                {
                    server.close();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(env.caseId() + ": server did not close", ex);
                }
            }
        }
    }
}
