/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.List;

/**
 * One run of the harness: written as {@code harness.json} in the run directory, read back by the report.
 *
 * @param startedAt   ISO-8601 UTC start time (also the run directory's name).
 * @param profile     smoke, short or full.
 * @param machine     CPU model, CPUs, kernel, JDK, taskset availability.
 * @param settings    the profile's numbers (samples, rates, durations, payload sizes, producers).
 * @param cases       the cases, in run order.
 * @param jmhJson     the JMH results file relative to the run directory, or null when JMH did not run.
 * @param profiles    JFR summaries taken for missed targets (may be empty).
 * @param elapsedSeconds the whole run's wall-clock time.
 * @param orchestrator the orchestrator section (hand-off latency, workflow rate, plan generation), or null when it
 *                     did not run (and in runs older than it).
 */
public record RunResult(
    String startedAt, String profile, Machine machine, Settings settings, List<CaseResult> cases, String jmhJson,
    List<ProfileSummary> profiles, double elapsedSeconds, OrchestratorResult orchestrator)
{
    /**
     * @param cpuModel  from /proc/cpuinfo.
     * @param cpus      available processors.
     * @param kernel    uname -r.
     * @param jdk       java.vm.version and vendor.
     * @param pinning   "taskset -c 0 / -c 1" or why not pinned.
     */
    public record Machine(String cpuModel, int cpus, String kernel, String jdk, String pinning)
    {
    }

    /**
     * @param pingPongSamples      target measured round trips per case and headline payload (time-capped).
     * @param pingPongMaxSeconds   the cap on one ping-pong phase (all its rounds together).
     * @param rounds               rounds each phase is cut into; cases of one group alternate round by round.
     * @param warmupRoundTrips     unrecorded round trips before a ping-pong phase's first round.
     * @param roundWarmupRoundTrips unrecorded round trips (one-way: messages) before every later round.
     * @param warmupMessages       unrecorded messages before a one-way phase (at its rate) and a throughput phase.
     * @param oneWayRatePerSecond  the fixed rate of the one-way phase.
     * @param oneWaySeconds        its duration, all rounds together (samples = rate x seconds).
     * @param throughputSeconds    duration of each throughput phase, all rounds together.
     * @param payloadLengths       payload sizes run (the first is the headline 32 B).
     * @param producers            N of the N-producer throughput phase.
     * @param pollLimit            the most messages one poll delivers, every case (peers and Switchboard alike).
     * @param wakeUpSamples        messages of the wake-up phase.
     * @param wakeUpIntervalUs     their spacing, microseconds.
     * @param idleSeconds          the idle window.
     */
    public record Settings(
        long pingPongSamples, double pingPongMaxSeconds, int rounds, long warmupRoundTrips,
        long roundWarmupRoundTrips, long warmupMessages, long oneWayRatePerSecond, double oneWaySeconds,
        double throughputSeconds, List<Integer> payloadLengths, int producers, int pollLimit, int wakeUpSamples,
        long wakeUpIntervalUs, double idleSeconds)
    {
    }

    /**
     * Where the time went in one case, from a JFR recording of it.
     *
     * @param caseId   the case profiled.
     * @param process  "initiator" or "responder".
     * @param jfrFile  the recording, relative to the run directory.
     * @param topFrames the hottest top frames, "method (percent of samples)", hottest first.
     */
    public record ProfileSummary(String caseId, String process, String jfrFile, List<String> topFrames)
    {
    }
}
