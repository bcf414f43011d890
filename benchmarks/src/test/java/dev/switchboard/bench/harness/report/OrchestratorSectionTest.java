/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.bench.harness.model.OrchestratorResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator's rows of the Targets table judge the specification's numbers, and its section shows them. */
class OrchestratorSectionTest
{
    @TempDir
    Path dir;

    private static OrchestratorResult.WorkflowRun run(final String id, final long p99Ns, final double perSecond)
    {
        return new OrchestratorResult.WorkflowRun(id, "agents in another process", "another process", "NORMAL", 300,
            1_200, 300 / perSecond, perSecond, 4 * perSecond,
            new OrchestratorResult.Handoff(1_200, "hdr/" + id + ".handoff.hlog", 180_000, 400_000, p99Ns,
                p99Ns * 2, p99Ns * 3, 200_000, "NORMAL:1200", 0), 0, null);
    }

    private static OrchestratorResult.PlanRun plan()
    {
        return new OrchestratorResult.PlanRun(1_000, 1_000, 976, 1, 3, 4_200, 4_900, 4_000, 3_100, 238, 9, 7_000,
            null);
    }

    @Test
    void handoffP99UnderFiftyMillisecondsAndOverFiveHundredWorkflowsAnHourPass() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).orchestrator(new OrchestratorResult(
            List.of(run("orchestrator-normal", 900_000, 20.0)), plan(), List.of("Clock check: fine."))).report();

        assertTrue(report.contains("| Orchestrator hand-off p99 (assign → agent receipt), agents in another process, " +
            "NORMAL | 900 µs (900 µs; p50 180 µs, 1,200 tasks) | < 50 ms (aim: µs) | PASS |"), report);
        assertTrue(report.contains("| Orchestrator workflows per hour (bugfix, back to back), agents in another " +
            "process, NORMAL | 72,000 /hour (20 workflows/s, 80 tasks/s) | > 500 /hour | PASS |"), report);
        assertTrue(report.contains("Plan generation (analyse + gaps + AGENT_PLAN.md), 1,000-file repository | " +
            "p50 4.2 s (CPU 3.1 s)"), report);
        assertTrue(report.contains("## Orchestrator"), report);
        assertTrue(report.contains("[hdr/orchestrator-normal.handoff.hlog](hdr/orchestrator-normal.handoff.hlog)"),
            report);
        assertTrue(report.contains("- Clock check: fine."), report);
    }

    @Test
    void handoffP99OfFiftyMillisecondsOrMoreAndTooFewWorkflowsMiss() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).orchestrator(new OrchestratorResult(
            List.of(run("orchestrator-high", 50_000_000, 0.1)), null, List.of())).report();

        assertTrue(report.contains("| 50 ms (50000 µs; p50 180 µs, 1,200 tasks) | < 50 ms (aim: µs) | **MISS** |"),
            report);
        assertTrue(report.contains("| 360 /hour (0.1 workflows/s, 0.4 tasks/s) | > 500 /hour | **MISS** |"), report);
        assertFalse(report.contains("### Plan generation"), report);
    }

    @Test
    void aFailedConfigurationIsNotAvailableWithWhy() throws IOException
    {
        final OrchestratorResult.WorkflowRun failed = new OrchestratorResult.WorkflowRun("orchestrator-critical",
            "agents in another process", "another process", "CRITICAL", 0, 0, 0, 0, 0, null, 0,
            "failed: workflow orchestrator-critical-0 ended RUNNING");
        final String report = SyntheticRun.standard(dir, 150).orchestrator(new OrchestratorResult(List.of(failed),
            null, List.of())).report();

        assertTrue(report.contains("| n/a — failed: workflow orchestrator-critical-0 ended RUNNING |"), report);
    }

    @Test
    void aRunWithoutTheOrchestratorSectionHasNoneOfIt() throws IOException
    {
        final String report = SyntheticRun.standard(dir, 150).report();

        assertFalse(report.contains("## Orchestrator"), report);
        assertFalse(report.contains("Orchestrator hand-off"), report);
    }
}
