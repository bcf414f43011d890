/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

/**
 * What an {@link Payload#END_PHASE} message's stamp says about the phase it ends, packed in one long:
 * bits 0-31 payload length, 32-39 producers, 40-43 the phase type, bit 44 "discard" (a warm-up phase, not reported).
 */
final class PhaseCode
{
    static final int PING_PONG = 1;
    static final int ONE_WAY = 2;
    static final int THROUGHPUT = 3;

    private static final long DISCARD_BIT = 1L << 44;

    private PhaseCode()
    {
    }

    static long encode(final int type, final int payloadLength, final int producers, final boolean discard)
    {
        return (payloadLength & 0xFFFF_FFFFL) | ((long)(producers & 0xFF) << 32) | ((long)(type & 0xF) << 40) |
            (discard ? DISCARD_BIT : 0);
    }

    static int type(final long code)
    {
        return (int)((code >>> 40) & 0xF);
    }

    static int payloadLength(final long code)
    {
        return (int)(code & 0xFFFF_FFFFL);
    }

    static int producers(final long code)
    {
        return (int)((code >>> 32) & 0xFF);
    }

    static boolean discard(final long code)
    {
        return (code & DISCARD_BIT) != 0;
    }
}
