/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CancellationException;

import dev.switchboard.demo.CrossProcessDemo;
import dev.switchboard.demo.Demo;
import dev.switchboard.demo.OrchestrationDemo;
import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.StopSignals;
import picocli.CommandLine;

/**
 * The command line: {@code ./switchboard <command> [args...]} runs this class. It dispatches to one
 * command: {@code demo} by hand; {@code router}, {@code agent}, {@code analyze}, {@code plan}, {@code validate},
 * {@code coordinate}, {@code receive}, {@code invoke}, {@code metrics} and {@code director} through picocli, each
 * with {@code --help} that starts nothing; {@code --version} prints the version.
 *
 * <p>Exit codes: 0 success, 1 the command failed, 2 usage error (unknown command or argument); 130 or 143 when
 * SIGINT or SIGTERM stopped {@code coordinate}, {@code receive} or {@code invoke} before the end ({@link StopSignals}: each stops its
 * agents and its router, prints the router's counters, removes its temporary files), so that a script can tell a
 * workflow cut short from one that finished. {@code demo} stopped by a signal does the same and exits 0, as
 * {@code router} and {@code agent} do (a signal is their normal end). A second signal exits at once with 130 or 143.
 *
 * <p>Relative paths given to a command resolve against the JVM's working directory, which the
 * {@code ./switchboard} script leaves as the caller's.
 *
 * <p>Runs once on the main thread and allocates freely.
 */
public final class Main
{
    /** The command ran and succeeded. */
    public static final int EXIT_OK = 0;
    /** The command ran and failed. */
    public static final int EXIT_FAILED = 1;
    /** The command line was wrong: unknown command or argument. */
    public static final int EXIT_USAGE = 2;

    /**
     * The commands this class runs that take long enough to be stopped by a signal ({@code router} and {@code agent}
     * handle signals in their own mains).
     */
    private static final Set<String> STOPPABLE_COMMANDS = Set.of("demo", "coordinate", "receive", "invoke",
        "director");

    /** The commands with options, parsed by picocli. */
    private static final Set<String> PICOCLI_COMMANDS = Set.of("router", "agent", "analyze", "plan", "validate",
        "coordinate", "receive", "invoke", "metrics", "director");

    private Main()
    {
    }

    /**
     * Run one command and exit with its code.
     *
     * @param args the command followed by its arguments.
     */
    public static void main(final String[] args)
    {
        // What the libraries log (System.Logger, through java.util.logging here) is one line per record.
        ConsoleLogging.oneLinePerRecord();
        if (args.length > 0 && STOPPABLE_COMMANDS.contains(args[0]))
        {
            StopSignals.install("switchboard " + args[0]);
        }
        final int status = run(args, System.out, System.err);
        StopSignals.current().finished();
        System.exit(status);
    }

    /**
     * @return the exit status of a command that a stop cut short: 130 after SIGINT, 143 after SIGTERM (as a shell
     * reports a process the signal killed), so that a script can tell a run cut short from one that finished;
     * {@link #EXIT_FAILED} for a stop with another cause (the parent process gone).
     */
    static int stopStatus()
    {
        final int status = StopSignals.current().exitStatus();
        return status != 0 ? status : EXIT_FAILED;
    }

    /**
     * Run one command without exiting the JVM (for tests and embedding).
     *
     * @param args the command followed by its arguments.
     * @param out  where the command's output goes.
     * @param err  where errors go.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0)
        {
            err.println("switchboard: no command given.");
            usage(err);
            return EXIT_USAGE;
        }
        final String command = args[0];
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if ("help".equals(command) || "-h".equals(command) || "--help".equals(command))
        {
            usage(out);
            return EXIT_OK;
        }
        if ("version".equals(command) || "-V".equals(command) || "--version".equals(command))
        {
            out.println(Version.line());
            return EXIT_OK;
        }
        if ("demo".equals(command))
        {
            return demo(rest, out, err);
        }
        if ("bench".equals(command))
        {
            err.println("switchboard bench: run it through the script, ./switchboard bench, which starts the " +
                "benchmarks module's runner (see benchmarks/README.md)");
            return EXIT_USAGE;
        }
        if (PICOCLI_COMMANDS.contains(command))
        {
            return picocli(picocliCommand(command), rest, out, err);
        }
        err.println("switchboard: unknown command '" + command + "'.");
        usage(err);
        return EXIT_USAGE;
    }

    /** A new instance per run, as picocli fills in its fields; created only when run, so only it is loaded. */
    private static Object picocliCommand(final String name)
    {
        return switch (name)
        {
            case "router" -> new RouterCommand();
            case "agent" -> new AgentCommand();
            case "analyze" -> new AnalyzeCommand();
            case "plan" -> new PlanCommand();
            case "validate" -> new ValidateCommand();
            case "coordinate" -> new CoordinateCommand();
            case "receive" -> new ReceiveCommand();
            case "invoke" -> new InvokeCommand();
            case "metrics" -> new MetricsCommand();
            case "director" -> new DirectorCommand();
            default -> throw new IllegalArgumentException("no picocli command '" + name + "'");
        };
    }

