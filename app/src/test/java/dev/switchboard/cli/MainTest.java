/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void benchPointsAtTheScriptAndUnknownCommandsExitWithTwo()
    {
        assertEquals(ExitCodes.USAGE, run("bench", "--anything"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("./switchboard bench"));
        err.reset();
        assertEquals(ExitCodes.USAGE, run("top"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'top'"));
    }

    @Test
    void anUnknownCommandCloseToAKnownOneIsSuggested()
    {
        assertEquals(ExitCodes.USAGE, run("coordinat"));
        assertTrue(err().contains("Did you mean: switchboard coordinate"), err());
        assertTrue(err().contains("Try 'switchboard --help' for the commands."), err());
    }

    @Test
    void anUnknownOptionIsReportedEvenWhenARequiredOneIsMissingToo()
    {
        assertEquals(ExitCodes.USAGE, run("coordinate", "--anything"));
        assertTrue(err().contains("switchboard coordinate: Unknown option: '--anything'"), err());
        assertTrue(err().contains("Try 'switchboard coordinate --help' for its options."), err());
    }

    @Test
    void receiveIsRoutedToItsCommand()
    {
        assertEquals(ExitCodes.OK, run("receive", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--execute-phase"));
        assertEquals(ExitCodes.USAGE, run("receive", "--plan", "x.json"));
    }

    @Test
    void coordinateIsRoutedToItsCommand()
    {
        assertEquals(ExitCodes.OK, run("coordinate", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--parallel-tracks"));
        assertEquals(ExitCodes.USAGE, run("coordinate", "--anything"));
    }

    @Test
    void unknownCommandIsAUsageErrorNamingIt()
    {
        assertEquals(ExitCodes.USAGE, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    }

    @Test
    void noCommandIsAUsageError()
    {
        assertEquals(ExitCodes.USAGE, run());
        assertTrue(err().contains("switchboard: no command given"), err());
    }

    @Test
    void demoRefusesArguments()
    {
        assertEquals(ExitCodes.USAGE, run("demo", "--fast"));
        assertTrue(err().contains("Unknown option: '--fast'"), err());
        err.reset();
        assertEquals(ExitCodes.USAGE, run("demo", "fast"));
        assertTrue(err().contains("Unmatched argument at index 1: 'fast'"), err());
    }

    @Test
    void helpExitsWithZero()
    {
        assertEquals(ExitCodes.OK, run("--help"));
        assertEquals(ExitCodes.OK, run("demo", "--help"));
    }

    @Test
    void topLevelHelpListsEveryCommandAndTheExitCodes()
    {
        assertEquals(ExitCodes.OK, run("-h"));
        final String help = out.toString(StandardCharsets.UTF_8);
        for (final String command : SwitchboardCommand.COMMANDS.keySet())
        {
            assertTrue(help.contains("\n  " + command + " "), command + " in " + help);
        }
        assertTrue(help.contains("Exit codes:") && help.contains("  70   router"), help);
    }

    @Test
    void helpOfACommandIsItsUsage()
    {
        assertEquals(ExitCodes.OK, run("help", "plan"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: switchboard plan "), out.toString());
    }

    @Test
    void routerAndAgentHelpPrintUsageAndStartNothing()
    {
        // a router started here would block until a signal: these return at once, with their usage
        assertEquals(ExitCodes.OK, run("router", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: switchboard router"), out.toString());
        assertEquals(ExitCodes.OK, run("agent", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--name=NAME"), out.toString());
        assertEquals(ExitCodes.USAGE, run("agent"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required option: '--name=NAME'"),
            err.toString());
    }

    @Test
    void versionPrintsTheProjectVersion()
    {
        for (final String[] args : new String[][] {{"--version"}, {"version"}, {"router", "--version"},
            {"agent", "-V"}})
        {
            out.reset();
            assertEquals(ExitCodes.OK, run(args), String.join(" ", args));
            assertTrue(out.toString(StandardCharsets.UTF_8).matches("switchboard \\d+\\.\\d+\\.\\d+\\S* \\(Java .*\\)\\R"),
                String.join(" ", args) + ": " + out);
        }
    }
}
