/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.IdleResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.SyscallResult;
import dev.switchboard.bench.harness.model.ThroughputResult;

/**
 * Assembles one case's result from its children's {@code RESULT}, {@code NOTE} and {@code SETTING} lines: latency
 * from the HdrHistogram logs the lines name (each round an interval), throughput added up over its rounds.
 * Not thread-safe: the coordinator's thread feeds it.
 */
final class CaseCollector
{
    private final BenchCase benchCase;
    private final Path runDir;
    private final List<LatencyResult> latency = new ArrayList<>();
    /** (producers, payload) to round to {messages, seconds}. */
    private final Map<String, TreeMap<Integer, double[]>> throughputRounds = new LinkedHashMap<>();
    /** (producers, payload) to back-pressured offers, every round. */
    private final Map<String, Long> backPressured = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();
    private IdleResult idle;

    CaseCollector(final BenchCase benchCase, final Path runDir)
    {
        this.benchCase = benchCase;
        this.runDir = runDir;
    }

    String caseId()
    {
        return benchCase.id();
    }

    void onResult(final String text, final Map<String, String> kv) throws IOException
    {
        final String what = text.split(" ", 2)[0];
        switch (what)
        {
            case "PING_PONG_RTT", "ONE_WAY_FIXED_RATE", "WAKE_UP" ->
            {
                final LatencyResult.Method method = LatencyResult.Method.valueOf(what);
                final String hlog = kv.get("hlog");
                final long rate = kv.containsKey("rate") ? Long.parseLong(kv.get("rate")) : 0;
                final long target = kv.containsKey("target") ? Long.parseLong(kv.get("target")) : 0;
                latency.add(HdrLogs.summarise(method, Integer.parseInt(kv.get("payload")), rate,
                    HdrLogs.readRounds(runDir.resolve(hlog)), hlog, target));
                if (kv.containsKey("negative") && !"0".equals(kv.get("negative")))
                {
                    onNote(kv.get("negative") + " " + method.name().toLowerCase() +
                        " samples were negative (clock) and recorded as 0");
                }
            }
            case "ONE_WAY_SENDER" ->
            {
                if (!"0".equals(kv.get("lateSends")))
                {
                    onNote("one-way: " + kv.get("lateSends") + " of " + kv.get("sent") + " sends left more " +
                        "than one interval late (charged to the latency: CO corrected)");
                }
            }
            case "THROUGHPUT" -> throughputRounds
                .computeIfAbsent(key(kv), k -> new TreeMap<>())
                .put(Integer.parseInt(kv.getOrDefault("round", "0")),
                    new double[]{ Long.parseLong(kv.get("messages")), Double.parseDouble(kv.get("seconds")) });
            case "THROUGHPUT_SENDER" ->
                backPressured.merge(key(kv), Long.parseLong(kv.get("backPressured")), Long::sum);
            default ->
            {
                // a line from a newer child: ignored
            }
        }
    }

    private static String key(final Map<String, String> kv)
    {
        return kv.get("producers") + "/" + kv.get("payload");
    }

    void onNote(final String note)
    {
        if (!notes.contains(note))
        {
            notes.add(note);
        }
    }

    void onSetting(final String setting)
    {
        if (!settings.contains(setting))
        {
            settings.add(setting);
        }
    }

    /**
     * @param prefix a setting's "process: name" as a side printed it.
     * @return the rest of the first setting starting with it, or null.
     */
    String settingValue(final String prefix)
    {
        return settings.stream().filter(s -> s.startsWith(prefix)).map(s -> s.substring(prefix.length()).replaceFirst("^[:=]?\\s*", "").strip())
            .findFirst().orElse(null);
    }

    void idle(final IdleResult result)
    {
        this.idle = result;
    }

    List<LatencyResult> latency()
    {
        return List.copyOf(latency);
    }

    List<ThroughputResult> throughput()
    {
        final List<ThroughputResult> joined = new ArrayList<>();
        for (final Map.Entry<String, TreeMap<Integer, double[]>> e : throughputRounds.entrySet())
        {
            final String[] pp = e.getKey().split("/");
            long messages = 0;
            double seconds = 0;
            final List<Double> rates = new ArrayList<>();
            for (final double[] r : e.getValue().values())
            {
                messages += (long)r[0];
                seconds += r[1];
                rates.add(r[0] / Math.max(1e-9, r[1]));
            }
            joined.add(new ThroughputResult(Integer.parseInt(pp[0]), Integer.parseInt(pp[1]), messages, seconds,
                messages / Math.max(1e-9, seconds), backPressured.getOrDefault(e.getKey(), 0L),
                rates.size() > 1 ? List.copyOf(rates) : List.of()));
        }
        joined.sort(Comparator.comparingInt(ThroughputResult::producers));
        return joined;
    }

    List<String> notes()
    {
        return List.copyOf(notes);
    }

    CaseResult result(
        final String placement, final SyscallResult syscalls, final String skipped, final List<String> group)
    {
        return new CaseResult(benchCase.id(), benchCase.label(), benchCase.kind().name(), placement, latency(),
            throughput(), syscalls, skipped, notes(), group, List.copyOf(settings), idle);
    }
}
