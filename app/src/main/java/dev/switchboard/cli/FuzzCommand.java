/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.fuzz.FuzzCampaign;
import dev.switchboard.fuzz.FuzzMain;
import dev.switchboard.fuzz.FuzzSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard fuzz}: a fuzz campaign ({@link FuzzCampaign}) against the codecs, the CRITICAL inboxes and a
 * router's sockets, its options parsed here into {@link FuzzSettings} with the fuzz package's own value parsers (so
 * {@code --inputs 5,000,000} works as before) and held to the builder's limits. Exit 0 when nothing was found, 1 when
 * something was (a crash, a hang, a loss, a broken rule) or the campaign could not run, 2 on bad options.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
        "Run a fuzz campaign on the codecs, the CRITICAL inboxes and a router's sockets; exit 1 if anything was found.",
        "The codecs, CRITICAL inboxes and a router's sockets (a router in a child JVM, both engines) are fed " +
            "hostile input while good traffic flows; prints inputs, crashes, hangs and losses per target, writes " +
            "fuzz-report.json and reproducers."})
final class FuzzCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SwitchboardCommand switchboard;

    @Option(names = "--inputs", paramLabel = "N",
        description = "inputs per target (per engine for sockets); default a bounded run of a minute or two: " +
            "codecs 5,000,000, inbox 2,000,000, sockets 3,000,000 per engine")
    private String inputs;

    @Option(names = "--long", description = "10,000,000 inputs per target (per engine for sockets)")
    private boolean longRun;

    @Option(names = "--seed", paramLabel = "S",
        description = "seed of every input (default: drawn from the clock, printed); a finding names its seed and " +
            "input indices, and its bytes are saved under DIR/findings/")
    private String seed;

    @Option(names = "--target", paramLabel = "T", completionCandidates = Targets.class,
        description = "sockets, inbox, codecs or all (default all); a comma-separated list works too")
    private String target;

    @Option(names = "--engine", paramLabel = "E", completionCandidates = Engines.class,
        description = "router engine for the socket target: uring, nio or both (default both)")
    private String engine;

    @Option(names = "--out", paramLabel = "DIR",
        description = "where fuzz-report.json, findings/ and logs/ go (default target/fuzz/run-<time>)")
    private Path out;

    @Option(names = "--connections", paramLabel = "N",
        description = "hostile connections at once against the router (default 4)")
    private String connections;

    @Option(names = "--batch", paramLabel = "N",
        description = "inputs per batch, the longest a connection lives (default 1024)")
    private String batch;

    @Option(names = "--close-every", paramLabel = "N",
        description = "one socket input in about N breaks the framing and ends its connection (default 1000)")
    private String closeEvery;

    @Option(names = "--corrupt-every", paramLabel = "N",
        description = "one inbox input in N is an impossible record (default 2000)")
    private String corruptEvery;

    @Option(names = "--deadline-ms", paramLabel = "N", description = "silence longer than this is a hang " +
        "(default 10000)")
    private String deadlineMs;

    @Option(names = "--router-jvm", paramLabel = "OPT",
        description = "an extra JVM option for the router's child JVM (repeatable)")
    private List<String> routerJvm = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final FuzzCampaign.Result result = FuzzMain.campaign(settings(), switchboard.out());
        return result.findingCount() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The options as the campaign's settings; a value out of the builder's limits is a usage error. */
    FuzzSettings settings()
    {
        final FuzzSettings.Builder builder = FuzzSettings.builder();
        try
        {
            if (longRun && inputs != null)
            {
                throw new IllegalArgumentException("--long means --inputs " + FuzzSettings.LONG_INPUTS +
                    "; give one or the other");
            }
            if (longRun)
            {
                builder.inputs(FuzzSettings.LONG_INPUTS);
            }
            if (inputs != null)
            {
                builder.inputs(FuzzMain.number("--inputs", inputs));
            }
            if (seed != null)
            {
                builder.seed(FuzzMain.number("--seed", seed));
            }
            if (target != null)
            {
                builder.targets(FuzzMain.targets(target));
            }
            if (engine != null)
            {
                builder.engines(FuzzMain.engines(engine));
            }
            builder.outDir(out != null ? out : FuzzMain.defaultOutDir());
            if (connections != null)
            {
                builder.connections(FuzzMain.intNumber("--connections", connections));
            }
            if (batch != null)
            {
                builder.batchFrames(FuzzMain.intNumber("--batch", batch));
            }
            if (closeEvery != null)
            {
                builder.closeEvery(FuzzMain.intNumber("--close-every", closeEvery));
            }
            if (corruptEvery != null)
            {
                builder.corruptEvery(FuzzMain.intNumber("--corrupt-every", corruptEvery));
            }
            if (deadlineMs != null)
            {
                builder.deadlineMs(FuzzMain.number("--deadline-ms", deadlineMs));
            }
            routerJvm.forEach(builder::routerJvmOption);
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
    }

    /** What {@code --target} takes, for completion. */
    static final class Targets implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return List.of("sockets", "inbox", "codecs", "all").iterator();
        }
    }

    /** What {@code --engine} takes, for completion. */
    static final class Engines implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return List.of("uring", "nio", "both").iterator();
        }
    }
}
