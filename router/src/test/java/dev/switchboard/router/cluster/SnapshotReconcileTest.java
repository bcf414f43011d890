package dev.switchboard.router.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerAgentEncoder;
import dev.switchboard.codecs.sbe.PeerConsumerEncoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatEncoder;
import dev.switchboard.codecs.sbe.PeerMembershipEncoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.DirectBuffer;
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
 * snapshot without a message a real router would have sent.
 */
class SnapshotReconcileTest
{
    private static final long REMOTE_ID = 77;
    private static final int SNAPSHOT_BEGIN = 2;
    private static final int SNAPSHOT_END = 3;
    private static final int BRIDGED_FRAME = dev.switchboard.codecs.sbe.BridgedFrameDecoder.TEMPLATE_ID;

    @TempDir
    Path dir;

    private final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(4096);
    private final UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PeerHeartbeatDecoder heartbeatDecoder = new PeerHeartbeatDecoder();
    private byte[] nonceOfA;

    @Test
    void aSubscriptionAMembershipAndAConsumptionThatASnapshotNoLongerNamesAreLeftHere() throws Exception
    {
        final Path secretPath = dir.resolve("secret");
        SecretFile.create(secretPath);
        final SecretFile secret = SecretFile.load(secretPath);
        final String a = freeEndpoint();
        final String fake = freeEndpoint();
        final RouterContext ctx = ClusterNodes.clustered(a, fake, secretPath).clusterPeerTimeoutMs(600_000);
        final IpcContext ipcA = new IpcContext().underDirectory(dir.resolve("a"));
        try (RouterProcess routerA = RouterProcess.launch(ctx, ipcA);
            MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("fake-aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription fromA = aeron.addSubscription("aeron:udp?endpoint=" + fake, ctx.clusterStreamId());
            ExclusivePublication toA = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + a + "|term-length=" + ClusterBridge.TERM_LENGTH, ctx.clusterStreamId());
            SwitchboardClient local = agent(ipcA, "local"))
        {
            await("router a's heartbeat reaches the fake peer", () ->
            {
                fromA.poll(this::onMessage, 16);
                return nonceOfA != null;
            });
            final byte[] nonce = PeerLink.newNonce();
            final FrameMac mac = new FrameMac(
                secret.derive(PeerLink.MAC_LABEL, nonce, nonceOfA), secret.derive(PeerLink.MAC_LABEL, nonceOfA, nonce));
            final byte[] auth = PeerLink.auth(secret, nonce, nonceOfA, fake.getBytes(StandardCharsets.UTF_8), 1);
            final int heartbeat = MessageHeaderEncoder.ENCODED_LENGTH + new PeerHeartbeatEncoder()
                .wrapAndApplyHeader(buffer, 0, headerEncoder)
                .flags(0).sequence(1).endpoint(fake).host("fake")
                .putNonce(nonce, 0, nonce.length).putAckedNonce(nonceOfA, 0, nonceOfA.length).putAuth(auth, 0, auth.length)
                .encodedLength();
            send(toA, heartbeat);
            await("router a takes the fake peer up", () -> routerA.clusterBridge().peersUp().contains(fake));

            // Snapshot 1: agent "remote" subscribed to "news", in group "desk", consuming "jobs".
            sendSigned(toA, mac, agentMessage(0, SNAPSHOT_BEGIN, ""));
            sendSigned(toA, mac, agentMessage(REMOTE_ID, 1, "remote"));
            sendSigned(toA, mac, membership(true, "news"));
            sendSigned(toA, mac, membership(false, "desk"));
            sendSigned(toA, mac, consumer("jobs"));
            sendSigned(toA, mac, agentMessage(0, SNAPSHOT_END, ""));
            await("router a registers the fake peer's agent", () -> local.lookup("remote") != null);

            assertEquals(1, framesOutFor(local, fromA, 1), "the subscription, the membership and the consumer carry");

            // Snapshot 2: the same agent, nothing else.
            sendSigned(toA, mac, agentMessage(0, SNAPSHOT_BEGIN, ""));
            sendSigned(toA, mac, agentMessage(REMOTE_ID, 1, "remote"));
            sendSigned(toA, mac, agentMessage(0, SNAPSHOT_END, ""));
            await("the subscription and the membership are left", () ->
                routerA.router().counters().block().get(RouterCounter.CLUSTER_MEMBERSHIPS_RECONCILED) == 2);
            await("router a's agent still sees the remote agent", () -> local.lookup("remote") != null);
            assertEquals(0, framesOutFor(local, fromA, 2), "none of them is left on router a");
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
    private long framesOutFor(final SwitchboardClient local, final Subscription fromA, final int round)
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
            fromA.poll((message, offset, length, header) ->
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
        final PeerAgentEncoder e = new PeerAgentEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .agentId(agentId).pid(4242).leaseMs(60_000).up((short)up);
        buffer.putByte(e.offset() + PeerAgentEncoder.tiersEncodingOffset(), (byte)(1 << 2)); // NORMAL
        e.capabilitiesCount(0);
        e.name(name);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private int membership(final boolean topic, final String name)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new PeerMembershipEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .agentId(REMOTE_ID).topic((short)(topic ? 1 : 0)).join((short)1).name(name)
            .encodedLength();
    }

    private int consumer(final String queue)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + new PeerConsumerEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .agentId(REMOTE_ID).consume((short)1).name(queue)
            .encodedLength();
    }

    private void sendSigned(final ExclusivePublication publication, final FrameMac mac, final int length)
    {
        mac.sign(byteBuffer, 0, length);
        send(publication, length + FrameMac.TAG_LENGTH);
    }

    private void send(final ExclusivePublication publication, final int length)
    {
        await("an offer to router a", () -> publication.offer(buffer, 0, length) > 0);
    }

    private void onMessage(final DirectBuffer message, final int offset, final int length, final io.aeron.logbuffer.Header h)
    {
        headerDecoder.wrap(message, offset);
        if (headerDecoder.templateId() == PeerHeartbeatDecoder.TEMPLATE_ID && nonceOfA == null)
        {
            heartbeatDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
            heartbeatDecoder.sequence();
            heartbeatDecoder.skipEndpoint();
            heartbeatDecoder.skipHost();
            final byte[] nonce = new byte[heartbeatDecoder.nonceLength()];
            heartbeatDecoder.getNonce(nonce, 0, nonce.length);
            nonceOfA = nonce;
        }
    }
}
