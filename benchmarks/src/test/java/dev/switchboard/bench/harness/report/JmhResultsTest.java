/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhResultsTest
{
    @TempDir
    Path dir;

    @Test
    void profilerMetricsAreFoundWithOrWithoutTheMiddleDot() throws IOException
    {
        final JmhResults jmh = read("""
            [ { "benchmark" : "a.B.c", "mode" : "thrpt", "measurementTime" : "1 s",
                "primaryMetric" : { "score" : 2.5, "scoreError" : "NaN", "scoreUnit" : "ops/us" },
                "secondaryMetrics" : { "\u00b7gc.alloc.rate.norm" : { "score" : 24.0, "scoreUnit" : "B/op" } } } ]
            """);

        final JmhResults.Benchmark b = jmh.benchmarks().getFirst();
        assertEquals(24.0, b.allocatedBytesPerOp().orElseThrow());
        assertEquals(2.5e6, b.primary().perSecond());
        assertTrue(Double.isNaN(b.primary().error()));
        assertEquals("B.c", b.shortName());
    }

    @Test
    void eventCountersAreAveragedOverIterationsAndDividedByTheIterationTime() throws IOException
    {
        final JmhResults jmh = read("""
            [ { "benchmark" : "a.IngressBenchmark.spsc", "mode" : "thrpt", "measurementTime" : "500 ms",
                "params" : { "capacity" : "4096" },
                "primaryMetric" : { "score" : 0.02, "scoreUnit" : "ops/ns" },
                "secondaryMetrics" : { "offered" : { "score" : 3000000.0, "scoreUnit" : "#",
                                                     "rawData" : [ [ 2000000.0, 4000000.0 ] ] } } } ]
            """);

        final JmhResults.Benchmark b = jmh.find("IngressBenchmark.spsc", JmhResults.THROUGHPUT_MODE).orElseThrow();
        assertEquals(6.0e6, b.eventsPerSecond("offered").orElseThrow(), 1e-6);
        assertEquals("IngressBenchmark.spsc (capacity=4096)", b.shortName());
    }

    private JmhResults read(final String json) throws IOException
    {
        final Path file = dir.resolve("jmh.json");
        Files.writeString(file, json);
        return JmhResults.read(file);
    }
}
