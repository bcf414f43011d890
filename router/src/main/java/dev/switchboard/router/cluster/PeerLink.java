package dev.switchboard.router.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.BridgedFrameEncoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerAgentEncoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatEncoder;
import dev.switchboard.codecs.sbe.PeerMembershipEncoder;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.registry.AgentRecord;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.logbuffer.FrameDescriptor;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * This router's side of the link to one peer router: the Aeron publication to the peer's endpoint, the handshake
 * state (this end's nonce for the link, the peer's, whether the peer proved the secret), the link MAC keys, the
 * peer's agents registered here (their proxies), and the encoding of what goes to the peer.
 *
 * <h2>Handshake</h2>
 * Each end sends {@code PeerHeartbeat}s every {@code switchboard.cluster.heartbeat.ms}: its endpoint, its host, its
 * nonce for this link (32 random bytes, new whenever this end resets the link), the peer's nonce as last seen, and
 * {@code auth = HMAC(secret, "switchboard-peer", nonce, ackedNonce, endpoint, sequence)}, where the sequence counts
 * this end's heartbeats and must grow from one accepted heartbeat to the next (a heartbeat replayed from the network
 * cannot keep a dead peer alive). A heartbeat whose ackedNonce is this
 * end's current nonce and whose auth verifies proves the sender holds the secret and is live now (the nonce is fresh,
 * so an old heartbeat cannot be replayed into a new link): the peer is then <em>up</em>. A wrong auth is refused and
 * counted ({@link RouterCounter#CLUSTER_PEERS_REFUSED}). A new peer nonce means the peer restarted or reset the link:
 * its agents are removed and the link comes up again from the start.
 *
 * <h2>Link MAC</h2>
 * Every other message (PeerAgent, BridgedFrame) carries a {@value FrameMac#TAG_LENGTH}-byte {@link FrameMac} tag after
 * it, keyed per direction by {@code SecretFile.derive("bridge-mac", senderNonce, receiverNonce)} and sequenced (a
 * dropped, replayed or reordered message fails). A tag is computed only once the publication has room for the whole
 * message, so a signed message is not lost to back-pressure; one that fails anyway resets the link.
 *
 * <p>Thread: the router's duty cycle only. Allocation: {@link #forward} none; the handshake and replication are the
 * control plane and allocate.
 */
final class PeerLink
{
    /** Bytes of a link nonce. */
    static final int NONCE_LENGTH = LinkMac.NONCE_LENGTH;
    static final String AUTH_LABEL = "switchboard-peer";
    static final String MAC_LABEL = "bridge-mac";
    static final int SNAPSHOT_BEGIN = 2;
    static final int SNAPSHOT_END = 3;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int ADMIN_RETRIES = 8;
    private static final System.Logger LOG = System.getLogger(PeerLink.class.getName());

    private final String endpoint;
    private final String ownEndpoint;
    private final byte[] ownEndpointBytes;
    private final String ownHost;
    private final SecretFile secret;
    private ExclusivePublication publication;
    private final CounterBlock counters;
    private final int maxMessageLength;
    private final ByteBuffer sendByteBuffer;
    private final UnsafeBuffer sendBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PeerHeartbeatEncoder heartbeatEncoder = new PeerHeartbeatEncoder();
    private final PeerAgentEncoder agentEncoder = new PeerAgentEncoder();
    private final BridgedFrameEncoder frameEncoder = new BridgedFrameEncoder();
    private final PeerMembershipEncoder membershipEncoder = new PeerMembershipEncoder();
    /** The peer's agents registered here, by their id on the peer. */
    private final Long2ObjectHashMap<RemoteAgentSession> proxies = new Long2ObjectHashMap<>();

    private byte[] nonce = newNonce();
    private byte[] peerNonce;
    private String peerHost = "";
    private FrameMac mac;
    private boolean up;
    private boolean resyncPending;
    private boolean resetPending;
    private int imageSessionId;
    private boolean imageBound;
    private long lastHeardNs;
    private long heartbeatsHeard;
    /** This end's heartbeats sent, the sequence of the last one. */
    private long heartbeatSequence;
    /** The sequence of the peer's last heartbeat accepted for its current nonce (a replay must exceed it). */
    private long peerHeartbeatSequence;

    PeerLink(
        final String endpoint,
        final String ownEndpoint,
        final String ownHost,
        final SecretFile secret,
        final ExclusivePublication publication,
        final CounterBlock counters)
    {
        this.endpoint = endpoint;
        this.ownEndpoint = ownEndpoint;
        this.ownEndpointBytes = ownEndpoint.getBytes(StandardCharsets.UTF_8);
        this.ownHost = ownHost;
        this.secret = secret;
        this.publication = publication;
        this.counters = counters;
        this.maxMessageLength = publication.maxMessageLength();
        this.sendByteBuffer = ByteBuffer.allocateDirect(maxMessageLength);
        this.sendBuffer = new UnsafeBuffer(sendByteBuffer);
    }

    static byte[] newNonce()
    {
        return LinkMac.newNonce();
    }

    static byte[] auth(
        final SecretFile secret, final byte[] nonce, final byte[] ackedNonce, final byte[] endpoint, final long sequence)
    {
        return secret.derive(AUTH_LABEL, nonce, ackedNonce, endpoint,
            java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, sequence).array());
    }

    // ---------------------------------------------------------------------------------------------------
    // state

    String endpoint()
    {
        return endpoint;
    }

    String peerHost()
    {
        return peerHost;
    }

    boolean isUp()
    {
        return up;
    }

    long heartbeatsHeard()
    {
        return heartbeatsHeard;
    }

    long lastHeardNs()
    {
        return lastHeardNs;
    }

    byte[] nonce()
    {
        return nonce;
    }

    byte[] peerNonce()
    {
        return peerNonce;
    }

    FrameMac mac()
    {
        return mac;
    }

    Long2ObjectHashMap<RemoteAgentSession> proxies()
    {
        return proxies;
    }

    boolean isImage(final int sessionId)
    {
        return imageBound && imageSessionId == sessionId;
    }

    void bindImage(final int sessionId)
    {
        imageSessionId = sessionId;
        imageBound = true;
    }

    boolean resyncPending()
    {
        return resyncPending;
    }

    void resyncPending(final boolean pending)
    {
        resyncPending = pending;
    }

    /** @return true when a signed message could not be sent: the MAC sequence is off, the link must be reset. */
    boolean resetPending()
    {
        return resetPending;
    }

    /** The peer's heartbeat showed a nonce not seen before: keep it and rekey. */
    void peerNonce(final byte[] nonce, final String host)
    {
        peerNonce = nonce;
        peerHost = host;
        peerHeartbeatSequence = 0;
        rekey();
    }

    /** This end resets the link: a new nonce (the peer sees a new incarnation of this end), new keys. */
    void newIncarnation()
    {
        nonce = newNonce();
        resetPending = false;
        rekey();
    }

    private void rekey()
    {
        mac = peerNonce == null ? null : new FrameMac(
            secret.derive(MAC_LABEL, nonce, peerNonce), secret.derive(MAC_LABEL, peerNonce, nonce));
    }

    /**
     * A heartbeat of the peer proved the secret: accept its sequence if it is newer than the last one accepted for the
     * peer's nonce.
     *
     * @return false for a heartbeat replayed or reordered (refused).
     */
    boolean acceptHeartbeat(final long sequence)
    {
        if (sequence <= peerHeartbeatSequence)
        {
            return false;
        }
        peerHeartbeatSequence = sequence;
        return true;
    }

    /**
     * A heartbeat or any message of the peer verified: heard at {@code nowNs}. Counted for the proxies' leases too
     * ({@link RemoteAgentSession#heartbeat}). Allocation: none.
     */
    void heard(final long nowNs)
    {
        lastHeardNs = nowNs;
        heartbeatsHeard++;
    }

    /** This router stalled for {@code gapNs}: the peer's silence is counted from the end of the stall. */
    void excuse(final long gapNs)
    {
        lastHeardNs += gapNs;
    }

    void up(final boolean isUp)
    {
        up = isUp;
    }

    // ---------------------------------------------------------------------------------------------------
    // out

    /** Send a heartbeat (unsigned: its auth field is its proof). A failed offer is only a missed beat. */
    void sendHeartbeat()
    {
        final byte[] acked = peerNonce == null ? new byte[0] : peerNonce;
        final long sequence = ++heartbeatSequence;
        final byte[] auth = peerNonce == null ? new byte[0] : auth(secret, nonce, acked, ownEndpointBytes, sequence);
        heartbeatEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .flags(0)
            .sequence(sequence)
            .endpoint(ownEndpoint)
            .host(ownHost)
            .putNonce(nonce, 0, nonce.length)
            .putAckedNonce(acked, 0, acked.length)
            .putAuth(auth, 0, auth.length);
        offer(HEADER + heartbeatEncoder.encodedLength());
    }

    /**
     * Tell the peer of one of this router's agents (up) or of its departure, or mark a snapshot's bounds.
     *
     * @return true when sent.
     */
    boolean sendAgent(final AgentRecord agent, final int up)
    {
        if (mac == null)
        {
            return false;
        }
        agentEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .agentId(agent == null ? 0 : agent.agentId())
            .pid(agent == null ? 0 : agent.pid())
            .leaseMs(agent == null ? 0 : (int)TimeUnit.NANOSECONDS.toMillis(agent.leaseNs()))
            .up((short)up);
        sendBuffer.putByte(agentEncoder.offset() + PeerAgentEncoder.tiersEncodingOffset(),
            (byte)(agent == null ? 0 : agent.tiers()));
        final List<String> caps = agent == null ? List.of() : agent.capabilities();
        final PeerAgentEncoder.CapabilitiesEncoder capsEncoder = agentEncoder.capabilitiesCount(caps.size());
        for (final String cap : caps)
        {
            capsEncoder.next().capability(cap);
        }
        agentEncoder.name(agent == null ? "" : agent.name());
        return offerSigned(HEADER + agentEncoder.encodedLength()) == OfferStatus.OK;
    }

    /**
     * Tell the peer that one of this router's agents subscribed to a topic or joined a group, or left it.
     *
     * @return true when sent.
     */
    boolean sendMembership(final long agentId, final boolean topic, final String name, final boolean join)
    {
        if (mac == null)
        {
            return false;
        }
        membershipEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .agentId(agentId)
            .topic((short)(topic ? 1 : 0))
            .join((short)(join ? 1 : 0))
            .name(name);
        return offerSigned(HEADER + membershipEncoder.encodedLength()) == OfferStatus.OK;
    }

    /**
     * Carry an Envelope that routing delivered to a proxy of the peer's agent. The Envelope's target, when it names the
     * proxy, is rewritten to the agent's id on its own router. Allocation: none.
     *
     * @return {@code OK}; {@code BACK_PRESSURED} when the publication has no room (the router holds the frame and
     * offers it again); {@code NOT_CONNECTED} when the peer is not up; {@code TOO_LARGE} over the bridge's largest
     * message.
     */
    int forward(final RemoteAgentSession proxy, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!up || mac == null || resetPending)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_NOT_CONNECTED));
            return OfferStatus.NOT_CONNECTED;
        }
        final int envelopeAt = HEADER + BridgedFrameEncoder.BLOCK_LENGTH + BridgedFrameEncoder.frameHeaderLength();
        final int messageLength = envelopeAt + length;
        if (messageLength + FrameMac.TAG_LENGTH > maxMessageLength)
        {
            counters.increment(CounterIds.of(RouterCounter.CLUSTER_FRAMES_REFUSED));
            return OfferStatus.TOO_LARGE;
        }
        frameEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .targetAgentId(proxy.remoteAgentId())
            .putFrame(buffer, offset, length);
        final int targetAt = envelopeAt + HEADER + EnvelopeEncoder.targetIdEncodingOffset();
        if (length >= HEADER + EnvelopeEncoder.BLOCK_LENGTH && sendBuffer.getLong(targetAt) == proxy.localAgentId())
        {
            sendBuffer.putLong(targetAt, proxy.remoteAgentId());
        }
        final int status = offerSigned(messageLength);
        counters.increment(CounterIds.of(switch (status)
        {
            case OfferStatus.OK -> RouterCounter.CLUSTER_FRAMES_OUT;
            case OfferStatus.BACK_PRESSURED -> RouterCounter.CLUSTER_BACK_PRESSURED;
            default -> RouterCounter.CLUSTER_NOT_CONNECTED;
        }));
        return status;
    }

    /** @return the buffer a message is encoded into at offset 0 before {@link #sendSigned} (the link's own). */
    UnsafeBuffer sendBuffer()
    {
        return sendBuffer;
    }

    /** @return the longest message {@link #sendSigned} takes (the MAC tag excluded). */
    int maxSignedLength()
    {
        return maxMessageLength - FrameMac.TAG_LENGTH;
    }

    /**
     * Sign and send the message encoded at the start of {@link #sendBuffer()} (LOW across hosts: {@link LowBridge}).
     *
     * @return {@code OK}, {@code BACK_PRESSURED}, {@code NOT_CONNECTED} (the peer is not up) or {@code TOO_LARGE}.
     */
    int sendSigned(final int length)
    {
        if (!up || mac == null || resetPending)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (length > maxSignedLength())
        {
            return OfferStatus.TOO_LARGE;
        }
        return offerSigned(length);
    }

    /**
     * Sign and offer the message at the start of the send buffer, only once the publication has room for all of it
     * (so that no signed message is dropped by back-pressure and the peer's MAC sequence stays in step).
     */
    int offerSigned(final int length)
    {
        final int total = length + FrameMac.TAG_LENGTH;
        if (!publication.isConnected())
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int payload = publication.maxPayloadLength();
        final long framed = (long)BitUtil.align(total, FrameDescriptor.FRAME_ALIGNMENT) +
            (long)((total + payload - 1) / payload + 1) * FrameDescriptor.FRAME_ALIGNMENT;
        if (publication.positionLimit() - publication.position() < framed)
        {
            return OfferStatus.BACK_PRESSURED;
        }
        mac.sign(sendByteBuffer, 0, length);
        final long result = offer(total);
        if (result > 0)
        {
            return OfferStatus.OK;
        }
        // Signed but not sent: the peer would fail every later tag. Reset the link (new nonce, resync).
        resetPending = true;
        LOG.log(System.Logger.Level.WARNING, "bridge to " + endpoint + ": a signed message could not be sent (" +
            Publication.errorString(result) + "); resetting the link");
        return result == Publication.BACK_PRESSURED ? OfferStatus.BACK_PRESSURED : OfferStatus.NOT_CONNECTED;
    }

    private long offer(final int length)
    {
        long result = 0;
        for (int i = 0; i < ADMIN_RETRIES; i++)
        {
            result = publication.offer(sendBuffer, 0, length);
            if (result != Publication.ADMIN_ACTION)
            {
                return result;
            }
        }
        return result;
    }

    void close()
    {
        publication.close();
    }

    /**
     * The bridge started a new Aeron client (the old one closed): the link goes on with a publication of the new one.
     * Call with the link down (a new incarnation follows).
     */
    void publication(final ExclusivePublication replacement)
    {
        publication.close();
        publication = replacement;
    }

    static boolean sameNonce(final byte[] a, final byte[] b)
    {
        return a != null && b != null && Arrays.equals(a, b);
    }

    @Override
    public String toString()
    {
        return "PeerLink{" + endpoint + (up ? " up" : " down") + ", " + proxies.size() + " agents}";
    }
}
