/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.model.LatencyResult;
import org.HdrHistogram.Histogram;

/**
 * The receiving side of a case, the same for every case: busy-spins on {@link BenchEndpoint#poll}, echoes pings,
 * records one-way latencies ({@code arrival - stamp}, where the stamp is the intended send time), counts throughput
 * messages (checking each producer's sequence is gap-free and in order), and finishes each phase when its
 * {@link Payload#END_PHASE} arrives and every message it announced has been counted. Stops on {@link Payload#STOP}.
 *
 * <p>Allocation: none per message (one handler, one preallocated histogram per one-way phase).
 */
public final class ResponderDriver implements Inbound
{
    private static final int MAX_PRODUCERS = 64;
    private static final long PHASE_END_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ChildPlan plan;
    private final PrintStream out;
    private final BenchEndpoint endpoint;
    private final Histogram oneWay = HdrLogs.newHistogram();
    private final long[] nextSeqByProducer = new long[MAX_PRODUCERS];

    private boolean stop;
    private boolean endPending;
    private long endCode;
    private long endCount;
    private long counted;
    private long firstNs;
    private long lastNs;
    private long oneWayCount;
    private long negative;
    private String failure;

    /**
     * @param plan     the plan.
     * @param out      where result lines go.
     * @param endpoint the responder's endpoint, already open.
     */
    public ResponderDriver(final ChildPlan plan, final PrintStream out, final BenchEndpoint endpoint)
    {
        this.plan = plan;
        this.out = out;
        this.endpoint = endpoint;
    }

    /**
     * Serve until the initiator says stop.
     *
     * @throws java.io.IOException when a histogram cannot be written.
     */
    public void run() throws java.io.IOException
    {
        while (!stop)
        {
            if (endpoint.poll(this) == 0)
            {
                Thread.onSpinWait();
            }
            if (failure != null)
            {
                throw new IllegalStateException(failure);
            }
            if (endPending)
            {
                finishPhase();
            }
        }
        for (final String note : endpoint.notes())
        {
            out.println("NOTE " + note);
        }
    }

    @Override
    public void onMessage(final long stamp, final long seq, final int field)
    {
        final int kind = Payload.kindOf(field);
        switch (kind)
        {
            case Payload.PING -> echo(stamp, seq, Payload.PONG, Payload.lengthOf(field));
            case Payload.ONE_WAY ->
            {
                final long latency = System.nanoTime() - stamp;
                if (latency < 0)
                {
                    negative++;
                }
                oneWay.recordValue(Math.max(0, latency));
                oneWayCount++;
            }
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

    private void finishPhase() throws java.io.IOException
    {
        final int type = PhaseCode.type(endCode);
        final boolean discard = PhaseCode.discard(endCode);
        final int payload = PhaseCode.payloadLength(endCode);
        if (type == PhaseCode.THROUGHPUT)
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
            if (!discard)
            {
                final double seconds = (lastNs - firstNs) / 1e9;
                out.printf(Locale.ROOT, "RESULT THROUGHPUT producers=%d payload=%d messages=%d seconds=%.6f%n",
                    PhaseCode.producers(endCode), payload, counted, seconds);
            }
            counted = 0;
            java.util.Arrays.fill(nextSeqByProducer, 0);
        }
        else if (type == PhaseCode.ONE_WAY)
        {
            if (oneWayCount != (discard ? 0 : endCount))
            {
                throw new IllegalStateException("one-way phase: " + oneWayCount + " of " + endCount + " arrived");
            }
            if (!discard)
            {
                final String hlog = InitiatorDriver.hlogName(plan.env().caseId(),
                    LatencyResult.Method.ONE_WAY_FIXED_RATE, payload);
                HdrLogs.write(oneWay, plan.runDir().resolve(hlog),
                    plan.env().caseId() + ".one_way_fixed_rate." + payload + "B");
                out.printf(Locale.ROOT, "RESULT ONE_WAY_FIXED_RATE payload=%d rate=%d hlog=%s negative=%d%n",
                    payload, plan.profile().oneWayRate(), hlog, negative);
            }
            oneWay.reset();
            oneWayCount = 0;
            negative = 0;
        }
        endPending = false;
        echo(endCode, endCount, Payload.PHASE_DONE, Payload.MIN_LENGTH);
    }
}
