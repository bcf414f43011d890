/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.switchboard.ipc.StopSignals;

/**
 * Task agents as separate JVMs ({@link TaskAgentProcess}), each connected to the router of one runtime directory.
 * Starts them all, then waits until each has said it is ready; {@link #kill} is {@code kill -9}; {@link #close}
 * sends SIGTERM (the agent deregisters) and kills what is still running after {@link StopSignals#CHILD_GRACE_MS}
 * ({@link StopSignals#terminate}). Each agent stops on its own when this process exits, however it exits. Each agent's standard output
 * and error go to {@code <name>.out} and {@code <name>.err} in the log directory.
 *
 * <p>Thread-safety: confined to the thread that started them.
 */
public final class AgentProcesses implements AutoCloseable
{
    /**
     * One agent process.
     *
     * @param name           unique agent name.
     * @param capabilities   what it can do.
     * @param script         a {@link TaskAgentProcess} {@code --script}, e.g. {@code succeed} or {@code crash:1:200}.
     * @param taskDurationMs how long each scripted task takes.
     * @param commands       shell command per capability, run in the scope directory.
     */
    public record Spec(String name, List<String> capabilities, String script, long taskDurationMs,
        Map<String, String> commands)
    {
        /** Validates and copies. */
        public Spec
        {
            Objects.requireNonNull(name, "name");
            capabilities = List.copyOf(capabilities);
            Objects.requireNonNull(script, "script");
            commands = Map.copyOf(commands);
        }
    }

    private static final System.Logger LOG = System.getLogger(AgentProcesses.class.getName());

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Path logDirectory;

    private AgentProcesses(final Path logDirectory)
    {
        this.logDirectory = logDirectory;
    }

