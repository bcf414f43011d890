package dev.switchboard.counters.file;

import dev.switchboard.counters.CounterIds;

/**
 * The layout of a counters file, documented once: every offset a writer or a reader (Java, C, a script) needs is a
 * named constant here. A counters file is what one process (a router, an agent process, the orchestrator) publishes
 * about itself while it runs, in the manner of Aeron's CnC file: {@code <shm dir>/counters/<role>-<name>-<pid>.counters}
 * ({@link #fileName}), mode 0600, written by that process alone and read by any process of the same user with no JVM
 * flag ({@code ./switchboard stat}, {@code ./switchboard errors}, the Prometheus exporter, the status page).
 *
 * <h2>File</h2>
 * Five sections, each starting at a multiple of {@link #SECTION_ALIGNMENT}; the header names each section's offset
 * and length, so a reader never assumes them. All integers are in the host's native byte order (little-endian on
 * x86-64 and AArch64): the file is shared between processes of one host, never across hosts.
 * <pre>
 *   0              1024                  + capacity x 512      + capacity x 128     + 8 x 1152       + 64 KiB
 *   +--------------+---------------------+---------------------+------------------+----------------+
 *   | header       | counters metadata   | counters values     | histograms       | distinct error |
 *   |              | (Agrona layout)     | (Agrona layout)     |                  | log            |
 *   +--------------+---------------------+---------------------+------------------+----------------+
 * </pre>
 * The metadata and values sections are exactly Agrona's {@code CountersManager} buffers (512 bytes of metadata and 128
 * bytes of value per counter, see {@code org.agrona.concurrent.status.CountersReader}), so Agrona's
 * {@code CountersReader} over those two slices reads every label and value; this class repeats the offsets it uses
 * ({@link #METADATA_LENGTH}, {@link #COUNTER_LENGTH}, {@link #RECORD_STATE_OFFSET} ...).
 *
 * <h2>Header</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Magic (int, {@link #MAGIC}, 'SBCF'; 0 while being created)       |  0    MAGIC_OFFSET
 *  +---------------------------------------------------------------+
 *  |                Layout version (int, {@link #VERSION})            |  4    VERSION_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Role (int: CountersSnapshot.Role ordinal: 0 router, 1 agent,  |  8    ROLE_OFFSET
 *  |  2 orchestrator)                                              |
 *  +---------------------------------------------------------------+
 *  |             Header length (int, {@link #HEADER_LENGTH})          |  12   HEADER_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |                     Writer's pid (long)                       |  16   PID_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Writer's process start time (long, epoch ms; 0 if unknown)   |  24   PROCESS_START_TIME_OFFSET
 *  +---------------------------------------------------------------+
 *  |        When the file was created (long, epoch ms)             |  32   FILE_START_TIME_OFFSET
 *  +---------------------------------------------------------------+
 *  |        File length (long, bytes: the end of the last section)  |  40   FILE_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Metadata offset, length (2 ints)                             |  48   METADATA_OFFSET_OFFSET, _LENGTH_
 *  |  Values offset, length (2 ints)                               |  56   VALUES_OFFSET_OFFSET, _LENGTH_
 *  |  Histograms offset, length (2 ints)                           |  64   HISTOGRAMS_OFFSET_OFFSET, _LENGTH_
 *  |  Error log offset, length (2 ints)                            |  72   ERROR_LOG_OFFSET_OFFSET, _LENGTH_
 *  +---------------------------------------------------------------+
 *  |  Histogram bucket count (int, {@link #HISTOGRAM_BUCKETS})         |  80   HISTOGRAM_BUCKETS_OFFSET
 *  |  reserved, zero, to 128                                      ...
 *  +---------------------------------------------------------------+
 *  |  Heartbeat (long, epoch ms; release store about once a second)|  128  HEARTBEAT_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Distinct errors dropped: the error log was full (long)       |  136  ERRORS_DROPPED_OFFSET
 *  |  reserved, zero, to 256                                      ...
 *  +---------------------------------------------------------------+
 *  |  Name sequence (int: odd while the name is being rewritten)   |  256  NAME_SEQUENCE_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Name length (int, UTF-8 bytes, at most {@link #MAX_NAME_LENGTH})  |  260  NAME_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |  Name (UTF-8)                                                ...  264  NAME_OFFSET
 *  |  reserved, zero, to 1024                                     ...
 *  +---------------------------------------------------------------+  1024 HEADER_LENGTH
 * </pre>
 * Who writes what, with which ordering (a C reader uses the same, with {@code __atomic_*}):
 * <ul>
 *   <li>Everything but the heartbeat, the dropped count and the name is written once by the creator; the magic is
 *       release-stored last. A reader acquire-loads the magic first: 0 means "being created" (skip it), anything else
 *       but {@link #MAGIC} means "not a counters file".</li>
 *   <li>The heartbeat is release-stored by the writer about once a second (an agent from its client's duty slice, a
 *       router from its counters keeper), and acquire-loaded by readers. Whether the writer is alive is decided by its
 *       pid and process start time, not by the heartbeat: the heartbeat says how long ago the process last ran.</li>
 *   <li>The name changes at most a few times (an agent's file is {@code pid-N} until it registers): a sequence lock.
 *       The writer makes the sequence odd (release), writes length and bytes, makes it even again (release); a reader
 *       reads sequence, name, sequence (acquire) and retries while they differ or are odd.</li>
 * </ul>
 *
 * <h2>Counters: metadata and values</h2>
 * Agrona's layout, a record per counter id; the ids of the fixed counters are {@link CounterIds}'.
 * <pre>
 *   metadata record (512 bytes)                           value record (128 bytes)
 *   0    state (int: 0 unused, 1 allocated, -1 reclaimed)  0    value (long)
 *   4    type id (int: {@link #TYPE_TIER_PATTERN}, {@link #TYPE_PROCESS})    8    registration id (long, 0)
 *   8    free-for-reuse deadline (long, Long.MAX_VALUE)    16   owner id (long, 0)
 *   16   key (112 bytes: see below)                        24   reference id (long, 0)
 *   128  label length (int, UTF-8 bytes, at most 380)      32   padding to 128
 *   132  label (UTF-8)
 * </pre>
 * A record's fields are written before its state is release-stored as allocated; a reader acquire-loads the state and
 * stops at the first unused record. Values are written with atomic adds ({@code getAndAdd}) or release stores and read
 * with volatile loads. The key of a {@link #TYPE_TIER_PATTERN} counter is three ints: tier ordinal, pattern value, kind
 * ordinal ({@link #KEY_TIER_OFFSET} ...); of a {@link #TYPE_PROCESS} counter, one int: its
 * {@code RouterCounter} ordinal.
 *
 * <h2>Histograms</h2>
 * {@link #HISTOGRAM_SLOTS} records of {@link #HISTOGRAM_LENGTH} bytes; one writer per histogram (a client's thread),
 * or several adding atomically (documented where so).
 * <pre>
 *   0    state (int: 0 unused, 1 allocated; release-stored after the name)
 *   4    name length (int, UTF-8 bytes, at most {@link #MAX_HISTOGRAM_NAME_LENGTH})
 *   8    name (UTF-8), zero-filled to 64
 *   64   sum of every recorded value (long, ns)
 *   72   reserved, zero, to 128
 *   128  counts (long x {@link #HISTOGRAM_BUCKETS}: bucket i counts values in (upperBound(i-1), upperBound(i)])
 * </pre>
 * Counts and sum are release-stored by the writer and acquire-loaded by readers. The buckets are fixed by the layout
 * version, log-linear: bucket 0 holds 0..{@value #HISTOGRAM_FIRST_BOUND_NS} ns; then each power of two from 2^6 to 2^36
 * ns is split in {@value #HISTOGRAM_SUB_BUCKETS} equal parts (at most 25 % wide, so a percentile read from the buckets
 * is within 25 % of the truth); the last bucket holds everything above 2^36 ns (68.7 s). See
 * {@link #histogramUpperBoundNs(int)} and {@link #histogramBucket(long)}.
 *
 * <h2>Distinct error log</h2>
 * As Aeron's {@code DistinctErrorLog}, one record per kind of error, appended the first time it is seen and updated
 * after; records are 8-byte aligned and follow each other until a record length of 0.
 * <pre>
 *   0    record length (int, bytes from 0 to the end of the message; release-stored last: 0 = end of log)
 *   4    kind length (int, UTF-8 bytes)
 *   8    count (long: atomic add)
 *   16   first time (long, epoch ms)
 *   24   last time (long, epoch ms: release store)
 *   32   kind (UTF-8), then the first occurrence's message (UTF-8), to the record length
 * </pre>
 * When the log is full a new kind is not recorded: {@link #ERRORS_DROPPED_OFFSET} counts it.
 *
 * <p>Thread-safety: constants and pure functions. Allocation: none, but for {@link #fileName}.
 */
