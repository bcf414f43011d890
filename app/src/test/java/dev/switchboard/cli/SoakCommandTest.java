/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.switchboard.soak.SoakMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchboard soak}'s options, parsed by picocli, give the soak the settings its own parser
 * ({@link SoakMain.Options#parse}) gives for the same arguments, and the same limits make usage errors. The soak itself
 * is {@code SoakTest}'s.
 */
class SoakCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void everyOptionGivesTheSettingsOfTheSoaksOwnParser()
    {
        for (final List<String> args : List.of(
            List.<String>of(),
            List.of("--minutes", "2.5", "--seed", "42"),
            List.of("--seconds", "20", "--seed", "-7", "--rate", "300", "--workers", "1", "--kill-ms", "2000:4000",
                "--router-kill-ms", "5000:7000", "--router-down-ms", "200:500", "--json", "soak.json"),
            List.of("--router-kills", "off", "--kill-ms", "300"),
            List.of("--minutes", "1", "--seconds", "30"),
            List.of("--seconds", "30", "--minutes", "1")))
        {
            final String[] array = args.toArray(String[]::new);
            assertEquals(SoakMain.Options.parse(array).toString(), parsed(array).check().toString(), args.toString());
        }
    }

    @Test
    void aValueBeyondItsLimitIsAUsageErrorNamingIt()
    {
        assertUsageError("--workers must be between 1 and 16: 0", "--workers", "0");
        assertUsageError("duration must be between 1 s and 24 h: 500 ms", "--seconds", "0.5");
        assertUsageError("--kill-ms needs 100 <= MIN <= MAX: 500:400", "--kill-ms", "500:400");
        assertUsageError("--router-kills must be on or off: maybe", "--router-kills", "maybe");
        assertUsageError("--router-down-ms needs A:B (or A) in milliseconds", "--router-down-ms", "soon");
        assertUsageError("Invalid value for option '--minutes': 'x' is not a double", "--minutes", "x");
        assertUsageError("Missing required parameter for option '--seed' (S)", "--seed");
    }

    private static SoakMain.Options parsed(final String... args)
    {
        return CommandLine.populateCommand(new SoakCommand(), args).options();
    }

    private void assertUsageError(final String message, final String... args)
    {
        out.reset();
        err.reset();
        final String[] command = new String[args.length + 1];
        command[0] = "soak";
        System.arraycopy(args, 0, command, 1, args.length);
        assertEquals(ExitCodes.USAGE, Main.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)), String.join(" ", args));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("switchboard soak: " + message), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");
    }
}
