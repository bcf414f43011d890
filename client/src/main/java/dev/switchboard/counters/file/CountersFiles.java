package dev.switchboard.counters.file;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.switchboard.counters.file.CountersFileDescriptor.*;

/**
 * Reads counters files: one ({@link #read}), or every one in a shm dir ({@link #readAll}, {@link #scan}), whether its
 * writer is alive or not. What {@code ./switchboard stat} and {@code ./switchboard errors}, the Prometheus exporter and
 * the status page read; no JVM flag needed, nothing written.
 *
 * <p>A file is mapped read-only for the time of one read and every field read with an acquire (or volatile) load, so a
 * value is never torn. A file is never trusted: every offset and length in it is checked against the file's size
 * before use, a file being created (magic still 0, shorter than its header) or removed while it is read is skipped,
 * and a file truncated by another process while mapped (a {@code SIGBUS}, which the JVM reports as an
 * {@link InternalError}) is reported as unreadable, not thrown.
 *
 * <p>Thread-safety: stateless; any thread. Allocation: the snapshots (not for a hot path).
 */
public final class CountersFiles
{
    private static final System.Logger LOG = System.getLogger(CountersFiles.class.getName());
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Tries of the name's sequence lock before the name is read as it is. */
    private static final int NAME_TRIES = 100;

    private CountersFiles()
    {
    }

    /**
     * A file {@link #scan} could not read, and why.
     *
     * @param file   the file.
     * @param reason why it was skipped ("being created", "removed while read", "not a counters file: ...").
     */
    public record Skipped(Path file, String reason)
    {
    }

    /**
     * What {@link #scan} found.
     *
     * @param snapshots every counters file read, by role, name and pid.
     * @param skipped   every file that could not be read, with why.
     */
    public record Scan(List<CountersSnapshot> snapshots, List<Skipped> skipped)
    {
    }

    /**
     * @param shmDir a shm dir ({@code IpcContext.shmDir()}).
     * @return the directory that holds its counters files.
     */
    public static Path directory(final Path shmDir)
    {
        return shmDir.resolve(DIRECTORY);
    }

    /**
     * Every counters file in a shm dir, alive or not ({@link CountersSnapshot#alive()}). Never throws for one bad file:
     * it is skipped, and logged (System.Logger {@code dev.switchboard.counters.file.CountersFiles}, DEBUG); use
     * {@link #scan} to get the skipped files with their reasons.
     *
     * @param shmDir a shm dir; its {@value CountersFileDescriptor#DIRECTORY} directory need not exist.
     * @return the snapshots, by role, name and pid; empty when there is none.
     */
    public static List<CountersSnapshot> readAll(final Path shmDir)
    {
        final Scan scan = scan(shmDir);
        for (final Skipped skipped : scan.skipped())
        {
            LOG.log(System.Logger.Level.DEBUG, "skipped counters file " + skipped.file() + ": " + skipped.reason());
        }
        return scan.snapshots();
    }

