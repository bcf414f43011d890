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
 * reach agents on other hosts by name and get their responses, a host cut off and put back carries traffic again, and
 * a router killed with {@code kill -9} and restarted rejoins ({@link CrossHostPatternsTest}: every pattern across
 * three hosts). Hosts are network namespaces
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

    /**
     * A consumer on host 1 holds items of host 0's queue without acking them, and its router is killed with kill -9:
     * once host 0 finds its peer silent, it removes host 1's agents, and the held items reach a consumer on host 0,
     * each once, flagged redelivered.
     */
    @Test
    void workItemsHeldByAConsumerOfAKilledRouterAreRedeliveredToAnotherConsumer() throws Exception
    {
        try (ClusterHosts hosts = ClusterHosts.start(dir, 2))
        {
            final int held = 8; // the prefetch: the holder takes them all
            final Agent producer = hosts.agent(0, "Producer");
            final Agent holder = hosts.agent(1, "Holder");
            assertEquals("ok", holder.run("hold on"));
            assertEquals("ok", holder.run("consume work"));
            assertEquals("sent " + held, producer.run("enqueue work NORMAL " + held), hosts.describe());
            hosts.await(() -> holder.count("enqueue", "Producer")[0] >= held, "the holder to hold every item");
            final Agent taker = hosts.agent(0, "Taker");
            assertEquals("ok", taker.run("consume work"));

            hosts.killRouter(1);
            hosts.await(() -> taker.count("enqueue", "Producer")[0] >= held,
                "the items held on the killed router's host to reach the taker");
            final long[] taken = taker.count("enqueue", "Producer");
            assertEquals(held, taken[0], "each held item once");
            assertEquals(held, taken[2], "each flagged redelivered");
        }
    }

    static void awaitVisible(final ClusterHosts hosts, final Agent from, final String name)
    {
        hosts.await(() -> from.run("lookup " + name).startsWith("found "),
            name + " to be visible from " + from + " (registry replicated across hosts)");
    }
}
