/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import dev.switchboard.fuzz.FuzzCampaign;
import dev.switchboard.fuzz.FuzzSettings;
import dev.switchboard.fuzz.FuzzSettings.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchboard fuzz}'s options, parsed by picocli into the campaign's settings as the fuzz package's own parser
 * did (numbers with {@code ,} or {@code _}, target lists, repeatable router JVM options), and a short campaign run
 * through {@link Main}.
 */
class FuzzCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void everyOptionReachesTheSettings()
    {
        final FuzzSettings settings = settings("--inputs", "5,000", "--seed", "-9", "--target", "codecs,inbox",
            "--engine", "nio", "--out", dir.toString(), "--connections", "8", "--batch", "64", "--close-every", "1_000",
            "--corrupt-every", "20", "--deadline-ms", "500", "--router-jvm", "-Xmx64m", "--router-jvm",
            "-Dswitchboard.x=1");

        assertEquals(5000, settings.inputs(Target.SOCKETS));
        assertEquals(-9, settings.seed());
        assertEquals(EnumSet.of(Target.CODECS, Target.INBOX), settings.targets());
        assertEquals(List.of("nio"), settings.engines());
        assertEquals(dir, settings.outDir());
        assertEquals(8, settings.connections());
        assertEquals(64, settings.batchFrames());
        assertEquals(1000, settings.closeEvery());
        assertEquals(20, settings.corruptEvery());
        assertEquals(500, settings.deadlineMs());
        assertEquals(List.of("-Xmx64m", "-Dswitchboard.x=1"), settings.routerJvmOptions());
    }

    @Test
    void theDefaultsAreTheCampaignsOwn()
    {
        final FuzzSettings settings = settings();
        final FuzzSettings defaults = FuzzSettings.builder().build();
        for (final Target target : Target.values())
        {
            assertEquals(defaults.inputs(target), settings.inputs(target), target.name());
        }
        assertEquals(EnumSet.allOf(Target.class), settings.targets());
        assertEquals(FuzzSettings.ENGINES, settings.engines());
        assertTrue(settings.outDir().startsWith(Path.of("target", "fuzz")), settings.outDir().toString());
        assertEquals(FuzzSettings.LONG_INPUTS, settings("--long").inputs(Target.CODECS));
        assertEquals(FuzzSettings.ENGINES, settings("--target", "all", "--engine", "both").engines());
    }

    @Test
    void aBadValueIsAUsageErrorNamingIt()
    {
        assertUsageError("--target must be sockets, inbox, codecs or all, got 'bogus'", "--target", "bogus");
        assertUsageError("inputs must be at least 1, got 0", "--inputs", "0");
        assertUsageError("--long means --inputs 10000000; give one or the other", "--long", "--inputs", "5");
        assertUsageError("--engine must be uring, nio or both, got 'epoll'", "--engine", "epoll");
        assertUsageError("--connections needs a whole number, got 'many'", "--connections", "many");
        assertUsageError("Missing required parameter for option '--seed' (S)", "--seed");
    }

    @Test
    void aShortCampaignOnTheCodecsWritesItsReportAndExitsZero() throws IOException
    {
        assertEquals(ExitCodes.OK, run("fuzz", "--target", "codecs", "--inputs", "5,000", "--seed", "9", "--out",
            dir.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(dir.resolve(FuzzCampaign.REPORT_FILE)).contains("\"inputs\": 5000"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("codecs"), out.toString(StandardCharsets.UTF_8));
    }

    private static FuzzSettings settings(final String... args)
    {
        return CommandLine.populateCommand(new FuzzCommand(), args).settings();
    }

    private void assertUsageError(final String message, final String... args)
    {
        out.reset();
        err.reset();
        final String[] command = new String[args.length + 1];
        command[0] = "fuzz";
        System.arraycopy(args, 0, command, 1, args.length);
        assertEquals(ExitCodes.USAGE, run(command), String.join(" ", args));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("switchboard fuzz: " + message), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");
    }

    private int run(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
