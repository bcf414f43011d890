package dev.switchboard.router.cluster;

import java.nio.file.Path;

import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A peer's heartbeat replayed from the network cannot keep it alive: the test plays a peer router itself
 * ({@link FakePeer}), comes up with router a, then offers a heartbeat a second time. The replay is refused and counted;
 * the next heartbeat in sequence is accepted.
 */
class HeartbeatReplayTest
{
    @TempDir
    Path dir;

    @Test
    void aReplayedHeartbeatIsRefusedAndCountedAndTheNextInSequenceIsAccepted() throws Exception
    {
        final Path secretPath = dir.resolve("secret");
        SecretFile.create(secretPath);
        final String a = freeEndpoint();
        final String fake = freeEndpoint();
        // A long peer timeout: the fake peer heartbeats only when the test says so.
        final RouterContext ctx = ClusterNodes.clustered(a, fake, secretPath).clusterPeerTimeoutMs(600_000);
        try (RouterProcess routerA = RouterProcess.launch(ctx, new IpcContext().underDirectory(dir.resolve("a")));
            FakePeer peer = new FakePeer(dir, fake, a, ctx.clusterStreamId(), SecretFile.load(secretPath)))
        {
            peer.awaitRouterNonce();
            peer.send(peer.heartbeat(1));
            await("router a takes the fake peer up", () -> routerA.clusterBridge().peersUp().contains(fake));
            final long refusedBefore = refused(routerA);

            peer.send(peer.heartbeat(1)); // a replay
            await("the replayed heartbeat is refused", () -> refused(routerA) == refusedBefore + 1);

            peer.send(peer.heartbeat(2));
            peer.send(peer.heartbeat(2)); // a replay of 2: refused only if 2 was taken
            await("the in-sequence heartbeat was accepted (its replay is the second refusal)",
                () -> refused(routerA) == refusedBefore + 2);
            assertEquals(1, routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_CONNECTED));
            assertEquals(0, routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_REFUSED));
        }
    }

    private static long refused(final RouterProcess router)
    {
        return router.router().counters().block().get(RouterCounter.CLUSTER_FRAMES_REFUSED);
    }
}
