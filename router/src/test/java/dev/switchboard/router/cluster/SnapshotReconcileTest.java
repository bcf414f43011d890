package dev.switchboard.router.cluster;

import java.nio.file.Path;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerAgentEncoder;
import dev.switchboard.codecs.sbe.PeerConsumerEncoder;
import dev.switchboard.codecs.sbe.PeerMembershipEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.agent;
import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A peer's snapshot is the truth about its agents' subscriptions, group memberships and queue consumptions: one that a
 * later snapshot no longer names (its leave message was lost, which is when a peer resyncs) is left here. The test
 * plays the peer router itself (its own media driver, the codecs, the secret and the link MAC), so that it can send a
 * snapshot without a message a real router would have sent ({@link FakePeer}).
 */
class SnapshotReconcileTest
{
    private static final long REMOTE_ID = 77;
    private static final int SNAPSHOT_BEGIN = 2;
    private static final int SNAPSHOT_END = 3;
    private static final int BRIDGED_FRAME = dev.switchboard.codecs.sbe.BridgedFrameDecoder.TEMPLATE_ID;

    @TempDir
    Path dir;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private FakePeer peer;

    @Test
    void aSubscriptionAMembershipAndAConsumptionThatASnapshotNoLongerNamesAreLeftHere() throws Exception
    {
        final Path secretPath = dir.resolve("secret");
        SecretFile.create(secretPath);
        final String a = freeEndpoint();
        final String fake = freeEndpoint();
        final RouterContext ctx = ClusterNodes.clustered(a, fake, secretPath).clusterPeerTimeoutMs(600_000);
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        try (RouterProcess routerA = RouterProcess.launch(ctx, ipcA);
            FakePeer fakePeer = new FakePeer(dir, fake, a, ctx.clusterStreamId(), SecretFile.load(secretPath));
            SwitchboardClient local = agent(ipcA, "local"))
        {
            peer = fakePeer;
            peer.awaitRouterNonce();
            peer.send(peer.heartbeat(1));
            await("router a takes the fake peer up", () -> routerA.clusterBridge().peersUp().contains(fake));

            // Snapshot 1: agent "remote" subscribed to "news", in group "desk", consuming "jobs".
            peer.sendSigned(agentMessage(0, SNAPSHOT_BEGIN, ""));
            peer.sendSigned(agentMessage(REMOTE_ID, 1, "remote"));
            peer.sendSigned(membership(true, "news"));
            peer.sendSigned(membership(false, "desk"));
            peer.sendSigned(consumer("jobs"));
            peer.sendSigned(agentMessage(0, SNAPSHOT_END, ""));
            await("router a registers the fake peer's agent", () -> local.lookup("remote") != null);

            assertEquals(1, framesOutFor(local, 1), "the subscription, the membership and the consumer carry");

            // Snapshot 2: the same agent, nothing else.
            peer.sendSigned(agentMessage(0, SNAPSHOT_BEGIN, ""));
            peer.sendSigned(agentMessage(REMOTE_ID, 1, "remote"));
            peer.sendSigned(agentMessage(0, SNAPSHOT_END, ""));
            await("the subscription and the membership are left", () ->
                routerA.router().counters().block().get(RouterCounter.CLUSTER_MEMBERSHIPS_RECONCILED) == 2);
            await("router a's agent still sees the remote agent", () -> local.lookup("remote") != null);
            assertEquals(0, framesOutFor(local, 2), "none of them is left on router a");
            assertEquals(0, routerA.router().counters().block().get(RouterCounter.CLUSTER_MAC_FAILURES));
            assertEquals(1, routerA.router().counters().block().get(RouterCounter.CLUSTER_PEERS_CONNECTED));
        }
    }

    /**
     * Publish to "news", multicast to "desk" and enqueue on "jobs" from the local agent (payload: the round), then send
     * to the remote agent by name (payload 100 + round, the marker): all NORMAL from one agent through router a, so they reach the
     * bridge in that order. The fake peer reads what the bridge carried up to the marker.
     *
     * @return 1 when the publish, the multicast and the work item each crossed, 0 when none did (else a failure).
     */
    private long framesOutFor(final SwitchboardClient local, final int round)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        payload.putLong(0, round);
        await("publish", () -> local.publish(NameIds.of("news"), Priority.NORMAL, payload, 0, 8) == OfferStatus.OK);
        await("multicast", () -> local.multicast(NameIds.of("desk"), Priority.NORMAL, payload, 0, 8) == OfferStatus.OK);
        await("enqueue", () -> local.enqueue(NameIds.of("jobs"), Priority.NORMAL, payload, 0, 8) == OfferStatus.OK);
        final UnsafeBuffer marker = new UnsafeBuffer(new byte[8]);
        marker.putLong(0, 100 + round);
        final dev.switchboard.client.Destination remote = local.destination("remote", Priority.NORMAL);
        await("the marker", () -> local.send(remote, marker, 0, 8) == OfferStatus.OK);
        final long[] seen = new long[2]; // frames before the marker, the marker
        await("the marker crosses the bridge", () ->
        {
            local.poll((m) -> { }); // a destination being resolved moves on while its agent polls
            peer.fromRouter().poll((message, offset, length, header) ->
            {
                headerDecoder.wrap(message, offset);
                if (headerDecoder.templateId() == BRIDGED_FRAME && seen[1] == 0)
                {
                    // The Envelope's payload ends the message, before the 16-byte link MAC.
                    final long value = message.getLong(offset + length - FrameMac.TAG_LENGTH - 8);
                    if (value == 100 + round)
                    {
                        seen[1]++;
                    }
                    else if (value == round) // not an earlier round's item, redelivered at its ack deadline
                    {
                        seen[0]++;
                    }
                }
            }, 16);
            return seen[1] > 0;
        });
        assertEquals(0, seen[0] % 3, "publish, multicast and enqueue cross together or not at all: " + seen[0]);
        return seen[0] / 3;
    }

    private int agentMessage(final long agentId, final int up, final String name)
    {
        final PeerAgentEncoder e = new PeerAgentEncoder().wrapAndApplyHeader(peer.buffer(), 0, peer.headerEncoder())
            .agentId(agentId).pid(4242).leaseMs(60_000).up((short)up);
        peer.buffer().putByte(e.offset() + PeerAgentEncoder.tiersEncodingOffset(), (byte)(1 << 2)); // NORMAL
        e.capabilitiesCount(0);
        e.name(name);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int membership(final boolean topic, final String name)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new PeerMembershipEncoder()
            .wrapAndApplyHeader(peer.buffer(), 0, peer.headerEncoder())
            .agentId(REMOTE_ID).topic((short)(topic ? 1 : 0)).join((short)1).name(name)
            .encodedLength();
    }

    private int consumer(final String queue)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new PeerConsumerEncoder()
            .wrapAndApplyHeader(peer.buffer(), 0, peer.headerEncoder())
            .agentId(REMOTE_ID).consume((short)1).name(queue)
            .encodedLength();
    }
}
