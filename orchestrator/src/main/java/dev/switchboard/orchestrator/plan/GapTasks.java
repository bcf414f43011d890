/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

/**
 * Turns the gaps an analysis found into tasks of the workflow that will close them, each in the phase whose work it
 * is: missing tests and coverage become a testing task in the testing phase with the uncovered files as context;
 * complexity and duplication become refactoring tasks (implementation, decomposable) with the methods and their
 * {@code file:line}; missing Javadoc becomes a documentation task; security gaps a security task in the
 * implementation phase; performance gaps an optimization task. A workflow without a phase for a gap gets one,
 * appended after the phases it has and depending on their last tasks.
 *
 * <p>A gap task starts where the phase's own tasks start: it depends on the tasks of earlier phases that the phase's
 * tasks depend on, so it runs alongside them. Its texts are the analysis facts as they were at plan time (a
 * <code>${</code> in them escaped), its acceptance criteria the gate's threshold beside the value measured.
 *
 * <p>Stateless and thread-safe; {@link #merge} builds a new, checked workflow.
 */
public final class GapTasks
{
    /** Prefix of every gap task's id. */
    public static final String ID_PREFIX = "gap-";

    /**
     * Where a gap's task goes and what it is.
     *
     * @param phaseCapability the capability a phase must require to receive the task.
     * @param newPhaseId      the id of the phase added when no phase requires it.
     * @param newPhaseName    that phase's name.
     * @param capability      the task's capability.
     * @param name            the task's name.
     * @param fact            the analysis fact that is its context.
     * @param minutes         its estimate.
     * @param decomposable    whether recovery may split it.
     */
    private record Placement(String phaseCapability, String newPhaseId, String newPhaseName, String capability,
        String name, String fact, int minutes, boolean decomposable)
    {
    }

    private static final Map<Gap.Area, Placement> PLACEMENTS = new EnumMap<>(Map.of(
        Gap.Area.TESTS, new Placement(Capabilities.TESTING, "testing", "Testing", Capabilities.TESTING,
            "Add tests where there are none", "uncovered", 90, true),
        Gap.Area.COVERAGE, new Placement(Capabilities.TESTING, "testing", "Testing", Capabilities.TESTING,
            "Raise line coverage to the gate", "uncovered", 60, true),
        Gap.Area.COMPLEXITY, new Placement(Capabilities.IMPLEMENTATION, "refactoring", "Refactoring",
            Capabilities.IMPLEMENTATION, "Split the methods over the complexity gate", "complex", 90, true),
        Gap.Area.DUPLICATION, new Placement(Capabilities.IMPLEMENTATION, "refactoring", "Refactoring",
            Capabilities.IMPLEMENTATION, "Remove the duplicated blocks", "duplication", 60, true),
        Gap.Area.DOCUMENTATION, new Placement(Capabilities.DOCUMENTATION, "documentation", "Documentation",
            Capabilities.DOCUMENTATION, "Document the undocumented public API", "undocumented", 45, true),
        Gap.Area.SECURITY, new Placement(Capabilities.IMPLEMENTATION, "security", "Security",
            Capabilities.SECURITY, "Pin the dependencies and lock their versions", "security", 30, false),
        Gap.Area.PERFORMANCE, new Placement(Capabilities.OPTIMIZATION, "optimization", "Optimization",
            Capabilities.OPTIMIZATION, "Bring the measured performance within its budget", "gaps", 90, true)));

    private GapTasks()
    {
    }

