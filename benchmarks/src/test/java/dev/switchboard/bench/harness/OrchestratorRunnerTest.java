/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.orchestrator.BugfixTeam;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator section measures what it says: real workflows through {@code WorkflowRuntime} with agents in this
 * JVM and in a child JVM over IPC, a hand-off sample for every task, and a plan written from a generated repository.
 * It asserts counts and that results were written, never speed.
 */
@Tag("slow")
class OrchestratorRunnerTest
{
    private static final OrchestratorRunner.Settings SMALL = new OrchestratorRunner.Settings(1, 4, 60, 0, 2);

    @Test
    @Timeout(120)
    void everyConfigurationCompletesItsWorkflowsAndRecordsOneHandoffPerTask(@TempDir final Path runDir)
        throws Exception
    {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final OrchestratorResult result = new OrchestratorRunner(SMALL, runDir, OrchestratorRunner.IDS,
            new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        final String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(OrchestratorRunner.IN_PROCESS, OrchestratorRunner.NORMAL, OrchestratorRunner.HIGH,
            OrchestratorRunner.CRITICAL), result.workflows().stream().map(OrchestratorResult.WorkflowRun::id).toList());
        final int tasks = BugfixTeam.workflow().tasks().size();
        for (final OrchestratorResult.WorkflowRun w : result.workflows())
        {
            assertNull(w.failed(), w.id() + " failed; console:\n" + printed);
            assertEquals(4, w.workflows(), w.id());
            assertEquals(4L * tasks, w.tasks(), w.id());
            assertTrue(w.workflowsPerSecond() > 0, w.id());
            final OrchestratorResult.Handoff h = w.handoff();
            assertNotNull(h, w.id());
            if (w.timedOutTasks() == 0)
            {
                assertEquals(4L * tasks, h.samples(), w.id() + ": one hand-off per measured task, warm-up excluded");
            }
            else
            {
                // a re-assigned task is handed off again; printed so a slow machine's recoveries stay visible
                System.out.println(w.id() + ": " + w.timedOutTasks() + " task(s) timed out and were re-assigned");
                assertTrue(h.samples() >= 4L * tasks, w.id() + " " + h);
            }
            assertEquals(0, h.negative(), w.id() + ": the runtime and the agents read one clock");
            assertTrue(h.p50Ns() > 0 && h.p50Ns() <= h.p99Ns() && h.p99Ns() <= h.maxNs(), w.id() + " " + h);
            final Histogram logged = HdrLogs.read(runDir.resolve(h.hlogFile()));
            assertEquals(h.samples(), logged.getTotalCount(), h.hlogFile());
            assertTrue(h.tiers() != null && !h.tiers().isEmpty(), w.id() + " names the tier items arrived on");
        }
        assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("Clock check")), result.notes().toString());

        final OrchestratorResult.PlanRun plan = result.plan();
        assertNotNull(plan);
        assertNull(plan.failed(), plan.failed());
        assertEquals(60, plan.files());
        assertEquals(60, plan.filesAnalysed(), "the analyzer sees every generated file");
        assertEquals(2, plan.runs());
        assertTrue(plan.gaps() > 0, "the generated repository has undocumented methods: a gap");
        assertTrue(plan.planBytes() > 0);
        assertTrue(plan.minMs() > 0 && plan.minMs() <= plan.p50Ms() && plan.p50Ms() <= plan.maxMs(), plan.toString());
    }

    @Test
    void casesSelectOrchestratorConfigurationsByIdOrPrefix()
    {
        assertEquals(OrchestratorRunner.IDS, BenchHarness.expandCaseIds(List.of("orchestrator-*")));
        assertEquals(List.of(OrchestratorRunner.PLAN, "sb-critical"),
            BenchHarness.expandCaseIds(List.of("orchestrator-plan", "sb-critical", "orchestrator-plan")));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BenchHarness.expandCaseIds(List.of("orchestrator-nope*")));
        assertTrue(e.getMessage().contains("orchestrator-nope*"), e.getMessage());
    }

    @Test
    void onlyThePlanRunsWhenOnlyThePlanIsSelected(@TempDir final Path runDir)
        throws Exception
    {
        final OrchestratorResult result = new OrchestratorRunner(SMALL, runDir, List.of(OrchestratorRunner.PLAN),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        assertTrue(result.workflows().isEmpty());
        assertNotNull(result.plan());
        assertTrue(Files.notExists(runDir.resolve("hdr")) || Files.list(runDir.resolve("hdr")).findAny().isEmpty());
    }
}
