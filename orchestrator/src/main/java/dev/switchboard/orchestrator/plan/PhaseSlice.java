/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

/**
 * One phase of a workflow as a workflow of its own, for executing a plan phase by phase: the phase's tasks, with
 * dependencies on tasks of other phases dropped (executing phase N means the phases before it are done).
 *
 * <p>Stateless and thread-safe.
 */
public final class PhaseSlice
{
    private PhaseSlice()
    {
    }

    /**
     * @param workflow the whole workflow.
     * @param number   the phase, from 1.
     * @return a workflow named {@code <name>-phase-<number>} holding that phase only.
     * @throws IllegalArgumentException naming the phases there are, when {@code number} is out of range.
     */
    public static WorkflowDefinition of(final WorkflowDefinition workflow, final int number)
    {
        final List<PhaseDefinition> phases = workflow.phases();
        if (number < 1 || number > phases.size())
        {
            final List<String> listed = new ArrayList<>();
            for (int i = 0; i < phases.size(); i++)
            {
                listed.add((i + 1) + "=" + phases.get(i).id());
            }
            throw new IllegalArgumentException("phase " + number + " does not exist; workflow '" + workflow.name() +
                "' has phases " + String.join(", ", listed));
        }
        final PhaseDefinition phase = phases.get(number - 1);
        final Set<String> inPhase = phase.tasks().stream().map(TaskDefinition::id).collect(Collectors.toSet());
        final PhaseDefinition.Builder builder = PhaseDefinition.builder(phase.id()).name(phase.name())
            .requires(phase.requiredCapabilities().toArray(String[]::new))
            .outputs(phase.outputs().toArray(String[]::new))
            .gates(phase.gates().toArray(String[]::new))
            .optional(phase.optional())
            .performanceCommand(phase.performanceCommand());
        for (final TaskDefinition task : phase.tasks())
        {
            builder.task(new TaskDefinition(task.id(), task.name(), task.capability(),
                task.dependsOn().stream().filter(inPhase::contains).toList(), task.estimatedMinutes(),
                task.decomposable(), task.instructions(), task.paths()));
        }
        return WorkflowDefinition.builder(workflow.name() + "-phase-" + number)
            .description("phase " + number + " (" + phase.name() + ") of " + workflow.name())
            .phase(builder.build())
            .buildChecked();
    }

    /**
     * @param graph the whole workflow's graph.
     * @param phase one of its phases.
     * @return the phase's tasks as parallel tracks: task ids grouped by depth within the phase, in order.
     */
    public static List<List<String>> tracks(final TaskGraph graph, final PhaseDefinition phase)
    {
        final Set<String> inPhase = phase.tasks().stream().map(TaskDefinition::id).collect(Collectors.toSet());
        final List<List<String>> tracks = new ArrayList<>();
        for (final TaskGraph.Track track : graph.parallelTracks())
        {
            final List<String> ids = track.taskIds().stream().filter(inPhase::contains).toList();
            if (!ids.isEmpty())
            {
                tracks.add(ids);
            }
        }
        return tracks;
    }
}
