package dev.switchboard.ipc.durable;

/**
 * A LOW-tier failure handed to an {@link org.agrona.ErrorHandler}: its message says what failed, for which
 * destination and queue path, and why. Never thrown out of {@link DurableOutbox#append}.
 *
 * <p>Thread-safety: immutable. Allocation: made only on a failure path.
 */
public final class DurableQueueException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, where and why.
     * @param cause   the underlying error, or null.
     */
    public DurableQueueException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
