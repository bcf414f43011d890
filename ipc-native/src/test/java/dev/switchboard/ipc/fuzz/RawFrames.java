/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ipc.fuzz;

import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Frames for attacking live transports: valid control and data frames as an agent would send them, and a seeded,
 * structure-aware mutation of them (header fields and lengths set to boundary values, unknown enum bytes, truncation,
 * junk, bit flips, swapped template ids). The codecs module's {@code FrameMutator} does the same, more thoroughly,
 * against the validator alone; this one is small because each input here costs a socket or ring round trip.
 * <p>
 * Thread-safety: not thread-safe. Allocation: one array per frame.
 */
final class RawFrames
{
    private static final int[] TEMPLATE_IDS = {1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 30, 31, 32};

    private final SplittableRandom random;
    private final List<byte[]> seeds;

    RawFrames(final long seed)
    {
        this.random = new SplittableRandom(seed);
        this.seeds = List.of(
            register(1, "fuzz-agent", ""),
            register(2, "n".repeat(300), ""),
            heartbeat(7),
            subscribe("topic-" + seed),
            lookup("Receiver"),
            envelope(42, 43, Pattern.SEND, Priority.NORMAL, new byte[32]));
    }

    /**
     * @return a mutated frame, never empty (an empty frame is a framing error, attacked separately).
     */
    byte[] next()
    {
        byte[] frame = seeds.get(random.nextInt(seeds.size())).clone();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
        {
            frame = mutate(frame);
        }
        return frame.length == 0 ? new byte[]{(byte)random.nextInt(256)} : frame;
    }

    private byte[] mutate(final byte[] frame)
    {
        if (frame.length == 0)
        {
            return frame;
        }
        final ByteBuffer view = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        switch (random.nextInt(7))
        {
            case 0 ->
            {
                if (frame.length >= 8)
                {
                    view.putShort(random.nextInt(4) * 2, (short)boundary16(frame.length));
                }
            }
            case 1 ->
            {
                if (frame.length >= 4)
                {
                    view.putInt(random.nextInt(frame.length - 3), boundary32(frame.length));
                }
            }
            case 2 ->
            {
                if (frame.length >= 2)
                {
                    view.putShort(random.nextInt(frame.length - 1), (short)boundary16(frame.length));
                }
            }
            case 3 ->
            {
                return Arrays.copyOf(frame, random.nextInt(frame.length));
            }
            case 4 ->
            {
                final byte[] longer = Arrays.copyOf(frame, frame.length + 1 + random.nextInt(32));
                for (int i = frame.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt(256);
                }
                return longer;
            }
            case 5 ->
            {
                if (frame.length >= 8)
                {
                    view.putShort(2, (short)TEMPLATE_IDS[random.nextInt(TEMPLATE_IDS.length)]);
                }
            }
            default ->
            {
                final int at = random.nextInt(frame.length);
                frame[at] = (byte)(random.nextBoolean() ? 0xFF : random.nextInt(256));
            }
        }
        return frame;
    }

    private int boundary16(final int length)
    {
        return switch (random.nextInt(6))
        {
            case 0 -> 0;
            case 1 -> 0xFFFF;
            case 2 -> 0x8000;
            case 3 -> length + random.nextInt(5) - 2;
            case 4 -> 129;
            default -> random.nextInt(0x10000);
        };
    }

    private int boundary32(final int length)
    {
        return switch (random.nextInt(6))
        {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> length + random.nextInt(5) - 2;
            default -> random.nextInt();
        };
    }

    static byte[] register(final long correlationId, final String name, final String inbox)
    {
        final UnsafeBuffer buffer = buffer();
        final RegisterEncoder encoder = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).pid(ProcessHandle.current().pid()).requestedLeaseMs(0);
        encoder.tiers().normal(true);
        encoder.capabilitiesCount(1).next().capability("fuzz");
        final byte[] nameBytes = name.getBytes(UTF_8);
        encoder.putName(nameBytes, 0, nameBytes.length);
        encoder.putCredential(new byte[0], 0, 0);
        encoder.inbox(inbox);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] heartbeat(final long agentId)
    {
        final UnsafeBuffer buffer = buffer();
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .agentId(agentId).timestampNs(1);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] subscribe(final String topic)
    {
        final UnsafeBuffer buffer = buffer();
        final SubscribeEncoder encoder = new SubscribeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(3).agentId(5).targetId(0).kind(SubscriptionKind.TOPIC).name(topic);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] lookup(final String name)
    {
        final UnsafeBuffer buffer = buffer();
        final LookupEncoder encoder = new LookupEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(4).agentId(5).kind(LookupKind.BY_NAME).wantedAgentId(0).query(name);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] envelope(
        final long source, final long target, final Pattern pattern, final Priority priority, final byte[] payload)
    {
        final UnsafeBuffer buffer = buffer();
        final EnvelopeEncoder encoder = new EnvelopeEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .sourceAgentId(source).targetId(target).correlationId(0).timestampNs(0).flags(0)
            .targetKind(TargetKind.AGENT).pattern(pattern).priority(priority);
        encoder.putPayload(payload, 0, payload.length);
        return copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static UnsafeBuffer buffer()
    {
        return new UnsafeBuffer(new byte[4096]);
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }
}
