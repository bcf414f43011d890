/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.agents.AgentsFileException;
import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.GateResult;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.ThresholdResult;
import dev.switchboard.orchestrator.gates.measure.TreeMeasurement;
import dev.switchboard.orchestrator.recovery.GateRemediation;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard validate [DIR] [--gates LIST] [--enforcement PROFILE] [--remediate-on-failure]}: measures the
 * repository with the real tools ({@link TreeMeasurement}: Maven with JaCoCo, PMD, SpotBugs + FindSecBugs, the
 * analyzers and scans) and holds every threshold of the specification ({@link QualityGates#completeProfile}) to what
 * it measured, exiting 1 when a blocking gate fails; nothing the repository or an agent reports about itself is
 * read (a shipped coverage report is ignored), and a metric that could not be measured fails a blocking gate with
 * why. Or
 * {@code switchboard validate --workflow FILE}: checks a workflow file and prints every problem with its path.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Evaluate quality gates against a repository's analysis (exit 1 when a blocking gate fails), " +
        "or check a workflow file with --workflow.")
final class ValidateCommand implements Callable<Integer>
{
    /** Detail lines printed per failed or unmeasured metric: enough to act on, not pages. */
    private static final int DETAILS_SHOWN = 5;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
        description = "the repository directory (default: the working directory)")
    private Path dir;

    @Option(names = "--gates", paramLabel = "LIST",
        description = "comma-separated gates to evaluate: code-quality, security, performance, documentation, " +
            "or unambiguous prefixes such as code,security (default: all)")
    private String gates;

    @Option(names = "--enforcement", paramLabel = "PROFILE", defaultValue = "standard",
        description = "strict (every gate blocks), standard or lenient (nothing blocks) (default: ${DEFAULT-VALUE})")
    private String enforcement;

    @Option(names = "--remediate-on-failure",
        description = "when a blocking gate fails, run the remediation tasks with the agents of the agents file in " +
            "the repository and validate again (without an agents file, print what would run)")
    private boolean remediate;

    @Option(names = "--agents-file", paramLabel = "FILE",
        description = "with --remediate-on-failure: the agents that remediate (default: agents.yaml in DIR, then " +
            "in the working directory)")
    private Path agentsFile;

    @Option(names = "--metrics-file", paramLabel = "FILE",
        description = "with --remediate-on-failure: where the remediation run's success metrics are kept " +
            "(default: ~/.switchboard/metrics.jsonl)")
    private Path metricsFile;

    @Option(names = "--workflow", paramLabel = "FILE", description = "validate this workflow file instead")
    private Path workflow;

    @Mixin
    private MeasureOptions measure;

    @Override
    public Integer call() throws Exception
    {
        return workflow != null ? validateWorkflow() : validateRepository();
    }

    private int validateWorkflow() throws Exception
    {
        final WorkflowDefinition definition;
        try
        {
            definition = WorkflowArgument.load(workflow, spec.commandLine());
        }
        catch (final WorkflowValidationException ex)
        {
            WorkflowArgument.printProblems(ex, spec.commandLine().getErr());
            return ExitCodes.FAILED;
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("workflow '" + definition.name() + "' in " + workflow + " is valid: " +
            definition.phases().size() + " phases, " + definition.tasks().size() + " tasks, " +
            TaskGraph.of(definition).parallelTracks().size() + " parallel tracks");
        out.flush();
        return ExitCodes.OK;
    }

    private int validateRepository() throws Exception
    {
        final QualityGates selected = selectedGates();
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(dir, spec.commandLine());
        final PrintWriter out = spec.commandLine().getOut();
        out.println("validating " + analysis.root() + " (" + enforcement + ")");
        out.flush();
        final Measurements measured = TreeMeasurement.measure(analysis.root(), selected.metrics(),
            measure.toOptions(spec.commandLine()));
        out.println("measured:");
        for (final Measurement measurement : measured.all())
        {
            out.println("  " + measurement);
        }
        final GateReport report = GateEvaluator.evaluate(selected, measured);
        out.println(report.summary());
        details(out, report, measured);
        if (!report.passed() && remediate)
        {
            remediation(out, report, GapDetector.detect(analysis));
            final Path agents = remediationAgents();
            if (agents != null)
            {
                return remediateAndRevalidate(agents, selected, report, measured, analysis.root());
            }
            out.println("no agents file (--agents-file, or agents.yaml in " + analysis.root() + "): nothing was " +
                "run; the tasks above are what would close the gaps");
        }
        out.flush();
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** --agents-file, else agents.yaml in the repository, then in the working directory; null when none. */
    private Path remediationAgents()
    {
        if (agentsFile != null)
        {
            if (!Files.isRegularFile(agentsFile))
            {
                throw new ParameterException(spec.commandLine(), "no agents file '" + agentsFile + "'");
            }
            return agentsFile;
        }
        return java.util.stream.Stream.of(dir.resolve(AgentsFile.DEFAULT_FILE), Path.of(AgentsFile.DEFAULT_FILE))
            .filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /**
     * Runs the remediation tasks of the measured shortfalls ({@link GateRemediation#plan}) as a one-phase workflow
     * with the agents, as {@code coordinate} would, in the repository; then measures and evaluates again and prints
     * before and after. Exit as the second evaluation says.
     */
    private int remediateAndRevalidate(final Path agents, final QualityGates selected, final GateReport before,
        final Measurements measuredBefore, final Path root) throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final AgentsFile file;
        try
        {
            file = AgentsFile.load(agents);
        }
        catch (final AgentsFileException ex)
        {
            ex.problems().forEach(problem -> spec.commandLine().getErr().println("switchboard validate: " + problem));
            return ExitCodes.FAILED;
        }
        final Set<String> capabilities = new java.util.TreeSet<>();
        file.agents().forEach(agent -> capabilities.addAll(agent.capabilities()));
        final Map<Metric, String> evidence = new EnumMap<>(Metric.class);
        measuredBefore.all().forEach(m -> evidence.put(m.metric(), m.describe(DETAILS_SHOWN)));
        final List<TaskDefinition> tasks = GateRemediation.plan("validate", 1, before, evidence, capabilities,
            List.of());
        if (tasks.isEmpty())
        {
            out.println("remediation with " + agents + ": no measured shortfall an agent of it can fix (a metric " +
                "that was not measured needs its tool, not an agent)");
            out.flush();
            return ExitCodes.FAILED;
        }
        out.println("remediating with the agents of " + agents + ": " + String.join(", ",
            tasks.stream().map(t -> t.id() + " (" + t.capability() + ")").toList()));
        out.flush();
        final PhaseDefinition.Builder phase = PhaseDefinition.builder("remediation").name("Remediation");
        tasks.forEach(task -> phase.requires(task.capability()).task(task));
        final WorkflowDefinition workflow = WorkflowDefinition.builder("validate-remediation")
            .description("Close the measured shortfalls of validate").phase(phase.build()).buildChecked();
        final int ran = new WorkflowRun(remediationOptions(agents, root), spec.commandLine())
            .run(workflow, "validate-remediation");
        if (ran != ExitCodes.OK)
        {
            out.println("the remediation run did not complete (exit " + ran + "); validating again anyway");
        }
        final Measurements measuredAfter = TreeMeasurement.measure(root, selected.metrics(),
            measure.toOptions(spec.commandLine()));
        final GateReport after = GateEvaluator.evaluate(selected, measuredAfter);
        out.println("after remediation, measured:");
        for (final Measurement measurement : measuredAfter.all())
        {
            out.println("  " + measurement);
        }
        out.println("before: " + before.summary().strip().replace("\n", "\n  "));
        out.println("after: " + after.summary().strip().replace("\n", "\n  "));
        details(out, after, measuredAfter);
        out.flush();
        return after.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The options {@code coordinate} would take for the remediation phase: the repository, these agents. */
    private RunOptions remediationOptions(final Path agents, final Path root)
    {
        // parsed, so that every run option has its declared default, as coordinate would have it
        final List<String> args = new java.util.ArrayList<>(List.of("--repo", root.toString(), "--agents-file",
            agents.toString(), "--agents", "1", "--quality-gates", enforcement, "--timeout", "600"));
        if (metricsFile != null)
        {
            args.addAll(List.of("--metrics-file", metricsFile.toString()));
        }
        final RunOptions options = picocli.CommandLine.populateCommand(new RunOptions(), args.toArray(String[]::new));
        options.measure = measure; // validate's own --maven, --advisories, ...
        return options;
    }

    /**
     * Under the summary, for each metric of a threshold that failed or was not measured: its measurement and the
     * first {@value #DETAILS_SHOWN} details, the specifics to act on.
     */
    private static void details(final PrintWriter out, final GateReport report, final Measurements measured)
    {
        final Set<Metric> unmet = EnumSet.noneOf(Metric.class);
        for (final GateResult result : report.results())
        {
            for (final ThresholdResult threshold : result.unmet())
            {
                unmet.add(threshold.threshold().metric());
            }
        }
        if (unmet.isEmpty())
        {
            return;
        }
        out.println("details of what is short:");
        for (final Metric metric : unmet)
        {
            final Measurement measurement = measured.get(metric)
                .orElse(Measurement.notMeasured(metric, Measurements.NOTHING_MEASURED_IT));
            for (final String line : measurement.describe(DETAILS_SHOWN).split("\n"))
            {
                out.println((line.startsWith("- ") ? "    " : "  ") + line);
            }
        }
    }

    private QualityGates selectedGates()
    {
        try
        {
            // the review gate needs a reviewer agent's verdict on a workflow's work: coordinate evaluates it
            final QualityGates measurable = QualityGates.completeProfile(enforcement).only(String.join(",",
                QualityGates.CODE_QUALITY, QualityGates.SECURITY, QualityGates.PERFORMANCE,
                QualityGates.DOCUMENTATION));
            return gates == null ? measurable : measurable.only(gates);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    private static void remediation(final PrintWriter out, final GateReport report, final List<Gap> gaps)
    {
        out.println("remediation:");
        final var agents = GapDetector.recommendedAgents(gaps);
        out.println("  agents: " + (agents.isEmpty() ? "none (no gap the analysis can close)" :
            String.join(", ", agents)));
        for (final Gap gap : gaps)
        {
            out.println("  - " + gap.area().agent() + ": close " + gap.area() + " gap (" + gap.severity() + "): " +
                gap.message());
        }
        for (final GateResult failed : report.blockingFailures())
        {
            for (final ThresholdResult unmet : failed.unmet())
            {
                if (unmet.outcome() == ThresholdResult.Outcome.NOT_MEASURED)
                {
                    out.println("  - measure " + unmet.threshold().metric() + " for gate " + failed.gate().name() +
                        ": the gate cannot pass until it is measured (" + unmet.reason() + ")");
                }
            }
        }
    }
}
