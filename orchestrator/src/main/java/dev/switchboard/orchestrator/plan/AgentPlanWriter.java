/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.orchestrator.analysis.AgentCapabilities;
import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.ProjectType;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.GateResult;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.ThresholdResult;
import dev.switchboard.orchestrator.agents.AgentSpec;
import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.Placeholders;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.TaskInstructions;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;

import static dev.switchboard.orchestrator.workflow.Capabilities.DOCUMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.IMPLEMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.OPTIMIZATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.PERFORMANCE;
import static dev.switchboard.orchestrator.workflow.Capabilities.PROFILING;
import static dev.switchboard.orchestrator.workflow.Capabilities.REVIEW;
import static dev.switchboard.orchestrator.workflow.Capabilities.SECURITY;
import static dev.switchboard.orchestrator.workflow.Capabilities.TESTING;

/**
 * Writes {@code AGENT_PLAN.md}: how a workflow would be run on an analysed repository. The sections, in order:
 * strategy (workflow, critical-path estimate, parallel tracks, agents), phases with their agents, tasks, parallel
 * tracks, ready-to-run commands, expected outputs and success criteria, quality gates as checkboxes with the values
 * measured now, rollback procedures, success metrics, and the gaps found.
 *
 * <p>The output is a pure function of the arguments: no clock, no environment, collections in a fixed order; so
 * two plans of the same repository state compare equal and tests can assert on the text.
 *
 * <p>Stateless and thread-safe; allocates the document on each call.
 */
public final class AgentPlanWriter
{
    /** The file {@link #writeTo} writes. */
    public static final String FILE_NAME = "AGENT_PLAN.md";

    /** The workflow capabilities each gap specialist serves, to place specialists in phases. */
    private static final Map<String, Set<String>> SPECIALIST_CAPABILITIES = Map.of(
        AgentCapabilities.TESTBED, Set.of(TESTING),
        AgentCapabilities.SCRIBE, Set.of(DOCUMENTATION),
        AgentCapabilities.REFACTORER, Set.of(IMPLEMENTATION),
        AgentCapabilities.OPTIMIZER, Set.of(OPTIMIZATION, PROFILING, PERFORMANCE),
        AgentCapabilities.AUDITOR, Set.of(SECURITY, REVIEW));

    /**
     * How to build, test and rebuild one kind of project.
     *
     * @param manifests   the files that declare the build and its dependencies, to restore on rollback.
     * @param test        runs the tests.
     * @param cleanRebuild rebuilds from nothing after a rollback.
     */
    private record BuildTool(String manifests, String test, String cleanRebuild)
    {
    }

    private static final Map<ProjectType, BuildTool> BUILD_TOOLS = new EnumMap<>(Map.of(
        ProjectType.MAVEN, new BuildTool("pom.xml", "mvn -B test", "mvn -B clean test"),
        ProjectType.GRADLE, new BuildTool("build.gradle* settings.gradle*", "./gradlew test", "./gradlew clean test"),
        ProjectType.NPM, new BuildTool("package.json package-lock.json", "npm test", "npm ci && npm test"),
        ProjectType.PYTHON, new BuildTool("pyproject.toml requirements.txt", "pytest",
            "pip install -r requirements.txt && pytest"),
        ProjectType.GO, new BuildTool("go.mod go.sum", "go test ./...", "go clean -testcache && go test ./..."),
        ProjectType.CARGO, new BuildTool("Cargo.toml Cargo.lock", "cargo test", "cargo clean && cargo test"),
        ProjectType.CMAKE, new BuildTool("CMakeLists.txt", "cmake -S . -B build && cmake --build build && " +
            "ctest --test-dir build", "rm -rf build && cmake -S . -B build && cmake --build build && " +
            "ctest --test-dir build"),
        ProjectType.MAKE, new BuildTool("Makefile", "make test", "make clean && make test")));

    private AgentPlanWriter()
    {
    }

    /**
     * Writes {@value #FILE_NAME} into a directory, replacing any earlier plan.
     *
     * @param dir      the directory, created when missing.
     * @param analysis the repository.
     * @param workflow the workflow to run on it.
     * @param gaps     the gaps found in it, usually {@link GapDetector#detect(RepositoryAnalysis)}.
     * @param gates    the quality gates its results must pass.
     * @return the file written.
     * @throws IOException when the directory or file cannot be written.
     */
    public static Path writeTo(final Path dir, final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates) throws IOException
    {
        return writeTo(dir, analysis, workflow, gaps, gates, null);
    }

