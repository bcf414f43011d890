/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.net.http.HttpResponse;
import java.util.List;

import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.metrics.MetricNames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics}: the counters files as Prometheus text, made at scrape time. */
class MetricsEndpointTest
{
    private static String scrape(final MonitoringServer server)
    {
        final HttpResponse<String> response = Http.get(server, "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        return response.body();
    }

    private static void assertLine(final String body, final String line)
    {
        assertTrue(body.lines().anyMatch(line::equals), "no line\n  " + line + "\nin\n" + body);
    }

    @Test
    void messageCountersCarryTheProcessAndTheTierPatternAndKindOfTheirLabel() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final String body = scrape(server);
            assertLine(body, "switchboard_messages_total{kind=\"sent\",name=\"alpha\",pattern=\"SEND\",pid=\"201\"," +
                "role=\"agent\",tier=\"CRITICAL\"} 1000.0");
            assertLine(body, "switchboard_messages_total{kind=\"back_pressured\",name=\"alpha\",pattern=\"SEND\"," +
                "pid=\"201\",role=\"agent\",tier=\"CRITICAL\"} 7.0");
            assertLine(body, "switchboard_messages_total{kind=\"delivered\",name=\"switchboard-test\"," +
                "pattern=\"PUBLISH\",pid=\"100\",role=\"router\",tier=\"NORMAL\"} 80.0");
            assertLine(body, "switchboard_events_total{event=\"registrations\",name=\"switchboard-test\",pid=\"100\"," +
                "role=\"router\"} 2.0");
            assertLine(body, "switchboard_events_total{event=\"inbox_records_unblocked\",name=\"beta\",pid=\"202\"," +
                "role=\"agent\"} 0.0");
        }
    }

    @Test
    void histogramsAreCumulativeBucketsInSecondsWithSumAndCount() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final String body = scrape(server);
            final String labels = "histogram=\"request_response\",name=\"alpha\",pid=\"201\",role=\"agent\"";
            assertLine(body, "# TYPE switchboard_latency_seconds histogram");
            assertLine(body, "switchboard_latency_seconds_bucket{" + labels + ",le=\"1.0E-6\"} 5");
            assertLine(body, "switchboard_latency_seconds_bucket{" + labels + ",le=\"1.0E-5\"} 8");
            assertLine(body, "switchboard_latency_seconds_bucket{" + labels + ",le=\"1.0E-4\"} 10");
            assertLine(body, "switchboard_latency_seconds_bucket{" + labels + ",le=\"+Inf\"} 10");
            assertLine(body, "switchboard_latency_seconds_count{" + labels + "} 10");
            assertLine(body, "switchboard_latency_seconds_sum{" + labels + "} 1.5E-4");
        }
    }

    @Test
    void distinctErrorsAreCountedByKindAndProcessesReportLivenessAndHeartbeatAge() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        snapshots.clock.addAndGet(2_500);
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(snapshots).start())
        {
            final String body = scrape(server);
            assertLine(body, "switchboard_errors_total{kind=\"inbox corrupt record\",name=\"alpha\",pid=\"201\"," +
                "role=\"agent\"} 3.0");
            assertLine(body, "switchboard_up{name=\"beta\",pid=\"202\",role=\"agent\"} 1.0");
            assertLine(body, "switchboard_heartbeat_age_seconds{name=\"beta\",pid=\"202\",role=\"agent\"} 2.5");
        }
    }

    @Test
    void countersThatCannotBeReadAreLeftOutAndCountedNotServedAsZero() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        final CountersSource broken = () ->
        {
            throw new IllegalStateException("/dev/shm/test: permission denied");
        };
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots)).counters(broken).start())
        {
            final String body = scrape(server);
            assertFalse(body.contains("switchboard_messages_total"), body);
            assertFalse(body.contains("switchboard_up"), body);
            assertTrue(body.lines().anyMatch(l -> l.startsWith(MetricNames.READ_FAILURES + " ") && !l.endsWith(" 0.0")),
                body);
        }
    }

    @Test
    void aStaleFileOfTheSameProcessDoesNotDoubleItsSeries() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        final CountersSnapshot alpha = snapshots.read().stream().filter(s -> s.pid() == 201).findFirst().orElseThrow();
        final CountersSnapshot stale = new CountersSnapshot(alpha.file().resolveSibling("stale"), alpha.role(),
            alpha.name(), alpha.pid(), alpha.startMs(), alpha.heartbeatMs() - 60_000, false, alpha.counters(),
            alpha.histograms(), alpha.errors());
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots))
            .counters(() -> List.of(alpha, stale)).start())
        {
            final String body = scrape(server);
            assertLine(body, "switchboard_up{name=\"alpha\",pid=\"201\",role=\"agent\"} 1.0");
        }
    }

    @Test
    void routerAndOrchestratorStateIsServedBesideTheCounters() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots).routerPid(100))
            .counters(snapshots).router(TestSnapshots.acceptingRouter()).orchestrator(TestSnapshots.orchestrator())
            .start())
        {
            final String body = scrape(server);
            assertLine(body, "switchboard_router_accepting 1.0");
            assertLine(body, "switchboard_tier_available{tier=\"HIGH\"} 0.0");
            assertLine(body, "switchboard_ready 1.0");
            assertLine(body, "switchboard_workflows{status=\"RUNNING\"} 1.0");
            assertLine(body, "switchboard_workflow_progress_percent{workflow=\"feature[15]\"} 50.0");
            assertLine(body, "switchboard_workflow_tasks{state=\"PENDING\",workflow=\"feature[15]\"} 1.0");
            assertLine(body, "switchboard_gate_state{phase=\"design\",state=\"PASSED\",workflow=\"feature[15]\"} 1.0");
            assertLine(body, "switchboard_gate_evaluations_total{phase=\"design\",result=\"passed\"," +
                "workflow=\"feature[15]\"} 1.0");
            assertLine(body, "switchboard_success_ratio{metric=\"handoff_success\"} 0.95");
            assertFalse(body.contains("switchboard_success_ratio{metric=\"automatic_recovery\"}"),
                "a metric with no case has no value: " + body);
            assertLine(body, "switchboard_success_cases{metric=\"automatic_recovery\"} 0.0");
        }
    }
}