    /**
     * @param runtimeDir   the router's runtime directory.
     * @param logDirectory where the agents' output goes.
     * @param scope        the working directory of commands.
     * @param specs        the agents.
     * @param readyTimeout how long to wait for all of them to register.
     * @return the running agents.
     * @throws IllegalStateException naming the agent and quoting its error output, when one exits or is not ready
     *                               in time (all are stopped then).
     * @throws java.util.concurrent.CancellationException when this process is asked to stop while they start (all are
     *                               stopped then; see {@link StopSignals}).
     */
    public static AgentProcesses start(final Path runtimeDir, final Path logDirectory, final Path scope,
        final List<Spec> specs, final Duration readyTimeout)
    {
        final AgentProcesses agents = new AgentProcesses(logDirectory);
        try
        {
            Files.createDirectories(logDirectory);
            for (final Spec spec : specs)
            {
                final List<String> args = new ArrayList<>(List.of("--runtime-dir", runtimeDir.toString(),
                    "--name", spec.name(), "--capabilities", String.join(",", spec.capabilities()),
                    "--script", spec.script(), "--task-duration-ms", Long.toString(spec.taskDurationMs()),
                    "--scope", scope.toAbsolutePath().toString()));
                spec.commands().forEach((capability, command) ->
                {
                    args.add("--command");
                    args.add(capability + "=" + command);
                });
                final ProcessBuilder builder = new ProcessBuilder(TaskAgentProcess.command(args))
                    .redirectOutput(agents.out(spec.name()).toFile())
                    .redirectError(agents.err(spec.name()).toFile());
                builder.environment().remove("JAVA_TOOL_OPTIONS");
                builder.environment().remove("JDK_JAVA_OPTIONS");
                agents.processes.put(spec.name(), builder.start());
            }
            final long deadline = System.nanoTime() + readyTimeout.toNanos();
            for (final Spec spec : specs)
            {
                agents.awaitReady(spec.name(), deadline, readyTimeout);
            }
            return agents;
        }
        catch (final IOException ex)
        {
            agents.close();
            throw new UncheckedIOException("cannot start agent processes: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            agents.close();
            throw ex;
        }
    }

    private void awaitReady(final String name, final long deadline, final Duration readyTimeout) throws IOException
    {
        final Process process = processes.get(name);
        while (!Files.readString(out(name)).contains(TaskAgentProcess.READY + name))
        {
            StopSignals.current().throwIfStopRequested();
            if (!process.isAlive())
            {
                throw new IllegalStateException("agent process " + name + " exited with " + process.exitValue() +
                    " before it was ready: " + tail(err(name)));
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("agent process " + name + " was not ready within " + readyTimeout +
                    ": " + tail(err(name)));
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting agent processes", ex);
            }
        }
    }

    /** @return the agents' names, in start order. */
    public List<String> names()
    {
        return List.copyOf(processes.keySet());
    }

    /**
     * @param name an agent.
     * @return whether its process is running.
     */
    public boolean isAlive(final String name)
    {
        return process(name).isAlive();
    }

    /**
     * @param name    an agent.
     * @param timeout how long to wait for it to exit.
     * @return its exit status, or -1 when it is still running.
     * @throws InterruptedException when interrupted.
     */
    public int awaitExit(final String name, final Duration timeout) throws InterruptedException
    {
        final Process process = process(name);
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * @param name an agent.
     * @return its process id (for signals and tools such as {@code ./switchboard stat}).
     */
    public long pid(final String name)
    {
        return process(name).pid();
    }

    /** @param name an agent to {@code kill -9}. */
    public void kill(final String name)
    {
        process(name).destroyForcibly();
    }

    /**
     * @param name an agent.
     * @return its error output so far.
     */
    public String stderr(final String name)
    {
        return tail(err(name));
    }

    /**
     * SIGTERM to every agent (each deregisters and exits 0), SIGKILL to those still running after
     * {@link StopSignals#CHILD_GRACE_MS}. What went wrong is a {@code WARNING} of this class's {@link System.Logger}
     * ({@code dev.switchboard.orchestrator.runtime.AgentProcesses}): an agent that had to be killed (with the tail of
     * its error output) or that exited otherwise than with 0. When this process is stopping
     * ({@link StopSignals#isStopRequested()}), each agent's own stop line is relayed there as well ({@code INFO}), since
     * the log directory is usually deleted with the run.
     */
    @Override
    public void close()
    {
        final Map<Process, String> names = new java.util.IdentityHashMap<>();
        processes.forEach((name, process) -> names.put(process, name));
        final Map<String, Boolean> wasRunning = new LinkedHashMap<>();
        processes.forEach((name, process) -> wasRunning.put(name, process.isAlive()));
        final List<String> killed = new ArrayList<>();
        StopSignals.terminate(processes.values(), TimeUnit.MILLISECONDS.toNanos(StopSignals.CHILD_GRACE_MS), child ->
        {
            final String name = names.get(child);
            killed.add(name);
            LOG.log(System.Logger.Level.WARNING, "agent process " + name + " (pid " + child.pid() +
                ") did not stop within " + StopSignals.CHILD_GRACE_MS + " ms of SIGTERM: killed (SIGKILL); its error " +
                "output: " + tail(err(name)));
        });
        final boolean stopping = StopSignals.current().isStopRequested();
        processes.forEach((name, process) ->
        {
            if (!wasRunning.get(name) || killed.contains(name) || process.isAlive())
            {
                return; // exited before (its caller saw to it), or reported above
            }
            final int status = process.exitValue();
            if (status != 0)
            {
                LOG.log(System.Logger.Level.WARNING, "agent process " + name + " (pid " + process.pid() +
                    ") exited with " + status + " on SIGTERM: " + tail(err(name)));
            }
            else if (stopping)
            {
                LOG.log(System.Logger.Level.INFO, "agent process " + name + ": " + stopLine(name));
            }
        });
    }

    /** @return the agent's own line saying it stopped (see {@link TaskAgentProcess}), or that it printed none. */
    private String stopLine(final String name)
    {
        try
        {
            final Path file = out(name);
            final List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return lines.stream().filter(l -> l.startsWith(name + " stopped")).reduce((a, b) -> b)
                .orElse("(no stop line in its output: " + String.join(" | ", lines) + ")");
        }
        catch (final IOException ex)
        {
            return "(cannot read " + out(name) + ": " + ex.getMessage() + ")";
        }
    }

    private Process process(final String name)
    {
        final Process process = processes.get(name);
        if (process == null)
        {
            throw new IllegalArgumentException("no agent process '" + name + "'; agents: " + processes.keySet());
        }
        return process;
    }

    private Path out(final String name)
    {
        return logDirectory.resolve(name + ".out");
    }

    private Path err(final String name)
    {
        return logDirectory.resolve(name + ".err");
    }

    private static String tail(final Path file)
    {
        try
        {
            final String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.isEmpty() ? "(no error output)" : text.substring(Math.max(0, text.length() - 2_000));
        }
        catch (final IOException ex)
        {
            return "(cannot read " + file + ": " + ex.getMessage() + ")";
        }
    }
}
