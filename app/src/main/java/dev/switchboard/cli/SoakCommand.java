/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.switchboard.soak.SoakMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard soak}: the soak test with real processes and kills ({@link SoakMain}), its options parsed here
 * into {@link SoakMain.Options} and held to the same limits. Exit 0 when every guarantee held, 1 when one broke (the
 * report says which) or the soak could not run, 2 on bad options.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
        "Run the soak test: a router, senders and workers killed and restarted at random; exit 1 if a guarantee " +
            "broke.",
        "A router, sender and worker processes on every tier, random kill -9s and restarts of senders, workers and " +
            "the router, clients reconnecting by themselves; then per stream sent, delivered, in flight at a kill, " +
            "lost, duplicated and reordered, and the reconnections."})
final class SoakCommand implements Callable<Integer>
{
    private final SoakMain.Options options = new SoakMain.Options();

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SwitchboardCommand switchboard;

    @Option(names = "--minutes", paramLabel = "N", description = "how long to send, in minutes (default 10); " +
        "--seconds N for short runs; the last of the two given wins")
    void minutes(final double minutes)
    {
        options.durationMs((long)(minutes * TimeUnit.MINUTES.toMillis(1)));
    }

    @Option(names = "--seconds", paramLabel = "N", description = "how long to send, in seconds")
    void seconds(final double seconds)
    {
        options.durationMs((long)(seconds * TimeUnit.SECONDS.toMillis(1)));
    }

    @Option(names = "--seed", paramLabel = "S",
        description = "seeds the kill schedules (default 1): the same seed kills in the same order")
    void seed(final long seed)
    {
        options.seed(seed);
    }

    @Option(names = "--rate", paramLabel = "R", description = "messages per second per stream (default 500)")
    void rate(final long rate)
    {
        options.rate(rate);
    }

    @Option(names = "--workers", paramLabel = "N", description = "work-queue consumer processes (default 2)")
    void workers(final int workers)
    {
        options.workers(workers);
    }

    @Option(names = "--kill-ms", paramLabel = "A:B",
        description = "a random sender or worker is killed with SIGKILL every A..B ms (default 2000:5000)")
    void killMs(final String value)
    {
        final long[] range = range("--kill-ms", value);
        options.killMs(range[0], range[1]);
    }

    @Option(names = "--router-kills", paramLabel = "on|off", completionCandidates = OnOff.class,
        description = "on (default): the router (a child JVM) is killed with SIGKILL too; off: never")
    void routerKills(final String value)
    {
        if (!value.equals("on") && !value.equals("off"))
        {
            throw new ParameterException(spec.commandLine(), "--router-kills must be on or off: " + value);
        }
        options.routerKills(value.equals("on"));
    }

    @Option(names = "--router-kill-ms", paramLabel = "A:B",
        description = "the router is killed A..B ms after every client is back from the last kill " +
            "(default 15000:30000)")
    void routerKillMs(final String value)
    {
        final long[] range = range("--router-kill-ms", value);
        options.routerKillMs(range[0], range[1]);
    }

    @Option(names = "--router-down-ms", paramLabel = "A:B",
        description = "and restarted A..B ms after it died (default 100:1000)")
    void routerDownMs(final String value)
    {
        final long[] range = range("--router-down-ms", value);
        options.routerDownMs(range[0], range[1]);
    }

    @Option(names = "--json", paramLabel = "FILE",
        description = "where to write the result (default <runtime dir>/soak-result.json)")
    void json(final Path file)
    {
        options.json(file);
    }

    @Override
    public Integer call() throws Exception
    {
        try
        {
            options.check();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        final SoakMain.Result result = SoakMain.soak(options, switchboard.out());
        return result.violations().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** @return the soak's settings as parsed so far, not yet checked. */
    SoakMain.Options options()
    {
        return options;
    }

    /** {@code A:B} milliseconds, or {@code A} for {@code A:A}, as {@code {min, max}}. */
    private long[] range(final String option, final String value)
    {
        final String[] parts = value.split(":");
        try
        {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[parts.length - 1])};
        }
        catch (final NumberFormatException | ArrayIndexOutOfBoundsException ex)
        {
            throw new ParameterException(spec.commandLine(), option + " needs A:B (or A) in milliseconds, e.g. " +
                "2000:5000: " + value, ex);
        }
    }

    /** What {@code --router-kills} takes, for completion. */
    static final class OnOff implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return List.of("on", "off").iterator();
        }
    }
}