public final class CountersFileDescriptor
{
    /** 'SBCF' read as a little-endian int: the first four bytes of every counters file. */
    public static final int MAGIC = 0x46434253;
    /** Layout version: bumped on any change to the offsets, the record layouts or the histogram buckets. */
    public static final int VERSION = 1;
    /** Every section starts at a multiple of this (two cache lines). */
    public static final int SECTION_ALIGNMENT = 128;

    /** The directory under the shm dir that holds the counters files. */
    public static final String DIRECTORY = "counters";
    /** File name suffix. */
    public static final String SUFFIX = ".counters";

    // ---------------------------------------------------------------------------------------------------------------
    // header

    /** Length of the header; the metadata section starts here. */
    public static final int HEADER_LENGTH = 1024;
    /** Offset of the magic (int). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version (int). */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the role (int, {@code CountersSnapshot.Role} ordinal). */
    public static final int ROLE_OFFSET = 8;
    /** Offset of the header length (int). */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the writer's pid (long). */
    public static final int PID_OFFSET = 16;
    /** Offset of the writer's process start time (long, epoch ms, 0 if unknown): tells a reused pid apart. */
    public static final int PROCESS_START_TIME_OFFSET = 24;
    /** Offset of the file's creation time (long, epoch ms). */
    public static final int FILE_START_TIME_OFFSET = 32;
    /** Offset of the file's length (long). */
    public static final int FILE_LENGTH_OFFSET = 40;
    /** Offset of the metadata section's offset (int). */
    public static final int METADATA_OFFSET_OFFSET = 48;
    /** Offset of the metadata section's length (int). */
    public static final int METADATA_LENGTH_OFFSET = 52;
    /** Offset of the values section's offset (int). */
    public static final int VALUES_OFFSET_OFFSET = 56;
    /** Offset of the values section's length (int). */
    public static final int VALUES_LENGTH_OFFSET = 60;
    /** Offset of the histograms section's offset (int). */
    public static final int HISTOGRAMS_OFFSET_OFFSET = 64;
    /** Offset of the histograms section's length (int). */
    public static final int HISTOGRAMS_LENGTH_OFFSET = 68;
    /** Offset of the error log section's offset (int). */
    public static final int ERROR_LOG_OFFSET_OFFSET = 72;
    /** Offset of the error log section's length (int). */
    public static final int ERROR_LOG_LENGTH_OFFSET = 76;
    /** Offset of the number of buckets per histogram (int). */
    public static final int HISTOGRAM_BUCKETS_OFFSET = 80;
    /** Offset of the heartbeat (long, epoch ms). */
    public static final int HEARTBEAT_OFFSET = 128;
    /** Offset of the count of error kinds not logged because the log was full (long). */
    public static final int ERRORS_DROPPED_OFFSET = 136;
    /** Offset of the name's sequence lock (int). */
    public static final int NAME_SEQUENCE_OFFSET = 256;
    /** Offset of the name's length (int). */
    public static final int NAME_LENGTH_OFFSET = 260;
    /** Offset of the name (UTF-8). */
    public static final int NAME_OFFSET = 264;
    /** Longest name, in UTF-8 bytes (a longer one is cut at a character boundary). */
    public static final int MAX_NAME_LENGTH = 512;

