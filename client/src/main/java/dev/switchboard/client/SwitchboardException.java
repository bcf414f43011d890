package dev.switchboard.client;

import dev.switchboard.codecs.sbe.ErrorCode;

/**
 * A control-plane request (register, subscribe, lookup...) that the router refused, or that got no
 * answer in time. Data-plane calls never throw for expected conditions: they return an
 * {@link dev.switchboard.transport.OfferStatus}.
 */
public final class SwitchboardException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code    why, as on the wire; null for a local failure such as a timeout.
     * @param message what went wrong and what the limit or value was.
     */
    public SwitchboardException(final ErrorCode code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * @return the router's error code, or null for a local failure.
     */
    public ErrorCode code()
    {
        return code;
    }
}
