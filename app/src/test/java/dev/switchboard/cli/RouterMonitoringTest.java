/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.router.process.RouterMain;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchboard router} serves /metrics, /health/live and /health/ready from the counters files of the running
 * router and its agents; a monitoring setting it cannot use stops it, a port it cannot bind does not.
 */
@Tag("slow")
class RouterMonitoringTest
{
    private static final Pattern ADDRESS = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/)metrics");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private List<String> places()
    {
        return List.of("-Dswitchboard.runtime.dir=" + dir.resolve("runtime"),
            "-Dswitchboard.shm.dir=" + dir.resolve("runtime").resolve("shm"));
    }

    private ChildJvm router(final String... properties) throws Exception
    {
        final List<String> options = new ArrayList<>(JvmFlags.router());
        options.addAll(places());
        options.addAll(List.of(properties));
        return ChildJvm.builder(Main.class).jvmOptions(options).args("router")
            .environment("SWITCHBOARD_METRICS_FILE", dir.resolve("metrics.jsonl").toString())
            .output(dir, "router").start();
    }

    private static HttpResponse<String> get(final String url) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAndHealthComeFromTheRunningRouterAndAgentsCountersFiles() throws Exception
    {
        try (ChildJvm router = router("-Dswitchboard.metrics.port=0"))
        {
            final Matcher address = ADDRESS.matcher(router.readLine(ChildJvm.DEFAULT_WAIT));
            assertTrue(address.find(), router.describe());
            final String base = address.group(1);
            assertTrue(router.readLine(ChildJvm.DEFAULT_WAIT).startsWith("switchboard router listening on "));
            try (ChildJvm agent = ChildJvm.builder(Main.class).jvmOptions(places()).args("agent", "--name", "alpha")
                .output(dir, "alpha").start())
            {
                agent.await(() -> agent.stdoutText().contains("agent alpha registered"), "alpha registered");
                final String pid = String.valueOf(router.pid());
                final String[] metrics = {""};
                router.await(() ->
                {
                    try
                    {
                        metrics[0] = get(base + "metrics").body();
                    }
                    catch (final Exception ex)
                    {
                        throw new AssertionError(ex);
                    }
                    return metrics[0].contains("switchboard_events_total{event=\"registrations\",name=\"runtime\"," +
                        "pid=\"" + pid + "\",role=\"router\"} 1.0") &&
                        metrics[0].contains("switchboard_up{name=\"alpha\",pid=\"" + agent.pid() + "\",role=\"agent\"} 1.0");
                }, "the router's and alpha's counters in /metrics");
                assertTrue(metrics[0].contains("switchboard_router_accepting 1.0"), metrics[0]);
                assertTrue(metrics[0].contains("switchboard_messages_total{kind=\"sent\",name=\"alpha\",pattern="),
                    metrics[0]);
                assertTrue(metrics[0].contains("switchboard_success_runs 0.0"), "no run kept: " + metrics[0]);

                assertEquals(200, get(base + "health/live").statusCode());
                final HttpResponse<String> ready = get(base + "health/ready");
                // ready: the router's file alive with a fresh heartbeat, accepting, its tiers probed, no stuck inbox
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().startsWith("{\"ready\":true,"), ready.body());
                // the router's own file is found and alive; accepting, tiers and inboxes pass (the heartbeat's
                // freshness is specified by HealthEndpointTest on hand-made files)
                assertTrue(ready.body().contains("router runtime (pid " + pid + ")"), ready.body());
                assertTrue(ready.body().contains("{\"name\":\"accepting\",\"ok\":true,"), ready.body());
                assertTrue(ready.body().contains("{\"name\":\"tiers\",\"ok\":true,\"detail\":\"probed: CRITICAL "),
                    ready.body());
                assertTrue(ready.body().contains("{\"name\":\"inboxes\",\"ok\":true,"), ready.body());
            }
        }
    }

    @Test
    void anInvalidPortStopsTheRouterBeforeItAcceptsAnyone() throws Exception
    {
        try (ChildJvm router = router("-Dswitchboard.metrics.port=ninety"))
        {
            assertEquals(RouterMain.EXIT_FATAL, router.awaitExit());
            assertTrue(router.stderrText().contains("switchboard router: cannot start: switchboard.metrics.port must " +
                "be a port (1 to 65535), 0 for any free port, or -1 or off for no server: 'ninety'"),
                router.describe());
        }
    }

    @Test
    void aTakenPortIsAWarningAndTheRouterRunsOnWithoutMetrics() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            ChildJvm router = router("-Dswitchboard.metrics.port=" + taken.getLocalPort()))
        {
            assertTrue(router.readLine(ChildJvm.DEFAULT_WAIT).startsWith("switchboard router listening on "),
                router.describe());
            router.await(() -> router.stderrText().contains("switchboard router: WARNING no metrics, health or " +
                "status page: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (switchboard.metrics.port)"),
                "the warning");
            assertTrue(router.process().isAlive(), router.describe());
        }
    }
}
