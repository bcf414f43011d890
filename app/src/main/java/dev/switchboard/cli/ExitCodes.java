/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import dev.switchboard.router.process.RouterMain;
import dev.switchboard.ipc.StopSignals;

/**
 * The exit status of every {@code ./switchboard} command, so that a script can tell apart what went wrong. Every
 * command returns one of these; nothing else is produced (the table in {@code orchestrator/README.md}, "Exit codes",
 * says the same).
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th><th>commands</th></tr>
 *   <tr><td>0</td><td>{@link #OK}</td><td>the work was done (or help or the version was printed); a long-running
 *       command stopped on request by SIGINT or SIGTERM</td><td>all</td></tr>
 *   <tr><td>1</td><td>{@link #FAILED}</td><td>the work failed: a workflow failed or ran out of time, a blocking gate
 *       failed, an agent failed, a soak guarantee broke, a fuzz campaign found something, a file could not be read,
 *       the router could not be reached, a stop overran its timeout ({@link StopSignals#EXIT_STOP_TIMEOUT})</td>
 *       <td>all but {@code version}, {@code completion}</td></tr>
 *   <tr><td>2</td><td>{@link #USAGE}</td><td>the command line was wrong: unknown command or option, a missing or bad
 *       value; nothing was started</td><td>all</td></tr>
 *   <tr><td>70</td><td>{@link #ROUTER_FATAL}</td><td>the router could not start, or its duty cycle stopped on a fatal
 *       error ({@code EX_SOFTWARE})</td><td>{@code router}</td></tr>
 *   <tr><td>130</td><td>{@link #STOPPED_BY_SIGINT}</td><td>SIGINT cut the work short (its agents and router were
 *       stopped, its report printed); or a second signal during a stop, for any command that handles signals</td>
 *       <td>{@code coordinate}, {@code receive}, {@code invoke}; the second signal: also {@code router},
 *       {@code agent}, {@code demo}, {@code director}</td></tr>
 *   <tr><td>143</td><td>{@link #STOPPED_BY_SIGTERM}</td><td>as 130, for SIGTERM</td><td>as 130</td></tr>
 * </table>
 *
 * <p>Picocli gives {@link #OK} for {@code --help} and {@code --version} and {@link #USAGE} for a
 * {@link picocli.CommandLine.ParameterException}, whether the parser or a command threw it; {@link Main} maps any other
 * exception a command throws to {@link #FAILED}.
 *
 * <p>Stateless; constants only.
 */
public final class ExitCodes
{
    /** The command did its work, printed help or the version, or was stopped on request where that is its end. */
    public static final int OK = 0;
    /** The work failed: what failed is printed on standard error or in the command's report. */
    public static final int FAILED = 1;
    /** The command line was wrong (unknown command or option, missing or bad value): nothing was started. */
    public static final int USAGE = 2;
    /** {@code router}: it could not start, or its duty cycle stopped on a fatal error ({@code EX_SOFTWARE}). */
    public static final int ROUTER_FATAL = RouterMain.EXIT_FATAL;
    /** SIGINT cut a command with an end of its own short (128 + 2, as a shell reports a process SIGINT killed). */
    public static final int STOPPED_BY_SIGINT = 130;
    /** SIGTERM cut a command with an end of its own short (128 + 15). */
    public static final int STOPPED_BY_SIGTERM = 143;

    private ExitCodes()
    {
    }

    /**
     * @return the status of a command that a stop cut short: {@link #STOPPED_BY_SIGINT} or {@link #STOPPED_BY_SIGTERM}
     * after the signal, so that a script can tell a run cut short from one that finished; {@link #FAILED} for a stop
     * with another cause (the parent process gone).
     */
    static int stopped()
    {
        final int status = StopSignals.current().exitStatus();
        return status != 0 ? status : FAILED;
    }
}
