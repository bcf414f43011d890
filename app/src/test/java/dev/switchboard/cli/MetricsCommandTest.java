/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.metrics.MetricsFile;
import dev.switchboard.orchestrator.metrics.RunMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The success metrics of real runs of {@code coordinate} (in this JVM, scripted agents and shell commands), computed
 * from their journals, kept in the metrics file and shown by {@code metrics}.
 */
class MetricsCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path metricsFile()
    {
        return dir.resolve("state/metrics.jsonl");
    }

    private int coordinate(final Path workflow, final String... more) throws Exception
    {
        final Path repo = Files.createDirectories(dir.resolve("repo"));
        final List<String> args = new ArrayList<>(List.of("coordinate", "--workflow", workflow.toString(), "--repo",
            repo.toString(), "--metrics-file", metricsFile().toString(), "--quality-gates", "lenient",
            "--timeout", "60"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Path twoParallelTasks() throws Exception
    {
        return Files.writeString(dir.resolve("pair.yaml"), """
            name: pair
            phases:
              - id: build
                tasks:
                  - {id: left, capability: implementation, estimatedMinutes: 30}
                  - {id: right, capability: implementation, estimatedMinutes: 30}
            """);
    }

    private JsonNode reportMetrics() throws Exception
    {
        final String json = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{\"phase\""))
            .reduce((a, b) -> b).orElseThrow();
        return JSON.readTree(json).get("success_metrics");
    }

    @Test
    void twoTasksOnTwoAgentsAtOnceSaveAboutHalfTheTimeAndEveryHandoffIsReported() throws Exception
    {
        assertEquals(ExitCodes.OK, coordinate(twoParallelTasks(), "--agents", "2", "--task-duration-ms", "400"),
            err.toString(StandardCharsets.UTF_8));

        final JsonNode metrics = reportMetrics();
        assertEquals(2, metrics.get("handoff_success").get("of").asInt());
        assertEquals(2, metrics.get("handoff_success").get("total").asInt());
        assertEquals(100.0, metrics.get("execution_success").get("percent").asDouble());
        assertEquals(100.0, metrics.get("plan_accuracy").get("percent").asDouble());
        final double saved = metrics.get("time_saved").get("percent").asDouble();
        assertTrue(saved > 35 && saved <= 50, "two 400 ms tasks at once: critical path ~ half the sum, was " + saved);
        assertEquals(50.0, metrics.get("time_saved_estimated").get("percent").asDouble());
        // no failure, no gate: no basis, and no number
        assertTrue(metrics.get("automatic_recovery").get("percent").isNull(), metrics.toString());
        assertTrue(metrics.get("gate_compliance").get("percent").isNull(), metrics.toString());

        final List<RunMetrics> kept = new MetricsFile(metricsFile()).read();
        assertEquals(1, kept.size());
        assertEquals("pair", kept.getFirst().definition());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(metricsFile())));
        assertEquals("rwx------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(metricsFile().getParent())));
    }

    @Test
    void aFailingCommandCountsAsFailuresNotRecoveredAndAFailedExecution() throws Exception
    {
        assertEquals(ExitCodes.FAILED, coordinate(twoParallelTasks(), "--agents", "1", "--command",
            "implementation=echo broken >&2; exit 3"), err.toString(StandardCharsets.UTF_8));

        final JsonNode metrics = reportMetrics();
        assertEquals(0, metrics.get("execution_success").get("of").asInt());
        assertEquals(0.0, metrics.get("plan_accuracy").get("percent").asDouble());
        assertTrue(metrics.get("automatic_recovery").get("total").asInt() >= 1, metrics.toString());
        assertEquals(0, metrics.get("automatic_recovery").get("of").asInt());
        assertEquals(metrics.get("handoff_success").get("total").asInt(),
            metrics.get("handoff_success").get("of").asInt(), "the agent answered every item, with a failure");
    }

    @Test
    void metricsShowsTotalsOverTheKeptRunsAndTheLastRunBesideTheTargets() throws Exception
    {
        assertEquals(ExitCodes.OK, coordinate(twoParallelTasks(), "--agents", "2"));
        assertEquals(ExitCodes.FAILED, coordinate(twoParallelTasks(), "--agents", "1", "--command",
            "implementation=exit 3"));

        assertEquals(ExitCodes.OK, run("metrics", "--metrics-file", metricsFile().toString()));

        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("success metrics of 2 kept runs in " + metricsFile()), text);
        final String totals = text.substring(text.indexOf("totals:"), text.indexOf("last run:"));
        assertTrue(totals.matches("(?s).*execution success\\s+50\\.0 % \\(1/2\\)\\s+target > 95 %\\s+NOT met.*"),
            totals);
        assertTrue(totals.matches("(?s).*gate compliance\\s+not measured \\(no case\\)\\s+target 100 %.*"), totals);
        final String last = text.substring(text.indexOf("last run:"));
        assertTrue(last.matches("(?s).*execution success\\s+0\\.0 % \\(0/1\\).*"), last);
        assertTrue(last.matches("(?s).*automatic recovery\\s+0\\.0 % \\(0/\\d+\\)\\s+target > 90 %\\s+NOT met.*"),
            last);

        assertEquals(ExitCodes.OK, run("metrics", "--metrics-file", metricsFile().toString(), "--json"));
        final JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(2, json.get("runs").asInt());
        assertEquals(50.0, json.get("totals").get("execution_success").get("percent").asDouble());
    }

    @Test
    void metricsWithoutKeptRunsSaysNotMeasuredForEveryMetric() throws Exception
    {
        assertEquals(ExitCodes.OK, run("metrics", "--metrics-file", metricsFile().toString(), "--json"));

        final JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(0, json.get("runs").asInt());
        json.get("totals").forEach(metric -> assertTrue(metric.get("percent").isNull(), metric.toString()));
        assertTrue(json.get("last_run").isNull());
    }

    @Test
    void aLineThatIsNotARunIsReportedWithItsLineNumber() throws Exception
    {
        Files.createDirectories(metricsFile().getParent());
        Files.writeString(metricsFile(), "{not json\n");

        assertEquals(ExitCodes.FAILED, run("metrics", "--metrics-file", metricsFile().toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(metricsFile() + ":1: not a run's metrics"),
            err.toString(StandardCharsets.UTF_8));
    }
}
