/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.List;

/**
 * One latency distribution of one case, summarised; the whole distribution is in {@code hlogFile}, one interval per
 * round.
 *
 * @param method        how it was measured.
 * @param payloadLength bytes per message.
 * @param ratePerSecond the fixed send rate of {@link Method#ONE_WAY_FIXED_RATE}; 0 for ping-pong; for
 *                      {@link Method#WAKE_UP} the messages per second the sender spaced them at.
 * @param samples       values recorded (after warm-up), coordinated-omission corrections excluded.
 * @param hlogFile      HdrHistogram log, relative to the run directory.
 * @param p50Ns         median, ns (of every round pooled).
 * @param p90Ns         90th percentile, ns.
 * @param p99Ns         99th percentile, ns.
 * @param p999Ns        99.9th percentile, ns.
 * @param maxNs         largest value, ns.
 * @param meanNs        mean, ns.
 * @param targetSamples the samples the profile asked for (0 when unknown: runs older than this field); fewer were
 *                      recorded when the phase's time cap ended it first.
 * @param rounds        the same distribution round by round (the log's intervals, in run order); empty for runs
 *                      older than paired rounds and for the C floor.
 */
public record LatencyResult(
    Method method, int payloadLength, long ratePerSecond, long samples, String hlogFile,
    long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs, double meanNs, long targetSamples,
    List<Round> rounds)
{
    /** How the harness measures latency. */
    public enum Method
    {
        /** Round-trip time of one message and its echo, one at a time; one-way is reported as RTT / 2. */
        PING_PONG_RTT,
        /**
         * One-way, sent at a fixed rate, stamped with the intended send time and timed by the receiver on the same
         * clock: a sender that falls behind is charged for it (coordinated omission corrected).
         */
        ONE_WAY_FIXED_RATE,
        /**
         * One-way to a receiver left idle long enough to park under its idle strategy: the sender stamps each
         * message as it sends it, the receiver times its arrival. Measures the wake-up, not the transport.
         */
        WAKE_UP
    }

    /**
     * One round of a distribution: the values recorded in one slice of the paired rounds.
     *
     * @param samples values recorded in the round.
     * @param p50Ns   median, ns.
     * @param p90Ns   90th percentile, ns.
     * @param p99Ns   99th percentile, ns.
     * @param p999Ns  99.9th percentile, ns.
     * @param maxNs   largest value, ns.
     */
    public record Round(long samples, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs)
    {
    }

    /**
     * @return the rounds, never null.
     */
    public List<Round> roundsOrEmpty()
    {
        return null == rounds ? List.of() : rounds;
    }
}
