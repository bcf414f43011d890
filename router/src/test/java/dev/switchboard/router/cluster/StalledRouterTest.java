package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A router stopped (SIGSTOP) for longer than its bridge's Aeron timeout, then continued: Aeron has closed the bridge's
 * client (it was not serviced in time), and the bridge starts a new driver and client, so the router rejoins its peer
 * and its agents are reached again. Without that the router would stay cut off for good. Router B runs in a child JVM
 * with {@code switchboard.cluster.aeron.timeout.ms} at its 2 s minimum; it is stopped for 4 s.
 */
@Tag("slow")
class StalledRouterTest
{
    @TempDir
    Path dir;

    @Test
    void aRouterStoppedLongerThanItsAeronTimeoutStartsANewAeronAndRejoins() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final Path dirB = dir.resolve("b");
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dirB);
        final List<String> flagsB = new ArrayList<>(clusteredProperties(dirB, b, a, secret));
        flagsB.add("-D" + RouterContext.CLUSTER_AERON_TIMEOUT_MS_PROP + "=2000");
        flagsB.addAll(JvmFlags.router());
        try (RouterProcess routerA = RouterProcess.launch(clustered(a, b, secret), ipcA);
            SwitchboardClient alice = agent(ipcA, "alice");
            ChildJvm routerB = ChildJvm.start(dirB, flagsB, RouterMain.class))
        {
            awaitListening(routerB);
            try (SwitchboardClient bob = agent(ipcB, "bob"))
            {
                await("alice sees bob", () -> poll(alice) && alice.lookup("bob") != null);

                signal("STOP", routerB.pid());
                Thread.sleep(4_000);
                signal("CONT", routerB.pid());

                routerB.await(() -> routerB.stderrText().contains("starting a new Aeron"),
                    "router b starts a new Aeron after the stop");
                await("router a takes router b down and up again", () ->
                    routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_CONNECTED) >= 2);
                final UnsafeBuffer text = new UnsafeBuffer("after the stop".getBytes());
                final String[] got = new String[1];
                await("alice's send reaches bob again", () ->
                {
                    poll(alice);
                    bob.poll(m -> got[0] = m.payloadAsString());
                    if (got[0] == null && alice.lookup("bob") != null)
                    {
                        alice.send("bob", Priority.NORMAL, text, 0, text.capacity());
                    }
                    return got[0] != null;
                });
                assertEquals("after the stop", got[0]);
                assertTrue(routerB.stderrText().contains("a new Aeron runs"), routerB.stderrText());
            }
        }
    }

    private static void signal(final String signal, final long pid) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }
}
