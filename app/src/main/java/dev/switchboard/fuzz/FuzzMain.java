/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./switchboard fuzz}: runs a fuzz campaign ({@link FuzzCampaign}) and prints a summary table; the JSON report,
 * the reproducers and the routers' logs go under the out dir. Exit status 0 when nothing was found, 1 when something
 * was (a crash, a hang, a loss, a broken rule) or the campaign could not run, 2 for bad arguments.
 * <p>
 * {@code ./switchboard fuzz} parses its options with picocli ({@code dev.switchboard.cli.FuzzCommand}, in the
 * orchestrator module, with the command line's help, version and exit codes) into {@link FuzzSettings}, with the value
 * parsers here ({@link #number}, {@link #targets}, {@link #engines}, {@link #defaultOutDir}), and calls
 * {@link #campaign}; {@link #main} is the same campaign with a parser of its own, for a JVM started on this class.
 * <p>
 * Thread-safety: a main.
 */
public final class FuzzMain
{
    static final String USAGE = """
        Usage: ./switchboard fuzz [--inputs N | --long] [--seed S] [--target sockets|inbox|codecs|all]
                                  [--engine uring|nio|both] [--out DIR] [more options]
          --inputs N        inputs per target (per engine for sockets); default a bounded run of a minute or two:
                            codecs 5,000,000, inbox 2,000,000, sockets 3,000,000 per engine
          --long            10,000,000 inputs per target (per engine for sockets)
          --seed S          seed of every input (default: drawn from the clock, printed); a finding names its seed
                            and input indices, and its bytes are saved under DIR/findings/
          --target T        sockets, inbox, codecs or all (default all); a comma-separated list works too
          --engine E        router engine for the socket target: uring, nio or both (default both)
          --out DIR         where fuzz-report.json, findings/ and logs/ go (default target/fuzz/run-<time>)
          --connections N   hostile connections at once against the router (default 4)
          --batch N         inputs per batch, the longest a connection lives (default 1024)
          --close-every N   one socket input in about N breaks the framing and ends its connection (default 1000)
          --corrupt-every N one inbox input in N is an impossible record (default 2000)
          --deadline-ms N   silence longer than this is a hang (default 10000)
          --router-jvm OPT  an extra JVM option for the router's child JVM (repeatable)
        Exit status: 0 nothing found, 1 something found (or the campaign could not run), 2 bad arguments.
        """;

    private FuzzMain()
    {
    }

    /**
     * @param args see {@link #USAGE}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parse the arguments, run the campaign, print its table.
     *
     * @param args arguments.
     * @param out  where progress and the table go.
     * @param err  where argument errors go.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final FuzzSettings settings;
        try
        {
            settings = parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("fuzz: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (settings == null)
        {
            out.print(USAGE);
            return 0;
        }
        try
        {
            return campaign(settings, out).findingCount() == 0 ? 0 : 1;
        }
        catch (final IOException | RuntimeException e)
        {
            err.println("fuzz: the campaign could not run: " + e);
            return 1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            err.println("fuzz: interrupted");
            return 1;
        }
    }

    /**
     * Run the campaign, then print its table and every finding.
     *
     * @param settings the campaign.
     * @param out      where progress, the table and the findings go.
     * @return what it found.
     * @throws IOException          when the out dir or a report cannot be written, or a router cannot start.
     * @throws InterruptedException when interrupted.
     */
    public static FuzzCampaign.Result campaign(final FuzzSettings settings, final PrintStream out)
        throws IOException, InterruptedException
    {
        final FuzzCampaign.Result result = new FuzzCampaign(settings, out).run();
        out.println();
        out.print(result.table());
        for (final Finding finding : result.findings())
        {
            out.println("  " + finding);
        }
        return result;
    }

    /**
     * @param args command-line arguments.
     * @return the settings, or null when help was asked for.
     * @throws IllegalArgumentException naming the bad argument.
     */
    static FuzzSettings parse(final String[] args)
    {
        final FuzzSettings.Builder builder = FuzzSettings.builder();
        boolean inputsGiven = false;
        boolean longGiven = false;
        boolean outGiven = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "-h", "--help" ->
                {
                    return null;
                }
                case "--long" ->
                {
                    longGiven = true;
                    builder.inputs(FuzzSettings.LONG_INPUTS);
                }
                case "--inputs" ->
                {
                    inputsGiven = true;
                    builder.inputs(number(arg, value(args, ++i, arg)));
                }
                case "--seed" -> builder.seed(number(arg, value(args, ++i, arg)));
                case "--target" -> builder.targets(targets(value(args, ++i, arg)));
                case "--engine" -> builder.engines(engines(value(args, ++i, arg)));
                case "--out" ->
                {
                    outGiven = true;
                    builder.outDir(Path.of(value(args, ++i, arg)));
                }
                case "--connections" -> builder.connections(intNumber(arg, value(args, ++i, arg)));
                case "--batch" -> builder.batchFrames(intNumber(arg, value(args, ++i, arg)));
                case "--close-every" -> builder.closeEvery(intNumber(arg, value(args, ++i, arg)));
                case "--corrupt-every" -> builder.corruptEvery(intNumber(arg, value(args, ++i, arg)));
                case "--deadline-ms" -> builder.deadlineMs(number(arg, value(args, ++i, arg)));
                case "--router-jvm" -> builder.routerJvmOption(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (inputsGiven && longGiven)
        {
            throw new IllegalArgumentException("--long means --inputs " + FuzzSettings.LONG_INPUTS +
                "; give one or the other");
        }
        if (!outGiven)
        {
            builder.outDir(defaultOutDir());
        }
        return builder.build();
    }

    /**
     * @return where a campaign writes when not told: {@code target/fuzz/run-<yyyyMMdd-HHmmss>}, under the working
     * directory.
     */
    public static Path defaultOutDir()
    {
        return Path.of("target", "fuzz", "run-" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /**
     * @param option the option the number was given to, for the message.
     * @param text   a whole number; {@code _} and {@code ,} may group its digits ({@code 5,000,000}).
     * @return the number.
     * @throws IllegalArgumentException naming the option and the text.
     */
    public static long number(final String option, final String text)
    {
        try
        {
            return Long.parseLong(text.replace("_", "").replace(",", ""));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + text + "'");
        }
    }

    /**
     * @param option the option the number was given to, for the message.
     * @param text   as for {@link #number}, within the range of an {@code int}.
     * @return the number.
     * @throws IllegalArgumentException naming the option and the text.
     */
    public static int intNumber(final String option, final String text)
    {
        final long value = number(option, text);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(option + " is out of range: " + text);
        }
        return (int)value;
    }

    /**
     * @param text {@code sockets}, {@code inbox}, {@code codecs} or {@code all}, or a comma-separated list of them.
     * @return the targets.
     * @throws IllegalArgumentException naming the unknown target.
     */
    public static Set<FuzzSettings.Target> targets(final String text)
    {
        final Set<FuzzSettings.Target> targets = EnumSet.noneOf(FuzzSettings.Target.class);
        for (final String name : text.split(","))
        {
            if ("all".equals(name))
            {
                targets.addAll(EnumSet.allOf(FuzzSettings.Target.class));
                continue;
            }
            try
            {
                targets.add(FuzzSettings.Target.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("--target must be sockets, inbox, codecs or all, got '" + name +
                    "'");
            }
        }
        return targets;
    }

    /**
     * @param text {@code uring}, {@code nio} or {@code both}.
     * @return the router engines.
     * @throws IllegalArgumentException naming the unknown engine.
     */
    public static List<String> engines(final String text)
    {
        return switch (text)
        {
            case "both" -> FuzzSettings.ENGINES;
            case "uring", "nio" -> List.of(text);
            default -> throw new IllegalArgumentException("--engine must be uring, nio or both, got '" + text + "'");
        };
    }
}
