/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.switchboard.ipc.StopSignals;
import dev.switchboard.orchestrator.agents.AgentInvocation;
import dev.switchboard.orchestrator.agents.AgentSpec;
import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.agents.AgentsFileException;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import dev.switchboard.orchestrator.workflow.Placeholders;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard invoke AGENT --task TEXT [--context TEXT]}: runs one named agent of the agents file on one task
 * by hand, as {@code AGENT_PLAN.md}'s ready-to-run commands do. The task's prompt is rendered as a workflow task's is
 * ({@link TaskPrompt}; {@code ${scope}}, {@code ${repo}} and {@code ${context.NAME}} work, the last analysing the
 * repository first), written to {@code prompt.md} in the run directory, and handed to the agent's command
 * ({@link AgentInvocation}). Prints where the prompt and logs are, then the result: status, summary, changed files and
 * artifacts. Exit 0 when the agent succeeded, 1 when it failed or timed out, 2 on bad arguments (an unknown agent
 * among them); 130 or 143 when SIGINT or SIGTERM stopped it, its whole process tree killed.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Run one named agent of the agents file on one task, and print its result.")
final class InvokeCommand implements Callable<Integer>
{
    /** The id the one task gets, in the prompt and in {@code SWITCHBOARD_TASK_ID}. */
    static final String TASK_ID = "invoke";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "AGENT", description = "the agent's name in the agents file")
    private String agentName;

    @Option(names = "--task", paramLabel = "TEXT", required = true,
        description = "what to do; may use ${scope}, ${repo} and ${context.NAME}")
    private String task;

    @Option(names = "--context", paramLabel = "TEXT", defaultValue = "",
        description = "what the agent should know; ${context.uncovered}, ${context.undocumented}, " +
            "${context.complex}... analyse the repository")
    private String context;

    @Option(names = "--acceptance", paramLabel = "TEXT", description = "a criterion the result must meet (repeatable)")
    private List<String> acceptance = new ArrayList<>();

    @Option(names = "--agents-file", paramLabel = "FILE", defaultValue = AgentsFile.DEFAULT_FILE,
        description = "the agents file (default: ${DEFAULT-VALUE})")
    private Path agentsFile;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
        description = "the repository the agent works in (default: ${DEFAULT-VALUE})")
    private Path repo;

    @Option(names = "--scope", paramLabel = "TEXT", defaultValue = "",
        description = "what the work is about, e.g. \"authentication system\" (default: the whole repository)")
    private String scope;

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "where the prompt, result and logs go (default: a new temporary directory, kept)")
    private Path runDirectory;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(repo))
        {
            throw new ParameterException(spec.commandLine(), "--repo '" + repo + "' is not a directory (working " +
                "directory " + Path.of("").toAbsolutePath() + ")");
        }
        final AgentsFile agents;
        try
        {
            agents = AgentsFile.load(agentsFile);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ParameterException(spec.commandLine(), "no agents file '" + agentsFile + "' (working " +
                "directory " + Path.of("").toAbsolutePath() + "); give one with --agents-file");
        }
        catch (final AgentsFileException ex)
        {
            ex.problems().forEach(problem -> err.println("switchboard invoke: " + problem));
            return ExitCodes.FAILED;
        }
        final AgentSpec agent;
        try
        {
            agent = agents.agent(agentName);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        final TaskDefinition definition = task(agent);
        final TaskPrompt prompt = TaskPrompt.render("none (switchboard invoke)", definition, new TaskPrompt.Scope(scope, repo),
            facts(definition), Map.of());
        final Path run = runDirectory != null ? runDirectory :
            Files.createTempDirectory("switchboard-invoke-" + agent.name() + "-");
        err.println("invoking " + agent.name() + " (" + agent.declaredAt() + ", timeout " +
            agent.timeout().toString().substring(2).toLowerCase(java.util.Locale.ROOT) +
            "); prompt, result and logs in " + run.toAbsolutePath());
        err.flush();
        final Thread caller = Thread.currentThread();
        StopSignals.current().onStop(caller::interrupt);
        final AgentInvocation.Outcome outcome;
        try
        {
            outcome = new AgentInvocation(agent).run(prompt, repo, run);
        }
        catch (final InterruptedException ex)
        {
            err.println("switchboard invoke: stopped by " + StopSignals.current().reason() + "; the agent's " +
                "processes were stopped");
            return ExitCodes.stopped();
        }
        report(outcome, out);
        return outcome.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The one task: the agent's first capability, the texts given, placeholders checked. */
    private TaskDefinition task(final AgentSpec agent)
    {
        final List<String> texts = new ArrayList<>(List.of(task, context));
        texts.addAll(acceptance);
        for (final String text : texts)
        {
            for (final String name : Placeholders.namesIn(text))
            {
                final String problem = Placeholders.problemWith(name, List.of());
                if (problem != null)
                {
                    throw new ParameterException(spec.commandLine(), problem);
                }
            }
        }
        return TaskDefinition.builder(TASK_ID, agent.capabilities().stream().sorted().findFirst().orElseThrow())
            .name("given to " + agent.name() + " by hand")
            .description(task)
            .context(context)
            .acceptance(acceptance.toArray(String[]::new))
            .build();
    }

    /** The analysis facts, when a text asks for one; the analysis takes a while on a large repository. */
    private AnalysisFacts facts(final TaskDefinition definition) throws IOException
    {
        final boolean wanted = definition.instructions().texts().stream()
            .flatMap(text -> Placeholders.namesIn(text).stream()).anyMatch(name -> name.startsWith("context."));
        if (!wanted)
        {
            return AnalysisFacts.NONE;
        }
        final RepositoryAnalysis analysis = RepositoryArgument.analyze(repo, spec.commandLine());
        return AnalysisFacts.of(analysis, GapDetector.detect(analysis));
    }

    private static void report(final AgentInvocation.Outcome outcome, final PrintWriter out)
    {
        out.println("status: " + (outcome.succeeded() ? "succeeded" : "failed (" + outcome.errorKind() + ")"));
        out.println("exit: " + outcome.exitCode() + ", " + outcome.elapsed().toMillis() + " ms");
        if (!outcome.message().isEmpty())
        {
            out.println("message: " + outcome.message());
        }
        out.println("summary: " + (outcome.output().summary().isEmpty() ? "(none)" :
            outcome.output().summary().replace("\n", "\n  ")));
        out.println("changed files: " + (outcome.output().changedFiles().isEmpty() ? "(none)" :
            String.join(", ", outcome.output().changedFiles())));
        out.println("artifacts: " + (outcome.output().artifacts().isEmpty() ? "(none)" :
            String.join(", ", outcome.output().artifacts())));
        out.println("run directory: " + outcome.runDirectory());
        out.flush();
    }
}
