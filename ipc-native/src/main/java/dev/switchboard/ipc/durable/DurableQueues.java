package dev.switchboard.ipc.durable;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Settings of the LOW tier and the one place that opens its Chronicle queues: one queue per destination
 * agent <em>name</em> (names survive restarts, agent ids do not) under a data directory.
 *
 * <h2>Settings</h2>
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th></tr>
 *   <tr><td>data dir</td><td>none: given to the constructor (the caller passes {@code IpcContext.dataDir()},
 *       whose property is {@code switchboard.data.dir})</td><td>-</td></tr>
 *   <tr><td>roll cycle</td><td>{@value #ROLL_CYCLE_PROP}</td><td>{@code FAST_DAILY} (one file a day);
 *       tests may use {@code TEST_SECONDLY} to cross cycles quickly</td></tr>
 *   <tr><td>maximum frame length</td><td>{@value #MAX_FRAME_LENGTH_PROP}</td>
 *       <td>{@link WireLimits#MAX_FRAME_LENGTH}, the same limit as every other tier</td></tr>
 *   <tr><td>Chronicle timeout</td><td>{@value #TIMEOUT_MS_PROP}</td><td>10,000 ms: how long an appender
 *       waits for the write lock of a writer that died holding it (1.5 x this) before taking it over</td></tr>
 *   <tr><td>free-space reserve</td><td>{@value #MIN_FREE_BYTES_PROP}</td><td>4 x the largest record
 *       (about 64 MiB for the default frame limit), at least 1 MiB: an append is refused with
 *       {@code BACK_PRESSURED} while the queue's file system has less than this usable (see
 *       {@link DurableOutbox}); at least 4 x the largest record</td></tr>
 * </table>
 *
 * <h2>Layout on disk</h2>
 * <pre>
 *   &lt;dataDir&gt;/                       0700, created if missing
 *     &lt;sanitised destination name&gt;/  0700, one Chronicle queue: *.cq4 cycle files, metadata.cq4t
 *                                   (named tailer positions live in metadata.cq4t)
 * </pre>
 * A name is sanitised by {@link #sanitise(String)} and resolved by {@link OwnedFiles#resolveInside}: every
 * path stays a direct child of the data dir (a refusal is counted as {@code OUTSIDE_ROOT}).
 *
 * <h2>Files and permissions</h2>
 * Directories are made and checked by {@link OwnedFiles#processDefault()}: created 0700 (0770 with
 * {@code switchboard.files.group}); an existing one is reused only if it is a real directory of this user that
 * others cannot write. Before a queue is opened every entry of its directory is checked: a symbolic link or
 * a file of another user makes the open fail ({@link RefusedFileException}, counted), so Chronicle never
 * follows a planted link nor appends to a foreign file. Chronicle creates its own files with the process umask
 * (typically 0644): the 0700 directory keeps them unreachable by other users from the start, every file
 * present is set to 0600 (0660) when the queue opens, and a {@link StoreFileListener} does the same to each
 * cycle file Chronicle acquires later (asynchronously, on Chronicle's thread: a new cycle file has its umask
 * mode for a moment, inside the private directory).
 *
 * <h2>JVM flags and analytics</h2>
 * Chronicle Queue on JDK 25 needs {@link #JVM_FLAGS} (the group {@code chronicle} of {@code jvm.flags}, the one list
 * of the JVM flags); {@link #available()} tells whether this JVM can run it, and
 * {@link #unavailableReason()} says why not, so a connection reports LOW as {@code NOT_CONNECTED} with one
 * warning instead of failing. Chronicle's usage analytics must never run: {@code chronicle-analytics} is
 * excluded from the build, and every process that loads Chronicle must start with
 * {@code -Dchronicle.analytics.disable=true} (it is in {@link #JVM_FLAGS}); as a second guard, loading this
 * class sets that property before any Chronicle class is initialised, and every entry point of this package
 * goes through this class first. Loading it also defaults {@code chronicle.announcer.disable} to true
 * (Chronicle's start-up banner). Chronicle still logs INFO lines through SLF4J (for example
 * {@code "Took 5 ms to add mapping for ..."}); SLF4J is also where it reports missing JVM flags.
 *
 * <p>Thread-safety: configure on one thread, {@link #conclude()}, then share read-only; {@link #open(String)}
 * may be called from any thread. Allocation: opening a queue allocates; nothing here is on a per-message path.
 */
public final class DurableQueues
{
    /** Chronicle's switch for its usage analytics; forced to {@code "true"} when this class loads. */
    public static final String ANALYTICS_DISABLE_PROP = "chronicle.analytics.disable";

    /** Chronicle's switch for its start-up banner (version, pid, an invitation to leave an e-mail address). */
    public static final String ANNOUNCER_DISABLE_PROP = "chronicle.announcer.disable";

    static
    {
        // Before any Chronicle class initialises: AnalyticsFacade reads it when the first queue is built.
        System.setProperty(ANALYTICS_DISABLE_PROP, "true");
        // Only a default: whoever wants the banner can ask for it with -Dchronicle.announcer.disable=false.
        System.getProperties().putIfAbsent(ANNOUNCER_DISABLE_PROP, "true");
    }

    /**
     * Property naming the roll cycle (a Chronicle roll cycle name, e.g. {@code FAST_DAILY}). This class reads no
     * property: {@code IpcContext} reads these four and sets them here ({@code IpcContext.lowQueues()}).
     */
    public static final String ROLL_CYCLE_PROP = "switchboard.low.roll.cycle";
    /** Default of {@value #ROLL_CYCLE_PROP}. */
    public static final String ROLL_CYCLE_DEFAULT = "FAST_DAILY";
    /** Property for the largest frame, in bytes, that {@link DurableOutbox#append} accepts. */
    public static final String MAX_FRAME_LENGTH_PROP = "switchboard.low.max.frame.length";
    /** Default of {@value #MAX_FRAME_LENGTH_PROP}: the largest frame of the wire ({@link WireLimits}). */
    public static final int MAX_FRAME_LENGTH_DEFAULT = WireLimits.MAX_FRAME_LENGTH;
    /** Property for Chronicle's timeout in milliseconds. */
    public static final String TIMEOUT_MS_PROP = "switchboard.low.timeout.ms";
    /** Default of {@value #TIMEOUT_MS_PROP}. */
    public static final long TIMEOUT_MS_DEFAULT = 10_000L;
    /** Property for the usable space, in bytes, below which appends are refused (0 or unset: the default). */
    public static final String MIN_FREE_BYTES_PROP = "switchboard.low.min.free.bytes";
    /** Default of {@value #MIN_FREE_BYTES_PROP}: 0, meaning 4 x the largest record, at least 1 MiB. */
    public static final long MIN_FREE_BYTES_DEFAULT = 0L;
    /** Smallest default free-space reserve. */
    static final long MIN_DEFAULT_FREE_BYTES = 1L << 20;

    /**
     * The JVM options every process that loads Chronicle Queue starts with, one command-line argument per element so
     * they can be passed to a {@link ProcessBuilder} as they are: the group {@code chronicle} of {@code jvm.flags}
     * ({@link JvmFlags}), which says why each is there. It includes native access, without which JDK 25 prints a
     * restricted-method warning when Chronicle's jffi dependency loads its native stub, and
     * {@code -D}{@value #ANALYTICS_DISABLE_PROP}{@code =true}.
     */
    public static final List<String> JVM_FLAGS = JvmFlags.of(JvmFlags.Group.CHRONICLE);

    /**
     * The access to {@code java.base} without which Chronicle Queue 2026.4 fails or warns on JDK 25, checked
     * by {@link #available()}: {@code {package, "open" | "export"}}. Found by dropping each flag in turn:
     * without {@code sun.nio.ch} building a queue throws {@code IllegalAccessError} (mapping files), without
     * {@code java.lang.reflect} Chronicle logs an ERROR and an {@code IllegalAccessException} on every mapped
     * file, without {@code jdk.internal.ref} it warns that it cannot free direct buffers. The other flags of
     * {@link #JVM_FLAGS} ({@code java.nio}, {@code java.lang}) made no difference here and are kept because
     * Chronicle's documentation asks for them.
     */
    private static final String[][] REQUIRED_ACCESS = {
        {"sun.nio.ch", "export"},
        {"java.lang.reflect", "open"},
        {"jdk.internal.ref", "export"},
    };

    /** Longest directory name a queue gets (see {@link DurableNames#MAX_DIRECTORY_NAME_LENGTH}). */
    static final int MAX_DIRECTORY_NAME_LENGTH = DurableNames.MAX_DIRECTORY_NAME_LENGTH;
    private static final long DEFAULT_BLOCK_SIZE = 64L << 20;

    private final Path dataDir;
    private String rollCycleName = ROLL_CYCLE_DEFAULT;
    private RollCycle rollCycle;
    private int maxFrameLength = MAX_FRAME_LENGTH_DEFAULT;
    private long timeoutMs = TIMEOUT_MS_DEFAULT;
    private long minFreeBytes = MIN_FREE_BYTES_DEFAULT;
    private long blockSize;
    private boolean concluded;

    /**
     * Queues with the default settings (the {@code *_DEFAULT} constants); {@code IpcContext.lowQueues()} makes them
     * with the properties' settings.
     *
     * @param dataDir the directory holding one queue per destination; created (0700) by {@link #conclude()}
     *                or the first open if missing.
     */
    public DurableQueues(final Path dataDir)
    {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * @param name a Chronicle roll cycle name: one of {@code RollCycles} (e.g. {@code FAST_DAILY}, the
     *             default) or {@code TestRollCycles} (e.g. {@code TEST_SECONDLY}).
     * @return this.
     */
    public DurableQueues rollCycle(final String name)
    {
        checkNotConcluded();
        rollCycleName = name;
        rollCycle = null;
        return this;
    }

    /**
     * @param maxFrameLength the largest frame {@link DurableOutbox#append} accepts; larger ones get
     *                       {@code TOO_LARGE}. At most {@link WireLimits#MAX_FRAME_LENGTH}.
     * @return this.
     */
    public DurableQueues maxFrameLength(final int maxFrameLength)
    {
        checkNotConcluded();
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * @param timeoutMs Chronicle's timeout: an appender waits 1.5 x this for the write lock of a writer that
     *                  died holding it, then takes the lock over (the dead process is detected by its pid).
     * @return this.
     */
    public DurableQueues timeoutMs(final long timeoutMs)
    {
        checkNotConcluded();
        this.timeoutMs = timeoutMs;
        return this;
    }

    /**
     * @param minFreeBytes usable bytes the queue's file system must keep: below this an append is refused with
     *                     {@code BACK_PRESSURED} instead of writing into a mapped page the file system may not
     *                     be able to back. 0 means the default (4 x the largest record, at least 1 MiB); any
     *                     other value must be at least 4 x the largest record.
     * @return this.
     */
    public DurableQueues minFreeBytes(final long minFreeBytes)
    {
        checkNotConcluded();
        this.minFreeBytes = minFreeBytes;
        return this;
    }

    /**
     * Check the settings once, resolve the roll cycle and size Chronicle's blocks so that the largest
     * record fits in one mapping overlap. Idempotent. Does not touch the file system (the data dir is
     * created by the first {@link #open(String)}), so it cannot fail on an unwritable disk.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting, the limit and the value seen.
     */
    public DurableQueues conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (maxFrameLength < 0 || maxFrameLength > WireLimits.MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "LOW max frame length must be in [0, " + WireLimits.MAX_FRAME_LENGTH + "]: " + maxFrameLength);
        }
        if (timeoutMs < 1)
        {
            throw new IllegalArgumentException("LOW Chronicle timeout must be at least 1 ms: " + timeoutMs);
        }
        if (rollCycle == null)
        {
            rollCycle = findRollCycle(rollCycleName);
        }
        // Chronicle maps a queue file in blocks plus an overlap of blockSize / 4 and requires one document to
        // fit in that overlap: size the block so the largest record (header + frame) does.
        final long recordMax = DurableRecordDescriptor.HEADER_LENGTH + (long)maxFrameLength + 64;
        long block = DEFAULT_BLOCK_SIZE;
        while (block / 4 < recordMax)
        {
            block <<= 1;
        }
        blockSize = block;
        final long smallestReserve = 4 * recordMax;
        if (minFreeBytes == 0)
        {
            minFreeBytes = Math.max(MIN_DEFAULT_FREE_BYTES, smallestReserve);
        }
        else if (minFreeBytes < smallestReserve)
        {
            throw new IllegalArgumentException("LOW free-space reserve (" + MIN_FREE_BYTES_PROP + ") must be at least " +
                "4 x the largest record (" + smallestReserve + " bytes for max frame length " + maxFrameLength + "): " +
                minFreeBytes);
        }
        concluded = true;
        return this;
    }

    /** @return the data directory (absolute, normalised). */
    public Path dataDir()
    {
        return dataDir;
    }

    /** @return the largest frame, in bytes, that {@link DurableOutbox#append} accepts. */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** @return usable bytes below which appends are refused (resolved by {@link #conclude()}). */
    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    /** @return Chronicle's timeout in milliseconds. */
    public long timeoutMs()
    {
        return timeoutMs;
    }

    /** @return the roll cycle's name, e.g. {@code FAST_DAILY}. */
    public String rollCycleName()
    {
        return rollCycle != null ? rollCycle.toString() : rollCycleName;
    }

    /**
     * Where the queue of a destination lives, without creating anything.
     *
     * @param destinationName an agent name (1 to {@link WireLimits#MAX_NAME_LENGTH} UTF-8 bytes).
     * @return {@code dataDir/<sanitised name>}: always a direct child of the data dir.
     * @throws IllegalArgumentException when the name is empty or too long.
     */
    public Path queuePath(final String destinationName)
    {
        return DurableNames.queuePath(dataDir, destinationName);
    }

    /**
     * Turn an agent name into a directory name: see {@link DurableNames#sanitise(String)}.
     *
     * @param name an agent name.
     * @return its directory name.
     */
    public static String sanitise(final String name)
    {
        return DurableNames.sanitise(name);
    }

    /**
     * Open (creating if missing) the queue of a destination. The caller owns the queue and closes it.
     *
     * @param destinationName an agent name.
     * @return the queue.
     * @throws RefusedFileException     when the data dir, the queue dir or a file in it is a symbolic link or not
     *                                  ours (see the class comment).
     * @throws IOException              when the data dir or the queue dir cannot be created or is not a directory.
     * @throws IllegalArgumentException for a bad name.
     * @throws RuntimeException         whatever Chronicle throws when it cannot build the queue.
     */
    SingleChronicleQueue open(final String destinationName) throws IOException
    {
        conclude();
        final Path queueDir = queuePath(destinationName);
        createOwnerOnlyDirectory(dataDir);
        return openOwnedQueue(queueDir, (builder) -> builder.rollCycle(rollCycle).blockSize(blockSize).timeoutMS(timeoutMs));
    }

    /**
     * Open (creating if missing) a Chronicle queue in a directory with the file rules of this class (see
     * "Files and permissions" above), for any Chronicle queue of Switchboard (the LOW queues, the
     * orchestrator's journal).
     *
     * @param queueDir the queue's directory: created 0700 if missing, else it must be ours.
     * @param settings sets the builder's roll cycle, sizes and timeouts (not its store file listener).
     * @return the queue; the caller closes it.
     * @throws RefusedFileException when the directory or an entry in it is a symbolic link or not ours.
     * @throws IOException          when the directory cannot be created or listed, or a mode cannot be set.
     */
    public static SingleChronicleQueue openOwnedQueue(
        final Path queueDir, final Consumer<SingleChronicleQueueBuilder> settings) throws IOException
    {
        final OwnedFiles files = OwnedFiles.processDefault();
        files.createDirectories(queueDir);
        forEachEntry(queueDir, files::checkOurs);
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(queueDir);
        settings.accept(builder);
        final SingleChronicleQueue queue = builder.storeFileListener(new RestrictingListener(files)).build();
        try
        {
            forEachEntry(queueDir, files::restrictExisting);
        }
        catch (final IOException | RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
        return queue;
    }

    /**
     * Open (creating it 0600 if missing) a small file of ours inside a queue dir, such as a reader's lock file.
     * An existing file must be ours ({@link OwnedFiles#checkOurs}); a symbolic link is never followed.
     *
     * @param file the file.
     * @return a channel open for writing.
     * @throws IOException when it cannot be created or opened, or is refused.
     */
    static FileChannel openOwnedFile(final Path file) throws IOException
    {
        final OwnedFiles files = OwnedFiles.processDefault();
        try
        {
            return files.createNew(file);
        }
        catch (final FileAlreadyExistsException ex)
        {
            files.checkOurs(file);
            return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void forEachEntry(final Path dir, final EntryAction action) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                action.accept(entry);
            }
        }
    }

    /** What {@link #forEachEntry} does to each entry. */
    @FunctionalInterface
    private interface EntryAction
    {
        void accept(Path entry) throws IOException;
    }

    /**
     * Sets each cycle file Chronicle acquires to the owner-only (or group) mode. Runs on Chronicle's thread.
     */
    private static final class RestrictingListener implements StoreFileListener
    {
        private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.durable");
        private final OwnedFiles files;

        RestrictingListener(final OwnedFiles files)
        {
            this.files = files;
        }

        @Override
        public void onAcquired(final int cycle, final File file)
        {
            try
            {
                files.restrictExisting(file.toPath());
            }
            catch (final NoSuchFileException ex)
            {
                // Deleted meanwhile (a queue removed while Chronicle's thread caught up): nothing to protect.
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "cannot restrict LOW queue file " + file + ": " + ex);
            }
        }

        @Override
        public void onReleased(final int cycle, final File file)
        {
            // Nothing to do: the mode was set on acquisition.
        }
    }

    /**
     * @return true when Chronicle Queue runs in this JVM: the access it needs to {@code java.base} was
     * granted by the JVM flags and a queue could be written and read in a temporary directory. Computed once.
     */
    public static boolean available()
    {
        return Probe.REASON == null;
    }

    /**
     * @return null when {@link #available()}, else one line saying why LOW cannot run here and what to do,
     * for the single warning a connection prints before reporting LOW as {@code NOT_CONNECTED}.
     */
    public static String unavailableReason()
    {
        return Probe.REASON;
    }

    static String probe()
    {
        final List<String> missing = missingAccess();
        if (!missing.isEmpty())
        {
            return "LOW tier (Chronicle Queue) unavailable: the JVM was started without " + String.join(" ", missing) +
                "; start every process that uses LOW with " + String.join(" ", JVM_FLAGS);
        }
        Path dir = null;
        try
        {
            dir = Files.createTempDirectory("switchboard-low-probe");
            try (SingleChronicleQueue queue = new DurableQueues(dir).rollCycle("FAST_DAILY").maxFrameLength(64)
                .conclude().open("probe"))
            {
                try (var appender = queue.createAppender())
                {
                    appender.writeText("probe");
                }
                try (var tailer = queue.createTailer())
                {
                    final String text = tailer.readText();
                    if (!"probe".equals(text))
                    {
                        return "LOW tier (Chronicle Queue) unavailable: probe queue in " + dir +
                            " read back '" + text + "' instead of 'probe'";
                    }
                }
            }
            return null;
        }
        catch (final Exception | LinkageError ex)
        {
            // LinkageError: IllegalAccessError or ExceptionInInitializerError when access to java.base is refused.
            return "LOW tier (Chronicle Queue) unavailable: a probe queue in " + dir + " failed: " + ex +
                "; start every process that uses LOW with " + String.join(" ", JVM_FLAGS);
        }
        finally
        {
            deleteQuietly(dir);
        }
    }

    private static List<String> missingAccess()
    {
        final Module base = Object.class.getModule();
        // The module that needs the access is Chronicle's; a class literal does not initialise the class.
        final Module chronicle = net.openhft.chronicle.core.Jvm.class.getModule();
        final List<String> missing = new ArrayList<>();
        for (final String[] access : REQUIRED_ACCESS)
        {
            final boolean open = "open".equals(access[1]);
            final boolean granted = base.isOpen(access[0], chronicle) ||
                (!open && base.isExported(access[0], chronicle));
            if (!granted)
            {
                missing.add((open ? "--add-opens " : "--add-exports ") + "java.base/" + access[0] + "=ALL-UNNAMED");
            }
        }
        return missing;
    }

    private static RollCycle findRollCycle(final String name)
    {
        final StringBuilder known = new StringBuilder();
        for (final RollCycle cycle : RollCycles.all())
        {
            if (cycle.toString().equals(name))
            {
                return cycle;
            }
            known.append(known.isEmpty() ? "" : ", ").append(cycle);
        }
        throw new IllegalArgumentException("unknown LOW roll cycle '" + name + "' (" + ROLL_CYCLE_PROP + "); known: " +
            known);
    }

    static void createOwnerOnlyDirectory(final Path dir) throws IOException
    {
        OwnedFiles.processDefault().createDirectories(dir);
    }

    private static void deleteQuietly(final Path dir)
    {
        if (dir == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
        }
        catch (final IOException | RuntimeException ignore)
        {
            // A probe directory left in the temp dir is harmless.
        }
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("DurableQueues settings are fixed once concluded");
        }
    }

    /** Holder idiom: the probe runs once, on first use, and never while this class initialises. */
    private static final class Probe
    {
        static final String REASON = probe();
    }

    @Override
    public String toString()
    {
        return "DurableQueues{dataDir=" + dataDir + ", rollCycle=" + rollCycleName() + ", maxFrameLength=" +
            maxFrameLength + ", timeoutMs=" + timeoutMs + ", minFreeBytes=" + minFreeBytes + "}";
    }
}
