/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;

/**
 * The measuring side of a case: runs the phases of a {@link ChildPlan} over {@link BenchEndpoint}s, the same code for
 * every case, and reports on {@code out} in the line protocol {@link BenchHarness} reads ({@code RESULT ...},
 * {@code PROGRESS ...}, {@code SYSCALLS_READY}/{@code SYSCALLS_DONE}).
 *
 * <ul>
 *   <li>Ping-pong: one {@link Payload#PING} at a time, stamped with {@link System#nanoTime()}; the round trip is
 *       timed here when the echo arrives. Warm-up round trips first, unrecorded.</li>
 *   <li>One-way at a fixed rate: message i is due at {@code start + i * interval}; the sender spins until it is due
 *       and stamps it with that intended time, not the actual one, so a sender held up by the transport (or by the
 *       machine) is charged for the delay: coordinated omission is corrected at the source. The responder records
 *       {@code arrival - stamp}.</li>
 *   <li>Throughput: each producer offers as fast as the transport accepts, retrying back-pressured offers (counted,
 *       never dropped); the responder counts and times first to last arrival.</li>
 * </ul>
 *
 * <p>Every phase ends with {@link Payload#END_PHASE} and waits for {@link Payload#PHASE_DONE}, so phases never
 * overlap. Allocation: none inside a phase (histogram preallocated, handler reused).
 */
public final class InitiatorDriver
{
    private static final long PHASE_DONE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long ECHO_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final BenchCase benchCase;
    private final ChildPlan plan;
    private final PrintStream out;
    private final BenchEndpoint endpoint;
    private final Echo echo = new Echo();

    /**
     * @param benchCase the case.
     * @param plan      the plan.
     * @param out       where result lines go.
     * @param endpoint  producer 0's endpoint, already open.
     */
    public InitiatorDriver(final BenchCase benchCase, final ChildPlan plan, final PrintStream out, final BenchEndpoint endpoint)
    {
        this.benchCase = benchCase;
        this.plan = plan;
        this.out = out;
        this.endpoint = endpoint;
    }

