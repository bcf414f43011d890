package dev.switchboard.ipc;

/**
 * The one place the client side of {@code ipc-native} reports warnings and errors that have no caller to return them
 * to (a corrupt inbox, a tier that fell back, frames lost at close): the {@link System.Logger} named
 * {@value #LOGGER_NAME}, at {@code WARNING} or {@code ERROR}. Through the JDK's default binding (java.util.logging)
 * they reach the standard error stream; an application that installs another binding gets them there.
 *
 * <p>Thread-safety: safe from any thread. Allocation: the message string, and the logger's record. Never called on a
 * per-message path: callers report once, or at most once per interval ({@link RateLimitedErrors}).
 */
public final class IpcLog
{
    /** Name of the logger. */
    static final String LOGGER_NAME = "dev.switchboard.ipc";

    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private IpcLog()
    {
    }

    public static void warn(final String message)
    {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    static void error(final String message)
    {
        LOG.log(System.Logger.Level.ERROR, message);
    }
}
