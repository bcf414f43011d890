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
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task commands AGENT_PLAN.md prints run as printed: through a real shell, then through {@link Main}. */
class PlanCommandLineTest
{
    @TempDir
    private Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printedInvokeCommandRunsTheAgentOnTheTasksFilledTexts() throws Exception
    {
        final Path repo = Files.createDirectories(dir.resolve("it's a repo"));
        Files.createDirectories(repo.resolve("src/main/java/ex"));
        Files.writeString(repo.resolve("src/main/java/ex/Login.java"), "package ex;\npublic class Login {}\n");
        final Path agents = dir.resolve("agents.yaml");
        Files.writeString(agents, """
            agents:
              - name: Tester
                capabilities: [testing]
                command: |
                  cat "$SWITCHBOARD_PROMPT_FILE" > prompt-copy.md
                  echo '{"summary": "ok"}' > "$SWITCHBOARD_RESULT_FILE"
            """);
        final Path planDir = dir.resolve("plan");
        assertEquals(ExitCodes.OK, run("plan", repo.toString(), "--agents-file", agents.toString(), "--out",
            planDir.toString()), err.toString(StandardCharsets.UTF_8));
        final String plan = Files.readString(planDir.resolve("AGENT_PLAN.md"));
        final int at = plan.indexOf("**Tester**: Write unit tests (`unit-tests`)\n```bash\n");
        assertTrue(at >= 0, plan);
        final int start = plan.indexOf("```bash\n", at) + "```bash\n".length();
        final String line = plan.substring(start, plan.indexOf("\n```\n", start));

        final List<String> args = shellWords(line);
        assertEquals(List.of("./switchboard", "invoke", "Tester", "--task"), args.subList(0, 4));
        out.reset();
        final int status = run(args.subList(1, args.size()).toArray(String[]::new));

        assertEquals(ExitCodes.OK, status, err.toString(StandardCharsets.UTF_8) + out);
        final String prompt = Files.readString(repo.resolve("prompt-copy.md"));
        assertTrue(prompt.contains("Write unit tests for the core logic of the whole repository."), prompt);
        assertTrue(prompt.contains("There are no test files for the 1 source files."), prompt);
        assertTrue(prompt.contains("- line coverage of the code changed for the whole repository is at least 80 %"),
            prompt);
    }

    /** The words a real shell makes of a command line, the command name included; nothing is run. */
    private static List<String> shellWords(final String line) throws IOException, InterruptedException
    {
        final Process shell = new ProcessBuilder("sh", "-c", "set -- " + line + "\nprintf '%s\\0' \"$@\"")
            .redirectErrorStream(true).start();
        final String words = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, shell.waitFor(), words);
        final List<String> result = new ArrayList<>(List.of(words.split("\0", -1)));
        result.removeLast();
        return result;
    }
}
