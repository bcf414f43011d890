/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.prompt.TaskPrompt;

/**
 * Runs one {@link AgentSpec named agent} on one task at a time per permit of its concurrency. For each task it:
 * <ol>
 *   <li>writes {@value #PROMPT_FILE} into the run directory: the {@link TaskPrompt} and, after it,
 *       {@link ResultFile#instructions how to report};</li>
 *   <li>starts the command in the work directory (the repository or its worktree) with its variables filled in
 *       ({@link CommandTemplate}), the prompt on standard input for {@link PromptDelivery#STDIN}, standard output and
 *       error to {@value #OUT_FILE} and {@value #ERR_FILE} in the run directory, and the environment variables
 *       {@code SWITCHBOARD_PROMPT_FILE}, {@code SWITCHBOARD_RESULT_FILE}, {@code SWITCHBOARD_RUN_DIR},
 *       {@code SWITCHBOARD_TASK_ID}, {@code SWITCHBOARD_AGENT} and, in a workflow, {@code SWITCHBOARD_WORKFLOW_DIR};</li>
 *   <li>waits up to the agent's timeout; on timeout, or when the calling thread is interrupted (cancellation), kills
 *       the command's whole process tree ({@link ProcessTree}, SIGTERM then SIGKILL after {@link #KILL_GRACE});</li>
 *   <li>reads the {@link ResultFile} into a {@link TaskOutput}.</li>
 * </ol>
 * Output goes to files, not pipes, so a grandchild that keeps a pipe open can never hang the wait. Thread-safe: tasks
 * beyond the concurrency wait for a permit.
 */
public final class AgentInvocation
{
    /** The prompt's file name in the run directory. */
    public static final String PROMPT_FILE = "prompt.md";
    /** The command's standard output, in the run directory. */
    public static final String OUT_FILE = "agent.out";
    /** The command's standard error, in the run directory. */
    public static final String ERR_FILE = "agent.err";
    /** How long a timed-out or cancelled agent's processes get between SIGTERM and SIGKILL. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** Error kind of a command that could not start, exited non-zero, or said it failed. */
    public static final String AGENT_FAILED = "AGENT_FAILED";
    /** Error kind of a command killed for overrunning its timeout. */
    public static final String AGENT_TIMED_OUT = "AGENT_TIMED_OUT";
    /**
     * Error kind of a command that died by a signal (exit status above 128) without being stopped by this class: the
     * agent crashed, and its task is better tried by another agent than retried on it.
     */
    public static final String AGENT_CRASHED = "AGENT_CRASHED";
    /** Error kind of a result file that is not one. */
    public static final String INVALID_RESULT = "INVALID_RESULT";

    private static final int TAIL_CHARS = 2_000;
    private static final int SUMMARY_LINES = 20;

