package dev.switchboard.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test helper: the records one {@link System.Logger} gets while this is open, through the JDK's default binding
 * (java.util.logging), whose logger of the same name this attaches a handler to. Library code logs instead of printing,
 * so a test that checks a warning listens here rather than on {@code System.err}.
 *
 * <pre>
 * try (LogCapture log = LogCapture.of(StopSignals.class.getName()))
 * {
 *     ...
 *     assertEquals(List.of("WARNING process 42 ..."), log.lines());
 * }
 * </pre>
 */
public final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(final Logger logger)
    {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /**
     * @param loggerName the logger to listen to (and its children).
     * @return the capture, listening until closed.
     */
    public static LogCapture of(final String loggerName)
    {
        final LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.logger.addHandler(capture);
        return capture;
    }

    /** @return each record so far as {@code LEVEL message}, with java.util.logging's level names. */
    public List<String> lines()
    {
        return records.stream().map(r -> r.getLevel().getName() + " " + r.getMessage()).toList();
    }

    /** @return the records so far. */
    public List<LogRecord> records()
    {
        return List.copyOf(records);
    }

    @Override
    public void publish(final LogRecord record)
    {
        records.add(record);
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
    }
}
