/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

/**
 * One latency distribution of one case, summarised; the whole distribution is in {@code hlogFile}.
 *
 * @param method        how it was measured.
 * @param payloadLength bytes per message.
 * @param ratePerSecond the fixed send rate of {@link Method#ONE_WAY_FIXED_RATE}; 0 for ping-pong.
 * @param samples       values recorded (after warm-up), coordinated-omission corrections excluded.
 * @param hlogFile      HdrHistogram log, relative to the run directory.
 * @param p50Ns         median, ns.
 * @param p90Ns         90th percentile, ns.
 * @param p99Ns         99th percentile, ns.
 * @param p999Ns        99.9th percentile, ns.
 * @param maxNs         largest value, ns.
 * @param meanNs        mean, ns.
 */
public record LatencyResult(
    Method method, int payloadLength, long ratePerSecond, long samples, String hlogFile,
    long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs, double meanNs)
{
    /** The two ways the harness measures latency. */
    public enum Method
    {
        /** Round-trip time of one message and its echo, one at a time; one-way is reported as RTT / 2. */
        PING_PONG_RTT,
        /**
         * One-way, sent at a fixed rate, stamped with the intended send time and timed by the receiver on the same
         * clock: a sender that falls behind is charged for it (coordinated omission corrected).
         */
        ONE_WAY_FIXED_RATE
    }
}