    /**
     * Every counters file in a shm dir, and those it could not read with why. Never throws for one bad file; a
     * directory that cannot be listed is one skipped entry.
     *
     * @param shmDir a shm dir.
     * @return what was read and what was skipped.
     */
    public static Scan scan(final Path shmDir)
    {
        final Path dir = directory(shmDir);
        final List<CountersSnapshot> snapshots = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return new Scan(List.of(), List.of());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX))
        {
            for (final Path file : files)
            {
                try
                {
                    snapshots.add(read(file));
                }
                catch (final IOException | RuntimeException ex)
                {
                    skipped.add(new Skipped(file, ex instanceof NoSuchFileException ? "removed while read" :
                        ex.getMessage()));
                }
                catch (final InternalError fault)
                {
                    // A fault the JIT's code reported after the read returned (see read(Path, MemorySegment)).
                    skipped.add(new Skipped(file, faulted(fault).getMessage()));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            skipped.add(new Skipped(dir, "cannot list: " + ex));
        }
        snapshots.sort(Comparator.comparing(CountersSnapshot::role).thenComparing(CountersSnapshot::name)
            .thenComparingLong(CountersSnapshot::pid));
        return new Scan(List.copyOf(snapshots), List.copyOf(skipped));
    }

    /**
     * Read one counters file.
     *
     * @param file the file.
     * @return what it holds now, and whether its writer is alive.
     * @throws NoSuchFileException when it does not exist (removed meanwhile).
     * @throws IOException         when it is not a counters file, is being created, is damaged or truncated (the
     *                             message says which), or cannot be read.
     */
    public static CountersSnapshot read(final Path file) throws IOException
    {
        if (Files.isSymbolicLink(file))
        {
            throw new IOException("a symbolic link, not followed");
        }
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH)
            {
                throw new IOException("shorter than a header (" + size + " bytes): being created, or truncated");
            }
            return read(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
        }
    }

    /**
     * Read a counters file's layout from memory: a mapping of it, or a copy.
     *
     * @param file    where it came from (reported in the snapshot).
     * @param mapping the file's bytes, 8-byte aligned.
     * @return the snapshot.
     * @throws IOException when the memory does not hold a complete counters file, or the mapping faulted (its file
     *                     was truncated by another process).
     */
    public static CountersSnapshot read(final Path file, final MemorySegment mapping) throws IOException
    {
        try
        {
            return parse(file, mapping);
        }
        catch (final InternalError fault)
        {
            throw faulted(fault);
        }
    }

    private static IOException faulted(final InternalError fault)
    {
        // SIGBUS: another process truncated the file under the mapping.
        return new IOException("faulted while read: truncated by another process (" + fault.getMessage() + ")", fault);
    }

    private static CountersSnapshot parse(final Path file, final MemorySegment mapping) throws IOException
    {
        final long size = mapping.byteSize();
        final int magic = (int)INT.getAcquire(mapping, (long)MAGIC_OFFSET);
        if (magic == 0)
        {
            throw new IOException("being created (no magic yet)");
        }
        if (magic != MAGIC)
        {
            throw new IOException("not a counters file: magic " + Integer.toHexString(magic) + ", expected " +
                Integer.toHexString(MAGIC));
        }
        final int version = (int)INT.get(mapping, (long)VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new IOException("layout version " + version + ", this reader knows " + VERSION);
        }
        final long fileLength = (long)LONG.get(mapping, (long)FILE_LENGTH_OFFSET);
        if (fileLength > size)
        {
            throw new IOException("truncated: " + size + " bytes, the header says " + fileLength);
        }
        final int roleOrdinal = (int)INT.get(mapping, (long)ROLE_OFFSET);
        final CountersSnapshot.Role[] roles = CountersSnapshot.Role.values();
        if (roleOrdinal < 0 || roleOrdinal >= roles.length)
        {
            throw new IOException("unknown role " + roleOrdinal);
        }
        final long pid = (long)LONG.get(mapping, (long)PID_OFFSET);
        final long processStartMs = (long)LONG.get(mapping, (long)PROCESS_START_TIME_OFFSET);
        final long startMs = (long)LONG.get(mapping, (long)FILE_START_TIME_OFFSET);
        final long heartbeatMs = (long)LONG.getAcquire(mapping, (long)HEARTBEAT_OFFSET);
        final String name = readName(mapping);

        final MemorySegment metadata = section(mapping, METADATA_OFFSET_OFFSET, METADATA_LENGTH_OFFSET, "metadata");
        final MemorySegment values = section(mapping, VALUES_OFFSET_OFFSET, VALUES_LENGTH_OFFSET, "values");
        final MemorySegment histograms =
            section(mapping, HISTOGRAMS_OFFSET_OFFSET, HISTOGRAMS_LENGTH_OFFSET, "histograms");
        final MemorySegment errorLog = section(mapping, ERROR_LOG_OFFSET_OFFSET, ERROR_LOG_LENGTH_OFFSET, "error log");
        final int buckets = (int)INT.get(mapping, (long)HISTOGRAM_BUCKETS_OFFSET);
        if (buckets != HISTOGRAM_BUCKETS)
        {
            throw new IOException("histograms of " + buckets + " buckets, this reader knows " + HISTOGRAM_BUCKETS);
        }

        return new CountersSnapshot(file, roles[roleOrdinal], name, pid, startMs, heartbeatMs,
            isAlive(pid, processStartMs), counters(metadata, values), histograms(histograms), errors(errorLog));
    }

    /**
     * Whether a counters file's writer runs: a process with that pid exists, and (when both are known) started when
     * the file says, so that a pid the system gave to another process since does not count.
     *
     * @param pid            the writer's pid.
     * @param processStartMs its start time from the file (epoch ms), 0 if unknown.
     * @return true when it runs.
     */
    public static boolean isAlive(final long pid, final long processStartMs)
    {
        if (pid <= 0)
        {
            return false;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        if (processStartMs == 0)
        {
            return true;
        }
        final long actual = CountersFileWriter.processStartTimeMs(process.get());
        return actual == 0 || actual == processStartMs;
    }

    private static String readName(final MemorySegment mapping)
    {
        String name = "";
        for (int i = 0; i < NAME_TRIES; i++)
        {
            final int before = (int)INT.getAcquire(mapping, (long)NAME_SEQUENCE_OFFSET);
            final int length = Math.clamp((int)INT.get(mapping, (long)NAME_LENGTH_OFFSET), 0, MAX_NAME_LENGTH);
            final byte[] bytes = mapping.asSlice(NAME_OFFSET, length).toArray(ValueLayout.JAVA_BYTE);
            VarHandle.loadLoadFence(); // the bytes are read before the sequence is read again
            final int after = (int)INT.getAcquire(mapping, (long)NAME_SEQUENCE_OFFSET);
            name = new String(bytes, StandardCharsets.UTF_8);
            if (before == after && (before & 1) == 0)
            {
                break;
            }
            Thread.onSpinWait();
        }
        return name;
    }

    private static MemorySegment section(
        final MemorySegment mapping, final int offsetField, final int lengthField, final String what) throws IOException
    {
        final int offset = (int)INT.get(mapping, (long)offsetField);
        final int length = (int)INT.get(mapping, (long)lengthField);
        if (offset < HEADER_LENGTH || length < 0 || (offset & (Long.BYTES - 1)) != 0 ||
            (long)offset + length > mapping.byteSize())
        {
            throw new IOException("bad " + what + " section: offset " + offset + ", length " + length + " in " +
                mapping.byteSize() + " bytes");
        }
        return mapping.asSlice(offset, length);
    }

    private static List<CountersSnapshot.Counter> counters(final MemorySegment metadata, final MemorySegment values)
    {
        final int capacity = (int)Math.min(metadata.byteSize() / METADATA_LENGTH, values.byteSize() / COUNTER_LENGTH);
        final List<CountersSnapshot.Counter> counters = new ArrayList<>();
        for (int id = 0; id < capacity; id++)
        {
            final long record = metadataRecordOffset(id);
            final int state = (int)INT.getAcquire(metadata, record + RECORD_STATE_OFFSET);
            if (state == RECORD_UNUSED)
            {
                break;
            }
            if (state != RECORD_ALLOCATED)
            {
                continue;
            }
            final int typeId = (int)INT.get(metadata, record + TYPE_ID_OFFSET);
            final int labelLength = Math.clamp((int)INT.get(metadata, record + LABEL_LENGTH_OFFSET), 0,
                MAX_LABEL_LENGTH);
            final String label = new String(metadata.asSlice(record + LABEL_OFFSET, labelLength)
                .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            final long value = (long)LONG.getVolatile(values, (long)valueOffset(id));
            counters.add(new CountersSnapshot.Counter(id, typeId, label, value));
        }
        return List.copyOf(counters);
    }

    private static List<CountersSnapshot.Histogram> histograms(final MemorySegment section)
    {
        final List<CountersSnapshot.Histogram> histograms = new ArrayList<>();
        final long[] bounds = new long[HISTOGRAM_BUCKETS];
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
        {
            bounds[i] = histogramUpperBoundNs(i);
        }
        for (int slot = 0; (long)histogramRecordOffset(slot) + HISTOGRAM_LENGTH <= section.byteSize(); slot++)
        {
            final MemorySegment record = section.asSlice(histogramRecordOffset(slot), HISTOGRAM_LENGTH);
            if ((int)INT.getAcquire(record, (long)HISTOGRAM_STATE_OFFSET) != HISTOGRAM_ALLOCATED)
            {
                continue;
            }
            final int nameLength = Math.clamp((int)INT.get(record, (long)HISTOGRAM_NAME_LENGTH_OFFSET), 0,
                MAX_HISTOGRAM_NAME_LENGTH);
            final String name = new String(record.asSlice(HISTOGRAM_NAME_OFFSET, nameLength)
                .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            final long[] counts = new long[HISTOGRAM_BUCKETS];
            for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
            {
                counts[i] = (long)LONG.getAcquire(record, HISTOGRAM_COUNTS_OFFSET + (long)i * Long.BYTES);
            }
            final long sum = (long)LONG.getAcquire(record, (long)HISTOGRAM_SUM_OFFSET);
            histograms.add(new CountersSnapshot.Histogram(name, bounds.clone(), counts, sum));
        }
        return List.copyOf(histograms);
    }

    private static List<CountersSnapshot.DistinctError> errors(final MemorySegment log)
    {
        final List<CountersSnapshot.DistinctError> errors = new ArrayList<>();
        long offset = 0;
        while (offset + ERROR_KIND_OFFSET <= log.byteSize())
        {
            final int length = (int)INT.getAcquire(log, offset + ERROR_RECORD_LENGTH_OFFSET);
            final int kindLength = (int)INT.get(log, offset + ERROR_KIND_LENGTH_OFFSET);
            if (length < ERROR_KIND_OFFSET || offset + length > log.byteSize() || kindLength < 0 ||
                ERROR_KIND_OFFSET + kindLength > length)
            {
                break; // the end of the log (0), or a record that cannot be one: nothing after it is trusted
            }
            final String kind = new String(log.asSlice(offset + ERROR_KIND_OFFSET, kindLength)
                .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            final String message = new String(log.asSlice(offset + ERROR_KIND_OFFSET + kindLength,
                length - ERROR_KIND_OFFSET - kindLength).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            final long lastMs = (long)LONG.getAcquire(log, offset + ERROR_LAST_TIME_OFFSET);
            final long count = (long)LONG.getVolatile(log, offset + ERROR_COUNT_OFFSET);
            final long firstMs = (long)LONG.get(log, offset + ERROR_FIRST_TIME_OFFSET);
            errors.add(new CountersSnapshot.DistinctError(kind, message, firstMs, lastMs, count));
            offset += align(length, ERROR_RECORD_ALIGNMENT);
        }
        return List.copyOf(errors);
    }
}