    /**
     * Runs a picocli command. Picocli's own exit codes match ours: a {@link CommandLine.ParameterException} (bad
     * option, missing argument, or a value a command rejects) prints the message and usage and gives 2; an
     * exception thrown by the command is reported in one line and gives 1.
     */
    private static int picocli(final Object command, final String[] args, final PrintStream out,
        final PrintStream err)
    {
        final PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, out.charset()), true);
        final PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, err.charset()), true);
        final CommandLine commandLine = new CommandLine(command).setOut(outWriter).setErr(errWriter);
        commandLine.setExecutionExceptionHandler((ex, failed, parseResult) ->
        {
            if (StopSignals.current().isStopRequested())
            {
                // what a stop interrupted (e.g. agents starting) unwinds with an exception: it is the stop, not a failure
                failed.getErr().println(failed.getCommandName() + ": stopped by " + StopSignals.current().reason());
                return stopStatus();
            }
            failed.getErr().println(failed.getCommandName() + ": failed: " + ex);
            return EXIT_FAILED;
        });
        try
        {
            return commandLine.execute(args);
        }
        finally
        {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int demo(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0])))
        {
            out.println("Usage: ./switchboard demo");
            out.println("Starts a router and eight agents in this JVM, runs send, publish/subscribe,");
            out.println("request/response, work queue, broadcast and multicast among them, and prints what");
            out.println("travelled, on which tier, how many and how fast. Then starts a router reachable over");
            out.println("its Unix socket and two agent JVMs, which make request/response round trips on");
            out.println("CRITICAL, HIGH, NORMAL and LOW, and prints the tier, count and latency of each.");
            out.println("Last, the orchestrator analyses the sample repository in " + OrchestrationDemo.SAMPLE + " (a");
            out.println("copy, committed to git), writes its AGENT_PLAN.md, and runs the feature workflow with the");
            out.println("named agents of " + OrchestrationDemo.AGENTS + ", which apply prepared patches in git");
            out.println("worktrees; each phase is merged and measured with the real tools (JaCoCo, PMD,");
            out.println("SpotBugs), a failed gate gets remediation tasks, and a crashed agent's task is re-run.");
            out.println("Takes no options.");
            return EXIT_OK;
        }
        if (args.length > 0)
        {
            err.println("switchboard demo: unexpected argument '" + args[0] + "' (the demo takes none; see --help)");
            return EXIT_USAGE;
        }
        try
        {
            Demo.run(Demo.Sizes.DEFAULT, out);
            CrossProcessDemo.run(CrossProcessDemo.Sizes.DEFAULT, out);
            OrchestrationDemo.run(Path.of(System.getProperty("switchboard.home", ".")), out);
            return EXIT_OK;
        }
        catch (final RuntimeException ex)
        {
            if (StopSignals.current().isStopRequested())
            {
                // a CancellationException from the wait it was in, or what the stop broke under it
                out.println("switchboard demo: stopped by " + StopSignals.current().reason() +
                    (ex instanceof CancellationException ? "" : " (" + ex.getMessage() + ")"));
                // As the router and the sample agent: a demo stopped cleanly on request ends with 0 (issue 18).
                return StopSignals.current().exitStatus() != 0 ? 0 : EXIT_FAILED;
            }
            err.println("switchboard demo: failed: " + ex.getMessage());
            ex.printStackTrace(err);
            return EXIT_FAILED;
        }
    }

    private static void usage(final PrintStream out)
    {
        out.println("Usage: switchboard <command> [args...]");
        out.println("  demo      run the demo: an embedded router and agents exchanging messages");
        out.println("  router    run a standalone router that agent processes connect to (Ctrl-C stops it)");
        out.println("  agent     run a sample agent process: agent --name NAME [--capabilities a,b] [--topic T]");
        out.println("  version   print the version (also --version; router and agent take -V too)");
        out.println("  analyze   analyze DIR [--json]: project types, tests, coverage, complexity, gaps, agents");
        out.println("  plan      plan DIR [--workflow feature|bugfix|optimization|FILE] [--out DIR]:");
        out.println("            analyze DIR and write AGENT_PLAN.md and AGENT_PLAN.json for the workflow");
        out.println("  validate  validate [DIR] [--gates code,security,...] [--enforcement strict|standard|lenient]");
        out.println("            [--remediate-on-failure], or validate --workflow FILE");
        out.println("  coordinate --workflow feature|bugfix|optimization|FILE [--repo DIR] [--scope TEXT]");
        out.println("            [--agents N|NAME,NAME] [--issues ID,ID] [--target TEXT --baseline current|MS");
        out.println("            --goal \"N% improvement\"] [--parallel-tracks N] [--priority LEVEL]");
        out.println("            [--quality-gates strict|standard|lenient] [--command CAP=CMD]");
        out.println("            [--agent-processes] [--journal DIR]: run the workflow with task agents; progress on");
        out.println("            stderr, JSON report on stdout");
        out.println("  receive   receive --plan AGENT_PLAN.json --execute-phase N [--dry-run] [coordinate's options]:");
        out.println("            print phase N's tactical plan and execute it");
        out.println("  invoke    invoke AGENT --task TEXT [--context TEXT] [--agents-file FILE] [--repo DIR]");
        out.println("            [--scope TEXT]: run one named agent of the agents file on one task");
        out.println("  metrics   metrics [--metrics-file FILE] [--json]: success metrics of the kept runs vs targets");
        out.println("  director  director --router-dir DIR [--name NAME] [--answers FILE] [--plan FILE]: be the");
        out.println("            Director of a coordinate --router-dir DIR: reports, escalations, guidance");
        out.println("  bench     (./switchboard bench) the benchmark suite; see benchmarks/README.md");
    }
}
