package dev.switchboard.ipc;

/**
 * For programs' mains only (like {@link StopSignals}): how Switchboard's own programs show what libraries log.
 *
 * <p>Switchboard's libraries log through {@link System.Logger} and never choose a binding or a format: an application
 * that embeds them decides. Without a binding, the JDK sends {@code System.Logger} to java.util.logging, whose console
 * handler writes {@code INFO} and above to standard error, two lines per record (a date line, then the level and the
 * message). {@link #oneLinePerRecord()} makes that one line, {@value #FORMAT}: for example
 * <pre>
 *   00:31:07 WARNING dev.switchboard.ipc: HIGH tier unavailable, falling back to NORMAL: io_uring disabled by ...
 * </pre>
 * (time, level, logger name, message, then the stack trace when there is one). It is a default only: a program started
 * with {@code -D}{@value #FORMAT_PROP} keeps its own format. Levels are java.util.logging's: a {@code System.Logger}
 * {@code ERROR} shows as {@code SEVERE}, {@code DEBUG} as {@code FINE}.
 *
 * <p>Thread-safety: call at the start of a main, before anything logs (the console handler reads the format when it
 * is made, on the first record).
 */
public final class ConsoleLogging
{
    /** java.util.logging's property for the format of its {@code SimpleFormatter}. */
    public static final String FORMAT_PROP = "java.util.logging.SimpleFormatter.format";
    /** The one-line format: time, level, logger, message, stack trace. */
    public static final String FORMAT = "%1$tT %4$s %3$s: %5$s%6$s%n";

    private ConsoleLogging()
    {
    }

    /**
     * Make the JDK's console logging print one line per record ({@value #FORMAT}), unless this JVM was given a
     * format of its own.
     */
    public static void oneLinePerRecord()
    {
        System.getProperties().putIfAbsent(FORMAT_PROP, FORMAT);
    }
}
