/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * JMH 1.37's JSON result file ({@code -rf json}), read into what the report uses. JMH writes "NaN" as a string
 * for an error it could not compute (one iteration); that reads as {@link Double#NaN}. Secondary metric names are
 * read without the middle dot some JMH versions put before profiler metrics ({@code ·gc.alloc.rate.norm}).
 *
 * @param benchmarks the results, in file order.
 */
record JmhResults(List<Benchmark> benchmarks)
{
    /** The {@code -prof gc} metric: bytes allocated per operation. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** JMH's short name for throughput mode. */
    static final String THROUGHPUT_MODE = "thrpt";

    /** JMH's short name for sample-time mode. */
    static final String SAMPLE_MODE = "sample";

    /**
     * One metric of one benchmark.
     *
     * @param score       the score.
     * @param error       the 99.9 % confidence half-width, NaN when unknown.
     * @param unit        the score's unit ({@code ops/ns}, {@code ns/op}, {@code #}, {@code B/op}).
     * @param percentiles for sample mode, "50.0" to the value; empty otherwise.
     * @param rawData     every iteration's value, all forks in turn (empty for sample mode's histogram form).
     */
    record Metric(double score, double error, String unit, Map<String, Double> percentiles, List<Double> rawData)
    {
        /**
         * @return the score in operations per second when the unit is ops per time unit, else NaN.
         */
        double perSecond()
        {
            return perSecond(score, unit);
        }

        static double perSecond(final double score, final String unit)
        {
            if (null == unit || !unit.startsWith("ops/"))
            {
                return Double.NaN;
            }
            return switch (unit.substring(4))
            {
                case "ns" -> score * 1e9;
                case "us", "µs" -> score * 1e6;
                case "ms" -> score * 1e3;
                case "s" -> score;
                case "min" -> score / 60.0;
                default -> Double.NaN;
            };
        }
    }

    /**
     * One benchmark in one mode.
     *
     * @param name               fully qualified: {@code dev.switchboard.bench.IngressBenchmark.spsc}.
     * @param mode               {@code thrpt}, {@code sample}, {@code avgt}, {@code ss}.
     * @param params             the {@code @Param} values, empty when none.
     * @param primary            the primary metric.
     * @param secondary          secondary metrics by name (profilers, aux counters, group members).
     * @param measurementSeconds one measurement iteration's length, NaN when unknown.
     */
    record Benchmark(
        String name, String mode, Map<String, String> params, Metric primary, Map<String, Metric> secondary,
        double measurementSeconds)
    {
        /**
         * @return class and method, without the package: {@code IngressBenchmark.spsc}, with any params.
         */
        String shortName()
        {
            final int method = name.lastIndexOf('.');
            final int type = method > 0 ? name.lastIndexOf('.', method - 1) : -1;
            final String base = name.substring(type + 1);
            return params.isEmpty() ? base : base + " (" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + ")";
        }

        Optional<Metric> metric(final String secondaryName)
        {
            return Optional.ofNullable(secondary.get(secondaryName));
        }

        /**
         * @return bytes allocated per operation, when JMH ran with {@code -prof gc}.
         */
        Optional<Double> allocatedBytesPerOp()
        {
            return metric(ALLOC_NORM).map(Metric::score);
        }

        /**
         * @param counter an {@code @AuxCounters(EVENTS)} counter (a count per iteration).
         * @return its events per second: the mean count per iteration over the iteration's length.
         */
        Optional<Double> eventsPerSecond(final String counter)
        {
            if (Double.isNaN(measurementSeconds) || measurementSeconds <= 0)
            {
                return Optional.empty();
            }
            return metric(counter).map(m -> m.rawData().isEmpty() ?
                m.score() / measurementSeconds :
                m.rawData().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN) /
                    measurementSeconds);
        }
    }

    /**
     * @param jmhJson the file JMH wrote.
     * @return its results.
     * @throws IOException when it cannot be read or is not a JMH result array.
     */
    static JmhResults read(final Path jmhJson) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(jmhJson.toFile());
        if (null == root || !root.isArray())
        {
            throw new IOException(jmhJson + " is not a JMH JSON result file (expected an array of benchmarks)");
        }
        final List<Benchmark> benchmarks = new ArrayList<>();
        for (final JsonNode b : root)
        {
            final Map<String, String> params = new LinkedHashMap<>();
            b.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            final Map<String, Metric> secondary = new LinkedHashMap<>();
            b.path("secondaryMetrics").properties().forEach(
                e -> secondary.put(metricName(e.getKey()), metric(e.getValue())));
            benchmarks.add(new Benchmark(
                b.path("benchmark").asText(), b.path("mode").asText(), params, metric(b.path("primaryMetric")),
                secondary, seconds(b.path("measurementTime").asText())));
        }
        return new JmhResults(List.copyOf(benchmarks));
    }

    /**
     * @param nameFragment part of a benchmark's name: {@code IngressBenchmark.spsc}.
     * @param mode         the mode.
     * @return the first benchmark that matches.
     */
    Optional<Benchmark> find(final String nameFragment, final String mode)
    {
        return benchmarks.stream().filter(b -> b.name().contains(nameFragment) && mode.equals(b.mode())).findFirst();
    }

    private static Metric metric(final JsonNode m)
    {
        final Map<String, Double> percentiles = new LinkedHashMap<>();
        m.path("scorePercentiles").properties().forEach(e -> percentiles.put(e.getKey(), number(e.getValue())));
        final List<Double> raw = new ArrayList<>();
        for (final JsonNode fork : m.path("rawData"))
        {
            fork.forEach(v -> raw.add(number(v)));
        }
        return new Metric(
            number(m.path("score")), number(m.path("scoreError")), m.path("scoreUnit").asText(""), percentiles, raw);
    }

    private static String metricName(final String key)
    {
        int start = 0;
        while (start < key.length() && (key.charAt(start) == '\u00b7' || Character.isWhitespace(key.charAt(start))))
        {
            start++;
        }
        return key.substring(start);
    }

    private static double number(final JsonNode v)
    {
        if (v.isNumber())
        {
            return v.doubleValue();
        }
        if (v.isTextual())
        {
            try
            {
                return Double.parseDouble(v.asText());
            }
            catch (final NumberFormatException ignored)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * @param timeValue JMH's {@code TimeValue} text: {@code 1 s}, {@code 500 ms}, {@code 2 min}.
     */
    private static double seconds(final String timeValue)
    {
        final String[] parts = timeValue.trim().split("\\s+");
        if (parts.length != 2)
        {
            return Double.NaN;
        }
        final double amount;
        try
        {
            amount = Double.parseDouble(parts[0]);
        }
        catch (final NumberFormatException ignored)
        {
            return Double.NaN;
        }
        return switch (parts[1].toLowerCase(Locale.ROOT))
        {
            case "ns" -> amount / 1e9;
            case "us", "µs" -> amount / 1e6;
            case "ms" -> amount / 1e3;
            case "s" -> amount;
            case "min" -> amount * 60;
            case "hr" -> amount * 3600;
            default -> Double.NaN;
        };
    }
}
