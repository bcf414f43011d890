/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.Threshold;
import dev.switchboard.orchestrator.runtime.WorkflowRuntime;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

/**
 * Reads one run's journal into its {@link RunMetrics}. What each count is:
 * <ul>
 *   <li><b>handoffs</b>: every {@code TaskAssigned} is a work item sent; it was reported on when the agent answered
 *       it, {@code TaskCompleted} or a {@code TaskFailed} of the agent's own; a work item whose agent was lost
 *       ({@code AGENT_LOST}), never answered ({@code TASK_TIMEOUT}), could not be reached ({@code UNREACHABLE}) or
 *       that was requeued was not; a work item still out when the workflow ended (it failed or was stopped
 *       meanwhile) is not counted, as its handoff was cut short, not failed;</li>
 *   <li><b>plan unchanged</b>: the workflow completed and no task was decomposed, no remediation was planned and
 *       no Director answered REPLAN;</li>
 *   <li><b>time saved</b>: each task's measured duration is the sum of its attempts ({@code TaskStarted} to its
 *       answer); the tasks of one phase (and, after it, each remediation round of the phase) form a segment, and the
 *       segments run one after another; the critical path is the sum over segments of the longest chain of
 *       {@code dependsOn} (a decomposed task after its subtasks) within the segment. Saved = 1 - critical path /
 *       sequential sum. The same on the definition's planning estimates;</li>
 *   <li><b>gates</b>: for each phase whose last gate evaluation passed, its configured gates; a gate counts as
 *       evaluated on measurements when every metric of its thresholds had a measured value in the phase's last
 *       measurement;</li>
 *   <li><b>execution</b>: the journal holds {@code WorkflowCompleted};</li>
 *   <li><b>recovery</b>: every {@code TaskFailed} is a failure; it was recovered automatically when its task later
 *       completed (a decomposed task: when every subtask did) with no escalation to the Director in between.</li>
 * </ul>
 * Stateless; allocates per call.
 */
public final class JournalMetrics
{
    /** Error kinds of failures the host reported for an agent that never answered. */
    private static final Set<String> UNANSWERED = Set.of(WorkflowEvent.AgentDeparted.AGENT_LOST,
        WorkflowRuntime.TASK_TIMEOUT, WorkflowRuntime.UNREACHABLE);

    private JournalMetrics()
    {
    }

    /**
     * @param definition the workflow that ran.
     * @param gates      the gates the run held its phases to.
     * @param events     the run's journal, in order.
     * @param finishedAt when the run ended.
     * @return its metrics.
     */
    public static RunMetrics of(final WorkflowDefinition definition, final QualityGates gates,
        final List<WorkflowEvent> events, final Instant finishedAt)
    {
        Objects.requireNonNull(definition, "definition");
        String workflowId = definition.name();
        boolean completed = false;
        for (final WorkflowEvent event : events)
        {
            if (event instanceof WorkflowEvent.WorkflowStarted started)
            {
                workflowId = started.workflowId();
            }
            completed |= event instanceof WorkflowEvent.WorkflowCompleted;
        }
        final List<String> changes = planChanges(events);
        return new RunMetrics(workflowId, definition.name(), finishedAt.toString(), handoffs(events),
            new Ratio(completed && changes.isEmpty() ? 1 : 0, 1), changes, measuredTimeSaved(definition, events),
            estimatedTimeSaved(definition), gates(definition, gates, events), new Ratio(completed ? 1 : 0, 1),
            recovery(events));
    }

    private static Ratio handoffs(final List<WorkflowEvent> events)
    {
        final Set<String> open = new HashSet<>();
        long settled = 0;
        long reported = 0;
        for (final WorkflowEvent event : events)
        {
            switch (event)
            {
                case WorkflowEvent.TaskAssigned assigned -> open.add(assigned.taskId());
                case WorkflowEvent.TaskCompleted done ->
                {
                    if (open.remove(done.taskId()))
                    {
                        settled++;
                        reported++;
                    }
                }
                case WorkflowEvent.TaskFailed failed ->
                {
                    if (open.remove(failed.taskId()))
                    {
                        settled++;
                        reported += UNANSWERED.contains(failed.errorKind()) ? 0 : 1;
                    }
                }
                case WorkflowEvent.TaskRequeued requeued ->
                {
                    if (open.remove(requeued.taskId()))
                    {
                        settled++;
                    }
                }
                default ->
                {
                }
            }
        }
        return new Ratio(reported, settled);
    }

