package dev.switchboard.codecs;

/**
 * Limits of the bridge between routers on several hosts (Aeron UDP) that a client must know at send.
 *
 * <p>Thread-safety: constants only. Allocation: none.
 */
public final class BridgeLimits
{
    /** The bridge's largest message: an eighth of its Aeron term length (4 MiB). */
    public static final int MAX_MESSAGE_LENGTH = 512 * 1024;

    /**
     * The largest LOW frame (Envelope header included) to an agent on another host: the bridge's largest message
     * less what one LOW shipment adds around the frame (message header and fields, a name of up to
     * {@link WireLimits#MAX_NAME_LENGTH} bytes, length fields, the link MAC), rounded down to leave 1 KiB. Larger LOW
     * sends to a remote agent are refused at send ({@code TOO_LARGE}), never appended and then not carried.
     */
    public static final int MAX_LOW_FRAME_LENGTH = MAX_MESSAGE_LENGTH - 1024;

    private BridgeLimits()
    {
    }
}
