/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link TaskAgent} connected over IPC (NORMAL, through the router) serves one {@link WorkflowRuntime} after
 * another: each new runtime registers "Orchestrator" afresh, under a new agent id, and the agent's reports must reach
 * it. It also tells its receipt listener of every work item, with the runtime's enqueue stamp.
 */
class TaskAgentAcrossRuntimesTest
{
    private static WorkflowDefinition oneTask()
    {
        return WorkflowDefinition.builder("single")
            .phase(PhaseDefinition.builder("work").task(TaskDefinition.builder("job", "testing").build()).build())
            .buildChecked();
    }

    @Test
    @Timeout(60)
    void anAgentOverIpcReportsToEachOfThreeRuntimesInTurn(@TempDir final Path dir)
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir.resolve("switchboard"))
            .shmDir(dir.resolve("shm"));
        final List<long[]> receipts = new CopyOnWriteArrayList<>();
        final List<Tier> tiers = new CopyOnWriteArrayList<>();
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            InProcessHub hub = new InProcessHub(router.router());
            TaskAgent agent = new TaskAgent(
                () -> SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))),
                "Worker", List.of("testing"), (taskId, capability) -> TaskOutcome.success(
                    java.util.Map.of()))
                .receiptListener((item, message, receivedNs) ->
                {
                    receipts.add(new long[]{message.timestampNs(), receivedNs});
                    tiers.add(message.tier());
                }))
        {
            agent.start();
            for (int i = 0; i < 3; i++)
            {
                final long beforeNs = System.nanoTime();
                final RunResult result = WorkflowRuntime.builder(oneTask(), hub).workflowId("run-" + i).build()
                    .run(Duration.ofSeconds(15));
                assertEquals(WorkflowStatus.COMPLETED, result.status(), "run " + i + ": " + result.failureReason());
                final long[] receipt = receipts.get(i);
                assertTrue(beforeNs <= receipt[0] && receipt[0] <= receipt[1] && receipt[1] <= System.nanoTime(),
                    "run " + i + ": enqueue stamp, then receipt, both within the run");
            }
            assertEquals(3, receipts.size());
            assertEquals(List.of(Tier.NORMAL, Tier.NORMAL, Tier.NORMAL), tiers);
        }
    }

    @Test
    void theReceiptListenerCannotBeSetOnceTheAgentRuns()
    {
        final dev.switchboard.router.Router router = dev.switchboard.router.Router.launch(new RouterContext());
        try (InProcessHub hub = new InProcessHub(router);
            TaskAgent agent = new TaskAgent(hub, "Late", List.of("testing"),
                (taskId, capability) -> TaskOutcome.success(java.util.Map.of())))
        {
            agent.start();
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> agent.receiptListener((item, message, receivedNs) -> { }));
            assertTrue(e.getMessage().contains("before start()"), e.getMessage());
        }
        finally
        {
            router.close();
        }
    }
}
