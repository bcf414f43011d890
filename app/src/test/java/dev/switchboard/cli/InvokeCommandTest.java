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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code switchboard invoke} with real agent processes: sh commands standing in for coding-agent CLIs. */
class InvokeCommandTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    private Path dir;

    private Path repo;
    private Path runDir;
    private Path agentsFile;

    @BeforeEach
    void writeAgentsFileAndRepository() throws IOException
    {
        repo = Files.createDirectories(dir.resolve("repo"));
        runDir = dir.resolve("run");
        agentsFile = dir.resolve("agents.yaml");
        Files.writeString(agentsFile, """
            agents:
              - name: Docgen
                capabilities: [documentation]
                command: |
                  echo "working in $(pwd)"
                  printf '{"summary": "documented %s", "changedFiles": ["src/A.java"], "artifacts": ["docs/a.md"]}' \
                    "$(grep -c . ${prompt.file}) lines" > ${result.file}
              - name: Patcher
                capabilities: [implementation]
                command: [sh, -c, "echo 'cannot reach the model' >&2; exit 7"]
            """);
    }

    private int run(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheAgentOnThePromptAndPrintsItsResult() throws IOException
    {
        final int status = run("invoke", "Docgen", "--task", "Document ${scope} in ${repo}", "--context",
            "Login is new.", "--acceptance", "every public method has Javadoc", "--scope", "authentication system",
            "--agents-file", agentsFile.toString(), "--repo", repo.toString(), "--run-dir", runDir.toString());

        assertEquals(ExitCodes.OK, status, err());
        assertTrue(out().contains("status: succeeded\n"), out());
        assertTrue(out().contains("summary: documented "), out());
        assertTrue(out().contains("changed files: src/A.java\nartifacts: docs/a.md\n"), out());
        final String prompt = Files.readString(runDir.resolve("prompt.md"));
        assertTrue(prompt.contains("Document authentication system in " + repo.toAbsolutePath()), prompt);
        assertTrue(prompt.contains("## Context\n\nLogin is new."), prompt);
        assertTrue(prompt.contains("- every public method has Javadoc"), prompt);
        assertTrue(Files.readString(runDir.resolve("agent.out")).contains("working in " + repo.toRealPath()));
    }

    @Test
    void analysisFactInTheContextIsFilledInFromTheRepository() throws IOException
    {
        Files.createDirectories(repo.resolve("src/main/java/ex"));
        Files.writeString(repo.resolve("src/main/java/ex/Login.java"),
            "package ex;\n\npublic class Login\n{\n    public void check()\n    {\n    }\n}\n");

        final int status = run("invoke", "Docgen", "--task", "Document the login", "--context",
            "${context.undocumented}", "--agents-file", agentsFile.toString(), "--repo", repo.toString(),
            "--run-dir", runDir.toString());

        assertEquals(ExitCodes.OK, status, err());
        final String prompt = Files.readString(runDir.resolve("prompt.md"));
        assertTrue(prompt.contains("ex.Login#check() (src/main/java/ex/Login.java:5)"), prompt);
    }

    @Test
    void failingAgentExitsWithOneQuotingItsErrorOutput()
    {
        final int status = run("invoke", "Patcher", "--task", "Fix it", "--agents-file", agentsFile.toString(),
            "--repo", repo.toString(), "--run-dir", runDir.toString());

        assertEquals(ExitCodes.FAILED, status);
        assertTrue(out().contains("status: failed (AGENT_FAILED)"), out());
        assertTrue(out().contains("exited with 7") && out().contains("cannot reach the model"), out());
    }

    @Test
    void unknownAgentIsAUsageErrorNamingTheAgents()
    {
        final int status = run("invoke", "Scribe", "--task", "x", "--agents-file", agentsFile.toString(),
            "--repo", repo.toString());

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err().contains("no agent 'Scribe'") && err().contains("Docgen, Patcher"), err());
    }

    @Test
    void unknownPlaceholderIsAUsageError()
    {
        final int status = run("invoke", "Docgen", "--task", "Document ${scop}", "--agents-file",
            agentsFile.toString(), "--repo", repo.toString());

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err().contains("unknown placeholder '${scop}'"), err());
    }

    @Test
    void brokenAgentsFileIsReportedAtItsLine() throws IOException
    {
        Files.writeString(agentsFile, "agents:\n  - name: Docgen\n    capabilities: [docs]\n    command: [x]\n");

        final int status = run("invoke", "Docgen", "--task", "x", "--agents-file", agentsFile.toString(),
            "--repo", repo.toString());

        assertEquals(ExitCodes.FAILED, status);
        assertTrue(err().contains(agentsFile + ":3: unknown capability 'docs'"), err());
    }

    @Test
    void missingAgentsFileIsAUsageError()
    {
        final int status = run("invoke", "Docgen", "--task", "x", "--agents-file", dir.resolve("none.yaml").toString(),
            "--repo", repo.toString());

        assertEquals(ExitCodes.USAGE, status);
        assertTrue(err().contains("no agents file"), err());
    }
}
