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
import java.util.HashSet;
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
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.Placeholders;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.TaskInstructions;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;

import static dev.switchboard.orchestrator.workflow.Capabilities.DOCUMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.IMPLEMENTATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.OPTIMIZATION;
import static dev.switchboard.orchestrator.workflow.Capabilities.PERFORMANCE;
import static dev.switchboard.orchestrator.workflow.Capabilities.PROFILING;
import static dev.switchboard.orchestrator.workflow.Capabilities.REVIEW;
import static dev.switchboard.orchestrator.workflow.Capabilities.SECURITY;
import static dev.switchboard.orchestrator.workflow.Capabilities.TESTING;

/**
 * Writes {@code AGENT_PLAN.md} in the specification's {@code agent_plan_format}: {@code ## Execution Strategy}
 * (workflow type, critical-path duration beside the sequential sum, parallel tracks, agents), one
 * {@code ## Phase N: NAME} per phase (duration, agents, parallel execution, {@code ### Tasks} each with a
 * ready-to-run {@code ./switchboard invoke} command, expected output and success criteria, {@code ### Quality Gates}
 * as checkboxes with the values measured now), {@code ## Parallel Track A/B/...} (a minimum cover of the tasks by
 * {@link ConcurrentTracks tracks} and which can run alongside which), {@code ## Rollback Procedures} (the commit each
 * phase starts from and the {@code git reset --hard} that returns to it) and {@code ## Success Metrics}. The fields
 * {@link MarkdownPlan} needs to read the workflow back ({@code **Phase ID**}, {@code **Capability**},
 * {@code **Depends On**}...) are lines a person reads too.
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
        return writeTo(dir, analysis, workflow, gaps, gates, agents, "");
    }

    /**
     * Writes {@value #FILE_NAME} into a directory, replacing any earlier plan; see {@link #write(RepositoryAnalysis,
     * WorkflowDefinition, List, QualityGates, AgentsFile, String)}.
     *
     * @param dir        the directory, created when missing.
     * @param analysis   the repository.
     * @param workflow   the workflow to run on it.
     * @param gaps       the gaps found in it.
     * @param gates      the quality gates its results must pass.
     * @param agents     the agents file {@code invoke} will read, or null for the default roster's names.
     * @param baseCommit the repository's {@code HEAD} now, empty when it is not in git.
     * @return the file written.
     * @throws IOException when the directory or file cannot be written.
     */
    public static Path writeTo(final Path dir, final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates, final AgentsFile agents, final String baseCommit)
        throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, write(analysis, workflow, gaps, gates, agents, baseCommit), StandardCharsets.UTF_8);
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
        return write(analysis, workflow, gaps, gates, agents, "");
    }

    /**
     * The plan as Markdown in the specification's {@code agent_plan_format}: execution strategy, one section per
     * phase (its tasks with a ready-to-run {@code switchboard invoke} each, and its quality gates as checkboxes),
     * the parallel tracks, rollback procedures and success metrics. Every field {@link MarkdownPlan} needs to read
     * the workflow back is on a line of its own ({@code **Depends On**:}, {@code **Capability**:}...).
     *
     * @param analysis   the repository.
     * @param workflow   the workflow to run on it, usually with {@link GapTasks} merged in.
     * @param gaps       the gaps found in it.
     * @param gates      the quality gates its results must pass.
     * @param agents     the agents file {@code invoke} will read, or null for the default roster's names.
     * @param baseCommit the repository's {@code HEAD} when the plan is written, empty when it is not in git.
     * @return the document, lines separated by {@code \n}.
     */
    public static String write(final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps, final QualityGates gates, final AgentsFile agents, final String baseCommit)
    {
        final TaskGraph graph = TaskGraph.of(workflow);
        final ConcurrentTracks tracks = ConcurrentTracks.of(graph);
        final GateReport now = GateEvaluator.evaluate(gates, GateMeasurements.of(analysis));
        final List<ProjectType> types = new ArrayList<>(new TreeSet<>(analysis.projectTypes()));
        final StringBuilder md = new StringBuilder(16384);

        md.append("# ").append(FILE_NAME).append("\n\n");
        md.append("Repository `").append(analysis.root()).append("` (").append(types.isEmpty() ? "no build found" :
            join(types)).append("), workflow `").append(workflow.name()).append("`\n\n");
        strategy(md, analysis, workflow, graph, tracks, gaps, agents, types);
        int number = 1;
        for (final PhaseDefinition phase : workflow.phases())
        {
            phase(md, number++, phase, analysis, workflow, tracks, agents, gates, now);
        }
        tracks(md, graph, tracks, agents);
        rollback(md, workflow, types, baseCommit);
        successMetrics(md, gaps, now, graph);
        return md.toString();
    }

    private static void strategy(final StringBuilder md, final RepositoryAnalysis analysis,
        final WorkflowDefinition workflow, final TaskGraph graph, final ConcurrentTracks tracks, final List<Gap> gaps,
        final AgentsFile agents, final List<ProjectType> types)
    {
        final List<TaskDefinition> criticalPath = criticalPath(graph);
        final int critical = criticalPath.stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        final int total = workflow.tasks().stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        final Set<String> agentNames = new LinkedHashSet<>();
        workflow.tasks().forEach(task -> agentNames.add(agentName(task, agents)));
        md.append("## Execution Strategy\n");
        md.append("**Workflow Type**: ").append(workflowType(workflow)).append('\n');
        md.append("**Workflow**: `").append(workflow.name()).append("`: ").append(workflow.description()).append('\n');
        md.append("**Total Duration**: ").append(duration(critical)).append(" along the critical path (")
            .append(ids(criticalPath, " → ")).append("); ").append(duration(total))
            .append(" if every task ran one after another\n");
        md.append("**Parallel Tracks**: ").append(tracks.width()).append('\n');
        md.append("**Agents Required**: ").append(String.join(", ", agentNames)).append('\n');
        final List<String> gapTasks = workflow.tasks().stream().map(TaskDefinition::id)
            .filter(id -> id.startsWith(GapTasks.ID_PREFIX)).map(id -> "`" + id + "`").toList();
        md.append("**Gaps Found**: ").append(gaps.isEmpty() ? "none: the repository meets every gate the analysis " +
            "can measure" : gaps.size() + " (" + String.join("; ", gaps.stream().map(g -> g.severity() + " " +
            g.area() + ": " + g.message()).toList()) + ")").append(gapTasks.isEmpty() ? "" : "; closed by tasks " +
            String.join(", ", gapTasks)).append("\n\n");
        md.append("```bash\n");
        md.append("./switchboard coordinate --workflow ").append(ShellQuoting.quote(workflow.name()))
            .append(" --repo ").append(ShellQuoting.quote(analysis.root().toString())).append(" --parallel-tracks ")
            .append(tracks.width()).append("   # the whole workflow\n");
        md.append("./switchboard receive --plan ").append(ShellQuoting.quote(analysis.root().resolve(FILE_NAME)
            .toString())).append(" --execute-phase 1 --repo ").append(ShellQuoting.quote(analysis.root().toString()))
            .append("   # one phase of this plan\n");
        for (final ProjectType type : types)
        {
            final BuildTool tool = BUILD_TOOLS.get(type);
            if (tool != null)
            {
                md.append("(cd ").append(ShellQuoting.quote(analysis.root().toString())).append(" && ")
                    .append(tool.test()).append(")   # the project's tests\n");
            }
        }
        md.append("```\n\n");
    }

    private static void phase(final StringBuilder md, final int number, final PhaseDefinition phase,
        final RepositoryAnalysis analysis, final WorkflowDefinition workflow, final ConcurrentTracks tracks,
        final AgentsFile agents, final QualityGates gates, final GateReport now)
    {
        final Set<String> inPhase = new HashSet<>();
        phase.tasks().forEach(task -> inPhase.add(task.id()));
        final Set<String> agentNames = new LinkedHashSet<>();
        phase.tasks().forEach(task -> agentNames.add(agentName(task, agents)));
        final boolean parallel = phase.tasks().stream()
            .anyMatch(task -> tracks.alongside().get(task.id()).stream().anyMatch(inPhase::contains));
        md.append("## Phase ").append(number).append(": ").append(phase.name()).append('\n');
        md.append("**Phase ID**: `").append(phase.id()).append("`\n");
        md.append("**Duration**: ").append(duration(phaseDuration(phase, inPhase))).append('\n');
        md.append("**Agents**: ").append(String.join(", ", agentNames)).append('\n');
        md.append("**Parallel Execution**: ").append(parallel ? "YES" : "NO").append('\n');
        md.append("**Capabilities**: ").append(code(phase.requiredCapabilities())).append('\n');
        md.append("**Outputs**: ").append(phase.outputs().isEmpty() ? "none" : code(phase.outputs())).append('\n');
        md.append("**Gates**: ").append(phase.gates().isEmpty() ? "none" : code(phase.gates())).append('\n');
        md.append("**Optional**: ").append(phase.optional() ? "yes" : "no").append('\n');
        if (!phase.performanceCommand().isEmpty())
        {
            md.append("**Performance Command**: `").append(phase.performanceCommand()).append("`\n");
        }
        md.append("\n### Tasks\n");
        int item = 1;
        for (final TaskDefinition task : phase.tasks())
        {
            final TaskInstructions instructions = task.instructions();
            md.append(item++).append(". **").append(agentName(task, agents)).append("**: ").append(task.name())
                .append(" (`").append(task.id()).append("`)\n");
            md.append("```bash\n").append(invokeLine(task, workflow, analysis, agents)).append("\n```\n");
            md.append("**Capability**: `").append(task.capability()).append("` · **Estimate**: ")
                .append(task.estimatedMinutes()).append(" min · **Decomposable**: ")
                .append(task.decomposable() ? "yes" : "no").append('\n');
            md.append("**Depends On**: ").append(task.dependsOn().isEmpty() ? "none" : code(task.dependsOn()))
                .append('\n');
            md.append("**Paths**: ").append(task.paths().isEmpty() ? "anywhere in the repository" :
                code(task.paths())).append('\n');
            md.append("**Expected Output**: the result file's summary, changed files and artifacts")
                .append(phase.outputs().isEmpty() ? "" : ", towards the phase's " + String.join(", ",
                    phase.outputs())).append('\n');
            md.append("**Success Criteria**: ").append(instructions.acceptanceCriteria().isEmpty() ?
                "the agent reports success" : String.join("; ", instructions.acceptanceCriteria()))
                .append(phase.gates().isEmpty() ? "" : "; then the phase's gates " + String.join(", ",
                    phase.gates()) + " pass on the merged tree").append("\n\n");
        }
        md.append("### Quality Gates\n");
        boolean any = false;
        for (final GateResult gate : now.results())
        {
            if (!phase.gates().contains(gate.gate().name()))
            {
                continue;
            }
            for (final ThresholdResult result : gate.results())
            {
                any = true;
                md.append("- [").append(result.outcome() == ThresholdResult.Outcome.MET ? 'x' : ' ').append("] ")
                    .append(gate.gate().name()).append(": ").append(result.threshold()).append(" (")
                    .append(result.measured().isPresent() ?
                        "now " + result.threshold().metric().format(round(result.measured().getAsDouble())) :
                        "not measured yet")
                    .append(") ").append(gate.gate().enforcement()).append('\n');
            }
        }
        for (final String name : phase.gates())
        {
            if (gates.gate(name).isEmpty())
            {
                any = true;
                md.append("- [ ] ").append(name).append(name.equals(WorkflowTemplates.GATE_REVIEW) ?
                    ": a reviewer agent approves the phase's work\n" : ": not among the configured gates\n");
            }
        }
        if (!any)
        {
            md.append("- [ ] every task of the phase completes (the phase has no quality gate)\n");
        }
        md.append('\n');
    }

    private static void tracks(final StringBuilder md, final TaskGraph graph, final ConcurrentTracks tracks,
        final AgentsFile agents)
    {
        for (int t = 0; t < tracks.width(); t++)
        {
            final List<String> ids = tracks.tracks().get(t);
            final Set<String> agentNames = new LinkedHashSet<>();
            ids.forEach(id -> agentNames.add(agentName(graph.task(id), agents)));
            final Set<Integer> alongside = tracks.runsAlongside(t);
            md.append("## Parallel Track ").append(ConcurrentTracks.letter(t)).append('\n');
            md.append("**Agents**: ").append(String.join(", ", agentNames)).append('\n');
            md.append("**Can Run Alongside**: ").append(alongside.isEmpty() ? "none (every other task depends on " +
                "this track's tasks or they on it)" : String.join(", ", alongside.stream()
                .map(i -> "Track " + ConcurrentTracks.letter(i)).toList())).append('\n');
            md.append("**Tasks**: ").append(String.join(" → ", ids.stream().map(id -> "`" + id + "`").toList()))
                .append('\n');
            for (final String id : ids)
            {
                final List<String> with = tracks.alongside().get(id);
                md.append("- `").append(id).append("` (").append(agentName(graph.task(id), agents)).append(", ")
                    .append(duration(graph.task(id).estimatedMinutes())).append("): ")
                    .append(with.isEmpty() ? "runs alone" : "can run alongside " + String.join(", ",
                        with.stream().map(w -> "`" + w + "`").toList())).append('\n');
            }
            md.append('\n');
        }
    }

    private static void rollback(final StringBuilder md, final WorkflowDefinition workflow,
        final List<ProjectType> types, final String baseCommit)
    {
        md.append("## Rollback Procedures\n");
        int step = 1;
        int number = 1;
        for (final PhaseDefinition phase : workflow.phases())
        {
            md.append(step++).append(". Phase ").append(number).append(" (").append(phase.name()).append(") ");
            if (number == 1)
            {
                md.append(baseCommit.isEmpty() ? "starts from the commit `git rev-parse HEAD` names before it " +
                    "runs (the repository was not in git when this plan was written); to undo it: " +
                    "`git reset --hard <that commit>`" : "starts from commit `" + baseCommit + "` (`git rev-parse " +
                    "HEAD` when this plan was written); to undo it: `git reset --hard " + baseCommit + "`");
            }
            else
            {
                md.append("starts from the commit `coordinate` records at its start (`WorkspaceRecorded " +
                    "PhaseStarted` for phase `").append(phase.id()).append("` in the journal); to undo it: " +
                    "`git reset --hard <that commit>`");
            }
            md.append('\n');
            number++;
        }
        md.append(step++).append(". A task's own work stays on its branch until the phase merges it: a failed " +
            "phase leaves the base untouched; `git worktree prune` removes worktrees left by a crash\n");
        for (final ProjectType type : types)
        {
            final BuildTool tool = BUILD_TOOLS.get(type);
            if (tool != null)
            {
                md.append(step++).append(". After a reset, rebuild the ").append(type).append(" project from " +
                    "nothing: `").append(tool.cleanRebuild()).append("` (build files: ").append(tool.manifests())
                    .append(")\n");
            }
        }
        md.append('\n');
    }

    private static void successMetrics(final StringBuilder md, final List<Gap> gaps, final GateReport now,
        final TaskGraph graph)
    {
        md.append("## Success Metrics\n");
        md.append("- [ ] All quality gates passed (now ").append(now.blockingFailures().size())
            .append(" blocking gate(s) fail)\n");
        md.append("- [ ] Performance targets met (the performance gate's thresholds on the merged tree)\n");
        md.append("- [ ] Documentation complete (every public type and member has Javadoc)\n");
        md.append("- [ ] Deployment ready (the project's clean rebuild passes on the final commit)\n");
        md.append("- [ ] Every gap found is closed (now ").append(gaps.size()).append(")\n");
        for (final GateResult gate : now.results())
        {
            for (final ThresholdResult result : gate.results())
            {
                if (result.measured().isPresent() && result.outcome() != ThresholdResult.Outcome.MET)
                {
                    final Metric metric = result.threshold().metric();
                    md.append("- [ ] ").append(gate.gate().name()).append(' ').append(metric).append(": from ")
                        .append(metric.format(round(result.measured().getAsDouble()))).append(" to ")
                        .append(result.threshold().comparison().symbol()).append(' ')
                        .append(metric.format(result.threshold().value())).append('\n');
                }
            }
        }
        md.append("- [ ] Coordination efficiency > 95 % (successful handoffs / total handoffs)\n");
        md.append("- [ ] Plan accuracy > 90 % (plans executed without major changes / total plans)\n");
        md.append("- [ ] Development time reduction > 40 % (time saved / sequential time; this plan: ")
            .append(timeSaved(graph)).append(")\n");
        md.append("- [ ] Quality gate compliance 100 % (gates enforced / total gates)\n");
        md.append("- [ ] Execution success > 95 % (successful workflows / total workflows)\n");
        md.append("- [ ] Failure recovery > 90 % (failures recovered automatically / total failures)\n");
    }

    private static String timeSaved(final TaskGraph graph)
    {
        final int critical = criticalPath(graph).stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        final int total = graph.topologicalOrder().stream().mapToInt(TaskDefinition::estimatedMinutes).sum();
        return total == 0 ? "no estimates" : String.format(java.util.Locale.ROOT, "%.1f %% by the estimates",
            100.0 * (total - critical) / total);
    }

    /** The longest chain of estimates inside the phase, dependencies on other phases counted as done. */
    private static int phaseDuration(final PhaseDefinition phase, final Set<String> inPhase)
    {
        final Map<String, Integer> finish = new HashMap<>();
        int longest = 0;
        for (final TaskDefinition task : phase.tasks())
        {
            finish.put(task.id(), 0);
        }
        boolean changed = true;
        while (changed)
        {
            changed = false;
            for (final TaskDefinition task : phase.tasks())
            {
                int start = 0;
                for (final String dependency : task.dependsOn())
                {
                    if (inPhase.contains(dependency))
                    {
                        start = Math.max(start, finish.get(dependency));
                    }
                }
                final int end = start + task.estimatedMinutes();
                if (end != finish.get(task.id()))
                {
                    finish.put(task.id(), end);
                    changed = true;
                }
                longest = Math.max(longest, end);
            }
        }
        return longest;
    }

    /** FEATURE, BUGFIX, OPTIMIZATION or REFACTOR for a built-in workflow; CUSTOM for any other. */
    static String workflowType(final WorkflowDefinition workflow)
    {
        return WorkflowTemplates.names().contains(workflow.name()) ?
            workflow.name().toUpperCase(java.util.Locale.ROOT) : "CUSTOM";
    }

    /**
     * The task's ready-to-run command: its texts as written, so that {@code invoke} fills {@code ${scope}},
     * {@code ${repo}} and {@code ${context.NAME}} itself when it runs (and {@link MarkdownPlan} reads them back
     * unchanged); the placeholders {@code invoke} does not know are filled here.
     */
    private static String invokeLine(final TaskDefinition task, final WorkflowDefinition workflow,
        final RepositoryAnalysis analysis, final AgentsFile agents)
    {
        final String repo = analysis.root().toString();
        final java.util.function.Function<String, String> values = name -> value(name, workflow, task);
        final StringBuilder line = new StringBuilder("./switchboard invoke ")
            .append(ShellQuoting.quote(agentName(task, agents)));
        final TaskInstructions instructions = task.instructions();
        line.append(" --task ").append(ShellQuoting.quote(Placeholders.fill(instructions.description().isEmpty() ?
            task.name() : instructions.description(), values)));
        if (!instructions.context().isEmpty())
        {
            line.append(" --context ").append(ShellQuoting.quote(Placeholders.fill(instructions.context(), values)));
        }
        for (final String criterion : instructions.acceptanceCriteria())
        {
            line.append(" --acceptance ").append(ShellQuoting.quote(Placeholders.fill(criterion, values)));
        }
        if (agents != null)
        {
            line.append(" --agents-file ").append(ShellQuoting.quote(agents.source()));
        }
        line.append(" --repo ").append(ShellQuoting.quote(repo));
        return line.toString();
    }

    private static String agentName(final TaskDefinition task, final AgentsFile agents)
    {
        final String agent = agentFor(task.capability(), agents);
        return agent == null ? rosterAgent(task.capability()) : agent;
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
     * The value of a placeholder {@code invoke} does not fill: the task and workflow are known now; a dependency's
     * output is not, so it is named in words. {@code null} (kept as written) for the ones {@code invoke} fills.
     */
    private static String value(final String name, final WorkflowDefinition workflow, final TaskDefinition task)
    {
        return switch (name)
        {
            case "scope", "repo", "issues" -> null;
            case "workflow" -> workflow.name();
            case "task.id" -> task.id();
            case "task.name" -> task.name();
            case "capability" -> task.capability();
            case "deps" -> "(the outputs of " + String.join(", ", task.dependsOn()) + ", once they have run)";
            default ->
            {
                if (name.startsWith("context."))
                {
                    yield null;
                }
                final String rest = name.substring("deps.".length());
                final int dot = rest.lastIndexOf('.');
                yield "(the " + rest.substring(dot + 1) + " of task " + rest.substring(0, Math.max(dot, 0)) +
                    ", once it has run)";
            }
        };
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
