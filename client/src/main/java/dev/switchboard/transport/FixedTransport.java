package dev.switchboard.transport;

/**
 * A {@link Transport} whose capabilities are fixed when it is made: the common case (NORMAL, HIGH, LOW, IN_PROCESS),
 * so each tier's transport holds only its own sending and reading.
 *
 * <p>Thread-safety: as {@link Transport}. Allocation: none.
 */
public abstract class FixedTransport implements Transport
{
    private final TransportCapabilities capabilities;

    /**
     * @param capabilities what this transport can do, for its life.
     */
    protected FixedTransport(final TransportCapabilities capabilities)
    {
        this.capabilities = capabilities;
    }

    @Override
    public final TransportCapabilities capabilities()
    {
        return capabilities;
    }
}
