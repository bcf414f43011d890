/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.agents.AgentsFileException;
import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.plan.AgentPlanWriter;
import dev.switchboard.orchestrator.plan.StrategicPlan;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard plan DIR [--workflow NAME|FILE] [--out DIR] [--agents-file FILE]}: analyses a repository and writes
 * {@value AgentPlanWriter#FILE_NAME} for running a workflow on it, and beside it the machine-readable
 * {@value StrategicPlan#FILE_NAME} that {@code switchboard receive} executes phase by phase. Prints both paths.
 */
@Command(name = "switchboard plan",
    description = "Analyse a repository and write " + AgentPlanWriter.FILE_NAME + ": strategy, phases, tasks, " +
        "parallel tracks, commands, quality gates, rollback and the gaps found.")
final class PlanCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    @Parameters(index = "0", paramLabel = "DIR", description = "the repository directory")
    private Path dir;

    @Option(names = "--workflow", paramLabel = "NAME|FILE", defaultValue = "feature",
        description = "feature, bugfix, optimization, or a .yaml/.yml/.json workflow file (default: ${DEFAULT-VALUE})")
    private String workflow;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the plan (default: the repository)")
    private Path out;

    @Option(names = "--agents-file", paramLabel = "FILE",
        description = "name the agents of this file in the task commands: the first declaring each task's " +
            "capability (default: the roster's names, looked up in " + AgentsFile.DEFAULT_FILE + ")")
    private Path agentsFile;

    @Override
    public Integer call() throws Exception
    {
        AgentsFile agents = null;
        if (agentsFile != null)
        {
            try
            {
                agents = AgentsFile.load(agentsFile);
            }
            catch (final NoSuchFileException ex)
            {
                throw new ParameterException(spec.commandLine(), "no agents file '" + agentsFile + "' (working " +
                    "directory " + Path.of("").toAbsolutePath() + ")");
            }
            catch (final AgentsFileException ex)
            {
                ex.problems().forEach(problem -> spec.commandLine().getErr().println("switchboard plan: " + problem));
                return Main.EXIT_FAILED;
            }
        }
        final WorkflowDefinition definition;
        try
        {
            definition = WorkflowArgument.resolve(workflow, spec.commandLine());
        }
        catch (final WorkflowValidationException ex)
        {
            WorkflowArgument.printProblems(ex, spec.commandLine().getErr());
            return Main.EXIT_FAILED;
        }
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(dir, spec.commandLine());
        final List<Gap> gaps = GapDetector.detect(analysis);
        final Path file = AgentPlanWriter.writeTo(out == null ? dir : out, analysis, definition, gaps,
            QualityGates.defaults(), agents);
        final Path json = StrategicPlan.writeTo(out == null ? dir : out, analysis, definition, gaps);
        spec.commandLine().getOut().println(file);
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
