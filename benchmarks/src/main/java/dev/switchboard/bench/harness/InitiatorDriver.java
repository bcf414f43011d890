/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;

/**
 * The measuring side of a case: runs the {@link Step}s of a {@link ChildPlan} over {@link BenchEndpoint}s, the same
 * code for every case, and reports on {@code out} in the line protocol {@link GroupRunner} reads
 * ({@code STEP key} then a wait for {@code go}, {@code STEP_DONE key}, {@code RESULT ...}, {@code PROGRESS ...},
 * {@code SYSCALLS_READY}/{@code SYSCALLS_DONE}, {@code IDLE_WINDOW}).
 *
 * <ul>
 *   <li>Ping-pong: one {@link Payload#PING} at a time, stamped with {@link System#nanoTime()}; the round trip is
 *       timed here when the echo arrives. A phase's first round is preceded by {@link Profile#warmupRoundTrips()}
 *       unrecorded round trips, every later round by {@link Profile#roundWarmupRoundTrips()}: counted, never timed,
 *       so a slow case is as warm as a fast one. Each round is one interval of the phase's HdrHistogram log.</li>
 *   <li>One-way at a fixed rate: message i is due at {@code start + i * interval}; the sender spins until it is due
 *       and stamps it with that intended time, not the actual one, so a sender held up by the transport (or by the
 *       machine) is charged for the delay: coordinated omission is corrected at the source. The responder records
 *       {@code arrival - stamp}. Warm-up messages ride the same schedule, marked {@link Payload#WARM_UP}.</li>
 *   <li>Throughput: each producer offers as fast as the transport accepts, retrying back-pressured offers (counted,
 *       never dropped); the responder counts and times first to last arrival, round by round.</li>
 *   <li>Wake-up: one message every {@link Profile#wakeUpIntervalUs()}, stamped as it is sent; the sender sleeps in
 *       between, and the receiver, idle under its idle strategy, has parked by the time each arrives.</li>
 *   <li>Idle: nothing is sent while the coordinator reads {@code /proc} at both ends of the window.</li>
 * </ul>
 *
 * <p>Every phase ends with {@link Payload#END_PHASE} and waits for {@link Payload#PHASE_DONE}, so phases never
 * overlap; once the step's last one is answered the initiator says {@code STEP_DONE}, and the coordinator may then
 * pause the responder. Allocation: none inside a measured loop (histograms made before it, the handler reused).
 */
public final class InitiatorDriver
{
    private static final long PHASE_DONE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long ECHO_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final BenchCase benchCase;
    private final ChildPlan plan;
    private final PrintStream out;
    private final BenchEndpoint endpoint;
    private final ChildControl control;
    private final Echo echo = new Echo();
    private final List<Histogram> rounds = new ArrayList<>();
    private final List<BenchEndpoint> extraProducers = new ArrayList<>();
    /**
     * One thread per extra producer for all its rounds: it opens the producer's endpoint, produces every round and
     * closes it. A client belongs to one thread for its whole life (its HIGH links' io_uring ring serves the first
     * thread that used it), as an application's would.
     */
    private final List<ExecutorService> producerThreads = new ArrayList<>();
    private long seq;
    private long oneWaySent;
    private long oneWayLate;

    /**
     * @param benchCase the case.
     * @param plan      the plan.
     * @param out       where result lines go.
     * @param endpoint  producer 0's endpoint, already open.
     * @param control   how steps wait for the coordinator.
     */
    public InitiatorDriver(
        final BenchCase benchCase, final ChildPlan plan, final PrintStream out, final BenchEndpoint endpoint,
        final ChildControl control)
    {
        this.benchCase = benchCase;
        this.plan = plan;
        this.out = out;
        this.endpoint = endpoint;
        this.control = control;
    }

    /**
     * Prove the path, then run every step of the plan as the coordinator allows, then tell the responder to stop.
     *
     * @throws Exception when a step fails (a lost message, a timeout, an endpoint that cannot open).
     */
    public void run() throws Exception
    {
        endPhase(PhaseCode.encode(PhaseCode.SYNC, Payload.MIN_LENGTH, 1, true, 0, 1), 0);
        try
        {
            for (final Step step : Step.plan(benchCase, plan))
            {
                line("STEP " + step.key());
                control.awaitGo();
                switch (step.kind())
                {
                    case PING_PONG -> pingPong(step);
                    case SYSCALLS -> syscalls(step);
                    case ONE_WAY -> oneWay(step);
                    case THROUGHPUT -> throughput(step);
                    case WAKE_UP -> wakeUp(step);
                    case IDLE -> idle(step);
                    case FINISH ->
                    {
                        finish();
                        return;
                    }
                }
                line("STEP_DONE " + step.key());
            }
        }
        finally
        {
            closeExtraProducers();
        }
    }

