/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.monitoring.OrchestratorView;
import dev.switchboard.router.RouterContext;
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

    @Option(names = "--cluster-endpoint", paramLabel = "HOST:PORT",
        description = "bridge this router to peer routers on other hosts over Aeron UDP: its own endpoint, where " +
            "peers reach it (switchboard.cluster.endpoint; needs the shared secret, --cluster-secret-file)")
    private String clusterEndpoint;

    @Option(names = "--peers", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "the seed list of peer routers' endpoints (switchboard.cluster.peers)")
    private String peers;

    @Option(names = "--cluster-host", paramLabel = "NAME",
        description = "the host name this router's agents are shown with on its peers (default: the endpoint's host)")
    private String clusterHost;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
        description = "the secret the routers share (default: switchboard.auth.secret.file)")
    private Path clusterSecretFile;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "the Aeron directory: the embedded media driver's (default: aeron under the runtime dir), " +
            "or the external driver's with --external-driver")
    private Path aeronDir;

    @Option(names = "--external-driver",
        description = "connect to a media driver already running on --aeron-dir instead of embedding one")
    private boolean externalDriver;

    @Override
    public Integer call()
    {
        if (runtimeDir != null)
        {
            System.setProperty("switchboard.runtime.dir", runtimeDir.toAbsolutePath().toString());
        }
        setIf(RouterContext.CLUSTER_ENDPOINT_PROP, clusterEndpoint);
        setIf(RouterContext.CLUSTER_PEERS_PROP, peers);
        setIf(RouterContext.CLUSTER_HOST_PROP, clusterHost);
        setIf(RouterContext.CLUSTER_SECRET_FILE_PROP,
            clusterSecretFile == null ? null : clusterSecretFile.toAbsolutePath().toString());
        setIf(RouterContext.CLUSTER_AERON_DIR_PROP, aeronDir == null ? null : aeronDir.toAbsolutePath().toString());
        if (externalDriver)
        {
            System.setProperty(RouterContext.CLUSTER_EXTERNAL_DRIVER_PROP, "true");
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

    private static void setIf(final String property, final String value)
    {
        if (value != null)
        {
            System.setProperty(property, value);
        }
    }
}