    /**
     * Run every phase of the plan, then tell the responder to stop.
     *
     * @throws Exception when a phase fails (a lost message, a timeout, an endpoint that cannot open).
     */
    public void run() throws Exception
    {
        final Profile profile = plan.profile();
        final int headline = profile.payloads().getFirst();
        if (plan.pingPong())
        {
            for (final int payload : profile.payloads())
            {
                pingPong(payload);
            }
        }
        if (plan.syscallRoundTrips() > 0)
        {
            syscalls(headline, plan.syscallRoundTrips());
        }
        if (plan.oneWay())
        {
            oneWay(headline, true);
            oneWay(headline, false);
        }
        if (plan.throughput())
        {
            throughput(headline, 1, true);
            throughput(headline, 1, false);
            final int n = Math.min(profile.producers(), benchCase.maxProducers());
            if (n > 1)
            {
                throughput(headline, n, false);
            }
        }
        for (final String note : endpoint.notes())
        {
            out.println("NOTE " + note);
        }
        while (!endpoint.offer(0, 0, Payload.STOP, Payload.MIN_LENGTH))
        {
            endpoint.poll(echo);
        }
        // Let the stop leave before the endpoint closes (a socket closed at once may drop it on some transports).
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < until)
        {
            endpoint.poll(echo);
        }
    }

    private void pingPong(final int payload) throws Exception
    {
        final Profile profile = plan.profile();
        final Histogram histogram = HdrLogs.newHistogram();
        // The first phase of a case also pays for class loading and JIT compilation (whose threads take one of the
        // two CPUs here): it warms up twice as long.
        final double warmup = profile.warmupSeconds() * (payload == profile.payloads().getFirst() ? 2 : 1);
        progress("ping-pong %d B: warm-up %.1f s", payload, warmup);
        final long warmupEnd = System.nanoTime() + seconds(warmup);
        long seq = 0;
        while (System.nanoTime() < warmupEnd)
        {
            roundTrip(seq++, payload);
        }
        // The larger payload is a shape check, not the headline: a tenth of the samples.
        final long samples = payload == profile.payloads().getFirst() ? profile.pingPongSamples() :
            Math.max(1, profile.pingPongSamples() / 10);
        final long deadline = System.nanoTime() + seconds(profile.pingPongMaxSeconds());
        long measured = 0;
        while (measured < samples)
        {
            final long rtt = roundTrip(seq++, payload);
            histogram.recordValue(rtt);
            measured++;
            if ((measured & 1023) == 0 && System.nanoTime() > deadline)
            {
                break;
            }
        }
        endPhase(PhaseCode.encode(PhaseCode.PING_PONG, payload, 1, false), measured);
        final String hlog = hlogName(LatencyResult.Method.PING_PONG_RTT, payload);
        HdrLogs.write(histogram, plan.runDir().resolve(hlog), plan.env().caseId() + ".ping_pong_rtt." + payload + "B");
        out.printf(Locale.ROOT, "RESULT PING_PONG_RTT payload=%d hlog=%s%n", payload, hlog);
        progress("ping-pong %d B: %,d round trips, p50 %s, p99 %s, p99.9 %s", payload, measured,
            ns(histogram.getValueAtPercentile(50)), ns(histogram.getValueAtPercentile(99)),
            ns(histogram.getValueAtPercentile(99.9)));
    }

    private long roundTrip(final long seq, final int payload)
    {
        final long start = System.nanoTime();
        while (!endpoint.offer(start, seq, Payload.withLength(Payload.PING, payload), payload))
        {
            endpoint.poll(echo);
        }
        echo.expect(seq);
        final long deadline = start + ECHO_TIMEOUT_NS;
        while (!echo.arrived)
        {
            if (endpoint.poll(echo) == 0)
            {
                Thread.onSpinWait();
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no echo of ping " + seq + " within " +
                        TimeUnit.NANOSECONDS.toSeconds(ECHO_TIMEOUT_NS) + " s");
                }
            }
        }
        return System.nanoTime() - start;
    }

    private void syscalls(final int payload, final long roundTrips) throws IOException
    {
        // The coordinator attaches perf to every process of the case, then says "go"; the count it reads between
        // READY and DONE covers exactly these round trips (and whatever the JVMs' own threads do meanwhile).
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long seq = 0;
        for (int i = 0; i < 10_000; i++)
        {
            roundTrip(seq++, payload);
        }
        out.println("SYSCALLS_READY " + roundTrips);
        out.flush();
        awaitGo(in);
        for (long i = 0; i < roundTrips; i++)
        {
            roundTrip(seq++, payload);
        }
        out.println("SYSCALLS_DONE " + roundTrips);
        out.flush();
        awaitGo(in);
    }

    private static void awaitGo(final BufferedReader in) throws IOException
    {
        final String line = in.readLine();
        if (!"go".equals(line))
        {
            throw new IllegalStateException("expected 'go' from the harness on stdin, got " + line);
        }
    }

    private void oneWay(final int payload, final boolean warmup) throws Exception
    {
        final Profile profile = plan.profile();
        final double secondsToRun = warmup ? profile.warmupSeconds() : profile.oneWaySeconds();
        final long rate = profile.oneWayRate();
        final long count = Math.max(1, (long)(rate * secondsToRun));
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final int kind = warmup ? Payload.WARM_UP : Payload.ONE_WAY;
        if (!warmup)
        {
            progress("one-way %d B at %,d msgs/s for %.1f s", payload, rate, secondsToRun);
        }
        long lateSends = 0;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (long i = 0; i < count; i++)
        {
            final long intended = start + i * intervalNs;
            long now;
            while ((now = System.nanoTime()) < intended)
            {
                Thread.onSpinWait();
            }
            if (now - intended > intervalNs)
            {
                lateSends++;
            }
            while (!endpoint.offer(intended, i, kind, payload))
            {
                endpoint.poll(echo);
            }
            if ((i & 63) == 0)
            {
                endpoint.poll(echo);
            }
        }
        endPhase(PhaseCode.encode(PhaseCode.ONE_WAY, payload, 1, warmup), count);
        if (!warmup)
        {
            out.printf(Locale.ROOT, "RESULT ONE_WAY_SENDER payload=%d rate=%d sent=%d lateSends=%d%n",
                payload, rate, count, lateSends);
        }
    }

    private void throughput(final int payload, final int producers, final boolean warmup) throws Exception
    {
        final Profile profile = plan.profile();
        final long durationNs = seconds(warmup ? profile.warmupSeconds() : profile.throughputSeconds());
        if (!warmup)
        {
            progress("throughput %d B, %d producer%s, %.1f s", payload, producers, producers == 1 ? "" : "s",
                profile.throughputSeconds());
        }
        final List<BenchEndpoint> extra = new ArrayList<>();
        try
        {
            for (int i = 1; i < producers; i++)
            {
                extra.add(benchCase.openInitiator(plan.env(), i));
            }
            final long[] sent = new long[producers];
            final long[] backPressured = new long[producers];
            final CountDownLatch ready = new CountDownLatch(producers);
            final CountDownLatch produced = new CountDownLatch(producers - 1);
            final java.util.concurrent.atomic.AtomicBoolean phaseOver = new java.util.concurrent.atomic.AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long[] startAt = new long[1];
            final List<Thread> threads = new ArrayList<>();
            for (int p = 1; p < producers; p++)
            {
                final int index = p;
                final BenchEndpoint ep = extra.get(p - 1);
                final Thread t = new Thread(() ->
                {
                    final Echo ignore = new Echo();
                    try
                    {
                        ready.countDown();
                        ready.await();
                        produce(ep, payload, startAt[0], durationNs, index, sent, backPressured);
                    }
                    catch (final Throwable e)
                    {
                        failure.compareAndSet(null, e);
                    }
                    finally
                    {
                        produced.countDown();
                    }
                    // Keep polling until the phase is over: a transport may hold bytes the socket did not take yet
                    // and send them only from poll (its duty cycle), as Switchboard's NORMAL tier does.
                    while (!phaseOver.get())
                    {
                        ep.poll(ignore);
                        Thread.onSpinWait();
                    }
                }, "producer-" + p);
                threads.add(t);
            }
            startAt[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            threads.forEach(Thread::start);
            ready.countDown();
            ready.await();
            produce(endpoint, payload, startAt[0], durationNs, 0, sent, backPressured);
            while (!produced.await(0, TimeUnit.NANOSECONDS))
            {
                endpoint.poll(echo);
                Thread.onSpinWait();
            }
            if (failure.get() != null)
            {
                phaseOver.set(true);
                throw new IllegalStateException("producer failed: " + failure.get(), failure.get());
            }
            long total = 0;
            long bp = 0;
            for (int p = 0; p < producers; p++)
            {
                total += sent[p];
                bp += backPressured[p];
            }
            try
            {
                endPhase(PhaseCode.encode(PhaseCode.THROUGHPUT, payload, producers, warmup), total);
            }
            finally
            {
                phaseOver.set(true);
                for (final Thread t : threads)
                {
                    t.join();
                }
            }
            if (!warmup)
            {
                out.printf(Locale.ROOT, "RESULT THROUGHPUT_SENDER producers=%d payload=%d sent=%d backPressured=%d%n",
                    producers, payload, total, bp);
            }
        }
        finally
        {
            for (final BenchEndpoint ep : extra)
            {
                ep.close();
            }
        }
    }

    private void produce(
        final BenchEndpoint ep, final int payload, final long startAt, final long durationNs, final int index,
        final long[] sent, final long[] backPressured)
    {
        final Echo ignore = new Echo();
        while (System.nanoTime() < startAt)
        {
            Thread.onSpinWait();
        }
        final long end = startAt + durationNs;
        long n = 0;
        long bp = 0;
        // Producer index in the top byte keeps every producer's sequence distinct for the responder's order check.
        final long seqBase = (long)index << 56;
        while (true)
        {
            for (int i = 0; i < 256; i++)
            {
                while (!ep.offer(0, seqBase | n, Payload.COUNT, payload))
                {
                    bp++;
                    ep.poll(ignore);
                }
                n++;
            }
            ep.poll(ignore);
            if (System.nanoTime() >= end)
            {
                break;
            }
        }
        sent[index] = n;
        backPressured[index] = bp;
    }

    private void endPhase(final long code, final long count)
    {
        while (!endpoint.offer(code, count, Payload.END_PHASE, Payload.MIN_LENGTH))
        {
            endpoint.poll(echo);
        }
        echo.expectPhaseDone();
        final long deadline = System.nanoTime() + PHASE_DONE_TIMEOUT_NS;
        while (!echo.arrived)
        {
            if (endpoint.poll(echo) == 0)
            {
                Thread.onSpinWait();
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the responder did not finish the phase within " +
                        TimeUnit.NANOSECONDS.toSeconds(PHASE_DONE_TIMEOUT_NS) + " s (" + count +
                        " messages sent; a message lost?)");
                }
            }
        }
    }

    private String hlogName(final LatencyResult.Method method, final int payload)
    {
        return hlogName(plan.env().caseId(), method, payload);
    }

    static String hlogName(final String caseId, final LatencyResult.Method method, final int payload)
    {
        return "hdr/" + caseId + "-" + method.name().toLowerCase(Locale.ROOT) + "-" + payload + "B.hlog";
    }

    private void progress(final String format, final Object... args)
    {
        out.println("PROGRESS " + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    static long seconds(final double s)
    {
        return (long)(s * 1e9);
    }

    static String ns(final long ns)
    {
        if (ns < 10_000)
        {
            return ns + " ns";
        }
        if (ns < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }

    /** Waits for one echo (or the phase-done) and checks it is the one expected. Reused: allocates nothing. */
    private static final class Echo implements Inbound
    {
        boolean arrived;
        long expectedSeq;
        boolean phaseDone;

        void expect(final long seq)
        {
            expectedSeq = seq;
            phaseDone = false;
            arrived = false;
        }

        void expectPhaseDone()
        {
            phaseDone = true;
            arrived = false;
        }

        @Override
        public void onMessage(final long stamp, final long seq, final int field)
        {
            final int kind = Payload.kindOf(field);
            if (phaseDone)
            {
                if (kind == Payload.PHASE_DONE)
                {
                    arrived = true;
                }
                return;
            }
            if (kind == Payload.PONG)
            {
                if (seq != expectedSeq)
                {
                    throw new IllegalStateException("echo out of order: expected " + expectedSeq + ", got " + seq);
                }
                arrived = true;
            }
        }
    }
}
