package dev.switchboard.ipc;

/**
 * The one place the client side of {@code ipc-native} reports warnings and errors that have no caller to return them
 * to (a corrupt inbox, a tier that fell back): one line on the standard error stream, prefixed
 * {@code switchboard: WARNING} or {@code switchboard: ERROR}, as the rest of the module does until it routes them
 * through a context's error handler.
 *
 * <p>Thread-safety: safe from any thread. Allocation: the message string.
 */
public final class IpcLog
{
    private IpcLog()
    {
    }

    public static void warn(final String message)
    {
        System.err.println("switchboard: WARNING " + message);
    }

    static void error(final String message)
    {
        System.err.println("switchboard: ERROR " + message);
    }
}