    // ---------------------------------------------------------------------------------------------------------------
    // counters (Agrona's CountersReader / CountersManager layout)

    /** Bytes of metadata per counter (Agrona's {@code CountersReader.METADATA_LENGTH}). */
    public static final int METADATA_LENGTH = 512;
    /** Bytes of value per counter (Agrona's {@code CountersReader.COUNTER_LENGTH}). */
    public static final int COUNTER_LENGTH = 128;
    /** Offset in a metadata record of its state (int). */
    public static final int RECORD_STATE_OFFSET = 0;
    /** Offset in a metadata record of its type id (int). */
    public static final int TYPE_ID_OFFSET = 4;
    /** Offset in a metadata record of its free-for-reuse deadline (long). */
    public static final int FREE_FOR_REUSE_DEADLINE_OFFSET = 8;
    /** Offset in a metadata record of its key. */
    public static final int KEY_OFFSET = 16;
    /** Length of a metadata record's key. */
    public static final int MAX_KEY_LENGTH = 112;
    /** Offset in a metadata record of its label's length (int); the label's bytes follow. */
    public static final int LABEL_LENGTH_OFFSET = 128;
    /** Offset in a metadata record of its label (UTF-8). */
    public static final int LABEL_OFFSET = LABEL_LENGTH_OFFSET + Integer.BYTES;
    /** Longest label in UTF-8 bytes (Agrona's {@code CountersReader.MAX_LABEL_LENGTH}). */
    public static final int MAX_LABEL_LENGTH = 380;
    /** Record state: never used (a reader stops here). */
    public static final int RECORD_UNUSED = 0;
    /** Record state: allocated. */
    public static final int RECORD_ALLOCATED = 1;
    /** Record state: reclaimed (skipped). */
    public static final int RECORD_RECLAIMED = -1;
    /** Free-for-reuse deadline of a counter that is never freed (Agrona's {@code NOT_FREE_TO_REUSE}). */
    public static final long NOT_FREE_TO_REUSE = Long.MAX_VALUE;
    /** Type id of a per tier, per pattern counter (label {@code "KIND tier=T pattern=P"}). */
    public static final int TYPE_TIER_PATTERN = CounterIds.TYPE_TIER_PATTERN;
    /** Type id of a process-wide counter ({@code RouterCounter}). */
    public static final int TYPE_PROCESS = CounterIds.TYPE_PROCESS;
    /** Offset in a {@link #TYPE_TIER_PATTERN} key of the tier's ordinal (int). */
    public static final int KEY_TIER_OFFSET = 0;
    /** Offset in a {@link #TYPE_TIER_PATTERN} key of the pattern's value (int). */
    public static final int KEY_PATTERN_OFFSET = 4;
    /** Offset in a {@link #TYPE_TIER_PATTERN} key of the kind's ordinal (int). */
    public static final int KEY_KIND_OFFSET = 8;
    /** Offset in a {@link #TYPE_PROCESS} key of the {@code RouterCounter}'s ordinal (int). */
    public static final int KEY_COUNTER_OFFSET = 0;

