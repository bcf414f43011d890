/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stat} over real processes: a router (in this JVM) and two agent processes with no JVM flag that send each
 * other requests and publish through the router; {@code stat} run through {@link Main#run} sees all three with counters
 * that move and rates above 0, sees a killed agent as not running until the router removes its file, and skips a file
 * another process truncated.
 */
@Tag("slow")
class StatCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private RouterProcess router;
    private final List<ChildJvm> agents = new ArrayList<>();

    @BeforeEach
    void aRouterAndTwoAgentProcessesSendingTraffic() throws Exception
    {
        // A dead process's file is kept one second after its last heartbeat, then the router's keeper removes it.
        router = RouterProcess.launch(new RouterContext(), new IpcContext().underDirectory(dir).countersRetainMs(1_000));
        agents.add(ChildJvm.start(dir, List.of(), TrafficAgentMain.class, dir.toString(), "Alpha", "Beta"));
        agents.add(ChildJvm.start(dir, List.of(), TrafficAgentMain.class, dir.toString(), "Beta", "Alpha"));
        for (final ChildJvm agent : agents)
        {
            assertEquals("ready", agent.readLine(Duration.ofSeconds(60)), agent.describe());
        }
    }

    @AfterEach
    void stop()
    {
        agents.forEach(ChildJvm::close);
        router.close();
    }

    @Test
    void statShowsTheRouterAndBothAgentProcessesWithCountersThatMoveAndTheirRates() throws Exception
    {
        // Two samples 2 s apart: every process has run at least that long, so a heartbeat younger than that was
        // written since its file was created.
        assertEquals(0, run("stat", "--once", "--json", "--interval", "2000", "--runtime-dir", dir.toString()),
            err.toString());
        final JsonNode doc = JSON.readTree(out.toString());
        assertEquals(2000, doc.get("rates_over_ms").asLong(), 300);

        final JsonNode routerNode = process(doc, "router", ProcessHandle.current().pid());
        assertNotNull(routerNode, doc.toPrettyString());
        assertEquals(dir.getFileName().toString(), routerNode.get("name").asText());
        assertTrue(routerNode.get("alive").asBoolean());
        assertTrue(routerNode.get("heartbeat_age_ms").asLong() < 1_800, routerNode.toString());
        assertTrue(rate(routerNode, "fan-out deliveries") > 0, "the router routes the agents' publishes");
        assertTrue(value(routerNode, "registrations") >= 2);

        for (final ChildJvm agent : agents)
        {
            final JsonNode a = process(doc, "agent", agent.pid());
            assertNotNull(a, "agent " + agent + " in " + doc.toPrettyString());
            assertTrue(a.get("alive").asBoolean());
            assertTrue(a.get("heartbeat_age_ms").asLong() < 1_800, a.get("heartbeat_age_ms").toString());
            assertTrue(List.of("Alpha", "Beta").contains(a.get("name").asText()), a.get("name").asText());
            assertTrue(a.get("file").asText().endsWith("agent-" + a.get("name").asText() + "-" + agent.pid() +
                ".counters"), a.get("file").asText());
            assertTrue(value(a, "SENT tier=CRITICAL pattern=REQUEST") > 0, a.toString());
            assertTrue(rate(a, "SENT tier=CRITICAL pattern=REQUEST") > 0, "requests per second");
            assertTrue(rate(a, "DELIVERED tier=CRITICAL pattern=RESPONSE") > 0, "responses per second");
            assertTrue(rate(a, "DELIVERED tier=NORMAL pattern=PUBLISH") > 0, "publishes received per second");
            final JsonNode rtt = a.get("histograms").get(0);
            assertEquals("request_response_ns", rtt.get("name").asText());
            assertTrue(rtt.get("count").asLong() > 0 && rtt.get("rate_per_s").asDouble() > 0, rtt.toString());
            assertTrue(rtt.get("p50_ns").asLong() > 0 && rtt.get("p99_ns").asLong() >= rtt.get("p50_ns").asLong());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Path.of(a.get("file").asText()), LinkOption.NOFOLLOW_LINKS)), "owner-only");
        }

        assertEquals(0, run("stat", "--once", "--interval", "300", "--runtime-dir", dir.toString(), "--filter",
            "critical"), err.toString());
        final String table = out.toString();
        assertTrue(table.contains("ROUTER") && table.contains("Alpha") && table.contains("Beta"), table);
        assertTrue(table.contains("SENT tier=CRITICAL pattern=REQUEST") && table.contains("/s"), table);
        assertFalse(table.contains("fan-out deliveries"), "--filter keeps only the matching labels: " + table);
        assertTrue(table.contains("heartbeat"), table);
    }

    @Test
    void aKilledAgentIsReportedNotRunningAndThenItsFileIsRemoved() throws Exception
    {
        final ChildJvm beta = agents.get(1);
        final long pid = beta.pid();
        beta.kill();
        assertEquals(0, run("stat", "--json", "--once", "--interval", "0", "--shm-dir", dir.resolve("shm").toString()),
            err.toString());
        final JsonNode dead = process(JSON.readTree(out.toString()), "agent", pid);
        assertNotNull(dead, "the killed agent's file is still there, for a while: " + out);
        assertFalse(dead.get("alive").asBoolean());
        assertEquals("Beta", dead.get("name").asText());
        assertNull(JSON.readTree(out.toString()).get("rates_over_ms").numberValue(), "one sample, no rates");

        assertEquals(0, run("stat", "--once", "--interval", "0", "--shm-dir", dir.resolve("shm").toString()));
        assertTrue(out.toString().contains("NOT RUNNING"), out.toString());

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (CountersFiles.readAll(dir.resolve("shm")).stream().anyMatch(s -> s.pid() == pid))
        {
            assertTrue(System.nanoTime() < deadline, "the router removes a dead agent's file after the retention");
            Thread.sleep(100);
        }
        assertEquals(0, run("stat", "--json", "--once", "--interval", "0", "--shm-dir", dir.resolve("shm").toString()));
        assertNull(process(JSON.readTree(out.toString()), "agent", pid));
        assertNotNull(process(JSON.readTree(out.toString()), "agent", agents.get(0).pid()), "the other one lives on");
    }

    @Test
    void aFileTruncatedByAnotherProcessIsSkippedWithItsReason() throws Exception
    {
        final Path counters = CountersFiles.directory(dir.resolve("shm"));
        final Path live = CountersFiles.readAll(dir.resolve("shm")).getFirst().file();
        final Path copy = counters.resolve("agent-copy-1.counters");
        Files.copy(live, copy);
        final Process truncate = new ProcessBuilder("truncate", "-s", "5000", copy.toString()).inheritIO().start();
        assertTrue(truncate.waitFor(10, TimeUnit.SECONDS));

        assertEquals(0, run("stat", "--json", "--once", "--interval", "0", "--shm-dir", dir.resolve("shm").toString()));
        final JsonNode doc = JSON.readTree(out.toString());
        assertEquals(3, doc.get("processes").size(), doc.toPrettyString());
        assertEquals(copy.toString(), doc.get("skipped").get(0).get("file").asText());
        assertTrue(doc.get("skipped").get(0).get("reason").asText().contains("truncated"), doc.toPrettyString());
    }

    private static JsonNode process(final JsonNode doc, final String role, final long pid)
    {
        for (final JsonNode p : doc.get("processes"))
        {
            if (p.get("role").asText().equals(role) && p.get("pid").asLong() == pid)
            {
                return p;
            }
        }
        return null;
    }

    private static JsonNode counter(final JsonNode process, final String label)
    {
        for (final JsonNode c : process.get("counters"))
        {
            if (c.get("label").asText().equals(label))
            {
                return c;
            }
        }
        throw new AssertionError("no counter '" + label + "' in " + process);
    }

    private static long value(final JsonNode process, final String label)
    {
        return counter(process, label).get("value").asLong();
    }

    private static double rate(final JsonNode process, final String label)
    {
        return counter(process, label).get("rate_per_s").asDouble();
    }

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