    /**
     * How one task went.
     *
     * @param errorKind    empty on success, else {@link #AGENT_FAILED}, {@link #AGENT_TIMED_OUT} or
     *                     {@link #INVALID_RESULT}.
     * @param message      on failure, what went wrong with the end of the agent's output; may be empty otherwise.
     * @param exitCode     the command's exit status, -1 when it did not exit by itself.
     * @param output       what the task left for the tasks that depend on it.
     * @param runDirectory where the prompt, the result and the logs are.
     * @param elapsed      how long the command ran.
     */
    public record Outcome(String errorKind, String message, int exitCode, TaskOutput output, Path runDirectory,
        Duration elapsed)
    {
        /** Validates. */
        public Outcome
        {
            Objects.requireNonNull(errorKind, "errorKind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(runDirectory, "runDirectory");
        }

        /** @return whether the task succeeded. */
        public boolean succeeded()
        {
            return errorKind.isEmpty();
        }
    }

    private final AgentSpec agent;
    private final Semaphore permits;
    private final Path agentsDirectory;
    private final Path workflowDirectory;

    /**
     * An invocation whose {@code ${agents.dir}} is the working directory and that has no workflow directory.
     *
     * @param agent the agent to run.
     */
    public AgentInvocation(final AgentSpec agent)
    {
        this(agent, Path.of(""), null);
    }

    /**
     * @param agent             the agent to run.
     * @param agentsDirectory   the directory of the agents file, the command's {@code ${agents.dir}} (scripts kept
     *                          beside the file are found there whatever the work directory).
     * @param workflowDirectory a directory for the whole run, outside the repository, that outlives the tasks:
     *                          {@code SWITCHBOARD_WORKFLOW_DIR} in the command's environment; null for none.
     */
    public AgentInvocation(final AgentSpec agent, final Path agentsDirectory, final Path workflowDirectory)
    {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.permits = new Semaphore(agent.concurrency(), true);
        this.agentsDirectory = agentsDirectory.toAbsolutePath().normalize();
        this.workflowDirectory = workflowDirectory == null ? null : workflowDirectory.toAbsolutePath();
    }

    /** @return the agent this runs. */
    public AgentSpec agent()
    {
        return agent;
    }

    /**
     * Runs the agent on one task; blocks until it is done, killed, or a permit is free.
     *
     * @param prompt        the task's prompt.
     * @param workDirectory where the command runs: the repository, or the task's worktree.
     * @param runDirectory  where the prompt, the result and the logs go; created, and should be the task's own.
     * @return how it went.
     * @throws IOException          if the run directory or the prompt cannot be written.
     * @throws InterruptedException when the calling thread is interrupted (the task is cancelled); the agent's process
     *                              tree has been killed by then.
     */
    public Outcome run(final TaskPrompt prompt, final Path workDirectory, final Path runDirectory)
        throws IOException, InterruptedException
    {
        permits.acquire();
        try
        {
            return runHoldingPermit(prompt, workDirectory.toAbsolutePath(), runDirectory.toAbsolutePath());
        }
        finally
        {
            permits.release();
        }
    }

    private Outcome runHoldingPermit(final TaskPrompt prompt, final Path workDirectory, final Path runDirectory)
        throws IOException, InterruptedException
    {
        Files.createDirectories(runDirectory);
        final Path promptFile = runDirectory.resolve(PROMPT_FILE);
        final Path resultFile = runDirectory.resolve(ResultFile.FILE_NAME);
        final String text = prompt.text().stripTrailing() + "\n\n" + ResultFile.instructions(resultFile);
        Files.writeString(promptFile, text, StandardCharsets.UTF_8);
        Files.deleteIfExists(resultFile);
        final Map<String, String> values = new LinkedHashMap<>();
        values.put("prompt.file", promptFile.toString());
        values.put("prompt", text);
        values.put("result.file", resultFile.toString());
        values.put("run.dir", runDirectory.toString());
        values.put("repo", workDirectory.toString());
        values.put("task.id", prompt.taskId());
        values.put("agent", agent.name());
        values.put("agents.dir", agentsDirectory.toString());
        final List<String> command = agent.command().render(values);
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectOutput(runDirectory.resolve(OUT_FILE).toFile())
            .redirectError(runDirectory.resolve(ERR_FILE).toFile())
            .redirectInput(agent.prompt() == PromptDelivery.STDIN ? ProcessBuilder.Redirect.from(promptFile.toFile()) :
                ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        final Map<String, String> env = builder.environment();
        env.put("SWITCHBOARD_PROMPT_FILE", promptFile.toString());
        env.put("SWITCHBOARD_RESULT_FILE", resultFile.toString());
        env.put("SWITCHBOARD_RUN_DIR", runDirectory.toString());
        env.put("SWITCHBOARD_TASK_ID", prompt.taskId());
        env.put("SWITCHBOARD_AGENT", agent.name());
        if (workflowDirectory != null)
        {
            env.put("SWITCHBOARD_WORKFLOW_DIR", workflowDirectory.toString());
        }
        final long start = System.nanoTime();
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            return failure(AGENT_FAILED, "agent " + agent.name() + " (" + agent.declaredAt() + ") could not start " +
                display(command) + " in " + workDirectory + ": " + ex.getMessage(), -1, prompt, runDirectory, start);
        }
        try
        {
            if (!process.waitFor(agent.timeout().toMillis(), TimeUnit.MILLISECONDS))
            {
                final List<ProcessHandle> killed = ProcessTree.kill(process.toHandle(), KILL_GRACE);
                return failure(AGENT_TIMED_OUT, "agent " + agent.name() + " did not finish task " + prompt.taskId() +
                    " within its timeout of " + agent.timeout() + ": its process tree was stopped" +
                    (killed.isEmpty() ? "" : " (" + killed.size() + " process(es) needed SIGKILL)") + tail(runDirectory),
                    -1, prompt, runDirectory, start);
            }
        }
        catch (final InterruptedException ex)
        {
            ProcessTree.kill(process.toHandle(), KILL_GRACE);
            throw ex;
        }
        return finished(process.exitValue(), prompt, runDirectory, resultFile, start);
    }

    private Outcome finished(final int exit, final TaskPrompt prompt, final Path runDirectory, final Path resultFile,
        final long start) throws IOException
    {
        ResultFile result = null;
        if (Files.exists(resultFile))
        {
            try
            {
                result = ResultFile.read(resultFile);
            }
            catch (final IOException ex)
            {
                return failure(INVALID_RESULT, "agent " + agent.name() + " exited with " + exit + " but " +
                    ex.getMessage(), exit, prompt, runDirectory, start);
            }
        }
        if (exit > 128)
        {
            return new Outcome(AGENT_CRASHED, "agent " + agent.name() + " crashed on task " + prompt.taskId() +
                ": its command died by signal " + (exit - 128) + tail(runDirectory), exit, output(prompt, result),
                runDirectory, elapsed(start));
        }
        if (exit != 0 || (result != null && result.failed()))
        {
            final String why = result == null || result.error().isEmpty() ? "" : ": " + result.error();
            return new Outcome(AGENT_FAILED, "agent " + agent.name() + (exit != 0 ? " exited with " + exit :
                " says it failed") + " on task " + prompt.taskId() + why + tail(runDirectory), exit,
                output(prompt, result), runDirectory, elapsed(start));
        }
        if (result == null)
        {
            final List<String> lines = Files.readAllLines(runDirectory.resolve(OUT_FILE), StandardCharsets.UTF_8);
            final String end = String.join("\n", lines.subList(Math.max(0, lines.size() - SUMMARY_LINES),
                lines.size()));
            return new Outcome("", "no " + ResultFile.FILE_NAME + " was written: the summary is the end of the " +
                "agent's output", exit, new TaskOutput(prompt.taskId(), end, List.of(), List.of()), runDirectory,
                elapsed(start));
        }
        return new Outcome("", "", exit, output(prompt, result), runDirectory, elapsed(start));
    }

    private Outcome failure(final String kind, final String message, final int exit, final TaskPrompt prompt,
        final Path runDirectory, final long start)
    {
        return new Outcome(kind, message, exit, output(prompt, null), runDirectory, elapsed(start));
    }

    private static TaskOutput output(final TaskPrompt prompt, final ResultFile result)
    {
        return result == null ? new TaskOutput(prompt.taskId(), "", List.of(), List.of()) :
            new TaskOutput(prompt.taskId(), result.summary(), result.changedFiles(), result.artifacts());
    }

    private static Duration elapsed(final long start)
    {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The end of the agent's standard error, or of its output when that is empty, for a failure's message. */
    private static String tail(final Path runDirectory)
    {
        for (final String name : List.of(ERR_FILE, OUT_FILE))
        {
            try
            {
                final String text = Files.readString(runDirectory.resolve(name), StandardCharsets.UTF_8).strip();
                if (!text.isEmpty())
                {
                    return "; end of its " + (name.equals(ERR_FILE) ? "error output" : "output") + ":\n" +
                        text.substring(Math.max(0, text.length() - TAIL_CHARS));
                }
            }
            catch (final IOException ignored)
            {
                // not written: nothing to quote
            }
        }
        return "";
    }

    /** The command for a message: its words, the prompt (which may be long) left out. */
    private static String display(final List<String> command)
    {
        final List<String> words = new ArrayList<>();
        command.forEach(w -> words.add(w.length() > 80 ? w.substring(0, 77) + "..." : w));
        return String.join(" ", words);
    }
}