    private void finish()
    {
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

    private void pingPong(final Step step) throws IOException
    {
        final Profile profile = plan.profile();
        final int payload = step.payload();
        final long warmup = step.round() == 0 ? profile.warmupRoundTrips() : profile.roundWarmupRoundTrips();
        final long samples = profile.share(profile.pingPongSamples(payload), step.round());
        if (step.round() == 0)
        {
            rounds.clear();
            progress("ping-pong %d B: %,d round trips in %d rounds (warm-up %,d, then %,d before each later round)",
                payload, profile.pingPongSamples(payload), step.rounds(), profile.warmupRoundTrips(),
                profile.roundWarmupRoundTrips());
        }
        for (long i = 0; i < warmup; i++)
        {
            roundTrip(payload);
        }
        final Histogram histogram = HdrLogs.newHistogram();
        final long deadline = System.nanoTime() + seconds(profile.pingPongMaxSeconds() / step.rounds());
        histogram.setStartTimeStamp(System.currentTimeMillis());
        long measured = 0;
        while (measured < samples)
        {
            histogram.recordValue(roundTrip(payload));
            measured++;
            if ((measured & 1023) == 0 && System.nanoTime() > deadline)
            {
                break;
            }
        }
        histogram.setEndTimeStamp(System.currentTimeMillis());
        endPhase(PhaseCode.encode(PhaseCode.PING_PONG, payload, 1, false, step.round(), step.rounds()),
            measured);
        rounds.add(histogram);
        if (step.lastRound())
        {
            final String hlog = hlogName(LatencyResult.Method.PING_PONG_RTT, payload);
            HdrLogs.writeRounds(rounds, plan.runDir().resolve(hlog),
                plan.env().caseId() + ".ping_pong_rtt." + payload + "B");
            out.printf(Locale.ROOT, "RESULT PING_PONG_RTT payload=%d hlog=%s target=%d%n", payload, hlog,
                profile.pingPongSamples(payload));
            final Histogram all = HdrLogs.sum(rounds);
            progress("ping-pong %d B: %,d round trips, p50 %s, p99 %s, p99.9 %s", payload, all.getTotalCount(),
                ns(all.getValueAtPercentile(50)), ns(all.getValueAtPercentile(99)),
                ns(all.getValueAtPercentile(99.9)));
            rounds.clear();
        }
    }

    private long roundTrip(final int payload)
    {
        final long s = seq++;
        final long start = System.nanoTime();
        while (!endpoint.offer(start, s, Payload.withLength(Payload.PING, payload), payload))
        {
            endpoint.poll(echo);
        }
        echo.expect(s);
        final long deadline = start + ECHO_TIMEOUT_NS;
        while (!echo.arrived)
        {
            final int n = endpoint.poll(echo);
            endpoint.idle(n);
            if (n == 0 && System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no echo of ping " + s + " within " +
                    TimeUnit.NANOSECONDS.toSeconds(ECHO_TIMEOUT_NS) + " s");
            }
        }
        return System.nanoTime() - start;
    }

    private void syscalls(final Step step)
    {
        // The coordinator switches perf's counters on for every process of the case (and attaches to the measuring
        // threads), then says "go"; the count it reads between READY and DONE covers exactly these round trips (and
        // whatever the JVMs' own threads do meanwhile).
        final long roundTrips = plan.syscallRoundTrips();
        for (int i = 0; i < 10_000; i++)
        {
            roundTrip(step.payload());
        }
        line("SYSCALLS_READY " + roundTrips);
        control.awaitGo();
        for (long i = 0; i < roundTrips; i++)
        {
            roundTrip(step.payload());
        }
        line("SYSCALLS_DONE " + roundTrips);
        control.awaitGo();
        endPhase(PhaseCode.encode(PhaseCode.SYSCALLS, step.payload(), 1, true, 0, 1), roundTrips);
    }

