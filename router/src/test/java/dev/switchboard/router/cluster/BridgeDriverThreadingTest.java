package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.agent;
import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.clustered;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchboard.cluster.driver.threading}: a router whose embedded media driver and Aeron client run in its duty
 * cycle ({@code invoker}, the default) bridges with one whose driver has a thread of its own ({@code shared}); frames
 * cross both ways, all of them, in order; only the {@code shared} router's driver has a thread.
 */
class BridgeDriverThreadingTest
{
    @TempDir
    Path dir;

    @Test
    void anInvokedDriverAndAThreadedDriverBridgeAndCarryEveryFrameInOrderBothWays() throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final Path aeronA = dir.resolve("aeron-invoked");
        final Path aeronB = dir.resolve("aeron-threaded");
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        final RouterContext invoked = clustered(a, b, secret).clusterAeronDir(aeronA.toString());
        assertEquals(RouterContext.CLUSTER_DRIVER_INVOKER, invoked.clusterDriverThreading(), "the default");
        final RouterContext threaded = clustered(b, a, secret).clusterAeronDir(aeronB.toString())
            .clusterDriverThreading(RouterContext.CLUSTER_DRIVER_SHARED);
        try (RouterProcess routerA = RouterProcess.launch(invoked, ipcA);
            RouterProcess routerB = RouterProcess.launch(threaded, ipcB);
            SwitchboardClient alice = agent(ipcA, "alice");
            SwitchboardClient bob = agent(ipcB, "bob"))
        {
            await("alice sees bob", () -> alice.lookup("bob") != null);
            await("bob sees alice", () -> bob.lookup("alice") != null);
            assertFalse(threadNamed(aeronA.toString()), "the invoked driver has no thread: " + threads());
            assertTrue(threadNamed(aeronB.toString()), "the shared driver runs on a thread of its own: " + threads());

            final int count = 1000;
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            final List<Long> atBob = new ArrayList<>();
            final List<Long> atAlice = new ArrayList<>();
            int sentByAlice = 0;
            int sentByBob = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((atBob.size() < count || atAlice.size() < count) && System.nanoTime() - deadline < 0)
            {
                if (sentByAlice < count)
                {
                    payload.putLong(0, sentByAlice);
                    sentByAlice += sent(alice.send("bob", Priority.NORMAL, payload, 0, 16));
                }
                if (sentByBob < count)
                {
                    payload.putLong(0, sentByBob);
                    sentByBob += sent(bob.send("alice", Priority.NORMAL, payload, 0, 16));
                }
                bob.poll(m -> atBob.add(m.buffer().getLong(m.payloadOffset())));
                alice.poll(m -> atAlice.add(m.buffer().getLong(m.payloadOffset())));
            }
            final String counters = "router a:\n" + routerA.router().counters().report() + "router b:\n" +
                routerB.router().counters().report();
            assertEquals(count, atBob.size(), counters);
            assertEquals(count, atAlice.size(), counters);
            for (int i = 0; i < count; i++)
            {
                assertEquals(i, atBob.get(i), "alice to bob out of order");
                assertEquals(i, atAlice.get(i), "bob to alice out of order");
            }
        }
    }

    @Test
    void anUnknownThreadingIsRefusedWithTheSettingsName()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            clustered(freeEndpoint(), freeEndpoint(), dir.resolve("secret")).clusterDriverThreading("dedicated")
                .conclude());
        assertTrue(e.getMessage().contains(RouterContext.CLUSTER_DRIVER_THREADING_PROP), e.getMessage());
    }

    private static int sent(final int status)
    {
        if (status == OfferStatus.OK)
        {
            return 1;
        }
        assertEquals(OfferStatus.BACK_PRESSURED, status, OfferStatus.name(status));
        return 0;
    }

    private static boolean threadNamed(final String part)
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains(part));
    }

    private static String threads()
    {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }
}