    // ---------------------------------------------------------------------------------------------------------------
    // histograms

    /** Histogram records per file. */
    public static final int HISTOGRAM_SLOTS = 8;
    /** Upper bound of bucket 0, ns. */
    public static final long HISTOGRAM_FIRST_BOUND_NS = 64;
    /** Power of two of {@link #HISTOGRAM_FIRST_BOUND_NS}. */
    public static final int HISTOGRAM_FIRST_OCTAVE = 6;
    /** Power of two of the last finite upper bound (2^36 ns, 68.7 s). */
    public static final int HISTOGRAM_LAST_OCTAVE = 36;
    /** Buckets per power of two. */
    public static final int HISTOGRAM_SUB_BUCKETS = 4;
    /** Buckets per histogram: one up to 64 ns, four per power of two up to 2^36 ns, one above. */
    public static final int HISTOGRAM_BUCKETS =
        1 + (HISTOGRAM_LAST_OCTAVE - HISTOGRAM_FIRST_OCTAVE) * HISTOGRAM_SUB_BUCKETS + 1;
    /** Offset in a histogram record of its state (int). */
    public static final int HISTOGRAM_STATE_OFFSET = 0;
    /** Offset in a histogram record of its name's length (int). */
    public static final int HISTOGRAM_NAME_LENGTH_OFFSET = 4;
    /** Offset in a histogram record of its name (UTF-8). */
    public static final int HISTOGRAM_NAME_OFFSET = 8;
    /** Longest histogram name, in UTF-8 bytes. */
    public static final int MAX_HISTOGRAM_NAME_LENGTH = 56;
    /** Offset in a histogram record of the sum of recorded values (long, ns). */
    public static final int HISTOGRAM_SUM_OFFSET = 64;
    /** Offset in a histogram record of its first bucket's count (long); the others follow. */
    public static final int HISTOGRAM_COUNTS_OFFSET = 128;
    /** Bytes per histogram record. */
    public static final int HISTOGRAM_LENGTH =
        align(HISTOGRAM_COUNTS_OFFSET + HISTOGRAM_BUCKETS * Long.BYTES, SECTION_ALIGNMENT);
    /** Histogram record state: allocated. */
    public static final int HISTOGRAM_ALLOCATED = 1;

