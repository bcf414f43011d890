/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/**
 * An agent process of the cross-process demo ({@link CrossProcessDemo} starts two of them). Arguments:
 * {@code role runtimeDir warmup count}.
 *
 * <ul>
 *   <li>{@code Testbed}: registers as "Testbed", answers every request on the request's priority with a
 *       payload holding the request's sequence number and the tier it arrived on, until a "stop" message
 *       arrives; then prints one {@code SERVED <priority> tier=<tier> n=<requests>} line per priority seen
 *       and exits 0.</li>
 *   <li>{@code Constructor}: registers as "Constructor", waits for Testbed, then for each of CRITICAL, HIGH,
 *       NORMAL, LOW makes {@code warmup} round trips followed by {@code count} measured ones, one at a time,
 *       timing each with {@link System#nanoTime}; prints one line per priority,
 *       {@code RESULT <priority> tier=<request tier> replyTier=<response tier> n=<count> p50=<ns> p99=<ns>},
 *       sends "stop" to Testbed and exits 0. Anything lost, timed out or out of sequence exits 1, saying what.</li>
 * </ul>
 *
 * <p>SIGTERM or SIGINT, or the exit of the process that started it ({@link StopSignals}, with
 * {@code switchboard.stop.with.parent}), ends either role at its next wait: its client closes (it deregisters) and it
 * exits 0.
 *
 * <p>The tiers reported are the ones the messages arrived on ({@link Message#tier()}), so a fallback (for
 * example HIGH travelling NORMAL where io_uring is missing) shows up as such.
 */
public final class DemoAgentProcess
{
    /** The priorities the demo runs, in order. */
    static final Priority[] PRIORITIES = {Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.BATCH};
    /** BATCH round trips carry this much payload each way, written in place in the receiver's inbox. */
    static final int BATCH_PAYLOAD_LENGTH = 64 * 1024;
    static final String TESTBED = "Testbed";
    static final String CONSTRUCTOR = "Constructor";
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long FIND_TESTBED_NS = TimeUnit.SECONDS.toNanos(15);
    private static final int PAYLOAD_LENGTH = 16;
    private static final long STOP_SEQUENCE = -1;

    private DemoAgentProcess()
    {
    }

