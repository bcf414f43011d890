/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.transport.Tier;

/**
 * Counters snapshots made by hand, labelled as the counters files label them ({@link CounterIds#label}), and a source
 * whose counts a test moves.
 */
final class TestSnapshots implements CountersSource
{
    static final long NOW_MS = 1_750_000_000_000L;

    final AtomicLong clock = new AtomicLong(NOW_MS);
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    /** A process whose counts, heartbeat and liveness a test sets. */
    static final class Process
    {
        final CountersSnapshot.Role role;
        final String name;
        final long pid;
        volatile boolean alive = true;
        volatile long heartbeatMs = NOW_MS;
        final Map<Integer, Long> values = new ConcurrentHashMap<>();
        final List<CountersSnapshot.Histogram> histograms = new ArrayList<>();
        final List<CountersSnapshot.DistinctError> errors = new ArrayList<>();

        Process(final CountersSnapshot.Role role, final String name, final long pid)
        {
            this.role = role;
            this.name = name;
            this.pid = pid;
        }

        Process set(final Tier tier, final Pattern pattern, final CounterKind kind, final long value)
        {
            values.put(CounterIds.of(tier, pattern, kind), value);
            return this;
        }

        Process add(final Tier tier, final Pattern pattern, final CounterKind kind, final long delta)
        {
            values.merge(CounterIds.of(tier, pattern, kind), delta, Long::sum);
            return this;
        }

        Process set(final RouterCounter counter, final long value)
        {
            values.put(CounterIds.of(counter), value);
            return this;
        }

        CountersSnapshot snapshot()
        {
            final List<CountersSnapshot.Counter> counters = new ArrayList<>();
            for (int id = 0; id < CounterIds.COUNT; id++)
            {
                counters.add(new CountersSnapshot.Counter(id, 0, CounterIds.label(id), values.getOrDefault(id, 0L)));
            }
            return new CountersSnapshot(Path.of("/dev/shm/test/" + role + "-" + pid), role, name, pid, NOW_MS - 60_000,
                heartbeatMs, alive, counters, List.copyOf(histograms), List.copyOf(errors));
        }
    }

    Process process(final CountersSnapshot.Role role, final String name, final long pid)
    {
        final Process process = new Process(role, name, pid);
        processes.put(role + name + pid, process);
        return process;
    }

    @Override
    public List<CountersSnapshot> read()
    {
        final List<CountersSnapshot> list = new ArrayList<>();
        processes.values().forEach(p -> list.add(p.snapshot()));
        return list;
    }

    /** A router (pid 100) and two agents (201, 202) with traffic, a histogram and an error. */
    static TestSnapshots typical()
    {
        final TestSnapshots snapshots = new TestSnapshots();
        snapshots.process(CountersSnapshot.Role.ROUTER, "switchboard-test", 100)
            .set(Tier.NORMAL, Pattern.PUBLISH, CounterKind.SENT, 40)
            .set(Tier.NORMAL, Pattern.PUBLISH, CounterKind.DELIVERED, 80)
            .set(RouterCounter.REGISTRATIONS, 2);
        final Process alpha = snapshots.process(CountersSnapshot.Role.AGENT, "alpha", 201)
            .set(Tier.CRITICAL, Pattern.SEND, CounterKind.SENT, 1000)
            .set(Tier.CRITICAL, Pattern.SEND, CounterKind.BACK_PRESSURED, 7)
            .set(Tier.NORMAL, Pattern.PUBLISH, CounterKind.SENT, 40);
        alpha.histograms.add(new CountersSnapshot.Histogram("request_response_ns",
            new long[]{1_000, 10_000, 100_000, Long.MAX_VALUE}, new long[]{5, 3, 2, 0}, 150_000));
        alpha.errors.add(new CountersSnapshot.DistinctError("inbox corrupt record", "record length -1 at 4096",
            NOW_MS - 5_000, NOW_MS - 1_000, 3));
        snapshots.process(CountersSnapshot.Role.AGENT, "beta", 202)
            .set(Tier.CRITICAL, Pattern.SEND, CounterKind.DELIVERED, 990)
            .set(Tier.NORMAL, Pattern.PUBLISH, CounterKind.DELIVERED, 40);
        return snapshots;
    }

    /** A router view that accepts, with CRITICAL and NORMAL running and HIGH falling back. */
    static RouterView acceptingRouter()
    {
        return new RouterView()
        {
            @Override
            public boolean accepting()
            {
                return true;
            }

            @Override
            public List<TierState> tiers()
            {
                return List.of(new TierState("CRITICAL", true, "inboxes in /dev/shm"),
                    new TierState("HIGH", false, "io_uring unavailable: falls back to NORMAL"),
                    new TierState("NORMAL", true, "control socket"));
            }
        };
    }

    /** An orchestrator with one running workflow of three tasks and two phases, and measured success metrics. */
    static OrchestratorView orchestrator()
    {
        return new OrchestratorView()
        {
            @Override
            public List<Workflow> workflows()
            {
                return List.of(new Workflow("feature[15]", "RUNNING", "implementation", 50.0, 1, 3, List.of(
                    new Task("design", "design", "architecture", List.of(), "COMPLETED", "ada", 100),
                    new Task("implement", "implementation", "coding", List.of("design"), "RUNNING", "bob", 40),
                    new Task("test", "implementation", "testing", List.of("implement"), "PENDING", null, 0)),
                    List.of(new Gate("design", "PASSED", 1, 0, "coverage 85 % >= 80 %"),
                        new Gate("implementation", "PENDING", 0, 0, ""))));
            }

            @Override
            public SuccessMetrics successMetrics()
            {
                return new SuccessMetrics(2, List.of(
                    new SuccessMetric("handoff_success", "handoff success", 19, 20, 95, false),
                    new SuccessMetric("automatic_recovery", "automatic recovery", 0, 0, 90, false)), "");
            }
        };
    }
}
