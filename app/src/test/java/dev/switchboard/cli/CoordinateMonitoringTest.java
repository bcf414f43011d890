/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code coordinate} serves its embedded router's metrics and its workflow beside them while it runs: the task graph
 * and progress read from the workflow's journal, gates, the success metrics kept.
 */
@Tag("slow")
class CoordinateMonitoringTest
{
    private static final Pattern ADDRESS = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/)metrics");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String get(final String url) throws Exception
    {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    @Test
    void theRunningWorkflowItsTasksAndGatesAreServedWhileItRuns() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[]{
            "coordinate", "--workflow", "bugfix", "--repo", dir.toString(), "--agents", "2", "--quality-gates",
            "lenient", "--task-duration-ms", "1500", "--metrics-file", dir.resolve("metrics.jsonl").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        try
        {
            String base = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (base == null)
            {
                final Matcher address = ADDRESS.matcher(err.toString(StandardCharsets.UTF_8));
                if (address.find())
                {
                    base = address.group(1);
                }
                else if (run.isDone() || System.nanoTime() > deadline)
                {
                    fail("coordinate said no metrics address: " + err.toString(StandardCharsets.UTF_8));
                }
                else
                {
                    Thread.sleep(20);
                }
            }

            JsonNode workflow = null;
            while (workflow == null || !"RUNNING".equals(workflow.path("status").asText()) ||
                workflow.path("tasksDone").asInt() == workflow.path("tasksTotal").asInt())
            {
                assertTrue(System.nanoTime() < deadline, "no running workflow served: " + workflow);
                final JsonNode status = new ObjectMapper().readTree(get(base + "status.json"));
                workflow = status.path("workflows").path(0);
                Thread.sleep(50);
            }
            assertEquals("bugfix", workflow.path("id").asText().replaceAll("\\[.*", ""));
            assertTrue(workflow.path("tasks").size() >= 2, workflow.toString());
            boolean edge = false;
            for (final JsonNode task : workflow.path("tasks"))
            {
                edge |= task.path("dependsOn").size() > 0;
            }
            assertTrue(edge, "the task graph has its edges: " + workflow);
            assertTrue(workflow.path("gates").size() >= 1, workflow.toString());

            final String metrics = get(base + "metrics");
            assertTrue(metrics.contains("switchboard_workflows{status=\"RUNNING\"} 1.0"), metrics);
            assertTrue(metrics.contains("switchboard_workflow_tasks{state="), metrics);
            assertTrue(metrics.contains("switchboard_router_accepting 1.0"), metrics);
            assertTrue(metrics.contains("switchboard_success_runs 0.0"), "no run kept yet in " + dir + ": " + metrics);

            assertEquals(ExitCodes.OK, run.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            run.cancel(true);
        }
    }
}
