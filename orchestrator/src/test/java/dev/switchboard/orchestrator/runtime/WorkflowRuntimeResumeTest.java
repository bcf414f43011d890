/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.engine.EngineCommand;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A runtime given a journal that already holds its workflow resumes it instead of starting another. */
class WorkflowRuntimeResumeTest
{
    /** Scheduling and recovery, not gates: no phase waits for a measurement with the tools. */
    private static final QualityGates NO_GATES = QualityGates.of(java.util.List.of());

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final String WORKER = "Worker";

    private final WorkflowDefinition feature = WorkflowTemplates.feature();
    private final InMemoryJournal journal = new InMemoryJournal();
    private final ScriptedTaskHandler handler = ScriptedTaskHandler.succeeding(java.util.Map.of());
    private Router router;
    private InProcessHub hub;
    private TaskAgent agent;

    @BeforeEach
    void startRouterAndAgent()
    {
        router = Router.launch(new RouterContext());
        hub = new InProcessHub(router);
        agent = new TaskAgent(hub, WORKER, capabilities(), handler).start();
    }

    @AfterEach
    void stopEverything()
    {
        agent.close();
        router.close();
    }

    private List<String> capabilities()
    {
        return new ArrayList<>(new TreeSet<>(feature.tasks().stream().map(TaskDefinition::capability).toList()));
    }

    /** Writes the journal an orchestrator leaves when it dies after completing the first task it assigned. */
    private String journalWithFirstTaskCompleted(final String workflowId)
    {
        final WorkflowEngine crashed = WorkflowEngine.builder(feature).qualityGates(NO_GATES)
            .workflowId(workflowId)
            .candidates(List.of(new Candidate(WORKER, 0, Set.copyOf(capabilities()), 0, 1, 0, 0)))
            .journal(journal)
            .build();
        final List<EngineCommand> started = crashed.start(1_000);
        final String first = started.stream().filter(EngineCommand.AssignTask.class::isInstance)
            .map(c -> ((EngineCommand.AssignTask)c).taskId()).findFirst().orElseThrow();
        crashed.onEvent(new WorkflowEvent.TaskStarted(1_001, first));
        crashed.onEvent(new WorkflowEvent.TaskCompleted(1_002, first, java.util.Map.of()));
        return first;
    }

    @Test
    void resumedRunCompletesWithoutDispatchingTasksTheJournalShowsComplete()
    {
        final String completedBeforeCrash = journalWithFirstTaskCompleted("feature[7]");
        final List<Resumption> resumptions = new ArrayList<>();

        final WorkflowRuntime runtime = WorkflowRuntime.builder(feature, hub).journal(journal)
            .qualityGates(NO_GATES)
            .resumeListener(resumptions::add).build();
        final RunResult result = runtime.run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals(0, handler.callsFor(completedBeforeCrash), "calls: " + handler.calls());
        assertEquals(feature.tasks().size() - 1, handler.calls().size(), "calls: " + handler.calls());
        assertEquals(1, journal.events().stream().filter(WorkflowEvent.WorkflowStarted.class::isInstance).count());
        assertEquals(feature.tasks().size(),
            journal.events().stream().filter(WorkflowEvent.TaskCompleted.class::isInstance).count());
        assertEquals(1, resumptions.size());
        assertEquals(1, resumptions.getFirst().progress().tasksDone());
    }

    @Test
    void resumedRunKeepsTheWorkflowIdRecordedInTheJournal()
    {
        journalWithFirstTaskCompleted("feature[7]");

        final WorkflowRuntime runtime = WorkflowRuntime.builder(feature, hub).journal(journal)
            .qualityGates(NO_GATES)
            .workflowId("some-other-id").build();
        final RunResult result = runtime.run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals("feature[7]", runtime.workflowId());
        assertEquals("feature[7]", result.progress().workflowId());
    }

    @Test
    void runOnAnEmptyJournalStartsTheWorkflowWithoutTellingTheResumeListener()
    {
        final List<Resumption> resumptions = new ArrayList<>();

        final RunResult result = WorkflowRuntime.builder(feature, hub).journal(journal)
            .qualityGates(NO_GATES).workflowId("fresh")
            .resumeListener(resumptions::add).build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertTrue(resumptions.isEmpty());
        assertEquals(feature.tasks().size(), handler.calls().size());
    }
}
