/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

/**
 * The layout of every message the harness sends, whatever the transport:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 stamp: System.nanoTime() (long)               |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     seq: sequence (long)                      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     kind (int, little endian)                 | 16
 *  +---------------------------------------------------------------+
 *  |                 filler up to the payload length              ... 20
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * All fields are little endian (native order on x86 and ARM).
 */
public final class Payload
{
    /** Offset of the stamp. */
    public static final int STAMP_OFFSET = 0;
    /** Offset of the sequence. */
    public static final int SEQ_OFFSET = 8;
    /** Offset of the kind. */
    public static final int KIND_OFFSET = 16;
    /** The shortest message: stamp, sequence and kind. */
    public static final int MIN_LENGTH = 20;

    /** The initiator times a round trip; the responder echoes it back at once (kind {@link #PONG}). */
    public static final int PING = 1;
    /** The echo of a {@link #PING}, carrying its stamp and sequence. */
    public static final int PONG = 2;
    /** One-way at a fixed rate: the stamp is the intended send time; the responder records arrival - stamp. */
    public static final int ONE_WAY = 3;
    /** Throughput: the responder counts it. */
    public static final int COUNT = 4;
    /** Warm-up traffic of any phase: echoed if it is a ping, otherwise ignored. */
    public static final int WARM_UP = 5;
    /**
     * End of a phase: seq carries how many messages the phase sent; the responder finishes the phase (writes its
     * histogram, waits for that many counted messages) and echoes {@link #PHASE_DONE}.
     */
    public static final int END_PHASE = 6;
    /** The responder's acknowledgement of {@link #END_PHASE}. */
    public static final int PHASE_DONE = 7;
    /** The initiator is done; the responder exits. */
    public static final int STOP = 8;
    /**
     * Wake-up of a parked receiver: the stamp is the actual send time; the responder, idle under its endpoint's idle
     * strategy since the last one, records arrival - stamp.
     */
    public static final int WAKE_UP = 9;

    /**
     * A ping carries its own length in the kind's upper bits, so the echo can be the same size: {@code kind(PING,
     * 1024)}. Endpoints carry the int as it is; only the drivers pack and unpack it.
     *
     * @param kind   the kind (low 8 bits).
     * @param length the message length (bits 8-31).
     * @return the packed kind field.
     */
    public static int withLength(final int kind, final int length)
    {
        return kind | (length << 8);
    }

    /**
     * @param field a kind field.
     * @return the kind alone.
     */
    public static int kindOf(final int field)
    {
        return field & 0xFF;
    }

    /**
     * @param field a kind field made by {@link #withLength}.
     * @return the length packed in it (0 when none was).
     */
    public static int lengthOf(final int field)
    {
        return field >>> 8;
    }

    private Payload()
    {
    }
}
