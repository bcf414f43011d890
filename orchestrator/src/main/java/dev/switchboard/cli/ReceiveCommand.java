/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.plan.PhaseSlice;
import dev.switchboard.orchestrator.plan.StrategicPlan;
import dev.switchboard.orchestrator.selection.AgentSelector;
import dev.switchboard.orchestrator.selection.Assignment;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.selection.TaskDemand;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard receive --plan FILE --execute-phase N}: takes a strategic plan ({@code AGENT_PLAN.json} from
 * {@code switchboard plan}, or a JSON workflow), turns its phase N into a tactical plan (the phase's tasks as
 * parallel tracks, each task placed on one of the agents by the {@link AgentSelector}), prints it, and executes the
 * phase like {@code coordinate} does (tasks of earlier phases count as done). {@code --dry-run} prints the tactical
 * plan only. Exit 0 when the phase completes, 1 when it fails or the plan is invalid, 2 on bad arguments.
 */
@Command(name = "switchboard receive",
    description = "Execute one phase of a strategic plan (AGENT_PLAN.json): print its tactical plan and run it.")
final class ReceiveCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    @Option(names = "--plan", paramLabel = "FILE", required = true,
        description = "the strategic plan: AGENT_PLAN.json written by 'switchboard plan', or a JSON workflow")
    private Path plan;

    @Option(names = "--execute-phase", paramLabel = "N", required = true,
        description = "the phase to execute, from 1")
    private int phase;

    @Option(names = "--dry-run", description = "print the tactical plan and exit without running it")
    private boolean dryRun;

    @Mixin
    private RunOptions options;

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isRegularFile(plan))
        {
            throw new ParameterException(spec.commandLine(), "--plan '" + plan + "' is not a file (working " +
                "directory " + Path.of("").toAbsolutePath() + ")");
        }
        final WorkflowDefinition strategic;
        try
        {
            strategic = StrategicPlan.read(plan);
        }
        catch (final WorkflowValidationException ex)
        {
            WorkflowArgument.printProblems(ex, spec.commandLine().getErr());
            return Main.EXIT_FAILED;
        }
        final WorkflowDefinition tactical;
        try
        {
            tactical = PhaseSlice.of(strategic, phase);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--execute-phase: " + ex.getMessage(), ex);
        }
        final WorkflowRun run = new WorkflowRun(options, spec.commandLine());
        run.check();
        final PrintWriter target = dryRun ? spec.commandLine().getOut() : spec.commandLine().getErr();
        printTacticalPlan(target, strategic, tactical, run.agentNames());
        target.flush();
        if (dryRun)
        {
            return Main.EXIT_OK;
        }
        return run.run(tactical, tactical.name());
    }

    private void printTacticalPlan(final PrintWriter out, final WorkflowDefinition strategic,
        final WorkflowDefinition tactical, final List<String> agents)
    {
        final var phaseDefinition = tactical.phases().getFirst();
        out.println("Tactical plan: phase " + phase + " of " + strategic.phases().size() + " of '" + strategic.name() +
            "': " + phaseDefinition.name() + " (" + phaseDefinition.tasks().size() + " tasks, gates " +
            (phaseDefinition.gates().isEmpty() ? "none" : String.join(", ", phaseDefinition.gates())) + ")");
        final Set<String> capabilities = new TreeSet<>();
        tactical.tasks().forEach(task -> capabilities.add(task.capability()));
        final List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++)
        {
            candidates.add(new Candidate(agents.get(i), i + 1, capabilities, 0, options.parallelTracks, 0, 0));
        }
        final AgentSelector selector = new AgentSelector();
        final List<TaskGraph.Track> tracks = TaskGraph.of(tactical).parallelTracks();
        for (final TaskGraph.Track track : tracks)
        {
            out.println("  track " + (track.depth() + 1) + " (in parallel):");
            final List<TaskDemand> demands = track.tasks().stream()
                .map(task -> new TaskDemand(task.id(), task.capability())).toList();
            final Assignment assignment = selector.assign(demands, candidates);
            for (final TaskDefinition task : track.tasks())
            {
                final String placed = assignment.placementFor(task.id()).map(Assignment.Placement::agentName)
                    .orElse("waits for a free agent");
                out.println("    " + task.id() + " [" + task.capability() + (task.estimatedMinutes() > 0 ?
                    ", ~" + task.estimatedMinutes() + " min" : "") + "] -> " + placed +
                    (task.dependsOn().isEmpty() ? "" : " after " + String.join(", ", task.dependsOn())));
            }
        }
    }
}
