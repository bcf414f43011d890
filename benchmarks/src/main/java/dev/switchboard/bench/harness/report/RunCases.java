/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.LatencyResult.Method;
import dev.switchboard.bench.harness.model.RunResult;
import dev.switchboard.bench.harness.model.ThroughputResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The cases of one run, in report order (the floor first, then Switchboard's tiers, then the peers, each group
 * in run order), with look-ups by case, method, payload and producers. Tolerates the nulls a hand-edited or
 * partial {@code harness.json} may hold.
 */
final class RunCases
{
    static final String FLOOR_KIND = "FLOOR";
    static final String SWITCHBOARD_KIND = "SWITCHBOARD";
    static final String PEER_KIND = "PEER";

    /** The floor taken first; the ratios' reference when present. */
    static final String FLOOR_ID = "c-floor";

    /** The payload the targets are judged on when the settings do not name one. */
    static final int DEFAULT_PAYLOAD = 32;

    /**
     * One latency table's worth: a method at a payload size.
     *
     * @param method  how the latency was measured.
     * @param payload bytes per message.
     */
    record LatencyRun(Method method, int payload)
    {
        /**
         * @return the plot's file name stem: {@code latency-ping_pong_rtt-32B}.
         */
        String fileStem()
        {
            return "latency-" + method.name().toLowerCase(java.util.Locale.ROOT) + "-" + payload + "B";
        }
    }

    private final RunResult run;
    private final List<CaseResult> ordered;

    RunCases(final RunResult run)
    {
        this.run = run;
        final List<CaseResult> cases = new ArrayList<>(null == run.cases() ? List.of() : run.cases());
        cases.removeIf(Objects::isNull);
        cases.sort(Comparator.comparingInt(c -> kindRank(c.kind())));
        this.ordered = List.copyOf(cases);
    }

    RunResult run()
    {
        return run;
    }

    /**
     * @return every case, in report order.
     */
    List<CaseResult> ordered()
    {
        return ordered;
    }

    /**
     * @return the cases that ran, in report order.
     */
    List<CaseResult> ran()
    {
        return ordered.stream().filter(c -> null == c.skipped()).toList();
    }

    /**
     * @return the cases skipped, with their reasons, in report order.
     */
    List<CaseResult> skipped()
    {
        return ordered.stream().filter(c -> null != c.skipped()).toList();
    }

    Optional<CaseResult> byId(final String id)
    {
        return ordered.stream().filter(c -> id.equals(c.id())).findFirst();
    }

    /**
     * @return the payload the targets are judged on: the first one run.
     */
    int headlinePayload()
    {
        final RunResult.Settings settings = run.settings();
        return null == settings || null == settings.payloadLengths() || settings.payloadLengths().isEmpty() ?
            DEFAULT_PAYLOAD : settings.payloadLengths().getFirst();
    }

    static List<LatencyResult> latencies(final CaseResult c)
    {
        return null == c.latency() ? List.of() : c.latency().stream().filter(Objects::nonNull).toList();
    }

    static List<ThroughputResult> throughputs(final CaseResult c)
    {
        return null == c.throughput() ? List.of() : c.throughput().stream().filter(Objects::nonNull).toList();
    }

    static Optional<LatencyResult> latency(final CaseResult c, final LatencyRun run)
    {
        // The floor moves one cache line whatever the payload: its result stands beside every payload size.
        final boolean floor = FLOOR_KIND.equals(c.kind());
        return latencies(c).stream()
            .filter(l -> l.method() == run.method() && (floor || l.payloadLength() == run.payload()))
            .findFirst();
    }

    Optional<LatencyResult> latency(final String caseId, final LatencyRun run)
    {
        return byId(caseId).flatMap(c -> latency(c, run));
    }

    Optional<ThroughputResult> throughput(final String caseId, final int producers, final int payload)
    {
        return byId(caseId).flatMap(c -> throughputs(c).stream()
            .filter(t -> t.producers() == producers && t.payloadLength() == payload)
            .findFirst());
    }

    /**
     * @param run a method and payload.
     * @return the floor case the ratios of that run are taken to: {@code c-floor} when it measured the run, else
     * the first floor case that did.
     */
    Optional<CaseResult> floorFor(final LatencyRun run)
    {
        return ordered.stream()
            .filter(c -> FLOOR_KIND.equals(c.kind()) && latency(c, run).isPresent())
            .min(Comparator.comparingInt(c -> FLOOR_ID.equals(c.id()) ? 0 : 1));
    }

    /**
     * @return every method and payload some case measured, ping-pong first, then by payload.
     */
    List<LatencyRun> latencyRuns()
    {
        final TreeSet<LatencyRun> runs = new TreeSet<>(
            Comparator.comparing(LatencyRun::method).thenComparingInt(LatencyRun::payload));
        for (final CaseResult c : ordered)
        {
            if (FLOOR_KIND.equals(c.kind()) && ordered.stream().anyMatch(o -> !FLOOR_KIND.equals(o.kind())))
            {
                continue; // the floor's rows appear in the other cases' tables (see latency)
            }
            for (final LatencyResult l : latencies(c))
            {
                if (null != l.method())
                {
                    runs.add(new LatencyRun(l.method(), l.payloadLength()));
                }
            }
        }
        return List.copyOf(runs);
    }

    /**
     * @return every payload some case measured throughput at, ascending.
     */
    List<Integer> throughputPayloads()
    {
        final TreeSet<Integer> payloads = new TreeSet<>();
        ordered.forEach(c -> throughputs(c).forEach(t -> payloads.add(t.payloadLength())));
        return List.copyOf(payloads);
    }

    /**
     * @param caseId a case.
     * @param what   what was looked for: "a one-way 32 B result".
     * @return why a target on that case cannot be judged: absent, skipped (with the reason), or the result missing.
     */
    String whyMissing(final String caseId, final String what)
    {
        final Optional<CaseResult> c = byId(caseId);
        if (c.isEmpty())
        {
            return caseId + " not in this run";
        }
        if (null != c.get().skipped())
        {
            return caseId + " skipped: " + c.get().skipped();
        }
        return caseId + " has no " + what;
    }

    /**
     * @param c a case.
     * @return how the report names it: its label and id.
     */
    static String name(final CaseResult c)
    {
        final String label = null == c.label() || c.label().isBlank() ? c.id() : c.label();
        return label.equals(c.id()) ? "`" + c.id() + "`" : label + " (`" + c.id() + "`)";
    }

    private static int kindRank(final String kind)
    {
        if (FLOOR_KIND.equals(kind))
        {
            return 0;
        }
        if (SWITCHBOARD_KIND.equals(kind))
        {
            return 1;
        }
        return PEER_KIND.equals(kind) ? 2 : 3;
    }
}
