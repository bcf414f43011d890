package dev.switchboard.router.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One name registered on two routers before their link came up (as happens within the replication delay, or on both
 * sides of a cut link): when they link, both resolve it the same way. The agent of the router whose cluster endpoint
 * sorts first keeps the name on both; the other is taken out and told {@code NAME_TAKEN} (its client's registering
 * again is refused while the name is held), and gets the name when the holder leaves.
 *
 * <p>How the registrations come first, without a race: router a starts alone, naming b as its peer, with a heartbeat
 * every 5 s (its first one, at its start, finds nobody at b); router b names no peer, so it sends nothing until a's
 * next heartbeat reaches it about 5 s later (then it challenges a and they link). Both agents register well before.
 */
@Tag("slow")
class NameConflictTest
{
    private static final int HEARTBEAT_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void aNameRegisteredOnTwoRoutersBeforeTheyLinkStaysWithTheFirstEndpointsAgentAndPassesOnWhenItLeaves()
        throws Exception
    {
        final Path secret = dir.resolve("secret");
        SecretFile.create(secret);
        final String a = freeEndpoint();
        final String b = freeEndpoint();
        final boolean aWins = a.compareTo(b) < 0;
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        final IpcContext ipcB = new IpcContext().underDirectory(dir.resolve("b"));
        final List<String> loserErrors = new CopyOnWriteArrayList<>();
        try (RouterProcess routerA = RouterProcess.launch(slowLinking(a, b, secret), ipcA);
            SwitchboardClient onA = client(ipcA, aWins ? new CopyOnWriteArrayList<>() : loserErrors))
        {
            onA.register("x");
            try (RouterProcess routerB = RouterProcess.launch(slowLinking(b, "", secret), ipcB);
                SwitchboardClient onB = client(ipcB, aWins ? loserErrors : new CopyOnWriteArrayList<>());
                SwitchboardClient probeA = client(ipcA, new CopyOnWriteArrayList<>());
                SwitchboardClient probeB = client(ipcB, new CopyOnWriteArrayList<>()))
            {
                onB.register("x"); // before the link is up: router b does not know a's "x" yet
                assertTrue(routerA.clusterBridge().peersUp().isEmpty(), "the routers linked before the test could " +
                    "register the name on both (a's heartbeat is due 5 s after its start)");
                probeA.register("probe-a");
                probeB.register("probe-b");
                final SwitchboardClient winner = aWins ? onA : onB;
                final SwitchboardClient loser = aWins ? onB : onA;
                final RouterProcess winnerRouter = aWins ? routerA : routerB;
                final RouterProcess loserRouter = aWins ? routerB : routerA;
                final SwitchboardClient winnerProbe = aWins ? probeA : probeB;
                final SwitchboardClient loserProbe = aWins ? probeB : probeA;
                final String winnerEndpoint = aWins ? a : b;
                final String loserEndpoint = aWins ? b : a;

                await("the routers link and agree on one 'x'", () ->
                {
                    loser.poll((m) -> { });
                    winner.poll((m) -> { });
                    final AgentInfo there = loserProbe.lookup("x");
                    return there != null && winnerEndpoint.equals(there.host());
                });
                final AgentInfo here = winnerProbe.lookup("x");
                assertEquals(winner.agentId(), here.agentId(), "the winner's router keeps its own 'x'");
                assertEquals("", here.host());
                await("the loser is told why", () ->
                {
                    loser.poll((m) -> { });
                    return loserErrors.stream().anyMatch((e) -> e.startsWith(ErrorCode.NAME_TAKEN + ":") &&
                        e.contains(winnerEndpoint));
                });
                assertEquals(1, loserRouter.router().counters().block().get(RouterCounter.CLUSTER_NAMES_YIELDED));
                assertEquals(0, winnerRouter.router().counters().block().get(RouterCounter.CLUSTER_NAMES_YIELDED));
                assertTrue(winnerRouter.router().counters().block().get(RouterCounter.CLUSTER_NAME_CONFLICTS) >= 1);

                winner.close();
                await("the name passes to the other agent, on both routers", () ->
                {
                    loser.poll((m) -> { });
                    final AgentInfo onWinnerSide = winnerProbe.lookup("x");
                    final AgentInfo onLoserSide = loserProbe.lookup("x");
                    return onWinnerSide != null && loserEndpoint.equals(onWinnerSide.host()) &&
                        onLoserSide != null && "".equals(onLoserSide.host());
                });
            }
        }
    }

    private static RouterContext slowLinking(final String endpoint, final String peer, final Path secret)
    {
        return ClusterNodes.clustered(endpoint, peer, secret)
            .clusterHeartbeatMs(HEARTBEAT_MS)
            .clusterPeerTimeoutMs(4 * HEARTBEAT_MS);
    }

    private static SwitchboardClient client(final IpcContext ipc, final List<String> errors)
    {
        return SwitchboardClient.connect(new ClientContext()
            .connection(IpcConnection.connect(ipc))
            .reconnectBackoffNs(TimeUnit.MILLISECONDS.toNanos(50))
            .reconnectBackoffMaxNs(TimeUnit.MILLISECONDS.toNanos(200))
            .listener(new ClientListener()
            {
                @Override
                public void onError(final long correlationId, final ErrorCode code, final String text)
                {
                    errors.add(code + ": " + text);
                }
            }));
    }
}
