/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.gates.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTaskHandlerTest
{
    @TempDir
    Path dir;

    private TaskOutcome run(final String capability, final String... command) throws InterruptedException
    {
        return new CommandTaskHandler(Map.of("testing", List.of(command)), dir, Duration.ofSeconds(10))
            .handle("unit-tests", capability);
    }

    @Test
    void exitCodeZeroIsASuccessWithoutMetrics() throws InterruptedException
    {
        assertEquals(TaskOutcome.success(Map.of()), run("testing", "true"));
    }

    @Test
    void metricLinesOnStdoutBecomeTheSuccessMetrics() throws InterruptedException
    {
        final TaskOutcome outcome = run("testing", "sh", "-c",
            "echo building; echo 'METRIC TEST_COVERAGE_PERCENT 87.5'; echo 'METRIC NOT_A_METRIC 3'");

        assertEquals(TaskOutcome.success(Map.of(Metric.TEST_COVERAGE_PERCENT, 87.5)), outcome);
    }

    @Test
    void nonZeroExitIsACommandFailedWithTheTailOfTheOutput() throws InterruptedException
    {
        final TaskOutcome.Failure failure = assertInstanceOf(TaskOutcome.Failure.class,
            run("testing", "sh", "-c", "echo 'tests broke' >&2; exit 3"));

        assertEquals(CommandTaskHandler.COMMAND_FAILED, failure.errorKind());
        assertTrue(failure.message().contains("exited with 3"), failure.message());
        assertTrue(failure.message().contains("tests broke"), failure.message());
    }

    @Test
    void falseFailsToo() throws InterruptedException
    {
        assertEquals(CommandTaskHandler.COMMAND_FAILED,
            assertInstanceOf(TaskOutcome.Failure.class, run("testing", "false")).errorKind());
    }

    @Test
    void commandRunsInTheWorkingDirectory() throws InterruptedException, java.io.IOException
    {
        java.nio.file.Files.writeString(dir.resolve("marker"), "x");

        assertInstanceOf(TaskOutcome.Success.class, run("testing", "test", "-f", "marker"));
    }

    @Test
    void commandOverItsTimeoutIsKilledAndFails() throws InterruptedException
    {
        final TaskOutcome outcome = new CommandTaskHandler(Map.of("testing", List.of("sleep", "30")), dir,
            Duration.ofMillis(200)).handle("unit-tests", "testing");

        final TaskOutcome.Failure failure = assertInstanceOf(TaskOutcome.Failure.class, outcome);
        assertTrue(failure.message().contains("did not finish within"), failure.message());
    }

    @Test
    void capabilityWithoutACommandFailsWithNoCommand() throws InterruptedException
    {
        assertEquals(CommandTaskHandler.NO_COMMAND,
            assertInstanceOf(TaskOutcome.Failure.class, run("design", "true")).errorKind());
    }
}
