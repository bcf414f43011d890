/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard coordinate} end to end: embedded router, real agent threads. */
class CoordinateCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path scope;

    private int run(final String... args)
    {
        final String[] full = new String[args.length + 1];
        full[0] = "coordinate";
        System.arraycopy(args, 0, full, 1, args.length);
        return Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void featureWorkflowCompletesAndPrintsTheJsonReportOnStdout() throws Exception
    {
        // lenient: scripted agents change nothing, and this empty directory measures as nothing (warnings only)
        final int exit = run("--workflow", "feature", "--repo", scope.toString(), "--agents", "3",
            "--parallel-tracks", "2", "--quality-gates", "lenient", "--issues", "SB-1,SB-2", "--priority", "high");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertTrue(stderr().contains("scripted agents (no --agents-file): they report success and change nothing"),
            stderr());
        assertTrue(stderr().contains("TEST_COVERAGE_PERCENT: not measured"), "measured, not reported: " + stderr());
        final JsonNode report = new ObjectMapper().readTree(stdout().strip());
        assertEquals("COMPLETED", report.get("status").asText(), stdout());
        assertEquals(100.0, report.get("progress").asDouble(), 1e-9, stdout());
        assertEquals(1, stdout().strip().lines().count(), "stdout holds the report alone: " + stdout());
        assertTrue(stderr().contains("] 100% design ✓"), stderr());
    }

    @Test
    void commandForACapabilityRunsInTheScopeAndItsFailureFailsTheWorkflow()
    {
        final int exit = run("--workflow", "bugfix", "--repo", scope.toString(), "--agents", "1",
            "--command", "testing=echo no tests here; exit 3", "--timeout", "30");

        assertEquals(ExitCodes.FAILED, exit, stderr());
        assertTrue(stdout().contains("\"status\":\"FAILED\""), stdout());
        assertTrue(stderr().contains("failed"), stderr());
    }

    @Test
    void aCommandsReportedMetricPassesNoGate() throws Exception
    {
        // the command says coverage is 95; the orchestrator measures the directory itself, finds nothing to measure,
        // and the standard profile's blocking code-quality gate fails on that, whatever the agent reported
        final Path workflow = scope.resolve("tests.yaml");
        java.nio.file.Files.writeString(workflow, String.join("\n", "name: tests", "phases:", "  - id: testing",
            "    gates: [code-quality]", "    tasks:", "      - {id: unit-tests, capability: testing}", ""));
        final int exit = run("--workflow", workflow.toString(), "--repo", scope.toString(), "--agents", "1",
            "--command", "testing=echo 'METRIC TEST_COVERAGE_PERCENT 95'", "--timeout", "60");

        assertEquals(ExitCodes.FAILED, exit, stderr());
        assertTrue(stderr().contains("TEST_COVERAGE_PERCENT: not measured"), stderr());
        assertTrue(stderr().contains("code-quality (BLOCKING) FAILED"), stderr());
    }

    @Test
    void passingCommandCompletesTheWorkflow()
    {
        // lenient: nothing blocks, so the run completes once every command succeeds
        final int exit = run("--workflow", "bugfix", "--repo", scope.toString(), "--agents", "2",
            "--quality-gates", "lenient",
            "--command", "testing=echo 'METRIC TEST_COVERAGE_PERCENT 95'", "--command", "review=true");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertTrue(stdout().contains("\"status\":\"COMPLETED\""), stdout());
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        assertEquals(ExitCodes.USAGE, run("--workflow", "nonsense"));
        assertEquals(ExitCodes.USAGE, run("--workflow", "feature", "--agents", "0"));
        assertEquals(ExitCodes.USAGE, run("--workflow", "feature", "--quality-gates", "extreme"));
        assertEquals(ExitCodes.USAGE, run("--workflow", "feature", "--priority", "urgent"));
        assertEquals(ExitCodes.USAGE, run("--workflow", "feature", "--repo", scope.resolve("missing").toString()));
        assertEquals(ExitCodes.USAGE, run("--repo", scope.toString()));
    }
}
