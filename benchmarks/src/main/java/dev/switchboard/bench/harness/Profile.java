/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.List;
import java.util.Locale;

import dev.switchboard.bench.harness.model.RunResult;

/**
 * How much a run measures. {@link #SHORT} is what {@code ./switchboard bench} runs; {@link #FULL} is {@code --full};
 * {@link #SMOKE} is the CI check that every case runs and a report is written (seconds, numbers meaningless).
 *
 * <p>Every phase is cut into {@code rounds} rounds, and the cases of a group (a Switchboard case and its raw peer)
 * take turns round by round, so that a drift of the machine between rounds hits every case of the group alike
 * ({@link GroupRunner}). Warm-up is counted in messages, never in time: a slow case gets as much as a fast one.
 *
 * @param name                  as given on the command line.
 * @param rounds                rounds per phase (at most 255).
 * @param pingPongSamples       measured round trips per case at the headline payload, all rounds together (the
 *                              1 KiB payload gets a tenth); fewer only when {@code pingPongMaxSeconds} ends the phase
 *                              first, and the report then says how many.
 * @param pingPongMaxSeconds    cap on one ping-pong phase, all its rounds together (each round gets its share).
 * @param warmupRoundTrips      unrecorded round trips before a ping-pong phase's first round.
 * @param roundWarmupRoundTrips unrecorded round trips before each later round (one-way: messages at the rate), so
 *                              a side that just resumed from its pause is not timed cold.
 * @param warmupMessages        unrecorded messages before a one-way phase's first round (at the phase's rate) and
 *                              before a throughput phase's first round (as fast as accepted).
 * @param oneWayRate            messages per second of the fixed-rate one-way phase.
 * @param oneWaySeconds         duration of the one-way phase, all rounds together (samples = rate x seconds).
 * @param throughputSeconds     duration of each throughput phase, all rounds together.
 * @param payloads              payload sizes; ping-pong runs each, the other phases the first (32 B).
 * @param producers             N of the N-producer throughput phase.
 * @param syscallRoundTrips     round trips counted under {@code perf stat} (0: not counted).
 * @param wakeUpSamples         messages of the wake-up phase (a tenth more go first, unrecorded).
 * @param wakeUpIntervalUs      their spacing, microseconds: longer than any client's spin window, so the receiver
 *                              is parked when each arrives.
 * @param idleSeconds           the idle window in which idle CPU and wake-ups are read.
 * @param jmhArgs               JMH options for the JMH part.
 */
