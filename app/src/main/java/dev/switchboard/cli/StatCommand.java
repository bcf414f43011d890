/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ipc.StopSignals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard stat}: every router, agent process and orchestrator on the host, live, read from their counters
 * files in shared memory (as Aeron's {@code AeronStat}): a header line per process (role, name, pid, uptime, heartbeat
 * age, or NOT RUNNING for a file whose writer died), then its non-zero counters with their value and rate per second
 * between two refreshes, and its latency histograms. The screen is cleared and redrawn every {@code --interval} until
 * Ctrl-C (exit 0). {@code --once} prints one table and exits; {@code --json} prints one JSON document and exits; both
 * take two samples {@code --interval} apart for the rates ({@code --interval 0}: one sample, no rates). Exit 0, 2 on
 * bad options. Reads only; never writes or removes a file.
 */
@Command(name = "stat", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Show every running router, agent process and orchestrator with its counters and their rates, " +
        "live (Ctrl-C to stop), read from their counters files in shared memory.",
        "--once prints one table, --json one JSON document."})
final class StatCommand implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    private CommandSpec spec;

    @Mixin
    private CountersOptions where = new CountersOptions();

    @Option(names = "--once", description = "print one table and exit (two samples --interval apart, for the rates)")
    private boolean once;

    @Option(names = "--json", description = "print one JSON document and exit: every process's snapshot (all its " +
        "counters, histograms and errors), with rates when two samples were taken")
    private boolean json;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
        description = "refresh period, and the time between the two samples of --once and --json; 0 with --once or " +
            "--json: one sample, no rates (default: ${DEFAULT-VALUE})")
    private long intervalMs;

    @Option(names = "--filter", paramLabel = "TEXT",
        description = "only counters and histograms whose label contains TEXT (any case)")
    private String filter;

    @Override
    public Integer call() throws Exception
    {
        if (intervalMs < 0 || (intervalMs == 0 && !once && !json))
        {
            throw new ParameterException(spec.commandLine(), "--interval must be at least 1 ms (0 only with --once " +
                "or --json): " + intervalMs);
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (once || json)
        {
            CountersSample previous = null;
            if (intervalMs > 0)
            {
                previous = CountersSample.take(where.shmDirs());
                if (!pause(intervalMs))
                {
                    return ExitCodes.OK;
                }
            }
            final CountersSample now = CountersSample.take(where.shmDirs());
            if (json)
            {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(StatView.json(now, previous, filter)));
            }
            else
            {
                out.print(StatView.table(now, previous, filter));
            }
            out.flush();
            return ExitCodes.OK;
        }
        CountersSample previous = null;
        while (!StopSignals.current().isStopRequested())
        {
            final CountersSample now = CountersSample.take(where.shmDirs());
            out.print(CLEAR_SCREEN);
            out.print(StatView.table(now, previous, filter));
            out.println("(every " + intervalMs + " ms; Ctrl-C to stop)");
            out.flush();
            previous = now;
            if (!pause(intervalMs))
            {
                break;
            }
        }
        return ExitCodes.OK;
    }

    /**
     * @return false when a stop was asked for meanwhile (SIGINT, SIGTERM).
     */
    private static boolean pause(final long ms) throws InterruptedException
    {
        try
        {
            StopSignals.current().requested().get(ms, TimeUnit.MILLISECONDS);
            return false;
        }
        catch (final TimeoutException ex)
        {
            return true;
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            return false;
        }
    }
}
