package dev.switchboard.ipc;

import dev.switchboard.counters.file.DistinctErrorLog;
import org.agrona.ErrorHandler;

/**
 * An {@link ErrorHandler} that reports through {@link IpcLog} at most once per interval: the first error of an interval
 * is logged (a warning), the others are counted and summed up with the next one logged. A peer filling a disk or writing garbage
 * in a loop gets one line a second, not one per frame (each error is still counted where it happened). Every error,
 * logged or not, is also logged in a counters file's distinct error log when one is given, under the kind
 * {@code "<what>: <exception class>"}, so that {@code ./switchboard errors} counts them all.
 *
 * <p>Thread-safety: one thread (the agent's). Allocation: when a line is logged, and the kind's text per error when
 * there is an error log.
 */
public final class RateLimitedErrors implements ErrorHandler
{
    private final String what;
    private final long intervalNs;
    private final DistinctErrorLog errorLog;
    private long nextReportNs = Long.MIN_VALUE;
    private long suppressed;

    /**
     * @param what       what fails, the prefix of each line (e.g. {@code "LOW"}).
     * @param intervalNs the shortest time between two printed lines.
     */
    public RateLimitedErrors(final String what, final long intervalNs)
    {
        this(what, intervalNs, null);
    }

    /**
     * @param what       what fails, the prefix of each line and of the error kind.
     * @param intervalNs the shortest time between two printed lines.
     * @param errorLog   where every error is also logged by kind, or null.
     */
    public RateLimitedErrors(final String what, final long intervalNs, final DistinctErrorLog errorLog)
    {
        this.what = what;
        this.intervalNs = intervalNs;
        this.errorLog = errorLog;
    }

    @Override
    public void onError(final Throwable throwable)
    {
        if (errorLog != null)
        {
            errorLog.record(what + ": " + throwable.getClass().getSimpleName(), String.valueOf(throwable.getMessage()));
        }
        final long nowNs = System.nanoTime();
        if (nextReportNs != Long.MIN_VALUE && nowNs - nextReportNs < 0)
        {
            suppressed++;
            return;
        }
        nextReportNs = nowNs + intervalNs;
        final String more = suppressed == 0 ? "" : " (and " + suppressed + " more " + what + " error(s) since the last " +
            "report)";
        suppressed = 0;
        IpcLog.warn(what + ": " + throwable.getMessage() + more);
    }

    /**
     * @return errors counted but not logged since the last logged one.
     */
    long suppressed()
    {
        return suppressed;
    }
}
