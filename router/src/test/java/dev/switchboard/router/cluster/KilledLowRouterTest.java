package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.process.RouterMain;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.agent;
import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.awaitListening;
import static dev.switchboard.router.cluster.ClusterNodes.clustered;
import static dev.switchboard.router.cluster.ClusterNodes.clusteredProperties;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static dev.switchboard.router.cluster.ClusterNodes.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LOW across hosts under {@code kill -9} of either router: every LOW message alice's sends answered {@code OK} (durable
 * on her host) reaches bob's queue on his host exactly once and in order, though the router on the receiving side
 * (first test) or on the sending side (second test) is killed while the stream is being forwarded, and restarted.
 * The killed router runs in a child JVM ({@link RouterMain}); the other router and both agents in this one.
 */
@Tag("slow")
class KilledLowRouterTest
{
    private static final System.Logger LOG = System.getLogger(KilledLowRouterTest.class.getName());
    private static final int COUNT = 300;
    /** The kill comes once this many frames were confirmed (appended on bob's host). */
    private static final int KILL_CONFIRMED = 50;
    /** ... or once alice sent this many (the other router may be slow to start forwarding on a loaded machine). */
    private static final int KILL_BY = 150;

    @TempDir
    Path dir;

    @Test
    void theReceivingRouterKilledAndRestartedMidStreamLosesAndDuplicatesNothing() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final Path dirB = dir.resolve("b");
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dirB);
        final List<String> flagsB = childRouterFlags(dirB, b, a, secret);
        final List<Long> got = new ArrayList<>();
        int next = 0;
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            SwitchboardClient alice = agent(ipcA, "alice"))
        {
            alice.watchRegistry(); // as locally: bob's departure makes sends by name NOT_CONNECTED until he is back
            try (ChildJvm routerB = ChildJvm.start(dirB, flagsB, RouterMain.class))
            {
                awaitListening(routerB);
                final SwitchboardClient bob = agent(ipcB, "bob");
                await("alice sees bob", () -> poll(alice) && alice.lookup("bob") != null);
                // killed as soon as router a counts KILL_CONFIRMED frames confirmed (or alice sent KILL_BY), mid-stream
                while (next < KILL_BY && routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_CONFIRMED) <
                    KILL_CONFIRMED)
                {
                    sendUntilOk(alice, next++);
                    collect(bob, got);
                }
                // at least KILL_CONFIRMED appended on bob's host and confirmed first: the restarted router continues a
                // queue that bob has partly read, and its de-duplication is read back from that queue
                await("router a counts " + KILL_CONFIRMED + " frames confirmed", () ->
                {
                    collect(bob, got);
                    return routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_CONFIRMED) >=
                        KILL_CONFIRMED;
                });
                routerB.kill();
                bob.close();
            }
            try (ChildJvm routerB = ChildJvm.start(dirB, flagsB, RouterMain.class))
            {
                awaitListening(routerB);
                try (SwitchboardClient bob = agent(ipcB, "bob"))
                {
                    LOG.log(System.Logger.Level.INFO, "receiving router killed after alice's send " + next +
                        ", bob had " + got.size() + ", router a had " +
                        routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_CONFIRMED) + " confirmed");
                    for (int i = next; i < COUNT; i++)
                    {
                        sendUntilOk(alice, i);
                        collect(bob, got);
                    }
                    await("bob has all " + COUNT + " (" + got.size() + " so far)", () ->
                    {
                        poll(alice);
                        collect(bob, got);
                        return got.size() >= COUNT;
                    });
                    assertExactlyOnceInOrder(got, bob);
                }
            }
            LOG.log(System.Logger.Level.INFO, "receiving router killed: router a shipped " +
                routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_SHIPPED) + ", resent " +
                routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_RESENT) + ", confirmed " +
                routerA.router().counters().block().get(RouterCounter.LOW_BRIDGE_CONFIRMED));
        }
    }

    @Test
    void theSendingRouterKilledAndRestartedMidStreamLosesAndDuplicatesNothing() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final Path dirA = dir.resolve("a");
        final IpcContext ipcA = new IpcContext().underDirectory(dirA);
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        final List<String> flagsA = childRouterFlags(dirA, a, b, secret);
        final List<Long> got = new ArrayList<>();
        int next = 0;
        try (RouterProcess routerB = RouterProcess.launch(clustered(b, a, secret), ipcB);
            SwitchboardClient bob = agent(ipcB, "bob"))
        {
            try (ChildJvm routerA = ChildJvm.start(dirA, flagsA, RouterMain.class))
            {
                awaitListening(routerA);
                final SwitchboardClient alice = agent(ipcA, "alice");
                await("alice sees bob", () -> poll(alice) && alice.lookup("bob") != null);
                // killed as soon as router b counts KILL_CONFIRMED frames appended (or alice sent KILL_BY), mid-stream
                while (next < KILL_BY && routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_APPENDED) <
                    KILL_CONFIRMED)
                {
                    sendUntilOk(alice, next++);
                    collect(bob, got);
                }
                await("router b counts " + KILL_CONFIRMED + " frames appended", () ->
                {
                    collect(bob, got);
                    return routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_APPENDED) >= KILL_CONFIRMED;
                });
                routerA.kill();
                alice.close();
            }
            try (ChildJvm routerA = ChildJvm.start(dirA, flagsA, RouterMain.class))
            {
                awaitListening(routerA);
                try (SwitchboardClient alice = agent(ipcA, "alice"))
                {
                    await("alice sees bob again", () -> poll(alice) && alice.lookup("bob") != null);
                    LOG.log(System.Logger.Level.INFO, "sending router killed after alice's send " + next +
                        ", bob had " + got.size());
                    for (int i = next; i < COUNT; i++)
                    {
                        sendUntilOk(alice, i);
                        collect(bob, got);
                    }
                    await("bob has all " + COUNT + " (" + got.size() + " so far)", () ->
                    {
                        poll(alice);
                        collect(bob, got);
                        return got.size() >= COUNT;
                    });
                    assertExactlyOnceInOrder(got, bob);
                }
            }
            LOG.log(System.Logger.Level.INFO, "sending router killed: router b appended " +
                routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_APPENDED) + ", skipped duplicates " +
                routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_DUPLICATES));
            assertEquals(COUNT, routerB.router().counters().block().get(RouterCounter.LOW_BRIDGE_APPENDED),
                "each frame appended once on bob's host");
        }
    }

    /** A router in a child JVM, with Chronicle's lock takeover short enough for a restart after kill -9. */
    private static List<String> childRouterFlags(final Path dir, final String endpoint, final String peer,
        final Path secret)
    {
        final List<String> flags = new ArrayList<>(clusteredProperties(dir, endpoint, peer, secret));
        flags.add("-D" + DurableQueues.TIMEOUT_MS_PROP + "=1000");
        flags.addAll(JvmFlags.router());
        return flags;
    }

    private static void sendUntilOk(final SwitchboardClient alice, final long value)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        payload.putLong(0, value);
        // NOT_CONNECTED while bob's router is away (his registration is gone here), OK once it is durable here
        await("alice's LOW send " + value + " answered OK", () ->
            alice.send("bob", Priority.LOW, payload, 0, 8) == OfferStatus.OK || !poll(alice));
    }

    private static void collect(final SwitchboardClient bob, final List<Long> got)
    {
        bob.poll(m ->
        {
            assertEquals(Priority.LOW, m.priority());
            got.add(m.buffer().getLong(m.payloadOffset()));
        });
    }

    private static void assertExactlyOnceInOrder(final List<Long> got, final SwitchboardClient bob)
    {
        for (int i = 0; i < COUNT; i++)
        {
            assertEquals((long)i, got.get(i), "every message once, in order: " + got);
        }
        collect(bob, got);
        assertEquals(COUNT, got.size(), "nothing more: " + got.subList(COUNT, got.size()));
    }
}
