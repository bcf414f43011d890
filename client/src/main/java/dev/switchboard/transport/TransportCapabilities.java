package dev.switchboard.transport;

/**
 * What a transport can do, as data: callers never {@code instanceof} a transport.
 *
 * @param tier             the tier it implements.
 * @param maxMessageLength largest frame it accepts, in bytes; longer offers return
 *                         {@link OfferStatus#TOO_LARGE}.
 * @param direct           true when point-to-point frames go straight to the receiver, with no router
 *                         thread on the path.
 * @param durable          true when accepted frames survive a crash of either side.
 * @param crossProcess     true when the two ends may be different OS processes.
 */
public record TransportCapabilities(
    Tier tier, int maxMessageLength, boolean direct, boolean durable, boolean crossProcess)
{
}
