package dev.switchboard.router.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatEncoder;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.SecretFile;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.switchboard.router.cluster.ClusterNodes.await;

/**
 * A peer router played by a test, to send what a real router would not (a replayed heartbeat, a snapshot without a
 * message): its own media driver and Aeron client, a subscription on its endpoint and a publication to the router
 * under test, the codecs, the shared secret and, once it knows the router's nonce, the link MAC. Messages are encoded
 * into {@link #buffer()} at 0, then sent with {@link #send} or {@link #sendSigned}.
 */
final class FakePeer implements AutoCloseable
{
    private final String endpoint;
    private final SecretFile secret;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription fromRouter;
    private final ExclusivePublication toRouter;
    private final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(4096);
    private final UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PeerHeartbeatDecoder heartbeatDecoder = new PeerHeartbeatDecoder();
    private final byte[] nonce = PeerLink.newNonce();
    private byte[] routerNonce;
    private FrameMac mac;

    /**
     * @param dir            where its Aeron directory goes.
     * @param endpoint       its own endpoint (the router under test names it as a peer).
     * @param routerEndpoint the router's endpoint.
     * @param streamId       the bridge's stream id.
     * @param secret         the shared secret.
     */
    FakePeer(final Path dir, final String endpoint, final String routerEndpoint, final int streamId,
        final SecretFile secret)
    {
        this.endpoint = endpoint;
        this.secret = secret;
        this.driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("fake-peer-aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        this.fromRouter = aeron.addSubscription("aeron:udp?endpoint=" + endpoint, streamId);
        this.toRouter = aeron.addExclusivePublication(
            "aeron:udp?endpoint=" + routerEndpoint + "|term-length=" + ClusterBridge.TERM_LENGTH, streamId);
    }

    /** @return the buffer messages are encoded into, at 0. */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return the header encoder to encode with. */
    MessageHeaderEncoder headerEncoder()
    {
        return headerEncoder;
    }

    /** @return what the router sends this peer. */
    Subscription fromRouter()
    {
        return fromRouter;
    }

    /** Wait for the router's first heartbeat: its nonce for this link, from which the link MAC's keys derive. */
    void awaitRouterNonce()
    {
        await("the router's heartbeat reaches the fake peer", () ->
        {
            fromRouter.poll(this::onMessage, 16);
            return routerNonce != null;
        });
        mac = new FrameMac(secret.derive(PeerLink.MAC_LABEL, nonce, routerNonce),
            secret.derive(PeerLink.MAC_LABEL, routerNonce, nonce));
    }

    /**
     * Encode a heartbeat that acknowledges the router's nonce and proves the secret.
     *
     * @return its length, in {@link #buffer()} at 0.
     */
    int heartbeat(final long sequence)
    {
        final byte[] auth = PeerLink.auth(secret, nonce, routerNonce, endpoint.getBytes(StandardCharsets.UTF_8),
            sequence);
        return MessageHeaderEncoder.ENCODED_LENGTH + new PeerHeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .flags(0)
            .sequence(sequence)
            .endpoint(endpoint)
            .host("fake")
            .putNonce(nonce, 0, nonce.length)
            .putAckedNonce(routerNonce, 0, routerNonce.length)
            .putAuth(auth, 0, auth.length)
            .encodedLength();
    }

    /** Offer the message in {@link #buffer()} as it is (a heartbeat carries no link MAC), until Aeron takes it. */
    void send(final int length)
    {
        await("an offer to the router", () -> toRouter.offer(buffer, 0, length) > 0);
    }

    /** Sign the message in {@link #buffer()} with the link MAC (the next in its sequence) and offer it. */
    void sendSigned(final int length)
    {
        mac.sign(byteBuffer, 0, length);
        send(length + FrameMac.TAG_LENGTH);
    }

    private void onMessage(final DirectBuffer message, final int offset, final int length, final io.aeron.logbuffer.Header h)
    {
        headerDecoder.wrap(message, offset);
        if (headerDecoder.templateId() == PeerHeartbeatDecoder.TEMPLATE_ID && routerNonce == null)
        {
            heartbeatDecoder.wrapAndApplyHeader(message, offset, headerDecoder);
            heartbeatDecoder.sequence();
            heartbeatDecoder.skipEndpoint();
            heartbeatDecoder.skipHost();
            final byte[] bytes = new byte[heartbeatDecoder.nonceLength()];
            heartbeatDecoder.getNonce(bytes, 0, bytes.length);
            routerNonce = bytes;
        }
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(toRouter, fromRouter, aeron, driver);
    }
}
