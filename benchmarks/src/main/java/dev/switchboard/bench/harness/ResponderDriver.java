/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;

/**
 * The receiving side of a case, the same for every case: polls its {@link BenchEndpoint} and hands every poll's
 * result to {@link BenchEndpoint#idle} (a spin for the raw peers, the client's idle strategy for Switchboard), echoes
 * pings, records one-way and wake-up latencies ({@code arrival - stamp}), counts throughput messages (checking each
 * producer's sequence is gap-free and in order), and finishes each phase when its {@link Payload#END_PHASE} arrives
 * and every message it announced has been counted, then echoes {@link Payload#PHASE_DONE}. Between steps the
 * coordinator asks it to pause: when a poll finds nothing and {@link ChildControl#pauseRequested()}, it prints
 * {@code PAUSED} and waits until resumed. Stops on {@link Payload#STOP}.
 *
 * <p>Each round of a one-way phase is kept as its own histogram and written as one interval of the phase's log after
 * the last round. Allocation: none per message (one handler; one histogram per one-way or wake-up round, made
 * between rounds).
 */
public final class ResponderDriver implements Inbound
{
    private static final int MAX_PRODUCERS = 64;
    private static final long PHASE_END_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ChildPlan plan;
    private final PrintStream out;
    private final BenchEndpoint endpoint;
    private final ChildControl control;
    private final List<Histogram> oneWayRounds = new ArrayList<>();
    private final long[] nextSeqByProducer = new long[MAX_PRODUCERS];
    private Histogram latency = HdrLogs.newHistogram();

    private boolean stop;
    private boolean endPending;
    private long endCode;
    private long endCount;
    private long counted;
    private long firstNs;
    private long lastNs;
    private long recorded;
    private long negative;
    private String failure;

    /**
     * @param plan     the plan.
     * @param out      where result lines go.
     * @param endpoint the responder's endpoint, already open.
     * @param control  how this side pauses between steps.
     */
    public ResponderDriver(
        final ChildPlan plan, final PrintStream out, final BenchEndpoint endpoint, final ChildControl control)
    {
        this.plan = plan;
        this.out = out;
        this.endpoint = endpoint;
        this.control = control;
    }

    /**
     * Serve until the initiator says stop.
     *
     * @throws IOException when a histogram cannot be written or the coordinator's pipe breaks.
     */
    public void run() throws IOException
    {
        latency.setStartTimeStamp(System.currentTimeMillis());
        while (!stop)
        {
            final int delivered = endpoint.poll(this);
            endpoint.idle(delivered);
            if (failure != null)
            {
                throw new IllegalStateException(failure);
            }
            if (endPending)
            {
                finishPhase();
            }
            else if (delivered == 0 && control.pauseRequested())
            {
                control.pause(out);
                latency.setStartTimeStamp(System.currentTimeMillis());
            }
        }
        for (final String note : endpoint.notes())
        {
            out.println("NOTE " + note);
        }
        out.flush();
    }

    @Override
    public void onMessage(final long stamp, final long seq, final int field)
    {
        final int kind = Payload.kindOf(field);
        switch (kind)
        {
            case Payload.PING -> echo(stamp, seq, Payload.PONG, Payload.lengthOf(field));
            case Payload.ONE_WAY, Payload.WAKE_UP -> record(System.nanoTime() - stamp);
            case Payload.COUNT -> count(seq);
            case Payload.WARM_UP ->
            {
            }
            case Payload.END_PHASE ->
            {
                endPending = true;
                endCode = stamp;
                endCount = seq;
            }
            case Payload.STOP -> stop = true;
            default -> failure = "unknown message kind " + kind + " (seq " + seq + ")";
        }
    }

    private void record(final long value)
    {
        if (value < 0)
        {
            negative++;
        }
        latency.recordValue(Math.max(0, value));
        recorded++;
    }

