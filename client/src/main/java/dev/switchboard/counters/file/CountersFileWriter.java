package dev.switchboard.counters.file;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.function.LongSupplier;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;

import static dev.switchboard.counters.file.CountersFileDescriptor.*;

/**
 * Lays a counters file out in memory and writes it: the header, the fixed counters' metadata (in Agrona's layout,
 * written through {@link MemorySegment} so an agent process needs no JVM flag), heartbeats, the name, histograms and
 * the distinct error log. The memory is a mapping of the file (see {@code dev.switchboard.ipc.counters.CountersFile},
 * which creates, names and removes the file), or any zeroed segment of {@link CountersFileDescriptor#fileLength}
 * bytes. The layout is {@link CountersFileDescriptor}'s.
 *
 * <p>Thread-safety: made by one thread; then {@link #heartbeat} from one thread at a time (the writer's), and
 * {@link #name(String)}, {@link #histogram(String)} and {@link #errors()} from any thread of the writing process.
 * Counter values are written through {@link #counters()} (atomic adds). Allocation: at construction, and in
 * {@link #name(String)} and {@link #histogram(String)} (control paths); none in {@link #heartbeat}.
 */
public final class CountersFileWriter
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment header;
    private final MemorySegment metadata;
    private final MemorySegment values;
    private final MemorySegment histograms;
    private final int counterCapacity;
    private final CounterBlock counters;
    private final DistinctErrorLog errors;
    private final LatencyHistogram[] histogramSlots = new LatencyHistogram[HISTOGRAM_SLOTS];
    private String name;

    private CountersFileWriter(final MemorySegment file, final int counterCapacity, final LongSupplier epochClockMs)
    {
        this.counterCapacity = counterCapacity;
        this.header = file.asSlice(0, HEADER_LENGTH);
        this.metadata = file.asSlice(metadataOffset(counterCapacity), (long)counterCapacity * METADATA_LENGTH);
        this.values = file.asSlice(valuesOffset(counterCapacity), (long)counterCapacity * COUNTER_LENGTH);
        this.histograms = file.asSlice(histogramsOffset(counterCapacity), (long)HISTOGRAM_SLOTS * HISTOGRAM_LENGTH);
        this.counters = new CounterBlock(values);
        this.errors = new DistinctErrorLog(file.asSlice(errorLogOffset(counterCapacity), ERROR_LOG_LENGTH),
            header.asSlice(ERRORS_DROPPED_OFFSET, Long.BYTES), epochClockMs);
    }

    /**
     * Lay a counters file out for this process and publish its header.
     *
     * @param file            zeroed memory of at least {@link CountersFileDescriptor#fileLength}{@code (counterCapacity)}
     *                        bytes, 8-byte aligned (a mapping is page-aligned).
     * @param role            the writer's role.
     * @param name            its name (cut to {@value CountersFileDescriptor#MAX_NAME_LENGTH} UTF-8 bytes).
     * @param counterCapacity counters the file holds; at least {@link CounterIds#COUNT} for the fixed ones.
     * @return the writer.
     */
    public static CountersFileWriter initialise(
        final MemorySegment file, final CountersSnapshot.Role role, final String name, final int counterCapacity)
    {
        final ProcessHandle self = ProcessHandle.current();
        return initialise(file, role, name, self.pid(), processStartTimeMs(self), counterCapacity,
            System::currentTimeMillis);
    }

    /**
     * Lay a counters file out and publish its header.
     *
     * @param file             zeroed memory of at least {@link CountersFileDescriptor#fileLength}{@code (counterCapacity)}
     *                         bytes, 8-byte aligned.
     * @param role             the writer's role.
     * @param name             its name.
     * @param pid              the writer's pid.
     * @param processStartMs   the writer's process start time (epoch ms; 0 if unknown).
     * @param counterCapacity  counters the file holds.
     * @param epochClockMs     the clock of the file's start time and of the error log's times.
     * @return the writer.
     */
    public static CountersFileWriter initialise(
        final MemorySegment file,
        final CountersSnapshot.Role role,
        final String name,
        final long pid,
        final long processStartMs,
        final int counterCapacity,
        final LongSupplier epochClockMs)
    {
        final int fileLength = fileLength(counterCapacity);
        if (counterCapacity < 1 || file.byteSize() < fileLength)
        {
            throw new IllegalArgumentException("a counters file of " + counterCapacity + " counters needs " +
                fileLength + " bytes, the memory has " + file.byteSize());
        }
        final CountersFileWriter writer = new CountersFileWriter(file, counterCapacity, epochClockMs);
        final MemorySegment h = writer.header;
        final long nowMs = epochClockMs.getAsLong();
        INT.set(h, (long)VERSION_OFFSET, VERSION);
        INT.set(h, (long)ROLE_OFFSET, role.ordinal());
        INT.set(h, (long)HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        LONG.set(h, (long)PID_OFFSET, pid);
        LONG.set(h, (long)PROCESS_START_TIME_OFFSET, processStartMs);
        LONG.set(h, (long)FILE_START_TIME_OFFSET, nowMs);
        LONG.set(h, (long)FILE_LENGTH_OFFSET, (long)fileLength);
        INT.set(h, (long)METADATA_OFFSET_OFFSET, metadataOffset(counterCapacity));
        INT.set(h, (long)METADATA_LENGTH_OFFSET, counterCapacity * METADATA_LENGTH);
        INT.set(h, (long)VALUES_OFFSET_OFFSET, valuesOffset(counterCapacity));
        INT.set(h, (long)VALUES_LENGTH_OFFSET, counterCapacity * COUNTER_LENGTH);
        INT.set(h, (long)HISTOGRAMS_OFFSET_OFFSET, histogramsOffset(counterCapacity));
        INT.set(h, (long)HISTOGRAMS_LENGTH_OFFSET, HISTOGRAM_SLOTS * HISTOGRAM_LENGTH);
        INT.set(h, (long)ERROR_LOG_OFFSET_OFFSET, errorLogOffset(counterCapacity));
        INT.set(h, (long)ERROR_LOG_LENGTH_OFFSET, ERROR_LOG_LENGTH);
        INT.set(h, (long)HISTOGRAM_BUCKETS_OFFSET, HISTOGRAM_BUCKETS);
        LONG.set(h, (long)HEARTBEAT_OFFSET, nowMs);
        writer.name(name);
        // Published last: a reader that acquire-loads the magic sees every field above.
        INT.setRelease(h, (long)MAGIC_OFFSET, MAGIC);
        return writer;
    }

    /**
     * @param process a process.
     * @return its start time as readers of counters files compare it (epoch ms), 0 if the system does not say.
     */
    public static long processStartTimeMs(final ProcessHandle process)
    {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Write the metadata of every fixed counter ({@link CounterIds}): type, key and label, as Agrona's
     * {@code CountersManager} would, without Agrona's Unsafe (for agent processes). A router lays them out with
     * {@code SwitchboardCounters} (Agrona's manager) over {@link #metadata()} and {@link #values()} instead.
     *
     * @return this.
     */
    public CountersFileWriter defineFixedCounters()
    {
        for (int id = 0; id < CounterIds.COUNT && id < counterCapacity; id++)
        {
            defineCounter(metadata, id, CounterIds.typeId(id), CounterIds.key(id), CounterIds.label(id));
        }
        return this;
    }

    /**
     * Write one counter's metadata record in Agrona's layout; its state is release-stored as allocated last.
     *
     * @param metadata the metadata section.
     * @param counterId the counter.
     * @param typeId    its type.
     * @param key       its key's ints (at most {@value CountersFileDescriptor#MAX_KEY_LENGTH} / 4).
     * @param label     its label (cut to {@value CountersFileDescriptor#MAX_LABEL_LENGTH} UTF-8 bytes).
     */
    public static void defineCounter(
        final MemorySegment metadata, final int counterId, final int typeId, final int[] key, final String label)
    {
        final long record = metadataRecordOffset(counterId);
        INT.set(metadata, record + TYPE_ID_OFFSET, typeId);
        LONG.set(metadata, record + FREE_FOR_REUSE_DEADLINE_OFFSET, NOT_FREE_TO_REUSE);
        for (int i = 0; i < key.length; i++)
        {
            INT.set(metadata, record + KEY_OFFSET + (long)i * Integer.BYTES, key[i]);
        }
        final byte[] bytes = Utf8.encode(label, MAX_LABEL_LENGTH);
        MemorySegment.copy(bytes, 0, metadata, ValueLayout.JAVA_BYTE, record + LABEL_OFFSET, bytes.length);
        INT.set(metadata, record + LABEL_LENGTH_OFFSET, bytes.length);
        INT.setRelease(metadata, record + RECORD_STATE_OFFSET, RECORD_ALLOCATED);
    }

    /**
     * @return the metadata section (for Agrona's {@code CountersManager} in a router).
     */
    public MemorySegment metadata()
    {
        return metadata;
    }

    /**
     * @return the values section.
     */
    public MemorySegment values()
    {
        return values;
    }

    /**
     * @return counters the file holds.
     */
    public int counterCapacity()
    {
        return counterCapacity;
    }

    /**
     * @return the values, for counting (atomic adds from any thread, or a {@code LocalCounters} flush).
     */
    public CounterBlock counters()
    {
        return counters;
    }

    /**
     * @return the distinct error log.
     */
    public DistinctErrorLog errors()
    {
        return errors;
    }

    /**
     * Say that the writer is running (release store). No allocation, no lock.
     *
     * @param epochMs now.
     */
    public void heartbeat(final long epochMs)
    {
        LONG.setRelease(header, (long)HEARTBEAT_OFFSET, epochMs);
    }

    /**
     * @return the last heartbeat (epoch ms).
     */
    public long heartbeatMs()
    {
        return (long)LONG.getAcquire(header, (long)HEARTBEAT_OFFSET);
    }

    /**
     * Rename the process in the header (an agent's file is {@code pid-N} until it registers), under the name's
     * sequence lock.
     *
     * @param name the new name (cut to {@value CountersFileDescriptor#MAX_NAME_LENGTH} UTF-8 bytes).
     */
    public synchronized void name(final String name)
    {
        final byte[] bytes = Utf8.encode(name, MAX_NAME_LENGTH);
        final int sequence = (int)INT.get(header, (long)NAME_SEQUENCE_OFFSET);
        INT.setRelease(header, (long)NAME_SEQUENCE_OFFSET, sequence + 1);
        VarHandle.storeStoreFence(); // the odd sequence is visible before any byte of the new name
        MemorySegment.copy(bytes, 0, header, ValueLayout.JAVA_BYTE, NAME_OFFSET, bytes.length);
        header.asSlice(NAME_OFFSET + bytes.length, MAX_NAME_LENGTH - bytes.length).fill((byte)0);
        INT.set(header, (long)NAME_LENGTH_OFFSET, bytes.length);
        INT.setRelease(header, (long)NAME_SEQUENCE_OFFSET, sequence + 2);
        this.name = name;
    }

    /**
     * @return the name last written.
     */
    public synchronized String name()
    {
        return name;
    }

    /**
     * The histogram of that name: the one already in the file, or a new one in the next free slot.
     *
     * @param histogramName what it measures, e.g. {@code "request_response_ns"} (at most
     *                      {@value CountersFileDescriptor#MAX_HISTOGRAM_NAME_LENGTH} UTF-8 bytes).
     * @return the histogram, or null when every slot is taken.
     * @throws IllegalArgumentException when the name is empty or too long.
     */
    public synchronized LatencyHistogram histogram(final String histogramName)
    {
        final byte[] bytes = histogramName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_HISTOGRAM_NAME_LENGTH)
        {
            throw new IllegalArgumentException("a histogram name is 1 .. " + MAX_HISTOGRAM_NAME_LENGTH +
                " UTF-8 bytes: '" + histogramName + "'");
        }
        for (int slot = 0; slot < HISTOGRAM_SLOTS; slot++)
        {
            final LatencyHistogram existing = histogramSlots[slot];
            if (existing == null)
            {
                final MemorySegment record = histograms.asSlice(histogramRecordOffset(slot), HISTOGRAM_LENGTH);
                INT.set(record, (long)HISTOGRAM_NAME_LENGTH_OFFSET, bytes.length);
                MemorySegment.copy(bytes, 0, record, ValueLayout.JAVA_BYTE, HISTOGRAM_NAME_OFFSET, bytes.length);
                INT.setRelease(record, (long)HISTOGRAM_STATE_OFFSET, HISTOGRAM_ALLOCATED);
                final LatencyHistogram histogram = new LatencyHistogram(histogramName, record);
                histogramSlots[slot] = histogram;
                return histogram;
            }
            if (existing.name().equals(histogramName))
            {
                return existing;
            }
        }
        return null;
    }
}
