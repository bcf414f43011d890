/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

import dev.switchboard.demo.CrossProcessDemo;
import dev.switchboard.demo.Demo;
import dev.switchboard.demo.OrchestrationDemo;
import dev.switchboard.ipc.StopSignals;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard demo}: the in-process demo ({@link Demo}), the cross-process one ({@link CrossProcessDemo}), then
 * the orchestrator on the sample repository ({@link OrchestrationDemo}). Takes no options. Exit 0 when it ran, also
 * when SIGINT or SIGTERM stopped it cleanly (as the router and the sample agent, issue 18); 1 when it failed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
        "Run the demo: agents in this JVM and in processes of their own, then the orchestrator on a sample " +
            "repository.",
        "Starts a router and eight agents in this JVM, runs send, publish/subscribe, request/response, work queue, " +
            "broadcast and multicast among them, and prints what travelled, on which tier, how many and how fast. " +
            "Then starts a router reachable over its Unix socket and two agent JVMs, which make request/response " +
            "round trips on CRITICAL, HIGH, NORMAL and LOW, and prints the tier, count and latency of each.",
        "Last, the orchestrator analyses the sample repository in " + OrchestrationDemo.SAMPLE + " (a copy, " +
            "committed to git), writes its AGENT_PLAN.md, and runs the feature workflow with the named agents of " +
            OrchestrationDemo.AGENTS + ", which apply prepared patches in git worktrees; each phase is merged and " +
            "measured with the real tools (JaCoCo, PMD, SpotBugs), a failed gate gets remediation tasks, and a " +
            "crashed agent's task is re-run.",
        "Takes no options but --help and --version."})
final class DemoCommand implements Callable<Integer>
{
    @ParentCommand
    private SwitchboardCommand switchboard;

    @Override
    public Integer call()
    {
        final PrintStream out = switchboard.out();
        final PrintStream err = switchboard.err();
        try
        {
            Demo.run(Demo.Sizes.DEFAULT, out);
            CrossProcessDemo.run(CrossProcessDemo.Sizes.DEFAULT, out);
            OrchestrationDemo.run(Path.of(System.getProperty("switchboard.home", ".")), out);
            return ExitCodes.OK;
        }
        catch (final RuntimeException ex)
        {
            if (StopSignals.current().isStopRequested())
            {
                // a CancellationException from the wait it was in, or what the stop broke under it
                out.println("switchboard demo: stopped by " + StopSignals.current().reason() +
                    (ex instanceof CancellationException ? "" : " (" + ex.getMessage() + ")"));
                // As the router and the sample agent: a demo stopped cleanly on request ends with 0 (issue 18).
                return StopSignals.current().exitStatus() != 0 ? ExitCodes.OK : ExitCodes.FAILED;
            }
            err.println("switchboard demo: failed: " + ex.getMessage());
            ex.printStackTrace(err);
            return ExitCodes.FAILED;
        }
    }
}
