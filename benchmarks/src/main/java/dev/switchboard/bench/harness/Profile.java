/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.List;
import java.util.Locale;

import dev.switchboard.bench.harness.model.RunResult;

/**
 * How much a run measures. {@link #SHORT} is what {@code ./switchboard bench} runs (at most about 5 minutes on a
 * 2-vCPU machine); {@link #FULL} is {@code --full}; {@link #SMOKE} is the CI check that every case runs and a report
 * is written (seconds, numbers meaningless).
 *
 * @param name               as given on the command line.
 * @param pingPongSamples    measured round trips per case and payload size (the phase stops earlier at
 *                           {@code pingPongMaxSeconds}; the report shows the count reached).
 * @param pingPongMaxSeconds cap on one ping-pong phase.
 * @param warmupSeconds      unmeasured traffic before each measured phase.
 * @param oneWayRate         messages per second of the fixed-rate one-way phase.
 * @param oneWaySeconds      duration of the one-way phase (samples = rate x seconds).
 * @param throughputSeconds  duration of each throughput phase.
 * @param payloads           payload sizes; ping-pong runs each, one-way and throughput the first (32 B).
 * @param producers          N of the N-producer throughput phase.
 * @param syscallRoundTrips  round trips counted under {@code perf stat} (0: not counted).
 * @param jmhArgs            JMH options for the JMH part (null: JMH not run).
 */
public record Profile(
    String name, long pingPongSamples, double pingPongMaxSeconds, double warmupSeconds, long oneWayRate,
    double oneWaySeconds, double throughputSeconds, List<Integer> payloads, int producers, long syscallRoundTrips,
    List<String> jmhArgs)
{
    /** Seconds per case: every case and every JMH benchmark once, to prove they run and a report is written. */
    public static final Profile SMOKE = new Profile(
        "smoke", 2_000, 1.0, 0.1, 10_000, 0.2, 0.2, List.of(32, 1024), 2, 0,
        List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));

    /**
     * {@code ./switchboard bench}: 1,000,000 samples per case and method (ping-pong capped at 2 s, so slow tiers reach
     * fewer), one-way at 200,000 msgs/s for 5 s, about 5 minutes on 2 vCPUs.
     */
    public static final Profile SHORT = new Profile(
        "short", 1_000_000, 2.0, 0.5, 200_000, 5.0, 1.0, List.of(32, 1024), 2, 20_000,
        List.of("-f", "1", "-wi", "1", "-w", "400ms", "-i", "2", "-r", "400ms"));

    /** {@code ./switchboard bench --full}: more samples, the 100,000 msgs/s one-way rate, longer JMH. */
    public static final Profile FULL = new Profile(
        "full", 5_000_000, 30.0, 3.0, 100_000, 20.0, 5.0, List.of(32, 1024), 4, 100_000,
        List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"));

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
     * @return the settings as the report shows them.
     */
    public RunResult.Settings settings()
    {
        return new RunResult.Settings(pingPongSamples, pingPongMaxSeconds, warmupSeconds, oneWayRate, oneWaySeconds,
            throughputSeconds, payloads, producers);
    }
}
