package dev.switchboard.ipc;

import org.agrona.ErrorHandler;

/**
 * An {@link ErrorHandler} that reports through {@link IpcLog} (a warning) at most once per interval: the first error of
 * an interval is logged, the others are counted and summed up with the next one logged. A peer filling a disk or
 * writing garbage in a loop gets one line a second, not one per frame (each error is still counted where it happened).
 *
 * <p>Thread-safety: one thread (the agent's). Allocation: only when a line is logged.
 */
public final class RateLimitedErrors implements ErrorHandler
{
    private final String what;
    private final long intervalNs;
    private long nextReportNs = Long.MIN_VALUE;
    private long suppressed;

    public RateLimitedErrors(final String what, final long intervalNs)
    {
        this.what = what;
        this.intervalNs = intervalNs;
    }

    @Override
    public void onError(final Throwable throwable)
    {
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
