package dev.switchboard.counters;

/**
 * Single-threaded counts kept by one client on its own per-message path (a plain array increment), and
 * added to the shared {@link CounterBlock} by {@link #flushTo} from the client's duty cycle.
 *
 * <p>Thread-safety: confined to the owning thread. Allocation: none after construction.
 */
public final class LocalCounters
{
    private final long[] deltas = new long[CounterIds.COUNT];
    private final int[] dirty = new int[CounterIds.COUNT];
    private int dirtyCount;

    /**
     * @param counterId id from {@link CounterIds}.
     */
    public void increment(final int counterId)
    {
        if (deltas[counterId]++ == 0)
        {
            dirty[dirtyCount++] = counterId;
        }
    }

    /**
     * @param counter a router-wide counter.
     */
    public void increment(final RouterCounter counter)
    {
        increment(CounterIds.of(counter));
    }

    /**
     * Add every pending delta to the shared counters and reset.
     *
     * @param block the shared counters.
     * @return number of counters touched.
     */
    public int flushTo(final CounterBlock block)
    {
        final int n = dirtyCount;
        for (int i = 0; i < n; i++)
        {
            final int id = dirty[i];
            block.add(id, deltas[id]);
            deltas[id] = 0;
        }
        dirtyCount = 0;
        return n;
    }
}
