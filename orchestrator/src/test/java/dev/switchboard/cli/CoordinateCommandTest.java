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
        final int exit = run("--workflow", "feature", "--scope", scope.toString(), "--agents", "3",
            "--parallel-tracks", "2", "--quality-gates", "strict", "--issues", "SB-1,SB-2", "--priority", "high");

        assertEquals(Main.EXIT_OK, exit, stderr());
        final JsonNode report = new ObjectMapper().readTree(stdout().strip());
        assertEquals("COMPLETED", report.get("status").asText(), stdout());
        assertEquals(100.0, report.get("progress").asDouble(), 1e-9, stdout());
        assertEquals(1, stdout().strip().lines().count(), "stdout holds the report alone: " + stdout());
        assertTrue(stderr().contains("] 100% design ✓"), stderr());
    }

    @Test
    void commandForACapabilityRunsInTheScopeAndItsFailureFailsTheWorkflow()
    {
        final int exit = run("--workflow", "bugfix", "--scope", scope.toString(), "--agents", "1",
            "--command", "testing=echo no tests here; exit 3", "--timeout", "30");

        assertEquals(Main.EXIT_FAILED, exit, stderr());
        assertTrue(stdout().contains("\"status\":\"FAILED\""), stdout());
        assertTrue(stderr().contains("failed"), stderr());
    }

    @Test
    void passingCommandCompletesTheWorkflow()
    {
        // lenient: the command measures coverage only, and the standard profile blocks on what is not measured
        final int exit = run("--workflow", "bugfix", "--scope", scope.toString(), "--agents", "2",
            "--quality-gates", "lenient",
            "--command", "testing=echo 'METRIC TEST_COVERAGE_PERCENT 95'", "--command", "review=true");

        assertEquals(Main.EXIT_OK, exit, stderr());
        assertTrue(stdout().contains("\"status\":\"COMPLETED\""), stdout());
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        assertEquals(Main.EXIT_USAGE, run("--workflow", "nonsense"));
        assertEquals(Main.EXIT_USAGE, run("--workflow", "feature", "--agents", "0"));
        assertEquals(Main.EXIT_USAGE, run("--workflow", "feature", "--quality-gates", "extreme"));
        assertEquals(Main.EXIT_USAGE, run("--workflow", "feature", "--priority", "urgent"));
        assertEquals(Main.EXIT_USAGE, run("--workflow", "feature", "--scope", scope.resolve("missing").toString()));
        assertEquals(Main.EXIT_USAGE, run("--scope", scope.toString()));
    }
}
