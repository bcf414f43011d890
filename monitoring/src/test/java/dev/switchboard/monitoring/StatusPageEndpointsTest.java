/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status page's files, {@code /status.json} and {@code /events}. */
class StatusPageEndpointsTest
{
    @Test
    void thePageAndItsScriptAndStylesComeFromTheServerItself() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final HttpResponse<String> page = Http.get(server, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(page.body().contains("<script src=\"status.js\" defer></script>"), page.body());
            assertFalse(page.body().contains("http://") || page.body().contains("https://"),
                "nothing from outside: " + page.body());
            assertEquals(200, Http.get(server, "/status.js").statusCode());
            assertEquals(200, Http.get(server, "/status.css").statusCode());
            final HttpResponse<String> missing = Http.get(server, "/nothing");
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("try /, /metrics"), missing.body());
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final HttpResponse<String> post = Http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void statusJsonHasEveryProcessWithItsTiersAndNoRateBeforeASecondSample() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots).sampleIntervalMs(3_600_000))
            .counters(snapshots).orchestrator(TestSnapshots.orchestrator()).start())
        {
            final String json = Http.get(server, "/status.json").body();
            assertTrue(json.contains("{\"role\":\"agent\",\"name\":\"alpha\",\"pid\":201,\"alive\":true,"), json);
            assertTrue(json.contains("{\"tier\":\"CRITICAL\",\"sent\":1000,\"sentPerSecond\":null,\"delivered\":0,"),
                json);
            assertTrue(json.contains("\"router\":null"), "no router view outside a router: " + json);
            assertTrue(json.contains("\"events\":[{\"event\":\"registrations\",\"id\":\"registrations\",\"value\":2," +
                "\"perSecond\":null}]"), "the router's non-zero counters, no rate on a first sample: " + json);
            assertTrue(json.contains("\"heartbeatFreshMs\":3000"), json);
            assertTrue(json.contains("{\"id\":\"implement\",\"phase\":\"implementation\",\"capability\":\"coding\"," +
                "\"dependsOn\":[\"design\"],\"state\":\"RUNNING\",\"agent\":\"bob\",\"percent\":40}"), json);
            assertTrue(json.contains("\"key\":\"automatic_recovery\",\"title\":\"automatic recovery\",\"percent\":null"),
                json);
            assertTrue(json.contains("\"kind\":\"inbox corrupt record\",\"message\":\"record length -1 at 4096\""),
                json);
        }
    }

    @Test
    void eventsPushASnapshotEachIntervalWhoseCountsAndRatesFollowTheCounters() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        final TestSnapshots.Process gamma = snapshots.process(CountersSnapshot.Role.AGENT, "gamma", 203);
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots).sampleIntervalMs(50))
            .counters(() ->
            {
                // each sample: 100 more messages, one second later
                gamma.add(Tier.CRITICAL, Pattern.SEND, CounterKind.SENT, 100);
                snapshots.clock.addAndGet(1_000);
                return snapshots.read();
            }).start())
        {
            final HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "events"))
                .timeout(Duration.ofSeconds(30)).GET().build();
            final HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type")
                .orElseThrow());
            final List<String> events = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while (events.size() < 3 && (line = lines.readLine()) != null)
                {
                    if (line.startsWith("data: "))
                    {
                        events.add(line.substring("data: ".length()));
                    }
                }
            }
            assertEquals(3, events.size());
            assertNotEquals(events.get(1), events.get(2));
            final String gammaLater = events.get(2).substring(events.get(2).indexOf("\"name\":\"gamma\""));
            assertTrue(gammaLater.contains("\"tier\":\"CRITICAL\",\"sent\":"), gammaLater);
            assertTrue(gammaLater.contains("\"sentPerSecond\":100,"), gammaLater);
        }
    }

    @Test
    void portOffStartsNothingAndATakenPortSaysWhichAndTheProperty() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        final IllegalStateException off = assertThrows(IllegalStateException.class,
            () -> MonitoringServer.builder(Http.anyPort(snapshots).port(MonitoringContext.NO_SERVER))
                .counters(snapshots).start());
        assertTrue(off.getMessage().contains("switchboard.metrics.port is off"), off.getMessage());
        try (MonitoringServer first = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final java.io.IOException taken = assertThrows(java.io.IOException.class,
                () -> MonitoringServer.builder(Http.anyPort(snapshots).port(first.port())).counters(snapshots)
                    .start());
            assertTrue(taken.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port() +
                " (switchboard.metrics.port): "), taken.getMessage());
        }
    }
}