    // ---------------------------------------------------------------------------------------------------------------
    // distinct error log

    /** Bytes of the error log section. */
    public static final int ERROR_LOG_LENGTH = 64 * 1024;
    /** Offset in an error record of its length (int). */
    public static final int ERROR_RECORD_LENGTH_OFFSET = 0;
    /** Offset in an error record of its kind's length (int). */
    public static final int ERROR_KIND_LENGTH_OFFSET = 4;
    /** Offset in an error record of its count (long). */
    public static final int ERROR_COUNT_OFFSET = 8;
    /** Offset in an error record of its first time (long, epoch ms). */
    public static final int ERROR_FIRST_TIME_OFFSET = 16;
    /** Offset in an error record of its last time (long, epoch ms). */
    public static final int ERROR_LAST_TIME_OFFSET = 24;
    /** Offset in an error record of its kind (UTF-8); the message follows. */
    public static final int ERROR_KIND_OFFSET = 32;
    /** Error records start at multiples of this. */
    public static final int ERROR_RECORD_ALIGNMENT = 8;
    /** Longest kind kept, in UTF-8 bytes. */
    public static final int MAX_ERROR_KIND_LENGTH = 128;
    /** Longest message kept, in UTF-8 bytes (the first occurrence's). */
    public static final int MAX_ERROR_MESSAGE_LENGTH = 1024;

    private CountersFileDescriptor()
    {
    }

    /**
     * @param counters counters the file holds (e.g. {@link CounterIds#COUNT}).
     * @return offset of the metadata section.
     */
    public static int metadataOffset(final int counters)
    {
        return HEADER_LENGTH;
    }

    /**
     * @param counters counters the file holds.
     * @return offset of the values section.
     */
    public static int valuesOffset(final int counters)
    {
        return metadataOffset(counters) + counters * METADATA_LENGTH;
    }

    /**
     * @param counters counters the file holds.
     * @return offset of the histograms section.
     */
    public static int histogramsOffset(final int counters)
    {
        return valuesOffset(counters) + counters * COUNTER_LENGTH;
    }

    /**
     * @param counters counters the file holds.
     * @return offset of the error log section.
     */
    public static int errorLogOffset(final int counters)
    {
        return histogramsOffset(counters) + HISTOGRAM_SLOTS * HISTOGRAM_LENGTH;
    }