    private static List<String> planChanges(final List<WorkflowEvent> events)
    {
        final List<String> changes = new ArrayList<>();
        for (final WorkflowEvent event : events)
        {
            switch (event)
            {
                case WorkflowEvent.TaskDecomposed split -> changes.add("task " + split.taskId() + " decomposed into " +
                    split.subtasks().size() + " subtasks");
                case WorkflowEvent.RemediationPlanned remedy -> changes.add("phase " + remedy.phaseId() +
                    " remediation round " + remedy.round() + ": " + remedy.tasks().size() + " tasks");
                case WorkflowEvent.DirectorDecided decided when "REPLAN".equals(decided.decision().verdict().name()) ->
                    changes.add("the Director answered REPLAN for task " + decided.taskId());
                default ->
                {
                }
            }
        }
        return changes;
    }

    /** Sum of each task's attempts, from TaskStarted to the answer. */
    private static Map<String, Long> durations(final List<WorkflowEvent> events)
    {
        final Map<String, Long> started = new HashMap<>();
        final Map<String, Long> durations = new LinkedHashMap<>();
        for (final WorkflowEvent event : events)
        {
            final String taskId = switch (event)
            {
                case WorkflowEvent.TaskStarted s ->
                {
                    started.put(s.taskId(), s.timestampMs());
                    yield null;
                }
                case WorkflowEvent.TaskCompleted c -> c.taskId();
                case WorkflowEvent.TaskFailed f -> f.taskId();
                default -> null;
            };
            if (taskId != null && started.containsKey(taskId))
            {
                durations.merge(taskId, Math.max(0, event.timestampMs() - started.remove(taskId)), Long::sum);
            }
        }
        return durations;
    }

    private static Ratio measuredTimeSaved(final WorkflowDefinition definition, final List<WorkflowEvent> events)
    {
        final Map<String, Long> durations = durations(events);
        // segment key "phase#round" -> its tasks, each with the tasks it waits for
        final Map<String, Map<String, List<String>>> segments = new LinkedHashMap<>();
        final Map<String, String> phaseOf = new HashMap<>();
        for (final PhaseDefinition phase : definition.phases())
        {
            for (final TaskDefinition task : phase.tasks())
            {
                phaseOf.put(task.id(), phase.id());
                segments.computeIfAbsent(phase.id() + "#0", k -> new LinkedHashMap<>())
                    .put(task.id(), new ArrayList<>(task.dependsOn()));
            }
        }
        for (final WorkflowEvent event : events)
        {
            if (event instanceof WorkflowEvent.TaskDecomposed split && phaseOf.containsKey(split.taskId()))
            {
                final String phase = phaseOf.get(split.taskId());
                final Map<String, List<String>> segment = segments.get(phase + "#0");
                for (final TaskDefinition subtask : split.subtasks())
                {
                    phaseOf.put(subtask.id(), phase);
                    segment.put(subtask.id(), new ArrayList<>(subtask.dependsOn()));
                    segment.computeIfAbsent(split.taskId(), k -> new ArrayList<>()).add(subtask.id());
                }
            }
            else if (event instanceof WorkflowEvent.RemediationPlanned remedy)
            {
                final Map<String, List<String>> segment = segments.computeIfAbsent(
                    remedy.phaseId() + "#" + remedy.round(), k -> new LinkedHashMap<>());
                remedy.tasks().forEach(task -> segment.put(task.id(), new ArrayList<>(task.dependsOn())));
            }
        }
        long sequential = 0;
        for (final long duration : durations.values())
        {
            sequential += duration;
        }
        long critical = 0;
        for (final Map<String, List<String>> segment : segments.values())
        {
            critical += longestChain(segment, id -> durations.getOrDefault(id, 0L));
        }
        critical = Math.min(critical, sequential);
        return new Ratio(sequential - critical, sequential);
    }

    private static Ratio estimatedTimeSaved(final WorkflowDefinition definition)
    {
        final Map<String, Long> estimates = new HashMap<>();
        long sequential = 0;
        long critical = 0;
        for (final PhaseDefinition phase : definition.phases())
        {
            final Map<String, List<String>> segment = new LinkedHashMap<>();
            for (final TaskDefinition task : phase.tasks())
            {
                estimates.put(task.id(), (long) task.estimatedMinutes());
                segment.put(task.id(), task.dependsOn());
                sequential += task.estimatedMinutes();
            }
            critical += longestChain(segment, id -> estimates.getOrDefault(id, 0L));
        }
        return new Ratio(sequential - Math.min(critical, sequential), sequential);
    }

