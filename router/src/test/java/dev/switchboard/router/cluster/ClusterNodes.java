package dev.switchboard.router.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the bridge tests share: free loopback UDP ports, a clustered router's context and properties, agents of a
 * router, and waiting for a condition (with a deadline that only fails a test that is stuck, never one that is slow).
 */
final class ClusterNodes
{
    static final String HOST = "127.0.0.1";
    /** The peer timeout of the tests' routers: a silent router's agents are removed after this. */
    static final long LEASE_MS = 1000;

    private ClusterNodes()
    {
    }

    static String freeEndpoint()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return HOST + ":" + socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    static RouterContext clustered(final String endpoint, final String peers, final Path secret)
    {
        return new RouterContext()
            .clusterEndpoint(endpoint)
            .clusterPeers(peers)
            .clusterSecretFile(secret.toString())
            .clusterHeartbeatMs(100)
            .clusterPeerTimeoutMs(LEASE_MS);
    }

    /** The same settings as system properties, for a router in a child JVM ({@code RouterMain}). */
    static List<String> clusteredProperties(final Path dir, final String endpoint, final String peers, final Path secret)
    {
        final List<String> props = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + dir,
            "-Dswitchboard.shm.dir=" + dir.resolve("shm"),
            "-Dswitchboard.data.dir=" + dir.resolve("data"),
            "-D" + RouterContext.CLUSTER_ENDPOINT_PROP + "=" + endpoint,
            "-D" + RouterContext.CLUSTER_PEERS_PROP + "=" + peers,
            "-D" + RouterContext.CLUSTER_SECRET_FILE_PROP + "=" + secret,
            "-D" + RouterContext.CLUSTER_HEARTBEAT_MS_PROP + "=100",
            "-D" + RouterContext.CLUSTER_PEER_TIMEOUT_MS_PROP + "=" + LEASE_MS));
        return props;
    }

    static SwitchboardClient agent(final IpcContext ipc, final String name)
    {
        final SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc)));
        client.register(name);
        return client;
    }

    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("still not true after 60 s: " + what);
            }
            Thread.onSpinWait();
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /** Poll once, for use in an {@link #await} condition ({@code poll(alice) && ...}). @return true. */
    static boolean poll(final SwitchboardClient client)
    {
        client.poll(m -> { });
        return true;
    }

    /** Wait until a router in a child JVM listens; fail with its stderr if it exits first. */
    static void awaitListening(final ChildJvm router)
    {
        await("router listening: " + router.describe(), () ->
        {
            if (!router.process().isAlive())
            {
                throw new AssertionError("router exited: " + router.stderrText());
            }
            return router.stdoutText().contains("listening");
        });
    }
}
