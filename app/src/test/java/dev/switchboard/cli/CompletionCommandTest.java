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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchboard completion}: a bash completion script generated from the command tree, naming every command and
 * the options of each, that bash loads and completes with.
 */
class CompletionCommandTest
{
    @TempDir
    Path dir;

    private String script;

    @BeforeEach
    void generate()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCodes.OK, Main.run(new String[] {"completion"}, new PrintStream(out, true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString());
        script = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theScriptCompletesTheSwitchboardCommand()
    {
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script);
        assertTrue(script.contains("complete -F _complete_switchboard -o default switchboard"), script);
    }

    @Test
    void theScriptNamesEveryCommand()
    {
        for (final String command : SwitchboardCommand.COMMANDS.keySet())
        {
            assertTrue(script.contains("_picocli_switchboard_" + command + "()"), "a function for " + command);
        }
    }

    @Test
    void theScriptNamesTheOptionsOfTheCommands()
    {
        for (final String option : List.of("--runtime-dir", "--workflow", "--parallel-tracks", "--execute-phase",
            "--router-dir", "--metrics-file", "--enforcement", "--router-kills", "--kill-ms", "--engine", "--target",
            "--help", "--version"))
        {
            assertTrue(script.contains(option), option);
        }
    }

    @Test
    void bashLoadsTheScriptAndCompletesCommandsOptionsAndValues() throws IOException, InterruptedException
    {
        final Path file = Files.writeString(dir.resolve("switchboard-completion.bash"), script);
        assertEquals(Set.of("coordinate", "completion"), complete(file, "./switchboard", "co"));
        assertEquals(Set.of("--router-kills", "--router-kill-ms"), complete(file, "./switchboard", "soak",
            "--router-k"));
        assertEquals(Set.of("on", "off"), complete(file, "switchboard", "soak", "--router-kills", ""));
        assertEquals(Set.of("sockets", "inbox", "codecs", "all"),
            complete(file, "switchboard", "fuzz", "--target", ""));
    }

    /** What bash offers for the last word of {@code words} with the script loaded, as the shell would ask. */
    private Set<String> complete(final Path file, final String... words) throws IOException, InterruptedException
    {
        final String line = String.join(" ", words);
        final StringBuilder array = new StringBuilder();
        for (final String word : words)
        {
            array.append(" '").append(word).append('\'');
        }
        final String program = "source '" + file + "' 2>/dev/null\n" +
            "COMP_WORDS=(" + array + ")\n" +
            "COMP_CWORD=" + (words.length - 1) + "\n" +
            "COMP_LINE='" + line + "'\n" +
            "COMP_POINT=${#COMP_LINE}\n" +
            "_complete_switchboard 2>/dev/null\n" +
            "echo \"${COMPREPLY[*]}\"\n";
        final Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
            .redirectErrorStream(true).start();
        final String reply = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), reply);
        return Set.of(reply.split(" "));
    }
}