    private void count(final long seq)
    {
        final long now = System.nanoTime();
        if (counted == 0)
        {
            firstNs = now;
        }
        lastNs = now;
        counted++;
        final int producer = (int)(seq >>> 56);
        final long n = seq & 0x00FF_FFFF_FFFF_FFFFL;
        if (producer >= MAX_PRODUCERS || nextSeqByProducer[producer] != n)
        {
            failure = "producer " + producer + " message " + n + " arrived when " +
                (producer < MAX_PRODUCERS ? nextSeqByProducer[producer] : -1) + " was due (lost, duplicated or reordered)";
            return;
        }
        nextSeqByProducer[producer] = n + 1;
    }

    private void echo(final long stamp, final long seq, final int kind, final int length)
    {
        while (!endpoint.offer(stamp, seq, kind, Math.max(Payload.MIN_LENGTH, length)))
        {
            Thread.onSpinWait();
        }
    }

    private void finishPhase() throws IOException
    {
        final long code = endCode;
        final int type = PhaseCode.type(code);
        final boolean discard = PhaseCode.discard(code);
        final int payload = PhaseCode.payloadLength(code);
        if (type == PhaseCode.THROUGHPUT)
        {
            awaitCounted();
            if (!discard)
            {
                final double seconds = (lastNs - firstNs) / 1e9;
                out.printf(Locale.ROOT, "RESULT THROUGHPUT producers=%d payload=%d round=%d messages=%d seconds=%.6f%n",
                    PhaseCode.producers(code), payload, PhaseCode.round(code), counted, seconds);
            }
            counted = 0;
            Arrays.fill(nextSeqByProducer, 0);
        }
        else if (type == PhaseCode.ONE_WAY || type == PhaseCode.WAKE_UP)
        {
            if (recorded != endCount)
            {
                throw new IllegalStateException((type == PhaseCode.ONE_WAY ? "one-way" : "wake-up") + " phase: " +
                    recorded + " of " + endCount + " arrived");
            }
            latency.setEndTimeStamp(System.currentTimeMillis());
            oneWayRounds.add(latency);
            if (PhaseCode.lastRound(code))
            {
                writeLatency(type, payload);
                oneWayRounds.clear();
                negative = 0;
            }
            latency = HdrLogs.newHistogram();
            recorded = 0;
        }
        endPending = false;
        echo(code, endCount, Payload.PHASE_DONE, Payload.MIN_LENGTH);
        // Whatever the phase, the next one starts clean (a warm-up's one-way or wake-up messages are never kept).
        latency.reset();
        latency.setStartTimeStamp(System.currentTimeMillis());
        recorded = 0;
    }

    private void awaitCounted()
    {
        final long deadline = System.nanoTime() + PHASE_END_TIMEOUT_NS;
        while (counted < endCount)
        {
            if (endpoint.poll(this) == 0)
            {
                Thread.onSpinWait();
            }
            if (failure != null)
            {
                throw new IllegalStateException(failure);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("throughput phase: " + counted + " of " + endCount +
                    " messages arrived within " + TimeUnit.NANOSECONDS.toSeconds(PHASE_END_TIMEOUT_NS) + " s");
            }
        }
    }

    private void writeLatency(final int type, final int payload) throws IOException
    {
        final boolean oneWay = type == PhaseCode.ONE_WAY;
        final LatencyResult.Method method =
            oneWay ? LatencyResult.Method.ONE_WAY_FIXED_RATE : LatencyResult.Method.WAKE_UP;
        final String hlog = InitiatorDriver.hlogName(plan.env().caseId(), method, payload);
        HdrLogs.writeRounds(oneWayRounds, plan.runDir().resolve(hlog),
            plan.env().caseId() + "." + method.name().toLowerCase(Locale.ROOT) + "." + payload + "B");
        final Profile p = plan.profile();
        final long rate = oneWay ? p.oneWayRate() : Math.max(1, 1_000_000 / Math.max(1, p.wakeUpIntervalUs()));
        final long target = oneWay ? Math.max(p.rounds(), (long)(p.oneWayRate() * p.oneWaySeconds())) :
            p.wakeUpSamples();
        out.printf(Locale.ROOT, "RESULT %s payload=%d rate=%d hlog=%s negative=%d target=%d%n", method.name(),
            payload, rate, hlog, negative, target);
    }
}
