package dev.switchboard.client;

/**
 * Counts calls (polls, or sends) down to the next duty slice without reading the clock on the calls between, and
 * adapts the count so that slices come about every {@link ClientContext#dutyPeriodNs()} whatever the call rate: a
 * spinning loop reads the clock once per up to {@link ClientContext#dutyInterval()} calls, a slow one still gets its
 * slices. The {@link Poller} has one for polls, the {@link Sender} one for sends (an agent that only sends keeps its
 * lease).
 *
 * <p>Thread: its owner's (the client's thread). Allocation: none.
 */
final class DutyCountdown
{
    private final long periodNs;
    private final int maxInterval;
    /** Calls between two slices now. */
    private int interval = 1;
    private int countdown = 1;
    private long lastDutyNs;

    DutyCountdown(final long periodNs, final int maxInterval)
    {
        this.periodNs = periodNs;
        this.maxInterval = maxInterval;
    }

    /**
     * One call: count down.
     *
     * @return true when the count ran out: run the slice, then {@link #restart}.
     */
    boolean countDown()
    {
        return --countdown <= 0;
    }

    /**
     * A slice runs now: adapt the count to the time the last one took and start it again.
     *
     * @param nowNs the clock, read once for the slice.
     */
    void restart(final long nowNs)
    {
        interval = adapt(interval, nowNs - lastDutyNs);
        countdown = interval;
        lastDutyNs = nowNs;
    }

    /**
     * The count between two duty slices, adapted so that slices come about every {@code periodNs} whatever the rate of
     * calls: cut in proportion when the last count took more than twice the period (a loop that slows down gets its
     * next slices after one long count, not a series of halvings), doubled when it took less than half.
     */
    private int adapt(final int interval, final long elapsedNs)
    {
        if (elapsedNs > 2 * periodNs)
        {
            return (int)Math.max(1, interval * periodNs / elapsedNs);
        }
        if (elapsedNs < periodNs >> 1)
        {
            return Math.min(maxInterval, interval << 1);
        }
        return interval;
    }
}