    /**
     * @param args role runtimeDir warmup count.
     */
    public static void main(final String[] args)
    {
        ConsoleLogging.oneLinePerRecord();
        if (args.length != 4)
        {
            System.err.println("usage: DemoAgentProcess Testbed|Constructor runtimeDir warmup count");
            System.exit(2);
        }
        final StopSignals signals = StopSignals.install("DemoAgentProcess " + args[0]);
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[1]));
        final int warmup = Integer.parseInt(args[2]);
        final int count = Integer.parseInt(args[3]);
        try
        {
            switch (args[0])
            {
                case TESTBED -> testbed(ipc);
                case CONSTRUCTOR -> constructor(ipc, warmup, count);
                default ->
                {
                    System.err.println("unknown role " + args[0]);
                    System.exit(2);
                }
            }
        }
        catch (final RuntimeException e)
        {
            if (signals.isStopRequested())
            {
                // a CancellationException at a wait, or a connect given up: its client (if any) closed and deregistered
                System.err.println(args[0] + ": stopped by " + signals.reason());
                System.err.flush();
                signals.finished();
                System.exit(0);
            }
            System.err.println(args[0] + ": " + e.getMessage());
            e.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
        System.out.flush();
        signals.finished();
        System.exit(0);
    }

    private static void testbed(final IpcContext ipc)
    {
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(TESTBED, "testing");
            System.out.println("READY " + TESTBED);
            System.out.flush();
            final SegmentBuffer reply = SegmentBuffer.allocate(Arena.ofAuto(), PAYLOAD_LENGTH);
            final Map<Priority, long[]> served = new EnumMap<>(Priority.class);
            final FrameClaim claim = new FrameClaim();
            final Map<Priority, Tier> tiers = new EnumMap<>(Priority.class);
            final boolean[] stop = {false};
            final String[] failure = {null};
            final Map<Priority, Destination> requesters = new EnumMap<>(Priority.class);
            final java.util.List<long[]> unanswered = new java.util.ArrayList<>();
            while (!stop[0] && failure[0] == null)
            {
                StopSignals.current().throwIfStopRequested();
                final int work = client.poll(m ->
                {
                    final long seq = m.buffer().getLong(m.payloadOffset());
                    if (m.pattern() == Pattern.SEND && seq == STOP_SEQUENCE)
                    {
                        stop[0] = true;
                        return;
                    }
                    if (m.pattern() == Pattern.SEND && m.priority() == Priority.BATCH)
                    {
                        served.computeIfAbsent(Priority.BATCH, p -> new long[1])[0]++;
                        tiers.putIfAbsent(Priority.BATCH, m.tier());
                        final long source = m.sourceAgentId();
                        final Tier arrivedOn = m.tier();
                        int status;
                        while ((status = client.tryClaim(source, Priority.BATCH, BATCH_PAYLOAD_LENGTH, claim)) ==
                            OfferStatus.BACK_PRESSURED)
                        {
                            Thread.onSpinWait();
                        }
                        if (status != OfferStatus.OK)
                        {
                            failure[0] = "BATCH reply claim returned " + OfferStatus.name(status);
                            return;
                        }
                        claim.buffer().putLong(claim.payloadOffset(), seq);
                        claim.buffer().putLong(claim.payloadOffset() + 8, arrivedOn.ordinal());
                        claim.commit();
                        return;
                    }
                    if (m.pattern() != Pattern.REQUEST)
                    {
                        return;
                    }
                    served.computeIfAbsent(m.priority(), p -> new long[1])[0]++;
                    final Tier previous = tiers.putIfAbsent(m.priority(), m.tier());
                    if (previous != null && previous != m.tier())
                    {
                        failure[0] = m.priority() + " requests arrived on " + previous + " and " + m.tier();
                    }
                    final Destination requester = requesters.get(m.priority());
                    if (requester == null)
                    {
                        // First request at this priority: answered after the handler, once the requester's
                        // destination is resolved (a control call, which a handler must not make).
                        unanswered.add(new long[]{m.sourceAgentId(), m.correlationId(), m.priority().value(), seq,
                            m.tier().ordinal()});
                        return;
                    }
                    reply.putLong(0, seq);
                    reply.putLong(8, m.tier().ordinal());
                    respond(client, requester, m.correlationId(), reply, failure);
                });
                for (final long[] u : unanswered)
                {
                    final Priority priority = Priority.get((short)u[2]);
                    final Destination requester = client.destination(u[0], priority);
                    requesters.put(priority, requester);
                    reply.putLong(0, u[3]);
                    reply.putLong(8, u[4]);
                    respond(client, requester, u[1], reply, failure);
                }
                unanswered.clear();
                client.idleStrategy().idle(work);
            }
            if (failure[0] != null)
            {
                throw new IllegalStateException(failure[0]);
            }
            for (final Map.Entry<Priority, long[]> e : served.entrySet())
            {
                System.out.println("SERVED " + e.getKey() + " tier=" + tiers.get(e.getKey()) + " n=" + e.getValue()[0]);
            }
        }
    }

    private static void respond(
        final SwitchboardClient client, final Destination requester, final long correlationId, final SegmentBuffer reply,
        final String[] failure)
    {
        int status;
        while ((status = client.respond(requester, correlationId, reply, 0, PAYLOAD_LENGTH)) ==
            OfferStatus.BACK_PRESSURED)
        {
            Thread.onSpinWait();
        }
        if (status != OfferStatus.OK)
        {
            failure[0] = "respond returned " + OfferStatus.name(status);
        }
    }

    private static void constructor(final IpcContext ipc, final int warmup, final int count)
    {
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(CONSTRUCTOR, "implementation");
            final long deadline = System.nanoTime() + FIND_TESTBED_NS;
            long testbed;
            while ((testbed = client.agentIdOf(TESTBED)) == 0)
            {
                StopSignals.current().throwIfStopRequested();
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no agent named " + TESTBED + " registered within " +
                        TimeUnit.NANOSECONDS.toSeconds(FIND_TESTBED_NS) + " s");
                }
                client.poll(m ->
                {
                });
                sleepMillis(10);
            }
            final SegmentBuffer request = SegmentBuffer.allocate(Arena.ofAuto(), PAYLOAD_LENGTH);
            final RoundTrip roundTrip = new RoundTrip();
            final long[] rtts = new long[count];
            for (final Priority priority : PRIORITIES)
            {
                // Resolved once, outside any handler (the control call that maps the inbox or opens the link); the
                // requests then never wait for a lookup.
                final Destination toTestbed = client.destination(testbed, priority);
                if (priority == Priority.BATCH)
                {
                    batchRoundTrips(client, toTestbed, warmup, count, rtts);
                    continue;
                }
                roundTrip.requestTier = null;
                roundTrip.replyTier = null;
                final int total = warmup + count;
                for (int i = 0; i < total; i++)
                {
                    request.putLong(0, i);
                    roundTrip.expect(i);
                    final long sentNs = System.nanoTime();
                    long id;
                    while ((id = client.request(toTestbed, request, 0, PAYLOAD_LENGTH, REQUEST_TIMEOUT_NS,
                        roundTrip)) == OfferStatus.BACK_PRESSURED)
                    {
                        StopSignals.current().throwIfStopRequested();
                        client.poll(m ->
                        {
                        });
                    }
                    if (id < 0)
                    {
                        throw new IllegalStateException(priority + " request " + i + " returned " +
                            OfferStatus.name((int)id));
                    }
                    while (!roundTrip.done)
                    {
                        StopSignals.current().throwIfStopRequested();
                        client.idleStrategy().idle(client.poll(m ->
                        {
                        }));
                    }
                    final long rttNs = System.nanoTime() - sentNs;
                    client.idleStrategy().reset();
                    if (roundTrip.failure != null)
                    {
                        throw new IllegalStateException(priority + " request " + i + ": " + roundTrip.failure);
                    }
                    if (i >= warmup)
                    {
                        rtts[i - warmup] = rttNs;
                    }
                }
                Arrays.sort(rtts);
                System.out.println(String.format(Locale.ROOT, "RESULT %s tier=%s replyTier=%s n=%d p50=%d p99=%d",
                    priority, roundTrip.requestTier, roundTrip.replyTier, count, Demo.percentile(rtts, 0.50),
                    Demo.percentile(rtts, 0.99)));
                System.out.flush();
            }
            request.putLong(0, STOP_SEQUENCE);
            int status;
            while ((status = client.send(testbed, Priority.NORMAL, request, 0, PAYLOAD_LENGTH)) ==
                OfferStatus.BACK_PRESSURED)
            {
                client.poll(m ->
                {
                });
            }
            if (status != OfferStatus.OK)
            {
                throw new IllegalStateException("stop to " + TESTBED + " returned " + OfferStatus.name(status));
            }
        }
    }

    /**
     * BATCH: each way a 64 KiB message is claimed in the other agent's shared-memory inbox, written in place
     * and committed (no copy on the send path); one round trip at a time.
     */
    private static void batchRoundTrips(
        final SwitchboardClient client, final Destination testbed, final int warmup, final int count, final long[] rtts)
    {
        final FrameClaim claim = new FrameClaim();
        final long[] replySeq = {-2};
        final Tier[] tiers = new Tier[2];
        final int total = warmup + count;
        for (int i = 0; i < total; i++)
        {
            final long sentNs = System.nanoTime();
            int status;
            while ((status = client.tryClaim(testbed, BATCH_PAYLOAD_LENGTH, claim)) == OfferStatus.BACK_PRESSURED)
            {
                StopSignals.current().throwIfStopRequested();
                client.poll(m ->
                {
                });
            }
            if (status != OfferStatus.OK)
            {
                throw new IllegalStateException("BATCH claim " + i + " returned " + OfferStatus.name(status));
            }
            final org.agrona.MutableDirectBuffer buffer = claim.buffer();
            final int offset = claim.payloadOffset();
            for (int at = 8; at < BATCH_PAYLOAD_LENGTH; at += 8)
            {
                buffer.putLong(offset + at, at);
            }
            buffer.putLong(offset, i);
            claim.commit();
            final long deadline = System.nanoTime() + REQUEST_TIMEOUT_NS;
            while (replySeq[0] != i)
            {
                StopSignals.current().throwIfStopRequested();
                client.idleStrategy().idle(client.poll(m ->
                {
                    if (m.pattern() == Pattern.SEND && m.priority() == Priority.BATCH)
                    {
                        replySeq[0] = m.buffer().getLong(m.payloadOffset());
                        tiers[0] = Tier.values()[(int)m.buffer().getLong(m.payloadOffset() + 8)];
                        tiers[1] = m.tier();
                    }
                }));
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("BATCH reply " + i + " did not come back in time");
                }
            }
            client.idleStrategy().reset();
            if (i >= warmup)
            {
                rtts[i - warmup] = System.nanoTime() - sentNs;
            }
        }
        Arrays.sort(rtts);
        System.out.println(String.format(Locale.ROOT, "RESULT %s tier=%s replyTier=%s n=%d p50=%d p99=%d",
            Priority.BATCH, tiers[0], tiers[1], count, Demo.percentile(rtts, 0.50), Demo.percentile(rtts, 0.99)));
        System.out.flush();
    }

    private static void sleepMillis(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One outstanding request at a time: checks the response's sequence and the tiers it and its request used. */
    private static final class RoundTrip implements ResponseHandler
    {
        long expected;
        boolean done;
        String failure;
        Tier requestTier;
        Tier replyTier;

        void expect(final long sequence)
        {
            expected = sequence;
            done = false;
            failure = null;
        }

        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            done = true;
            final long seq = response.buffer().getLong(response.payloadOffset());
            if (seq != expected)
            {
                failure = "response for " + seq + ", expected " + expected;
                return;
            }
            final Tier requestArrivedOn = Tier.values()[(int)response.buffer().getLong(response.payloadOffset() + 8)];
            failure = checkSame("request", requestTier, requestArrivedOn);
            requestTier = requestArrivedOn;
            if (failure == null)
            {
                failure = checkSame("response", replyTier, response.tier());
                replyTier = response.tier();
            }
        }

        private static String checkSame(final String what, final Tier before, final Tier now)
        {
            return before == null || before == now ? null : what + " tier changed from " + before + " to " + now;
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            done = true;
            failure = "timed out after " + TimeUnit.NANOSECONDS.toSeconds(REQUEST_TIMEOUT_NS) + " s";
        }
    }
}
