/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.orchestrator.engine.EngineSnapshot;
import dev.switchboard.orchestrator.engine.EventJournal;
import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

/**
 * The running workflow as the monitoring server shows it, read from the workflow's own journal: this journal passes
 * every event on to the real one and keeps a copy, and {@link #workflow()} folds the copy into an engine of its own
 * with {@link WorkflowEngine#recover} (the engine's replay: every event applied again, no decision remade), so that the
 * task states, progress and gates shown are the engine's, computed by the engine's code, never a second
 * interpretation. The fold runs at most once per new event, on the server's thread, never on the runtime's.
 *
 * <p>Thread-safety: {@link #append} on the runtime's thread, {@link #workflow()} from any; the copy is guarded by
 * this object's monitor.
 */
final class WorkflowTracker implements EventJournal
{
    private final WorkflowDefinition definition;
    private final String workflowId;
    private final EventJournal journal;
    private final List<WorkflowEvent> events = new ArrayList<>();
    private int foldedEvents = -1;
    private OrchestratorView.Workflow folded;

    /**
     * @param definition the workflow being run.
     * @param workflowId its instance id (the journal's, when it resumes one).
     * @param journal    the real journal; what it already holds (a resumed workflow) is read now.
     */
    WorkflowTracker(final WorkflowDefinition definition, final String workflowId, final EventJournal journal)
    {
        this.definition = definition;
        this.workflowId = workflowId;
        this.journal = journal;
        journal.replay(events::add);
    }

    @Override
    public void append(final WorkflowEvent event)
    {
        journal.append(event);
        synchronized (this)
        {
            events.add(event);
        }
    }

    @Override
    public void replay(final Consumer<WorkflowEvent> consumer)
    {
        journal.replay(consumer);
    }

    /** @return the orchestrator's view of this process: this workflow, and the success metrics kept. */
    OrchestratorView view(final KeptSuccessMetrics success)
    {
        return new OrchestratorView()
        {
            @Override
            public List<Workflow> workflows()
            {
                return List.of(workflow());
            }

            @Override
            public SuccessMetrics successMetrics()
            {
                return success.read();
            }
        };
    }

    /** @return the workflow as its journal says now; before it starts, its tasks pending. */
    synchronized OrchestratorView.Workflow workflow()
    {
        if (foldedEvents == events.size())
        {
            return folded;
        }
        folded = events.isEmpty() ? notStarted() : fold(List.copyOf(events));
        foldedEvents = events.size();
        return folded;
    }

    private OrchestratorView.Workflow notStarted()
    {
        final List<OrchestratorView.Task> tasks = new ArrayList<>();
        final List<OrchestratorView.Gate> gates = new ArrayList<>();
        for (final PhaseDefinition phase : definition.phases())
        {
            for (final TaskDefinition task : phase.tasks())
            {
                tasks.add(new OrchestratorView.Task(task.id(), phase.id(), task.capability(), task.dependsOn(),
                    "PENDING", null, 0));
            }
            gates.add(new OrchestratorView.Gate(phase.id(), GateState.PENDING.name(), 0, 0, ""));
        }
        return new OrchestratorView.Workflow(workflowId, "NOT_STARTED", definition.phaseIds().getFirst(), 0, 0,
            tasks.size(), tasks, gates);
    }

    private OrchestratorView.Workflow fold(final List<WorkflowEvent> history)
    {
        final WorkflowEngine engine = WorkflowEngine.recover(new InMemoryJournal(history),
            WorkflowEngine.builder(definition));
        final EngineSnapshot snapshot = engine.snapshot();
        final Progress progress = engine.progress();
        final List<OrchestratorView.Task> tasks = new ArrayList<>();
        for (final EngineSnapshot.TaskSnapshot task : snapshot.tasks())
        {
            final TaskDefinition placed = engine.task(task.taskId()).definition();
            tasks.add(new OrchestratorView.Task(task.taskId(), task.phaseId(), placed.capability(),
                placed.dependsOn(), task.state().name(), task.agentName(), task.percent()));
        }
        final Map<String, long[]> evaluations = new HashMap<>();
        final Map<String, String> summaries = new LinkedHashMap<>();
        for (final WorkflowEvent event : history)
        {
            if (event instanceof WorkflowEvent.GateEvaluated evaluated)
            {
                evaluations.computeIfAbsent(evaluated.phaseId(), p -> new long[2])[evaluated.passed() ? 0 : 1]++;
                summaries.put(evaluated.phaseId(), evaluated.summary().replace('\n', ';'));
            }
        }
        final List<OrchestratorView.Gate> gates = new ArrayList<>();
        snapshot.gates().forEach((phase, state) ->
        {
            final long[] counts = evaluations.getOrDefault(phase, new long[2]);
            gates.add(new OrchestratorView.Gate(phase, state.name(), counts[0], counts[1],
                summaries.getOrDefault(phase, "")));
        });
        return new OrchestratorView.Workflow(snapshot.workflowId(), snapshot.status().name(), progress.currentPhase(),
            progress.percentComplete(), progress.tasksDone(), progress.tasksTotal(), tasks, gates);
    }
}
