package dev.switchboard.counters.file;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;

import static dev.switchboard.counters.file.CountersFileDescriptor.HISTOGRAM_BUCKETS;
import static dev.switchboard.counters.file.CountersFileDescriptor.HISTOGRAM_COUNTS_OFFSET;
import static dev.switchboard.counters.file.CountersFileDescriptor.HISTOGRAM_LENGTH;
import static dev.switchboard.counters.file.CountersFileDescriptor.HISTOGRAM_SUM_OFFSET;

/**
 * A latency histogram in a counters file: fixed log-linear buckets ({@link CountersFileDescriptor#histogramBucket}),
 * counts and sum in the file's memory, so that another process reads them while this one records. Made by
 * {@link CountersFileWriter#histogram(String)}.
 *
 * <p>Thread-safety: {@link #record} is for one writer thread (a load and a release store per field: no lock, no
 * atomic read-modify-write, a reader sees every count it stored in order); {@link #recordAtomic} may be called by
 * any number of threads at once (atomic adds). Do not mix the two on one histogram. Allocation: none.
 */
public final class LatencyHistogram implements LongConsumer
{
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final String name;
    private final MemorySegment record;

    LatencyHistogram(final String name, final MemorySegment record)
    {
        if (record.byteSize() < HISTOGRAM_LENGTH)
        {
            throw new IllegalArgumentException("a histogram record needs " + HISTOGRAM_LENGTH + " bytes, was " +
                record.byteSize());
        }
        this.name = name;
        this.record = record;
    }

    /**
     * @return what it measures, e.g. {@code "request_response_ns"}.
     */
    public String name()
    {
        return name;
    }

    /**
     * Count one value; single writer (see the class comment). Hot path: no allocation, no lock, no atomic
     * read-modify-write.
     *
     * @param valueNs a latency in ns (negative values count in bucket 0 and add nothing to the sum).
     */
    public void record(final long valueNs)
    {
        final long countOffset = HISTOGRAM_COUNTS_OFFSET + (long)CountersFileDescriptor.histogramBucket(valueNs) *
            Long.BYTES;
        LONG.setRelease(record, countOffset, (long)LONG.get(record, countOffset) + 1);
        if (valueNs > 0)
        {
            LONG.setRelease(record, (long)HISTOGRAM_SUM_OFFSET,
                (long)LONG.get(record, (long)HISTOGRAM_SUM_OFFSET) + valueNs);
        }
    }

    /**
     * {@link #record}: a recorder for whoever takes a {@link LongConsumer} (the client's request round trips).
     *
     * @param valueNs a latency in ns.
     */
    @Override
    public void accept(final long valueNs)
    {
        record(valueNs);
    }

    /**
     * Count one value from any thread (atomic adds). No allocation, no lock.
     *
     * @param valueNs a latency in ns.
     */
    public void recordAtomic(final long valueNs)
    {
        final long countOffset = HISTOGRAM_COUNTS_OFFSET + (long)CountersFileDescriptor.histogramBucket(valueNs) *
            Long.BYTES;
        LONG.getAndAdd(record, countOffset, 1L);
        if (valueNs > 0)
        {
            LONG.getAndAdd(record, (long)HISTOGRAM_SUM_OFFSET, valueNs);
        }
    }

    /**
     * @param bucket 0 .. {@link CountersFileDescriptor#HISTOGRAM_BUCKETS} - 1.
     * @return its count now (acquire load).
     */
    public long count(final int bucket)
    {
        return (long)LONG.getAcquire(record, HISTOGRAM_COUNTS_OFFSET + (long)bucket * Long.BYTES);
    }

    /**
     * @return every bucket's count added up (acquire loads; allocation: none).
     */
    public long totalCount()
    {
        long total = 0;
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
        {
            total += count(i);
        }
        return total;
    }

    /**
     * @return the sum of the recorded values, ns.
     */
    public long sumNs()
    {
        return (long)LONG.getAcquire(record, (long)HISTOGRAM_SUM_OFFSET);
    }

    @Override
    public String toString()
    {
        return "LatencyHistogram{" + name + ", count=" + totalCount() + ", sumNs=" + sumNs() + '}';
    }
}
