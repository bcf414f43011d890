package dev.switchboard.router.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatEncoder;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.security.SecretFile;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.router.cluster.ClusterNodes.await;
import static dev.switchboard.router.cluster.ClusterNodes.freeEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A peer's heartbeat replayed from the network cannot keep it alive: the test plays a peer router itself (its own
 * media driver and the codecs, holding the secret), comes up with router a, then offers a heartbeat a second time.
 * The replay is refused and counted; the next heartbeat in sequence is accepted.
 */
class HeartbeatReplayTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PeerHeartbeatDecoder heartbeatDecoder = new PeerHeartbeatDecoder();
    private byte[] nonceOfA;

    @Test
    void aReplayedHeartbeatIsRefusedAndCountedAndTheNextInSequenceIsAccepted() throws Exception
    {
        final Path secretPath = dir.resolve("secret");
        SecretFile.create(secretPath);
        final SecretFile secret = SecretFile.load(secretPath);
        final String a = freeEndpoint();
        final String fake = freeEndpoint();
        // A long peer timeout: the fake peer heartbeats only when the test says so.
        final RouterContext ctx = ClusterNodes.clustered(a, fake, secretPath).clusterPeerTimeoutMs(600_000);
        try (RouterProcess routerA = RouterProcess.launch(ctx, new IpcContext().underDirectory(dir.resolve("a")));
            MediaDriver driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("fake-aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription fromA = aeron.addSubscription(
                "aeron:udp?endpoint=" + fake, ctx.clusterStreamId());
            ExclusivePublication toA = aeron.addExclusivePublication(
                "aeron:udp?endpoint=" + a + "|term-length=" + ClusterBridge.TERM_LENGTH, ctx.clusterStreamId()))
        {
            await("router a's heartbeat reaches the fake peer", () ->
            {
                fromA.poll(this::onMessage, 16);
                return nonceOfA != null;
            });
            final byte[] nonce = PeerLink.newNonce();
            final int first = heartbeat(secret, fake, nonce, nonceOfA, 1);
            await("the first heartbeat is offered", () -> toA.offer(buffer, 0, first) > 0);
            await("router a takes the fake peer up", () -> routerA.clusterBridge().peersUp().contains(fake));
            final long refusedBefore = refused(routerA);

            final int replay = heartbeat(secret, fake, nonce, nonceOfA, 1);
            await("the replay is offered", () -> toA.offer(buffer, 0, replay) > 0);
            await("the replayed heartbeat is refused", () -> refused(routerA) == refusedBefore + 1);

            final int next = heartbeat(secret, fake, nonce, nonceOfA, 2);
            await("the next heartbeat is offered", () -> toA.offer(buffer, 0, next) > 0);
            final int probe = heartbeat(secret, fake, nonce, nonceOfA, 2); // a replay of 2: refused only if 2 was taken
            await("the probe is offered", () -> toA.offer(buffer, 0, probe) > 0);
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

    private void onMessage(
        final org.agrona.DirectBuffer message, final int offset, final int length, final io.aeron.logbuffer.Header h)
    {
        headerDecoder.wrap(message, offset);
        if (headerDecoder.templateId() == PeerHeartbeatDecoder.TEMPLATE_ID)
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

    private int heartbeat(
        final SecretFile secret, final String endpoint, final byte[] nonce, final byte[] acked, final long sequence)
    {
        final byte[] auth = PeerLink.auth(secret, nonce, acked, endpoint.getBytes(StandardCharsets.UTF_8), sequence);
        final PeerHeartbeatEncoder encoder = new PeerHeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .flags(0)
            .sequence(sequence)
            .endpoint(endpoint)
            .host("fake")
            .putNonce(nonce, 0, nonce.length)
            .putAckedNonce(acked, 0, acked.length)
            .putAuth(auth, 0, auth.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
