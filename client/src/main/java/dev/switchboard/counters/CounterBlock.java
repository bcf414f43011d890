package dev.switchboard.counters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Flag-free view of a counters values buffer laid out as Agrona's {@code CountersManager} lays it out:
 * one 128-byte record per counter, the 64-bit value at offset 0 of its record. Any process that maps the
 * same memory reads and adds to the same counters; Agrona's {@code CountersReader} reads them too.
 * <pre>
 *   0        8                                                      128
 *   +--------+--------------------------------------------------------+
 *   | value  | registration id, owner id, reference id, padding (Agrona)|  counter 0
 *   +--------+--------------------------------------------------------+
 *   | value  | ...                                                    |  counter 1
 * </pre>
 *
 * <p>Thread-safety: {@link #add} is an atomic get-and-add, safe from any thread or process;
 * {@link #get} is a volatile read. Allocation: none. Hot paths that count often keep a local
 * {@link LocalCounters} and {@link LocalCounters#flushTo flush} it, to keep the shared cache line off
 * the per-message path.
 */
public final class CounterBlock
{
    /** Bytes per counter record (Agrona's {@code CountersReader.COUNTER_LENGTH}). */
    public static final int COUNTER_LENGTH = 128;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment values;
    private final int capacity;

    /**
     * @param values the values buffer; its size must be a multiple of {@link #COUNTER_LENGTH}.
     */
    public CounterBlock(final MemorySegment values)
    {
        if (values.byteSize() % COUNTER_LENGTH != 0 || values.byteSize() == 0)
        {
            throw new IllegalArgumentException(
                "counters values buffer size " + values.byteSize() + " is not a positive multiple of " +
                COUNTER_LENGTH);
        }
        this.values = values;
        this.capacity = (int)(values.byteSize() / COUNTER_LENGTH);
    }

    /**
     * @return number of counter records in the buffer.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Atomically add to a counter.
     *
     * @param counterId id of the counter.
     * @param delta     to add.
     */
    public void add(final int counterId, final long delta)
    {
        LONG.getAndAdd(values, (long)counterId * COUNTER_LENGTH, delta);
    }

    /**
     * Atomically add one to a counter.
     *
     * @param counterId id of the counter.
     */
    public void increment(final int counterId)
    {
        add(counterId, 1);
    }

    /**
     * @param counterId id of the counter.
     * @return its current value (volatile read).
     */
    public long get(final int counterId)
    {
        return (long)LONG.getVolatile(values, (long)counterId * COUNTER_LENGTH);
    }

    /**
     * @param counter a router-wide counter.
     * @return its current value.
     */
    public long get(final RouterCounter counter)
    {
        return get(CounterIds.of(counter));
    }
}
