/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.orchestrator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.bench.harness.HdrLogs;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.orchestrator.runtime.TaskAgent;

/**
 * The agents of the cross-process configurations, in a JVM of their own: {@link BugfixTeam}'s three
 * {@link TaskAgent}s, each with its own client over {@link IpcConnection} to the router the harness runs.
 *
 * <pre>
 *   TaskAgentsMain RUNTIME_DIR SHM_DIR
 * </pre>
 *
 * Protocol on stdout/stdin, one line each:
 * <ul>
 *   <li>→ {@code READY <System.nanoTime()>} once the agents are registered and consuming; the harness checks that
 *       this clock reads between its own readings before and after, which holds only if both processes read one
 *       system-wide clock ({@code CLOCK_MONOTONIC});</li>
 *   <li>← {@code TAKE <file>}: write the hand-off samples since the last TAKE to {@code file} (an HdrHistogram
 *       log) and answer → {@code TAKEN samples=N negative=N tooLarge=N tiers=T:N,...};</li>
 *   <li>stdin closed: the agents close and the process exits 0.</li>
 * </ul>
 * Errors go to stderr as {@code ERROR ...} on stdout and exit 1.
 */
public final class TaskAgentsMain
{
    private TaskAgentsMain()
    {
    }

    /**
     * @param args the router's runtime directory and /dev/shm directory.
     */
    public static void main(final String[] args)
    {
        if (args.length != 2)
        {
            System.err.println("usage: TaskAgentsMain RUNTIME_DIR SHM_DIR");
            System.exit(2);
        }
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0])).shmDir(Path.of(args[1]));
        final HandoffRecorder receipts = new HandoffRecorder();
        List<TaskAgent> agents = List.of();
        try
        {
            // The first connection loads and probes every tier (Chronicle's LOW probe can take seconds on a busy
            // machine); done here, it cannot eat into TaskAgent's 10-s registration window.
            try (SwitchboardClient warm = SwitchboardClient.connect(
                new ClientContext().connection(IpcConnection.connect(ipc))))
            {
                System.err.println("agents: connected once to " + ipc.socketPath() + " (agent id " +
                    warm.agentId() + ")");
            }
            agents = BugfixTeam.start(
                () -> SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))), receipts);
            System.out.println("READY " + System.nanoTime());
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.startsWith("TAKE "))
                {
                    final HandoffRecorder.Taken taken = receipts.take();
                    HdrLogs.write(taken.histogram(), Path.of(line.substring("TAKE ".length())), "handoff");
                    System.out.println("TAKEN samples=" + taken.histogram().getTotalCount() + " negative=" +
                        taken.negative() + " tooLarge=" + taken.tooLarge() + " tiers=" +
                        (taken.tiers().isEmpty() ? "-" : taken.tiers()));
                }
            }
        }
        catch (final Exception e)
        {
            System.out.println("ERROR " + e);
            e.printStackTrace();
            agents.forEach(TaskAgent::close);
            System.exit(1);
        }
        agents.forEach(TaskAgent::close);
        System.exit(0);
    }
}
