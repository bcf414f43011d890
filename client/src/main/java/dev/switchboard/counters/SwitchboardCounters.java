package dev.switchboard.counters;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The router's counters: an Agrona {@link CountersManager} whose ids are exactly {@link CounterIds}, so
 * labels and metadata are readable with Agrona's tools while clients add to the values with a flag-free
 * {@link CounterBlock}. Each counter gets the type id and key of {@link CounterIds#typeId} and {@link CounterIds#key}
 * (as an agent's flag-free {@code CountersFileWriter.defineFixedCounters()} writes them). A router
 * process lays them over its counters file's metadata and values sections (see {@code RouterProcess}), so that
 * {@code switchboard stat} reads it while it runs; an in-process router without a file uses direct memory.
 *
 * <p>Thread-safety: built by one thread; {@link #block()} is then safe from any thread.
 * Allocation: only at construction and in {@link #report()}.
 */
public final class SwitchboardCounters
{
    private final CountersManager manager;
    private final CounterBlock block;
    private final MemorySegment valuesSegment;

    /**
     * Allocate buffers for the fixed counters and label every one.
     */
    public SwitchboardCounters()
    {
        this(
            ByteBuffer.allocateDirect(CounterIds.COUNT * CountersReader.METADATA_LENGTH),
            ByteBuffer.allocateDirect(CounterIds.COUNT * CountersReader.COUNTER_LENGTH));
    }

    /**
     * Lay the fixed counters out over given buffers (for example mapped files).
     *
     * @param metaData metadata buffer, at least {@code COUNT * METADATA_LENGTH} bytes, zeroed.
     * @param values   values buffer, at least {@code COUNT * COUNTER_LENGTH} bytes, zeroed.
     */
    public SwitchboardCounters(final ByteBuffer metaData, final ByteBuffer values)
    {
        manager = new CountersManager(new UnsafeBuffer(metaData), new UnsafeBuffer(values));
        for (int id = 0; id < CounterIds.COUNT; id++)
        {
            final int[] key = CounterIds.key(id);
            final int allocated = manager.allocate(CounterIds.label(id), CounterIds.typeId(id),
                keyBuffer ->
                {
                    for (int i = 0; i < key.length; i++)
                    {
                        keyBuffer.putInt(i * Integer.BYTES, key[i]);
                    }
                });
            if (allocated != id)
            {
                throw new IllegalStateException("counter " + id + " was allocated as " + allocated);
            }
        }
        valuesSegment = MemorySegment.ofBuffer(values).asSlice(0, (long)CounterIds.COUNT * CounterBlock.COUNTER_LENGTH);
        block = new CounterBlock(valuesSegment);
    }

    /**
     * @return flag-free view of the values, for counting from any thread.
     */
    public CounterBlock block()
    {
        return block;
    }

    /**
     * @return the values buffer, for connections that count into it from other threads.
     */
    public MemorySegment valuesSegment()
    {
        return valuesSegment;
    }

    /**
     * @return Agrona reader over labels and values.
     */
    public CountersReader reader()
    {
        return manager;
    }

    /**
     * @return one line per non-zero counter, {@code label = value}.
     */
    public String report()
    {
        return report(block);
    }

    /**
     * @param block counter values, e.g. an agent's own (its connection's {@code countersValues()}).
     * @return one line per non-zero counter, {@code label = value}.
     */
    public static String report(final CounterBlock block)
    {
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < CounterIds.COUNT; id++)
        {
            final long v = block.get(id);
            if (v != 0)
            {
                sb.append(String.format("%-48s %,d%n", CounterIds.label(id), v));
            }
        }
        return sb.toString();
    }
}
