/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator's embedded router writes an orchestrator's counters file, and its task agents record each task's
 * hand-off (the runtime's enqueue to the agent's receipt) in its {@code task_handoff_ns} histogram.
 */
class TaskHandoffHistogramTest
{
    @Test
    @Timeout(60)
    void everyHandOffIsInTheOrchestratorsCountersFile(@TempDir final Path dir) throws Exception
    {
        final WorkflowDefinition single = WorkflowDefinition.builder("single")
            .phase(PhaseDefinition.builder("work").task(TaskDefinition.builder("job", "testing").build()).build())
            .buildChecked();
        final IpcContext ipc = new IpcContext().underDirectory(dir)
            .countersRole(CountersSnapshot.Role.ORCHESTRATOR).countersName("single");
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            InProcessHub hub = new InProcessHub(router.router());
            TaskAgent agent = new TaskAgent(hub, "Worker", List.of("testing"),
                (taskId, capability) -> TaskOutcome.success(java.util.Map.of())))
        {
            agent.start();
            for (int i = 0; i < 3; i++)
            {
                final RunResult result = WorkflowRuntime.builder(single, hub).workflowId("run-" + i).build()
                    .run(Duration.ofSeconds(15));
                assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
            }
            final CountersSnapshot snapshot = CountersFiles.read(router.countersFile().path());
            assertEquals(CountersSnapshot.Role.ORCHESTRATOR, snapshot.role());
            assertEquals("single", snapshot.name());
            assertTrue(router.countersFile().path().getFileName().toString().startsWith("orchestrator-single-"));
            final CountersSnapshot.Histogram handoffs = snapshot.histograms().stream()
                .filter(h -> h.name().equals(TaskAgent.TASK_HANDOFF_HISTOGRAM)).findFirst().orElseThrow();
            assertEquals(3, Arrays.stream(handoffs.counts()).sum(), "one hand-off per run");
            assertTrue(handoffs.sumNs() > 0);
        }
    }
}
