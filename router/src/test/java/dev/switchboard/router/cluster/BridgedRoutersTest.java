package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.agent;
import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.clustered;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two and three routers in this JVM, each with its own runtime dir, embedded media driver and loopback UDP endpoint,
 * bridged over Aeron: agents of one reach agents of another by name with the client calls they use locally. (The
 * routers share nothing but the network; a router killed with {@code kill -9} is {@link KilledPeerRouterTest}'s.)
 */
class BridgedRoutersTest
{
    @TempDir
    Path dir;

    @Test
    void anAgentSendsByNameToAnAgentOnAnotherRouterAndGetsItsResponse() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient bob = agent(ipcB, "bob"))
        {
            await("alice sees bob", () -> alice.lookup("bob") != null);
            await("bob sees alice", () -> bob.lookup("alice") != null);
            final AgentInfo bobSeenByAlice = alice.lookup("bob");
            assertEquals(bob.name(), bobSeenByAlice.name());
            assertEquals("", bobSeenByAlice.inbox() == null ? "" : bobSeenByAlice.inbox(),
                "a remote agent has no inbox here: its frames go through the router and the bridge");
            assertEquals(b, bobSeenByAlice.host(), "a remote agent's host is its router's cluster endpoint");
            assertEquals("", bob.lookup("bob").host(), "an agent of the answering router has no host");

            // send by name, NORMAL and CRITICAL, in order per sender
            final int count = 2000;
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            final List<Long> received = new ArrayList<>();
            int sent = 0;
            while (sent < count)
            {
                payload.putLong(0, sent);
                final Priority priority = (sent & 1) == 0 ? Priority.NORMAL : Priority.CRITICAL;
                final int status = alice.send("bob", priority, payload, 0, 16);
                if (status == OfferStatus.OK)
                {
                    sent++;
                }
                else
                {
                    assertEquals(OfferStatus.BACK_PRESSURED, status, OfferStatus.name(status));
                }
                bob.poll(m -> received.add(m.buffer().getLong(m.payloadOffset())));
                alice.poll(m -> { });
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < count && System.nanoTime() < deadline)
            {
                bob.poll(m -> received.add(m.buffer().getLong(m.payloadOffset())));
                alice.poll(m -> { });
            }
            assertEquals(count, received.size(), () -> "router a:\n" + routerA.router().counters().report() +
                "router b:\n" + routerB.router().counters().report());
            // One priority's frames keep their order; the two priorities travel the same routed path here.
            long lastNormal = -1;
            long lastCritical = -1;
            for (final long seq : received)
            {
                if ((seq & 1) == 0)
                {
                    assertTrue(seq > lastNormal, "NORMAL out of order: " + seq + " after " + lastNormal);
                    lastNormal = seq;
                }
                else
                {
                    assertTrue(seq > lastCritical, "CRITICAL out of order: " + seq + " after " + lastCritical);
                    lastCritical = seq;
                }
            }

            // request / response
            final long bobId = alice.agentIdOf("bob");
            final String[] answer = new String[1];
            final UnsafeBuffer question = new UnsafeBuffer("ping".getBytes());
            final long correlation = alice.request(bobId, Priority.NORMAL, question, 0, 4,
                TimeUnit.SECONDS.toNanos(30), new ResponseHandler()
                {
                    @Override
                    public void onResponse(final long correlationId, final Message response)
                    {
                        answer[0] = response.payloadAsString();
                    }

                    @Override
                    public void onTimeout(final long correlationId)
                    {
                        answer[0] = "timeout";
                    }
                });
            assertTrue(correlation > 0, OfferStatus.name(correlation));
            final long aliceIdOnB = bob.lookup("alice").agentId();
            await("bob answers alice", () ->
            {
                bob.poll(m ->
                {
                    if (m.pattern() == Pattern.REQUEST)
                    {
                        assertEquals(aliceIdOnB, m.sourceAgentId(),
                            "the requester is alice's id on bob's router");
                        final UnsafeBuffer pong = new UnsafeBuffer(("pong:" + m.payloadAsString()).getBytes());
                        assertEquals(OfferStatus.OK, bob.respond(m, pong, 0, pong.capacity()));
                    }
                });
                alice.poll(m -> { });
                return answer[0] != null;
            });
            assertEquals("pong:ping", answer[0]);

            // broadcast reaches the other router's agents too
            final String[] broadcast = new String[1];
            final UnsafeBuffer hello = new UnsafeBuffer("all".getBytes());
            await("alice's broadcast is accepted", () -> alice.broadcast(Priority.NORMAL, hello, 0, 3) == OfferStatus.OK);
            final long broadcastDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (broadcast[0] == null && System.nanoTime() < broadcastDeadline)
            {
                bob.poll(m ->
                {
                    if (m.pattern() == Pattern.BROADCAST)
                    {
                        broadcast[0] = m.payloadAsString();
                    }
                });
                alice.poll(m -> { });
            }
            assertEquals("all", broadcast[0], () -> "router a:\n" + routerA.router().counters().report() +
                "router b:\n" + routerB.router().counters().report());

            assertTrue(routerA.router().counters().block().get(RouterCounter.CLUSTER_FRAMES_OUT) >= count);
            assertTrue(routerB.router().counters().block().get(RouterCounter.CLUSTER_FRAMES_IN) >= count);
            assertEquals(0, routerA.router().counters().block().get(RouterCounter.CLUSTER_MAC_FAILURES));
            assertEquals(0, routerB.router().counters().block().get(RouterCounter.CLUSTER_MAC_FAILURES));
        }
    }

    @Test
    void lowToAnAgentOnAnotherRouterIsForwardedExactlyOnceInOrderAndConfirmedAndTooLargeIsRefusedAtSend()
        throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient bob = agent(ipcB, "bob");
            SwitchboardClient carol = agent(ipcB, "carol"))
        {
            await("alice sees bob", () -> alice.lookup("bob") != null);
            await("bob sees alice", () -> bob.lookup("alice") != null);
            final AgentInfo bobThere = alice.lookup("bob");
            assertTrue((bobThere.tiers() & Tier.LOW.mask()) != 0, "LOW reaches bob from router A: " + bobThere);

            final int count = 300;
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            final Destination toBob = alice.destination(bobThere.agentId(), Priority.LOW);
            for (int i = 0; i < count; i++)
            {
                payload.putLong(0, i);
                await("alice's LOW send " + i + " is durable on her host", () ->
                {
                    if (alice.send(toBob, payload, 0, 8) == OfferStatus.OK)
                    {
                        return true;
                    }
                    alice.poll(m -> { });
                    return false;
                });
            }
            // over the bridge's largest LOW frame: refused at send, counted, never appended
            final UnsafeBuffer big = new UnsafeBuffer(new byte[dev.switchboard.codecs.BridgeLimits.MAX_LOW_FRAME_LENGTH]);
            final long refusedBefore = alice.counter(RouterCounter.LOW_REFUSED_REMOTE_RECEIVER);
            assertEquals(OfferStatus.TOO_LARGE, alice.send(toBob, big, 0, big.capacity()));
            assertEquals(refusedBefore + 1, alice.counter(RouterCounter.LOW_REFUSED_REMOTE_RECEIVER));

            // LOW between agents of one router is delivered as before, beside the forwarded stream
            payload.putLong(0, -42);
            await("carol's LOW send to bob is accepted",
                () -> carol.send("bob", Priority.LOW, payload, 0, 8) == OfferStatus.OK);

            final List<Long> fromAlice = new ArrayList<>();
            final List<Long> fromCarol = new ArrayList<>();
            final long aliceThere = bob.lookup("alice").agentId();
            await("bob gets alice's " + count + " LOW messages and carol's", () ->
            {
                bob.poll(m ->
                {
                    assertEquals(Priority.LOW, m.priority());
                    final long value = m.buffer().getLong(m.payloadOffset());
                    if (m.sourceAgentId() == carol.agentId())
                    {
                        fromCarol.add(value);
                    }
                    else
                    {
                        assertEquals(aliceThere, m.sourceAgentId(), "the source is alice's proxy on bob's router");
                        fromAlice.add(value);
                    }
                });
                return fromAlice.size() >= count && !fromCarol.isEmpty();
            });
            for (int i = 0; i < count; i++)
            {
                assertEquals((long)i, fromAlice.get(i), "in order, each once: " + fromAlice);
            }
            assertEquals(List.of(-42L), fromCarol);
            await("router A counts every frame confirmed (delivered)", () ->
                routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_CONFIRMED) == count);
            assertEquals(count, routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_APPENDED));
            bob.poll(m -> fail("nothing more reaches bob: " + m.buffer().getLong(m.payloadOffset())));
        }
    }

    @Test
    void aWatcherSeesWhereARemoteAgentLivesInItsRegistryEvents() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        final List<String> events = new ArrayList<>();
        final ClientListener listener = new ClientListener()
        {
            @Override
            public void onAgentEvent(final long agentId, final AgentEventKind kind, final String name, final String host)
            {
                events.add(kind + " " + name + " @" + host);
            }
        };
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient walt = SwitchboardClient.connect(
                new ClientContext().connection(IpcConnection.connect(ipcA)).listener(listener)))
        {
            walt.register("walt");
            walt.watchRegistry();
            try (SwitchboardClient local = agent(ipcA, "local");
                SwitchboardClient remote = agent(ipcB, "remote"))
            {
                await("walt hears of both", () ->
                {
                    walt.poll(m -> { });
                    return events.contains("REGISTERED local @") && events.contains("REGISTERED remote @" + b);
                });
                assertEquals(b, walt.lookup("remote").host());
                assertEquals("", walt.lookup("local").host());
            }
            await("walt hears the remote agent leave, with its host", () ->
            {
                walt.poll(m -> { });
                return events.stream().anyMatch(e -> e.startsWith("DEREGISTERED remote @"));
            });
            assertTrue(events.contains("DEREGISTERED remote @" + b), events.toString());
        }
    }

    @Test
    void aNameHeldOnOneRouterIsRefusedOnAnotherAndFreedWhenItsAgentLeaves() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient watcher = agent(ipcA, "watcher"))
        {
            final SwitchboardClient bob = agent(ipcB, "bob");
            await("router a sees bob", () -> watcher.lookup("bob") != null);
            final SwitchboardClient impostor = dev.switchboard.client.SwitchboardClient.connect(
                new dev.switchboard.client.ClientContext().connection(dev.switchboard.ipc.IpcConnection.connect(ipcA)));
            try
            {
                final SwitchboardException refused = assertThrows(SwitchboardException.class,
                    () -> impostor.register("bob"));
                assertTrue(refused.getMessage().contains("bob"), refused.getMessage());
                bob.close();
                await("bob's departure reaches router a", () -> watcher.lookup("bob") == null);
                impostor.register("bob");
                await("router b sees the new bob", () -> routerB.router() != null && lookupOn(ipcB, "bob"));
            }
            finally
            {
                impostor.close();
            }
        }
    }

    private static boolean lookupOn(final IpcContext ipc, final String name)
    {
        try (SwitchboardClient probe = SwitchboardClient.connect(
            new dev.switchboard.client.ClientContext().connection(dev.switchboard.ipc.IpcConnection.connect(ipc))))
        {
            probe.register("probe-" + System.nanoTime());
            return probe.lookup(name) != null;
        }
    }

    @Test
    void aRouterWithoutTheSecretIsRefusedAndCountedAndItsAgentsStayOut() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final Path otherSecret = dir.resolve("other-secret");
        SecretFile.create(otherSecret);
        final String a = freeEndpoint();
        final String c = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcC = new IpcContext().underDirectory(dir.resolve("c"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, c, secret), ipcA);
            RouterProcess routerC = RouterProcess.launch(clustered(c, a, otherSecret), ipcC);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient mallory = agent(ipcC, "mallory"))
        {
            await("router a refuses router c", () ->
                routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_REFUSED) >= 3);
            assertNull(alice.lookup("mallory"));
            assertNull(mallory.lookup("alice"));
            assertEquals(0, routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_CONNECTED));
            assertEquals(0, routerC.router().counters().block().get(RouterCounter.CLUSTER_PEERS_CONNECTED));
            assertTrue(routerC.router().counters().block().get(RouterCounter.CLUSTER_PEERS_REFUSED) > 0);
        }
    }

    @Test
    void threeRoutersFromOneSeedFormOneNamespace() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final String c = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        final IpcContext ipcC = new IpcContext().underDirectory(dir.resolve("c"));
        // a knows nobody; b and c name a (and c names b): a learns them when they prove the secret
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, "", secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            RouterProcess routerC = RouterProcess.launch(clustered(c, a + "," + b, secret), ipcC);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient bob = agent(ipcB, "bob");
            SwitchboardClient carol = agent(ipcC, "carol"))
        {
            await("alice sees bob and carol", () -> alice.lookup("bob") != null && alice.lookup("carol") != null);
            await("carol sees alice and bob", () -> carol.lookup("alice") != null && carol.lookup("bob") != null);
            await("bob sees carol", () -> bob.lookup("carol") != null);
            final String[] got = new String[1];
            final UnsafeBuffer text = new UnsafeBuffer("from carol".getBytes());
            await("carol's send to alice is accepted",
                () -> carol.send("alice", Priority.NORMAL, text, 0, text.capacity()) == OfferStatus.OK);
            await("alice gets carol's message", () ->
            {
                alice.poll(m -> got[0] = m.payloadAsString());
                carol.poll(m -> { }); // a client flushes what it sent on its socket from its poll
                return got[0] != null;
            });
            assertEquals("from carol", got[0]);
        }
    }
    @Test
    void publishAndMulticastReachSubscribersAndMembersOnEveryRouterInOrder() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient carol = agent(ipcA, "carol");
            SwitchboardClient bob = agent(ipcB, "bob"))
        {
            final long news = bob.subscribe("news");
            carol.subscribe("news");
            final long ops = bob.joinGroup("ops");
            // a multicast before bob's membership reaches router a is refused there (no such group): send until one
            // arrives
            final UnsafeBuffer one = new UnsafeBuffer(new byte[8]);
            await("bob gets a multicast from alice", () ->
            {
                alice.multicast(ops, Priority.NORMAL, one, 0, 8);
                for (int i = 0; i < 50; i++)
                {
                    alice.poll(m -> { });
                    bob.poll(m -> record(m, new ArrayList<>()));
                    Thread.onSpinWait();
                }
                return multicastsSeen > 0;
            });
            final int count = 500;
            final List<Long> bobGot = new ArrayList<>();
            final List<Long> carolGot = new ArrayList<>();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            int sent = 0;
            while (sent < count)
            {
                payload.putLong(0, sent);
                final int status = alice.publish(news, Priority.NORMAL, payload, 0, 8);
                if (status == OfferStatus.OK)
                {
                    sent++;
                }
                bob.poll(m -> record(m, bobGot));
                carol.poll(m -> record(m, carolGot));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((bobGot.size() < count || carolGot.size() < count) && System.nanoTime() < deadline)
            {
                alice.poll(m -> { });
                bob.poll(m -> record(m, bobGot));
                carol.poll(m -> record(m, carolGot));
            }
            assertEquals(count, carolGot.size(), "the local subscriber");
            assertEquals(count, bobGot.size(), "the subscriber on the other router");
            for (int i = 0; i < count; i++)
            {
                assertEquals(i, bobGot.get(i), "in order across the bridge");
            }
        }
    }

    @Test
    void aReceiverThatStopsReadingBackPressuresTheSenderAcrossTheBridgeAndNothingIsLost() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient bob = agent(ipcB, "bob"))
        {
            await("alice sees bob", () -> alice.lookup("bob") != null);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
            long sent = 0;
            int status = OfferStatus.OK;
            // bob reads nothing: its socket, router b's hold, the Aeron window, router a's hold and alice's socket fill
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline)
            {
                payload.putLong(0, sent);
                status = alice.send("bob", Priority.NORMAL, payload, 0, payload.capacity());
                if (status == OfferStatus.OK)
                {
                    sent++;
                    continue;
                }
                assertEquals(OfferStatus.BACK_PRESSURED, status, OfferStatus.name(status));
                if (routerA.router().counters().block().get(RouterCounter.CLUSTER_BACK_PRESSURED) > 0 && sent > 0)
                {
                    break; // back-pressure came back across the bridge
                }
                alice.poll(m -> { });
            }
            assertEquals(OfferStatus.BACK_PRESSURED, status);
            assertTrue(routerA.router().counters().block().get(RouterCounter.CLUSTER_BACK_PRESSURED) > 0,
                "router a's Aeron publication to router b was back-pressured");
            final List<Long> received = new ArrayList<>();
            final long total = sent;
            await("bob reads all " + total, () ->
            {
                alice.poll(m -> { });
                bob.poll(m -> received.add(m.buffer().getLong(m.payloadOffset())));
                return received.size() >= total;
            });
            assertEquals(total, received.size());
            for (int i = 0; i < received.size(); i++)
            {
                assertEquals(i, received.get(i), "in order, none lost or duplicated");
            }
        }
    }

    private int multicastsSeen;

    private void record(final Message m, final List<Long> into)
    {
        if (m.pattern() == Pattern.MULTICAST)
        {
            multicastsSeen++;
        }
        if (m.pattern() == Pattern.PUBLISH)
        {
            into.add(m.buffer().getLong(m.payloadOffset()));
        }
    }
}
