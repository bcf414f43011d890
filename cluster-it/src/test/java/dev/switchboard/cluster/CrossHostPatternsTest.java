/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.cluster.ClusterHosts.Agent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static dev.switchboard.cluster.CrossHostTest.awaitVisible;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every pattern across three hosts, each host with its router and the agents as real processes: {@code Source} on
 * host 0, {@code One} on host 1 and {@code Two} on host 2. Every message is counted at each receiver (exactly once)
 * and checked in order per sender. One cluster for the class (its tests use names of their own); network namespaces,
 * or loopback ports where they are not permitted.
 */
@Tag("slow")
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossHostPatternsTest
{
    private static final int COUNT = 200;
    /** Enough 1-KiB messages to fill the bridge's publication many times over (a 4 MiB term). */
    private static final int MANY = 20_000;

    private Path dir;
    private ClusterHosts hosts;
    private Agent source;
    private Agent one;
    private Agent two;

    @BeforeAll
    void startThreeHosts() throws Exception
    {
        dir = Files.createTempDirectory(Path.of("target"), "cross-host-patterns-");
        hosts = ClusterHosts.start(dir, 3);
        source = hosts.agent(0, "Source");
        one = hosts.agent(1, "One");
        two = hosts.agent(2, "Two");
        awaitVisible(hosts, source, "One");
        awaitVisible(hosts, source, "Two");
        awaitVisible(hosts, one, "Two");
    }

    @AfterAll
    void stopThem()
    {
        if (null != hosts)
        {
            hosts.close();
        }
    }

    @Test
    void sendByNameReachesAnAgentOnAnotherHostInOrder()
    {
        assertEquals("sent " + COUNT, source.run("send Two NORMAL " + COUNT), hosts.describe());
        two.awaitCount(hosts, "send", "Source", COUNT);
        assertEquals("sent " + COUNT, one.run("send Two CRITICAL " + COUNT), "CRITICAL, host 1 to host 2");
        two.awaitCount(hosts, "send", "One", COUNT);
    }

    @Test
    void manyOneKilobyteMessagesCrossHostsEachOnceInOrder()
    {
        assertEquals("sent " + MANY, one.run("send Source NORMAL " + MANY + " 1024"), hosts.describe());
        source.awaitCount(hosts, "send", "One", MANY);
        assertEquals("sent " + MANY, two.run("send Source CRITICAL " + MANY + " 1024"));
        source.awaitCount(hosts, "send", "Two", MANY);
    }

    @Test
    void requestsToAnAgentOnAnotherHostAreEachAnswered()
    {
        assertEquals("answered " + COUNT, source.run("request One NORMAL " + COUNT), hosts.describe());
        assertEquals("answered " + COUNT, two.run("request Source NORMAL " + COUNT));
    }

    @Test
    @Disabled("bridge: subscriptions are not replicated to peer routers yet (publish reaches no subscriber on another host)")
    void publishReachesTheSubscribersOnEveryOtherHost()
    {
        assertEquals("ok", one.run("subscribe prices"));
        assertEquals("ok", two.run("subscribe prices"));
        assertEquals("sent " + COUNT, source.run("publish prices NORMAL " + COUNT));
        one.awaitCount(hosts, "publish", "Source", COUNT);
        two.awaitCount(hosts, "publish", "Source", COUNT);
    }

    @Test
    @Disabled("bridge: group memberships are not replicated to peer routers yet (multicast reaches no member on another host)")
    void multicastReachesTheGroupsMembersOnEveryOtherHost()
    {
        assertEquals("ok", one.run("join desk"));
        assertEquals("ok", two.run("join desk"));
        assertEquals("sent " + COUNT, source.run("multicast desk NORMAL " + COUNT));
        one.awaitCount(hosts, "multicast", "Source", COUNT);
        two.awaitCount(hosts, "multicast", "Source", COUNT);
    }

    @Test
    void broadcastReachesTheAgentsOfEveryOtherHost()
    {
        assertEquals("sent " + COUNT, source.run("broadcast NORMAL " + COUNT));
        one.awaitCount(hosts, "broadcast", "Source", COUNT);
        two.awaitCount(hosts, "broadcast", "Source", COUNT);
    }

    @Test
    @Disabled("bridge: work-queue consumers are not replicated to peer routers yet (no item reaches a consumer on another host)")
    void workItemsAreSharedByTheConsumersOnOtherHostsEachOnce()
    {
        assertEquals("ok", one.run("consume jobs"));
        assertEquals("ok", two.run("consume jobs"));
        assertEquals("sent " + COUNT, source.run("enqueue jobs NORMAL " + COUNT));
        hosts.await(() -> one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0] >= COUNT,
            "every work item to be handed out");
        assertEquals(COUNT, one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0],
            "no item twice in a healthy run");
        assertEquals(0, one.count("enqueue", "Source")[1], "One's share in queue order");
        assertEquals(0, two.count("enqueue", "Source")[1], "Two's share in queue order");
    }
}
