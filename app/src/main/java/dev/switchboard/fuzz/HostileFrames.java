/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.fuzz.FrameMutator;
import dev.switchboard.codecs.sbe.DeregisterEncoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.JoinGroupEncoder;
import dev.switchboard.codecs.sbe.LeaveGroupEncoder;
import dev.switchboard.codecs.sbe.LinkListenEncoder;
import dev.switchboard.codecs.sbe.LinkRequestEncoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.UnsubscribeEncoder;
import dev.switchboard.codecs.sbe.WakeEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The inputs of the socket and inbox targets: frames an agent could send the router, most of them hostile but
 * well framed, so that a connection lives for many inputs. Input {@code i} is a function of the seed, {@code i} and
 * the agent id of the connection it goes on (a live id makes the router take the frame further), drawn as:
 * <ul>
 *     <li>about one in {@code closeEvery}: <b>broken framing</b> ({@link #CLOSER}): a length prefix of zero, negative,
 *     over the router's maximum or over the wire's, then junk; the router must close the connection;</li>
 *     <li>otherwise, 40%: a valid frame of any template, <b>mutated</b> by {@link FrameMutator};</li>
 *     <li>15%: a frame of the router's own protocol carrying the connection's agent id, mutated;</li>
 *     <li>45%: a <b>valid but hostile</b> request: lookups of names and ids that do not exist, heartbeats and
 *     deregistrations in another agent's name, subscriptions, groups and queues churned, data frames to dead or
 *     random agents, in a spoofed name, broadcasts, link requests and listens with bogus paths, wakes.</li>
 * </ul>
 * A frame for a connection that has not registered is cut to fit the router's handshake buffer, so that only a
 * {@link #CLOSER} closes a connection. Each frame is checked with a local {@link FrameValidator} whose rejections are
 * counted in the {@link FrameRejections} given: what the router must count. The static builders give the frames of a
 * well-behaved agent (register, heartbeat, lookup), for preambles and probes.
 * <p>
 * Thread-safety: not thread-safe; one per driver thread (instances with one seed give the same inputs). Allocation:
 * mutated frames allocate an array each; valid ones are encoded in place.
 */
final class HostileFrames
{
    /** {@link #next}: a well-framed input; the connection stays open. */
    static final int FRAME = 0;
    /** {@link #next}: broken framing; the router must close the connection after it. */
    static final int CLOSER = 1;
    /** Bytes of the length prefix before every frame. */
    static final int PREFIX = 4;
    /** Names in each pool of topics, groups, queues and agent names, so that hostile connections meet. */
    static final int POOL = 16;

    private static final long STREAM = 0x5A17_C0DE_F022L;
    private static final String[] TOPICS = pool("fz-topic-");
    private static final String[] GROUPS = pool("fz-group-");
    private static final String[] QUEUES = pool("fz-queue-");
    private static final String[] NAMES = pool("fz-name-");
    private static final String[] PATHS = {"", "/", "/nonexistent/fz.sock", "../../../etc/passwd", "/dev/shm/x",
        "/tmp/" + "p".repeat(200), "\u0000", "fz\nname"};
    private static final Priority[] PRIORITIES = {Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW,
        Priority.BATCH};
    private static final Pattern[] PATTERNS = {Pattern.SEND, Pattern.PUBLISH, Pattern.REQUEST, Pattern.RESPONSE,
        Pattern.WORK, Pattern.WORK_ACK, Pattern.BROADCAST, Pattern.MULTICAST};

    private final long seed;
    private final int closeEvery;
    private final int handshakeFrameLimit;
    private final int maxFrameLength;
    private final FrameMutator small;
    private final FrameMutator any;
    private final FrameValidator validator;
    private final byte[] junk = new byte[4096];
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final LookupEncoder lookup = new LookupEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final DeregisterEncoder deregister = new DeregisterEncoder();
    private final SubscribeEncoder subscribe = new SubscribeEncoder();
    private final UnsubscribeEncoder unsubscribe = new UnsubscribeEncoder();
    private final JoinGroupEncoder joinGroup = new JoinGroupEncoder();
    private final LeaveGroupEncoder leaveGroup = new LeaveGroupEncoder();
    private final EnvelopeEncoder envelope = new EnvelopeEncoder();
    private final LinkRequestEncoder linkRequest = new LinkRequestEncoder();
    private final LinkListenEncoder linkListen = new LinkListenEncoder();
    private final WakeEncoder wake = new WakeEncoder();
    private UnsafeBuffer record = new UnsafeBuffer(new byte[256 * 1024]);
    private int recordLength;

    /**
     * @param seed                 of the inputs.
     * @param closeEvery           one input in about this many breaks the framing.
     * @param handshakeBufferBytes the router's receive buffer before registration
     *                             ({@code switchboard.router.handshake.buffer.bytes}).
     * @param maxFrameLength       the router's largest frame (its ingress capacity / 8).
     * @param expected             counts, per error, of the frames a local validator rejects.
     */
    HostileFrames(
        final long seed,
        final int closeEvery,
        final int handshakeBufferBytes,
        final int maxFrameLength,
        final FrameRejections expected)
    {
        this.seed = seed;
        this.closeEvery = closeEvery;
        this.handshakeFrameLimit = handshakeBufferBytes - PREFIX;
        this.maxFrameLength = maxFrameLength;
        final List<byte[]> valid = FrameMutator.validFrames();
        this.small = new FrameMutator(seed, valid.stream().filter(f -> f.length <= 4096).toList());
        this.any = new FrameMutator(seed, valid);
        this.validator = new FrameValidator(Math.min(maxFrameLength, WireLimits.MAX_FRAME_LENGTH), expected);
    }

    /**
     * Prepare input {@code index}: its record (length prefix and frame) is then in {@link #record()}.
     *
     * @param index   of the input.
     * @param agentId the agent registered on the connection, or 0 if none (frames are then cut to the handshake
     *                buffer).
     * @return {@link #FRAME} or {@link #CLOSER}.
     */
    int next(final long index, final long agentId)
    {
        final SplittableRandom random = FrameMutator.randomFor(seed ^ STREAM, index);
        if (random.nextInt(closeEvery) == 0)
        {
            brokenFraming(random);
            return CLOSER;
        }
        final int draw = random.nextInt(100);
        int length;
        if (draw < 40)
        {
            length = put(random.nextInt(500) == 0 ? any.input(index) : small.input(index));
        }
        else if (draw < 55)
        {
            final int valid = validRequest(random, agentId);
            final byte[] frame = new byte[valid];
            record.getBytes(PREFIX, frame);
            length = put(small.mutate(frame, index));
        }
        else
        {
            length = validRequest(random, agentId);
        }
        if (agentId == 0 && length > handshakeFrameLimit)
        {
            length = handshakeFrameLimit;
        }
        if (length == 0)
        {
            length = 1; // a length prefix of zero is broken framing, which only a CLOSER sends
            record.putByte(PREFIX, (byte)random.nextInt(256));
        }
        record.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        recordLength = PREFIX + length;
        validator.validate(record, PREFIX, length);
        return FRAME;
    }

    /**
     * @return the buffer holding the record {@link #next} prepared, from offset 0.
     */
    UnsafeBuffer record()
    {
        return record;
    }

    /**
     * @return bytes of that record, length prefix included.
     */
    int recordLength()
    {
        return recordLength;
    }

    private void brokenFraming(final SplittableRandom random)
    {
        final int length = switch (random.nextInt(7))
        {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> maxFrameLength + 1;
            case 4 -> Integer.MAX_VALUE;
            case 5 -> WireLimits.MAX_FRAME_LENGTH + 1;
            default -> -1 - random.nextInt(Integer.MAX_VALUE);
        };
        record.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++)
        {
            record.putByte(PREFIX + i, (byte)random.nextInt(256));
        }
        recordLength = PREFIX + 8;
    }

    private int put(final byte[] frame)
    {
        if (PREFIX + frame.length > record.capacity())
        {
            record = new UnsafeBuffer(new byte[PREFIX + frame.length]);
        }
        record.putBytes(PREFIX, frame);
        return frame.length;
    }

    /**
     * Encode a valid, hostile request at {@link #PREFIX}.
     *
     * @return its length.
     */
    private int validRequest(final SplittableRandom random, final long agentId)
    {
        final long correlationId = random.nextLong();
        final long otherId = random.nextInt(4) == 0 ? random.nextLong() : 1 + random.nextInt(Math.max(1,
            (int)Math.min(Integer.MAX_VALUE - 16, agentId + 16)));
        final long self = agentId != 0 && random.nextInt(8) != 0 ? agentId : otherId;
        final int k = random.nextInt(POOL);
        final MutableDirectBuffer b = record;
        final int encoded = switch (random.nextInt(16))
        {
            case 0 -> lookup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .kind(LookupKind.BY_NAME).wantedAgentId(0).query(NAMES[k]).encodedLength();
            case 1 -> lookup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .kind(LookupKind.BY_ID).wantedAgentId(otherId).query("").encodedLength();
            case 2 -> lookup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .kind(LookupKind.BY_CAPABILITY).wantedAgentId(0).query(k == 0 ? "fuzz" : NAMES[k]).encodedLength();
            case 3 -> heartbeat.wrapAndApplyHeader(b, PREFIX, header).agentId(random.nextBoolean() ? self : otherId)
                .timestampNs(random.nextLong()).encodedLength();
            // Deregistering the connection's own agent is rare: its later data frames are then refused.
            case 4 -> deregister.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId)
                .agentId(random.nextInt(64) == 0 ? agentId : otherId).encodedLength();
            case 5 -> subscribe.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .targetId(0).kind(subscriptionKind(random)).name(random.nextBoolean() ? TOPICS[k] : QUEUES[k])
                .encodedLength();
            case 6 -> unsubscribe.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .targetId(0).kind(subscriptionKind(random)).name(random.nextBoolean() ? TOPICS[k] : QUEUES[k])
                .encodedLength();
            case 7 -> joinGroup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .groupId(0).name(GROUPS[k]).encodedLength();
            case 8 -> leaveGroup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .groupId(random.nextBoolean() ? 0 : NameIds.of(GROUPS[k])).name(GROUPS[k]).encodedLength();
            case 9, 10, 11 -> dataFrame(random, agentId, otherId, k);
            case 12 -> linkRequest.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .targetAgentId(otherId).priority(PRIORITIES[random.nextInt(PRIORITIES.length)]).encodedLength();
            case 13 -> linkListen.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .normalPath(PATHS[random.nextInt(PATHS.length)]).highPath(PATHS[random.nextInt(PATHS.length)])
                .encodedLength();
            case 14 -> wake.wrapAndApplyHeader(b, PREFIX, header).agentId(self).targetAgentId(otherId).encodedLength();
            default -> lookup.wrapAndApplyHeader(b, PREFIX, header).correlationId(correlationId).agentId(self)
                .kind(LookupKind.BY_NAME).wantedAgentId(0).query("Receiver").encodedLength();
        };
        return MessageHeaderEncoder.ENCODED_LENGTH + encoded;
    }

    private int dataFrame(final SplittableRandom random, final long agentId, final long otherId, final int k)
    {
        final Pattern pattern = PATTERNS[random.nextInt(PATTERNS.length)];
        final TargetKind targetKind = switch (pattern)
        {
            case PUBLISH -> TargetKind.TOPIC;
            case MULTICAST -> TargetKind.GROUP;
            case WORK, WORK_ACK -> TargetKind.QUEUE;
            case BROADCAST -> TargetKind.ALL;
            default -> TargetKind.AGENT;
        };
        final long targetId = switch (targetKind)
        {
            case TOPIC -> NameIds.of(TOPICS[k]);
            case GROUP -> NameIds.of(GROUPS[k]);
            case QUEUE -> NameIds.of(QUEUES[k]);
            case ALL -> 0;
            default -> otherId;
        };
        // Broadcasts reach every agent, the campaign's well-behaved ones too: rare, and without a payload.
        final int payloadLength = pattern == Pattern.BROADCAST ? 0 :
            random.nextInt(16) == 0 ? random.nextInt(junk.length) : random.nextInt(64);
        for (int i = 0; i < Math.min(payloadLength, 16); i++)
        {
            junk[i] = (byte)random.nextInt(256);
        }
        if (pattern == Pattern.BROADCAST && random.nextInt(8) != 0)
        {
            // Mostly sent from a name that is not the connection's: refused before any fan-out.
            return MessageHeaderEncoder.ENCODED_LENGTH + envelope(otherId, targetId, TargetKind.ALL, pattern,
                random, 0);
        }
        final long source = random.nextInt(6) == 0 ? otherId : agentId;
        return MessageHeaderEncoder.ENCODED_LENGTH + envelope(source, targetId, targetKind, pattern, random,
            payloadLength);
    }

    private int envelope(
        final long source,
        final long targetId,
        final TargetKind targetKind,
        final Pattern pattern,
        final SplittableRandom random,
        final int payloadLength)
    {
        envelope.wrapAndApplyHeader(record, PREFIX, header).sourceAgentId(source).targetId(targetId)
            .correlationId(random.nextLong()).timestampNs(random.nextLong()).flags(random.nextInt(4))
            .targetKind(targetKind).pattern(pattern).priority(PRIORITIES[random.nextInt(PRIORITIES.length)]);
        envelope.putPayload(junk, 0, payloadLength);
        return envelope.encodedLength();
    }

    private static SubscriptionKind subscriptionKind(final SplittableRandom random)
    {
        final int draw = random.nextInt(16);
        return draw == 0 ? SubscriptionKind.REGISTRY : draw < 5 ? SubscriptionKind.QUEUE : SubscriptionKind.TOPIC;
    }

    private static String[] pool(final String prefix)
    {
        final String[] names = new String[POOL];
        for (int i = 0; i < POOL; i++)
        {
            names[i] = prefix + i;
        }
        return names;
    }

    // -- The frames of a well-behaved agent -----------------------------------------------------------------------

    /**
     * @param correlationId of the request.
     * @param name          agent name.
     * @param leaseMs       requested lease.
     * @return a Register frame with no credential, no inbox and the capability "fuzz".
     */
    static byte[] register(final long correlationId, final String name, final int leaseMs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final RegisterEncoder encoder = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).pid(ProcessHandle.current().pid()).requestedLeaseMs(leaseMs);
        encoder.tiers().normal(true).high(true);
        encoder.capabilitiesCount(1).next().capability("fuzz");
        final byte[] nameBytes = name.getBytes(UTF_8);
        encoder.putName(nameBytes, 0, nameBytes.length);
        encoder.putCredential(new byte[0], 0, 0);
        encoder.inbox("");
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @param agentId the agent whose lease to renew (or, as a HIGH link's first frame, which attaches it).
     * @return a Heartbeat frame.
     */
    static byte[] heartbeat(final long agentId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder encoder = new HeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).agentId(agentId).timestampNs(System.nanoTime());
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @param correlationId of the request (its LookupResult carries it back).
     * @param name          agent name to look up.
     * @return a Lookup frame.
     */
    static byte[] lookup(final long correlationId, final String name)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final LookupEncoder encoder = new LookupEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).agentId(0).kind(LookupKind.BY_NAME).wantedAgentId(0).query(name);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }
}
