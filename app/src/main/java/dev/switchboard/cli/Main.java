/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Set;

import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.StopSignals;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line: {@code ./switchboard <command> [args...]} runs this class for every command but {@code test},
 * {@code build} and {@code bench}, which the script runs itself. Every command is a picocli subcommand of
 * {@link SwitchboardCommand}: each takes {@code -h}/{@code --help} (prints its usage, starts nothing) and
 * {@code -V}/{@code --version}; {@code completion} prints a bash completion script for them all.
 *
 * <p>Exit codes are those of {@link ExitCodes}: 0 success, 1 the work failed, 2 usage error (unknown command or
 * option, a bad value: a {@link ParameterException}, whether the parser or the command threw it), 70 a router's fatal
 * error; 130 or 143 when SIGINT or SIGTERM stopped {@code coordinate}, {@code receive} or {@code invoke} before the end
 * ({@link StopSignals}: each stops its agents and its router, prints the router's counters, removes its temporary
 * files), so that a script can tell a workflow cut short from one that finished. {@code demo} stopped by a signal does
 * the same and exits 0, as {@code router}, {@code agent}, {@code director} and {@code stat} do (a signal is their
 * normal end). A
 * second signal exits at once with 130 or 143.
 *
 * <p>Relative paths given to a command resolve against the JVM's working directory, which the
 * {@code ./switchboard} script leaves as the caller's.
 *
 * <p>Runs once on the main thread and allocates freely.
 */
public final class Main
{
    /**
     * The commands this class runs that take long enough to be stopped by a signal ({@code router} and {@code agent}
     * handle signals in their own mains; {@code soak} and {@code fuzz} end with the JVM, their children watching it).
     */
    private static final Set<String> STOPPABLE_COMMANDS = Set.of("demo", "coordinate", "receive", "invoke",
        "director", "stat");

    /** The commands that need the whole tree, whatever follows them. */
    private static final Set<String> TREE_COMMANDS = Set.of("help", "completion");

    /** The top level's options that need no command in the tree. */
    private static final Set<String> VERSION_OPTIONS = Set.of("-V", "--version");

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
     * Run one command without exiting the JVM (for tests and embedding).
     *
     * @param args the command followed by its arguments.
     * @param out  where the command's output goes.
     * @param err  where errors go.
     * @return the exit code, one of {@link ExitCodes}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, out.charset()), true);
        final PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, err.charset()), true);
        final CommandLine commandLine = commandLine(args.length > 0 ? args[0] : "", out, err)
            .setOut(outWriter).setErr(errWriter);
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

    /**
     * The command tree for a run, with this class's handling of usage errors and failures. {@code out} and
     * {@code err} are where the commands that print to a stream print (picocli's own writers are set by the caller).
     *
     * @param first the first argument, or empty: which commands the tree needs ({@link #needs}).
     */
    static CommandLine commandLine(final String first, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(new SwitchboardCommand(out, err));
        SwitchboardCommand.COMMANDS.forEach((name, command) ->
        {
            if (needs(first, name))
            {
                commandLine.addSubcommand(name, command.get());
            }
        });
        // As the hand-written parsers of soak and fuzz did, and as most tools do: a repeated option's last value wins.
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler(Main::failed);
        return commandLine;
    }

    /**
     * @return whether a run whose first argument is {@code first} needs the command {@code name} in its tree: the
     * command it names and no other (none for {@code --version}); all of them for help, completion, no command or one
     * that does not exist (the top level's help lists them, an unknown name is compared with them).
     */
    private static boolean needs(final String first, final String name)
    {
        if (VERSION_OPTIONS.contains(first))
        {
            return false;
        }
        if (SwitchboardCommand.COMMANDS.containsKey(first) && !TREE_COMMANDS.contains(first))
        {
            return name.equals(first);
        }
        return true;
    }

    /**
     * A usage error, from the parser or thrown by a command: what was wrong in one line, a suggestion when an
     * unknown name is close to a known one, and where to look; {@link ExitCodes#USAGE}. An unknown option is reported
     * as such even when a required option is missing too (picocli checks the required ones first).
     */
    private static int usageError(final ParameterException ex, final String[] args)
    {
        final CommandLine failed = ex.getCommandLine();
        final ParameterException reported = ex instanceof MissingParameterException &&
            !failed.getUnmatchedArguments().isEmpty() ?
            new UnmatchedArgumentException(failed, failed.getUnmatchedArguments()) : ex;
        final PrintWriter err = failed.getErr();
        final String name = failed.getCommandSpec().qualifiedName();
        final boolean topLevel = failed.getParent() == null;
        if (topLevel && reported instanceof UnmatchedArgumentException unmatched &&
            !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-"))
        {
            err.println(name + ": unknown command '" + unmatched.getUnmatched().getFirst() + "'.");
        }
        else
        {
            err.println(name + ": " + reported.getMessage());
        }
        UnmatchedArgumentException.printSuggestions(reported, err);
        err.println("Try '" + name + " --help' for " + (topLevel ? "the commands." : "its options."));
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * An exception out of a command: reported in one line, {@link ExitCodes#FAILED}; unless a stop made it (what a
     * stop interrupted, e.g. agents starting, unwinds with an exception), then the stop's status.
     */
    private static int failed(final Exception ex, final CommandLine failed, final ParseResult parseResult)
    {
        final String name = failed.getCommandSpec().qualifiedName();
        if (StopSignals.current().isStopRequested())
        {
            failed.getErr().println(name + ": stopped by " + StopSignals.current().reason());
            return ExitCodes.stopped();
        }
        failed.getErr().println(name + ": failed: " + ex);
        return ExitCodes.FAILED;
    }
}