    /**
     * Writes {@value #FILE_NAME} into a directory, replacing any earlier plan, its task commands naming the agents of
     * an agents file.
     *
     * @param dir      the directory, created when missing.
     * @param analysis the repository.
     * @param workflow the workflow to run on it.
     * @param gaps     the gaps found in it, usually {@link GapDetector#detect(RepositoryAnalysis)}.
     * @param gates    the quality gates its results must pass.
     * @param agents   the agents file {@code invoke} will read, or null for the default roster's names.
     * @return the file written.
     * @throws IOException when the directory or file cannot be written.
     */
    public static Path writeTo(final Path dir, final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates, final AgentsFile agents) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, write(analysis, workflow, gaps, gates, agents), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The plan as Markdown.
     *
     * @param analysis the repository.
     * @param workflow the workflow to run on it.
     * @param gaps     the gaps found in it.
     * @param gates    the quality gates its results must pass.
     * @return the document, lines separated by {@code \n}.
     */
    public static String write(final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates)
    {
        return write(analysis, workflow, gaps, gates, null);
    }

    /**
     * The plan as Markdown, its task commands naming the agents of an agents file.
     *
     * @param analysis the repository.
     * @param workflow the workflow to run on it.
     * @param gaps     the gaps found in it.
     * @param gates    the quality gates its results must pass.
     * @param agents   the agents file {@code invoke} will read, or null for the default roster's names.
     * @return the document, lines separated by {@code \n}.
     */
    public static String write(final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates, final AgentsFile agents)
    {
        final TaskGraph graph = TaskGraph.of(workflow);
        final List<TaskDefinition> criticalPath = criticalPath(graph);
        final Set<String> specialists = GapDetector.recommendedAgents(gaps);
        final GateReport now = GateEvaluator.evaluate(gates, GateMeasurements.of(analysis));
        final List<ProjectType> types = new ArrayList<>(new TreeSet<>(analysis.projectTypes()));
        final StringBuilder md = new StringBuilder(8192);

        md.append("# Agent plan: ").append(workflow.name()).append(" workflow\n\n");
        md.append("Repository: `").append(analysis.root()).append("`  \n");
        md.append("Project types: ").append(join(types)).append("\n\n");

        strategy(md, workflow, graph, criticalPath, specialists);
        phases(md, workflow, specialists);
        tasks(md, workflow, graph);
        tracks(md, graph);
        commands(md, analysis, workflow, graph, gates, types);
        taskCommands(md, analysis, workflow, AnalysisFacts.of(analysis, gaps), agents);
        outputs(md, workflow);
        gates(md, now);
        rollback(md, workflow, types);
        successMetrics(md, gaps, now, criticalPath);
        gaps(md, gaps);
        return md.toString();
    }

    private static void strategy(final StringBuilder md, final WorkflowDefinition workflow, final TaskGraph graph,
        final List<TaskDefinition> criticalPath, final Set<String> specialists)
    {
        final int critical = criticalPath.stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        final int total = workflow.tasks().stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        final Set<String> capabilities = new LinkedHashSet<>();
        workflow.phases().forEach(p -> capabilities.addAll(p.requiredCapabilities()));
        md.append("## Strategy\n\n");
        md.append("- Workflow: `").append(workflow.name()).append("`: ").append(workflow.description()).append('\n');
        md.append("- Estimated duration: ").append(duration(critical)).append(" along the critical path (")
            .append(ids(criticalPath, " → ")).append("); ").append(duration(total))
            .append(" of work in total\n");
        md.append("- Parallel tracks: ").append(graph.parallelTracks().size()).append(" (at most ")
            .append(graph.parallelTracks().stream().mapToInt(t -> t.tasks().size()).max().orElse(0))
            .append(" tasks at once)\n");
        md.append("- Agents: one per capability: ").append(code(capabilities)).append('\n');
        md.append("- Specialists for the gaps found: ")
            .append(specialists.isEmpty() ? "none needed" : String.join(", ", specialists)).append("\n\n");
    }

