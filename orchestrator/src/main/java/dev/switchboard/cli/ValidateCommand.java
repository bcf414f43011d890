/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.GateResult;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.ThresholdResult;
import dev.switchboard.orchestrator.plan.GateMeasurements;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard validate [DIR] [--gates LIST] [--enforcement PROFILE] [--remediate-on-failure]}: evaluates
 * quality gates against what the analysis of a repository measured, exiting 1 when a blocking gate fails; or
 * {@code switchboard validate --workflow FILE}: checks a workflow file and prints every problem with its path.
 */
@Command(name = "switchboard validate",
    description = "Evaluate quality gates against a repository's analysis (exit 1 when a blocking gate fails), " +
        "or check a workflow file with --workflow.")
final class ValidateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

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
        description = "when a blocking gate fails, also print the agents and tasks that would close the gaps")
    private boolean remediate;

    @Option(names = "--workflow", paramLabel = "FILE", description = "validate this workflow file instead")
    private Path workflow;

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
            return Main.EXIT_FAILED;
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("workflow '" + definition.name() + "' in " + workflow + " is valid: " +
            definition.phases().size() + " phases, " + definition.tasks().size() + " tasks, " +
            TaskGraph.of(definition).parallelTracks().size() + " parallel tracks");
        out.flush();
        return Main.EXIT_OK;
    }

    private int validateRepository() throws Exception
    {
        final QualityGates selected = selectedGates();
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(dir, spec.commandLine());
        final Map<Metric, Double> measured = GateMeasurements.of(analysis);
        final GateReport report = GateEvaluator.evaluate(selected, measured);
        final PrintWriter out = spec.commandLine().getOut();
        out.println("validating " + analysis.root() + " (" + enforcement + ")");
        out.println(report.summary());
        if (!report.passed() && remediate)
        {
            remediation(out, report, GapDetector.detect(analysis));
        }
        out.flush();
        return report.passed() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }

    private QualityGates selectedGates()
    {
        try
        {
            final QualityGates profile = QualityGates.profile(enforcement);
            return gates == null ? profile : profile.only(gates);
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
                        ": the repository analysis does not, so the gate cannot pass until a tool reports it");
                }
            }
        }
    }
}
