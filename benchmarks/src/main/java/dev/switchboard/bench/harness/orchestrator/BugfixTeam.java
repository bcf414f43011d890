/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.orchestrator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.orchestrator.runtime.TaskAgent;
import dev.switchboard.orchestrator.runtime.TaskHandler;
import dev.switchboard.orchestrator.runtime.TaskOutcome;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;

/**
 * The agents the benchmark's workflows run on: the bugfix template's three roles (diagnose → fix → regression tests
 * and review), each a {@link TaskAgent} whose handler succeeds at once (the runs use no quality gate, so no phase waits
 * for a measurement with the tools), so a workflow's time is the orchestrator's and the router's, not the agents' work.
 *
 * <p>Thread-safety: {@link #start} from one thread; the agents run on their own threads. Allocation: per agent.
 */
public final class BugfixTeam
{
    /** Agent names and the capabilities each registers, covering every task of {@link #workflow()}. */
    public static final List<List<String>> AGENTS = List.of(
        List.of("Diagnoser", "diagnosis"),
        List.of("Patcher", "implementation"),
        List.of("Testbed", "testing", "review"));

    private static final TaskHandler INSTANT = (taskId, capability) ->
        TaskOutcome.success(java.util.Map.of());

    private BugfixTeam()
    {
    }

    /** @return the workflow each benchmark run repeats: the bugfix template, 4 tasks in 3 phases. */
    public static WorkflowDefinition workflow()
    {
        return WorkflowTemplates.bugfix();
    }

    /**
     * Start the team; on failure the agents already started are closed.
     *
     * @param connector makes one client per agent (called on that agent's thread).
     * @param receipts  told of every work item an agent receives.
     * @return the running agents, registered and consuming.
     */
    public static List<TaskAgent> start(
        final Supplier<SwitchboardClient> connector, final TaskAgent.ReceiptListener receipts)
    {
        final List<TaskAgent> agents = new ArrayList<>();
        try
        {
            for (final List<String> spec : AGENTS)
            {
                agents.add(new TaskAgent(connector, spec.getFirst(), spec.subList(1, spec.size()), INSTANT)
                    .receiptListener(receipts).start());
            }
            return agents;
        }
        catch (final RuntimeException e)
        {
            agents.forEach(TaskAgent::close);
            throw e;
        }
    }
}
