/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.codecs.fuzz;

import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.WireLimits;

import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.TargetKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A seeded, structure-aware generator of malformed frames, for where Jazzer does not run (and for a bounded CI run
 * either way): it starts from valid encoded frames of every template of the schema ({@link SampleMessage}, plus an
 * oversized name, an empty and a large payload) and stacks one to four mutations: a header field (block length,
 * template id, schema id, version) or any uint16/uint32 in the frame set to a boundary value (0, 1, -1, 0x7FFF,
 * 0x8000, 0xFFFF, {@code Integer.MAX_VALUE}, {@code Integer.MIN_VALUE}, the frame's length plus or minus a little:
 * zero, negative and lying lengths), a byte set to an unknown enum value, truncation, extension with junk, bit flips,
 * splicing two frames, or random bytes. A quarter of the inputs are left unmutated apart from their template id being
 * swapped for another valid one, so every template's walk is exercised with foreign bodies.
 * <p>
 * Inputs are addressed by index: {@link #input(long)} is a function of the seed and the index alone, so a finding is
 * reproduced by its seed and index, whatever ran before it and on whichever thread. {@link #mutate(byte[], long)}
 * applies the same mutations to a frame the caller built (the fuzz campaign's frames carry a live agent's id).
 * <p>
 * Thread-safety: not thread-safe (one instance per thread; instances with one seed give the same inputs).
 * Allocation: a random generator and one array per input (a generator, not a hot path).
 */
public final class FrameMutator
{
    private static final int[] TEMPLATE_IDS = Arrays.stream(SampleMessage.values())
        .mapToInt(SampleMessage::templateId).toArray();

    private final long seed;
    private final List<byte[]> seeds;
    private SplittableRandom random;
    private long nextIndex;

    /**
     * A mutator of {@link #validFrames()}.
     *
     * @param seed of the inputs.
     */
    public FrameMutator(final long seed)
    {
        this(seed, validFrames());
    }

    /**
     * A mutator of the given valid frames.
     *
     * @param seed  of the inputs.
     * @param seeds valid frames to start from (kept, not copied: do not change them), at least one.
     */
    public FrameMutator(final long seed, final List<byte[]> seeds)
    {
        if (seeds.isEmpty())
        {
            throw new IllegalArgumentException("a mutator needs at least one valid frame to start from");
        }
        this.seed = seed;
        this.seeds = List.copyOf(seeds);
        this.random = new SplittableRandom(seed);
    }

    /**
     * Valid frames of every template, the starting points of mutation (also the Jazzer seed corpus).
     *
     * @return new arrays, one frame each.
     */
    public static List<byte[]> validFrames()
    {
        final List<byte[]> frames = new ArrayList<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 1024));
        for (final SampleMessage message : SampleMessage.values())
        {
            final int length = message.encode(buffer, 0);
            frames.add(copy(buffer, length));
        }

        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] oversizedName = "n".repeat(WireLimits.MAX_NAME_LENGTH * 8).getBytes(UTF_8);
        final RegisterEncoder register = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).pid(2).requestedLeaseMs(-1);
        register.capabilitiesCount(0);
        register.putName(oversizedName, 0, oversizedName.length);
        register.putCredential(new byte[0], 0, 0);
        register.inbox("");
        frames.add(copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + register.encodedLength()));

        for (final int payloadLength : new int[]{0, 60_000})
        {
            final EnvelopeEncoder envelope = new EnvelopeEncoder().wrapAndApplyHeader(buffer, 0, header)
                .sourceAgentId(1).targetId(2).correlationId(3).timestampNs(4).flags(0)
                .targetKind(TargetKind.AGENT).pattern(Pattern.SEND).priority(Priority.NORMAL);
            envelope.putPayload(new byte[payloadLength], 0, payloadLength);
            frames.add(copy(buffer, MessageHeaderEncoder.ENCODED_LENGTH + envelope.encodedLength()));
        }

        return frames;
    }

    /**
     * @return the seed of the inputs.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @return the input after the last one generated by this method ({@code input(0)}, {@code input(1)}, ...).
     */
    public byte[] next()
    {
        return input(nextIndex++);
    }

    /**
     * The input at an index: one of the valid frames, mutated.
     *
     * @param index of the input, from 0.
     * @return a new array, a function of the seed and the index.
     */
    public byte[] input(final long index)
    {
        reseed(index);
        final byte[] frame = seeds.get(random.nextInt(seeds.size())).clone();
        if (random.nextInt(4) == 0)
        {
            putShort(frame, FrameValidator.TEMPLATE_ID_OFFSET, TEMPLATE_IDS[random.nextInt(TEMPLATE_IDS.length)]);
            return frame;
        }
        return mutateWithCurrentRandom(frame);
    }

    /**
     * One to four mutations of a given frame, chosen by the seed and the index.
     *
     * @param frame a frame; not changed.
     * @param index of the input, from 0.
     * @return a new array (possibly empty), a function of the seed, the index and the frame.
     */
    public byte[] mutate(final byte[] frame, final long index)
    {
        reseed(index);
        return mutateWithCurrentRandom(frame.clone());
    }

    /**
     * The random generator of one input: a function of the seed and the index alone (SplitMix64's finaliser over
     * both), so that neighbouring indices and seeds give unrelated sequences. Generators built on this class use it so
     * that their inputs, too, are reproduced by seed and index.
     *
     * @param seed  of the campaign (or of one stream in it).
     * @param index of the input.
     * @return a new generator.
     */
    public static SplittableRandom randomFor(final long seed, final long index)
    {
        return new SplittableRandom(mix64(seed ^ mix64(index + 0x9E3779B97F4A7C15L)));
    }

    private void reseed(final long index)
    {
        random = randomFor(seed, index);
    }

    private static long mix64(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private byte[] mutateWithCurrentRandom(final byte[] frame)
    {
        byte[] mutated = frame;
        final int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++)
        {
            mutated = mutate(mutated);
        }

        return mutated;
    }

    private byte[] mutate(final byte[] frame)
    {
        switch (random.nextInt(10))
        {
            case 0 ->
            {
                final int field = random.nextInt(4) * 2;
                putShort(frame, field, interesting16(frame.length));
                return frame;
            }
            case 1 ->
            {
                if (frame.length >= 2)
                {
                    putShort(frame, random.nextInt(frame.length - 1), interesting16(frame.length));
                }
                return frame;
            }
            case 2 ->
            {
                if (frame.length >= 4)
                {
                    putInt(frame, random.nextInt(frame.length - 3), interesting32(frame.length));
                }
                return frame;
            }
            case 3 ->
            {
                if (frame.length > 0)
                {
                    frame[random.nextInt(frame.length)] = (byte)(random.nextBoolean() ? random.nextInt(256) : 0xFF);
                }
                return frame;
            }
            case 4 ->
            {
                return Arrays.copyOf(frame, frame.length == 0 ? 0 : random.nextInt(frame.length));
            }
            case 5 ->
            {
                final byte[] longer = Arrays.copyOf(frame, frame.length + 1 + random.nextInt(64));
                for (int i = frame.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt(256);
                }
                return longer;
            }
            case 6 ->
            {
                for (int i = 0, n = 1 + random.nextInt(8); i < n && frame.length > 0; i++)
                {
                    final int at = random.nextInt(frame.length);
                    frame[at] ^= (byte)(1 << random.nextInt(8));
                }
                return frame;
            }
            case 7 ->
            {
                final byte[] other = seeds.get(random.nextInt(seeds.size()));
                final int cut = frame.length == 0 ? 0 : random.nextInt(frame.length);
                final int from = random.nextInt(other.length);
                final byte[] spliced = Arrays.copyOf(frame, cut + other.length - from);
                System.arraycopy(other, from, spliced, cut, other.length - from);
                return spliced;
            }
            case 8 ->
            {
                final byte[] junk = new byte[random.nextInt(48)];
                for (int i = 0; i < junk.length; i++)
                {
                    junk[i] = (byte)random.nextInt(256);
                }
                if (junk.length >= 8 && random.nextBoolean())
                {
                    System.arraycopy(frame, 0, junk, 0, Math.min(8, frame.length));
                }
                return junk;
            }
            default ->
            {
                if (frame.length >= 8)
                {
                    putShort(frame, FrameValidator.TEMPLATE_ID_OFFSET, TEMPLATE_IDS[random.nextInt(TEMPLATE_IDS.length)]);
                }
                return frame;
            }
        }
    }

    private int interesting16(final int frameLength)
    {
        return switch (random.nextInt(10))
        {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 0xFFFF;
            case 3 -> 0x7FFF;
            case 4 -> 0x8000;
            case 5 -> frameLength + random.nextInt(9) - 4;
            case 6 -> WireLimits.MAX_NAME_LENGTH + random.nextInt(3) - 1;
            case 7 -> random.nextInt(64);
            case 8 -> 0xFFFE;
            default -> random.nextInt(0x10000);
        };
    }

    private int interesting32(final int frameLength)
    {
        return switch (random.nextInt(10))
        {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> frameLength + random.nextInt(9) - 4;
            case 5 -> FrameOracle.MAX_FRAME_LENGTH + random.nextInt(3) - 1;
            case 6 -> WireLimits.MAX_FRAME_LENGTH + 1;
            case 7 -> 1 << 30;
            case 8 -> random.nextInt(128);
            default -> random.nextInt();
        };
    }

    private static void putShort(final byte[] frame, final int offset, final int value)
    {
        if (offset + 2 <= frame.length)
        {
            ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short)value);
        }
    }

    private static void putInt(final byte[] frame, final int offset, final int value)
    {
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }
}