    private void oneWay(final Step step) throws Exception
    {
        final Profile profile = plan.profile();
        final int payload = step.payload();
        final long rate = profile.oneWayRate();
        final long total = Math.max(step.rounds(), (long)(rate * profile.oneWaySeconds()));
        final long count = profile.share(total, step.round());
        final long warmup = step.round() == 0 ? profile.warmupMessages() : profile.roundWarmupRoundTrips();
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        if (step.round() == 0)
        {
            oneWaySent = 0;
            oneWayLate = 0;
            progress("one-way %d B at %,d msgs/s: %,d messages in %d rounds (warm-up %,d at the rate)", payload, rate,
                total, step.rounds(), warmup);
        }
        long lateSends = 0;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        final long all = warmup + count;
        for (long i = 0; i < all; i++)
        {
            final long intended = start + i * intervalNs;
            long now;
            while ((now = System.nanoTime()) < intended)
            {
                Thread.onSpinWait();
            }
            final boolean measured = i >= warmup;
            if (measured && now - intended > intervalNs)
            {
                lateSends++;
            }
            while (!endpoint.offer(intended, i, measured ? Payload.ONE_WAY : Payload.WARM_UP, payload))
            {
                endpoint.poll(echo);
            }
            // A poll after every send, as an application's duty cycle does (send, then poll): Switchboard's agent
            // links write their frames at the owner's poll (or flush), a raw socket peer at its offer. Polled every
            // 64 sends, a link held up to 63 frames (315 µs at 200,000 msg/s) and the one-way p50 of NORMAL and HIGH
            // measured the polling interval, not the transport.
            endpoint.poll(echo);
        }
        endPhase(PhaseCode.encode(PhaseCode.ONE_WAY, payload, 1, false, step.round(), step.rounds()), count);
        oneWaySent += count;
        oneWayLate += lateSends;
        if (step.lastRound())
        {
            out.printf(Locale.ROOT, "RESULT ONE_WAY_SENDER payload=%d rate=%d sent=%d lateSends=%d%n",
                payload, rate, oneWaySent, oneWayLate);
        }
    }

