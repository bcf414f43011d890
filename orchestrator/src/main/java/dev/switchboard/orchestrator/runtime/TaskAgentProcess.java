/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;

/**
 * A {@link TaskAgent} in a process of its own: connects to the router whose runtime directory it is given (over its
 * control socket, with every tier available to agents), registers, prints {@code READY <name>} on standard output,
 * and works until it is sent SIGTERM or SIGINT (it deregisters and exits 0; a second signal exits at once, see
 * {@link StopSignals}), until the process that started it exits (the command line from {@link #command} names it in
 * {@code switchboard.stop.with.parent}: then it stops the same way, so a {@code kill -9} of its parent leaves no agent
 * behind), or until it is killed.
 *
 * <pre>
 * TaskAgentProcess --runtime-dir DIR --name NAME --capabilities CAP[,CAP..]
 *                  [--script succeed|fail-first:N:KIND|fail-always:KIND|stall|crash:N:MS]
 *                  [--task-duration-ms MS] [--scope DIR] [--command CAP=SHELL-COMMAND]...
 * </pre>
 * {@code --script} picks a {@link ScriptedTaskHandler} (default {@code succeed}: it reports success and changes nothing, so only a tree that already passes the measured gates gets through them);
 * {@code crash:N:MS} halts the process MS ms into each of the first N calls of a task. {@code --command} runs
 * {@code sh -c} in {@code --scope} for that capability through a {@link CommandTaskHandler}. Bad arguments exit 2
 * with a message; a router that cannot be reached exits 1.
 *
 * <p><b>Output.</b> Standard output is this process's protocol with the process that started it
 * ({@link AgentProcesses} reads it): the {@code READY <name>} line, and at the end the line
 * {@code <name> stopped (<why>) in <n> ms}; nothing else is printed there. Everything else (bad arguments, a router
 * that cannot be reached, what the libraries report) goes to the {@link System.Logger}s, here the JDK's console logging
 * on standard error, one line per record ({@link ConsoleLogging}).
 */
public final class TaskAgentProcess
{
    /** Line printed once registered. */
    public static final String READY = "READY ";

    private static final System.Logger LOG = System.getLogger(TaskAgentProcess.class.getName());

    private TaskAgentProcess()
    {
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        ConsoleLogging.oneLinePerRecord();
        final Map<String, String> options = new LinkedHashMap<>();
        final Map<String, List<String>> commands = new LinkedHashMap<>();
        try
        {
            for (int i = 0; i < args.length; i += 2)
            {
                if (i + 1 >= args.length || !args[i].startsWith("--"))
                {
                    throw new IllegalArgumentException("expected --option VALUE pairs, got " + Arrays.toString(args));
                }
                if (args[i].equals("--command"))
                {
                    final int eq = args[i + 1].indexOf('=');
                    if (eq <= 0)
                    {
                        throw new IllegalArgumentException("--command wants CAPABILITY=COMMAND, got " + args[i + 1]);
                    }
                    commands.put(args[i + 1].substring(0, eq), List.of("sh", "-c", args[i + 1].substring(eq + 1)));
                }
                else
                {
                    options.put(args[i].substring(2), args[i + 1]);
                }
            }
            for (final String required : List.of("runtime-dir", "name", "capabilities"))
            {
                if (!options.containsKey(required))
                {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "TaskAgentProcess: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final TaskHandler handler;
        try
        {
            handler = handler(options, commands);
        }
        catch (final IllegalArgumentException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "TaskAgentProcess: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(options.get("runtime-dir")));
        final String name = options.get("name");
        final List<String> capabilities = List.of(options.get("capabilities").split(","));
        final StopSignals signals = StopSignals.install("TaskAgentProcess " + name);
        final TaskAgent agent;
        try
        {
            agent = new TaskAgent(() -> SwitchboardClient.connect(
                new ClientContext().requestedLeaseMs(TaskAgent.LEASE_MS).connection(IpcConnection.connect(ipc))),
                name, capabilities, handler).start();
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "TaskAgentProcess " + name + ": " + ex.getMessage());
            System.exit(signals.isStopRequested() ? 0 : 1);
            return;
        }
        System.out.println(READY + name);
        System.out.flush();
        final String why = signals.awaitStop();
        final long stopNs = System.nanoTime();
        agent.close();
        System.out.println(name + " stopped (" + why + ") in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNs) + " ms");
        System.out.flush();
        signals.finished();
        System.exit(0);
    }

    static TaskHandler handler(final Map<String, String> options, final Map<String, List<String>> commands)
    {
        final long durationMs = Long.parseLong(options.getOrDefault("task-duration-ms", "0"));
        if (durationMs < 0)
        {
            throw new IllegalArgumentException("--task-duration-ms must be >= 0, was " + durationMs);
        }
        final String script = options.getOrDefault("script", "succeed");
        final String[] parts = script.split(":");
        final ScriptedTaskHandler scripted = switch (parts[0])
        {
            case "succeed" -> ScriptedTaskHandler.succeeding(java.util.Map.of());
            case "fail-first" -> ScriptedTaskHandler.failingFirst(Integer.parseInt(part(parts, 1, script)),
                part(parts, 2, script), java.util.Map.of());
            case "fail-always" -> ScriptedTaskHandler.alwaysFailing(part(parts, 1, script));
            case "stall" -> ScriptedTaskHandler.stalling();
            case "crash" -> ScriptedTaskHandler.crashing(Integer.parseInt(part(parts, 1, script)),
                Duration.ofMillis(Long.parseLong(part(parts, 2, script))), java.util.Map.of());
            default -> throw new IllegalArgumentException("--script '" + script +
                "': expected succeed, fail-first:N:KIND, fail-always:KIND, stall or crash:N:MS");
        };
        final TaskHandler timed = scripted.takingTime(Duration.ofMillis(durationMs));
        if (commands.isEmpty())
        {
            return timed;
        }
        final TaskHandler commanded = new CommandTaskHandler(commands,
            Path.of(options.getOrDefault("scope", ".")).toAbsolutePath(), Duration.ofHours(2));
        return TaskHandler.byCapability(commands.keySet(), commanded, timed);
    }

    private static String part(final String[] parts, final int index, final String script)
    {
        if (index >= parts.length || parts[index].isBlank())
        {
            throw new IllegalArgumentException("--script '" + script + "' is missing part " + (index + 1));
        }
        return parts[index];
    }

    /**
     * The command line that starts this main in a new JVM like the current one (same java binary and classpath,
     * with the flags the tiers need), which stops when this process exits.
     *
     * @param args the agent's arguments.
     * @return the command.
     */
    public static List<String> command(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this JVM")));
        command.addAll(JvmFlags.of(JvmFlags.Group.AGENT));
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-D" + StopSignals.PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TaskAgentProcess.class.getName());
        command.addAll(args);
        return command;
    }
}
