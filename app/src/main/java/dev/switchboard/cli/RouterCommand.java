/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.router.process.RouterMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard router}: a standalone router that agent processes connect to ({@link RouterMain}), until SIGINT or
 * SIGTERM, with its metrics, health checks and status page beside it ({@link RouterMonitoring}: port 9002 unless
 * {@code switchboard.metrics.port} says otherwise; the success metrics served are those of the metrics file kept by
 * {@code coordinate}, {@code $SWITCHBOARD_METRICS_FILE} or {@code ~/.switchboard/metrics.jsonl}). {@code --help} and {@code --version} print and start nothing. Exit 0 after a stop on a signal, 70 after a
 * fatal error, 1 when the stop overran its timeout, 2 on bad options.
 */
@Command(name = "router", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run a router that agent processes connect to, until Ctrl-C (counters printed on the way out).",
        "Its settings are the switchboard.* system properties (SWITCHBOARD_JVM_OPTS=-D...); see ipc-native/README.md.",
        "Metrics, health and a live status page on http://127.0.0.1:9002/ (switchboard.metrics.port: 0 any, off none)."})
final class RouterCommand implements Callable<Integer>
{
    @Option(names = "--runtime-dir", paramLabel = "DIR",
        description = "the router's runtime directory: its socket, inboxes' names, queues (default: the " +
            "switchboard.runtime.dir property, else one under /tmp for this user)")
    private Path runtimeDir;

    @Override
    public Integer call()
    {
        if (runtimeDir != null)
        {
            System.setProperty("switchboard.runtime.dir", runtimeDir.toAbsolutePath().toString());
        }
        final KeptSuccessMetrics success = new KeptSuccessMetrics(new dev.switchboard.orchestrator.OrchestratorContext().metricsFile());
        return RouterMain.run(router -> RouterMonitoring.start(router, new OrchestratorView()
        {
            @Override
            public List<Workflow> workflows()
            {
                return null; // a router alone runs no workflow
            }

            @Override
            public SuccessMetrics successMetrics()
            {
                return success.read();
            }
        }, "switchboard router", new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
