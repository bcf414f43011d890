/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.cluster.ClusterHosts.Agent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
        assertEquals("sent " + COUNT, source.run("send One HIGH " + COUNT), "HIGH, host 0 to host 1");
        one.awaitCount(hosts, "send", "Source", COUNT);
    }

    @Test
    void lowIsStoredAndForwardedToAnAgentOnAnotherHostEachOnceInOrder()
    {
        // Two to One: a pair no other test of this class sends on (the agents count per kind and sender).
        assertEquals("sent " + COUNT, two.run("send One LOW " + COUNT), hosts.describe());
        one.awaitCount(hosts, "send", "Two", COUNT);
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
    void publishReachesTheSubscribersOnEveryOtherHost()
    {
        assertEquals("ok", one.run("subscribe prices"));
        assertEquals("ok", two.run("subscribe prices"));
        awaitReplicated("publish prices", "the subscriptions on hosts 1 and 2 to reach host 0");
        assertEquals("sent " + COUNT, source.run("publish prices NORMAL " + COUNT));
        one.awaitCount(hosts, "publish", "Source", COUNT);
        two.awaitCount(hosts, "publish", "Source", COUNT);
    }

    @Test
    void multicastReachesTheGroupsMembersOnEveryOtherHost()
    {
        assertEquals("ok", one.run("join desk"));
        assertEquals("ok", two.run("join desk"));
        awaitReplicated("multicast desk", "the memberships on hosts 1 and 2 to reach host 0");
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
    void workItemsAreSharedByTheConsumersOnOtherHostsEachOnce()
    {
        assertEquals("ok", one.run("consume jobs"));
        assertEquals("ok", two.run("consume jobs"));
        awaitReplicated("enqueue jobs", "the consumers on hosts 1 and 2 to reach host 0");
        assertEquals("sent " + COUNT, source.run("enqueue jobs NORMAL " + COUNT));
        hosts.await(() -> one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0] >= COUNT,
            "every work item to be handed out");
        assertEquals(COUNT, one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0],
            "no item twice in a healthy run");
        assertEquals(0, one.count("enqueue", "Source")[1], "One's share in queue order");
        assertEquals(0, two.count("enqueue", "Source")[1], "Two's share in queue order");
        assertEquals(0, one.count("enqueue", "Source")[2] + two.count("enqueue", "Source")[2], "none redelivered");
    }

    /**
     * One consumer on another host, many more items than its prefetch (8): it gets them all only if its acks reach
     * the router that holds the items. Then it stops consuming (what it still held would be redelivered) and consumes
     * again, and one more item is enqueued: it gets that one alone, so no acked item was ever redelivered.
     */
    @Test
    void acksCrossTheBridgeAndAnAckedItemIsNeverRedelivered() throws Exception
    {
        final Agent acker = hosts.agent(1, "Acker");
        assertEquals("ok", acker.run("consume acked"));
        assertEquals("sent " + COUNT, source.run("enqueue acked NORMAL " + COUNT), hosts.describe());
        acker.awaitCount(hosts, "enqueue", "Source", COUNT);
        assertEquals("ok", acker.run("stop acked"));
        assertEquals("ok", acker.run("consume acked"));
        assertEquals("sent 1", source.run("enqueue acked NORMAL 1"));
        acker.awaitCount(hosts, "enqueue", "Source", COUNT + 1);
        assertEquals(0, acker.count("enqueue", "Source")[2], "no item redelivered");
    }

    /**
     * A consumer on host 1 holds items without acking them and is killed (kill -9 of its process): its router removes
     * it, the router that holds the items (host 0) redelivers them to the consumer on host 2, flagged redelivered.
     */
    @Test
    void itemsHeldByAKilledRemoteConsumerReachTheOtherConsumerRedelivered() throws Exception
    {
        final int held = 8; // the prefetch: the holder takes them all
        final Agent holder = hosts.agent(1, "Holder");
        final Agent taker = hosts.agent(2, "Taker");
        assertEquals("ok", holder.run("hold on"));
        assertEquals("ok", holder.run("consume tasks"));
        assertEquals("sent " + held, source.run("enqueue tasks NORMAL " + held), hosts.describe());
        hosts.await(() -> holder.count("enqueue", "Source")[0] >= held, "the holder to hold every item");
        assertEquals("ok", taker.run("consume tasks"));
        holder.child.kill();
        assertEquals(137, holder.child.awaitExit(ClusterHosts.WAIT), "killed with SIGKILL");
        hosts.await(() -> taker.count("enqueue", "Source")[0] >= held, "the held items to reach the taker");
        final long[] taken = taker.count("enqueue", "Source");
        assertEquals(held, taken[0], "each held item once");
        assertEquals(held, taken[2], "each flagged redelivered");
    }

    /**
     * Subscriptions, memberships and consumers reach the other routers a little after the call returns (replicated
     * over the bridge): send probes ({@code probe} messages, not counted as the pattern's) until One and Two each got
     * one.
     */
    private void awaitReplicated(final String command, final String what)
    {
        assertEquals("ok", source.run("label probe"));
        final String[] words = command.split(" ");
        hosts.await(() ->
        {
            if (one.count("probe", "Source")[0] > 0 && two.count("probe", "Source")[0] > 0)
            {
                return true;
            }
            source.run(words[0] + " " + words[1] + " NORMAL 1");
            return false;
        }, what);
        assertEquals("ok", source.run("label -"));
        assertEquals("ok", one.run("reset probe Source"));
        assertEquals("ok", two.run("reset probe Source"));
    }
}
