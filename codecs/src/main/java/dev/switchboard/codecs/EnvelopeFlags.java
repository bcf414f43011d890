package dev.switchboard.codecs;

/**
 * Bits of the Envelope {@code flags} field.
 *
 * <p>Thread-safety: constants only. Allocation: none.
 */
public final class EnvelopeFlags
{
    /** Set by the router on a work item it delivers again (its earlier holder left or missed the ack deadline). */
    public static final int REDELIVERED = 1;

    private EnvelopeFlags()
    {
    }
}