    /** The longest sum of durations along the dependencies inside one segment (the graph is acyclic). */
    private static long longestChain(final Map<String, List<String>> segment,
        final java.util.function.ToLongFunction<String> duration)
    {
        final Map<String, Long> finish = new HashMap<>();
        long longest = 0;
        for (final String id : segment.keySet())
        {
            longest = Math.max(longest, finish(id, segment, duration, finish, new HashSet<>()));
        }
        return longest;
    }

    private static long finish(final String id, final Map<String, List<String>> segment,
        final java.util.function.ToLongFunction<String> duration, final Map<String, Long> finish,
        final Set<String> visiting)
    {
        final Long known = finish.get(id);
        if (known != null)
        {
            return known;
        }
        long start = 0;
        if (visiting.add(id))
        {
            for (final String dependency : segment.getOrDefault(id, List.of()))
            {
                if (segment.containsKey(dependency))
                {
                    start = Math.max(start, finish(dependency, segment, duration, finish, visiting));
                }
            }
        }
        final long end = start + duration.applyAsLong(id);
        finish.put(id, end);
        return end;
    }

    private static Ratio gates(final WorkflowDefinition definition, final QualityGates gates,
        final List<WorkflowEvent> events)
    {
        final Map<String, WorkflowEvent.PhaseMeasured> lastMeasured = new HashMap<>();
        final Map<String, WorkflowEvent.PhaseMeasured> measuredAtEvaluation = new HashMap<>();
        final Map<String, Boolean> lastPassed = new HashMap<>();
        for (final WorkflowEvent event : events)
        {
            if (event instanceof WorkflowEvent.PhaseMeasured measured)
            {
                lastMeasured.put(measured.phaseId(), measured);
            }
            else if (event instanceof WorkflowEvent.GateEvaluated evaluated)
            {
                lastPassed.put(evaluated.phaseId(), evaluated.passed());
                measuredAtEvaluation.put(evaluated.phaseId(), lastMeasured.get(evaluated.phaseId()));
            }
        }
        long configured = 0;
        long evaluated = 0;
        for (final PhaseDefinition phase : definition.phases())
        {
            if (!Boolean.TRUE.equals(lastPassed.get(phase.id())))
            {
                continue;
            }
            final WorkflowEvent.PhaseMeasured measured = measuredAtEvaluation.get(phase.id());
            for (final String name : phase.gates())
            {
                configured++;
                final QualityGate gate = gates.gate(name).orElse(null);
                if (gate != null && measured != null && allMeasured(gate, measured))
                {
                    evaluated++;
                }
            }
        }
        return new Ratio(evaluated, configured);
    }

    private static boolean allMeasured(final QualityGate gate, final WorkflowEvent.PhaseMeasured measured)
    {
        for (final Threshold threshold : gate.thresholds())
        {
            if (measured.metrics().stream().noneMatch(m -> m.metric() == threshold.metric() && m.value() != null))
            {
                return false;
            }
        }
        return true;
    }

    private static Ratio recovery(final List<WorkflowEvent> events)
    {
        long failures = 0;
        long recovered = 0;
        for (int i = 0; i < events.size(); i++)
        {
            if (events.get(i) instanceof WorkflowEvent.TaskFailed failed)
            {
                failures++;
                if (recoveredAfter(failed.taskId(), i + 1, events))
                {
                    recovered++;
                }
            }
        }
        return new Ratio(recovered, failures);
    }

    /** Whether the task completes after index {@code from} with no escalation of it before. */
    private static boolean recoveredAfter(final String taskId, final int from, final List<WorkflowEvent> events)
    {
        Set<String> pendingParts = null;
        for (int i = from; i < events.size(); i++)
        {
            final WorkflowEvent event = events.get(i);
            if (event instanceof WorkflowEvent.Escalated escalated && (escalated.taskId().equals(taskId) ||
                pendingParts != null && pendingParts.contains(escalated.taskId())))
            {
                return false;
            }
            if (event instanceof WorkflowEvent.TaskCompleted done)
            {
                if (done.taskId().equals(taskId))
                {
                    return true;
                }
                if (pendingParts != null && pendingParts.remove(done.taskId()) && pendingParts.isEmpty())
                {
                    return true;
                }
            }
            if (event instanceof WorkflowEvent.TaskDecomposed split && split.taskId().equals(taskId))
            {
                pendingParts = new HashSet<>(split.subtasks().stream().map(TaskDefinition::id).toList());
            }
        }
        return false;
    }
}
