/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cluster;

import java.nio.file.Path;

import dev.switchboard.cluster.ClusterHosts.Agent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Routers on several hosts form one namespace: agents (real processes, the client code an agent on one host uses)
 * reach agents on other hosts by name, every pattern crosses hosts counted and in order, a host cut off and put back
 * carries traffic again, and a router killed with {@code kill -9} and restarted rejoins. Hosts are network namespaces
 * the test makes ({@link ClusterHosts}); where those are not permitted, distinct loopback ports of this machine (the
 * link test then needs namespaces and is skipped).
 */
@Tag("slow")
@Timeout(180)
class CrossHostTest
{
    private static final int COUNT = 200;

    @TempDir
    Path dir;

    @Test
    void anAgentOnOneHostSendsByNameToAnAgentOnAnotherAndGetsItsResponses() throws Exception
    {
        try (ClusterHosts hosts = ClusterHosts.start(dir, 2))
        {
            final Agent caller = hosts.agent(0, "Caller");
            final Agent callee = hosts.agent(1, "Callee");
            awaitVisible(hosts, caller, "Callee");

            assertEquals("answered " + COUNT, caller.run("request Callee NORMAL " + COUNT), hosts.describe());
            assertEquals("sent " + COUNT, caller.run("send Callee NORMAL " + COUNT));
            callee.awaitCount(hosts, "send", "Caller", COUNT);
            assertEquals("sent " + COUNT, caller.run("send Callee CRITICAL " + COUNT), "CRITICAL to another host");
            callee.awaitCount(hosts, "send", "Caller", 2 * COUNT);
        }
    }

    @Test
    void everyPatternCrossesThreeHostsCountedAndInOrder() throws Exception
    {
        try (ClusterHosts hosts = ClusterHosts.start(dir, 3))
        {
            final Agent source = hosts.agent(0, "Source");
            final Agent one = hosts.agent(1, "One");
            final Agent two = hosts.agent(2, "Two");
            for (final Agent member : new Agent[] {one, two})
            {
                assertEquals("ok", member.run("subscribe prices"));
                assertEquals("ok", member.run("join desk"));
                assertEquals("ok", member.run("consume jobs"));
            }
            awaitVisible(hosts, source, "One");
            awaitVisible(hosts, source, "Two");

            assertEquals("sent " + COUNT, source.run("send Two NORMAL " + COUNT));
            two.awaitCount(hosts, "send", "Source", COUNT);

            assertEquals("answered " + COUNT, source.run("request One NORMAL " + COUNT));

            assertEquals("sent " + COUNT, source.run("publish prices NORMAL " + COUNT));
            one.awaitCount(hosts, "publish", "Source", COUNT);
            two.awaitCount(hosts, "publish", "Source", COUNT);

            assertEquals("sent " + COUNT, source.run("multicast desk NORMAL " + COUNT));
            one.awaitCount(hosts, "multicast", "Source", COUNT);
            two.awaitCount(hosts, "multicast", "Source", COUNT);

            assertEquals("sent " + COUNT, source.run("broadcast NORMAL " + COUNT));
            one.awaitCount(hosts, "broadcast", "Source", COUNT);
            two.awaitCount(hosts, "broadcast", "Source", COUNT);

            // Work items: each consumer gets its share in queue order; together, every item once.
            assertEquals("sent " + COUNT, source.run("enqueue jobs NORMAL " + COUNT));
            hosts.await(() -> one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0] >= COUNT,
                "every work item to be handed out");
            assertEquals(COUNT, one.count("enqueue", "Source")[0] + two.count("enqueue", "Source")[0],
                "no item twice in a healthy run");
        }
    }

    @Test
    void aHostCutOffAndPutBackCarriesTrafficAgain() throws Exception
    {
        try (ClusterHosts hosts = ClusterHosts.start(dir, 2))
        {
            assumeTrue(hosts.inNamespaces(), hosts::describe);
            final Agent sender = hosts.agent(0, "Sender");
            final Agent receiver = hosts.agent(1, "Receiver");
            awaitVisible(hosts, sender, "Receiver");
            assertEquals("sent " + COUNT, sender.run("send Receiver NORMAL " + COUNT));
            receiver.awaitCount(hosts, "send", "Sender", COUNT);

            hosts.namespaces().cutLink(1);
            hosts.await(() -> "absent".equals(sender.run("lookup Receiver")),
                "host 1's agents to leave host 0's view once the peer timed out");

            hosts.namespaces().restoreLink(1);
            awaitVisible(hosts, sender, "Receiver");
            final Agent after = hosts.agent(0, "After");
            awaitVisible(hosts, after, "Receiver");
            assertEquals("sent " + COUNT, after.run("send Receiver NORMAL " + COUNT));
            receiver.awaitCount(hosts, "send", "After", COUNT);
        }
    }

    @Test
    void aRouterKilledWithKill9AndRestartedRejoinsTheCluster() throws Exception
    {
        try (ClusterHosts hosts = ClusterHosts.start(dir, 2))
        {
            final Agent sender = hosts.agent(0, "Sender");
            hosts.agent(1, "Before");
            awaitVisible(hosts, sender, "Before");

            hosts.killRouter(1);
            hosts.await(() -> "absent".equals(sender.run("lookup Before")),
                "the killed router's agents to leave host 0's view");

            hosts.startRouter(1);
            final Agent receiver = hosts.agent(1, "Receiver");
            awaitVisible(hosts, sender, "Receiver");
            assertEquals("sent " + COUNT, sender.run("send Receiver NORMAL " + COUNT));
            receiver.awaitCount(hosts, "send", "Sender", COUNT);
            assertEquals("answered " + COUNT, sender.run("request Receiver NORMAL " + COUNT));
            assertTrue(hosts.router(1).process().isAlive());
        }
    }

    private static void awaitVisible(final ClusterHosts hosts, final Agent from, final String name)
    {
        hosts.await(() -> from.run("lookup " + name).startsWith("found "),
            name + " to be visible from " + from + " (registry replicated across hosts)");
    }
}