    /**
     * @param counters counters the file holds.
     * @return the file's length.
     */
    public static int fileLength(final int counters)
    {
        return errorLogOffset(counters) + ERROR_LOG_LENGTH;
    }

    /**
     * @param counterId a counter id.
     * @return offset of its metadata record within the metadata section.
     */
    public static int metadataRecordOffset(final int counterId)
    {
        return counterId * METADATA_LENGTH;
    }

    /**
     * @param counterId a counter id.
     * @return offset of its value within the values section.
     */
    public static int valueOffset(final int counterId)
    {
        return counterId * COUNTER_LENGTH;
    }

    /**
     * @param counterId a fixed counter id ({@link CounterIds}).
     * @return its type id: {@link #TYPE_TIER_PATTERN} or {@link #TYPE_PROCESS}.
     */
    public static int typeIdOf(final int counterId)
    {
        return CounterIds.typeId(counterId);
    }

    /**
     * @param slot a histogram slot, 0 .. {@link #HISTOGRAM_SLOTS} - 1.
     * @return offset of its record within the histograms section.
     */
    public static int histogramRecordOffset(final int slot)
    {
        return slot * HISTOGRAM_LENGTH;
    }

    /**
     * @param bucket a bucket, 0 .. {@link #HISTOGRAM_BUCKETS} - 1.
     * @return its upper bound in ns (inclusive); {@link Long#MAX_VALUE} for the last.
     */
    public static long histogramUpperBoundNs(final int bucket)
    {
        if (bucket == 0)
        {
            return HISTOGRAM_FIRST_BOUND_NS;
        }
        if (bucket >= HISTOGRAM_BUCKETS - 1)
        {
            return Long.MAX_VALUE;
        }
        final int octave = HISTOGRAM_FIRST_OCTAVE + (bucket - 1) / HISTOGRAM_SUB_BUCKETS;
        final int sub = (bucket - 1) % HISTOGRAM_SUB_BUCKETS + 1;
        return (1L << octave) + sub * (1L << (octave - 2));
    }

    /**
     * The bucket a value falls in: the first whose upper bound is at least the value. Negative values (clocks that
     * disagree) go to bucket 0.
     *
     * @param valueNs a latency in ns.
     * @return its bucket, 0 .. {@link #HISTOGRAM_BUCKETS} - 1.
     */
    public static int histogramBucket(final long valueNs)
    {
        if (valueNs <= HISTOGRAM_FIRST_BOUND_NS)
        {
            return 0;
        }
        final long w = valueNs - 1;
        final int octave = 63 - Long.numberOfLeadingZeros(w); // 2^octave <= w < 2^(octave + 1)
        if (octave >= HISTOGRAM_LAST_OCTAVE)
        {
            return HISTOGRAM_BUCKETS - 1;
        }
        final int sub = (int)((w - (1L << octave)) >>> (octave - 2)); // 0 .. 3
        return 1 + (octave - HISTOGRAM_FIRST_OCTAVE) * HISTOGRAM_SUB_BUCKETS + sub;
    }

    /**
     * The file name of a process's counters file.
     *
     * @param role          the writer's role.
     * @param sanitisedName its name, already made safe for a file name (no {@code /}, NUL, {@code .} or {@code ..}).
     * @param pid           its pid.
     * @return {@code <role>-<name>-<pid>.counters}, role in lower case.
     */
    public static String fileName(final CountersSnapshot.Role role, final String sanitisedName, final long pid)
    {
        return role.name().toLowerCase(java.util.Locale.ROOT) + '-' + sanitisedName + '-' + pid + SUFFIX;
    }

    /**
     * @param value  a length or offset.
     * @param to     a power of two.
     * @return value rounded up to a multiple of {@code to}.
     */
    public static int align(final int value, final int to)
    {
        return (value + to - 1) & -to;
    }
}
