/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.bench.harness.floor.CacheLineFloor;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;

/**
 * Runs the hardware floor ({@link CacheLineFloor}: one cache line ping-ponged between two processes in C) with the
 * profile's sample counts, as a {@link CaseResult} of kind FLOOR. The harness runs it first and last: the floor of
 * a VM moves between runs and within one, and the report shows both.
 */
final class FloorRunner
{
    private final Path projectRoot;
    private final Path runDir;
    private final Profile profile;
    private final String cpus;
    private final PrintStream console;
    private Path binary;

    FloorRunner(final Path projectRoot, final Path runDir, final Profile profile, final List<String> cpus,
        final PrintStream console)
    {
        this.projectRoot = projectRoot;
        this.runDir = runDir;
        this.profile = profile;
        this.cpus = cpus.size() >= 2 ? cpus.get(0) + "," + cpus.get(1) : CacheLineFloor.UNPINNED;
        this.console = console;
    }

    CaseResult run(final String id, final String label)
    {
        final String placement = "2 processes (fork)" + (cpus.equals(CacheLineFloor.UNPINNED) ? ", unpinned" :
            ", CPU " + cpus.replace(",", " / "));
        final List<LatencyResult> latency = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        try
        {
            if (binary == null)
            {
                binary = CacheLineFloor.build(projectRoot, projectRoot.resolve("benchmarks").resolve("target")
                    .resolve("floor"));
            }
            console.printf("[floor] %s: ping-pong, %,d round trips%n", id, profile.pingPongSamples());
            final CacheLineFloor.FloorRun pingPong = CacheLineFloor.pingPong(binary, runDir,
                InitiatorDriver.hlogName(id, LatencyResult.Method.PING_PONG_RTT, CacheLineFloor.LINE_BYTES),
                profile.pingPongSamples(), Math.max(1, profile.pingPongSamples() / 10), cpus, CacheLineFloor.LINE_BYTES);
            latency.add(pingPong.result());
            console.printf("  %-14s ping-pong p50 %s, p99 %s, p99.9 %s%n", id, InitiatorDriver.ns(pingPong.result().p50Ns()),
                InitiatorDriver.ns(pingPong.result().p99Ns()), InitiatorDriver.ns(pingPong.result().p999Ns()));
            final long oneWaySamples = Math.max(1, (long)(profile.oneWayRate() * profile.oneWaySeconds()));
            console.printf("[floor] %s: one-way at %,d msgs/s, %,d messages%n", id, profile.oneWayRate(), oneWaySamples);
            final CacheLineFloor.FloorRun oneWay = CacheLineFloor.oneWay(binary, runDir,
                InitiatorDriver.hlogName(id, LatencyResult.Method.ONE_WAY_FIXED_RATE, CacheLineFloor.LINE_BYTES),
                oneWaySamples, profile.oneWayRate(), cpus);
            latency.add(oneWay.result());
            console.printf("  %-14s one-way p50 %s, p99 %s, p99.9 %s%n", id, InitiatorDriver.ns(oneWay.result().p50Ns()),
                InitiatorDriver.ns(oneWay.result().p99Ns()), InitiatorDriver.ns(oneWay.result().p999Ns()));
            if (oneWay.missed() > 0)
            {
                notes.add("one-way: the receiver missed " + oneWay.missed() + " messages (overwritten before read)");
            }
            if (!pingPong.pinned())
            {
                notes.add("not pinned: " + pingPong.summaryLine());
            }
            for (final CacheLineFloor.FloorRun r : List.of(pingPong, oneWay))
            {
                if (r.warnings() != null && !r.warnings().isBlank())
                {
                    notes.add(r.warnings().strip());
                }
            }
            notes.add("the floor moves one 64-byte line; its rows compare with every payload size");
            return new CaseResult(id, label, BenchCase.Kind.FLOOR.name(), placement, latency, List.of(), null, null,
                notes, List.of(id), List.of(), null);
        }
        catch (final Exception e)
        {
            console.printf("  %s failed: %s%n", id, e.getMessage());
            return new CaseResult(id, label, BenchCase.Kind.FLOOR.name(), placement, latency, List.of(), null,
                "failed: " + e.getMessage(), notes, List.of(id), List.of(), null);
        }
    }
}
