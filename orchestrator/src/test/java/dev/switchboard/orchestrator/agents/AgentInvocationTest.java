/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs real processes: sh scripts standing in for coding-agent CLIs. */
class AgentInvocationTest
{
    private static final TaskPrompt PROMPT = new TaskPrompt("build", "# Task build: it's \"quoted\" $(not run)\n");

    /** A script that starts a grandchild ignoring SIGTERM, records its pid, then waits: a naive kill leaves it. */
    private static final String SPAWNS_STUBBORN_CHILD = """
        ( trap '' TERM; while true; do sleep 1; done ) &
        echo $! > "$SWITCHBOARD_RUN_DIR/child.pid"
        while true; do sleep 1; done
        """;

    @TempDir
    private Path repo;

    @TempDir
    private Path runs;

    private static AgentSpec agent(final CommandTemplate command, final PromptDelivery delivery,
        final Duration timeout)
    {
        return new AgentSpec("Testbed", Set.of("testing"), command, delivery, 1, timeout, "test:1");
    }

    private static AgentSpec shell(final String line)
    {
        return agent(CommandTemplate.shell(line), PromptDelivery.FILE, Duration.ofSeconds(30));
    }

    @Test
    void writesThePromptFileAndTurnsTheResultFileIntoTheOutput() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.argv(List.of("sh", "-c", """
            printf '{"summary": "read %s", "changedFiles": ["src/A.java"], "artifacts": ["report.md"]}' \
              "$(head -c 13 "$1")" > "$2"
            """, "agent", "${prompt.file}", "${result.file}")), PromptDelivery.FILE, Duration.ofSeconds(30));

        final AgentInvocation.Outcome outcome = new AgentInvocation(agent).run(PROMPT, repo, runs.resolve("build"));

        assertTrue(outcome.succeeded(), outcome.message());
        assertEquals(new TaskOutput("build", "read # Task build:", List.of("src/A.java"), List.of("report.md")),
            outcome.output());
        final String written = Files.readString(runs.resolve("build").resolve(AgentInvocation.PROMPT_FILE));
        assertTrue(written.startsWith(PROMPT.text()), written);
        assertTrue(written.contains("## When you are done") && written.contains(runs.resolve("build/result.json")
            .toString()), written);
    }

    @Test
    void runsInTheWorkDirectory() throws Exception
    {
        final AgentInvocation.Outcome outcome = new AgentInvocation(shell("pwd")).run(PROMPT, repo, runs);

        assertTrue(outcome.succeeded(), outcome.message());
        assertEquals(repo.toRealPath().toString(), outcome.output().summary());
    }

    @Test
    void promptOnStandardInputArrivesIntact() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.shell("cat > ${run.dir}/stdin.txt"), PromptDelivery.STDIN,
            Duration.ofSeconds(30));

        new AgentInvocation(agent).run(PROMPT, repo, runs);

        assertEquals(Files.readString(runs.resolve(AgentInvocation.PROMPT_FILE)),
            Files.readString(runs.resolve("stdin.txt")));
    }

    @Test
    void promptAsAnArgumentArrivesIntactThroughTheShell() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.shell("printf '%s' ${prompt} > ${run.dir}/arg.txt"),
            PromptDelivery.ARGUMENT, Duration.ofSeconds(30));

        new AgentInvocation(agent).run(PROMPT, repo, runs);

        assertEquals(Files.readString(runs.resolve(AgentInvocation.PROMPT_FILE)),
            Files.readString(runs.resolve("arg.txt")));
    }

    @Test
    void nonZeroExitFailsQuotingTheErrorOutput() throws Exception
    {
        final AgentInvocation.Outcome outcome = new AgentInvocation(shell("echo 'model quota exceeded' >&2; exit 3"))
            .run(PROMPT, repo, runs);

        assertEquals(AgentInvocation.AGENT_FAILED, outcome.errorKind());
        assertEquals(3, outcome.exitCode());
        assertTrue(outcome.message().contains("exited with 3") && outcome.message().contains("model quota exceeded"),
            outcome.message());
    }

    @Test
    void resultFileThatSaysFailedFailsWithItsError() throws Exception
    {
        final AgentInvocation.Outcome outcome = new AgentInvocation(shell(
            "echo '{\"status\": \"failed\", \"error\": \"tests do not compile\"}' > \"$SWITCHBOARD_RESULT_FILE\""))
            .run(PROMPT, repo, runs);

        assertEquals(AgentInvocation.AGENT_FAILED, outcome.errorKind());
        assertTrue(outcome.message().contains("says it failed on task build: tests do not compile"),
            outcome.message());
    }

    @Test
    void malformedResultFileIsAnInvalidResult() throws Exception
    {
        final AgentInvocation.Outcome outcome = new AgentInvocation(shell(
            "echo '{\"changedFiles\": \"A.java\"}' > \"$SWITCHBOARD_RESULT_FILE\"")).run(PROMPT, repo, runs);

        assertEquals(AgentInvocation.INVALID_RESULT, outcome.errorKind());
        assertTrue(outcome.message().contains("changedFiles must be a list of strings"), outcome.message());
    }

    @Test
    void withoutAResultFileTheEndOfTheOutputIsTheSummary() throws Exception
    {
        final AgentInvocation.Outcome outcome = new AgentInvocation(shell("seq 1 30")).run(PROMPT, repo, runs);

        assertTrue(outcome.succeeded(), outcome.message());
        assertTrue(outcome.output().summary().startsWith("11\n") && outcome.output().summary().endsWith("\n30"),
            outcome.output().summary());
        assertTrue(outcome.message().contains("no result.json"), outcome.message());
    }

    @Test
    void commandThatCannotStartFails() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.argv(List.of("/no/such/agent-cli")), PromptDelivery.FILE,
            Duration.ofSeconds(30));

        final AgentInvocation.Outcome outcome = new AgentInvocation(agent).run(PROMPT, repo, runs);

        assertEquals(AgentInvocation.AGENT_FAILED, outcome.errorKind());
        assertTrue(outcome.message().contains("could not start /no/such/agent-cli"), outcome.message());
    }

    @Test
    @Tag("slow")
    void timeoutKillsTheWholeProcessTreeIncludingAChildThatIgnoresSigterm() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.shell(SPAWNS_STUBBORN_CHILD), PromptDelivery.FILE,
            Duration.ofMillis(500));

        final AgentInvocation.Outcome outcome = new AgentInvocation(agent).run(PROMPT, repo, runs);

        assertEquals(AgentInvocation.AGENT_TIMED_OUT, outcome.errorKind());
        assertTrue(outcome.message().contains("needed SIGKILL"), outcome.message());
        final long child = Long.parseLong(Files.readString(runs.resolve("child.pid")).strip());
        assertFalse(ProcessHandle.of(child).map(ProcessTree::isRunning).orElse(false), "child " + child + " runs");
    }

    @Test
    @Tag("slow")
    void cancellationKillsTheWholeProcessTreeAndRethrows() throws Exception
    {
        final AgentSpec agent = agent(CommandTemplate.shell(SPAWNS_STUBBORN_CHILD), PromptDelivery.FILE,
            Duration.ofMinutes(5));
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread worker = Thread.ofPlatform().start(() ->
        {
            try
            {
                new AgentInvocation(agent).run(PROMPT, repo, runs);
            }
            catch (final Exception ex)
            {
                thrown.set(ex);
            }
        });
        final Path pidFile = runs.resolve("child.pid");
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        final long child = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(child).map(ProcessTree::isRunning).orElse(false), "child started");

        worker.interrupt();
        worker.join(Duration.ofSeconds(10));

        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(ProcessHandle.of(child).map(ProcessTree::isRunning).orElse(false), "child " + child + " runs");
    }
}
