/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

/**
 * What an {@link Payload#END_PHASE} message's stamp says about the phase it ends, packed in one long:
 *
 * <pre>
 *   bits  0-23  payload length
 *   bits 24-31  (unused)
 *   bits 32-39  producers
 *   bits 40-43  the phase type
 *   bit  44     discard: a warm-up phase, not reported
 *   bits 48-55  round (0-based)
 *   bits 56-63  rounds in the phase
 * </pre>
 */
final class PhaseCode
{
    static final int PING_PONG = 1;
    static final int ONE_WAY = 2;
    static final int THROUGHPUT = 3;
    /** The first exchange after opening: proves the path works, then the responder pauses. */
    static final int SYNC = 4;
    /** The system-call window. */
    static final int SYSCALLS = 5;
    /** Wake-ups of a parked receiver. */
    static final int WAKE_UP = 6;
    /** The idle window. */
    static final int IDLE = 7;

    private static final long DISCARD_BIT = 1L << 44;

    private PhaseCode()
    {
    }

    static long encode(final int type, final int payloadLength, final int producers, final boolean discard)
    {
        return encode(type, payloadLength, producers, discard, 0, 1);
    }

    static long encode(
        final int type, final int payloadLength, final int producers, final boolean discard, final int round,
        final int rounds)
    {
        if (payloadLength < 0 || payloadLength > 0xFF_FFFF || round < 0 || round > 0xFF || rounds < 1 ||
            rounds > 0xFF || producers < 0 || producers > 0xFF)
        {
            throw new IllegalArgumentException("phase code out of range: payload " + payloadLength + ", producers " +
                producers + ", round " + round + " of " + rounds);
        }
        return payloadLength | ((long)producers << 32) | ((long)(type & 0xF) << 40) | (discard ? DISCARD_BIT : 0) |
            ((long)round << 48) | ((long)rounds << 56);
    }

    static int type(final long code)
    {
        return (int)((code >>> 40) & 0xF);
    }

    static int payloadLength(final long code)
    {
        return (int)(code & 0xFF_FFFFL);
    }

    static int producers(final long code)
    {
        return (int)((code >>> 32) & 0xFF);
    }

    static boolean discard(final long code)
    {
        return (code & DISCARD_BIT) != 0;
    }

    static int round(final long code)
    {
        return (int)((code >>> 48) & 0xFF);
    }

    static int rounds(final long code)
    {
        return (int)((code >>> 56) & 0xFF);
    }

    static boolean lastRound(final long code)
    {
        return round(code) == rounds(code) - 1;
    }
}
