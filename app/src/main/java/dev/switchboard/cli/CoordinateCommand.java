/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard coordinate}: runs a workflow over an embedded router with the named agents of the agents file
 * ({@code --agents-file}, else {@code agents.yaml} in the repository or the working directory; {@code --agents A,B}
 * keeps only those), or without one {@code --agents N} scripted task agents that can each do every capability the
 * workflow needs: threads of this JVM, or with {@code --agent-processes} JVMs of their own reaching the router over
 * its Unix socket (see {@link WorkflowRun}). Scripted work succeeds and changes nothing unless
 * {@code --command CAPABILITY=CMD} says to run {@code sh -c CMD} in the repository for that capability.
 * {@code --issues} puts the issues' text in every prompt; {@code --target/--baseline/--goal} hold the run to a
 * measured improvement; each run's success metrics are kept ({@code --metrics-file}) and reported. Progress bars go
 * to standard error, the final JSON progress report to standard output.
 * Exit 0 when the workflow completes, 1 when it fails or runs out of time, 2 on bad arguments.
 *
 * <p>With {@code --journal DIR} every event goes to a Chronicle queue in {@code DIR}; when {@code DIR} already holds
 * a workflow (the orchestrator was killed), the run resumes it from the journal instead of starting again, and
 * completed tasks are not run again.
 */
@Command(name = "coordinate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Run a workflow over an embedded router with task agents; print progress and the JSON report.")
final class CoordinateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--workflow", paramLabel = "NAME|FILE", required = true,
        description = "feature, bugfix, optimization, or a .yaml/.yml/.json workflow file")
    private String workflow;

    @Mixin
    private RunOptions options;

    @Override
    public Integer call() throws Exception
    {
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
        final List<String> issues = options.issues.stream().map(String::strip).toList();
        final String workflowId = issues.isEmpty() ? definition.name() :
            definition.name() + "[" + String.join(",", issues) + "]";
        return new WorkflowRun(options, spec.commandLine()).run(definition, workflowId);
    }
}