    /**
     * @param workflow the chosen workflow.
     * @param analysis what was measured, for the tasks' context.
     * @param gaps     the gaps found in it; several of one area make one task.
     * @return the workflow with a task per gap area merged into its phases; {@code workflow} itself when there
     *         are no gaps.
     * @throws IllegalArgumentException when the merged workflow is invalid (it never is for a valid workflow).
     */
    public static WorkflowDefinition merge(final WorkflowDefinition workflow, final RepositoryAnalysis analysis,
        final List<Gap> gaps)
    {
        if (gaps.isEmpty())
        {
            return workflow;
        }
        final AnalysisFacts facts = AnalysisFacts.of(analysis, gaps);
        final Map<Gap.Area, List<Gap>> byArea = new EnumMap<>(Gap.Area.class);
        for (final Gap gap : gaps)
        {
            byArea.computeIfAbsent(gap.area(), area -> new ArrayList<>()).add(gap);
        }
        final List<PhaseDefinition> phases = new ArrayList<>(workflow.phases());
        final Map<Integer, List<TaskDefinition>> added = new java.util.TreeMap<>();
        final Set<String> ids = new HashSet<>();
        workflow.tasks().forEach(task -> ids.add(task.id()));
        phases.forEach(phase -> ids.add(phase.id()));
        final List<PhaseDefinition> newPhases = new ArrayList<>();
        final Map<String, List<TaskDefinition>> newPhaseTasks = new java.util.LinkedHashMap<>();
        for (final Map.Entry<Gap.Area, List<Gap>> entry : byArea.entrySet())
        {
            final Placement placement = PLACEMENTS.get(entry.getKey());
            final String id = unique(ID_PREFIX + entry.getKey().name().toLowerCase(Locale.ROOT), ids);
            final int at = phaseFor(phases, placement);
            final List<String> entryDependencies = at >= 0 ? entryDependencies(phases.get(at)) :
                lastTasks(workflow);
            final TaskDefinition task = TaskDefinition.builder(id, placement.capability())
                .name(placement.name())
                .description(placement.name() + " in ${scope}: " + String.join("; ", entry.getValue().stream()
                    .map(Gap::message).toList()).replace("${", "$${") + ".")
                .context(facts.fact(placement.fact()).replace("${", "$${"))
                .acceptance(entry.getValue().stream().map(GapTasks::criterion).toArray(String[]::new))
                .dependsOn(entryDependencies.toArray(String[]::new))
                .estimatedMinutes(placement.minutes())
                .decomposable(placement.decomposable())
                .build();
            if (at >= 0)
            {
                added.computeIfAbsent(at, i -> new ArrayList<>()).add(task);
            }
            else
            {
                newPhaseTasks.computeIfAbsent(placement.newPhaseId(), p -> new ArrayList<>()).add(task);
            }
        }
        final WorkflowDefinition.Builder builder = WorkflowDefinition.builder(workflow.name())
            .description(workflow.description());
        for (int i = 0; i < phases.size(); i++)
        {
            builder.phase(withTasks(phases.get(i), added.getOrDefault(i, List.of())));
        }
        for (final Map.Entry<String, List<TaskDefinition>> entry : newPhaseTasks.entrySet())
        {
            final Placement placement = PLACEMENTS.values().stream()
                .filter(p -> p.newPhaseId().equals(entry.getKey())).findFirst().orElseThrow();
            final PhaseDefinition.Builder phase = PhaseDefinition.builder(unique(entry.getKey(), ids))
                .name(placement.newPhaseName()).outputs("changes closing the gaps the analysis found");
            entry.getValue().forEach(phase::task);
            newPhases.add(phase.build());
        }
        newPhases.forEach(builder::phase);
        return builder.buildChecked();
    }

    /** The first phase requiring the placement's capability, or -1. */
    private static int phaseFor(final List<PhaseDefinition> phases, final Placement placement)
    {
        for (int i = 0; i < phases.size(); i++)
        {
            if (phases.get(i).requiredCapabilities().contains(placement.phaseCapability()))
            {
                return i;
            }
        }
        return -1;
    }

    /** The tasks outside the phase that its tasks depend on: where the phase's work starts. */
    private static List<String> entryDependencies(final PhaseDefinition phase)
    {
        final Set<String> inPhase = new HashSet<>();
        phase.tasks().forEach(task -> inPhase.add(task.id()));
        final Set<String> dependencies = new LinkedHashSet<>();
        for (final TaskDefinition task : phase.tasks())
        {
            task.dependsOn().stream().filter(id -> !inPhase.contains(id)).forEach(dependencies::add);
        }
        return List.copyOf(dependencies);
    }

    /** The tasks no other task depends on: the workflow's end. */
    private static List<String> lastTasks(final WorkflowDefinition workflow)
    {
        final Set<String> depended = new HashSet<>();
        workflow.tasks().forEach(task -> depended.addAll(task.dependsOn()));
        return workflow.tasks().stream().map(TaskDefinition::id).filter(id -> !depended.contains(id)).toList();
    }

    private static PhaseDefinition withTasks(final PhaseDefinition phase, final List<TaskDefinition> tasks)
    {
        if (tasks.isEmpty())
        {
            return phase;
        }
        final PhaseDefinition.Builder builder = PhaseDefinition.builder(phase.id()).name(phase.name())
            .requires(phase.requiredCapabilities().toArray(String[]::new))
            .outputs(phase.outputs().toArray(String[]::new))
            .gates(phase.gates().toArray(String[]::new))
            .optional(phase.optional())
            .performanceCommand(phase.performanceCommand());
        phase.tasks().forEach(builder::task);
        tasks.forEach(builder::task);
        return builder.build();
    }

    private static String criterion(final Gap gap)
    {
        final String now = gap.measured().isPresent() ?
            String.format(Locale.ROOT, " (now %s)", number(gap.measured().getAsDouble())) : " (not measured now)";
        final String text = switch (gap.area())
        {
            case TESTS -> "every source file has a test that exercises it";
            case COVERAGE -> "line coverage is at least " + number(gap.threshold()) + " %" + now;
            case DOCUMENTATION -> "at least " + number(gap.threshold()) + " % of the public API has Javadoc" + now;
            case COMPLEXITY -> "no method reaches a cyclomatic complexity of " + number(gap.threshold()) +
                gap.measured().stream().mapToObj(max -> " (highest now " + number(max) + ")").findFirst().orElse("");
            case DUPLICATION -> "duplicated lines are below " + number(gap.threshold()) + " %" + now;
            case SECURITY -> "every dependency is pinned and locked: " + gap.message();
            case PERFORMANCE -> "the performance gate passes: " + gap.message();
        };
        return text.replace("${", "$${");
    }

    private static String number(final double value)
    {
        return value == Math.rint(value) ? String.valueOf((long)value) :
            String.format(Locale.ROOT, "%.1f", value);
    }

    private static String unique(final String id, final Set<String> taken)
    {
        String candidate = id;
        for (int i = 2; taken.contains(candidate); i++)
        {
            candidate = id + "-" + i;
        }
        taken.add(candidate);
        return candidate;
    }
}
