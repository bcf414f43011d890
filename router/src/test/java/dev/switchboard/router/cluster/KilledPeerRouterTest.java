package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer router killed with {@code kill -9} (a vanished host): its agents are removed on the other router once the
 * peer timeout passes without its heartbeats, sends to them answer {@code NOT_CONNECTED}, and they come back when
 * the router is restarted and they register again. Router B runs in a child JVM ({@link RouterMain}, configured by
 * system properties only, as a host in a network namespace would run it); router A in this one.
 */
@Tag("slow")
class KilledPeerRouterTest
{
    private static final System.Logger LOG = System.getLogger(KilledPeerRouterTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void aKilledRoutersAgentsAreRemovedWithinThePeerTimeoutAndComeBackAfterItsRestart() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final Path dirB = dir.resolve("b");
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dirB);
        final List<String> flagsB = new ArrayList<>(clusteredProperties(dirB, b, a, secret));
        flagsB.addAll(JvmFlags.router());
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            SwitchboardClient alice = agent(ipcA, "alice"))
        {
            alice.watchRegistry(); // as locally: a watcher forgets a departed agent's id, its next send by name is NOT_CONNECTED
            final long firstBobId;
            try (ChildJvm routerB = ChildJvm.start(dirB, flagsB, RouterMain.class))
            {
                awaitListening(routerB);
                final SwitchboardClient bob = agent(ipcB, "bob");
                await("alice sees bob", () -> poll(alice) && alice.lookup("bob") != null);
                firstBobId = alice.agentIdOf("bob");

                routerB.kill(); // SIGKILL: no departure is ever sent
                final long killedNs = System.nanoTime();
                await("bob is removed on router a", () -> poll(alice) && alice.lookup("bob") == null);
                final long removedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
                LOG.log(System.Logger.Level.INFO, "bob removed on router a " + removedMs + " ms after kill -9 of " +
                    "router b (peer timeout " + ClusterNodes.LEASE_MS + " ms, heartbeat 100 ms)");
                assertEquals(1, routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_DOWN));
                assertTrue(routerA.router().counters().block().get(RouterCounter.LEASES_EXPIRED) >= 1,
                    "the removal is an expiry (watchers see EXPIRED)");
                bob.close();
            }

            // a send to the vanished agent is refused, not silently lost
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            final int[] last = {OfferStatus.OK};
            await("a send to bob by name answers NOT_CONNECTED", () ->
            {
                last[0] = alice.send("bob", Priority.NORMAL, payload, 0, 8);
                poll(alice);
                return last[0] == OfferStatus.NOT_CONNECTED;
            });

            try (ChildJvm routerB = ChildJvm.start(dirB, flagsB, RouterMain.class))
            {
                awaitListening(routerB);
                try (SwitchboardClient bob = agent(ipcB, "bob"))
                {
                    await("alice sees bob again", () -> poll(alice) && alice.lookup("bob") != null);
                    final long secondBobId = alice.agentIdOf("bob");
                    assertNotEquals(firstBobId, secondBobId);
                    final String[] got = new String[1];
                    final UnsafeBuffer text = new UnsafeBuffer("again".getBytes());
                    await("alice's send to the new bob is accepted",
                        () -> alice.send("bob", Priority.NORMAL, text, 0, text.capacity()) == OfferStatus.OK);
                    await("bob gets it", () ->
                    {
                        poll(alice);
                        bob.poll(m -> got[0] = m.payloadAsString());
                        return got[0] != null;
                    });
                    assertEquals("again", got[0]);
                    assertNotNull(bob.lookup("alice"), "router b learned alice again from router a's snapshot");
                }
            }
        }
    }
}
