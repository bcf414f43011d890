/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.net.http.HttpResponse;
import java.util.List;

import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.file.CountersSnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health/live} and {@code /health/ready}. */
class HealthEndpointTest
{
    private static MonitoringServer server(final TestSnapshots snapshots, final RouterView router) throws Exception
    {
        return MonitoringServer.builder(Http.anyPort(snapshots).routerPid(100)).counters(snapshots).router(router)
            .start();
    }

    @Test
    void liveAnswers200WhileTheServerRuns() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        try (MonitoringServer server = server(snapshots, TestSnapshots.acceptingRouter()))
        {
            final HttpResponse<String> live = Http.get(server, "/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("{\"live\":true}", live.body().strip());
        }
    }

    @Test
    void readyWhenTheRoutersHeartbeatIsFreshItAcceptsAndItsTiersWereProbed() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        snapshots.clock.addAndGet(2_900);
        try (MonitoringServer server = server(snapshots, TestSnapshots.acceptingRouter()))
        {
            final HttpResponse<String> ready = Http.get(server, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().startsWith("{\"ready\":true,\"notReady\":[],"), ready.body());
            assertTrue(ready.body().contains("HIGH falls back (io_uring unavailable: falls back to NORMAL)"),
                ready.body());
        }
    }

    @Test
    void aStaleRouterHeartbeatIs503NamingTheRouterCheck() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        snapshots.clock.addAndGet(3_000);
        try (MonitoringServer server = server(snapshots, TestSnapshots.acceptingRouter()))
        {
            final HttpResponse<String> ready = Http.get(server, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("{\"ready\":false,\"notReady\":[\"router\"],"), ready.body());
            assertTrue(ready.body().contains("heartbeat 3.0 s old, fresh is under 3000 ms"), ready.body());
        }
    }

    @Test
    void noRouterFileAndARouterThatStoppedAcceptingAreNotReady() throws Exception
    {
        final TestSnapshots snapshots = new TestSnapshots();
        snapshots.process(CountersSnapshot.Role.AGENT, "alpha", 201);
        final RouterView stopped = new RouterView()
        {
            @Override
            public boolean accepting()
            {
                return false;
            }

            @Override
            public List<TierState> tiers()
            {
                return List.of();
            }
        };
        try (MonitoringServer server = server(snapshots, stopped))
        {
            final HttpResponse<String> ready = Http.get(server, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"notReady\":[\"router\",\"accepting\",\"tiers\"]"), ready.body());
            assertTrue(ready.body().contains("no counters file of router pid 100 in /dev/shm/test"), ready.body());
        }
    }

    @Test
    void aRouterProcessThatIsGoneIsNotReadyWhateverItsLastHeartbeat() throws Exception
    {
        final TestSnapshots snapshots = new TestSnapshots();
        snapshots.process(CountersSnapshot.Role.ROUTER, "switchboard-test", 100).alive = false;
        try (MonitoringServer server = server(snapshots, TestSnapshots.acceptingRouter()))
        {
            final HttpResponse<String> ready = Http.get(server, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("is not running (its counters file is left over)"), ready.body());
        }
    }

    @Test
    void oneStuckRecordIsReadyButAStuckCountThatKeepsRisingIsNot() throws Exception
    {
        final TestSnapshots snapshots = new TestSnapshots();
        snapshots.process(CountersSnapshot.Role.ROUTER, "switchboard-test", 100);
        final TestSnapshots.Process alpha = snapshots.process(CountersSnapshot.Role.AGENT, "alpha", 201);
        try (MonitoringServer server = MonitoringServer.builder(Http.anyPort(snapshots).routerPid(100)
            .sampleIntervalMs(3_600_000)).counters(snapshots).router(TestSnapshots.acceptingRouter()).start())
        {
            assertEquals(200, Http.get(server, "/health/ready").statusCode());
            alpha.set(RouterCounter.INBOX_RECORDS_UNBLOCKED, 1);
            snapshots.clock.addAndGet(1_000);
            assertEquals(200, Http.get(server, "/health/ready").statusCode(), "one sender that died mid-write");
            alpha.set(RouterCounter.INBOX_RECORDS_UNBLOCKED, 2);
            snapshots.clock.addAndGet(1_000);
            final HttpResponse<String> stuck = Http.get(server, "/health/ready");
            assertEquals(503, stuck.statusCode(), stuck.body());
            assertTrue(stuck.body().contains("\"notReady\":[\"inboxes\"]"), stuck.body());
            assertTrue(stuck.body().contains("agent alpha (pid 201): stuck records rose 2 times in the last 10000 ms " +
                "(now 2)"), stuck.body());
        }
    }

    @Test
    void aViewThatFailsIsA500SayingWhyNotAHangingRequest() throws Exception
    {
        final TestSnapshots snapshots = TestSnapshots.typical();
        final RouterView broken = new RouterView()
        {
            @Override
            public boolean accepting()
            {
                throw new IllegalStateException("the router's state is gone");
            }

            @Override
            public List<TierState> tiers()
            {
                return List.of();
            }
        };
        try (MonitoringServer server = server(snapshots, broken))
        {
            final HttpResponse<String> ready = Http.get(server, "/health/ready");
            assertEquals(500, ready.statusCode());
            assertTrue(ready.body().contains("cannot answer /health/ready: java.lang.IllegalStateException: the " +
                "router's state is gone"), ready.body());
            assertEquals(200, Http.get(server, "/health/live").statusCode());
        }
    }
}
