/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard}, the top of the command tree {@link Main} runs: every command is one of its subcommands, so that
 * {@code --help}, {@code --version}, the usage errors and the exit codes ({@link ExitCodes}) are the same everywhere
 * and {@code completion} can describe them all. Given no command it is a usage error. The commands are
 * {@link #COMMANDS}, which {@link Main} adds to the tree.
 *
 * <p>Commands that write to a {@link PrintStream} rather than to picocli's writers ({@code demo}, {@code soak},
 * {@code fuzz}) take {@link #out()} and {@link #err()} from here through {@link CommandLine.ParentCommand}.
 *
 * <p>One instance per run, filled in by picocli on the main thread.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A low-latency message router for cooperating agents on one host, and an orchestrator of agents.",
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0    success; also help, --version, and router, agent, director, demo, stat",
        "       stopped by Ctrl-C or SIGTERM",
        "  1    the work failed: a workflow, a gate, an agent, a soak guarantee, a fuzz",
        "       finding, a stop that overran its timeout",
        "  2    usage error: unknown command or option, a missing or bad value",
        "  70   router: it could not start, or stopped on a fatal error",
        "  130  coordinate, receive, invoke cut short by SIGINT; any command at a second",
        "       signal (143: the same for SIGTERM)",
        "",
        "'switchboard COMMAND --help' shows a command's options.",
        "'source <(./switchboard completion)' completes commands and options in bash.",
    })
final class SwitchboardCommand implements Callable<Integer>
{
    /**
     * Every command, in the order help lists them, each made when added to a tree: picocli reads a command's fields
     * and methods when it is added, loading what they name, so {@link Main} adds only the command a run names (all of
     * them for help, completion and a name it does not know). {@code test}, {@code build} and {@code bench} are run
     * by the script itself ({@link ScriptOnlyCommand}).
     */
    static final Map<String, Supplier<Object>> COMMANDS = commands();

    private final PrintStream out;
    private final PrintStream err;

    @Spec
    private CommandSpec spec;

    /**
     * @param out where the commands that print to a stream print.
     * @param err where their errors go.
     */
    SwitchboardCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /** @return the standard output of this run, for commands that print to a stream. */
    PrintStream out()
    {
        return out;
    }

    /** @return the standard error of this run. */
    PrintStream err()
    {
        return err;
    }

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    private static Map<String, Supplier<Object>> commands()
    {
        final Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("demo", DemoCommand::new);
        commands.put("router", RouterCommand::new);
        commands.put("agent", AgentCommand::new);
        commands.put("stat", StatCommand::new);
        commands.put("errors", ErrorsCommand::new);
        commands.put("coordinate", CoordinateCommand::new);
        commands.put("receive", ReceiveCommand::new);
        commands.put("director", DirectorCommand::new);
        commands.put("invoke", InvokeCommand::new);
        commands.put("metrics", MetricsCommand::new);
        commands.put("validate", ValidateCommand::new);
        commands.put("analyze", AnalyzeCommand::new);
        commands.put("plan", PlanCommand::new);
        commands.put("soak", SoakCommand::new);
        commands.put("fuzz", FuzzCommand::new);
        commands.put("completion", CompletionCommand::new);
        commands.put("help", SwitchboardCommand::help);
        commands.put("version", VersionCommand::new);
        commands.put("test", () -> ScriptOnlyCommand.named("Build and run the test suite with Maven (the script " +
            "runs it; --fast leaves out the tests tagged slow)."));
        commands.put("build", () -> ScriptOnlyCommand.named("Build what is out of date, run nothing (the script " +
            "runs it)."));
        commands.put("bench", () -> ScriptOnlyCommand.named("Run the benchmark suite and write its report (the " +
            "script runs the benchmarks' jar; ./switchboard bench --help)."));
        return Collections.unmodifiableMap(commands);
    }

    /** picocli's {@code help [COMMAND]}, with {@code -V}/{@code --version} as every command has. */
    private static CommandLine help()
    {
        final CommandLine help = new CommandLine(new CommandLine.HelpCommand());
        help.getCommandSpec().versionProvider(new Version()).addOption(OptionSpec.builder("-V", "--version")
            .versionHelp(true).description("Print version information and exit.").build());
        return help;
    }

    /** {@code switchboard version}: as {@code --version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print the version (also --version, and -V on every command).")
    static final class VersionCommand implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call()
        {
            spec.commandLine().getOut().println(Version.line());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