    private static void phases(final StringBuilder md, final WorkflowDefinition workflow, final Set<String> specialists)
    {
        md.append("## Phases\n\n");
        int number = 1;
        for (final PhaseDefinition phase : workflow.phases())
        {
            md.append("### ").append(number++).append(". ").append(phase.name()).append(" (`").append(phase.id())
                .append("`)").append(phase.optional() ? " (optional)" : "").append("\n\n");
            md.append("- Agents: ").append(code(phase.requiredCapabilities()));
            final List<String> here = new ArrayList<>();
            for (final String specialist : specialists)
            {
                if (phase.requiredCapabilities().stream().anyMatch(SPECIALIST_CAPABILITIES.get(specialist)::contains))
                {
                    here.add(specialist);
                }
            }
            md.append(here.isEmpty() ? "" : "; recommended specialists: " + String.join(", ", here)).append('\n');
            md.append("- Tasks: ").append(ids(phase.tasks(), ", ")).append('\n');
            md.append("- Gates: ").append(phase.gates().isEmpty() ? "none" : code(phase.gates())).append("\n\n");
        }
    }

    private static void tasks(final StringBuilder md, final WorkflowDefinition workflow, final TaskGraph graph)
    {
        md.append("## Tasks\n\n| Task | Name | Phase | Capability | Depends on | Estimate | Track |\n")
            .append("|---|---|---|---|---|---|---|\n");
        for (final PhaseDefinition phase : workflow.phases())
        {
            for (final TaskDefinition task : phase.tasks())
            {
                md.append("| `").append(task.id()).append("` | ").append(task.name()).append(" | ").append(phase.id())
                    .append(" | ").append(task.capability()).append(" | ")
                    .append(task.dependsOn().isEmpty() ? "-" : String.join(", ", task.dependsOn())).append(" | ")
                    .append(duration(task.estimatedMinutes())).append(" | ").append(graph.depth(task.id()) + 1)
                    .append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void tracks(final StringBuilder md, final TaskGraph graph)
    {
        md.append("## Parallel tracks\n\nEach track starts when every earlier track is complete; the tasks of one " +
            "track run in parallel.\n\n");
        for (final TaskGraph.Track track : graph.parallelTracks())
        {
            md.append("- Track ").append(track.depth() + 1).append(": ").append(ids(track.tasks(), ", "))
                .append(" (").append(duration(track.tasks().stream().mapToInt(TaskDefinition::estimatedMinutes)
                    .max().orElse(0))).append(")\n");
        }
        md.append('\n');
    }

    private static void commands(final StringBuilder md, final RepositoryAnalysis analysis,
        final WorkflowDefinition workflow, final TaskGraph graph, final QualityGates gates,
        final List<ProjectType> types)
    {
        md.append("## Ready-to-run commands\n\n```bash\n");
        md.append("./switchboard analyze ").append(analysis.root()).append('\n');
        md.append("./switchboard coordinate --workflow ").append(workflow.name()).append(" --scope ")
            .append(analysis.root()).append(" --parallel-tracks ").append(graph.parallelTracks().size()).append('\n');
        md.append("./switchboard receive --plan ").append(analysis.root().resolve(StrategicPlan.FILE_NAME))
            .append(" --execute-phase 1   # one phase at a time, from the machine-readable plan\n");
        md.append("./switchboard validate ").append(analysis.root()).append(" --gates ")
            .append(String.join(",", gates.names())).append(" --enforcement standard --remediate-on-failure\n");
        md.append("cd ").append(analysis.root()).append('\n');
        for (final ProjectType type : types)
        {
            final BuildTool tool = BUILD_TOOLS.get(type);
            if (tool != null)
            {
                md.append(tool.test()).append('\n');
            }
        }
        md.append("```\n\n");
    }

    /**
     * One {@code switchboard invoke} per task, in workflow order, its texts filled in from the analysis so that it
     * runs as printed; a dependency's output, not known before the run, is named in words.
     */
    private static void taskCommands(final StringBuilder md, final RepositoryAnalysis analysis,
        final WorkflowDefinition workflow, final AnalysisFacts facts, final AgentsFile agents)
    {
        md.append("### One task at a time\n\nEach task by hand, in order, with `switchboard invoke`; the agents are ")
            .append(agents == null ? "the default roster's names, looked up in `" + AgentsFile.DEFAULT_FILE + "`" :
                "the first of `" + agents.source() + "` declaring the task's capability")
            .append(".\n\n```bash\n");
        final String repo = analysis.root().toString();
        for (final PhaseDefinition phase : workflow.phases())
        {
            for (final TaskDefinition task : phase.tasks())
            {
                final String agent = agentFor(task.capability(), agents);
                final java.util.function.Function<String, String> values = name -> value(name, workflow, task, repo,
                    facts);
                md.append("# ").append(task.id()).append(": ").append(task.name())
                    .append(agent == null ? " (no agent in " + agents.source() + " declares " + task.capability() +
                        ")" : "").append('\n');
                final StringBuilder line = new StringBuilder("./switchboard invoke ")
                    .append(ShellQuoting.quote(agent == null ? rosterAgent(task.capability()) : agent));
                final TaskInstructions instructions = task.instructions();
                line.append(" --task ").append(ShellQuoting.quote(filled(instructions.description().isEmpty() ?
                    task.name() : instructions.description(), values)));
                if (!instructions.context().isEmpty())
                {
                    line.append(" --context ").append(ShellQuoting.quote(filled(instructions.context(), values)));
                }
                for (final String criterion : instructions.acceptanceCriteria())
                {
                    line.append(" --acceptance ").append(ShellQuoting.quote(filled(criterion, values)));
                }
                if (agents != null)
                {
                    line.append(" --agents-file ").append(ShellQuoting.quote(agents.source()));
                }
                line.append(" --repo ").append(ShellQuoting.quote(repo));
                md.append(line).append("\n\n");
            }
        }
        md.setLength(md.length() - 1);
        md.append("```\n\n");
    }

    /** @return the first agent of the file declaring the capability, the roster's name without a file; or null. */
    static String agentFor(final String capability, final AgentsFile agents)
    {
        if (agents == null)
        {
            return rosterAgent(capability);
        }
        for (final AgentSpec agent : agents.agents())
        {
            if (agent.capabilities().contains(capability))
            {
                return agent.name();
            }
        }
        return null;
    }

    /** The default roster's agent for a capability: its specialist, else the capability's name capitalised. */
    private static String rosterAgent(final String capability)
    {
        return SPECIALIST_CAPABILITIES.entrySet().stream()
            .filter(e -> e.getValue().contains(capability)).map(Map.Entry::getKey).sorted().findFirst()
            .orElse(Character.toUpperCase(capability.charAt(0)) + capability.substring(1));
    }

    /**
     * A text with its placeholders filled, and any {@code ${} left in it (from a fact's text) escaped, so that
     * {@code invoke} passes it to the agent as it is printed.
     */
    private static String filled(final String text, final java.util.function.Function<String, String> values)
    {
        return Placeholders.fill(text, values).replace("${", "$${");
    }

    private static String value(final String name, final WorkflowDefinition workflow, final TaskDefinition task,
        final String repo, final AnalysisFacts facts)
    {
        return switch (name)
        {
            case "scope" -> new TaskPrompt.Scope("", Path.of(repo)).text(); // invoke's default: no --scope
            case "repo" -> repo;
            case "workflow" -> workflow.name();
            case "task.id" -> task.id();
            case "task.name" -> task.name();
            case "capability" -> task.capability();
            case "deps" -> "(the outputs of " + String.join(", ", task.dependsOn()) + ", once they have run)";
            default ->
            {
                if (name.startsWith("context."))
                {
                    yield facts.fact(name.substring("context.".length()));
                }
                final String rest = name.substring("deps.".length());
                final int dot = rest.lastIndexOf('.');
                yield "(the " + rest.substring(dot + 1) + " of task " + rest.substring(0, Math.max(dot, 0)) +
                    ", once it has run)";
            }
        };
    }

    private static void outputs(final StringBuilder md, final WorkflowDefinition workflow)
    {
        md.append("## Expected outputs and success criteria\n\n");
        for (final PhaseDefinition phase : workflow.phases())
        {
            md.append("- ").append(phase.name()).append(": ").append(String.join(", ", phase.outputs()))
                .append("; done when ").append(phase.gates().isEmpty() ? "its tasks are complete" :
                    "gates " + String.join(", ", phase.gates()) + " pass").append('\n');
        }
        md.append('\n');
    }

    private static void gates(final StringBuilder md, final GateReport now)
    {
        md.append("## Quality gates\n\n");
        for (final GateResult gate : now.results())
        {
            for (final ThresholdResult result : gate.results())
            {
                md.append("- [").append(result.outcome() == ThresholdResult.Outcome.MET ? 'x' : ' ').append("] ")
                    .append(gate.gate().name()).append(": ").append(result.threshold()).append(" (")
                    .append(result.measured().isPresent() ?
                        "now " + result.threshold().metric().format(round(result.measured().getAsDouble())) :
                        "not measured")
                    .append(") ").append(gate.gate().enforcement()).append('\n');
            }
        }
        md.append('\n');
    }

    private static void rollback(final StringBuilder md, final WorkflowDefinition workflow,
        final List<ProjectType> types)
    {
        final String base = "switchboard/" + workflow.name();
        md.append("## Rollback procedures\n\n");
        md.append("1. Before the first phase: `git switch -c ").append(base).append("` from a clean working tree.\n");
        md.append("2. Run each phase on its own branch, `git switch -c ").append(base)
            .append("/<phase>`, and merge it into `").append(base).append("` only when its gates pass.\n");
        md.append("3. A phase that fails its gates: discard its uncommitted work with " +
            "`git restore --staged --worktree -- .`, or drop its branch with `git branch -D ").append(base)
            .append("/<phase>`.\n");
        md.append("4. A merged phase that must go: `git revert -m 1 <merge-commit>`; this keeps the history.\n");
        md.append("5. Restore the build and rebuild from nothing:\n");
        for (final ProjectType type : types)
        {
            final BuildTool tool = BUILD_TOOLS.get(type);
            if (tool != null)
            {
                md.append("   - ").append(type).append(": `git restore --source=").append(base).append(" -- ")
                    .append(tool.manifests()).append("`, then `").append(tool.cleanRebuild()).append("`\n");
            }
        }
        md.append('\n');
    }

    private static void successMetrics(final StringBuilder md, final List<Gap> gaps, final GateReport now, final List<TaskDefinition> criticalPath)
    {
        md.append("## Success metrics\n\n");
        md.append("- Every blocking quality gate passes (now ").append(now.blockingFailures().size())
            .append(" blocking gate(s) fail)\n");
        md.append("- Every gap below is closed (now ").append(gaps.size()).append(")\n");
        for (final GateResult gate : now.results())
        {
            for (final ThresholdResult result : gate.results())
            {
                if (result.measured().isPresent())
                {
                    final Metric metric = result.threshold().metric();
                    md.append("- ").append(gate.gate().name()).append(' ').append(metric).append(": from ")
                        .append(metric.format(round(result.measured().getAsDouble()))).append(" to ")
                        .append(result.threshold().comparison().symbol()).append(' ')
                        .append(metric.format(result.threshold().value())).append('\n');
                }
            }
        }
        md.append("- Finished within ").append(duration(criticalPath.stream()
            .mapToInt(TaskDefinition::estimatedMinutes).sum())).append(" of elapsed agent time\n\n");
    }

    private static void gaps(final StringBuilder md, final List<Gap> gaps)
    {
        md.append("## Gaps found\n\n");
        if (gaps.isEmpty())
        {
            md.append("None: the repository meets every gate the analysis can measure.\n");
            return;
        }
        for (final Gap gap : gaps)
        {
            md.append("- **").append(gap.severity()).append("** ").append(gap.area()).append(": ")
                .append(gap.message()).append(" (agent: ").append(gap.area().agent()).append(")\n");
        }
    }

    /**
     * The chain of dependencies with the largest total estimate, first task first. Ties go to the task declared
     * first (the first dependency listed), so the result
     * is deterministic.
     */
    static List<TaskDefinition> criticalPath(final TaskGraph graph)
    {
        final Map<String, Integer> finish = new HashMap<>();
        final Map<String, String> previous = new HashMap<>();
        TaskDefinition last = null;
        for (final TaskDefinition task : graph.topologicalOrder())
        {
            int start = 0;
            String from = null;
            for (final String dependency : task.dependsOn())
            {
                if (from == null || finish.get(dependency) > start)
                {
                    start = finish.get(dependency);
                    from = dependency;
                }
            }
            if (from != null)
            {
                previous.put(task.id(), from);
            }
            finish.put(task.id(), start + task.estimatedMinutes());
            if (last == null || finish.get(task.id()) > finish.get(last.id()))
            {
                last = task;
            }
        }
        final List<TaskDefinition> path = new ArrayList<>();
        for (String id = last == null ? null : last.id(); id != null; id = previous.get(id))
        {
            path.addFirst(graph.task(id));
        }
        return path;
    }

    private static String duration(final int minutes)
    {
        if (minutes < 60)
        {
            return minutes + " min";
        }
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    private static double round(final double value)
    {
        return Math.round(value * 10) / 10.0;
    }

    private static String ids(final List<TaskDefinition> tasks, final String separator)
    {
        return String.join(separator, tasks.stream().map(t -> "`" + t.id() + "`").toList());
    }

    private static String code(final Iterable<String> names)
    {
        final List<String> quoted = new ArrayList<>();
        names.forEach(name -> quoted.add("`" + name + "`"));
        return String.join(", ", quoted);
    }

    private static String join(final List<?> values)
    {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
