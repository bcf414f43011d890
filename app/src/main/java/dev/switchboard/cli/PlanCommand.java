/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import dev.switchboard.orchestrator.plan.GapTasks;
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
 * {@code switchboard plan DIR [--workflow NAME|FILE] [--out DIR] [--agents-file FILE]}: analyses a repository, merges
 * a task for each kind of gap found into the workflow's phases ({@link GapTasks}), and writes
 * {@value AgentPlanWriter#FILE_NAME} in the specification's format and beside it the machine-readable
 * {@value StrategicPlan#FILE_NAME}; {@code switchboard receive} executes either phase by phase. Prints both paths.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
        "Analyse a repository and write " + AgentPlanWriter.FILE_NAME + " and " + StrategicPlan.FILE_NAME + ".",
        AgentPlanWriter.FILE_NAME + ": execution strategy, phases with ready-to-run commands and quality gates, " +
            "parallel tracks, rollback, success metrics; the gaps found become tasks of the phases. " +
            StrategicPlan.FILE_NAME + ": the same plan for 'switchboard receive'."})
final class PlanCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the repository directory")
    private Path dir;

    @Option(names = "--workflow", paramLabel = "NAME|FILE", defaultValue = "feature",
        description = "feature, bugfix, optimization, refactor, or a .yaml/.yml/.json workflow file " +
            "(default: ${DEFAULT-VALUE})")
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
                return ExitCodes.FAILED;
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
            return ExitCodes.FAILED;
        }
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(dir, spec.commandLine());
        final List<Gap> gaps = GapDetector.detect(analysis);
        final WorkflowDefinition planned = GapTasks.merge(definition, analysis, gaps);
        final Path file = AgentPlanWriter.writeTo(out == null ? dir : out, analysis, planned, gaps,
            QualityGates.defaults(), agents, head(dir));
        final Path json = StrategicPlan.writeTo(out == null ? dir : out, analysis, planned, gaps);
        spec.commandLine().getOut().println(file);
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** {@code git rev-parse HEAD} in the repository, or empty when it is not in git (or git is missing). */
    static String head(final Path repository)
    {
        try
        {
            final Process git = new ProcessBuilder("git", "-C", repository.toString(), "rev-parse", "--verify",
                "-q", "HEAD").redirectErrorStream(true).start();
            final String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 && text.matches("[0-9a-f]{40,64}") ? text : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