    private void throughput(final Step step) throws Exception
    {
        final Profile profile = plan.profile();
        final int payload = step.payload();
        final int producers = step.producers();
        if (step.round() == 0)
        {
            closeExtraProducers();
            for (int i = 1; i < producers; i++)
            {
                final int index = i;
                final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "producer-" + index));
                producerThreads.add(thread);
                extraProducers.add(thread.submit(() -> benchCase.openInitiator(plan.env(), index)).get());
            }
            progress("throughput %d B, %d producer%s, %.1f s in %d rounds (warm-up %,d messages)", payload, producers,
                producers == 1 ? "" : "s", profile.throughputSeconds(), step.rounds(), profile.warmupMessages());
            final long[] sent = new long[1];
            final long[] backPressured = new long[1];
            produce(endpoint, payload, System.nanoTime(), Long.MAX_VALUE, profile.warmupMessages(), 0, sent,
                backPressured);
            endPhase(PhaseCode.encode(PhaseCode.THROUGHPUT, payload, 1, true), sent[0]);
        }
        final long durationNs = seconds(profile.throughputSeconds() / step.rounds());
        final long[] sent = new long[producers];
        final long[] backPressured = new long[producers];
        final CountDownLatch ready = new CountDownLatch(producers);
        final CountDownLatch produced = new CountDownLatch(producers - 1);
        final AtomicBoolean phaseOver = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long startAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        final List<Future<?>> threads = new ArrayList<>();
        for (int p = 1; p < producers; p++)
        {
            final int index = p;
            final BenchEndpoint ep = extraProducers.get(p - 1);
            threads.add(producerThreads.get(p - 1).submit(() ->
            {
                final Echo ignore = new Echo();
                try
                {
                    ready.countDown();
                    ready.await();
                    produce(ep, payload, startAt, durationNs, Long.MAX_VALUE, index, sent, backPressured);
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
                // and send them only from poll (its duty cycle).
                while (!phaseOver.get())
                {
                    ep.poll(ignore);
                    Thread.onSpinWait();
                }
            }));
        }
        ready.countDown();
        ready.await();
        try
        {
            produce(endpoint, payload, startAt, durationNs, Long.MAX_VALUE, 0, sent, backPressured);
            while (!produced.await(0, TimeUnit.NANOSECONDS))
            {
                endpoint.poll(echo);
                Thread.onSpinWait();
            }
            if (failure.get() != null)
            {
                throw new IllegalStateException("producer failed: " + failure.get(), failure.get());
            }
            long total = 0;
            long bp = 0;
            for (int p = 0; p < producers; p++)
            {
                total += sent[p];
                bp += backPressured[p];
            }
            endPhase(PhaseCode.encode(PhaseCode.THROUGHPUT, payload, producers, false, step.round(),
                step.rounds()), total);
            out.printf(Locale.ROOT,
                "RESULT THROUGHPUT_SENDER producers=%d payload=%d round=%d sent=%d backPressured=%d%n",
                producers, payload, step.round(), total, bp);
        }
        finally
        {
            phaseOver.set(true);
            for (final Future<?> t : threads)
            {
                t.get();
            }
        }
        if (step.lastRound())
        {
            closeExtraProducers();
        }
    }

    private void closeExtraProducers()
    {
        for (int i = 0; i < extraProducers.size(); i++)
        {
            final BenchEndpoint ep = extraProducers.get(i);
            try
            {
                producerThreads.get(i).submit(ep::close).get();
            }
            catch (final InterruptedException | java.util.concurrent.ExecutionException e)
            {
                throw new IllegalStateException("closing producer " + (i + 1) + " failed: " + e, e);
            }
        }
        extraProducers.clear();
        for (final ExecutorService thread : producerThreads)
        {
            thread.shutdown();
        }
        producerThreads.clear();
    }

    /**
     * Offer until {@code durationNs} from {@code startAt} has passed or {@code maxMessages} were sent.
     */
    private static void produce(
        final BenchEndpoint ep, final int payload, final long startAt, final long durationNs, final long maxMessages,
        final int index, final long[] sent, final long[] backPressured)
    {
        final Echo ignore = new Echo();
        while (System.nanoTime() < startAt)
        {
            Thread.onSpinWait();
        }
        final long end = durationNs == Long.MAX_VALUE ? Long.MAX_VALUE : startAt + durationNs;
        long n = 0;
        long bp = 0;
        // Producer index in the top byte keeps every producer's sequence distinct for the responder's order check.
        final long seqBase = (long)index << 56;
        while (n < maxMessages)
        {
            final long batchEnd = Math.min(maxMessages, n + 256);
            while (n < batchEnd)
            {
                while (!ep.offer(0, seqBase | n, Payload.COUNT, payload))
                {
                    bp++;
                    ep.poll(ignore);
                }
                n++;
            }
            ep.poll(ignore);
            if (end != Long.MAX_VALUE && System.nanoTime() >= end)
            {
                break;
            }
        }
        sent[index] = n;
        backPressured[index] = bp;
    }

    private void wakeUp(final Step step) throws Exception
    {
        final Profile profile = plan.profile();
        final int samples = profile.wakeUpSamples();
        final int warmup = Math.max(2, samples / 10);
        final long intervalNs = TimeUnit.MICROSECONDS.toNanos(profile.wakeUpIntervalUs());
        progress("wake-up %d B: %,d messages %,d µs apart (%d more first, unrecorded); the receiver parks in between",
            step.payload(), samples, profile.wakeUpIntervalUs(), warmup);
        for (int i = 0; i < warmup + samples; i++)
        {
            // The sender sleeps: it is not measured, and a spinning sender would take the CPU the receiver wakes on.
            LockSupport.parkNanos(intervalNs);
            final int kind = i < warmup ? Payload.WARM_UP : Payload.WAKE_UP;
            while (!endpoint.offer(System.nanoTime(), i, kind, step.payload()))
            {
                endpoint.poll(echo);
            }
            endpoint.poll(echo);
        }
        endPhase(PhaseCode.encode(PhaseCode.WAKE_UP, step.payload(), 1, false, 0, 1), samples);
    }

    private void idle(final Step step)
    {
        // Nothing is sent: the coordinator reads /proc, waits the window and reads it again, then says "go".
        line("IDLE_WINDOW " + plan.profile().idleSeconds());
        control.awaitGo();
        endPhase(PhaseCode.encode(PhaseCode.IDLE, step.payload(), 1, true, 0, 1), 0);
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
            final int n = endpoint.poll(echo);
            endpoint.idle(n);
            if (n == 0 && System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the responder did not finish the phase within " +
                    TimeUnit.NANOSECONDS.toSeconds(PHASE_DONE_TIMEOUT_NS) + " s (" + count +
                    " messages sent; a message lost?)");
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
        line("PROGRESS " + String.format(Locale.ROOT, format, args));
    }

    private void line(final String text)
    {
        out.println(text);
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
