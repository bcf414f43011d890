package dev.switchboard.transport;

/**
 * Outcome of every offer-like call in Switchboard (ring offer, transport offer, client send, publish,
 * request...). Expected conditions are values, never exceptions, in the spirit of Aeron's
 * {@code Publication.offer}: the caller decides whether to retry, drop or escalate. Nothing is ever
 * dropped silently: a caller that sees a negative value knows the message did not go.
 *
 * <p>Calls that produce an id on success (for example {@code request}, which returns its correlation id)
 * return that positive id instead of {@link #OK}; all failures are negative.
 *
 * <p>Thread-safety: constants only. Allocation: none.
 */
public final class OfferStatus
{
    /** Accepted: the message is in the receiver's ring (or the router's ingress). */
    public static final int OK = 0;
    /** The ring is full for now; retry later. Nothing was written. */
    public static final int BACK_PRESSURED = -1;
    /** The destination is unknown, not registered, or its connection is gone. */
    public static final int NOT_CONNECTED = -2;
    /** The message is longer than the destination's maximum message length. */
    public static final int TOO_LARGE = -3;
    /** Refused: bad argument (length, type id), or refused by policy. */
    public static final int REJECTED = -4;
    /** This end has been closed. */
    public static final int CLOSED = -5;

    private OfferStatus()
    {
    }

    /**
     * Name of a status for logs and error messages.
     *
     * @param status a value returned by an offer-like call.
     * @return its name, or {@code "OK(n)"} for a positive id.
     */
    public static String name(final long status)
    {
        if (status > 0)
        {
            return "OK(" + status + ")";
        }
        return switch ((int)status)
        {
            case OK -> "OK";
            case BACK_PRESSURED -> "BACK_PRESSURED";
            case NOT_CONNECTED -> "NOT_CONNECTED";
            case TOO_LARGE -> "TOO_LARGE";
            case REJECTED -> "REJECTED";
            case CLOSED -> "CLOSED";
            default -> "UNKNOWN(" + status + ")";
        };
    }
}