public record Profile(
    String name, int rounds, long pingPongSamples, double pingPongMaxSeconds, long warmupRoundTrips,
    long roundWarmupRoundTrips, long warmupMessages, long oneWayRate, double oneWaySeconds, double throughputSeconds,
    List<Integer> payloads, int producers, long syscallRoundTrips, int wakeUpSamples, long wakeUpIntervalUs,
    double idleSeconds, List<String> jmhArgs)
{
    /** Most rounds per phase: a round index travels in 8 bits of a phase code. */
    public static final int MAX_ROUNDS = 255;

    /** Seconds per case: every case and every JMH benchmark once, to prove they run and a report is written. */
    public static final Profile SMOKE = new Profile(
        "smoke", 2, 2_000, 2.0, 500, 100, 1_000, 10_000, 0.2, 0.2, List.of(32, 1024), 2, 0, 20, 2_000, 0.5,
        List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));

    /**
     * {@code ./switchboard bench}: 1,000,000 round trips per case in 10 rounds (at most 60 s a phase), one-way at
     * 200,000 msgs/s for 5 s, throughput 2 s per producer count, 1,000 wake-ups 5 ms apart, a 10-s idle window.
     */
    public static final Profile SHORT = new Profile(
        "short", 10, 1_000_000, 60.0, 50_000, 2_000, 200_000, 200_000, 5.0, 2.0, List.of(32, 1024), 2, 20_000,
        1_000, 5_000, 10.0, List.of("-f", "1", "-wi", "1", "-w", "400ms", "-i", "2", "-r", "400ms"));

    /** {@code ./switchboard bench --full}: 20 rounds, more samples, the 100,000 msgs/s one-way rate, longer JMH. */
    public static final Profile FULL = new Profile(
        "full", 20, 5_000_000, 300.0, 200_000, 10_000, 1_000_000, 100_000, 20.0, 10.0, List.of(32, 1024), 4,
        100_000, 5_000, 5_000, 10.0, List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"));

    /**
     * Checks the numbers once.
     */
    public Profile
    {
        if (rounds < 1 || rounds > MAX_ROUNDS)
        {
            throw new IllegalArgumentException("rounds must be 1.." + MAX_ROUNDS + ": " + rounds);
        }
        if (pingPongSamples < rounds || oneWayRate < 1 || payloads.isEmpty())
        {
            throw new IllegalArgumentException("profile " + name + ": at least one sample per round, a positive " +
                "one-way rate and one payload");
        }
    }

    /**
     * @param name smoke, short or full.
     * @return the profile.
     */
    public static Profile named(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "smoke" -> SMOKE;
            case "short" -> SHORT;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': smoke, short or full");
        };
    }

    /**
     * Write every number into {@code p} (keys {@code profile.*}), so a child process runs exactly this profile.
     *
     * @param p where to.
     */
    void store(final java.util.Properties p)
    {
        p.setProperty("profile.name", name);
        p.setProperty("profile.rounds", Integer.toString(rounds));
        p.setProperty("profile.pingPongSamples", Long.toString(pingPongSamples));
        p.setProperty("profile.pingPongMaxSeconds", Double.toString(pingPongMaxSeconds));
        p.setProperty("profile.warmupRoundTrips", Long.toString(warmupRoundTrips));
        p.setProperty("profile.roundWarmupRoundTrips", Long.toString(roundWarmupRoundTrips));
        p.setProperty("profile.warmupMessages", Long.toString(warmupMessages));
        p.setProperty("profile.oneWayRate", Long.toString(oneWayRate));
        p.setProperty("profile.oneWaySeconds", Double.toString(oneWaySeconds));
        p.setProperty("profile.throughputSeconds", Double.toString(throughputSeconds));
        p.setProperty("profile.payloads", String.join(",", payloads.stream().map(String::valueOf).toList()));
        p.setProperty("profile.producers", Integer.toString(producers));
        p.setProperty("profile.syscallRoundTrips", Long.toString(syscallRoundTrips));
        p.setProperty("profile.wakeUpSamples", Integer.toString(wakeUpSamples));
        p.setProperty("profile.wakeUpIntervalUs", Long.toString(wakeUpIntervalUs));
        p.setProperty("profile.idleSeconds", Double.toString(idleSeconds));
        p.setProperty("profile.jmhArgs", String.join(" ", jmhArgs));
    }

    /**
     * @param p properties written by {@link #store}.
     * @return the profile they hold.
     */
    static Profile load(final java.util.Properties p)
    {
        final String jmh = p.getProperty("profile.jmhArgs", "");
        return new Profile(p.getProperty("profile.name"), Integer.parseInt(p.getProperty("profile.rounds")),
            Long.parseLong(p.getProperty("profile.pingPongSamples")),
            Double.parseDouble(p.getProperty("profile.pingPongMaxSeconds")),
            Long.parseLong(p.getProperty("profile.warmupRoundTrips")),
            Long.parseLong(p.getProperty("profile.roundWarmupRoundTrips")),
            Long.parseLong(p.getProperty("profile.warmupMessages")), Long.parseLong(p.getProperty("profile.oneWayRate")),
            Double.parseDouble(p.getProperty("profile.oneWaySeconds")),
            Double.parseDouble(p.getProperty("profile.throughputSeconds")),
            java.util.Arrays.stream(p.getProperty("profile.payloads").split(",")).map(Integer::valueOf).toList(),
            Integer.parseInt(p.getProperty("profile.producers")),
            Long.parseLong(p.getProperty("profile.syscallRoundTrips")),
            Integer.parseInt(p.getProperty("profile.wakeUpSamples")),
            Long.parseLong(p.getProperty("profile.wakeUpIntervalUs")),
            Double.parseDouble(p.getProperty("profile.idleSeconds")),
            jmh.isBlank() ? List.of() : List.of(jmh.split(" ")));
    }

    /**
     * @param roundTrips round trips to count under perf instead of the profile's ({@code --syscalls N}).
     * @return this profile with that count.
     */
    public Profile withSyscallRoundTrips(final long roundTrips)
    {
        return new Profile(name, rounds, pingPongSamples, pingPongMaxSeconds, warmupRoundTrips, roundWarmupRoundTrips,
            warmupMessages, oneWayRate, oneWaySeconds, throughputSeconds, payloads, producers, roundTrips,
            wakeUpSamples, wakeUpIntervalUs, idleSeconds, jmhArgs);
    }

    /**
     * @param payload a payload of {@link #payloads()}.
     * @return the round trips to record at it, all rounds together: the headline's count, a tenth for the others
     * (a shape check, not the headline).
     */
    public long pingPongSamples(final int payload)
    {
        return payload == payloads.getFirst() ? pingPongSamples : Math.max(rounds, pingPongSamples / 10);
    }

    /**
     * @param total  a count for the whole phase.
     * @param round  0-based round.
     * @return round {@code round}'s share of {@code total}: equal shares, the first rounds taking the remainder.
     */
    public long share(final long total, final int round)
    {
        return total / rounds + (round < total % rounds ? 1 : 0);
    }

    /**
     * @return the settings as the report shows them.
     */
    public RunResult.Settings settings()
    {
        return new RunResult.Settings(pingPongSamples, pingPongMaxSeconds, rounds, warmupRoundTrips,
            roundWarmupRoundTrips, warmupMessages, oneWayRate, oneWaySeconds, throughputSeconds, payloads, producers,
            BenchEndpoint.POLL_LIMIT, wakeUpSamples, wakeUpIntervalUs, idleSeconds);
    }
}
