package dev.switchboard.codecs;

import dev.switchboard.codecs.sbe.ErrorCode;

/**
 * Why {@link FrameValidator} refused a frame. Each value maps to the wire's {@link ErrorCode} (so a router can tell the
 * sender in an Error message) and to the negative {@link #code()} that {@link FrameValidator#validate} returns.
 * <p>
 * Thread-safety: immutable. Allocation: none.
 */
public enum FrameError
{
    /** The header's schema id is not Switchboard's. */
    UNKNOWN_SCHEMA(ErrorCode.UNKNOWN_SCHEMA),
    /** The header's version is newer than the schema this decoder was generated from. */
    UNSUPPORTED_VERSION(ErrorCode.UNSUPPORTED_VERSION),
    /** The frame ends before the message its header and length fields describe. */
    TRUNCATED(ErrorCode.TRUNCATED),
    /** The frame, or a length inside it, exceeds the validator's maximum frame length. */
    TOO_LARGE(ErrorCode.TOO_LARGE),
    /** The header's template id names no message of the schema. */
    UNKNOWN_TEMPLATE(ErrorCode.UNKNOWN_TEMPLATE),
    /** The layout contradicts the schema: a block too short, an unknown enum value, bytes after the message. */
    MALFORMED(ErrorCode.MALFORMED);

    private static final FrameError[] VALUES = values();

    private final ErrorCode errorCode;

    FrameError(final ErrorCode errorCode)
    {
        this.errorCode = errorCode;
    }

    /**
     * The wire error code for this rejection.
     *
     * @return the matching {@link ErrorCode}.
     */
    public ErrorCode errorCode()
    {
        return errorCode;
    }

    /**
     * The negative value {@link FrameValidator#validate} returns for this error: {@code -(ordinal() + 1)}.
     *
     * @return a value in {@code [-values().length, -1]}.
     */
    public int code()
    {
        return -(ordinal() + 1);
    }

    /**
     * The error a negative result of {@link FrameValidator#validate} stands for.
     *
     * @param code a negative result of {@code validate}.
     * @return the error.
     * @throws IllegalArgumentException if {@code code} is not the code of an error.
     */
    public static FrameError ofCode(final int code)
    {
        final int index = -code - 1;
        if (index < 0 || index >= VALUES.length)
        {
            throw new IllegalArgumentException("not a frame error code: " + code);
        }

        return VALUES[index];
    }
}
