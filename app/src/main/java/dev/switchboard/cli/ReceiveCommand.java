/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.orchestrator.plan.DirectorPlanRequest;
import dev.switchboard.orchestrator.plan.MarkdownPlan;
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
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard receive [--from NAME] [--plan FILE] --execute-phase N}: takes a strategic plan
 * ({@code AGENT_PLAN.md} or {@code AGENT_PLAN.json} from {@code switchboard plan}, or a JSON workflow), or asks the
 * Director agent {@code NAME} for one over the bus when {@code --from} comes without {@code --plan}
 * ({@link DirectorPlanRequest}; the router is the one in {@code --router-dir}), turns its phase N into a tactical
 * plan (the phase's tasks as
 * parallel tracks, each task placed on one of the agents by the {@link AgentSelector}), prints it, and executes the
 * phase like {@code coordinate} does (tasks of earlier phases count as done). {@code --dry-run} prints the tactical
 * plan only. Exit 0 when the phase completes, 1 when it fails or the plan is invalid, 2 on bad arguments.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Execute one phase of a strategic plan (AGENT_PLAN.md or AGENT_PLAN.json, or one the Director " +
        "sends): print its tactical plan and run it.")
final class ReceiveCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--plan", paramLabel = "FILE",
        description = "the strategic plan: AGENT_PLAN.md or AGENT_PLAN.json written by 'switchboard plan' (a name " +
            "ending in .md is read as Markdown), or a JSON workflow; required unless --from names the Director " +
            "to ask for it")
    private Path plan;

    @Option(names = "--from", paramLabel = "NAME",
        description = "who the plan comes from, e.g. Director: with --plan, recorded as its sender; without, " +
            "asked for the plan over the bus (a plan-request to the agent NAME on the router in --router-dir)")
    private String from;

    @Option(names = "--plan-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "with --from and no --plan: longest to wait for NAME to register and answer " +
            "(default: ${DEFAULT-VALUE})")
    private long planTimeoutSeconds;

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
        if (plan == null && from == null)
        {
            throw new ParameterException(spec.commandLine(), "give the plan with --plan FILE, or name the Director " +
                "to ask for it with --from NAME");
        }
        if (plan != null && !Files.isRegularFile(plan))
        {
            throw new ParameterException(spec.commandLine(), "--plan '" + plan + "' is not a file (working " +
                "directory " + Path.of("").toAbsolutePath() + ")");
        }
        final WorkflowRun run = new WorkflowRun(options, spec.commandLine());
        try
        {
            return receive(run);
        }
        finally
        {
            run.closeEarlyRouter(); // when the run never started (a bad plan, a dry run); else the run closed it
        }
    }

    private int receive(final WorkflowRun run) throws Exception
    {
        final WorkflowDefinition strategic;
        try
        {
            strategic = plan != null ? StrategicPlan.read(plan) : fromDirector(run);
        }
        catch (final WorkflowValidationException ex)
        {
            WorkflowArgument.printProblems(ex, spec.commandLine().getErr());
            return ExitCodes.FAILED;
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
        run.check();
        final PrintWriter target = dryRun ? spec.commandLine().getOut() : spec.commandLine().getErr();
        if (from != null)
        {
            target.println("Strategic plan from " + from + (plan != null ? " (" + plan + ")" : " (over the bus)") +
                ": workflow '" + strategic.name() + "', " + strategic.phases().size() + " phases");
        }
        printTacticalPlan(target, strategic, tactical, run.agentNames());
        target.flush();
        if (dryRun)
        {
            return ExitCodes.OK;
        }
        return run.run(tactical, tactical.name());
    }

    /**
     * Asks {@code --from} for the plan over the bus: the run's router is started now, in {@code --router-dir}, where
     * the Director connects ({@code switchboard director --router-dir DIR}); the run then goes on on that router.
     */
    private WorkflowDefinition fromDirector(final WorkflowRun run)
    {
        final dev.switchboard.router.process.RouterProcess router = run.launchRouterEarly();
        final DirectorPlanRequest.Answer answer;
        try
        {
            answer = DirectorPlanRequest.request(() -> IpcConnection.connect(router.ipcContext()), from,
                "receive-phase-" + phase, phase, Duration.ofSeconds(planTimeoutSeconds));
        }
        catch (final IllegalStateException ex)
        {
            throw new ParameterException(spec.commandLine(), "--from " + from + ": " + ex.getMessage(), ex);
        }
        return answer.format().equals("markdown") ? MarkdownPlan.parse(answer.text(), from + "'s plan") :
            StrategicPlan.parse(answer.text(), from + "'s plan");
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
